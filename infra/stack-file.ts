import { closest, distance } from "fastest-levenshtein";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { PREVIEW_STACK, stackFileOf } from "./config";

/** A stack's config as the Pulumi CLI would hand it to the program: `<namespace>:<key>` → text. */
export interface StackFileConfig {
  readonly project: string;
  readonly stack: string;
  readonly config: Record<string, string>;
  /** Full keys whose value is `secure:` in the stack file (the synth puts a placeholder there, still secret). */
  readonly secretKeys: string[];
  /** The folder the stack file was read from: the project's. */
  readonly dir?: string;
  /** The values of `appSecrets` stored in plain text beside encrypted ones (see {@link plainSecretPathsOf}). */
  readonly plainSecretPaths?: readonly string[];
}

export class SynthInputError extends Error {
  override readonly name = "SynthInputError";
}

/**
 * What `Pulumi.yaml` of the project in `dir` says, read once: the project name (undefined when missing), and the
 * folder of the stack files: the project folder, or the `stackConfigDir` it names ("Config directory location
 * relative to the location of Pulumi.yaml", Pulumi project file reference).
 */
function projectFile(dir: string): { name: string | undefined; stackDir: string } {
  const file = join(dir, "Pulumi.yaml");
  if (!existsSync(file)) throw new SynthInputError(`no Pulumi.yaml in ${dir}`);
  const doc = (parse(readFileSync(file, "utf8")) as { name?: unknown; stackConfigDir?: unknown } | null) ?? {};
  const { name, stackConfigDir } = doc;
  return {
    name: typeof name === "string" && name !== "" ? name : undefined,
    stackDir: typeof stackConfigDir === "string" && stackConfigDir !== "" ? join(dir, stackConfigDir) : dir,
  };
}

/** The project name of a parsed `Pulumi.yaml`, which must have one. */
function nameOf(dir: string, project: { name: string | undefined }): string {
  if (project.name === undefined) throw new SynthInputError(`${join(dir, "Pulumi.yaml")} has no project name`);
  return project.name;
}

/** The project name from `Pulumi.yaml`. */
export function readProjectName(dir: string): string {
  return nameOf(dir, projectFile(dir));
}

/** The folder of the project's stack files (see {@link projectFile}). */
export function stackFileDir(dir: string): string {
  return projectFile(dir).stackDir;
}

/** The stacks that have a `Pulumi.<stack>.yaml` in the project's stack-file folder, sorted. */
export function listStacks(dir: string): string[] {
  const files = stackFileDir(dir);
  if (!existsSync(files)) return [];
  return readdirSync(files)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/**
 * Reads `Pulumi.<stack>.yaml` the way the CLI does: numbers, booleans, lists and objects become their JSON text, and
 * an encrypted `secure:` value (which only the stack's secrets provider can decrypt) becomes a placeholder that stays
 * marked secret.
 */
export function readStackFile(dir: string, stack: string): StackFileConfig {
  const projectYaml = projectFile(dir);
  const project = nameOf(dir, projectYaml);
  const file = join(projectYaml.stackDir, stackFileOf(stack));
  // A pr-<n> stack needs no file of its own: the program derives its config from staging's.
  if (!existsSync(file) && PREVIEW_STACK.test(stack)) {
    return { project, stack, config: {}, secretKeys: [], dir, plainSecretPaths: [] };
  }
  if (!existsSync(file)) {
    const stacks = listStacks(dir);
    const near = stacks.length === 0 ? undefined : closest(stack, stacks);
    // Close enough to be a typo: a third of the name (qa is not a typo of dev).
    const hint =
      near !== undefined && distance(stack, near) <= Math.max(1, Math.floor(stack.length / 3))
        ? `; did you mean "${near}"?`
        : "";
    throw new SynthInputError(
      `no stack file ${stackFileOf(stack)} (stacks here: ${[...stacks, "pr-<n>"].join(", ")})${hint}`,
    );
  }
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new SynthInputError(`${stackFileOf(stack)} is not valid YAML: ${(e as Error).message}`);
  }
  const entries = (doc as { config?: unknown } | null)?.config ?? {};
  if (typeof entries !== "object" || entries === null || Array.isArray(entries)) {
    throw new SynthInputError(`${stackFileOf(stack)}: "config" must be a mapping of <project>:<key> to values`);
  }
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const plainSecretPaths: string[] = [];
  for (const [rawKey, value] of Object.entries(entries as Record<string, unknown>)) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    if (key === `${project}:appSecrets`) plainSecretPaths.push(...plainSecretPathsOf(value));
    // The synth cannot decrypt: each `secure:` value is a placeholder, and its key is marked secret. That holds for a
    // value inside an object too (`pulumi config set --secret --path 'appSecrets.stripe'`): the CLI then hands the
    // program the whole key as a secret, and so does the synth.
    const { plain, secure } = withPlaceholders(value);
    config[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
    if (secure) secretKeys.push(key);
  }
  return { project, stack, config, secretKeys: secretKeys.sort(), dir, plainSecretPaths };
}

/**
 * The values of a stack file's `appSecrets` stored in plain text beside encrypted ones, as `appSecrets.<name>`:
 * added with `pulumi config set --path` but without `--secret`. The CLI then still hands the program the whole key
 * as a secret, so only the file shows it. (An `appSecrets` with no encrypted value at all is the config's own
 * "must be set with --secret" error.)
 */
export function plainSecretPathsOf(appSecrets: unknown): string[] {
  return withPlaceholders(appSecrets).secure ? plainLeaves(appSecrets, "appSecrets") : [];
}

/** The paths of the values that are not `secure:` in a value read from YAML. */
function plainLeaves(value: unknown, path: string): string[] {
  if (isSecure(value)) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => plainLeaves(item, `${path}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([name, item]) => plainLeaves(item, `${path}.${name}`));
  }
  return [path];
}

/** The value with every nested `secure:` value replaced by a placeholder, and whether there was one. */
function withPlaceholders(value: unknown): { plain: unknown; secure: boolean } {
  if (isSecure(value)) return { plain: "synth-placeholder-secret", secure: true };
  if (Array.isArray(value)) {
    const items = value.map(withPlaceholders);
    return { plain: items.map((i) => i.plain), secure: items.some((i) => i.secure) };
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => [k, withPlaceholders(v)] as const);
    return {
      plain: Object.fromEntries(entries.map(([k, v]) => [k, v.plain])),
      secure: entries.some(([, v]) => v.secure),
    };
  }
  return { plain: value, secure: false };
}

function isSecure(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    "secure" in value
  );
}
