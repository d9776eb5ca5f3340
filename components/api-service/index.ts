export { ApiService, validateApiServiceArgs, type ApiServiceArgs } from "./api-service";
export type {
  AwsApiServiceArgs,
  DockerApiServiceArgs,
  FargateCapacity,
  ImageSource,
  MigrationArgs,
  ServiceConnection,
  SharedLoadBalancer,
  TaskPermission,
} from "./api-service";
export type { AwsApiServiceOutputs } from "./aws";
export { CLUSTER_CAPACITY_PROVIDERS } from "./aws-args";
export { TARGET_TIMING, TLS_POLICY } from "./load-balancer";
export { contextHash } from "./image";
