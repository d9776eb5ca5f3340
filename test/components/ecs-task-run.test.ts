// The one-off task run (components/ecs-task-run): what it asks ECS for, how it fails, and that nothing but
// `pulumi up` runs it.
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

import * as ecs from "@aws-sdk/client-ecs";
import {
  checkRelease,
  EcsTaskRun,
  exitCodeOf,
  releaseProblem,
  TASK_RUN_TIMEOUT_SECONDS,
  taskRunProvider,
  taskRunTimeoutProblem,
  type TaskRunInputs,
} from "../../components/ecs-task-run";
import { iamConnectArn, iamUserSql, IAM_DATABASE_USER } from "../../components/managed-postgres";
import { recordProgram } from "../../synth/synth";
import { ofType, resource, stackFile, synthConfig, useStacks, variant } from "../helpers/synth";

const INPUTS: TaskRunInputs = {
  region: "eu-west-1",
  cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/c",
  taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/t:3",
  subnets: ["subnet-1", "subnet-2"],
  securityGroups: ["sg-1"],
  trigger: "abc",
  timeoutSeconds: 300,
  description: 'api.runTask("migrate")',
};
const TASK = "arn:aws:ecs:eu-west-1:123456789012:task/c/0123";
const stopped = (exitCode: number | undefined, extra: object = {}) => ({
  tasks: [{ taskArn: TASK, stopCode: "EssentialContainerExited", containers: [{ name: "task", exitCode }], ...extra }],
});
const commands = () => send.mock.calls.map(([c]) => [c.constructor.name, c.input] as const);

beforeEach(() => {
  send.mockReset();
  (ecs.ECSClient as unknown as jest.Mock).mockClear();
  (ecs.waitUntilTasksStopped as jest.Mock).mockReset().mockResolvedValue({ state: "SUCCESS" });
});

describe("a run", () => {
  test("starts one Fargate task in the private subnets without a public IP, waits, and returns its exit code", async () => {
    send.mockResolvedValueOnce({ tasks: [{ taskArn: TASK }] }).mockResolvedValueOnce(stopped(0));
    const created = await taskRunProvider.create(INPUTS);
    expect(created).toEqual({ id: TASK, outs: { ...INPUTS, taskArn: TASK, exitCode: 0 } });
    expect(commands()[0]).toEqual([
      "RunTaskCommand",
      {
        cluster: INPUTS.cluster,
        taskDefinition: INPUTS.taskDefinition,
        launchType: "FARGATE",
        count: 1,
        startedBy: "pulumi-task-run",
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: ["subnet-1", "subnet-2"],
            securityGroups: ["sg-1"],
            assignPublicIp: "DISABLED",
          },
        },
      },
    ]);
    expect(ecs.waitUntilTasksStopped).toHaveBeenCalledWith(expect.objectContaining({ maxWaitTime: 300 }), {
      cluster: INPUTS.cluster,
      tasks: [TASK],
    });
    expect(ecs.ECSClient).toHaveBeenCalledWith({ region: "eu-west-1" });
  });

  test("a non-zero exit fails the up, naming the run, the task and why", async () => {
    send.mockResolvedValueOnce({ tasks: [{ taskArn: TASK }] }).mockResolvedValueOnce(stopped(3));
    await expect(taskRunProvider.create(INPUTS)).rejects.toThrow(
      `api.runTask("migrate"): task ${TASK} exited with code 3 (EssentialContainerExited); its logs are in the service's log group`,
    );
  });

  test("a task ECS would not start fails with ECS's reasons", async () => {
    send.mockResolvedValueOnce({ tasks: [], failures: [{ reason: "RESOURCE:ENI", detail: "no free addresses" }] });
    await expect(taskRunProvider.create(INPUTS)).rejects.toThrow(
      'api.runTask("migrate"): ECS did not start the task: RESOURCE:ENI (no free addresses)',
    );
  });

  test("a task that outlives its timeout is stopped, and the up fails", async () => {
    send.mockResolvedValueOnce({ tasks: [{ taskArn: TASK }] }).mockResolvedValueOnce({});
    (ecs.waitUntilTasksStopped as jest.Mock).mockRejectedValueOnce(new Error("TimeoutError"));
    await expect(taskRunProvider.create(INPUTS)).rejects.toThrow(
      `api.runTask("migrate"): task ${TASK} did not finish within 300 s; stopped`,
    );
    expect(commands()[1]).toEqual([
      "StopTaskCommand",
      { cluster: INPUTS.cluster, task: TASK, reason: "timed out under pulumi up" },
    ]);
  });

  test("a container that never ran (image pull, secrets) reports the stop reason", () => {
    expect(() =>
      exitCodeOf("x", TASK, {
        stopCode: "TaskFailedToStart",
        stoppedReason: "CannotPullContainerError",
        containers: [{ name: "task" }],
      }),
    ).toThrow(`x: task ${TASK} stopped before its container ran (TaskFailedToStart: CannotPullContainerError)`);
  });

  test("runs again only when what it runs changes; a destroy runs nothing", async () => {
    const olds = { ...INPUTS, taskArn: TASK, exitCode: 0 };
    expect((await taskRunProvider.diff!(TASK, olds, INPUTS)).changes).toBe(false);
    expect((await taskRunProvider.diff!(TASK, olds, { ...INPUTS, trigger: "def" })).changes).toBe(true);
    expect((await taskRunProvider.diff!(TASK, olds, { ...INPUTS, taskDefinition: "t:4" })).changes).toBe(true);
    expect((await taskRunProvider.diff!(TASK, olds, { ...INPUTS, timeoutSeconds: 900 })).changes).toBe(false);
    await taskRunProvider.delete!(TASK, olds);
    expect(send).not.toHaveBeenCalled();
  });
});

describe("the app's IAM database user", () => {
  const r = useStacks();

  test("the SQL makes a login role with rds_iam and data privileges only, idempotently", () => {
    const sql = iamUserSql("app", "app_admin");
    expect(sql).toContain(
      "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_iam') THEN CREATE ROLE app_iam LOGIN",
    );
    expect(sql).toContain("GRANT rds_iam TO app_iam;");
    expect(sql).toContain(
      "ALTER DEFAULT PRIVILEGES FOR ROLE app_admin IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO app_iam;",
    );
    // No DDL: schema changes stay with the admin's migrations.
    expect(sql).not.toMatch(/GRANT (ALL|CREATE)|SUPERUSER|rds_superuser/);
    expect(() => iamUserSql("app; DROP TABLE x", "app_admin")).toThrow(
      "iamUserSql: database must be a plain PostgreSQL identifier (got app; DROP TABLE x)",
    );
  });

  test.each(["production", "staging", "preview"])(
    "%s: the task role may connect as that user only, and the app is told how",
    (env) => {
      const db = resource(r(env), "aws:rds/instance:Instance", "database");
      expect(db.inputs["iamDatabaseAuthenticationEnabled"]).toBe(true);
      const policy = JSON.parse(
        String(
          ofType(r(env), "aws:iam/rolePolicy:RolePolicy").find((p) => String(p.inputs["policy"]).includes("rds-db"))!
            .inputs["policy"],
        ),
      );
      expect(policy.Statement).toContainEqual(
        expect.objectContaining({
          Effect: "Allow",
          Action: ["rds-db:connect"],
          Resource: [iamConnectArn("eu-west-1", "123456789012", String(db.state!["resourceId"]), IAM_DATABASE_USER)],
        }),
      );
      const task = resource(r(env), "aws:ecs/taskDefinition:TaskDefinition", "api-task");
      const env0 = JSON.parse(String(task.inputs["containerDefinitions"]))[0].environment as Array<{
        name: string;
        value: string;
      }>;
      expect(Object.fromEntries(env0.map((e) => [e.name, e.value]))).toMatchObject({
        DATABASE_IAM_USER: "app_iam",
        DATABASE_HOST: db.state!["address"],
        DATABASE_PORT: "5432",
        DATABASE_NAME: "app",
      });
    },
  );

  test.each(["production", "staging", "preview"])(
    "%s: a one-off task creates the user with a PostgreSQL client, the admin URL and the API's path to the database",
    (env) => {
      const run = resource(r(env), "pulumi-nodejs:dynamic:Resource", "api-database-iam-user");
      const definition = resource(r(env), "aws:ecs/taskDefinition:TaskDefinition", "api-database-iam-user-task");
      const [container] = JSON.parse(String(definition.inputs["containerDefinitions"])) as Array<{
        image: string;
        command: string[];
        secrets: Array<{ name: string }>;
        environment: Array<{ name: string; value: string }>;
      }>;
      expect(container!.image).toBe("public.ecr.aws/docker/library/postgres:17-alpine");
      expect(container!.command).toEqual(["sh", "-c", 'psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -c "$GRANTS"']);
      expect(container!.secrets.map((s) => s.name)).toEqual(["DATABASE_URL"]);
      expect(container!.environment[0]!.value).toBe(iamUserSql("app", "app_admin"));
      // Another image: no task role, so no AWS permissions.
      expect(definition.inputs).not.toHaveProperty("taskRoleArn");
      expect(run.inputs).toMatchObject({
        taskDefinition: definition.state!["arn"],
        securityGroups: [resource(r(env), "aws:ec2/securityGroup:SecurityGroup", "api-service").id],
        timeoutSeconds: 300,
        __provider: "(dynamic provider code)",
      });
      // It waits for the rules that let it reach the database, and for the private subnets' egress (the image pull).
      for (const rule of [
        resource(r(env), "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "api-to-database"),
        resource(r(env), "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "api-to-database-ingress"),
        resource(r(env), "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "api-service-https"),
      ]) {
        expect(run.dependencies).toContain(rule.urn);
      }
      // The secret it reads has its value first (the task definition takes the version's ARN).
      expect(definition.dependencies).toContain(
        resource(r(env), "aws:secretsmanager/secretVersion:SecretVersion", "database-url").urn,
      );
    },
  );

  test("a synth in this process declares the run but never calls ECS: the provider's code runs only under pulumi up", async () => {
    const result = await synthConfig(variant("staging", {}));
    expect(ofType(result, "pulumi-nodejs:dynamic:Resource").map((x) => x.name)).toEqual([
      "api-database-iam-user",
      "api-release",
    ]);
    expect(ecs.ECSClient).not.toHaveBeenCalled();
    expect(send).not.toHaveBeenCalled();
  });
});

describe("a migration (ApiService's gated releases)", () => {
  test("a synth of a stack with api.migration declares the run but never calls ECS", async () => {
    const api = JSON.parse(stackFile("staging").config["saas-platform:api"]!) as object;
    const result = await synthConfig(
      variant("staging", { api: { ...api, migration: { command: ["node", "migrate.js"] } } }),
    );
    expect(
      ofType(result, "pulumi-nodejs:dynamic:Resource")
        .map((x) => x.name)
        .sort(),
    ).toEqual(["api-database-iam-user", "api-migration", "api-release"]);
    expect(resource(result, "pulumi-nodejs:dynamic:Resource", "api-migration").inputs["__provider"]).toBe(
      "(dynamic provider code)",
    );
    expect(ecs.ECSClient).not.toHaveBeenCalled();
    expect(send).not.toHaveBeenCalled();
    expect(ecs.waitUntilTasksStopped).not.toHaveBeenCalled();
  });
});

describe("how long a run may wait", () => {
  test("from 60 s (Fargate's start, above the first poll) to 3600 s (CI's one-hour credentials), whole seconds", () => {
    expect(TASK_RUN_TIMEOUT_SECONDS).toEqual({ min: 60, max: 3600, default: 600 });
    expect(taskRunTimeoutProblem("t", undefined)).toBeUndefined();
    expect(taskRunTimeoutProblem("t", 60)).toBeUndefined();
    expect(taskRunTimeoutProblem("t", 3600)).toBeUndefined();
    expect(taskRunTimeoutProblem("t", 59)).toBe("t must be a whole number of seconds from 60 to 3600 (got 59)");
    expect(taskRunTimeoutProblem("t", 3601)).toBe("t must be a whole number of seconds from 60 to 3600 (got 3601)");
    expect(taskRunTimeoutProblem("t", 90.5)).toBe("t must be a whole number of seconds from 60 to 3600 (got 90.5)");
  });

  test("a run outside the limits is refused before it is declared", async () => {
    const error = await recordProgram(
      { project: "saas-platform", stack: "test", config: {}, secretKeys: [] },
      async () => {
        new EcsTaskRun("job", { ...INPUTS, description: "job", timeoutSeconds: 7200 });
        return {};
      },
    ).then(
      () => undefined,
      (e: { message: string; declared: Array<{ name: string }> }) => e,
    );
    expect(error?.message).toContain(
      'EcsTaskRun "job" (job): timeoutSeconds must be a whole number of seconds from 60 to 3600 (got 7200)',
    );
    expect(error?.declared.map((x) => x.name)).not.toContain("job");
  });
});

describe("the release check", () => {
  const TD = (rev: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/saas-platform-production-api:${rev}`;
  const CHECK = { region: "eu-west-1", cluster: "c", service: "saas-platform-production-api", taskDefinition: TD(8) };

  test("passes when the primary deployment runs the requested revision and completed", () => {
    expect(releaseProblem(TD(8), [{ status: "PRIMARY", taskDefinition: TD(8), rolloutState: "COMPLETED" }])).toBe(
      undefined,
    );
  });

  test("fails a release the circuit breaker rolled back, naming both revisions and ECS's reason", () => {
    expect(
      releaseProblem(TD(8), [
        { status: "PRIMARY", taskDefinition: TD(7), rolloutState: "COMPLETED" },
        {
          status: "ACTIVE",
          taskDefinition: TD(8),
          rolloutState: "FAILED",
          rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
        },
      ]),
    ).toBe(
      `the service runs ${TD(7)}, not ${TD(8)}: ECS rolled the release back (ECS deployment circuit breaker: tasks failed to start.)`,
    );
    expect(releaseProblem(TD(8), [{ status: "PRIMARY", taskDefinition: TD(8), rolloutState: "FAILED" }])).toBe(
      `the release of ${TD(8)} failed`,
    );
    expect(releaseProblem(TD(8), [])).toBe("the service has no primary deployment");
  });

  test("reads the service from ECS and fails the up with the problem", async () => {
    send.mockResolvedValueOnce({
      services: [{ deployments: [{ status: "PRIMARY", taskDefinition: TD(7), rolloutState: "COMPLETED" }] }],
    });
    await expect(checkRelease(CHECK)).rejects.toThrow(
      `release check of saas-platform-production-api: the service runs ${TD(7)}, not ${TD(8)}: ECS rolled the release back`,
    );
    expect(commands()[0]).toEqual(["DescribeServicesCommand", { cluster: "c", services: [CHECK.service] }]);
  });

  test.each(["production", "staging", "preview"])(
    "%s: runs after the service, on the task definition the service was given",
    (env) => {
      const check = resource(r2(env), "pulumi-nodejs:dynamic:Resource", "api-release");
      const service = resource(r2(env), "aws:ecs/service:Service", "api");
      const definition = resource(r2(env), "aws:ecs/taskDefinition:TaskDefinition", "api-task");
      expect(check.dependencies).toContain(service.urn);
      expect(check.inputs).toMatchObject({
        taskDefinition: definition.state!["arn"],
        service: service.inputs["name"],
        region: "eu-west-1",
      });
    },
  );
});
const r2 = useStacks();

describe("a run, at the edges of what ECS answers", () => {
  test("a change to what it runs updates in place (runs again), never replaces the resource", async () => {
    const olds = { ...INPUTS, taskArn: TASK, exitCode: 0 };
    expect(await taskRunProvider.diff!(TASK, olds, { ...INPUTS, trigger: "def" })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  test("an update runs the task again with the new inputs and returns its outputs", async () => {
    send.mockResolvedValueOnce({ tasks: [{ taskArn: TASK }] }).mockResolvedValueOnce(stopped(0));
    const news = { ...INPUTS, trigger: "def", taskDefinition: "t:4" };
    const updated = await taskRunProvider.update!(TASK, { ...INPUTS, taskArn: "old", exitCode: 0 }, news);
    expect(updated).toEqual({ outs: { ...news, taskArn: TASK, exitCode: 0 } });
    expect(commands()[0]).toEqual(["RunTaskCommand", expect.objectContaining({ taskDefinition: "t:4" })]);
  });

  test("the exit code is read from the task it started, in its cluster", async () => {
    send.mockResolvedValueOnce({ tasks: [{ taskArn: TASK }] }).mockResolvedValueOnce(stopped(0));
    await taskRunProvider.create(INPUTS);
    expect(commands()[1]).toEqual(["DescribeTasksCommand", { cluster: INPUTS.cluster, tasks: [TASK] }]);
  });

  test("an answer with failures only (no task list) names every failure; a failure without a reason says so", async () => {
    send.mockResolvedValueOnce({ failures: [{ reason: "RESOURCE:CPU" }, { detail: "capacity provider" }] });
    await expect(taskRunProvider.create(INPUTS)).rejects.toThrow(
      'api.runTask("migrate"): ECS did not start the task: RESOURCE:CPU; unknown (capacity provider)',
    );
  });

  test("an answer with neither a task nor a failure still fails, saying ECS gave no reason", async () => {
    send.mockResolvedValueOnce({});
    await expect(taskRunProvider.create(INPUTS)).rejects.toThrow(
      'api.runTask("migrate"): ECS did not start the task: no reason given',
    );
  });

  test("a task ECS no longer describes fails as a task whose container never ran", async () => {
    send.mockResolvedValueOnce({ tasks: [{ taskArn: TASK }] }).mockResolvedValueOnce({});
    await expect(taskRunProvider.create(INPUTS)).rejects.toThrow(
      `api.runTask("migrate"): task ${TASK} stopped before its container ran; its logs are in the service's log group`,
    );
  });

  test("a task without containers reports its stop reason", () => {
    expect(() => exitCodeOf("x", TASK, { stopCode: "TaskFailedToStart", stoppedReason: "ENI limit" })).toThrow(
      `x: task ${TASK} stopped before its container ran (TaskFailedToStart: ENI limit); its logs`,
    );
  });

  test("a non-zero exit without any reason from ECS adds none", () => {
    expect(() => exitCodeOf("x", TASK, { containers: [{ exitCode: 137 }] })).toThrow(
      `x: task ${TASK} exited with code 137; its logs are in the service's log group`,
    );
  });
});
