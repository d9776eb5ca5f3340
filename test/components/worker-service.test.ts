import { resolve } from "node:path";
import { contextHash } from "../../components/api-service";
import { Network } from "../../components/network";
import { validateWorkerServiceArgs, WorkerService, type WorkerServiceArgs } from "../../components/worker-service";
import { recordProgram, type SynthResult } from "../../synth/synth";
import { API_CONTEXT, ofType, physical, resource } from "../helpers/synth";
import { tempDir } from "../helpers/temp";

const T = {
  repo: "aws:ecr/repository:Repository",
  lifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  image: "docker:index/image:Image",
  remoteImage: "docker:index/remoteImage:RemoteImage",
  taskDef: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  scalingTarget: "aws:appautoscaling/target:Target",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
  dynamic: "pulumi-nodejs:dynamic:Resource",
  container: "docker:index/container:Container",
} as const;

const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
const CLUSTER = {
  arn: "arn:aws:ecs:eu-west-1:123456789012:cluster/saas-platform-test-api",
  name: "saas-platform-test-api",
};
const DB_SG = "sg-0123456789abcdef0";

type Container = {
  name: string;
  image: string;
  command?: string[];
  environment: Array<{ name: string; value: string }>;
  secrets: Array<{ name: string; valueFrom: string }>;
  readonlyRootFilesystem: boolean;
  mountPoints: unknown[];
  healthCheck?: { command: string[] };
  portMappings?: unknown[];
  logConfiguration: { options: Record<string, string> };
};
const containerOf = (result: SynthResult, name = "worker-task"): Container =>
  (JSON.parse(String(resource(result, T.taskDef, name).inputs["containerDefinitions"])) as Container[])[0]!;

/** The worker alone in AWS, on a network with one NAT gateway, with only the args a test gives besides the required ones. */
const aws = (args: Partial<Extract<WorkerServiceArgs, { target: "aws" }>> = {}) =>
  recordProgram(STACK, async () => {
    const network = new Network("net", { target: "aws", cidr: "10.9.0.0/16", natGateways: "single" });
    const worker = new WorkerService("worker", {
      target: "aws",
      network: network.requireCloud("test"),
      cluster: CLUSTER,
      image: { image: "ghcr.io/acme/worker:1.0.0" },
      ...args,
    });
    worker.allowTo("database", DB_SG, 5432);
    worker.runTask("backfill", { command: ["node", "backfill.js"], trigger: "1" });
    const c = worker.cloud;
    return {
      serviceName: c.serviceName,
      clusterName: c.clusterName,
      clusterArn: c.clusterArn,
      logGroupName: c.logGroupName,
      taskRoleArn: c.taskRoleArn,
      serviceSecurityGroupId: c.serviceSecurityGroupId,
      imageRef: worker.imageRef,
      repositoryUrl: c.repositoryUrl ?? "none",
      minTasks: c.minTasks,
      maxTasks: c.maxTasks,
      scalableTargetResourceId: c.scalableTargetResourceId ?? "none",
      privateSubnetIds: network.requireCloud("test").privateSubnetIds,
    };
  });

/** The resources of the worker component itself (not the network). */
const own = (result: SynthResult) => physical(result).filter((x) => x.urn.includes("components:WorkerService"));

describe("WorkerService (AWS) from plain args, defaults omitted", () => {
  let result: SynthResult;
  beforeAll(async () => {
    result = await aws();
  });

  test("declares a service with no load balancer, target group, listener, cluster or repository", () => {
    expect(
      own(result)
        .map((x) => [x.type, x.name])
        .sort(),
    ).toEqual(
      [
        [T.logGroup, "worker-logs"],
        [T.role, "worker-execution"],
        [T.rolePolicy, "worker-execution"],
        [T.role, "worker-task"],
        [T.sg, "worker-service"],
        [T.egress, "worker-service-https"],
        [T.taskDef, "worker-task"],
        [T.service, "worker"],
        [T.dynamic, "worker-release"],
        [T.scalingTarget, "worker-scaling"],
        [T.scalingPolicy, "worker-cpu"],
        // allowTo and runTask, called by the test program:
        [T.egress, "worker-to-database"],
        [T.taskDef, "worker-backfill-task"],
        [T.dynamic, "worker-backfill"],
      ].sort(),
    );
    expect(result.resources.find((x) => x.type === "saas-platform:components:WorkerService")?.name).toBe("worker");
  });

  test("runs the smallest Fargate task, the image as given, no port, no PORT, no command, read-only with a /tmp", () => {
    expect(resource(result, T.taskDef, "worker-task").inputs).toMatchObject({
      family: "saas-platform-test-worker",
      cpu: "256",
      memory: "512",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      volumes: [{ name: "tmp" }],
    });
    const c = containerOf(result);
    expect(c.image).toBe("ghcr.io/acme/worker:1.0.0");
    expect(c).not.toHaveProperty("portMappings");
    expect(c).not.toHaveProperty("command");
    expect(c).not.toHaveProperty("healthCheck");
    expect(c.environment).toEqual([]);
    expect(c.secrets).toEqual([]);
    expect(c.readonlyRootFilesystem).toBe(true);
    expect(c.mountPoints).toEqual([{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
    const logs = resource(result, T.logGroup, "worker-logs");
    expect(logs.inputs).toMatchObject({ name: "/ecs/saas-platform-test-worker", retentionInDays: 30 });
    expect(logs.inputs).not.toHaveProperty("kmsKeyId");
    expect(c.logConfiguration.options).toEqual({
      "awslogs-group": logs.state!["name"],
      "awslogs-region": "eu-west-1",
      "awslogs-stream-prefix": "app",
    });
  });

  test("its security group admits nothing and lets out only HTTPS (and what allowTo adds)", () => {
    const sg = resource(result, T.sg, "worker-service");
    expect(sg.inputs).not.toHaveProperty("ingress");
    expect(sg.inputs).not.toHaveProperty("egress");
    expect(ofType(result, T.ingress).filter((x) => x.inputs["securityGroupId"] === sg.id)).toEqual([]);
    expect(ofType(result, T.ingress).filter((x) => x.inputs["referencedSecurityGroupId"] === sg.id)).toEqual([]);
    const out = ofType(result, T.egress)
      .filter((x) => x.inputs["securityGroupId"] === sg.id)
      .map((x) => [x.name, x.inputs["ipProtocol"], x.inputs["fromPort"], x.inputs["toPort"], x.inputs["cidrIpv4"]]);
    expect(out.sort()).toEqual([
      ["worker-service-https", "tcp", 443, 443, "0.0.0.0/0"],
      ["worker-to-database", "tcp", 5432, 5432, undefined],
    ]);
    expect(resource(result, T.egress, "worker-to-database").inputs["referencedSecurityGroupId"]).toBe(DB_SG);
  });

  test("joins the given cluster in the private subnets: no public IP, no load balancer, rolling with rollback", () => {
    const service = resource(result, T.service, "worker");
    expect(service.inputs).toMatchObject({
      name: "saas-platform-test-worker",
      cluster: CLUSTER.arn,
      taskDefinition: resource(result, T.taskDef, "worker-task").state!["arn"],
      desiredCount: 1,
      launchType: "FARGATE",
      platformVersion: "LATEST",
      networkConfiguration: {
        subnets: result.outputs["privateSubnetIds"],
        securityGroups: [resource(result, T.sg, "worker-service").id],
        assignPublicIp: false,
      },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      waitForSteadyState: true,
    });
    expect(service.inputs).not.toHaveProperty("loadBalancers");
    expect(service.inputs).not.toHaveProperty("healthCheckGracePeriodSeconds");
    expect(service.inputs).not.toHaveProperty("capacityProviderStrategies");
    // Application Auto Scaling owns the count once it is scalable (default 1–2).
    expect(service.options.ignoreChanges).toEqual(["desiredCount"]);
    // The tasks pull their image and read their secrets through NAT: they wait for the private default routes.
    const routes = ofType(result, "aws:ec2/route:Route")
      .filter((x) => x.name.startsWith("net-private-default-"))
      .map((x) => x.urn);
    expect(routes.length).toBeGreaterThan(0);
    expect(service.dependencies).toEqual(expect.arrayContaining(routes));
  });

  test("checks each release landed, after the service", () => {
    const check = resource(result, T.dynamic, "worker-release");
    const service = resource(result, T.service, "worker");
    expect(check.inputs).toMatchObject({
      region: "eu-west-1",
      cluster: CLUSTER.arn,
      service: service.state!["name"],
      taskDefinition: resource(result, T.taskDef, "worker-task").state!["arn"],
    });
    expect(check.dependencies).toContain(service.urn);
  });

  test("scales from 1 to 2 tasks on CPU at 60 %, and on nothing else", () => {
    expect(resource(result, T.scalingTarget, "worker-scaling").inputs).toMatchObject({
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${CLUSTER.name}/saas-platform-test-worker`,
      minCapacity: 1,
      maxCapacity: 2,
    });
    expect(ofType(result, T.scalingPolicy).map((x) => x.name)).toEqual(["worker-cpu"]);
    expect(resource(result, T.scalingPolicy, "worker-cpu").inputs["targetTrackingScalingPolicyConfiguration"]).toEqual({
      targetValue: 60,
      predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
      scaleInCooldown: 300,
      scaleOutCooldown: 60,
    });
  });

  test("the execution role only writes the logs (prebuilt image, no secrets); the task role may do nothing", () => {
    const policy = JSON.parse(String(resource(result, T.rolePolicy, "worker-execution").inputs["policy"])) as {
      Statement: Array<{ Sid: string }>;
    };
    expect(policy.Statement.map((s) => s.Sid)).toEqual(["WriteLogs"]);
    expect(
      own(result)
        .filter((x) => x.type === T.rolePolicy)
        .map((x) => x.name),
    ).toEqual(["worker-execution"]);
  });

  test("outputs what stacks, office hours and one-off tasks need", () => {
    const o = result.outputs;
    expect(o).toMatchObject({
      serviceName: "saas-platform-test-worker",
      clusterName: CLUSTER.name,
      clusterArn: CLUSTER.arn,
      logGroupName: "/ecs/saas-platform-test-worker",
      taskRoleArn: resource(result, T.role, "worker-task").state!["arn"],
      serviceSecurityGroupId: resource(result, T.sg, "worker-service").id,
      imageRef: "ghcr.io/acme/worker:1.0.0",
      repositoryUrl: "none",
      minTasks: 1,
      maxTasks: 2,
      scalableTargetResourceId: `service/${CLUSTER.name}/saas-platform-test-worker`,
    });
  });

  test("runTask runs the worker's image with its task role, security group and subnets in its cluster", () => {
    const def = resource(result, T.taskDef, "worker-backfill-task");
    expect(def.inputs["taskRoleArn"]).toBe(resource(result, T.role, "worker-task").state!["arn"]);
    expect(containerOf(result, "worker-backfill-task")).toMatchObject({
      image: "ghcr.io/acme/worker:1.0.0",
      command: ["node", "backfill.js"],
    });
    expect(resource(result, T.dynamic, "worker-backfill").inputs).toMatchObject({
      cluster: CLUSTER.arn,
      securityGroups: [resource(result, T.sg, "worker-service").id],
      subnets: result.outputs["privateSubnetIds"],
    });
  });
});

describe("WorkerService (AWS) from plain args, options set", () => {
  test("a command, plain values, secrets by ARN and a container check reach the container; no secret value does", async () => {
    const secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-url-AbCdEf";
    const result = await aws({
      command: ["node", "dist/worker.js"],
      environment: { QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs", ENV: "test" },
      secrets: { DATABASE_URL: secretArn },
      containerHealthCheck: ["CMD", "node", "health.js"],
    });
    const c = containerOf(result);
    expect(c.command).toEqual(["node", "dist/worker.js"]);
    expect(c.environment).toEqual([
      { name: "ENV", value: "test" },
      { name: "QUEUE_URL", value: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs" },
    ]);
    expect(c.secrets).toEqual([{ name: "DATABASE_URL", valueFrom: secretArn }]);
    expect(c.healthCheck).toMatchObject({ command: ["CMD", "node", "health.js"] });
    expect(c).not.toHaveProperty("portMappings");
    expect(resource(result, T.taskDef, "worker-task").secretInputs).toEqual([]);
    const policy = JSON.parse(String(resource(result, T.rolePolicy, "worker-execution").inputs["policy"])) as {
      Statement: Array<{ Sid: string; Resource: unknown }>;
    };
    expect(policy.Statement.find((s) => s.Sid === "ReadSecrets")?.Resource).toEqual([secretArn]);
  });

  test("queue scaling adds AWS's backlog-per-task metric math beside CPU, and grants nothing on the queue", async () => {
    const result = await aws({
      maxTasks: 4,
      cluster: { ...CLUSTER, containerInsights: true },
      queue: { queueName: "jobs", messagesPerTask: 100 },
    });
    expect(
      ofType(result, T.scalingPolicy)
        .map((x) => x.name)
        .sort(),
    ).toEqual(["worker-cpu", "worker-queue"]);
    expect(resource(result, T.scalingPolicy, "worker-queue").inputs).toMatchObject({
      policyType: "TargetTrackingScaling",
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${CLUSTER.name}/saas-platform-test-worker`,
    });
    expect(
      resource(result, T.scalingPolicy, "worker-queue").inputs["targetTrackingScalingPolicyConfiguration"],
    ).toEqual({
      targetValue: 100,
      customizedMetricSpecification: {
        metrics: [
          {
            id: "m1",
            label: "Messages waiting in the queue",
            metricStat: {
              metric: {
                namespace: "AWS/SQS",
                metricName: "ApproximateNumberOfMessagesVisible",
                dimensions: [{ name: "QueueName", value: "jobs" }],
              },
              stat: "Sum",
            },
            returnData: false,
          },
          {
            id: "m2",
            label: "Running tasks of the service",
            metricStat: {
              metric: {
                namespace: "ECS/ContainerInsights",
                metricName: "RunningTaskCount",
                dimensions: [
                  { name: "ClusterName", value: CLUSTER.name },
                  { name: "ServiceName", value: "saas-platform-test-worker" },
                ],
              },
              stat: "Average",
            },
            returnData: false,
          },
          { id: "e1", label: "Backlog per task", expression: "m1 / m2", returnData: true },
        ],
      },
      scaleInCooldown: 300,
      scaleOutCooldown: 60,
    });
    expect(resource(result, T.scalingTarget, "worker-scaling").inputs["maxCapacity"]).toBe(4);
    expect(
      own(result)
        .filter((x) => x.type === T.rolePolicy)
        .map((x) => x.name),
    ).toEqual(["worker-execution"]);
  });

  test("a fixed size has no scalable target and keeps its count in the config; scheduledScaling registers one", async () => {
    const fixed = await aws({ minTasks: 2, maxTasks: 2 });
    expect(ofType(fixed, T.scalingTarget)).toEqual([]);
    expect(ofType(fixed, T.scalingPolicy)).toEqual([]);
    expect(resource(fixed, T.service, "worker").inputs["desiredCount"]).toBe(2);
    expect(resource(fixed, T.service, "worker").options.ignoreChanges).toBeUndefined();
    expect(fixed.outputs["scalableTargetResourceId"]).toBe("none");

    const scheduled = await aws({ minTasks: 1, maxTasks: 1, scheduledScaling: true });
    expect([...resource(scheduled, T.scalingTarget, "worker-scaling").options.ignoreChanges!].sort()).toEqual([
      "maxCapacity",
      "minCapacity",
    ]);
    expect(ofType(scheduled, T.scalingPolicy)).toEqual([]);
    expect(resource(scheduled, T.service, "worker").options.ignoreChanges).toEqual(["desiredCount"]);
  });

  test("a build is pushed to the worker's own immutable, scanned repository and run by digest", async () => {
    const result = await aws({ image: { build: { context: API_CONTEXT } }, protect: true, keepImages: 5 });
    const repo = resource(result, T.repo, "worker-repo");
    expect(repo.inputs).toMatchObject({
      name: "saas-platform-test-worker",
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      forceDelete: false,
    });
    expect(repo.options.protect).toBe(true);
    expect(
      JSON.parse(String(resource(result, T.lifecycle, "worker-repo").inputs["policy"])).rules[0].selection,
    ).toEqual({ tagStatus: "any", countType: "imageCountMoreThan", countNumber: 5 });
    const image = resource(result, T.image, "worker-image");
    expect(image.inputs).toMatchObject({
      imageName: `${String(repo.state!["repositoryUrl"])}:${contextHash(API_CONTEXT, { platform: "linux/amd64" })}`,
      build: { context: API_CONTEXT, platform: "linux/amd64" },
    });
    expect(containerOf(result).image).toBe(image.state!["repoDigest"]);
    expect(result.outputs["repositoryUrl"]).toBe(repo.state!["repositoryUrl"]);
  });

  test("Spot capacity, a logs key, longer retention, a writable root and tags", async () => {
    const key = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-000000000000";
    const result = await aws({
      capacity: "FARGATE_SPOT",
      logsKmsKeyArn: key,
      logRetentionDays: 90,
      readonlyRootFilesystem: false,
      tags: { Team: "jobs" },
    });
    const service = resource(result, T.service, "worker");
    expect(service.inputs["capacityProviderStrategies"]).toEqual([{ capacityProvider: "FARGATE_SPOT", weight: 1 }]);
    expect(service.inputs).not.toHaveProperty("launchType");
    expect(service.inputs["tags"]).toEqual({ Team: "jobs" });
    expect(resource(result, T.logGroup, "worker-logs").inputs).toMatchObject({ kmsKeyId: key, retentionInDays: 90 });
    expect(containerOf(result).readonlyRootFilesystem).toBe(false);
    expect(resource(result, T.taskDef, "worker-task").inputs["volumes"]).toEqual([]);
    expect(resource(result, T.sg, "worker-service").inputs["tags"]).toEqual({
      Team: "jobs",
      Name: "saas-platform-test-worker-service",
    });
  });
});

describe("WorkerService (Docker) from plain args", () => {
  const local = (args: Partial<Extract<WorkerServiceArgs, { target: "docker" }>> = {}) =>
    recordProgram({ ...STACK, stack: "dev" }, async () => {
      const network = new Network("net", { target: "docker", networkName: "acme-dev" });
      const worker = new WorkerService("worker", {
        target: "docker",
        network: network.requireLocal("test"),
        image: { image: "ghcr.io/acme/worker:1.0.0" },
        ...args,
      });
      return { containerName: worker.local.containerName, imageRef: worker.imageRef };
    });

  test("defaults: the image run on the dev network with no published port, read-only with a /tmp", async () => {
    const result = await local({ environment: { ENV: "dev" }, secrets: { DATABASE_URL: "postgresql://local" } });
    expect(
      own(result)
        .map((x) => [x.type, x.name])
        .sort(),
    ).toEqual([
      [T.container, "worker"],
      [T.remoteImage, "worker-image"],
    ]);
    const c = resource(result, T.container, "worker");
    expect(c.inputs).toMatchObject({
      name: "saas-platform-dev-worker",
      image: resource(result, T.remoteImage, "worker-image").state!["imageId"],
      networksAdvanced: [{ name: "acme-dev", aliases: ["worker"] }],
      envs: ["ENV=dev", "[secret]"],
      readOnly: true,
      tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" },
      restart: "unless-stopped",
      wait: true,
    });
    expect(c.secretInputs).toEqual(["envs.1"]);
    for (const absent of ["ports", "command", "volumes", "healthcheck"]) expect(c.inputs).not.toHaveProperty(absent);
    expect(result.outputs["containerName"]).toBe(c.state!["name"]);
  });

  test("hot reload: a command and a read-only bind mount of a host folder, by absolute path", async () => {
    const result = await local({
      image: { build: { context: API_CONTEXT } },
      command: ["npx", "nodemon", "src/worker.ts"],
      mount: { hostPath: API_CONTEXT, containerPath: "/app/src" },
    });
    const c = resource(result, T.container, "worker");
    expect(c.inputs).toMatchObject({
      command: ["npx", "nodemon", "src/worker.ts"],
      volumes: [{ hostPath: resolve(API_CONTEXT), containerPath: "/app/src", readOnly: true }],
    });
    expect(resource(result, T.image, "worker-image").inputs).toMatchObject({
      imageName: `saas-platform-dev-worker:${contextHash(API_CONTEXT)}`,
      skipPush: true,
    });
  });
});

describe("WorkerService args", () => {
  const base = { target: "aws", network: {} as never, cluster: CLUSTER } as const;

  test("every problem is reported at once, naming the arg and the fix", () => {
    expect(() =>
      validateWorkerServiceArgs("worker", {
        ...base,
        image: { image: "ghcr.io/acme/worker:1", build: { context: API_CONTEXT } } as never,
        command: [],
        containerHealthCheck: ["curl"],
        environment: { STRIPE_API_KEY: "sk", QUEUE: "jobs" },
        secrets: { QUEUE: "arn" },
        cpu: 256,
        memory: 4096,
        minTasks: 3,
        maxTasks: 2,
        logRetentionDays: 10,
        permissions: [{ actions: ["sqs:*"], resources: [] }],
        keepImages: 0,
        capacity: "SPOT" as never,
        cpuTargetPercent: 0,
        queue: { queueName: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs", messagesPerTask: 0 },
      }),
    ).toThrow(
      [
        'WorkerService "worker" has invalid args:',
        "  - image must give a prebuilt image or a build, not both: remove image.image or image.build",
        '  - command must list the executable and its arguments, none empty, e.g. ["node", "worker.js"] (got [])',
        '  - containerHealthCheck must be a command in Docker\'s form: ["CMD", "<executable>", "<arg>", …] or ["CMD-SHELL", "<shell command>"] (got ["curl"])',
        "  - environment must not carry credentials: move STRIPE_API_KEY to secrets (injected from Secrets Manager)",
        "  - QUEUE is set in both environment and secrets; keep one",
        "  - memory must be one Fargate offers for cpu 256: 512, 1024, 2048 MiB (got 4096)",
        "  - minTasks (3) must not exceed maxTasks (2); raise maxTasks or lower minTasks",
        "  - logRetentionDays must be a period CloudWatch accepts (got 10)",
        "  - permissions[0].actions must name actions, not wildcards (got sqs:*)",
        "  - permissions[0].resources must list at least one ARN",
        "  - keepImages must be at least 1 (got 0)",
        '  - capacity must be "FARGATE" or "FARGATE_SPOT" (got "SPOT")',
        "  - cpuTargetPercent must be above 0 and at most 100 (got 0)",
        '  - queue.queueName must be an SQS queue name (up to 80 letters, digits, - and _; a FIFO queue\'s ends in .fifo), not its URL or ARN (got "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs")',
        "  - queue.messagesPerTask must be a number above 0 (got 0)",
        "  - queue scaling needs room to scale: maxTasks (2) must exceed minTasks (3)",
        "  - queue scaling divides the backlog by Container Insights' RunningTaskCount: turn Container Insights on for the cluster and set cluster.containerInsights: true",
      ].join("\n"),
    );
  });

  test("sizes and counts at their limits", () => {
    const ok = { ...base, image: { image: "nginx:1" } };
    expect(() => validateWorkerServiceArgs("worker", { ...ok, cpu: 300 })).toThrow(
      "  - cpu must be a Fargate size: 256, 512, 1024, 2048, 4096, 8192, 16384 (got 300)",
    );
    expect(() => validateWorkerServiceArgs("worker", { ...ok, minTasks: 0 })).toThrow(
      "  - minTasks must be at least 1 (got 0)",
    );
    expect(() => validateWorkerServiceArgs("worker", { ...ok, maxTasks: 2.5 })).toThrow(
      "  - maxTasks must be a whole number (got 2.5)",
    );
    expect(() => validateWorkerServiceArgs("worker", { ...ok, cpuTargetPercent: 101 })).toThrow(
      "  - cpuTargetPercent must be above 0 and at most 100 (got 101)",
    );
    expect(() =>
      validateWorkerServiceArgs("worker", { ...ok, minTasks: 1, maxTasks: 1, cpuTargetPercent: 100 }),
    ).not.toThrow();
    expect(() => validateWorkerServiceArgs("worker", { ...ok, command: ["node", ""] })).toThrow(
      '  - command must list the executable and its arguments, none empty, e.g. ["node", "worker.js"] (got ["node",""])',
    );
  });

  test("queue names: up to 80 characters, FIFO suffix allowed, only checked when plain", () => {
    const queue = (queueName: string) => ({
      ...base,
      image: { image: "nginx:1" },
      cluster: { ...CLUSTER, containerInsights: true },
      queue: { queueName, messagesPerTask: 10 },
    });
    expect(() => validateWorkerServiceArgs("worker", queue("a".repeat(80)))).not.toThrow();
    expect(() => validateWorkerServiceArgs("worker", queue(`${"a".repeat(75)}.fifo`))).not.toThrow();
    expect(() => validateWorkerServiceArgs("worker", queue("a".repeat(81)))).toThrow("queue.queueName must be");
    expect(() => validateWorkerServiceArgs("worker", queue("jobs.fifo.fifo"))).toThrow("queue.queueName must be");
  });

  test("the local variant's bind mount needs an existing folder and an absolute container path", () => {
    const missing = resolve(tempDir("worker"), "nope");
    expect(() =>
      validateWorkerServiceArgs("worker", {
        target: "docker",
        network: {} as never,
        image: { image: "nginx:1" },
        mount: { hostPath: missing, containerPath: "app" },
      }),
    ).toThrow(
      [
        'WorkerService "worker" has invalid args:',
        `  - mount.hostPath must be an existing folder (got ${JSON.stringify(missing)})`,
        '  - mount.containerPath must be an absolute path in the container, not / (got "app")',
      ].join("\n"),
    );
  });

  test("invalid args declare nothing of the worker; allowTo refuses a port that is not one", async () => {
    const error = await aws({ cpu: 300 }).then(
      () => undefined,
      (e: { message: string; declared: Array<{ urn: string }> }) => e,
    );
    expect(error?.message).toContain("cpu must be a Fargate size");
    expect(error?.declared.filter((x) => x.urn.includes("WorkerService"))).toEqual([]);

    const badPort = await recordProgram(STACK, async () => {
      const network = new Network("net", { target: "aws", cidr: "10.9.0.0/16", natGateways: "none" });
      const worker = new WorkerService("worker", {
        target: "aws",
        network: network.requireCloud("test"),
        cluster: CLUSTER,
        image: { image: "nginx:1" },
      });
      worker.allowTo("database", DB_SG, 0);
      return {};
    }).then(
      () => undefined,
      (e: { message: string }) => e,
    );
    expect(badPort?.message).toContain('allowTo("database") port must be a port from 1 to 65535 (got 0)');
  });
});
