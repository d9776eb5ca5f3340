export { WorkerService, validateWorkerServiceArgs, type WorkerServiceArgs } from "./worker-service";
export { awsWorkerServiceDefaults, type AwsWorkerServiceArgs, type WorkerCluster } from "./aws-args";
export type { AwsWorkerServiceOutputs } from "./aws";
export type { DockerWorkerServiceArgs, DockerWorkerServiceOutputs, WorkerMount } from "./docker";
export type { QueueScaling } from "../api-service/fargate-service";
export type { OneOffTaskArgs } from "../api-service/one-off";
