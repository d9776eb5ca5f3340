import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RecordedResource } from "../../synth/recorder";
import { readStackFile, type StackFileConfig } from "../../infra/stack-file";
import { PREVIEW_STACK } from "../../infra/config";
import { stagingReferenceName, synthesizeConfig, SynthError, type SynthResult } from "../../synth/synth";

export const REPO = join(__dirname, "..", "..");
/**
 * The test stacks: a project folder with its own `Pulumi.yaml` and `Pulumi.<stack>.yaml`, holding the values the tests
 * assert on. The repository's own stack files are examples that belong to the user (a team sets its app name,
 * domain, port, health path, sizes there); only `test/examples.test.ts` reads them, for what stays true of any edit.
 */
export const FIXTURE_STACKS = join(__dirname, "..", "fixtures", "stacks");
/** The test stacks' build context (relative to the repository root, as build contexts are): no test needs examples/. */
export const API_CONTEXT = "test/fixtures/api";
export const PROJECT = "saas-platform";
export const STACKS = ["dev", "staging", "production"] as const;

/** A test stack's `Pulumi.<stack>.yaml` (under {@link FIXTURE_STACKS}), as the CLI would hand it over. */
export const stackFile = (stack: string): StackFileConfig => readStackFile(FIXTURE_STACKS, stack);

/** Synthesises a test stack file now (use {@link synthStack} unless the test is about the run itself). */
export const synthFresh = (stack: string): Promise<SynthResult> => synthConfig(stackFile(stack));

/**
 * Synthesises a config. A `pr-<n>` preview reads staging through a StackReference: the mocked reference returns
 * the outputs of the test staging stack's synth, as the deployed staging stack would.
 */
export async function synthConfig(config: StackFileConfig): Promise<SynthResult> {
  if (!PREVIEW_STACK.test(config.stack)) return synthesizeConfig(config);
  const staging = await synthStack("staging");
  return synthesizeConfig(config, { stackOutputs: { [stagingReferenceName(config)]: staging.outputs } });
}

/**
 * The stacks the global setup synthesises once per test run: the test stack files, production at `size: large` and a
 * preview derived from staging.
 */
export const CACHED_STACKS = ["dev", "staging", "production", "pr-42", "production-large"] as const;
export type CachedStack = (typeof CACHED_STACKS)[number];
export const SYNTH_CACHE_ENV = "SAAS_PLATFORM_SYNTH_CACHE";

export const cachedStackConfig = (stack: CachedStack): StackFileConfig =>
  stack === "pr-42"
    ? previewConfig(42)
    : stack === "production-large"
      ? variant("production", { size: "large" })
      : stackFile(stack);

/**
 * The records of a test stack (or a variant above), from the run the global setup made; synthesised here when the
 * setup did not run (a single file run by an editor integration, say).
 */
export async function synthStack(stack: CachedStack): Promise<SynthResult> {
  const dir = process.env[SYNTH_CACHE_ENV];
  const file = dir === undefined ? undefined : join(dir, `${stack}.json`);
  if (file !== undefined && existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as SynthResult;
  return synthConfig(cachedStackConfig(stack));
}

/**
 * A test stack file with some keys changed (`undefined` removes a key), optionally under another stack name, e.g. a
 * `pr-42` preview derived from staging. Keys are given without the project namespace; values as in YAML.
 */
export function variant(base: string, changes: Record<string, unknown>, stack = base): StackFileConfig {
  const file = stackFile(base);
  const config = { ...file.config };
  for (const [key, value] of Object.entries(changes)) {
    const full = `${PROJECT}:${key}`;
    if (value === undefined) delete config[full];
    else config[full] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { ...file, stack, config };
}

/** A preview stack `pr-<n>` derived from staging. */
export const previewConfig = (n: number, changes: Record<string, unknown> = {}) =>
  variant("staging", { environment: "preview", ...changes }, `pr-${n}`);

/** Synthesises a config that must fail; returns the error (the test fails if it succeeds). */
export async function synthFailure(config: StackFileConfig): Promise<SynthError> {
  try {
    await synthConfig(config);
  } catch (e) {
    if (e instanceof SynthError) return e;
    throw e;
  }
  throw new Error(`expected the synth of ${config.stack} to fail, but it succeeded`);
}

export const ofType = (result: SynthResult, type: string): RecordedResource[] =>
  result.resources.filter((r) => r.type === type);

/** The one resource of `type` named `name`; fails loudly if absent. */
export function resource(result: SynthResult, type: string, name: string): RecordedResource {
  const found = result.resources.find((r) => r.type === type && r.name === name);
  if (!found) {
    const names = ofType(result, type).map((r) => r.name);
    throw new Error(`no ${type} named ${name} (have: ${names.join(", ") || "none"})`);
  }
  return found;
}

/** Resources that would exist in a cloud or on Docker (not the stack, components or providers). */
export const physical = (result: { resources: readonly RecordedResource[] } | readonly RecordedResource[]) =>
  ("resources" in result ? result.resources : result).filter(
    (r) => r.custom && !r.type.startsWith("pulumi:providers:"),
  );

/** The environments the component tests compare; `preview` is the pr-42 stack derived from staging. */
const STACK_OF = {
  dev: "dev",
  staging: "staging",
  production: "production",
  preview: "pr-42",
  "production-large": "production-large",
} as const;

/**
 * Loads the records of the test stacks once for the test file (a `beforeAll`) and returns an accessor by
 * environment name. Call it at the top level of a test file.
 */
export function useStacks(): (env: string) => SynthResult {
  const results: Record<string, SynthResult> = {};
  beforeAll(async () => {
    for (const [env, stack] of Object.entries(STACK_OF)) results[env] = await synthStack(stack);
  });
  return (env: string) => {
    const result = results[env];
    if (!result) throw new Error(`no records for "${env}" (known: ${Object.keys(STACK_OF).join(", ")})`);
    return result;
  };
}
