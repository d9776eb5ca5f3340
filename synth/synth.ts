import * as pulumi from "@pulumi/pulumi";
import { useNamePrefix } from "../components/naming";
import { readRawConfig, runProgram } from "../infra/program";
import { stagingStackName } from "../stacks/shared-platform";
import { PREVIEW_STACK } from "../infra/config";
import { createMocks, MOCK_ORGANIZATION } from "./mock-state";
import { RecordingMonitor, type RecordedResource } from "./recorder";
import { readStackFile, type StackFileConfig } from "../infra/stack-file";

/** Everything one run of the program declared, in a stable order. */
export interface SynthResult {
  readonly project: string;
  readonly stack: string;
  /** Sorted by URN. */
  readonly resources: readonly RecordedResource[];
  readonly outputs: Record<string, unknown>;
  /** Names of the stack outputs that are secret. */
  readonly secretOutputs: readonly string[];
  /** The stacks the program read through a StackReference, by fully qualified name. */
  readonly stackReferences: readonly string[];
}

/** What the synth stands in for besides the stack file. */
export interface SynthOptions {
  /** Outputs of other stacks by fully qualified name (`organization/<project>/<stack>`), for StackReferences. */
  readonly stackOutputs?: Readonly<Record<string, Record<string, unknown>>>;
}

/** The program failed (bad config, a component's validation): its message and what was declared before. */
export class SynthError extends Error {
  override readonly name = "SynthError";
  constructor(
    message: string,
    readonly declared: readonly RecordedResource[],
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

/** The region the mocked AWS account runs in when the stack sets none (dev). */
const DEFAULT_MOCK_REGION = "eu-west-1";

/**
 * Runs the real program for `stack` (config from `Pulumi.<stack>.yaml` in `dir`) under mocks and records it. A
 * `pr-<n>` preview reads staging's outputs through a StackReference: staging is synthesised first and its outputs
 * stand in for the deployed stack's.
 */
export async function synthesize(dir: string, stack: string): Promise<SynthResult> {
  const input = readStackFile(dir, stack);
  if (!PREVIEW_STACK.test(stack)) return synthesizeConfig(input);
  return synthesizeConfig(input, { stackOutputs: await stagingOutputsFor(input, readStackFile(dir, "staging")) });
}

/** The outputs of `staging` under the name the preview `input` references it by. */
export async function stagingOutputsFor(
  input: StackFileConfig,
  staging: StackFileConfig,
): Promise<Record<string, Record<string, unknown>>> {
  return { [stagingReferenceName(input)]: (await synthesizeConfig(staging)).outputs };
}

/** The name a preview references staging by in the synth: its `stagingStack`, or the self-managed backend's default. */
export function stagingReferenceName(input: StackFileConfig): string {
  const stagingStack = input.config[`${input.project}:stagingStack`];
  return stagingStackName(MOCK_ORGANIZATION, { project: input.project, stagingStack });
}

/** Like {@link synthesize}, with the config given directly (tests use this for variants of a stack file). */
export async function synthesizeConfig(input: StackFileConfig, options: SynthOptions = {}): Promise<SynthResult> {
  // The synth has read the stack file (or a test built a variant of one): its plain-text appSecrets values count,
  // and the program need not read the file again.
  return recordProgram(input, () => runProgram(readRawConfig(input.dir, input.plainSecretPaths ?? [])), options);
}

/** Runs any program under the recording mocks with the given config; the synth and the recorder's own test use it. */
export async function recordProgram(
  input: StackFileConfig,
  program: () => Promise<Record<string, unknown>>,
  options: SynthOptions = {},
): Promise<SynthResult> {
  const region = input.config[`${input.project}:awsRegion`] ?? DEFAULT_MOCK_REGION;
  const monitor = new RecordingMonitor(
    createMocks({ region, ...(options.stackOutputs ? { stackOutputs: options.stackOutputs } : {}) }),
  );
  installMonitor(monitor, input.project, input.stack);
  pulumi.runtime.setAllConfig(input.config, input.secretKeys);
  // Each run starts from the project's name: a program sets its app's prefix itself (infra/program.ts).
  useNamePrefix(undefined);

  // The program's error is caught inside the stack's init: rethrown from there it would also reject the SDK's own
  // internal promises and surface a second time as an unhandled rejection.
  // The SDK captures a stack trace per resource and promise (for source positions and leak reports the mocks never
  // use); formatting them through source maps dominates a synth's time. SYNTH_STACK_TRACES=1 keeps them for debugging.
  const stackTraceLimit = Error.stackTraceLimit;
  if (process.env["SYNTH_STACK_TRACES"] !== "1") Error.stackTraceLimit = 0;
  let failure: unknown;
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      try {
        return await program();
      } catch (e) {
        failure = e;
        return {};
      }
    });
  } catch (e) {
    failure ??= e;
  }
  try {
    await waitForRPCs();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const resources = [...monitor.recorded.values()].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  if (failure !== undefined) {
    throw new SynthError(failure instanceof Error ? failure.message : JSON.stringify(failure), resources, failure);
  }
  return {
    project: input.project,
    stack: input.stack,
    resources,
    outputs: monitor.stackOutputs,
    secretOutputs: monitor.stackSecretOutputs,
    stackReferences: monitor.reads.filter((r) => r.type === "pulumi:pulumi:StackReference").map((r) => r.id),
  };
}

/** What `pulumi.runtime.setMocks` does, with our recording monitor in place of a plain `MockMonitor`. */
function installMonitor(monitor: RecordingMonitor, project: string, stack: string): void {
  pulumi.runtime.setMockOptions(monitor, project, stack, false, MOCK_ORGANIZATION);
  const store = (require("@pulumi/pulumi/runtime/state") as { getStore(): Record<string, unknown> }).getStore();
  Object.assign(store, {
    supportsSecrets: true,
    supportsResourceReferences: true,
    supportsOutputValues: false,
    supportsDeletedWith: true,
    supportsReplaceWith: true,
    supportsAliasSpecs: true,
    supportsTransforms: true,
    supportsInvokeTransforms: true,
    supportsParameterization: true,
    supportsResourceHooks: true,
    supportsErrorHooks: true,
    supportsInvokeDependsOn: false,
  });
}

async function waitForRPCs(): Promise<void> {
  await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
}
