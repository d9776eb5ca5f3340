// The examples in the README and docs are real: every stack file shown there must pass the config check.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
  // The build context an example names is the reader's folder: give it one (with a Dockerfile) to be checked against.
  const context = (config["saas-platform:api"] as { build?: { context?: string } } | undefined)?.build?.context;
  const cwd = join(mkdtempSync(join(tmpdir(), "docs-example-")), "repo");
  mkdirSync(cwd, { recursive: true });
  mkdirSync(join(cwd, context ?? "."), { recursive: true });
  writeFileSync(join(cwd, context ?? ".", "Dockerfile"), "FROM scratch\n");
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const values = Object.fromEntries(
      Object.entries(config).map(([k, v]) => [
        k.replace(/^saas-platform:/, ""),
        typeof v === "string" ? v : JSON.stringify(v),
      ]),
    );
    const settings = resolveSettings(parseConfig({ project: "saas-platform", stack, values, secretKeys: new Set() }));
    expect(settings.stack).toBe(stack);
  } finally {
    process.chdir(previous);
  }
});
