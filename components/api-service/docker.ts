import type { ContainerHealthCheck } from "./health";
import { resolve } from "node:path";
import { localName } from "../naming";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { DockerNetworkOutputs } from "../network";
import { transform, type Transform } from "../transform";
import { contextHash, type ImageSource } from "./image";

/** A host folder bind-mounted into a local container, e.g. the sources, for a command that reloads on change. */
export interface BindMount {
  /** An existing folder, relative to the project root (where Pulumi.yaml is) or absolute. */
  readonly hostPath: string;
  /** An absolute path in the container. */
  readonly containerPath: string;
  /** @default true */
  readonly readOnly?: boolean;
}

/** Arguments of the local (dev) variant of {@link ApiService}: the same image, run as a container. */
export interface DockerApiServiceArgs {
  readonly target: "docker";
  /** The stack's Docker network (where the local Postgres and Redis are). */
  readonly network: DockerNetworkOutputs;
  readonly image: ImageSource;
  /** @default 8080 */
  readonly containerPort?: number;
  /** The container's command, replacing the image's `CMD`; with `mount`, e.g. a server that reloads on change. @default - the image's */
  readonly command?: readonly string[];
  /** A host folder bind-mounted into the container (the sources, for hot reload). @default - none */
  readonly mount?: BindMount;
  /** Port on 127.0.0.1 of the host. @default 8080 */
  readonly hostPort?: number;
  /** @default "/health" */
  readonly healthCheckPath?: string;
  /** A container health check, opt-in (./health.ts); Docker then waits for it to pass. @default - none */
  readonly containerHealthCheck?: ContainerHealthCheck;
  /** Plain environment values. */
  readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Secret environment values (locally the values themselves, e.g. the local database URL); kept secret. */
  readonly secrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Read-only root filesystem with a tmpfs on /tmp, as in the cloud. @default true */
  readonly readonlyRootFilesystem?: boolean;
  readonly transform?: {
    readonly container?: Transform<docker.ContainerArgs>;
    readonly image?: Transform<docker.ImageArgs>;
  };
}

/**
 * The image a local container runs: a build for the laptop's own platform, kept local (nothing is pushed anywhere),
 * or a prebuilt image pulled and kept. Returns what the container's `image` takes.
 */
export function localImage(
  name: string,
  scope: string,
  source: ImageSource,
  hook: Transform<docker.ImageArgs> | undefined,
  parent: pulumi.ComponentResource,
): pulumi.Output<string> {
  const opts: pulumi.CustomResourceOptions = { parent };
  if ("build" in source) {
    const build = source.build;
    const tag = source.tag ?? contextHash(build.context, build);
    const image = new docker.Image(
      ...transform(
        hook,
        `${name}-image`,
        {
          imageName: `${scope}:${tag}`,
          skipPush: true,
          build: {
            context: build.context,
            ...(build.dockerfile === undefined ? {} : { dockerfile: `${build.context}/${build.dockerfile}` }),
            ...(build.target === undefined ? {} : { target: build.target }),
            ...(build.args === undefined ? {} : { args: { ...build.args } }),
          },
        },
        { ...opts },
      ),
    );
    return image.imageName;
  }
  const image = new docker.RemoteImage(`${name}-image`, { name: source.image, keepLocally: true }, { ...opts });
  return image.imageId;
}

export function createDockerApiService(
  name: string,
  args: DockerApiServiceArgs,
  parent: pulumi.ComponentResource,
): {
  url: pulumi.Output<string>;
  healthUrl: pulumi.Output<string>;
  imageRef: pulumi.Output<string>;
  containerName: pulumi.Output<string>;
} {
  const opts: pulumi.CustomResourceOptions = { parent };
  const scope = localName(name);
  const containerPort = args.containerPort ?? 8080;
  const hostPort = args.hostPort ?? 8080;
  const healthCheckPath = args.healthCheckPath ?? "/health";
  const readonlyRoot = args.readonlyRootFilesystem ?? true;

  const imageRef = localImage(name, scope, args.image, args.transform?.image, parent);

  const plain = Object.entries({ PORT: String(containerPort), ...args.environment }).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  const secret = Object.entries(args.secrets ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const container = new docker.Container(
    ...transform(
      args.transform?.container,
      `${name}`,
      {
        name: scope,
        image: imageRef,
        envs: [
          ...plain.map(([k, v]) => pulumi.interpolate`${k}=${v}`),
          ...secret.map(([k, v]) => pulumi.secret(pulumi.interpolate`${k}=${v}`)),
        ],
        // Other containers of the stack reach it by its name (the API at http://api:<port>).
        networksAdvanced: [{ name: args.network.networkName, aliases: [name] }],
        ...(args.command === undefined ? {} : { command: [...args.command] }),
        ports: [{ internal: containerPort, external: hostPort, ip: "127.0.0.1" }],
        readOnly: readonlyRoot,
        ...(readonlyRoot ? { tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" } } : {}),
        // Docker binds only absolute host paths (a relative one would name a volume).
        ...(args.mount === undefined
          ? {}
          : {
              volumes: [
                {
                  hostPath: resolve(args.mount.hostPath),
                  containerPath: args.mount.containerPath,
                  readOnly: args.mount.readOnly ?? true,
                },
              ],
            }),
        // Opt-in, as in AWS: without a command, `wait` waits for the container to run, not for a check.
        ...(args.containerHealthCheck === undefined
          ? {}
          : {
              healthcheck: {
                tests: [...args.containerHealthCheck],
                interval: "10s",
                timeout: "5s",
                retries: 5,
                startPeriod: "10s",
              },
            }),
        restart: "unless-stopped",
        wait: true,
        waitTimeout: 120,
        labels: [{ label: "managed-by", value: "pulumi" }],
      },
      { ...opts },
    ),
  );
  return {
    url: pulumi.output(`http://127.0.0.1:${hostPort}`),
    // What the cloud's load balancer would check, to open by hand (or in a script) while developing.
    healthUrl: pulumi.output(`http://127.0.0.1:${hostPort}${healthCheckPath}`),
    imageRef,
    containerName: container.name,
  };
}
