import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { RecordedResource } from "../synth/recorder";
import { policies } from "./rules";

/** One broken rule: which rule, on which resource, and what to do. */
export interface Violation {
  readonly policy: string;
  readonly message: string;
  readonly urn?: string;
}

export type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/**
 * Runs the pack over the records of a synth, as `pulumi preview --policy-pack policy` would over the engine's
 * resources: each resource policy sees every resource (type, props, name, urn, options, provider), each stack policy
 * the whole list with parents, providers and dependencies resolved.
 */
export async function evaluate(
  records: readonly RecordedResource[],
  pack: readonly AnyPolicy[] = policies,
): Promise<Violation[]> {
  const byUrn = new Map<string, PolicyResource>();
  for (const r of records) {
    byUrn.set(r.urn, {
      type: r.type,
      props: r.inputs,
      urn: r.urn,
      name: r.name,
      opts: {
        protect: r.options.protect ?? false,
        ignoreChanges: [...(r.options.ignoreChanges ?? [])],
        deleteBeforeReplace: r.options.deleteBeforeReplace ?? false,
        aliases: [...(r.options.aliases ?? [])],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(r.parent === undefined ? {} : { parent: r.parent }),
      },
      dependencies: [],
      propertyDependencies: {},
      isType: (cls: { __pulumiType?: string }) => cls.__pulumiType === r.type,
      asType: (cls: { __pulumiType?: string }) => (cls.__pulumiType === r.type ? r.inputs : undefined),
    } as unknown as PolicyResource);
  }
  for (const r of records) {
    const resource = byUrn.get(r.urn)!;
    resource.dependencies = r.dependencies.flatMap((u) => byUrn.get(u) ?? []);
    resource.propertyDependencies = Object.fromEntries(
      Object.entries(r.propertyDependencies).map(([k, urns]) => [k, urns.flatMap((u) => byUrn.get(u) ?? [])]),
    );
    if (r.parent !== undefined && byUrn.has(r.parent)) resource.parent = byUrn.get(r.parent);
    if (r.provider !== undefined && byUrn.has(r.provider)) resource.provider = byUrn.get(r.provider);
  }

  const violations: Violation[] = [];
  const notApplicable = (): never => {
    throw new NotApplicable();
  };
  const common = { stackTags: new Map<string, string>(), notApplicable, getConfig: () => ({}) };
  for (const policy of pack) {
    const report = (message: string, urn?: string) =>
      violations.push({ policy: policy.name, message, ...(urn === undefined ? {} : { urn }) });
    try {
      if ("validateStack" in policy) {
        await policy.validateStack(
          { ...common, resources: [...byUrn.values()] } as unknown as StackValidationArgs,
          report,
        );
        continue;
      }
      const validators = policy.validateResource === undefined ? [] : [policy.validateResource].flat();
      for (const resource of byUrn.values()) {
        const args = { ...common, ...resource } as unknown as ResourceValidationArgs;
        for (const validate of validators) {
          try {
            await validate(args, (message, urn) => report(message, urn ?? resource.urn));
          } catch (e) {
            if (!(e instanceof NotApplicable)) throw e;
          }
        }
      }
    } catch (e) {
      if (!(e instanceof NotApplicable)) throw e;
    }
  }
  return violations;
}

class NotApplicable extends Error {}

/** The verdict as the synth prints it. */
export function formatVerdict(violations: readonly Violation[], ruleCount = policies.length): string {
  if (violations.length === 0) return `Policy pack: ${ruleCount} rules, no violations\n`;
  return [
    `Policy pack: ${ruleCount} rules, ${violations.length} mandatory violation${violations.length === 1 ? "" : "s"}:`,
    ...violations.map((v) => `  [${v.policy}] ${v.message}`),
    "",
  ].join("\n");
}
