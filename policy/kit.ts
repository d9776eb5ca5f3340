/** The pieces every rule of the pack is made of: the environment from a URN, one-resource and whole-stack rules. */
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

export type Environment = "dev" | "staging" | "production" | "preview";

/** The stack's environment, from its name in the URN (`pr-<n>` stacks are previews). */
export function environmentOf(urn: string): Environment {
  const stack = stackNameOf(urn);
  if (/^pr-\d+$/.test(stack)) return "preview";
  return stack === "production" || stack === "staging" ? stack : "dev";
}

/** The stack's name in a URN (`urn:pulumi:<stack>::...`). */
export const stackNameOf = (urn: string): string => urn.split("::")[0]?.replace(/^urn:pulumi:/, "") ?? "";

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
    readonly types: readonly string[];
    readonly check: (props: Props, args: ResourceValidationArgs) => string | undefined;
  },
): ResourceValidationPolicy {
  return {
    name: rule.name,
    description: rule.environments ? `${rule.description} (${rule.environments.join(", ")} only)` : rule.description,
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      if (!rule.types.includes(args.type)) return;
      if (rule.environments && !rule.environments.includes(environmentOf(args.urn))) return;
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
      if (rule.environments && first && !rule.environments.includes(environmentOf(first.urn))) return;
      rule.check(args.resources, (message) => report(message));
    },
  };
}

export const ofType = (resources: readonly PolicyResource[], type: string): PolicyResource[] =>
  resources.filter((r) => r.type === type);

export const statements = (policy: unknown): Array<{ Effect?: string; Action?: unknown; Resource?: unknown }> => {
  try {
    const doc = (typeof policy === "string" ? JSON.parse(policy) : policy) as { Statement?: unknown };
    const s = doc?.Statement;
    return (Array.isArray(s) ? s : s ? [s] : []) as Array<{ Effect?: string; Action?: unknown; Resource?: unknown }>;
  } catch {
    return [];
  }
};
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
