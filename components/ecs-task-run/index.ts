export { EcsTaskRun, type EcsTaskRunArgs } from "./task-run";
export { exitCodeOf, taskRunProvider, type TaskRunInputs } from "./provider";
