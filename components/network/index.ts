export { Network, validateNetworkArgs, type NetworkArgs } from "./network";
export type { AwsNetworkArgs, AwsNetworkOutputs, DockerNetworkArgs, DockerNetworkOutputs } from "./network";
export { isVpcCidr, planSubnets } from "./subnets";
