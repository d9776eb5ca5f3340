import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

/** What physical names start with, when the program set it: the app's name prefix (see {@link useNamePrefix}). */
let namePrefix: string | undefined;

/**
 * Sets the first part of every physical name the components declare from now on (the program calls it once, before
 * declaring anything, with the stack file's `namePrefix`, by default its `appName`), so two apps in one AWS account
 * never collide. `undefined` goes back to the Pulumi project's name, what names started with before.
 */
export function useNamePrefix(prefix: string | undefined): void {
  namePrefix = prefix;
}

/**
 * The scope of this stack's physical names: the name prefix (or the Pulumi project's name) and the stack. Every
 * component takes it here, so no name depends on where the project directory is called what.
 */
export function namingScope(): { readonly project: string; readonly stack: string } {
  return { project: namePrefix ?? pulumi.getProject(), stack: pulumi.getStack() };
}

/** `<prefix>-<stack>-<name>`: the names of local (Docker) resources, which have no length limits to speak of. */
export const localName = (name: string): string => {
  const scope = namingScope();
  return `${scope.project}-${scope.stack}-${name}`;
};

/**
 * Longest physical name each AWS resource kind accepts. Names over the limit are rejected at deploy time, long after
 * a preview looked fine, so every explicit physical name goes through {@link physicalName}.
 */
export const NAME_LIMITS = {
  /** Application/Network Load Balancer. */
  loadBalancer: 32,
  targetGroup: 32,
  /** Load balancer trust store (mutual TLS). */
  trustStore: 32,
  rdsInstance: 63,
  rdsParameterGroup: 255,
  elasticacheReplicationGroup: 40,
  s3Bucket: 63,
  iamRole: 64,
  logGroup: 512,
  ecrRepository: 256,
  ecsCluster: 255,
  /** EventBridge Scheduler schedule groups and schedules. */
  schedulerGroup: 64,
  schedulerSchedule: 64,
  /** Step Functions state machines (CreateStateMachine `name`: 1 to 80 characters). */
  stateMachine: 80,
  generic: 255,
} as const;
export type NameKind = keyof typeof NAME_LIMITS;

const HASH_LENGTH = 7;

/**
 * `${project}-${stack}-${name}` in lowercase with anything but `a-z0-9-` turned into `-`, cut to the kind's limit.
 * When it is too long, the name keeps at least half of the room, then the stack, then the project, and the result
 * ends in a hash of the full name: two long names that share a prefix stay distinct, and a name is always the same
 * for the same input (no random suffix: a rename must be a deliberate change).
 *
 * @example physicalName({ project: "saas-platform", stack: "production" }, "api-load-balancer", "loadBalancer")
 *          // "production-api-load-bal-d74dab5" (31 characters: the project is dropped, and the hyphen kept for it
 *          // is not given to the name)
 */
export function physicalName(
  scope: { readonly project: string; readonly stack: string },
  name: string,
  kind: NameKind = "generic",
): string {
  const [project, stack, base] = [scope.project, scope.stack, name].map(sanitize) as [string, string, string];
  const full = [project, stack, base].filter(Boolean).join("-");
  const limit = NAME_LIMITS[kind];
  if (full.length <= limit) return full;

  const room = limit - HASH_LENGTH - 1;
  const nameLength = Math.min(base.length, Math.max(Math.ceil(room / 2), room - stack.length - project.length - 2));
  let left = room - nameLength;
  const stackLength = Math.max(0, Math.min(stack.length, left - 1));
  left -= stackLength > 0 ? stackLength + 1 : 0;
  const projectLength = Math.max(0, Math.min(project.length, left - 1));
  const head = [project.slice(0, projectLength), stack.slice(0, stackLength), base.slice(0, nameLength)]
    .map((part) => part.replace(/-+$/, ""))
    .filter(Boolean)
    .join("-");
  const hash = createHash("sha256").update(full).digest("hex").slice(0, HASH_LENGTH);
  return `${head}-${hash}`;
}

function sanitize(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
}
