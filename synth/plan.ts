/**
 * The deploy plan (`npm run synth -- <stack> --format plan`): from the recorded dependency graph, the order in which
 * `pulumi up` creates a new stack, when each slow resource starts and ends, the critical path, the slowest mandatory
 * chain (network → database → secret value → task definition → service steady state) and the readiness checks.
 */
import { evaluate, type Violation } from "../policy/evaluate";
import { readinessPolicies } from "../policy/deployability";
import { creationTime, type CreationTime } from "./creation-times";
import { childrenByParent } from "./formats";
import type { RecordedResource } from "./recorder";
import type { SynthResult } from "./synth";

/** One resource's place in the schedule, in minutes from the start of `pulumi up`. */
export interface ScheduledResource {
  readonly urn: string;
  readonly name: string;
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly time: CreationTime;
}

export interface DeployPlan {
  readonly stack: string;
  /** Every cloud resource, in the order they can start. */
  readonly schedule: readonly ScheduledResource[];
  /** The longest chain of waits, first to last. */
  readonly criticalPath: readonly ScheduledResource[];
  readonly criticalMinutes: number;
  /** The longest chain from the network through the database to a service's steady state; absent without them. */
  readonly mandatoryChain?: { readonly path: readonly ScheduledResource[]; readonly minutes: number };
  /** The readiness rules of the policy pack, run over this stack. */
  readonly readiness: { readonly rules: readonly string[]; readonly violations: readonly Violation[] };
}

/** A critical path up to this much longer than the mandatory chain is the price of the chain alone. */
export const CRITICAL_PATH_ALLOWANCE = 1.1;

const DATABASE = "aws:rds/instance:Instance";
const SERVICE = "aws:ecs/service:Service";

export async function deployPlan(result: SynthResult): Promise<DeployPlan> {
  const byUrn = new Map(result.resources.map((r) => [r.urn, r]));
  const cloud = result.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
  const children = childrenByParent(result.resources);
  const waitsOn = new Map(cloud.map((r) => [r.urn, cloudDependencies(r, byUrn, children)]));

  // Earliest start and end of each resource, and the dependency that made it wait longest.
  const end = new Map<string, number>();
  const start = new Map<string, number>();
  const latestDep = new Map<string, string | undefined>();
  const order = topological(cloud, waitsOn);
  for (const r of order) {
    let begin = 0;
    let last: string | undefined;
    for (const d of waitsOn.get(r.urn) ?? []) {
      const e = end.get(d) ?? 0;
      if (last === undefined || e > begin) {
        begin = e;
        last = d;
      }
    }
    start.set(r.urn, begin);
    end.set(r.urn, begin + creationTime(r).minutes);
    latestDep.set(r.urn, last);
  }
  const scheduled = (urn: string): ScheduledResource => {
    const r = byUrn.get(urn)!;
    return { urn, name: r.name, type: r.type, start: start.get(urn)!, end: end.get(urn)!, time: creationTime(r) };
  };
  const schedule = order
    .map((r) => scheduled(r.urn))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.urn.localeCompare(b.urn));

  const last = schedule.reduce<ScheduledResource | undefined>(
    (m, s) => (m === undefined || s.end > m.end ? s : m),
    undefined,
  );
  const criticalPath = last === undefined ? [] : backtrack(last.urn, latestDep).map(scheduled);

  const violations = await evaluate(result.resources, readinessPolicies);
  const chain = mandatoryChain(order, waitsOn, byUrn);
  return {
    stack: result.stack,
    schedule,
    criticalPath,
    criticalMinutes: last?.end ?? 0,
    ...(chain === undefined ? {} : { mandatoryChain: { path: chain.path.map(scheduled), minutes: chain.minutes } }),
    readiness: { rules: readinessPolicies.map((p) => p.name), violations },
  };
}

/**
 * The cloud resources `r` waits for: its dependencies, with a component standing for every cloud resource inside it
 * (the engine waits for a component's children) and providers left out (they exist before anything is created).
 */
function cloudDependencies(
  r: RecordedResource,
  byUrn: Map<string, RecordedResource>,
  children: Map<string, RecordedResource[]>,
): string[] {
  const expand = (urn: string): string[] => {
    const d = byUrn.get(urn);
    if (d === undefined || d.type.startsWith("pulumi:providers:")) return [];
    if (d.custom) return [urn];
    return (children.get(urn) ?? []).flatMap((c) => expand(c.urn));
  };
  return [...new Set(r.dependencies.flatMap(expand))].filter((u) => u !== r.urn).sort();
}

/** Resources ordered so that each comes after everything it waits for. */
function topological(resources: readonly RecordedResource[], waitsOn: Map<string, string[]>): RecordedResource[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: RecordedResource[] = [];
  const visit = (urn: string) => {
    if (done.has(urn)) return;
    if (visiting.has(urn)) throw new Error(`the dependency graph has a cycle through ${urn}`);
    visiting.add(urn);
    for (const d of waitsOn.get(urn) ?? []) if (byUrn.has(d)) visit(d);
    visiting.delete(urn);
    done.add(urn);
    out.push(byUrn.get(urn)!);
  };
  for (const r of resources) visit(r.urn);
  return out;
}

function backtrack(urn: string, latestDep: Map<string, string | undefined>): string[] {
  const path: string[] = [];
  for (let at: string | undefined = urn; at !== undefined; at = latestDep.get(at)) path.unshift(at);
  return path;
}

/**
 * The longest chain that ends at a service's steady state and passes through the database: it cannot be shortened
 * by any wiring, since the service needs the database's URL secret, which needs the database, which needs its network.
 */
function mandatoryChain(
  order: readonly RecordedResource[],
  waitsOn: Map<string, string[]>,
  byUrn: Map<string, RecordedResource>,
): { path: string[]; minutes: number } | undefined {
  const databases = order.filter((r) => r.type === DATABASE);
  const services = order.filter((r) => r.type === SERVICE);
  if (databases.length === 0 || services.length === 0) return undefined;
  // Longest path ending at each resource (to the database) and, past a database, the longest path through one.
  const toHere = new Map<string, { minutes: number; from?: string }>();
  const throughDb = new Map<string, { minutes: number; from?: string }>();
  for (const r of order) {
    const own = creationTime(r).minutes;
    const deps = waitsOn.get(r.urn) ?? [];
    const best = (table: Map<string, { minutes: number }>) =>
      deps.reduce<{ minutes: number; from?: string }>(
        (m, d) => ((table.get(d)?.minutes ?? -1) > m.minutes ? { minutes: table.get(d)!.minutes, from: d } : m),
        { minutes: -1 },
      );
    const before = best(toHere);
    toHere.set(r.urn, { minutes: Math.max(before.minutes, 0) + own, ...(before.from ? { from: before.from } : {}) });
    if (r.type === DATABASE) throughDb.set(r.urn, toHere.get(r.urn)!);
    else {
      const via = best(throughDb);
      if (via.minutes >= 0) throughDb.set(r.urn, { minutes: via.minutes + own, from: via.from! });
    }
  }
  const end = services
    .filter((s) => throughDb.has(s.urn))
    .reduce<RecordedResource | undefined>(
      (m, s) => (m === undefined || throughDb.get(s.urn)!.minutes > throughDb.get(m.urn)!.minutes ? s : m),
      undefined,
    );
  if (end === undefined) return undefined;
  const path: string[] = [];
  let at: string | undefined = end.urn;
  let table = throughDb;
  while (at !== undefined) {
    path.unshift(at);
    if (byUrn.get(at)?.type === DATABASE) table = toHere;
    at = table.get(at)?.from;
  }
  return { path, minutes: throughDb.get(end.urn)!.minutes };
}

const minutes = (m: number) => m.toFixed(1).padStart(5);

/** The plan as text: slow resources, critical path, mandatory chain, readiness. */
export function renderPlan(plan: DeployPlan): string {
  const lines = [
    `Deploy plan of ${plan.stack}: a first \`pulumi up\` (typical creation times: synth/creation-times.ts)`,
    "",
    "Resources taking a minute or more (start → end, minutes):",
  ];
  for (const s of plan.schedule.filter((x) => x.time.minutes >= 1)) {
    lines.push(`  ${minutes(s.start)} → ${minutes(s.end)}  ${s.name} (${s.type})`);
  }
  const quick = plan.schedule.filter((x) => x.time.minutes < 1).length;
  lines.push(`  and ${quick} quicker resources`, "");
  lines.push(`Critical path: ${plan.criticalMinutes.toFixed(1)} min`);
  for (const s of plan.criticalPath) {
    lines.push(`  ${minutes(s.start)} → ${minutes(s.end)}  ${s.name} (${s.type})`);
  }
  lines.push("");
  const chain = plan.mandatoryChain;
  if (chain === undefined) {
    lines.push("Mandatory chain: none (no database feeding a service)");
  } else {
    const limit = chain.minutes * CRITICAL_PATH_ALLOWANCE;
    lines.push(
      `Mandatory chain (network → database → secret value → task definition → service steady state): ${chain.minutes.toFixed(1)} min`,
      `  ${chain.path.map((s) => s.name).join(" → ")}`,
      plan.criticalMinutes <= limit + 1e-9
        ? `  the critical path is within 10 % of it (${plan.criticalMinutes.toFixed(1)} ≤ ${limit.toFixed(1)} min)`
        : `  the critical path exceeds it by more than 10 % (${plan.criticalMinutes.toFixed(1)} > ${limit.toFixed(1)} min): something waits that need not`,
    );
  }
  lines.push("");
  const v = plan.readiness.violations;
  lines.push(
    v.length === 0
      ? `Readiness checks: ${plan.readiness.rules.length} passed (${plan.readiness.rules.join(", ")})`
      : `Readiness checks: ${v.length} failed`,
    ...v.map((x) => `  [${x.policy}] ${x.message}`),
  );
  return `${lines.join("\n")}\n`;
}
