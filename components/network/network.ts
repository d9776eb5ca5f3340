import * as pulumi from "@pulumi/pulumi";
import type { AwsOnly, DockerOnly, Target } from "../target";
import { LOG_RETENTION_DAYS, NAT_MODES } from "../aws-facts";
import { awsNetworkDefaults, createAwsNetwork, type AwsNetworkArgs, type AwsNetworkOutputs } from "./aws";
import { createDockerNetwork, type DockerNetworkArgs, type DockerNetworkOutputs } from "./docker";
import { vpcCidrProblem } from "./subnets";
import { throwIfInvalid } from "../validation";

export type { AwsNetworkArgs, AwsNetworkOutputs } from "./aws";
export type { DockerNetworkArgs, DockerNetworkOutputs } from "./docker";

/** `target: "aws"` declares a VPC; `target: "docker"` (the dev stack) a Docker bridge network. */
export type NetworkArgs = AwsNetworkArgs | DockerNetworkArgs;

/**
 * The network every tier runs in. In AWS: a VPC over 2 or 3 AZs with a public and a private subnet per AZ, NAT per
 * the chosen mode, an S3 gateway endpoint, flow logs and a locked default security group. Locally: a Docker network.
 */
export class Network<T extends Target = Target> extends pulumi.ComponentResource {
  public readonly target: T;
  /** The VPC's outputs (typed exactly by `target`: a `Network<"aws">` always has them). */
  public readonly cloud: AwsOnly<T, AwsNetworkOutputs>;
  /** The Docker network's outputs (a `Network<"docker">` always has them). */
  public readonly local: DockerOnly<T, DockerNetworkOutputs>;

  constructor(name: string, args: NetworkArgs & { readonly target: T }, opts?: pulumi.ComponentResourceOptions) {
    validateNetworkArgs(name, args);
    super("saas-platform:components:Network", name, {}, opts);
    this.target = args.target;
    const a: NetworkArgs = args;
    if (a.target === "aws") {
      const cloud = createAwsNetwork(name, awsNetworkDefaults(a), this);
      this.cloud = cloud as AwsOnly<T, AwsNetworkOutputs>;
      this.local = undefined as DockerOnly<T, DockerNetworkOutputs>;
      this.registerOutputs({
        vpcId: cloud.vpcId,
        publicSubnetIds: cloud.publicSubnetIds,
        privateSubnetIds: cloud.privateSubnetIds,
        natGatewayIds: cloud.natGatewayIds,
        flowLogGroupName: cloud.flowLogGroupName,
      });
    } else {
      const local = createDockerNetwork(name, a, this);
      this.local = local as DockerOnly<T, DockerNetworkOutputs>;
      this.cloud = undefined as AwsOnly<T, AwsNetworkOutputs>;
      this.registerOutputs({ networkName: local.networkName });
    }
  }

  /** The VPC outputs, or a clear error naming the consumer that needs a cloud network. */
  requireCloud(consumer: string): AwsNetworkOutputs {
    if (this.cloud === undefined)
      throw new pulumi.RunError(`${consumer} needs a network with target "aws" (got "${this.target}")`);
    return this.cloud;
  }

  /** The Docker network outputs, or a clear error naming the consumer that needs a local network. */
  requireLocal(consumer: string): DockerNetworkOutputs {
    if (this.local === undefined)
      throw new pulumi.RunError(`${consumer} needs a network with target "docker" (got "${this.target}")`);
    return this.local;
  }
}

/** Every problem with the args at once, before any child is declared. */
export function validateNetworkArgs(name: string, args: NetworkArgs): void {
  const problems: string[] = [];
  if (args.target === "aws") {
    const a = awsNetworkDefaults(args);
    const cidrProblem = vpcCidrProblem(a.cidr);
    if (cidrProblem !== undefined) problems.push(`cidr ${cidrProblem} (got "${a.cidr}")`);
    if (a.azCount !== 2 && a.azCount !== 3) problems.push(`azCount must be 2 or 3 (got ${String(a.azCount)})`);
    if (!NAT_MODES.includes(a.natGateways)) {
      problems.push(`natGateways must be one of ${NAT_MODES.join(", ")} (got "${String(a.natGateways)}")`);
    }
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(a.flowLogRetentionDays)) {
      problems.push(
        `flowLogRetentionDays must be a period CloudWatch accepts (${LOG_RETENTION_DAYS.join(", ")}) (got ${a.flowLogRetentionDays})`,
      );
    }
    const zones = a.availabilityZones;
    if (zones && zones.length !== a.azCount) {
      problems.push(`availabilityZones must list exactly azCount (${a.azCount}) zones (got ${zones.length})`);
    }
    if (zones && new Set(zones).size !== zones.length) {
      problems.push(`availabilityZones must not repeat a zone (got ${JSON.stringify(zones)})`);
    }
  } else if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(args.networkName)) {
    problems.push(
      `networkName must be a Docker network name (letters, digits, "_", ".", "-") (got "${args.networkName}")`,
    );
  }
  throwIfInvalid("Network", name, problems);
}
