// The release check and the run's declaration (components/ecs-task-run/release-check.ts, task-run.ts): every verdict
// the check gives on what ECS answers, the exact messages a failed `pulumi up` shows, what it asks ECS, and what a
// run declares (inputs, default timeout, limits, dependencies, secrets).
const send = jest.fn();
jest.mock("@aws-sdk/client-ecs", () => {
  class Command {
    constructor(readonly input: unknown) {}
  }
  return {
    ECSClient: jest.fn(() => ({ send })),
    DescribeServicesCommand: class DescribeServicesCommand extends Command {},
    RunTaskCommand: class RunTaskCommand extends Command {},
    DescribeTasksCommand: class DescribeTasksCommand extends Command {},
    StopTaskCommand: class StopTaskCommand extends Command {},
    waitUntilTasksStopped: jest.fn(async () => ({ state: "SUCCESS" })),
  };
});

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as ecs from "@aws-sdk/client-ecs";
import {
  checkRelease,
  EcsReleaseCheck,
  EcsTaskRun,
  releaseCheckProvider,
  releaseProblem,
  TASK_RUN_TIMEOUT_SECONDS,
  taskRunTimeoutProblem,
  type EcsTaskRunArgs,
} from "../../components/ecs-task-run";
import { recordProgram, type SynthError, type SynthResult } from "../../synth/synth";
import { resource } from "../helpers/synth";

const TD = (rev: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/saas-platform-production-api:${rev}`;
const SERVICE = "saas-platform-production-api";
const CHECK = { region: "eu-west-1", cluster: "c", service: SERVICE, taskDefinition: TD(8) };
const BREAKER = "ECS deployment circuit breaker: tasks failed to start.";
const COMPLETED = "ECS deployment ecs-svc/1 completed.";
const RUNBOOK = "; see the service's events (docs/runbooks/rollback.md)";
const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

const commands = () => send.mock.calls.map(([c]) => [c.constructor.name, c.input] as const);
/** The message a promise rejects with; fails the test if it resolves. */
async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a failure, but it succeeded");
}
/** DescribeServices answers one service with these deployments. */
const answer = (...deployments: object[]) => send.mockResolvedValueOnce({ services: [{ deployments }] });

beforeEach(() => {
  send.mockReset();
  (ecs.ECSClient as unknown as jest.Mock).mockClear();
});

describe("the release check's verdict on the service's deployments", () => {
  test("passes when the primary deployment runs the requested revision and completed, whatever else is listed", () => {
    expect(
      releaseProblem(TD(8), [
        { status: "ACTIVE", taskDefinition: TD(7), rolloutState: "COMPLETED" },
        { status: "PRIMARY", taskDefinition: TD(8), rolloutState: "COMPLETED", rolloutStateReason: COMPLETED },
      ]),
    ).toBeUndefined();
  });

  test("passes a primary deployment on the requested revision that has not failed (in progress)", () => {
    expect(releaseProblem(TD(8), [{ status: "PRIMARY", taskDefinition: TD(8), rolloutState: "IN_PROGRESS" }])).toBe(
      undefined,
    );
  });

  test("judges the PRIMARY deployment, not the first one listed", () => {
    // The failed release is listed first: only the primary says the service was rolled back.
    expect(
      releaseProblem(TD(8), [
        { status: "ACTIVE", taskDefinition: TD(8), rolloutState: "FAILED", rolloutStateReason: BREAKER },
        { status: "PRIMARY", taskDefinition: TD(7), rolloutState: "COMPLETED" },
      ]),
    ).toBe(`the service runs ${TD(7)}, not ${TD(8)}: ECS rolled the release back (${BREAKER})`);
  });

  test("a rollback gives the failed deployment's reason, not the primary's", () => {
    expect(
      releaseProblem(TD(8), [
        { status: "PRIMARY", taskDefinition: TD(7), rolloutState: "COMPLETED", rolloutStateReason: COMPLETED },
        { status: "ACTIVE", taskDefinition: TD(8), rolloutState: "FAILED", rolloutStateReason: BREAKER },
      ]),
    ).toBe(`the service runs ${TD(7)}, not ${TD(8)}: ECS rolled the release back (${BREAKER})`);
  });

  test("a rollback whose failed deployment is gone, or gave no reason, gives the primary's reason", () => {
    expect(
      releaseProblem(TD(8), [
        { status: "PRIMARY", taskDefinition: TD(7), rolloutState: "COMPLETED", rolloutStateReason: BREAKER },
      ]),
    ).toBe(`the service runs ${TD(7)}, not ${TD(8)}: ECS rolled the release back (${BREAKER})`);
    expect(
      releaseProblem(TD(8), [
        { status: "PRIMARY", taskDefinition: TD(7), rolloutState: "COMPLETED", rolloutStateReason: BREAKER },
        { status: "ACTIVE", taskDefinition: TD(8), rolloutState: "FAILED" },
      ]),
    ).toBe(`the service runs ${TD(7)}, not ${TD(8)}: ECS rolled the release back (${BREAKER})`);
  });

  test("a rollback without any reason from ECS adds none", () => {
    expect(
      releaseProblem(TD(8), [
        { status: "PRIMARY", taskDefinition: TD(7), rolloutState: "COMPLETED" },
        { status: "ACTIVE", taskDefinition: TD(8), rolloutState: "FAILED" },
      ]),
    ).toBe(`the service runs ${TD(7)}, not ${TD(8)}: ECS rolled the release back`);
  });

  test("a primary deployment without a task definition is reported as an unknown revision", () => {
    expect(releaseProblem(TD(8), [{ status: "PRIMARY", rolloutState: "COMPLETED" }])).toBe(
      `the service runs an unknown revision, not ${TD(8)}: ECS rolled the release back`,
    );
  });

  test("a failed rollout of the requested revision fails, with ECS's reason when it gives one", () => {
    expect(
      releaseProblem(TD(8), [
        { status: "PRIMARY", taskDefinition: TD(8), rolloutState: "FAILED", rolloutStateReason: BREAKER },
      ]),
    ).toBe(`the release of ${TD(8)} failed (${BREAKER})`);
    expect(releaseProblem(TD(8), [{ status: "PRIMARY", taskDefinition: TD(8), rolloutState: "FAILED" }])).toBe(
      `the release of ${TD(8)} failed`,
    );
  });

  test("a service without a primary deployment fails, whatever other deployments it lists", () => {
    expect(releaseProblem(TD(8), [])).toBe("the service has no primary deployment");
    expect(
      releaseProblem(TD(8), [
        { status: "ACTIVE", taskDefinition: TD(8), rolloutState: "COMPLETED" },
        { status: "INACTIVE", taskDefinition: TD(7) },
      ]),
    ).toBe("the service has no primary deployment");
  });
});

describe("the release check against ECS", () => {
  test("asks ECS, in the service's region, for that one service in its cluster", async () => {
    answer({ status: "PRIMARY", taskDefinition: TD(8), rolloutState: "COMPLETED" });
    await expect(checkRelease(CHECK)).resolves.toBeUndefined();
    expect(ecs.ECSClient).toHaveBeenCalledWith({ region: "eu-west-1" });
    expect(commands()).toEqual([["DescribeServicesCommand", { cluster: "c", services: [SERVICE] }]]);
  });

  test("a rolled-back release fails the up with the service, the problem and the runbook", async () => {
    answer(
      { status: "PRIMARY", taskDefinition: TD(7), rolloutState: "COMPLETED" },
      { status: "ACTIVE", taskDefinition: TD(8), rolloutState: "FAILED", rolloutStateReason: BREAKER },
    );
    expect(await failureOf(checkRelease(CHECK))).toBe(
      `release check of ${SERVICE}: the service runs ${TD(7)}, not ${TD(8)}: ECS rolled the release back (${BREAKER})${RUNBOOK}`,
    );
  });

  test("a service ECS does not return (an empty list or no list at all) fails as not found", async () => {
    send.mockResolvedValueOnce({ services: [], failures: [{ reason: "MISSING" }] });
    expect(await failureOf(checkRelease(CHECK))).toBe(
      `release check of ${SERVICE}: the service was not found${RUNBOOK}`,
    );
    send.mockResolvedValueOnce({});
    expect(await failureOf(checkRelease(CHECK))).toBe(
      `release check of ${SERVICE}: the service was not found${RUNBOOK}`,
    );
  });

  test("a service without deployments fails as having no primary deployment", async () => {
    send.mockResolvedValueOnce({ services: [{ serviceName: SERVICE }] });
    expect(await failureOf(checkRelease(CHECK))).toBe(
      `release check of ${SERVICE}: the service has no primary deployment${RUNBOOK}`,
    );
  });
});

describe("the release check as a dynamic provider", () => {
  const olds = { ...CHECK };

  test("checks again when the task definition, service, cluster or region changes, in place", async () => {
    for (const change of [
      { taskDefinition: TD(9) },
      { service: "other" },
      { cluster: "other" },
      { region: "us-east-1" },
    ]) {
      expect(await releaseCheckProvider.diff!(SERVICE, olds, { ...CHECK, ...change })).toEqual({
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
    }
  });

  test("does not check again when nothing it compares changed", async () => {
    expect(await releaseCheckProvider.diff!(SERVICE, olds, { ...CHECK })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  test("a create checks the release and is named after the service and revision", async () => {
    answer({ status: "PRIMARY", taskDefinition: TD(8), rolloutState: "COMPLETED" });
    expect(await releaseCheckProvider.create(CHECK)).toEqual({ id: `${SERVICE}@${TD(8)}`, outs: CHECK });
    expect(commands()).toHaveLength(1);
  });

  test("a create fails when the release did not land", async () => {
    answer({ status: "PRIMARY", taskDefinition: TD(7), rolloutState: "COMPLETED" });
    expect(await failureOf(releaseCheckProvider.create(CHECK))).toBe(
      `release check of ${SERVICE}: the service runs ${TD(7)}, not ${TD(8)}: ECS rolled the release back${RUNBOOK}`,
    );
  });

  test("an update checks the new release, not the old one", async () => {
    const news = { ...CHECK, taskDefinition: TD(9) };
    answer({ status: "PRIMARY", taskDefinition: TD(9), rolloutState: "COMPLETED" });
    expect(await releaseCheckProvider.update!(`${SERVICE}@${TD(8)}`, olds, news)).toEqual({ outs: news });
    answer({ status: "PRIMARY", taskDefinition: TD(8), rolloutState: "COMPLETED" });
    expect(await failureOf(releaseCheckProvider.update!(`${SERVICE}@${TD(8)}`, olds, news))).toBe(
      `release check of ${SERVICE}: the service runs ${TD(8)}, not ${TD(9)}: ECS rolled the release back${RUNBOOK}`,
    );
  });

  test("a destroy reads nothing", async () => {
    await releaseCheckProvider.delete!(`${SERVICE}@${TD(8)}`, olds);
    expect(ecs.ECSClient).not.toHaveBeenCalled();
    expect(send).not.toHaveBeenCalled();
  });
});

const PROGRAM = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
/** Records a program that declares resources and exports nothing. */
const declare = (program: () => void): Promise<SynthResult> =>
  recordProgram(PROGRAM, async () => {
    program();
    return {};
  });
/** The error of a program that must fail. */
const refusal = (program: () => void): Promise<SynthError> =>
  declare(program).then(
    () => {
      throw new Error("expected the program to fail, but it succeeded");
    },
    (e: SynthError) => e,
  );

/** A cluster, a task definition and a service, as ApiService declares them, for the check and the run to use. */
function ecsService() {
  const cluster = new aws.ecs.Cluster("cluster", { name: "app" });
  const definition = new aws.ecs.TaskDefinition("task", { family: "app-api", containerDefinitions: "[]" });
  const service = new aws.ecs.Service("api", { name: SERVICE, cluster: cluster.arn });
  return { cluster, definition, service };
}

describe("EcsReleaseCheck's declaration", () => {
  test("hands the provider the region, cluster, service and task definition, and waits for the service", async () => {
    const result = await declare(() => {
      const { cluster, definition, service } = ecsService();
      new EcsReleaseCheck(
        "api-release",
        { region: "eu-west-1", cluster: cluster.arn, service: service.name, taskDefinition: definition.arn },
        { dependsOn: [service] },
      );
    });
    const check = resource(result, DYNAMIC, "api-release");
    const cluster = resource(result, "aws:ecs/cluster:Cluster", "cluster");
    const definition = resource(result, "aws:ecs/taskDefinition:TaskDefinition", "task");
    const service = resource(result, "aws:ecs/service:Service", "api");
    expect(check.inputs).toEqual({
      region: "eu-west-1",
      cluster: cluster.state!["arn"],
      service: SERVICE,
      taskDefinition: definition.state!["arn"],
      __provider: "(dynamic provider code)",
    });
    expect(check.propertyDependencies).toMatchObject({
      cluster: [cluster.urn],
      service: [service.urn],
      taskDefinition: [definition.urn],
    });
    expect(check.dependencies).toContain(service.urn);
    // Declaring it never calls ECS: the check runs under `pulumi up` only.
    expect(ecs.ECSClient).not.toHaveBeenCalled();
  });
});

describe("EcsTaskRun's declaration", () => {
  const ARGS: EcsTaskRunArgs = {
    region: "eu-west-1",
    cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/c",
    taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/t:3",
    subnets: ["subnet-1", "subnet-2"],
    securityGroups: ["sg-1"],
    trigger: "abc",
    description: 'api.runTask("migrate")',
  };

  test("hands the provider every input, with a 600 s timeout when none is given, and exposes the task and exit code", async () => {
    let run: EcsTaskRun | undefined;
    const result = await declare(() => {
      run = new EcsTaskRun("migrate", ARGS);
    });
    expect(resource(result, DYNAMIC, "migrate").inputs).toEqual({
      region: "eu-west-1",
      cluster: ARGS.cluster,
      taskDefinition: ARGS.taskDefinition,
      subnets: ["subnet-1", "subnet-2"],
      securityGroups: ["sg-1"],
      trigger: "abc",
      timeoutSeconds: 600,
      description: 'api.runTask("migrate")',
      __provider: "(dynamic provider code)",
    });
    expect(pulumi.Output.isInstance(run!.taskArn)).toBe(true);
    expect(pulumi.Output.isInstance(run!.exitCode)).toBe(true);
    expect(send).not.toHaveBeenCalled();
  });

  test("a timeout given is the one the provider waits for, at both limits", async () => {
    const result = await declare(() => {
      new EcsTaskRun("shortest", { ...ARGS, timeoutSeconds: TASK_RUN_TIMEOUT_SECONDS.min });
      new EcsTaskRun("longest", { ...ARGS, timeoutSeconds: TASK_RUN_TIMEOUT_SECONDS.max });
      new EcsTaskRun("custom", { ...ARGS, timeoutSeconds: 900 });
    });
    expect(resource(result, DYNAMIC, "shortest").inputs["timeoutSeconds"]).toBe(60);
    expect(resource(result, DYNAMIC, "longest").inputs["timeoutSeconds"]).toBe(3600);
    expect(resource(result, DYNAMIC, "custom").inputs["timeoutSeconds"]).toBe(900);
  });

  test.each([59, 3601, 90.5, 0, -600, Number.NaN, Number.POSITIVE_INFINITY])(
    "a timeout of %p s is refused, naming the run and its purpose, before anything is declared",
    async (timeoutSeconds) => {
      const error = await refusal(() => {
        new EcsTaskRun("migrate", { ...ARGS, timeoutSeconds });
      });
      expect(error.message).toBe(
        `EcsTaskRun "migrate" (api.runTask("migrate")): timeoutSeconds must be a whole number of seconds from 60 to 3600 (got ${timeoutSeconds})`,
      );
      expect(error.declared.filter((r) => r.type === DYNAMIC)).toEqual([]);
    },
  );

  test("waits for the resources its inputs come from and for what it is told to wait for", async () => {
    const result = await declare(() => {
      const { cluster, definition, service } = ecsService();
      new EcsTaskRun(
        "migrate",
        { ...ARGS, cluster: cluster.arn, taskDefinition: definition.arn },
        { dependsOn: [service] },
      );
    });
    const run = resource(result, DYNAMIC, "migrate");
    const cluster = resource(result, "aws:ecs/cluster:Cluster", "cluster");
    const definition = resource(result, "aws:ecs/taskDefinition:TaskDefinition", "task");
    expect(run.inputs).toMatchObject({ cluster: cluster.state!["arn"], taskDefinition: definition.state!["arn"] });
    expect(run.propertyDependencies).toMatchObject({ cluster: [cluster.urn], taskDefinition: [definition.urn] });
    expect(run.dependencies).toEqual(
      expect.arrayContaining([cluster.urn, definition.urn, resource(result, "aws:ecs/service:Service", "api").urn]),
    );
  });

  test("a secret trigger stays secret in what is declared", async () => {
    const result = await declare(() => {
      new EcsTaskRun("migrate", { ...ARGS, trigger: pulumi.secret("digest") });
    });
    const run = resource(result, DYNAMIC, "migrate");
    expect(run.secretInputs).toContain("trigger");
    expect(JSON.stringify(run.inputs)).not.toContain("digest");
  });
});

describe("how long a run may wait (the limits every caller validates against)", () => {
  test.each([undefined, 60, 61, 600, 3599, 3600])("%p s is accepted", (value) => {
    expect(taskRunTimeoutProblem("api.migration.timeoutSeconds", value)).toBeUndefined();
  });

  test.each([59, 3601, 59.9, 3600.5, 0, -60, Number.NaN])("%p s is refused, naming the setting", (value) => {
    expect(taskRunTimeoutProblem("api.migration.timeoutSeconds", value)).toBe(
      `api.migration.timeoutSeconds must be a whole number of seconds from 60 to 3600 (got ${value})`,
    );
  });
});
