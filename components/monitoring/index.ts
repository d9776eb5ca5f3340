export {
  MonitoringBundle,
  validateMonitoringArgs,
  dashboardBody,
  type MonitoringBundleArgs,
  type Priority,
} from "./monitoring-bundle";
export { DEFAULT_THRESHOLDS, maxConnections, type Thresholds } from "./thresholds";
export { SentryProjects, validateSentryArgs, type SentryProjectsArgs } from "./sentry-projects";
