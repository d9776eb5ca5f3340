// The examples in the README and docs are real: every stack file shown there must pass the config check.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseConfig } from "../infra/parse-config";
import { readStackFile } from "../infra/stack-file";
import { resolveSettings } from "../infra/environments";
import { REPO } from "./helpers/synth";
import { tempDir } from "./helpers/temp";

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
  // The build contexts an example names are the reader's folders: give them one (with a Dockerfile) to be checked.
  const services = (config["saas-platform:services"] ?? {}) as Record<string, { build?: { context?: string } }>;
  const contexts = [
    (config["saas-platform:api"] as { build?: { context?: string } } | undefined)?.build?.context ?? ".",
    ...Object.values(services).flatMap((service) => (service.build?.context ? [service.build.context] : [])),
  ];
  const cwd = join(tempDir("docs-example"), "repo");
  mkdirSync(cwd, { recursive: true });
  for (const context of contexts) {
    mkdirSync(join(cwd, context), { recursive: true });
    writeFileSync(join(cwd, context, "Dockerfile"), "FROM scratch\n");
  }
  // Read as the CLI reads it, `secure:` values (nested ones too) marking their key secret.
  writeFileSync(join(cwd, "Pulumi.yaml"), "name: saas-platform\nruntime: nodejs\n");
  writeFileSync(join(cwd, `Pulumi.${stack}.yaml`), text);
  const file = readStackFile(cwd, stack);
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const values = Object.fromEntries(
      Object.entries(file.config).map(([k, v]) => [k.replace(/^saas-platform:/, ""), v]),
    );
    const secretKeys = new Set(file.secretKeys.map((k) => k.replace(/^saas-platform:/, "")));
    const settings = resolveSettings(parseConfig({ project: "saas-platform", stack, values, secretKeys }));
    expect(settings.stack).toBe(stack);
  } finally {
    process.chdir(previous);
  }
});
