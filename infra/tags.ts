import type { Environment } from "./config";

/** The tags every AWS resource carries, applied once through the provider's `defaultTags`. */
export interface StandardTags {
  readonly Project: string;
  readonly Stack: string;
  readonly Environment: Environment;
  readonly ManagedBy: "pulumi";
}

export function standardTags(scope: {
  readonly project: string;
  readonly stack: string;
  readonly environment: Environment;
}): StandardTags {
  return { Project: scope.project, Stack: scope.stack, Environment: scope.environment, ManagedBy: "pulumi" };
}

/**
 * Component tags merged over the standard ones. The standard keys win: a component cannot relabel which stack or
 * environment owns a resource (cost reports and the policy pack rely on them).
 */
export function mergeTags(
  standard: StandardTags,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return { ...extra, ...standard };
}
