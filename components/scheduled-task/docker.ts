import * as docker from "@pulumi/docker";
import { localName } from "../naming";
import * as pulumi from "@pulumi/pulumi";
import { localImage } from "../api-service/docker";
import { transform } from "../transform";
import type { DockerScheduledTaskArgs } from "./args";

export interface DockerScheduledTaskOutputs {
  readonly containerName: pulumi.Output<string>;
  readonly imageRef: pulumi.Output<string>;
}

/**
 * The local variant: a cron is run by hand. The container is created on the stack's network, with its environment
 * and secrets, and never started by Pulumi (`start: false`); `docker start -a <name>` runs it again each time.
 */
export function createDockerScheduledTask(
  name: string,
  args: DockerScheduledTaskArgs,
  parent: pulumi.ComponentResource,
): DockerScheduledTaskOutputs {
  const imageRef = localImage(name, localName(name), args.image, args.transform?.image, parent);
  const plain = Object.entries(args.environment ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const secret = Object.entries(args.secrets ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const container = new docker.Container(
    ...transform(
      args.transform?.container,
      name,
      {
        name: localName(name),
        image: imageRef,
        ...(args.command === undefined ? {} : { command: [...args.command] }),
        envs: [
          ...plain.map(([k, v]) => pulumi.interpolate`${k}=${v}`),
          ...secret.map(([k, v]) => pulumi.secret(pulumi.interpolate`${k}=${v}`)),
        ],
        networksAdvanced: [{ name: args.network.networkName }],
        readOnly: true,
        tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" },
        start: false,
        // The provider's read turns a stopped container with `mustRun` (its default) into a change on every update
        // (terraform-provider-docker, resourceDockerContainerRead: "stopped but must_run is configured as true").
        mustRun: false,
        restart: "no",
        labels: [
          { label: "managed-by", value: "pulumi" },
          { label: "schedule", value: args.schedule },
        ],
      },
      { parent },
    ),
  );
  return { containerName: container.name, imageRef };
}
