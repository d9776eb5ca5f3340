// The details of WorkerService that worker-service.test.ts leaves open: every default (omitted or `undefined`), the
// security group and its rule, what waits for what, the outputs (and what is registered), the transforms, the local
// container in full, the methods' refusals and the exact text of every argument check at its boundaries.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { AwsNetworkOutputs, DockerNetworkOutputs } from "../../components/network";
import {
  awsWorkerServiceDefaults,
  validateWorkerServiceArgs,
  WorkerService,
  type AwsWorkerServiceArgs,
  type WorkerServiceArgs,
} from "../../components/worker-service";
import { recordProgram, type SynthResult } from "../../synth/synth";
import { API_CONTEXT, ofType, resource } from "../helpers/synth";
import { recordCalls } from "../helpers/spies";
import { tempDir } from "../helpers/temp";

const T = {
  component: "saas-platform:components:WorkerService",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  service: "aws:ecs/service:Service",
  taskDef: "aws:ecs/taskDefinition:TaskDefinition",
  role: "aws:iam/role:Role",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
  dynamic: "pulumi-nodejs:dynamic:Resource",
  topic: "aws:sns/topic:Topic",
  container: "docker:index/container:Container",
  remoteImage: "docker:index/remoteImage:RemoteImage",
  image: "docker:index/image:Image",
} as const;

const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
const CLUSTER = { arn: "arn:aws:ecs:eu-west-1:123456789012:cluster/app", name: "app" };
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-url-AbCdEf";

/** A network of plain values whose egress is one marker resource: what waits for the egress is then visible. */
const fakeNetwork = (marker: pulumi.Resource): AwsNetworkOutputs =>
  ({
    vpcId: pulumi.output("vpc-0worker"),
    privateSubnetIds: pulumi.output(["subnet-a", "subnet-b"]),
    egressReady: [marker],
  }) as unknown as AwsNetworkOutputs;

const base = { target: "aws", network: {} as never, cluster: CLUSTER, image: { image: "nginx:1" } } as const;

/** The message of the args check (the test fails when it passes). */
function problemsOf(args: WorkerServiceArgs): string {
  try {
    validateWorkerServiceArgs("worker", args);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the args to be refused");
}
const only = (...problems: string[]) =>
  ['WorkerService "worker" has invalid args:', ...problems.map((p) => `  - ${p}`)].join("\n");

describe("awsWorkerServiceDefaults", () => {
  const required = { target: "aws", network: {} as never, cluster: CLUSTER, image: { image: "nginx:1" } } as const;
  const defaults = {
    connections: [],
    cpu: 256,
    memory: 512,
    minTasks: 1,
    maxTasks: 2,
    environment: {},
    secrets: {},
    secretKmsKeyArns: [],
    permissions: [],
    capacity: "FARGATE",
    readonlyRootFilesystem: true,
    logRetentionDays: 30,
    scheduledScaling: false,
    cpuTargetPercent: 60,
    keepImages: 30,
    protect: false,
    tags: {},
  };

  test("fills every omitted arg, and every arg given as undefined, with its default", () => {
    expect(awsWorkerServiceDefaults(required)).toEqual({ ...required, ...defaults });
    const undef = Object.fromEntries(Object.keys(defaults).map((k) => [k, undefined]));
    expect(awsWorkerServiceDefaults({ ...required, ...undef })).toEqual({
      ...required,
      ...defaults,
    });
  });

  test("keeps every arg given, falsy ones included", () => {
    const given: AwsWorkerServiceArgs = {
      ...required,
      connections: [{ name: "db", securityGroupId: "sg-1", port: 5432 }],
      cpu: 1024,
      memory: 4096,
      minTasks: 3,
      maxTasks: 9,
      environment: { A: "1" },
      secrets: { B: SECRET_ARN },
      secretKmsKeyArns: ["k"],
      permissions: [{ actions: ["sqs:ReceiveMessage"], resources: ["arn:q"] }],
      capacity: "FARGATE_SPOT",
      readonlyRootFilesystem: false,
      logRetentionDays: 90,
      scheduledScaling: true,
      cpuTargetPercent: 75,
      keepImages: 5,
      protect: true,
      tags: { Team: "jobs" },
    };
    expect(awsWorkerServiceDefaults(given)).toEqual(given);
  });
});

describe("the AWS worker with every option", () => {
  let result: SynthResult;
  let worker: WorkerService<"aws">;
  let marker: pulumi.Resource;
  let registered: Array<Record<string, pulumi.Output<unknown>>>;
  let seenBySecurityGroup: { name: string; keys: string[]; parent: unknown } | undefined;
  const secrets = { DATABASE_URL: SECRET_ARN };
  beforeAll(async () => {
    const { result: built, recorded } = await recordCalls(() =>
      recordProgram(STACK, async () => {
        marker = new aws.sns.Topic("egress-marker");
        worker = new WorkerService("worker", {
          target: "aws",
          network: fakeNetwork(marker),
          cluster: { ...CLUSTER, containerInsights: true },
          image: { image: "ghcr.io/acme/worker:1.0.0" },
          secrets,
          minTasks: 2,
          maxTasks: 5,
          connections: [{ name: "database", securityGroupId: "sg-db", port: 5432 }],
          queue: { queueName: "jobs", messagesPerTask: 50 },
          tags: { Team: "jobs" },
          transform: {
            securityGroup: (args, opts, name) => {
              seenBySecurityGroup = { name, keys: Object.keys(args).sort(), parent: opts.parent };
            },
          },
        });
        worker.runTask("backfill", { command: ["node", "backfill.js"], trigger: "1" });
        const c = worker.cloud;
        return {
          serviceName: c.serviceName,
          clusterName: c.clusterName,
          clusterArn: c.clusterArn,
          logGroupName: c.logGroupName,
          taskRoleArn: c.taskRoleArn,
          serviceSecurityGroupId: c.serviceSecurityGroupId,
          imageRef: c.imageRef,
          scalableTargetResourceId: c.scalableTargetResourceId!,
          region: c.runtime.region,
          executionRoleArn: c.runtime.executionRoleArn,
          runtimeLogGroupName: c.runtime.logGroupName,
          subnetIds: c.runtime.subnetIds,
        };
      }),
    );
    result = built;
    registered = recorded.registeredBy(worker) as Array<Record<string, pulumi.Output<unknown>>>;
  });

  test("the security group: no ingress, the worker's description, tags and name; its parent is the worker", () => {
    const component = resource(result, T.component, "worker");
    const sg = resource(result, T.sg, "worker-service");
    expect(sg.inputs).toEqual({
      vpcId: "vpc-0worker",
      description: "worker tasks: no inbound connections, HTTPS out",
      tags: { Team: "jobs", Name: "saas-platform-test-worker-service" },
    });
    expect(sg.parent).toBe(component.urn);
    expect(seenBySecurityGroup).toEqual({
      name: "worker-service",
      keys: ["description", "tags", "vpcId"],
      parent: worker,
    });
  });

  test("the HTTPS rule, exactly, on the worker's group", () => {
    const rule = resource(result, T.egress, "worker-service-https");
    expect(rule.inputs).toEqual({
      securityGroupId: resource(result, T.sg, "worker-service").id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      description: "HTTPS out",
    });
    expect(rule.parent).toBe(resource(result, T.component, "worker").urn);
  });

  test("the service waits for the network's egress, the HTTPS rule and both rules of each connection", () => {
    const deps = resource(result, T.service, "worker").dependencies;
    for (const [type, name] of [
      [T.topic, "egress-marker"],
      [T.egress, "worker-service-https"],
      [T.egress, "worker-to-database"],
      [T.ingress, "worker-to-database-ingress"],
    ] as const) {
      expect(deps).toContain(resource(result, type, name).urn);
    }
    expect(resource(result, T.egress, "worker-to-database").inputs).toMatchObject({
      securityGroupId: resource(result, T.sg, "worker-service").id,
      referencedSecurityGroupId: "sg-db",
      fromPort: 5432,
    });
  });

  test("a one-off task waits for the same egress: the network's, HTTPS and the connections", () => {
    const deps = resource(result, T.dynamic, "worker-backfill").dependencies;
    for (const [type, name] of [
      [T.topic, "egress-marker"],
      [T.egress, "worker-service-https"],
      [T.egress, "worker-to-database"],
      [T.ingress, "worker-to-database-ingress"],
    ] as const) {
      expect(deps).toContain(resource(result, type, name).urn);
    }
    const rt = worker.cloud.runtime;
    expect(rt.egressReady.length).toBe(4);
    expect(rt.egressReady[0] === marker).toBe(true);
    expect(rt.secrets === secrets).toBe(true);
    expect(rt.scope).toEqual({ project: "saas-platform", stack: "test" });
  });

  test("the release check runs after the service, on its cluster, service and revision", () => {
    const check = resource(result, T.dynamic, "worker-release");
    const service = resource(result, T.service, "worker");
    expect(check.inputs).toMatchObject({
      region: "eu-west-1",
      cluster: CLUSTER.arn,
      service: service.state!["name"],
      taskDefinition: resource(result, T.taskDef, "worker-task").state!["arn"],
    });
    expect(check.dependencies).toContain(service.urn);
    expect(check.parent).toBe(resource(result, T.component, "worker").urn);
  });

  test("the queue reaches the autoscaling", () => {
    expect(
      ofType(result, T.scalingPolicy)
        .map((x) => x.name)
        .sort(),
    ).toEqual(["worker-cpu", "worker-queue"]);
  });

  test("outputs: the service, cluster, logs, roles, group, image, sizes and what a one-off task needs", () => {
    const o = result.outputs;
    expect(o).toEqual({
      serviceName: "saas-platform-test-worker",
      clusterName: "app",
      clusterArn: CLUSTER.arn,
      logGroupName: "/ecs/saas-platform-test-worker",
      taskRoleArn: resource(result, T.role, "worker-task").state!["arn"],
      serviceSecurityGroupId: resource(result, T.sg, "worker-service").id,
      imageRef: "ghcr.io/acme/worker:1.0.0",
      scalableTargetResourceId: "service/app/saas-platform-test-worker",
      region: "eu-west-1",
      executionRoleArn: resource(result, T.role, "worker-execution").state!["arn"],
      runtimeLogGroupName: "/ecs/saas-platform-test-worker",
      subnetIds: ["subnet-a", "subnet-b"],
    });
    expect(worker.cloud.minTasks).toBe(2);
    expect(worker.cloud.maxTasks).toBe(5);
    expect(worker.cloud.repositoryUrl).toBeUndefined();
    expect(worker.local).toBeUndefined();
    expect(worker.imageRef === worker.cloud.imageRef).toBe(true);
  });

  test("registers the service, cluster and log group names", () => {
    expect(registered.length).toBe(1);
    const r = registered[0]!;
    expect(Object.keys(r).sort()).toEqual(["clusterName", "logGroupName", "serviceName"]);
    expect(r["serviceName"] === worker.cloud.serviceName).toBe(true);
    expect(r["clusterName"] === worker.cloud.clusterName).toBe(true);
    expect(r["logGroupName"] === worker.cloud.logGroupName).toBe(true);
  });
});

describe("the AWS worker's security group transform as properties", () => {
  test("merges over the group's args", async () => {
    const result = await recordProgram(STACK, async () => {
      new WorkerService("worker", {
        target: "aws",
        network: fakeNetwork(new aws.sns.Topic("egress-marker")),
        cluster: CLUSTER,
        image: { image: "nginx:1" },
        transform: { securityGroup: { description: "by transform" } },
      });
      return {};
    });
    expect(resource(result, T.sg, "worker-service").inputs).toEqual({
      vpcId: "vpc-0worker",
      description: "by transform",
      tags: { Name: "saas-platform-test-worker-service" },
    });
    // No queue: CPU only.
    expect(ofType(result, T.scalingPolicy).map((x) => x.name)).toEqual(["worker-cpu"]);
  });
});

describe("the local worker", () => {
  const dockerNetwork = (): DockerNetworkOutputs => ({
    networkName: pulumi.output("acme-dev"),
    networkId: pulumi.output("net-0"),
  });
  const hostDir = tempDir("worker-details");

  test("every default: the image on the network, read-only with a /tmp, restarted, waited for, labelled", async () => {
    let worker: WorkerService<"docker"> | undefined;
    const { result, recorded } = await recordCalls(() =>
      recordProgram({ ...STACK, stack: "dev" }, async () => {
        worker = new WorkerService("worker", {
          target: "docker",
          network: dockerNetwork(),
          image: { image: "ghcr.io/acme/worker:1.0.0" },
          command: undefined,
          mount: undefined,
          containerHealthCheck: undefined,
          environment: undefined,
          secrets: undefined,
          readonlyRootFilesystem: undefined,
          transform: undefined,
        });
        return { containerName: worker.local.containerName, imageRef: worker.imageRef };
      }),
    );
    const c = resource(result, T.container, "worker");
    expect(c.inputs).toEqual({
      name: "saas-platform-dev-worker",
      image: resource(result, T.remoteImage, "worker-image").state!["imageId"],
      envs: [],
      networksAdvanced: [{ name: "acme-dev", aliases: ["worker"] }],
      readOnly: true,
      tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" },
      restart: "unless-stopped",
      wait: true,
      waitTimeout: 120,
      labels: [{ label: "managed-by", value: "pulumi" }],
    });
    expect(c.parent).toBe(resource(result, T.component, "worker").urn);
    expect(result.outputs["containerName"]).toBe("saas-platform-dev-worker");
    expect(worker!.cloud).toBeUndefined();
    const r = recorded.onlyRegistrationOf(worker);
    expect(Object.keys(r)).toEqual(["containerName"]);
    expect(r["containerName"] === worker!.local.containerName).toBe(true);
  });

  test("every option: command, sorted plain and secret values, a writable root, a writable mount, a check, transforms", async () => {
    let seen: { name: string; keys: string[] } | undefined;
    const result = await recordProgram({ ...STACK, stack: "dev" }, async () => {
      const worker = new WorkerService("worker", {
        target: "docker",
        network: dockerNetwork(),
        image: { build: { context: API_CONTEXT } },
        command: ["npx", "nodemon", "src/worker.ts"],
        mount: { hostPath: hostDir, containerPath: "/app/src", readOnly: false },
        containerHealthCheck: ["CMD", "node", "health.js"],
        environment: { ZED: "z", ALPHA: "a" },
        secrets: { Z_URL: "postgresql://z", A_URL: "postgresql://a" },
        readonlyRootFilesystem: false,
        transform: {
          container: (args, _opts, name) => {
            seen = { name, keys: Object.keys(args).sort() };
            args.restart = "always";
          },
          image: { skipPush: false },
        },
      });
      return { containerName: worker.local.containerName };
    });
    const c = resource(result, T.container, "worker");
    expect(c.inputs).toEqual({
      name: "saas-platform-dev-worker",
      image: resource(result, T.image, "worker-image").inputs["imageName"],
      command: ["npx", "nodemon", "src/worker.ts"],
      envs: ["ALPHA=a", "ZED=z", "[secret]", "[secret]"],
      networksAdvanced: [{ name: "acme-dev", aliases: ["worker"] }],
      readOnly: false,
      volumes: [{ hostPath: resolve(hostDir), containerPath: "/app/src", readOnly: false }],
      healthcheck: {
        tests: ["CMD", "node", "health.js"],
        interval: "10s",
        timeout: "5s",
        retries: 5,
        startPeriod: "10s",
      },
      restart: "always",
      wait: true,
      waitTimeout: 120,
      labels: [{ label: "managed-by", value: "pulumi" }],
    });
    expect(c.secretInputs).toEqual(["envs.2", "envs.3"]);
    expect(seen).toEqual({
      name: "worker",
      keys: [
        "command",
        "envs",
        "healthcheck",
        "image",
        "labels",
        "name",
        "networksAdvanced",
        "readOnly",
        "restart",
        "volumes",
        "wait",
        "waitTimeout",
      ],
    });
    expect(resource(result, T.image, "worker-image").inputs["skipPush"]).toBe(false);
  });

  test("the secret values are sorted too, and a mount is read-only unless told", async () => {
    let envs: unknown;
    const result = await recordProgram({ ...STACK, stack: "dev" }, async () => {
      new WorkerService("worker", {
        target: "docker",
        network: dockerNetwork(),
        image: { image: "nginx:1" },
        mount: { hostPath: hostDir, containerPath: "/app/src" },
        secrets: { Z_URL: "postgresql://z", A_URL: "postgresql://a" },
        transform: {
          container: (args) => {
            envs = pulumi.unsecret(pulumi.all(args.envs as pulumi.Input<string>[]));
          },
        },
      });
      return { envs: envs as pulumi.Output<string[]> };
    });
    expect(result.outputs["envs"]).toEqual(["A_URL=postgresql://a", "Z_URL=postgresql://z"]);
    expect(resource(result, T.container, "worker").inputs["volumes"]).toEqual([
      { hostPath: resolve(hostDir), containerPath: "/app/src", readOnly: true },
    ]);
  });

  test("runTask and allowTo need the AWS variant", async () => {
    const messages: string[] = [];
    await recordProgram({ ...STACK, stack: "dev" }, async () => {
      const worker = new WorkerService("worker", {
        target: "docker",
        network: dockerNetwork(),
        image: { image: "nginx:1" },
      });
      for (const call of [
        () => worker.runTask("backfill", { command: ["x"], trigger: "1" }),
        () => worker.allowTo("database", "sg-1", 5432),
      ]) {
        try {
          call();
        } catch (e) {
          messages.push((e as Error).message);
        }
      }
      return {};
    });
    expect(messages).toEqual([
      'worker.runTask("backfill") needs the AWS variant',
      'worker.allowTo("database") needs the AWS variant',
    ]);
  });
});

test("allowTo in AWS: the port is checked with the worker's name, then one rule to the target's group", async () => {
  const messages: string[] = [];
  const result = await recordProgram(STACK, async () => {
    const worker = new WorkerService("worker", {
      target: "aws",
      network: fakeNetwork(new aws.sns.Topic("egress-marker")),
      cluster: CLUSTER,
      image: { image: "nginx:1" },
    });
    for (const port of [65536, 1.5]) {
      try {
        worker.allowTo("cache", "sg-cache", port);
      } catch (e) {
        messages.push((e as Error).message);
      }
    }
    worker.allowTo("cache", "sg-cache", 6379);
    return {};
  });
  expect(messages).toEqual([
    only('allowTo("cache") port must be a port from 1 to 65535 (got 65536)'),
    only('allowTo("cache") port must be a port from 1 to 65535 (got 1.5)'),
  ]);
  expect(resource(result, T.egress, "worker-to-cache").inputs).toMatchObject({
    securityGroupId: resource(result, T.sg, "worker-service").id,
    referencedSecurityGroupId: "sg-cache",
    fromPort: 6379,
    toPort: 6379,
  });
});

describe("the args checks, one at a time and at their limits", () => {
  const ok = (args: WorkerServiceArgs) => expect(() => validateWorkerServiceArgs("worker", args)).not.toThrow();

  test("the bare minimum passes", () => {
    ok(base);
    ok({ target: "docker", network: {} as never, image: { image: "nginx:1" } });
  });

  test("a command: absent or whole passes; empty, with an empty part or a non-string part does not", () => {
    ok({ ...base, command: undefined });
    ok({ ...base, command: ["node"] });
    const msg = (got: string) =>
      only(`command must list the executable and its arguments, none empty, e.g. ["node", "worker.js"] (got ${got})`);
    expect(problemsOf({ ...base, command: [] })).toBe(msg("[]"));
    expect(problemsOf({ ...base, command: ["", "x"] })).toBe(msg('["","x"]'));
    expect(problemsOf({ ...base, command: ["node", 1 as never] })).toBe(msg('["node",1]'));
    expect(problemsOf({ target: "docker", network: {} as never, image: { image: "nginx:1" }, command: [] })).toBe(
      msg("[]"),
    );
  });

  test("a container check in Docker's form passes; another is refused with what was given", () => {
    ok({ ...base, containerHealthCheck: ["CMD-SHELL", "true"] });
    expect(problemsOf({ ...base, containerHealthCheck: ["CMD"] as never })).toBe(
      only(
        'containerHealthCheck must be a command in Docker\'s form: ["CMD", "<executable>", "<arg>", …] or ["CMD-SHELL", "<shell command>"] (got ["CMD"])',
      ),
    );
  });

  test("task counts: whole, at least 1, the floor not above the ceiling", () => {
    ok({ ...base, minTasks: 1, maxTasks: 1 });
    ok({ ...base, minTasks: 4, maxTasks: 4 });
    expect(problemsOf({ ...base, minTasks: 0 })).toBe(only("minTasks must be at least 1 (got 0)"));
    expect(problemsOf({ ...base, minTasks: 1.5 })).toBe(only("minTasks must be at least 1 (got 1.5)"));
    expect(problemsOf({ ...base, maxTasks: 2.5 })).toBe(only("maxTasks must be a whole number (got 2.5)"));
    // A ceiling that is no whole number is not compared with the floor.
    expect(problemsOf({ ...base, minTasks: 3, maxTasks: 2.5 })).toBe(only("maxTasks must be a whole number (got 2.5)"));
    expect(problemsOf({ ...base, minTasks: 3, maxTasks: 2 })).toBe(
      only("minTasks (3) must not exceed maxTasks (2); raise maxTasks or lower minTasks"),
    );
  });

  test("the CPU target: above 0, at most 100", () => {
    ok({ ...base, cpuTargetPercent: 0.5 });
    ok({ ...base, cpuTargetPercent: 100 });
    for (const value of [0, -1, 100.5, NaN]) {
      expect(problemsOf({ ...base, cpuTargetPercent: value })).toBe(
        only(`cpuTargetPercent must be above 0 and at most 100 (got ${value})`),
      );
    }
  });

  test("sizes, retention, permissions, images and capacity are checked in AWS", () => {
    expect(problemsOf({ ...base, cpu: 300 })).toBe(
      only("cpu must be a Fargate size: 256, 512, 1024, 2048, 4096, 8192, 16384 (got 300)"),
    );
    expect(problemsOf({ ...base, logRetentionDays: 10 })).toBe(
      only("logRetentionDays must be a period CloudWatch accepts (got 10)"),
    );
    expect(problemsOf({ ...base, permissions: [{ actions: ["sqs:ReceiveMessage"], resources: [] }] })).toBe(
      only("permissions[0].resources must list at least one ARN"),
    );
    expect(problemsOf({ ...base, keepImages: 0 })).toBe(only("keepImages must be at least 1 (got 0)"));
    expect(problemsOf({ ...base, capacity: "SPOT" as never })).toBe(
      only('capacity must be "FARGATE" or "FARGATE_SPOT" (got "SPOT")'),
    );
    expect(problemsOf({ ...base, connections: [{ name: "DB", securityGroupId: "sg-1", port: 5432 }] })).toBe(
      only('connections[0].name must be lowercase letters, digits and hyphens (got "DB")'),
    );
    ok({ ...base, connections: undefined });
    ok({ ...base, connections: [{ name: "db", securityGroupId: "sg-1", port: 5432 }] });
  });

  test("environment values that look like secrets, or that are also secrets, are refused", () => {
    expect(problemsOf({ ...base, environment: { API_KEY: "x" } })).toBe(
      only("environment must not carry credentials: move API_KEY to secrets (injected from Secrets Manager)"),
    );
    expect(problemsOf({ ...base, environment: { QUEUE: "x" }, secrets: { QUEUE: SECRET_ARN } })).toBe(
      only("QUEUE is set in both environment and secrets; keep one"),
    );
  });

  describe("queue scaling", () => {
    const q = (queue: { queueName: pulumi.Input<string>; messagesPerTask: number }, extra: object = {}) =>
      ({
        ...base,
        maxTasks: 4,
        cluster: { ...CLUSTER, containerInsights: true },
        queue,
        ...extra,
      }) as WorkerServiceArgs;
    const nameProblem = (name: string) =>
      only(
        `queue.queueName must be an SQS queue name (up to 80 letters, digits, - and _; a FIFO queue's ends in .fifo), not its URL or ARN (got "${name}")`,
      );

    test("plain names: letters, digits, - and _, an optional .fifo, 80 at most; an Output is not checked", () => {
      for (const name of ["a", "Jobs_1-x", "a.fifo", "a".repeat(80), `${"a".repeat(75)}.fifo`]) {
        ok(q({ queueName: name, messagesPerTask: 1 }));
      }
      ok(q({ queueName: pulumi.output("https://not/a/name"), messagesPerTask: 1 }));
      for (const name of [
        "",
        ".fifo",
        "jobs.fifo.x",
        "jobs x",
        "x/jobs",
        "jobs/",
        "a".repeat(81),
        `${"a".repeat(76)}.fifo`,
      ]) {
        expect(problemsOf(q({ queueName: name, messagesPerTask: 1 }))).toBe(nameProblem(name));
      }
    });

    test("messages per task: a finite number above 0", () => {
      ok(q({ queueName: "jobs", messagesPerTask: 0.5 }));
      for (const value of [0, -1, Infinity, NaN]) {
        expect(problemsOf(q({ queueName: "jobs", messagesPerTask: value }))).toBe(
          only(`queue.messagesPerTask must be a number above 0 (got ${value})`),
        );
      }
    });

    test("room to scale and Container Insights", () => {
      expect(problemsOf(q({ queueName: "jobs", messagesPerTask: 1 }, { minTasks: 4, maxTasks: 4 }))).toBe(
        only("queue scaling needs room to scale: maxTasks (4) must exceed minTasks (4)"),
      );
      const insights =
        "queue scaling divides the backlog by Container Insights' RunningTaskCount: turn Container Insights on for the cluster and set cluster.containerInsights: true";
      expect(problemsOf(q({ queueName: "jobs", messagesPerTask: 1 }, { cluster: CLUSTER }))).toBe(only(insights));
      expect(
        problemsOf(q({ queueName: "jobs", messagesPerTask: 1 }, { cluster: { ...CLUSTER, containerInsights: false } })),
      ).toBe(only(insights));
    });
  });

  describe("the local bind mount", () => {
    const dir = tempDir("worker-mount");
    const file = join(dir, "file.txt");
    writeFileSync(file, "x");
    const local = (mount: { hostPath: string; containerPath: string }) =>
      ({ target: "docker", network: {} as never, image: { image: "nginx:1" }, mount }) as WorkerServiceArgs;

    test("an existing folder at an absolute path other than / passes; no mount passes", () => {
      ok(local({ hostPath: dir, containerPath: "/app" }));
      ok({ target: "docker", network: {} as never, image: { image: "nginx:1" }, mount: undefined });
    });

    test("a file, or a missing path, is no folder", () => {
      expect(problemsOf(local({ hostPath: file, containerPath: "/app" }))).toBe(
        only(`mount.hostPath must be an existing folder (got ${JSON.stringify(file)})`),
      );
      const missing = join(dir, "missing");
      expect(problemsOf(local({ hostPath: missing, containerPath: "/app" }))).toBe(
        only(`mount.hostPath must be an existing folder (got ${JSON.stringify(missing)})`),
      );
    });

    test("the container path: absolute, not /", () => {
      for (const containerPath of ["/", "app", ""]) {
        expect(problemsOf(local({ hostPath: dir, containerPath }))).toBe(
          only(
            `mount.containerPath must be an absolute path in the container, not / (got ${JSON.stringify(containerPath)})`,
          ),
        );
      }
    });

    test("the AWS checks do not apply locally, nor the mount in AWS", () => {
      ok({ ...local({ hostPath: dir, containerPath: "/app" }), cpu: 300, minTasks: 0 } as never);
      ok({ ...base, mount: { hostPath: join(dir, "missing"), containerPath: "app" } } as never);
    });
  });
});
