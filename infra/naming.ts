import { createHash } from "node:crypto";

/**
 * Longest physical name each AWS resource kind accepts. Names over the limit are rejected at deploy time, long after
 * a preview looked fine, so every explicit physical name goes through {@link physicalName}.
 */
export const NAME_LIMITS = {
  /** Application/Network Load Balancer. */
  loadBalancer: 32,
  targetGroup: 32,
  rdsInstance: 63,
  rdsParameterGroup: 255,
  elasticacheReplicationGroup: 40,
  s3Bucket: 63,
  iamRole: 64,
  logGroup: 512,
  ecrRepository: 256,
  ecsCluster: 255,
  generic: 255,
} as const;
export type NameKind = keyof typeof NAME_LIMITS;

const HASH_LENGTH = 7;

/**
 * `${project}-${stack}-${name}` in lowercase with anything but `a-z0-9-` turned into `-`, cut to the kind's limit.
 * A cut name ends in a hash of the full name, so two long names that share a prefix stay distinct and a name is
 * always the same for the same input (no random suffix: a rename must be a deliberate change).
 */
export function physicalName(
  scope: { readonly project: string; readonly stack: string },
  name: string,
  kind: NameKind = "generic",
): string {
  const full = sanitize(`${scope.project}-${scope.stack}-${name}`);
  const limit = NAME_LIMITS[kind];
  if (full.length <= limit) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, HASH_LENGTH);
  const head = full.slice(0, limit - HASH_LENGTH - 1).replace(/-+$/, "");
  return `${head}-${hash}`;
}

function sanitize(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
}
