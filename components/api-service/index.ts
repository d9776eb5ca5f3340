export { ApiService, validateApiServiceArgs, type ApiServiceArgs } from "./api-service";
export type { AwsApiServiceArgs, DockerApiServiceArgs, ImageSource, TaskPermission } from "./api-service";
export { TARGET_TIMING, TLS_POLICY } from "./aws";
export { contextHash } from "./image";
