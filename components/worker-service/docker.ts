import * as docker from "@pulumi/docker";
import { localName } from "../naming";
import * as pulumi from "@pulumi/pulumi";
import { resolve } from "node:path";
import { localImage, type BindMount } from "../api-service/docker";
import type { ContainerHealthCheck } from "../api-service/health";
import type { ImageSource } from "../api-service/image";
import type { DockerNetworkOutputs } from "../network";
import { transform, type Transform } from "../transform";

/** A host folder mounted into the container, e.g. the sources, for a command that reloads on change. */
export type WorkerMount = BindMount;

/** Arguments of the local (dev) variant of {@link WorkerService}: the same image, run as a container. */
export interface DockerWorkerServiceArgs {
  readonly target: "docker";
  /** The stack's Docker network (where the local Postgres and Redis are). */
  readonly network: DockerNetworkOutputs;
  readonly image: ImageSource;
  /**
   * The container's command, instead of the image's; with `mount`, e.g. a watcher for hot reload.
   * @default - the image's own
   * @example ["npx", "nodemon", "src/worker.ts"]
   */
  readonly command?: readonly string[];
  /** A host folder bind-mounted into the container (hot reload). @default - none */
  readonly mount?: WorkerMount;
  /** A container health check, opt-in (components/api-service/health.ts). @default - none */
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

export interface DockerWorkerServiceOutputs {
  readonly containerName: pulumi.Output<string>;
}

/** The worker as a local container on the stack's network: no published port, nothing connects to it. */
export function createDockerWorkerService(
  name: string,
  args: DockerWorkerServiceArgs,
  parent: pulumi.ComponentResource,
): DockerWorkerServiceOutputs & { readonly imageRef: pulumi.Output<string> } {
  const scope = localName(name);
  const readonlyRoot = args.readonlyRootFilesystem ?? true;
  const imageRef = localImage(name, scope, args.image, args.transform?.image, parent);
  const plain = Object.entries(args.environment ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const secret = Object.entries(args.secrets ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const mount = args.mount;
  const container = new docker.Container(
    ...transform(
      args.transform?.container,
      `${name}`,
      {
        name: scope,
        image: imageRef,
        ...(args.command === undefined ? {} : { command: [...args.command] }),
        envs: [
          ...plain.map(([k, v]) => pulumi.interpolate`${k}=${v}`),
          ...secret.map(([k, v]) => pulumi.secret(pulumi.interpolate`${k}=${v}`)),
        ],
        networksAdvanced: [{ name: args.network.networkName, aliases: [name] }],
        readOnly: readonlyRoot,
        ...(readonlyRoot ? { tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" } } : {}),
        // Docker binds only absolute host paths (a relative one would name a volume).
        ...(mount === undefined
          ? {}
          : {
              volumes: [
                {
                  hostPath: resolve(mount.hostPath),
                  containerPath: mount.containerPath,
                  readOnly: mount.readOnly ?? true,
                },
              ],
            }),
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
        // Without a check, `wait` waits for the process to be running: a worker that exits at once fails the `up`.
        wait: true,
        waitTimeout: 120,
        labels: [{ label: "managed-by", value: "pulumi" }],
      },
      { parent },
    ),
  );
  return { imageRef, containerName: container.name };
}
