import type { Environment } from "./config";

/**
 * The tags every AWS resource carries, applied once through the provider's `defaultTags`. A resource's own tags win
 * over its provider's, so nothing else sets these keys (the policy pack's `standard-tags-not-overridden` fails it).
 */
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

/** The keys of {@link StandardTags}, for the policy pack. */
export const STANDARD_TAG_KEYS = ["Project", "Stack", "Environment", "ManagedBy"] as const satisfies ReadonlyArray<
  keyof StandardTags
>;
