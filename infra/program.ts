import * as pulumi from "@pulumi/pulumi";
import { cloudStack } from "../stacks/cloud";
import { localStack } from "../stacks/local";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PREVIEW_STACK, stackFileOf, type RawStackConfig } from "./config";
import { readStackFile, stackFileDir } from "./stack-file";
import { loadSettings } from "./environments";
import { createProviders } from "./providers";
import { useNamePrefix } from "../components/naming";

import type { StackOutputs } from "../stacks/outputs";

/**
 * The whole program for one stack: validate the config (throwing before any resource is declared), fill the
 * environment's preset, create the explicit providers and declare the topology. Used by `infra/index.ts` under the
 * real engine and by the offline synth under mocks.
 */
export async function runProgram(raw: RawStackConfig): Promise<StackOutputs> {
  const settings = loadSettings(raw);
  // Every physical name from here on starts with the app's prefix, not the project directory's name.
  useNamePrefix(settings.namePrefix);
  const providers = createProviders(settings);
  return providers.target === "aws" ? await cloudStack(settings, providers) : localStack(settings, providers);
}

/** The 'is this key a secret' check of the Pulumi runtime; not in its typings but what `Config.get` itself uses. */
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };
const isConfigSecret = (key: string): boolean => runtimeConfig.isConfigSecret(key);

/**
 * The project folder, where `Pulumi.yaml` and the stack files are: the engine's root directory
 * (`pulumi.runtime.getRootDirectory()`, "the location of the Pulumi.yaml file", which the language host passes in
 * PULUMI_NODEJS_ROOT_DIRECTORY), which `main: infra/index.ts` does not move; under mocks, which set none (the SDK
 * then answers a placeholder), the working directory.
 */
function projectFolder(): string {
  const root = pulumi.runtime.getRootDirectory();
  return root !== "" && existsSync(join(root, "Pulumi.yaml")) ? root : process.cwd();
}

/**
 * Reads this project's config of the current stack, as the engine (or `setAllConfig` under mocks) provides it, and
 * from the stack's own file in `projectDir` the `appSecrets` values it holds in plain text, which the engine hands
 * over as secrets like the rest. A caller that has read the file already (the synth) gives those paths instead.
 */
export function readRawConfig(
  projectDir: string = projectFolder(),
  plainSecretPaths: readonly string[] = plainSecretPathsIn(projectDir, pulumi.getStack()),
): RawStackConfig {
  const project = pulumi.getProject();
  const prefix = `${project}:`;
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!key.startsWith(prefix)) continue;
    const short = key.slice(prefix.length);
    values[short] = value;
    if (isConfigSecret(key)) secretKeys.add(short);
  }
  const stack = pulumi.getStack();
  const raw: RawStackConfig = { project, stack, values, secretKeys, plainSecretPaths };
  return PREVIEW_STACK.test(stack) && !("environment" in values) ? derivePreviewConfig(raw, projectDir) : raw;
}

/** The plain-text `appSecrets` values of the stack's own file in the project folder, if it has one there. */
function plainSecretPathsIn(projectDir: string, stack: string): readonly string[] {
  const ownFile =
    existsSync(join(projectDir, "Pulumi.yaml")) && existsSync(join(stackFileDir(projectDir), stackFileOf(stack)));
  return ownFile ? (readStackFile(projectDir, stack).plainSecretPaths ?? []) : [];
}

/**
 * A `pr-<n>` stack without its own `environment` takes staging's plain settings (same account, region, zone and
 * sizes come from the preview preset), with its own keys on top. Staging's encrypted values are left out: they are
 * encrypted for staging's stack, and a preview must set its own secrets.
 */
export function derivePreviewConfig(raw: RawStackConfig, projectDir: string): RawStackConfig {
  const staging = readStackFile(projectDir, "staging");
  const prefix = `${raw.project}:`;
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(staging.config)) {
    if (key.startsWith(prefix) && !staging.secretKeys.includes(key)) base[key.slice(prefix.length)] = value;
  }
  const values: Record<string, string> = { ...base, environment: "preview", ...raw.values };
  // A preview's own `web` (staging's project id and the PR's branch) replaces staging's, but the variable name the
  // frontend reads must stay the one staging's project uses.
  const web = previewWeb(base["web"], raw.values["web"]);
  if (web !== undefined) values["web"] = web;
  return { ...raw, values };
}

/** The preview's `web` with staging's `apiUrlVariable` when it sets none itself (undefined: leave as is). */
function previewWeb(stagingWeb: string | undefined, ownWeb: string | undefined): string | undefined {
  if (stagingWeb === undefined || ownWeb === undefined) return undefined;
  const parse = (text: string): Record<string, unknown> | undefined => {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === "object" && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  };
  const staging = parse(stagingWeb);
  const own = parse(ownWeb);
  // Anything unparsable is left for the config check to report.
  if (staging?.["apiUrlVariable"] === undefined || own === undefined || "apiUrlVariable" in own) return undefined;
  return JSON.stringify({ ...own, apiUrlVariable: staging["apiUrlVariable"] });
}
