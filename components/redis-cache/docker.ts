import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { localStore } from "../local-store";
import type { DockerNetworkOutputs } from "../network";
import { transform, type Transform } from "../transform";
import type { CacheOutputs } from "./outputs";

/** Arguments of the local (dev) variant of {@link RedisCache}: a Redis container. */
export interface DockerRedisCacheArgs {
  readonly target: "docker";
  /** The stack's Docker network; the container joins it under the alias `redis`. */
  readonly network: DockerNetworkOutputs;
  /** @default "redis:7.4-alpine" */
  readonly image?: string;
  /** Port on 127.0.0.1 of the host (never on other interfaces). @default 6379 */
  readonly hostPort?: number;
  readonly transform?: {
    readonly container?: Transform<docker.ContainerArgs>;
    readonly volume?: Transform<docker.VolumeArgs>;
    readonly image?: Transform<docker.RemoteImageArgs>;
  };
}

export const LOCAL_CACHE_ALIAS = "redis";

export function createDockerRedisCache(
  name: string,
  args: DockerRedisCacheArgs,
  parent: pulumi.ComponentResource,
): CacheOutputs & { readonly localUrl: pulumi.Output<string> } {
  const opts: pulumi.CustomResourceOptions = { parent };
  const hostPort = args.hostPort ?? 6379;
  // The append-only file lives on the named volume.
  const {
    scope,
    password: secretPassword,
    image,
    volume,
  } = localStore(
    name,
    { image: args.image ?? "redis:7.4-alpine", ...(args.transform ? { transform: args.transform } : {}) },
    parent,
  );

  const container = new docker.Container(
    ...transform(
      args.transform?.container,
      `${name}`,
      {
        name: scope,
        image: image.imageId,
        envs: [pulumi.interpolate`REDIS_PASSWORD=${secretPassword}`],
        command: ["sh", "-c", 'exec redis-server --appendonly yes --requirepass "$REDIS_PASSWORD"'],
        networksAdvanced: [{ name: args.network.networkName, aliases: [LOCAL_CACHE_ALIAS] }],
        ports: [{ internal: 6379, external: hostPort, ip: "127.0.0.1" }],
        volumes: [{ volumeName: volume.name, containerPath: "/data" }],
        healthcheck: {
          tests: ["CMD-SHELL", 'redis-cli --no-auth-warning -a "$REDIS_PASSWORD" ping | grep -q PONG'],
          interval: "5s",
          timeout: "3s",
          retries: 10,
          startPeriod: "5s",
        },
        restart: "unless-stopped",
        // `pulumi up` finishes only once the health check passes.
        wait: true,
        waitTimeout: 60,
        labels: [{ label: "managed-by", value: "pulumi" }],
      },
      { ...opts },
    ),
  );

  return {
    host: container.name.apply(() => LOCAL_CACHE_ALIAS),
    port: pulumi.output(6379),
    url: pulumi.secret(pulumi.interpolate`redis://:${secretPassword}@${LOCAL_CACHE_ALIAS}:6379`),
    localUrl: pulumi.secret(pulumi.interpolate`redis://:${secretPassword}@127.0.0.1:${hostPort}`),
  };
}
