/**
 * The pieces every rule of the pack is made of: the stack's environment (its AWS provider's tags, else its name),
 * one-resource and whole-stack rules.
 */
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

export const ENVIRONMENTS = ["dev", "staging", "production", "preview"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
const isEnvironment = (v: unknown): v is Environment => (ENVIRONMENTS as readonly unknown[]).includes(v);

/**
 * The stack's environment: the `Environment` default tag of the AWS provider the resources are declared with (the
 * `required-tags` rule keeps it true), or, without one, the stack's name (`pr-<n>` stacks are previews).
 */
export function environmentOf(urn: string, provider?: Pick<PolicyResource, "type" | "props">): Environment {
  const tagged = defaultTagsOf(provider)?.["Environment"];
  if (isEnvironment(tagged)) return tagged;
  return environmentNamed(stackNameOf(urn)) ?? "dev";
}

/** The environment a stack's name decides on its own: `pr-<n>` is a preview, `dev`, `staging`, `production` are themselves. */
export function environmentNamed(stack: string): Environment | undefined {
  if (/^pr-\d+$/.test(stack)) return "preview";
  return stack === "production" || stack === "staging" || stack === "dev" ? stack : undefined;
}

/** An AWS provider's `defaultTags.tags` (the engine sends provider inputs as JSON text), or `undefined` for any other provider. */
export function defaultTagsOf(provider: Pick<PolicyResource, "type" | "props"> | undefined): Props | undefined {
  if (provider?.type !== "pulumi:providers:aws") return undefined;
  const raw: unknown = provider.props["defaultTags"];
  try {
    const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as { tags?: unknown } | undefined;
    return typeof parsed?.tags === "object" && parsed.tags !== null ? (parsed.tags as Props) : {};
  } catch {
    return {};
  }
}

/** The stack's name in a URN (`urn:pulumi:<stack>::...`). */
export const stackNameOf = (urn: string): string => urn.split("::")[0]?.replace(/^urn:pulumi:/, "") ?? "";

/** The project's name in a URN (`urn:pulumi:<stack>::<project>::...`). */
export const projectNameOf = (urn: string): string => urn.split("::")[1] ?? "";

export type Props = Record<string, unknown>;
export interface Rule {
  readonly name: string;
  readonly description: string;
  /** Environments the rule applies to. @default every environment */
  readonly environments?: readonly Environment[];
}

/** A rule on one resource type: `check` returns the problem and fix, or nothing. */
export function resourceRule(
  rule: Rule & {
    /** The resource types it judges, or a test of the type. */
    readonly types: readonly string[] | ((type: string) => boolean);
    readonly check: (props: Props, args: ResourceValidationArgs) => string | undefined;
  },
): ResourceValidationPolicy {
  const types = rule.types;
  const judges = typeof types === "function" ? types : (type: string) => types.includes(type);
  return {
    name: rule.name,
    description: rule.environments ? `${rule.description} (${rule.environments.join(", ")} only)` : rule.description,
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      if (!judges(args.type)) return;
      if (rule.environments && !rule.environments.includes(environmentOf(args.urn, args.provider))) return;
      const problem = rule.check(args.props as Props, args);
      if (problem !== undefined) report(`${args.name} (${args.type}): ${problem}`);
    },
  };
}

/** A rule over the whole stack (relations between resources). */
export function stackRule(
  rule: Rule & { readonly check: (resources: readonly PolicyResource[], report: (message: string) => void) => void },
): StackValidationPolicy {
  return {
    name: rule.name,
    description: rule.environments ? `${rule.description} (${rule.environments.join(", ")} only)` : rule.description,
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const first = args.resources[0];
      const provider = args.resources.find((r) => isEnvironment(defaultTagsOf(r)?.["Environment"]));
      if (rule.environments && first && !rule.environments.includes(environmentOf(first.urn, provider))) return;
      rule.check(args.resources, (message) => report(message));
    },
  };
}

export const ofType = (resources: readonly PolicyResource[], type: string): PolicyResource[] =>
  resources.filter((r) => r.type === type);

/** A statement of an IAM policy document, as written (a field may be a string or a list). */
export interface Statement {
  readonly Effect?: string;
  readonly Principal?: { readonly AWS?: unknown; readonly Service?: unknown } | string;
  readonly NotPrincipal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export const statements = (policy: unknown): Statement[] => {
  try {
    const doc = (typeof policy === "string" ? JSON.parse(policy) : policy) as { Statement?: unknown };
    const s = doc?.Statement;
    return (Array.isArray(s) ? s : s ? [s] : []) as Statement[];
  } catch {
    return [];
  }
};
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/**
 * The key actions that use a key (as opposed to administering it): the cryptographic operations of the AWS KMS API
 * reference (docs.aws.amazon.com/kms/latest/APIReference/API_Operations.html).
 */
export const KEY_USE_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:GenerateDataKeyPair",
  "kms:GenerateDataKeyPairWithoutPlaintext",
  "kms:Sign",
  "kms:Verify",
  "kms:GenerateMac",
  "kms:VerifyMac",
  "kms:DeriveSharedSecret",
  // Not a use itself, but whoever may create a grant may grant itself any of the above.
  "kms:CreateGrant",
] as const;

/**
 * Whether an IAM action pattern covers an action: IAM matches actions case-insensitively, with `*` for any run of
 * characters and `?` for one (IAM User Guide, "IAM JSON policy elements: Action").
 */
export function actionCovers(pattern: string, action: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "i").test(action);
}

/** Whether a statement's actions include `action`: its `Action` covers it, or its `NotAction` leaves it out. */
export function statementCovers(statement: Statement, action: string): boolean {
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((p) => actionCovers(String(p), action));
  return list(statement.Action).some((p) => actionCovers(String(p), action));
}

/** The key-use actions an Allow statement grants: those its `Action` covers, or those its `NotAction` leaves out. */
export function keyUseGranted(statement: Statement): string[] {
  return KEY_USE_ACTIONS.filter((a) => statementCovers(statement, a));
}

/**
 * Whether a statement is limited to use through AWS services: a `kms:ViaService` condition key under any operator.
 * IAM condition keys are case-insensitive (IAM User Guide, "IAM JSON policy elements: Condition"); a value that
 * merely mentions the key is not a condition.
 */
export function hasViaService(statement: Statement): boolean {
  return Object.values(statement.Condition ?? {}).some(
    (byKey) => typeof byKey === "object" && byKey !== null && Object.keys(byKey).some(isViaServiceKey),
  );
}

/** Whether a condition key is `kms:ViaService`, in any case. */
export const isViaServiceKey = (key: string): boolean => key.toLowerCase() === "kms:viaservice";
