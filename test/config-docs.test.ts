// docs/configuration.md's table of keys stays in step with the stack-file schema: every key a stack file may set is
// documented, and every documented key exists.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { stackConfigSchema } from "../infra/config";
import { REPO } from "./helpers/synth";

/** Every dotted path of the schema (objects and their leaves). */
function schemaPaths(schema: z.ZodType, prefix = ""): string[] {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  if (!(inner instanceof z.ZodObject)) return [];
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, child]) => {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    return [path, ...schemaPaths(child, path)];
  });
}

/** The keys the first table of docs/configuration.md documents, `a.b` / `.c` / `d` read as a.b, a.c, a.d. */
function documentedKeys(): string[] {
  const text = readFileSync(join(REPO, "docs", "configuration.md"), "utf8");
  const start = text.indexOf("| `environment`");
  const table = text.slice(start, text.indexOf("\n\n", start));
  return table.split("\n").flatMap((row) => {
    const cell = row.split("|")[1] ?? "";
    const keys = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    const first = keys[0] ?? "";
    const parent = first.includes(".") ? first.slice(0, first.lastIndexOf(".")) : "";
    return keys.map((k, i) =>
      i === 0 ? k : k.startsWith(".") ? `${parent}${k}` : k.includes(".") ? k : `${parent}.${k}`,
    );
  });
}

const paths = schemaPaths(stackConfigSchema);
const documented = documentedKeys();
const covers = (doc: string, path: string) =>
  doc === path || path.startsWith(`${doc.replace(/\.\*$/, "")}.`) || (doc.endsWith(".*") && path === doc.slice(0, -2));

test("every key a stack file may set is in docs/configuration.md", () => {
  const missing = paths.filter(
    (p) =>
      !documented.some((d) => covers(d, p)) &&
      !paths.some((q) => q.startsWith(`${p}.`) && documented.some((d) => covers(d, q))),
  );
  expect(missing).toEqual([]);
});

test("every documented key exists in the schema", () => {
  const unknown = documented.filter((d) => !paths.includes(d.replace(/\.\*$/, "")));
  expect(unknown).toEqual([]);
});
