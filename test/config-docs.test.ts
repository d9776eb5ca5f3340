// docs/configuration.md's table of keys stays in step with the stack-file schema: every key a stack file may set is
// documented, and every documented key exists.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
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

/** The dotted paths the YAML examples of docs/configuration.md set (each a `# Pulumi.<stack>.yaml` block). */
function examplePaths(): string[] {
  const text = readFileSync(join(REPO, "docs", "configuration.md"), "utf8");
  const blocks = [...text.matchAll(/```yaml\n# Pulumi\.[\w-]+\.yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const walk = (value: unknown, prefix: string): string[] =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? Object.entries(value).flatMap(([k, v]) => {
          const path = prefix === "" ? k : `${prefix}.${k}`;
          return [path, ...walk(v, path)];
        })
      : [];
  return blocks.flatMap((block) => {
    const config = (parse(block) as { config: Record<string, unknown> }).config;
    return Object.entries(config).flatMap(([key, value]) => {
      const top = key.replace(/^saas-platform:/, "");
      return [top, ...walk(value, top)];
    });
  });
}

test("the examples of a complete stack file set every key of the schema", () => {
  const shown = new Set(examplePaths());
  // Alternatives shown as comments, since one file cannot hold both: dns.accountId beside dns.zoneId.
  const alternatives = ["dns.accountId"];
  expect(paths.filter((p) => !shown.has(p) && !alternatives.includes(p))).toEqual([]);
});
