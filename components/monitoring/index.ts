export {
  MonitoringBundle,
  validateMonitoringArgs,
  type MonitoringBundleArgs,
  type Priority,
} from "./monitoring-bundle";
export { dashboardBody } from "./dashboard";
export { DEFAULT_THRESHOLDS, maxConnections, type Thresholds } from "./thresholds";
export { SentryProjects, validateSentryArgs, type SentryProjectsArgs } from "./sentry-projects";
