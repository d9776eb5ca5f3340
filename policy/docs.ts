/**
 * The rules table in the README, generated from the pack (`npm run docs:policy` rewrites it; a test fails when the
 * README is stale), so the list is never written twice.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { policies } from "./rules";

export const START = "<!-- policy-rules:start -->";
export const END = "<!-- policy-rules:end -->";

export function rulesTable(): string {
  return [
    "| rule | what it requires | level |",
    "|---|---|---|",
    ...policies.map(
      (p) => `| \`${p.name}\` | ${p.description.replace(/([|*_])/g, "\\$1")} | ${p.enforcementLevel ?? "advisory"} |`,
    ),
  ].join("\n");
}

/** The README with the table between the markers replaced. */
export function withRulesTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}`);
  return `${readme.slice(0, start + START.length)}\n\n${rulesTable()}\n\n${readme.slice(end)}`;
}

if (require.main === module) {
  const file = join(__dirname, "..", "README.md");
  writeFileSync(file, withRulesTable(readFileSync(file, "utf8")));
}
