export { EcsTaskRun, TASK_RUN_TIMEOUT_SECONDS, taskRunTimeoutProblem, type EcsTaskRunArgs } from "./task-run";
export { exitCodeOf, taskRunProvider, type TaskRunInputs } from "./provider";
export { checkRelease, EcsReleaseCheck, releaseCheckProvider, releaseProblem, type Deployment } from "./release-check";
