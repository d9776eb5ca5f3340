import * as pulumi from "@pulumi/pulumi";
import type * as EcsSdk from "@aws-sdk/client-ecs";

type EcsModule = typeof EcsSdk;

/** What the check compares: plain values, as the dynamic provider receives them. */
export interface ReleaseCheckInputs {
  readonly region: string;
  readonly cluster: string;
  readonly service: string;
  /** The task definition (with its revision) the update asked the service to run. */
  readonly taskDefinition: string;
}

/** The service's deployments as DescribeServices returns them (the fields the check reads). */
export interface Deployment {
  readonly status?: string;
  readonly taskDefinition?: string;
  readonly rolloutState?: string;
  readonly rolloutStateReason?: string;
}

/**
 * Why the release did not land, or undefined when the primary deployment runs the requested revision and its rollout
 * completed. Pure. A circuit-breaker rollback leaves a PRIMARY deployment on the previous revision, which the
 * provider's `waitForSteadyState` reports as a success.
 */
export function releaseProblem(requested: string, deployments: readonly Deployment[]): string | undefined {
  const primary = deployments.find((d) => d.status === "PRIMARY");
  if (primary === undefined) return "the service has no primary deployment";
  if (primary.taskDefinition !== requested) {
    const failed = deployments.find((d) => d.taskDefinition === requested);
    const why = failed?.rolloutStateReason ?? primary.rolloutStateReason;
    return `the service runs ${primary.taskDefinition ?? "an unknown revision"}, not ${requested}: ECS rolled the release back${why ? ` (${why})` : ""}`;
  }
  if (primary.rolloutState === "FAILED") {
    return `the release of ${requested} failed${primary.rolloutStateReason ? ` (${primary.rolloutStateReason})` : ""}`;
  }
  return undefined;
}

/**
 * After each release (a new task definition on the service), reads the service and fails the `pulumi up` unless the
 * primary deployment runs the requested revision: upstream providers report success when the circuit breaker rolled
 * a release back. Runs on `pulumi up` only (never in a preview or the offline synth); a destroy reads nothing.
 */
export const releaseCheckProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id: string, olds: ReleaseCheckInputs, news: ReleaseCheckInputs): Promise<pulumi.dynamic.DiffResult> {
    const changed = (["taskDefinition", "service", "cluster", "region"] as const).filter((k) => olds[k] !== news[k]);
    return Promise.resolve({ changes: changed.length > 0, replaces: [], deleteBeforeReplace: false });
  },
  async create(inputs: ReleaseCheckInputs): Promise<pulumi.dynamic.CreateResult> {
    await checkRelease(inputs);
    return { id: `${inputs.service}@${inputs.taskDefinition}`, outs: inputs };
  },
  async update(_id: string, _olds: ReleaseCheckInputs, news: ReleaseCheckInputs): Promise<pulumi.dynamic.UpdateResult> {
    await checkRelease(news);
    return { outs: news };
  },
  async delete(): Promise<void> {},
};

/** DescribeServices, then {@link releaseProblem}. Throws with what ECS says. */
export async function checkRelease(inputs: ReleaseCheckInputs): Promise<void> {
  // Required here, not imported: the dynamic provider is serialised with its code.
  const ecs = require("@aws-sdk/client-ecs") as EcsModule;
  const client = new ecs.ECSClient({ region: inputs.region });
  const described = await client.send(
    new ecs.DescribeServicesCommand({ cluster: inputs.cluster, services: [inputs.service] }),
  );
  const service = described.services?.[0];
  const problem =
    service === undefined
      ? "the service was not found"
      : releaseProblem(inputs.taskDefinition, service.deployments ?? []);
  if (problem !== undefined) {
    throw new Error(
      `release check of ${inputs.service}: ${problem}; see the service's events (docs/runbooks/rollback.md)`,
    );
  }
}

/** The release check of a service: wait for it before anything that assumes the new revision serves. */
export class EcsReleaseCheck extends pulumi.dynamic.Resource {
  constructor(
    name: string,
    args: { [K in keyof ReleaseCheckInputs]: pulumi.Input<ReleaseCheckInputs[K]> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(releaseCheckProvider, name, { ...args }, opts);
  }
}
