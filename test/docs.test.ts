// The examples in the README and docs are real: every stack file shown there must pass the config check.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseConfig } from "../infra/parse-config";
import { resolveSettings } from "../infra/environments";
import { REPO } from "./helpers/synth";

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith(".md") ? [join(dir, e.name)] : [],
  );
}

const examples = [join(REPO, "README.md"), ...markdownFiles(join(REPO, "docs"))].flatMap((file) =>
  [...readFileSync(file, "utf8").matchAll(/```yaml\n(# (Pulumi\.([\w-]+)\.yaml)\n[\s\S]*?)```/g)].map(
    (m) => [`${file.slice(REPO.length + 1)}: ${m[2]}`, m[3]!, m[1]!] as const,
  ),
);

test.each(examples)("%s is a valid stack file", (_name, stack, text) => {
  const config = (parse(text) as { config: Record<string, unknown> }).config;
  const values = Object.fromEntries(
    Object.entries(config).map(([k, v]) => [
      k.replace(/^saas-platform:/, ""),
      typeof v === "string" ? v : JSON.stringify(v),
    ]),
  );
  const settings = resolveSettings(parseConfig({ project: "saas-platform", stack, values, secretKeys: new Set() }));
  expect(settings.stack).toBe(stack);
});
