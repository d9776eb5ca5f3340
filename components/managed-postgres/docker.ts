import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { localStore } from "../local-store";
import type { DockerNetworkOutputs } from "../network";
import { transform, type Transform } from "../transform";
import type { DatabaseOutputs } from "./outputs";

/** Arguments of the local (dev) variant of {@link ManagedPostgres}: a PostgreSQL container. */
export interface DockerPostgresArgs {
  readonly target: "docker";
  /** The stack's Docker network; the container joins it under the alias `postgres`. */
  readonly network: DockerNetworkOutputs;
  /** @default "postgres:17-alpine" */
  readonly image?: string;
  /** @default "app" */
  readonly databaseName?: string;
  /** @default "app_admin" */
  readonly username?: string;
  /** Port on 127.0.0.1 of the host (never on other interfaces). @default 5432 */
  readonly hostPort?: number;
  readonly transform?: {
    readonly container?: Transform<docker.ContainerArgs>;
    readonly volume?: Transform<docker.VolumeArgs>;
    readonly image?: Transform<docker.RemoteImageArgs>;
  };
}

export const LOCAL_DATABASE_ALIAS = "postgres";

export function createDockerPostgres(
  name: string,
  args: DockerPostgresArgs,
  parent: pulumi.ComponentResource,
): DatabaseOutputs & { readonly localUrl: pulumi.Output<string> } {
  const opts: pulumi.CustomResourceOptions = { parent };
  const databaseName = args.databaseName ?? "app";
  const username = args.username ?? "app_admin";
  const hostPort = args.hostPort ?? 5432;
  const {
    scope,
    password: secretPassword,
    image,
    volume,
  } = localStore(
    name,
    { image: args.image ?? "postgres:17-alpine", ...(args.transform ? { transform: args.transform } : {}) },
    parent,
  );

  const container = new docker.Container(
    ...transform(
      args.transform?.container,
      `${name}`,
      {
        name: scope,
        image: image.imageId,
        envs: [
          `POSTGRES_DB=${databaseName}`,
          `POSTGRES_USER=${username}`,
          pulumi.interpolate`POSTGRES_PASSWORD=${secretPassword}`,
        ],
        networksAdvanced: [{ name: args.network.networkName, aliases: [LOCAL_DATABASE_ALIAS] }],
        ports: [{ internal: 5432, external: hostPort, ip: "127.0.0.1" }],
        volumes: [{ volumeName: volume.name, containerPath: "/var/lib/postgresql/data" }],
        healthcheck: {
          tests: ["CMD-SHELL", `pg_isready -U ${username} -d ${databaseName}`],
          interval: "5s",
          timeout: "3s",
          retries: 10,
          startPeriod: "10s",
        },
        restart: "unless-stopped",
        wait: true,
        waitTimeout: 120,
        labels: [{ label: "managed-by", value: "pulumi" }],
      },
      { ...opts },
    ),
  );

  const url = (host: pulumi.Input<string>, port: number) =>
    pulumi.secret(
      pulumi.interpolate`postgresql://${username}:${secretPassword}@${host}:${port}/${databaseName}?sslmode=disable`,
    );
  return {
    host: container.name.apply(() => LOCAL_DATABASE_ALIAS),
    port: pulumi.output(5432),
    databaseName: pulumi.output(databaseName),
    url: url(LOCAL_DATABASE_ALIAS, 5432),
    localUrl: url("127.0.0.1", hostPort),
  };
}
