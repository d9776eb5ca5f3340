import * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import { transform, type Transform } from "../transform";

/** Arguments of the local (dev) variant of {@link Network}: a Docker bridge network. */
export interface DockerNetworkArgs {
  readonly target: "docker";
  /**
   * The Docker network's name, also what `docker network ls` shows.
   * @example "saas-platform-dev"
   */
  readonly networkName: string;
  /** Labels on the network, e.g. the owning project and stack. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly transform?: { readonly network?: Transform<docker.NetworkArgs> };
}

/** What the local tiers consume from the network. */
export interface DockerNetworkOutputs {
  readonly networkName: pulumi.Output<string>;
  readonly networkId: pulumi.Output<string>;
}

export function createDockerNetwork(
  name: string,
  args: DockerNetworkArgs,
  parent: pulumi.ComponentResource,
): DockerNetworkOutputs {
  const network = new docker.Network(
    ...transform(
      args.transform?.network,
      `${name}-network`,
      {
        name: args.networkName,
        driver: "bridge",
        labels: Object.entries({ ...args.labels, "managed-by": "pulumi" })
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([label, value]) => ({ label, value })),
      },
      { parent },
    ),
  );
  return { networkName: network.name, networkId: network.id };
}
