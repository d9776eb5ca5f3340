import type { RecordedResource } from "./recorder";
import type { SynthResult } from "./synth";

export const FORMATS = ["tree", "json", "mermaid", "plan", "cost", "cost-json"] as const;
export type Format = (typeof FORMATS)[number];

/** The formats that need no more than the records (the plan also runs the readiness rules: see ./plan.ts). */
export function render(result: SynthResult, format: Exclude<Format, "plan" | "cost" | "cost-json">): string {
  switch (format) {
    case "tree":
      return renderTree(result);
    case "json":
      return renderJson(result);
    case "mermaid":
      return renderMermaid(result);
  }
}

/** Stable JSON: keys sorted at every level, resources sorted by URN. Fit for golden files and diffs. */
export function renderJson(result: SynthResult): string {
  const doc = {
    project: result.project,
    stack: result.stack,
    resources: result.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      custom: r.custom,
      parent: r.parent,
      provider: r.provider,
      options: r.options,
      inputs: r.inputs,
      secretInputs: r.secretInputs,
      dependencies: r.dependencies,
      propertyDependencies: r.propertyDependencies,
    })),
    outputs: result.outputs,
    secretOutputs: result.secretOutputs,
  };
  return `${JSON.stringify(sortKeys(doc), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

/** Resources indented under their parents, with the options that matter, then a count per type. */
export function renderTree(result: SynthResult): string {
  const children = childrenByParent(result.resources);
  const lines: string[] = [];
  const walk = (r: RecordedResource, prefix: string, last: boolean, root: boolean) => {
    const flags = flagsOf(r);
    lines.push(`${root ? "" : `${prefix}${last ? "└─ " : "├─ "}`}${r.name} (${r.type})${flags ? ` ${flags}` : ""}`);
    const kids = children.get(r.urn) ?? [];
    kids.forEach((k, i) => walk(k, root ? "" : `${prefix}${last ? "   " : "│  "}`, i === kids.length - 1, false));
  };
  for (const root of result.resources.filter((r) => r.parent === undefined)) walk(root, "", true, true);

  const counts = new Map<string, number>();
  for (const r of result.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const width = String(Math.max(...counts.values())).length;
  lines.push("", "Resources by type:");
  for (const [type, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${String(n).padStart(width)}  ${type}`);
  }
  const custom = result.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).length;
  lines.push(
    `Total: ${result.resources.length} resources (${custom} cloud/local resources, the rest components and providers)`,
  );
  return `${lines.join("\n")}\n`;
}

function flagsOf(r: RecordedResource): string {
  const o = r.options;
  const flags = [
    o.protect ? "protect" : "",
    o.retainOnDelete ? "retainOnDelete" : "",
    o.deleteBeforeReplace ? "deleteBeforeReplace" : "",
    o.ignoreChanges ? `ignoreChanges=${o.ignoreChanges.join(",")}` : "",
    r.secretInputs.length > 0 ? `secrets=${r.secretInputs.join(",")}` : "",
  ].filter(Boolean);
  return flags.length > 0 ? `[${flags.join(" ")}]` : "";
}

/** Each resource's children, by the parent's URN, sorted by name. */
export function childrenByParent(resources: readonly RecordedResource[]): Map<string, RecordedResource[]> {
  const map = new Map<string, RecordedResource[]>();
  for (const r of resources) {
    if (r.parent === undefined) continue;
    map.set(r.parent, [...(map.get(r.parent) ?? []), r]);
  }
  for (const list of map.values()) list.sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));
  return map;
}

/**
 * A flowchart of the components (and the providers and resources declared at the top level) with an edge wherever
 * something inside one depends on something inside another, through an input, `dependsOn` or its provider.
 */
export function renderMermaid(result: SynthResult): string {
  const byUrn = new Map(result.resources.map((r) => [r.urn, r]));
  const isNode = (r: RecordedResource) =>
    r.type !== "pulumi:pulumi:Stack" && (!r.custom || byUrn.get(r.parent ?? "")?.type === "pulumi:pulumi:Stack");
  const nodeOf = (urn: string): RecordedResource | undefined => {
    let r = byUrn.get(urn);
    while (r && !isNode(r)) r = r.parent ? byUrn.get(r.parent) : undefined;
    return r;
  };
  const nodes = result.resources.filter(isNode);
  const ids = new Map(nodes.map((n, i) => [n.urn, `n${i}`]));
  const members = new Map<string, number>();
  for (const r of result.resources) {
    const n = r.custom ? nodeOf(r.urn) : undefined;
    if (n && r.urn !== n.urn) members.set(n.urn, (members.get(n.urn) ?? 0) + 1);
  }

  // Pairs of node ids, "a b" meaning a depends on b.
  const pairs = new Set<string>();
  for (const r of result.resources) {
    const from = nodeOf(r.urn);
    if (!from) continue;
    for (const dep of [...r.dependencies, ...(r.provider ? [r.provider] : [])]) {
      const to = nodeOf(dep);
      if (to && to.urn !== from.urn && !isAncestor(to.urn, from.urn, byUrn) && !isAncestor(from.urn, to.urn, byUrn)) {
        pairs.add(`${ids.get(from.urn)} ${ids.get(to.urn)}`);
      }
    }
  }
  // One arrow per pair of nodes: both directions become one double arrow.
  const edges = new Set<string>();
  for (const pair of pairs) {
    const [a, b] = pair.split(" ") as [string, string];
    if (pairs.has(`${b} ${a}`)) edges.add(`  ${a < b ? a : b} <--> ${a < b ? b : a}`);
    else edges.add(`  ${a} --> ${b}`);
  }
  const connected = new Set([...pairs].flatMap((p) => p.split(" ")));

  const lines = [
    "flowchart LR",
    "  %% Legend: a rectangle is a component (with how many resources it holds), a rounded box a provider or a",
    "  %% resource declared at the top level; A --> B means A depends on B; A <--> B, each on the other.",
  ];
  for (const n of nodes) {
    // A provider nothing uses says nothing about the stack.
    if (n.type.startsWith("pulumi:providers:") && !connected.has(ids.get(n.urn)!)) continue;
    const kind = n.type.split(":").pop() ?? n.type;
    const count = members.get(n.urn);
    const label = `${kind}: ${n.name}${count ? `<br/>${count} resource${count === 1 ? "" : "s"}` : ""}`;
    lines.push(`  ${ids.get(n.urn)}${n.custom ? `(["${label}"])` : `["${label}"]`}`);
  }
  lines.push(...[...edges].sort());
  return `${lines.join("\n")}\n`;
}

function isAncestor(ancestor: string, urn: string, byUrn: Map<string, RecordedResource>): boolean {
  let r = byUrn.get(urn);
  while (r?.parent) {
    if (r.parent === ancestor) return true;
    r = byUrn.get(r.parent);
  }
  return false;
}
