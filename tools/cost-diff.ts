/**
 * `npm run cost:diff -- <base.json> <head.json> [...]`: compares cost estimates (`npm run synth -- <stack> --format
 * cost-json`) of a pull request's base and head, stack by stack (files are paired in order: base of stack 1, head of
 * stack 1, base of stack 2...), and prints a Markdown summary: the change per resource and in total.
 */
import { readFileSync } from "node:fs";
import type { CostEstimate, ResourceCost } from "../synth/cost";

const money = (v: number) => `$${v.toFixed(2)}`;
const signed = (v: number) => `${v >= 0 ? "+" : "−"}${money(Math.abs(v))}`;
const monthlyOf = (r: ResourceCost | undefined) => (r?.cost.kind === "priced" ? r.cost.monthly : 0);

/** The Markdown section for one stack. */
export function costDiff(base: CostEstimate, head: CostEstimate): string {
  const before = new Map(base.resources.map((r) => [r.urn, r]));
  const after = new Map(head.resources.map((r) => [r.urn, r]));
  const rows: Array<{ name: string; type: string; from: number; to: number }> = [];
  for (const urn of new Set([...before.keys(), ...after.keys()])) {
    const [b, a] = [before.get(urn), after.get(urn)];
    const [from, to] = [monthlyOf(b), monthlyOf(a)];
    if (Math.abs(to - from) >= 0.005) rows.push({ name: (a ?? b)!.name, type: (a ?? b)!.type, from, to });
  }
  rows.sort((x, y) => Math.abs(y.to - y.from) - Math.abs(x.to - x.from) || x.name.localeCompare(y.name));
  const delta = head.monthly - base.monthly;
  const lines = [`### ${head.stack}: ${money(base.monthly)} → ${money(head.monthly)} a month (${signed(delta)})`, ""];
  if (rows.length === 0) {
    lines.push("No change in cost.");
  } else {
    lines.push("| resource | type | before | after | change |", "|---|---|---:|---:|---:|");
    for (const r of rows) {
      lines.push(`| ${r.name} | \`${r.type}\` | ${money(r.from)} | ${money(r.to)} | ${signed(r.to - r.from)} |`);
    }
  }
  const newlyUnpriced = head.unpriced.filter((u) => !base.unpriced.some((b) => b.urn === u.urn));
  if (newlyUnpriced.length > 0) {
    lines.push("", `Not priced (not counted): ${newlyUnpriced.map((u) => `${u.name} (\`${u.type}\`)`).join(", ")}`);
  }
  return lines.join("\n");
}

/** The whole comment: a heading, each stack's section, and where the figures come from. */
export function costComment(pairs: ReadonlyArray<[CostEstimate, CostEstimate]>): string {
  const head = pairs[0]?.[1];
  return [
    "## Cost estimate",
    "",
    ...pairs.map(([b, h]) => `${costDiff(b, h)}\n`),
    `List prices of ${head?.pricesDate ?? "?"} (eu-west-1), usage assumptions in docs/cost.md; \`npm run synth -- <stack> --format cost\` shows every line.`,
  ].join("\n");
}

if (require.main === module) {
  const files = process.argv.slice(2);
  if (files.length === 0 || files.length % 2 !== 0) {
    process.stderr.write("usage: npm run cost:diff -- <base.json> <head.json> [<base.json> <head.json> ...]\n");
    process.exitCode = 2;
  } else {
    const read = (f: string) => JSON.parse(readFileSync(f, "utf8")) as CostEstimate;
    const pairs: Array<[CostEstimate, CostEstimate]> = [];
    for (let i = 0; i < files.length; i += 2) pairs.push([read(files[i]!), read(files[i + 1]!)]);
    process.stdout.write(`${costComment(pairs)}\n`);
  }
}
