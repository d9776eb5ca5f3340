export { ScheduledTask, validateScheduledTaskArgs, type ScheduledTaskArgs } from "./scheduled-task";
export {
  awsScheduledTaskDefaults,
  type AwsScheduledTaskArgs,
  type DockerScheduledTaskArgs,
  type ResolvedAwsScheduledTaskArgs,
} from "./args";
export { CONTAINER, ECS_EVENTS_RULE, type AwsScheduledTaskOutputs } from "./aws";
export type { DockerScheduledTaskOutputs } from "./docker";
export {
  MAX_EXECUTION_MINUTES,
  MAX_RETRIES,
  RETRY_BACKOFF_RATE,
  RETRY_INTERVAL_SECONDS,
  RUN_STATE,
  scheduleExpressionProblems,
  stateMachineDefinition,
  worstCaseMinutes,
  type RunTaskTarget,
} from "./schedule";
