import { FARGATE_MEMORY_BY_CPU } from "../aws-facts";
import { CLUSTER_CAPACITY_PROVIDERS, type TaskPermission } from "./aws-args";

/** Environment names that carry credentials: they belong in `secrets`, never in plain `environment`. */
export const SECRET_LIKE =
  /(PASSWORD|SECRET|TOKEN|PRIVATE|API_KEY|ACCESS_KEY|CREDENTIAL|DATABASE_URL|REDIS_URL|_DSN_SECRET)/i;

/** Plain values must not look like credentials, and no name may be both plain and secret. */
export function environmentProblems(
  environment: Readonly<Record<string, unknown>> | undefined,
  secrets: Readonly<Record<string, unknown>> | undefined,
): string[] {
  const problems: string[] = [];
  const secretLooking = Object.keys(environment ?? {}).filter((k) => SECRET_LIKE.test(k));
  if (secretLooking.length > 0) {
    problems.push(
      `environment must not carry credentials: move ${secretLooking.join(", ")} to secrets (injected from Secrets Manager)`,
    );
  }
  const both = Object.keys(environment ?? {}).filter((k) => k in (secrets ?? {}));
  if (both.length > 0) problems.push(`${both.join(", ")} is set in both environment and secrets; keep one`);
  return problems;
}

/** `cpu` and `memory` must be a pair Fargate offers. */
export function fargateSizeProblems(cpu: number, memory: number): string[] {
  const memories = FARGATE_MEMORY_BY_CPU[cpu];
  if (memories === undefined) {
    return [`cpu must be a Fargate size: ${Object.keys(FARGATE_MEMORY_BY_CPU).join(", ")} (got ${cpu})`];
  }
  return memories.includes(memory)
    ? []
    : [`memory must be one Fargate offers for cpu ${cpu}: ${memories.join(", ")} MiB (got ${memory})`];
}

/** The task role's grants name actions (no wildcards) on at least one resource each. */
export function permissionProblems(permissions: readonly TaskPermission[]): string[] {
  const problems: string[] = [];
  for (const [i, p] of permissions.entries()) {
    const wild = p.actions.filter((action) => action === "*" || action.endsWith(":*"));
    if (wild.length > 0)
      problems.push(`permissions[${i}].actions must name actions, not wildcards (got ${wild.join(", ")})`);
    if (p.resources.length === 0) problems.push(`permissions[${i}].resources must list at least one ARN`);
  }
  return problems;
}

/** `keepImages` and `capacity`, as an owned ECR repository and the cluster's capacity providers take them. */
export function imageAndCapacityProblems(keepImages: number, capacity: string): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(keepImages) || keepImages < 1)
    problems.push(`keepImages must be at least 1 (got ${keepImages})`);
  if (!(CLUSTER_CAPACITY_PROVIDERS as readonly string[]).includes(capacity))
    problems.push(`capacity must be "FARGATE" or "FARGATE_SPOT" (got "${String(capacity)}")`);
  return problems;
}
