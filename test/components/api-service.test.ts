import { createHash } from "node:crypto";
import { ApiService, validateApiServiceArgs, contextHash } from "../../components/api-service";
import { ManagedPostgres } from "../../components/managed-postgres";
import { Network } from "../../components/network";
import { RedisCache } from "../../components/redis-cache";
import { renderJson } from "../../synth/formats";
import { recordProgram, synthesizeConfig, type SynthResult } from "../../synth/synth";
import type { RecordedResource } from "../../synth/recorder";
import { API_CONTEXT, ofType, resource, stackFile, synthFailure, variant, useStacks } from "../helpers/synth";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tempDir } from "../helpers/temp";
import { SHARED_LOAD_BALANCER } from "../helpers/checks";

const T = {
  repo: "aws:ecr/repository:Repository",
  lifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  image: "docker:index/image:Image",
  cluster: "aws:ecs/cluster:Cluster",
  taskDef: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  alb: "aws:lb/loadBalancer:LoadBalancer",
  tg: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  scalingTarget: "aws:appautoscaling/target:Target",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
  bucket: "aws:s3/bucket:Bucket",
  container: "docker:index/container:Container",
  run: "pulumi-nodejs:dynamic:Resource",
  route: "aws:ec2/route:Route",
} as const;

const r = useStacks();
type Container = {
  image: string;
  environment: Array<{ name: string; value: string }>;
  secrets: Array<{ name: string; valueFrom: string }>;
  readonlyRootFilesystem: boolean;
  healthCheck: { command: string[] };
  logConfiguration: { options: Record<string, string> };
  portMappings: Array<{ containerPort: number }>;
};
const container = (env: string): Container =>
  (JSON.parse(String(resource(r(env), T.taskDef, "api-task").inputs["containerDefinitions"])) as Container[])[0]!;

describe.each([
  ["production", { cpu: "256", memory: "512" }, true],
  ["staging", { cpu: "256", memory: "512" }, false],
  ["preview", { cpu: "256", memory: "512" }, false],
])("the %s API", (env, size, production) => {
  test("runs a Fargate task sized by the preset", () => {
    expect(resource(r(env), T.taskDef, "api-task").inputs).toMatchObject({
      ...size,
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
    });
  });

  test("checks /health with timing that keeps a rolling release short", () => {
    // Worst case per rolling step (before the app's own start): healthy after 2 checks of 10 s, then the old task
    // drains for 15 s: 35 s.
    expect(resource(r(env), T.tg, "api-tg").inputs).toMatchObject({
      targetType: "ip",
      protocol: "HTTP",
      port: 8080,
      deregistrationDelay: 15,
      healthCheck: {
        path: "/health",
        interval: 10,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
        matcher: "200-399",
      },
    });
  });

  test("injects DATABASE_URL and REDIS_URL from Secrets Manager and keeps plain values plain", () => {
    const c = container(env);
    expect(c.secrets).toEqual([
      { name: "DATABASE_URL", valueFrom: r(env).outputs["databaseUrlSecretArn"] },
      { name: "REDIS_URL", valueFrom: r(env).outputs["cacheUrlSecretArn"] },
    ]);
    // Production has Sentry configured: its DSN (public by design) is plain; staging and previews have none.
    const sentry =
      env === "production"
        ? [
            {
              name: "SENTRY_DSN",
              value: resource(r(env), "sentry:index/sentryKey:SentryKey", "sentry-api").state!["dsnPublic"],
            },
            { name: "SENTRY_ENVIRONMENT", value: "production" },
          ]
        : [];
    // IAM database authentication: where and as whom the app may connect with a signed token (no secret).
    const db = resource(r(env), "aws:rds/instance:Instance", "database");
    expect(c.environment).toEqual([
      { name: "DATABASE_HOST", value: db.state!["address"] },
      { name: "DATABASE_IAM_USER", value: "app_iam" },
      { name: "DATABASE_NAME", value: "app" },
      { name: "DATABASE_PORT", value: "5432" },
      { name: "ENV", value: env },
      { name: "PORT", value: "8080" },
      ...sentry,
    ]);
    expect(c.environment.map((e) => e.name)).not.toContain("DATABASE_URL");
    // No secret value anywhere in the task definition: it would be visible to anyone who can describe it.
    expect(resource(r(env), T.taskDef, "api-task").secretInputs).toEqual([]);
  });

  test("runs the container read-only with a writable /tmp, no container check by default, and logs to its group", () => {
    const c = container(env);
    expect(c.readonlyRootFilesystem).toBe(true);
    expect(resource(r(env), T.taskDef, "api-task").inputs["volumes"]).toEqual([{ name: "tmp" }]);
    // The load balancer's HTTP check decides; a container command would fail on images without it (python:*-slim).
    expect(c).not.toHaveProperty("healthCheck");
    const logs = resource(r(env), T.logGroup, "api-logs");
    expect(logs.inputs["retentionInDays"]).toBe({ production: 90, staging: 30, preview: 3 }[env]);
    expect(c.logConfiguration.options).toEqual({
      "awslogs-group": logs.state!["name"],
      "awslogs-region": "eu-west-1",
      "awslogs-stream-prefix": "app",
    });
  });

  test("runs the image it built, pinned by digest, from its own scanned, immutable repository", () => {
    const repo = resource(r(env), T.repo, "api-repo");
    expect(repo.inputs).toMatchObject({
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      forceDelete: !production,
    });
    expect(repo.options.protect ?? false).toBe(production);
    const lifecycle = JSON.parse(String(resource(r(env), T.lifecycle, "api-repo").inputs["policy"]));
    expect(lifecycle.rules[0].selection).toEqual({
      tagStatus: "any",
      countType: "imageCountMoreThan",
      countNumber: 30,
    });
    const image = resource(r(env), T.image, "api-image");
    expect(image.inputs).toMatchObject({
      imageName: `${String(repo.state!["repositoryUrl"])}:${contextHash(API_CONTEXT, { platform: "linux/amd64" })}`,
      build: { context: API_CONTEXT, platform: "linux/amd64" },
    });
    expect(image.secretInputs).toEqual(["registry.password"]);
    expect(container(env).image).toBe(image.state!["repoDigest"]);
    expect(container(env).image).toMatch(/@sha256:[0-9a-f]{64}$/);
  });
});

// Previews join staging's cluster and load balancer instead: test/stacks/preview.test.ts.
describe.each([
  ["production", 2, 4, true, "disabled"],
  ["production-large", 2, 10, true, "enabled"],
  ["staging", 1, 2, false, "disabled"],
])("the %s API's own cluster and load balancer", (env, min, max, production, insights) => {
  test(`scales from ${min} to ${max} tasks on CPU and on requests per target`, () => {
    expect(resource(r(env), T.scalingTarget, "api-scaling").inputs).toMatchObject({
      minCapacity: min,
      maxCapacity: max,
    });
    const cpu = resource(r(env), T.scalingPolicy, "api-cpu").inputs["targetTrackingScalingPolicyConfiguration"];
    expect(cpu).toMatchObject({
      targetValue: 60,
      predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
    });
    const requests = resource(r(env), T.scalingPolicy, "api-requests").inputs[
      "targetTrackingScalingPolicyConfiguration"
    ] as {
      predefinedMetricSpecification: { predefinedMetricType: string; resourceLabel: string };
    };
    expect(requests.predefinedMetricSpecification.predefinedMetricType).toBe("ALBRequestCountPerTarget");
    expect(requests.predefinedMetricSpecification.resourceLabel).toBe(
      `${String(resource(r(env), T.alb, "api-alb").state!["arnSuffix"])}/${String(resource(r(env), T.tg, "api-tg").state!["arnSuffix"])}`,
    );
    expect(resource(r(env), T.service, "api").inputs["desiredCount"]).toBe(min);
    expect(resource(r(env), T.service, "api").options.ignoreChanges).toEqual(["desiredCount"]);
  });

  test("rolls out safely: circuit breaker with rollback, 100 % / 200 %, waits for steady state, grace period", () => {
    expect(resource(r(env), T.service, "api").inputs).toMatchObject({
      launchType: "FARGATE",
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      waitForSteadyState: true,
      healthCheckGracePeriodSeconds: 60,
      availabilityZoneRebalancing: "ENABLED",
    });
  });

  test("runs in the private subnets without a public IP, reachable only from the load balancer", () => {
    const service = resource(r(env), T.service, "api");
    const serviceSg = resource(r(env), T.sg, "api-service");
    const albSg = resource(r(env), T.sg, "api-alb");
    expect(service.inputs["networkConfiguration"]).toEqual({
      subnets: r(env).outputs["privateSubnetIds"],
      securityGroups: [serviceSg.id],
      assignPublicIp: false,
    });
    const intoService = ofType(r(env), T.ingress).filter((x) => x.inputs["securityGroupId"] === serviceSg.id);
    expect(intoService.map((x) => x.inputs)).toEqual([
      expect.objectContaining({ referencedSecurityGroupId: albSg.id, fromPort: 8080, toPort: 8080, ipProtocol: "tcp" }),
    ]);
  });

  test("puts an internet-facing load balancer in the public subnets, reachable on 443 only from Cloudflare", () => {
    const alb = resource(r(env), T.alb, "api-alb");
    expect(alb.inputs).toMatchObject({
      loadBalancerType: "application",
      internal: false,
      subnets: r(env).outputs["publicSubnetIds"],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: production,
    });
    const albSg = resource(r(env), T.sg, "api-alb");
    const open = ofType(r(env), T.ingress).filter((x) => x.inputs["securityGroupId"] === albSg.id);
    const lists = ofType(r(env), "aws:ec2/managedPrefixList:ManagedPrefixList");
    expect(lists.map((l) => l.inputs["addressFamily"]).sort()).toEqual(["IPv4", "IPv6"]);
    expect(open.map((x) => [x.inputs["fromPort"], x.inputs["prefixListId"]]).sort()).toEqual(
      lists.map((l) => [443, l.id]).sort(),
    );
    for (const rule of open) {
      expect(rule.inputs).not.toHaveProperty("cidrIpv4");
      expect(rule.inputs).not.toHaveProperty("cidrIpv6");
    }
  });

  test("serves HTTPS with TLS 1.2/1.3 and the zone's validated certificate, and redirects HTTP", () => {
    const https = resource(r(env), T.listener, "api-https");
    const validation = resource(r(env), "aws:acm/certificateValidation:CertificateValidation", "dns-api-certificate");
    expect(https.inputs).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificateArn: validation.state!["certificateArn"],
      defaultActions: [{ type: "forward", targetGroupArn: resource(r(env), T.tg, "api-tg").state!["arn"] }],
    });
    // The listener waits for the validation, not just the certificate request.
    expect(https.propertyDependencies["certificateArn"]).toEqual([validation.urn]);
    expect(resource(r(env), T.listener, "api-http").inputs).toMatchObject({
      port: 80,
      protocol: "HTTP",
      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    });
  });

  test("writes access logs to a private, encrypted bucket with a lifecycle", () => {
    const bucket = resource(r(env), T.bucket, "api-access-logs");
    expect(resource(r(env), T.alb, "api-alb").inputs["accessLogs"]).toEqual({
      bucket: bucket.state!["bucket"],
      prefix: "api",
      enabled: true,
    });
    const sse = resource(
      r(env),
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "api-access-logs",
    );
    expect(sse.inputs["rules"]).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    expect(
      resource(r(env), "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "api-access-logs").inputs,
    ).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const lifecycle = resource(
      r(env),
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "api-access-logs",
    );
    expect((lifecycle.inputs["rules"] as Array<{ expiration: { days: number } }>)[0]!.expiration.days).toBe(
      { production: 90, "production-large": 90, staging: 30, preview: 3 }[env],
    );
    const policy = JSON.parse(
      String(resource(r(env), "aws:s3/bucketPolicy:BucketPolicy", "api-access-logs").inputs["policy"]),
    );
    expect((policy.Statement as Array<{ Sid: string }>).map((s) => s.Sid)).toEqual([
      "ElbWritesAccessLogs",
      "LogDeliveryWritesAccessLogs",
      "TlsOnly",
    ]);
    expect(policy.Statement[0].Resource).toBe(
      `arn:aws:s3:::${String(bucket.state!["bucket"])}/api/AWSLogs/123456789012/*`,
    );
  });

  test(`runs on-demand on a cluster (Container Insights ${insights}) that also offers Spot (to previews)`, () => {
    const cluster = resource(r(env), T.cluster, "api-cluster");
    // Container Insights costs ~$6 a month of custom metrics: on in the large size only.
    expect(cluster.inputs["settings"]).toEqual([{ name: "containerInsights", value: insights }]);
    expect(resource(r(env), "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "api-cluster").inputs).toEqual(
      { clusterName: cluster.state!["name"], capacityProviders: ["FARGATE", "FARGATE_SPOT"] },
    );
    expect(resource(r(env), T.service, "api").inputs["launchType"]).toBe("FARGATE");
    expect(resource(r(env), T.service, "api").inputs).not.toHaveProperty("capacityProviderStrategies");
  });
});

test("the large size keeps the earlier task size (1 vCPU / 2 GB) one setting away", () => {
  expect(resource(r("production-large"), T.taskDef, "api-task").inputs).toMatchObject({ cpu: "1024", memory: "2048" });
});

describe("readiness", () => {
  test.each(["production", "staging", "preview"])(
    "%s: the task definition waits for the values of both URL secrets, not only for the secrets",
    (env) => {
      const task = resource(r(env), T.taskDef, "api-task");
      const versions = ofType(r(env), "aws:secretsmanager/secretVersion:SecretVersion").map((v) => v.urn);
      expect(versions).toHaveLength(2);
      for (const version of versions) expect(task.dependencies).toContain(version);
    },
  );

  test.each(["production", "staging"])("%s: the service waits for its subnets' routes to NAT", (env) => {
    const service = resource(r(env), T.service, "api");
    const routes = ofType(r(env), "aws:ec2/route:Route").filter((x) => x.name.startsWith("network-private-default"));
    const associations = ofType(r(env), "aws:ec2/routeTableAssociation:RouteTableAssociation").filter((x) =>
      x.name.startsWith("network-private-"),
    );
    expect(routes.length).toBeGreaterThan(0);
    for (const x of [...routes, ...associations]) expect(service.dependencies).toContain(x.urn);
  });
});

describe("IAM", () => {
  test("the execution role may pull from its repository, write its log group and read exactly its secrets", () => {
    const policy = JSON.parse(String(resource(r("production"), T.rolePolicy, "api-execution").inputs["policy"]));
    const repo = resource(r("production"), T.repo, "api-repo");
    const logs = resource(r("production"), T.logGroup, "api-logs");
    const key = resource(r("production"), "aws:kms/key:Key", "database-key");
    expect(policy.Statement).toEqual([
      { Sid: "RegistryLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
      {
        Sid: "PullImage",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        Resource: [repo.state!["arn"]],
      },
      {
        Sid: "WriteLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`${String(logs.state!["arn"])}:*`],
      },
      {
        Sid: "ReadSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue"],
        Resource: [
          r("production").outputs["cacheUrlSecretArn"],
          r("production").outputs["databaseUrlSecretArn"],
        ].sort(),
      },
      {
        Sid: "DecryptSecrets",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [key.state!["arn"]],
        // KMS sees the regional endpoint: a value without the region would deny every decrypt.
        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
      },
    ]);
  });

  test("both roles trust only ECS tasks of this account; the task role may only connect to its database as its IAM user", () => {
    for (const role of ["api-execution", "api-task"]) {
      const trust = JSON.parse(String(resource(r("production"), T.role, role).inputs["assumeRolePolicy"]));
      expect(trust.Statement).toEqual([
        {
          Effect: "Allow",
          Principal: { Service: "ecs-tasks.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ]);
    }
    const taskPolicy = JSON.parse(String(resource(r("production"), T.rolePolicy, "api-task").inputs["policy"])) as {
      Statement: Array<{ Action: unknown }>;
    };
    expect(taskPolicy.Statement.map((s) => s.Action)).toEqual([["rds-db:connect"]]);
  });

  test("permissions grant the task role exactly the listed actions on the listed resources", async () => {
    const result = await program({
      permissions: [{ actions: ["s3:GetObject", "s3:PutObject"], resources: ["arn:aws:s3:::acme-uploads/*"] }],
    });
    expect(JSON.parse(String(resource(result, T.rolePolicy, "api-task").inputs["policy"])).Statement).toEqual([
      { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: ["arn:aws:s3:::acme-uploads/*"] },
    ]);
  });
});

describe("the dev API", () => {
  test("is the same build context run locally on the stack network, wired to the local Postgres and Redis", () => {
    const c = resource(r("dev"), T.container, "api");
    const image = resource(r("dev"), T.image, "api-image");
    expect(image.inputs).toMatchObject({
      imageName: `saas-platform-dev-api:${contextHash(API_CONTEXT, { dockerfile: "Dockerfile" })}`,
      skipPush: true,
      build: { context: API_CONTEXT },
    });
    expect(c.inputs).toMatchObject({
      image: image.state!["imageName"],
      networksAdvanced: [{ name: "saas-platform-dev-net", aliases: ["api"] }],
      ports: [{ internal: 8080, external: 8080, ip: "127.0.0.1" }],
      envs: ["ENV=dev", "PORT=8080", "[secret]", "[secret]"],
      readOnly: true,
      wait: true,
    });
    expect(c.secretInputs).toEqual(["envs.2", "envs.3"]);
    expect(c.inputs).not.toHaveProperty("healthcheck");
    expect(r("dev").outputs["apiUrl"]).toBe("http://127.0.0.1:8080");
  });
});

describe("release blast radius", () => {
  const changed = (a: SynthResult, b: SynthResult): RecordedResource[] => {
    const before = new Map(a.resources.map((x) => [x.urn, JSON.stringify(x.inputs)]));
    return b.resources.filter((x) => before.get(x.urn) !== JSON.stringify(x.inputs));
  };

  // Production only: the composition is the same in every cloud stack, and each synth costs about a second.
  test.each(["production"])(
    "a new image tag in %s changes only the image, the task definition, the service and its release check",
    async (stack) => {
      const api = JSON.parse(stackFile(stack).config["saas-platform:api"]!) as object;
      const [a, b] = [
        await synthesizeConfig(variant(stack, { api: { ...api, imageTag: "release-1" } })),
        await synthesizeConfig(variant(stack, { api: { ...api, imageTag: "release-2" } })),
      ];
      expect(a.resources.map((x) => x.urn)).toEqual(b.resources.map((x) => x.urn));
      expect(
        changed(a, b)
          .map((x) => x.type)
          .sort(),
      ).toEqual([T.image, T.service, T.taskDef, "pulumi-nodejs:dynamic:Resource"].sort());
      // The check runs again for the new revision (the IAM user's grants do not change with the image).
      expect(changed(a, b).find((x) => x.type.startsWith("pulumi-nodejs"))!.name).toBe("api-release");
      // Names that would force a replacement stay put; only the task definition's revision moves.
      const [serviceA, serviceB] = [resource(a, T.service, "api"), resource(b, T.service, "api")];
      expect(serviceB.inputs["name"]).toBe(serviceA.inputs["name"]);
      expect(serviceB.inputs["taskDefinition"]).not.toBe(serviceA.inputs["taskDefinition"]);
      expect(resource(b, T.taskDef, "api-task").inputs["family"]).toBe(
        resource(a, T.taskDef, "api-task").inputs["family"],
      );
    },
  );
});

const program = (args: Record<string, unknown>) =>
  recordProgram({ project: "saas-platform", stack: "test", config: {}, secretKeys: [] }, async () => {
    const network = new Network("net", { target: "aws", cidr: "10.9.0.0/16", natGateways: "none" });
    new ApiService("api", {
      target: "aws",
      network: network.requireCloud("test"),
      image: { image: "ghcr.io/acme/api:1.4.2" },
      certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
      ...args,
    } as never);
    return {};
  });

test("without a prefix list, the load balancer is open on 80 and 443 to the world (IPv4 and IPv6)", async () => {
  const result = await program({});
  const albSg = resource(result, T.sg, "api-alb");
  const open = ofType(result, T.ingress).filter((x) => x.inputs["securityGroupId"] === albSg.id);
  expect(open.map((x) => [x.inputs["fromPort"], x.inputs["cidrIpv4"] ?? x.inputs["cidrIpv6"]]).sort()).toEqual([
    [443, "0.0.0.0/0"],
    [443, "::/0"],
    [80, "0.0.0.0/0"],
    [80, "::/0"],
  ]);
});

test("behind an edge proxy, publicIpv4: false makes the load balancer IPv6-only on the internet side", async () => {
  const result = await program({ ingressPrefixListIds: ["pl-0123456789abcdef0"], publicIpv4: false });
  const alb = resource(result, T.alb, "api-alb");
  expect(alb.inputs["ipAddressType"]).toBe("dualstack-without-public-ipv4");
  expect(resource(await program({}), T.alb, "api-alb").inputs["ipAddressType"]).toBe("ipv4");
});

test("an IPv6-only load balancer needs an IPv6 network and an edge in front of it", async () => {
  const error = await recordProgram(
    { project: "saas-platform", stack: "test", config: {}, secretKeys: [] },
    async () => {
      const network = new Network("net", { target: "aws", cidr: "10.9.0.0/16", natGateways: "none", ipv6: false });
      new ApiService("api", {
        target: "aws",
        network: network.requireCloud("test"),
        image: { image: "ghcr.io/acme/api:1.4.2" },
        certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
        publicIpv4: false,
      });
      return {};
    },
  ).then(
    () => undefined,
    (e: { message: string }) => e,
  );
  expect(error?.message).toContain(
    [
      "  - publicIpv4: false needs a network with ipv6 (the load balancer's public side is then IPv6 only)",
      "  - publicIpv4: false is for a load balancer behind an edge proxy (set ingressPrefixListIds to its ranges): IPv4-only clients could not reach it directly",
    ].join("\n"),
  );
});

test("a prebuilt image is used as given, with no repository or build", async () => {
  const result = await program({});
  expect(ofType(result, T.repo)).toEqual([]);
  expect(ofType(result, T.image)).toEqual([]);
  const defs = JSON.parse(
    String(resource(result, T.taskDef, "api-task").inputs["containerDefinitions"]),
  ) as Container[];
  expect(defs[0]!.image).toBe("ghcr.io/acme/api:1.4.2");
  expect(
    (
      JSON.parse(String(resource(result, T.rolePolicy, "api-execution").inputs["policy"])) as {
        Statement: Array<{ Sid: string }>;
      }
    ).Statement.map((s) => s.Sid),
  ).toEqual(["WriteLogs"]);
});

describe("the content tag hashes exactly what docker build sends", () => {
  const context = (files: Record<string, string>): string => {
    const dir = tempDir("context");
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  };
  const base = {
    Dockerfile: "FROM node:22-slim\nCOPY . .\n",
    ".dockerignore": "# dependencies\nnode_modules\n*.md\n!README.md\n",
    "server.js": "listen()",
    "dist/app.js": "built 1",
    "node_modules/x/index.js": "dep 1",
    "NOTES.md": "notes 1",
    "README.md": "readme 1",
  };
  const tagWith = (changes: Record<string, string>) => contextHash(context({ ...base, ...changes }));
  const tag = tagWith({});

  test("is a stable 12-character hex tag", () => {
    expect(tagWith({})).toBe(tag);
    expect(tag).toMatch(/^[0-9a-f]{12}$/);
  });

  test("changes with any file Docker sends, dist/ included (ECR refuses a second image under one tag)", () => {
    expect(tagWith({ "dist/app.js": "built 2" })).not.toBe(tag);
    expect(tagWith({ "server.js": "listen(1)" })).not.toBe(tag);
    expect(tagWith({ "README.md": "readme 2" })).not.toBe(tag); // re-included by !README.md
    expect(tagWith({ "src/new.js": "" })).not.toBe(tag);
  });

  test("ignores what .dockerignore excludes", () => {
    expect(tagWith({ "node_modules/x/index.js": "dep 2" })).toBe(tag);
    expect(tagWith({ "NOTES.md": "notes 2" })).toBe(tag);
  });

  test("counts the Dockerfile and .dockerignore even when they exclude themselves", () => {
    const own = { ".dockerignore": "Dockerfile\n.dockerignore\n" };
    expect(tagWith({ ...own, Dockerfile: "FROM node:22-slim\nCOPY . /app\n" })).not.toBe(tagWith(own));
  });

  test("a Dockerfile's own ignore file wins over the context's", () => {
    const own = { "Dockerfile.dockerignore": "dist\n" };
    expect(tagWith({ ...own, "dist/app.js": "built 2" })).toBe(tagWith(own));
  });

  test("changes with the target, build args, platform and an executable bit", () => {
    const dir = context(base);
    expect(contextHash(dir, { target: "prod" })).not.toBe(contextHash(dir));
    expect(contextHash(dir, { args: { NODE_ENV: "production" } })).not.toBe(contextHash(dir));
    expect(contextHash(dir, { platform: "linux/arm64" })).not.toBe(contextHash(dir, { platform: "linux/amd64" }));
    const before = contextHash(dir);
    chmodSync(join(dir, "server.js"), 0o755);
    expect(contextHash(dir)).not.toBe(before);
  });
});

describe("ApiService args", () => {
  const base = { target: "aws", network: {} as never, certificateArn: "arn" } as const;

  test("joining a shared load balancer needs a valid rule priority, 1 to 5 hostnames and a known capacity", () => {
    expect(() =>
      validateApiServiceArgs("api", {
        ...base,
        image: { image: "nginx:1" },
        capacity: "SPOT" as never,
        sharedLoadBalancer: { ...SHARED_LOAD_BALANCER, hostnames: ["API.example.com"], priority: 50001 },
      }),
    ).toThrow(
      [
        'ApiService "api" has invalid args:',
        '  - capacity must be "FARGATE" or "FARGATE_SPOT" (got "SPOT")',
        "  - sharedLoadBalancer.priority must be a whole number from 1 to 50000 (got 50001)",
        "  - sharedLoadBalancer.hostnames must be DNS names (got API.example.com)",
      ].join("\n"),
    );
    expect(() =>
      validateApiServiceArgs("api", {
        ...base,
        image: { image: "nginx:1" },
        sharedLoadBalancer: { ...SHARED_LOAD_BALANCER, hostnames: [], priority: 1 },
      }),
    ).toThrow("sharedLoadBalancer.hostnames must list 1 to 5 hostnames, the most a host-header rule matches (got 0)");
    // Host-header rules match wildcards too.
    expect(() =>
      validateApiServiceArgs("api", {
        ...base,
        image: { image: "nginx:1" },
        sharedLoadBalancer: {
          ...SHARED_LOAD_BALANCER,
          hostnames: ["*.pr.example.com", "api.example.com"],
          priority: 1,
        },
      }),
    ).not.toThrow();
  });

  test("every problem is reported at once, naming the arg and the fix", () => {
    expect(() =>
      validateApiServiceArgs("api", {
        ...base,
        image: { image: "ghcr.io/acme/api:1", build: { context: API_CONTEXT } } as never,
        cpu: 256,
        memory: 4096,
        minTasks: 5,
        maxTasks: 2,
        environment: { DATABASE_URL: "postgresql://x", STRIPE_API_KEY: "sk" },
        permissions: [{ actions: ["s3:*"], resources: ["arn:aws:s3:::b/*"] }],
      }),
    ).toThrow(
      [
        'ApiService "api" has invalid args:',
        "  - image must give a prebuilt image or a build, not both: remove image.image or image.build",
        "  - environment must not carry credentials: move DATABASE_URL, STRIPE_API_KEY to secrets (injected from Secrets Manager)",
        "  - memory must be one Fargate offers for cpu 256: 512, 1024, 2048 MiB (got 4096)",
        "  - minTasks (5) must not exceed maxTasks (2); raise maxTasks or lower minTasks",
        "  - permissions[0].actions must name actions, not wildcards (got s3:*)",
      ].join("\n"),
    );
  });

  test("a build context must exist and hold its Dockerfile", () => {
    expect(() => validateApiServiceArgs("api", { ...base, image: { build: { context: "no/such/dir" } } })).toThrow(
      '  - image.build.context must be an existing folder (got "no/such/dir")',
    );
    expect(() =>
      validateApiServiceArgs("api", {
        ...base,
        image: { build: { context: API_CONTEXT, dockerfile: "Prod.Dockerfile" } },
      }),
    ).toThrow(`  - image.build.dockerfile must be a file in the context (no ${API_CONTEXT}/Prod.Dockerfile)`);
  });

  test("invalid args declare nothing of the service", async () => {
    const error = await program({ cpu: 300 }).then(
      () => undefined,
      (e: { message: string; declared: Array<{ urn: string }> }) => e,
    );
    expect(error?.message).toContain("cpu must be a Fargate size: 256, 512, 1024, 2048, 4096, 8192, 16384 (got 300)");
    expect(error?.declared.filter((x) => x.urn.includes("ApiService"))).toEqual([]);
  });
});

test("no stack records the registry password the image push uses in plain text", () => {
  for (const env of ["production", "staging", "preview", "dev"]) {
    expect(renderJson(r(env))).not.toContain("synth-ecr-password");
  }
});

test.each(["production", "staging", "preview"])(
  "%s: the tasks may open HTTPS out and reach the database and cache by security group, nothing else",
  (env) => {
    const sg = resource(r(env), T.sg, "api-service");
    const out = ofType(r(env), T.egress)
      .filter((x) => x.inputs["securityGroupId"] === sg.id)
      .map((x) => [
        x.name,
        x.inputs["ipProtocol"],
        x.inputs["fromPort"],
        x.inputs["cidrIpv4"] ?? x.inputs["referencedSecurityGroupId"],
      ]);
    expect(out.sort()).toEqual(
      [
        ["api-service-https", "tcp", 443, "0.0.0.0/0"],
        ["api-to-database", "tcp", 5432, resource(r(env), T.sg, "database-sg").id],
        ["api-to-cache", "tcp", 6379, resource(r(env), T.sg, "cache-sg").id],
      ].sort(),
    );
  },
);

describe("an opt-in container health check", () => {
  const CHECK = [
    "CMD",
    "python",
    "-c",
    "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')",
  ];

  test("is the user's command, in AWS", async () => {
    const result = await program({ containerHealthCheck: CHECK });
    const [c] = JSON.parse(String(resource(result, T.taskDef, "api-task").inputs["containerDefinitions"])) as Array<{
      healthCheck: { command: string[]; interval: number; retries: number; startPeriod: number };
    }>;
    expect(c!.healthCheck).toEqual({ command: CHECK, interval: 15, timeout: 5, retries: 3, startPeriod: 30 });
  });

  test("must be in Docker's form, in the component and in the stack file", async () => {
    const error = await program({ containerHealthCheck: ["curl", "-f", "http://127.0.0.1/health"] }).then(
      () => undefined,
      (e: { message: string }) => e,
    );
    expect(error?.message).toContain(
      'containerHealthCheck must be a command in Docker\'s form: ["CMD", "<executable>", "<arg>", …] or ["CMD-SHELL", "<shell command>"] (got ["curl","-f","http://127.0.0.1/health"])',
    );
    const config = await synthFailure(
      variant("production", { api: { build: { context: "test/fixtures/api" }, containerHealthCheck: ["CMD"] } }),
    );
    expect(config.message).toContain(`saas-platform:api.containerHealthCheck must be a command in Docker's form`);
  });
});

describe("gated releases: a migration before each new image", () => {
  const SECRETS = {
    DATABASE_URL: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-url",
    REDIS_URL: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redis-url",
  };
  const IMAGE = "ghcr.io/acme/api:1.4.2";
  const COMMAND = ["npm", "run", "migrate"];
  const CONNECTIONS = [
    { name: "database", securityGroupId: "sg-0db", port: 5432 },
    { name: "cache", securityGroupId: "sg-0cache", port: 6379 },
  ];
  const gated = (args: Record<string, unknown> = {}) =>
    program({ secrets: SECRETS, connections: CONNECTIONS, migration: { command: COMMAND }, ...args });
  const definitionOf = (result: SynthResult, name: string) =>
    (JSON.parse(String(resource(result, T.taskDef, name).inputs["containerDefinitions"])) as Container[])[0]!;

  test("runs the command with the service's new image, task role, secrets and log group", async () => {
    const result = await gated();
    const definition = resource(result, T.taskDef, "api-migration-task");
    const c = definitionOf(result, "api-migration-task") as Container & { command: string[] };
    expect(c.image).toBe(IMAGE);
    expect(c.image).toBe(definitionOf(result, "api-task").image);
    expect(c.command).toEqual(COMMAND);
    // Every secret of the service by default, as ARNs: no value in the task definition.
    expect(c.secrets).toEqual(definitionOf(result, "api-task").secrets);
    expect(c.environment).toEqual([]);
    expect(definition.inputs).toMatchObject({
      family: "saas-platform-test-api-migration",
      taskRoleArn: resource(result, T.role, "api-task").state!["arn"],
      executionRoleArn: resource(result, T.role, "api-execution").state!["arn"],
    });
    expect(c.logConfiguration.options).toMatchObject({
      "awslogs-group": resource(result, T.logGroup, "api-logs").state!["name"],
      "awslogs-stream-prefix": "migration",
    });
    // The secrets it names, when it names them.
    const some = await gated({ migration: { command: COMMAND, secrets: ["DATABASE_URL"] } });
    expect(definitionOf(some, "api-migration-task").secrets).toEqual([
      { name: "DATABASE_URL", valueFrom: SECRETS.DATABASE_URL },
    ]);
  });

  test("the run: the service's security group and private subnets, a timeout, and a trigger of image and command", async () => {
    const result = await gated();
    const run = resource(result, T.run, "api-migration");
    const subnets = ofType(result, "aws:ec2/subnet:Subnet").filter((x) => x.name.startsWith("net-private"));
    expect(run.inputs).toMatchObject({
      taskDefinition: resource(result, T.taskDef, "api-migration-task").state!["arn"],
      cluster: resource(result, T.cluster, "api-cluster").state!["arn"],
      securityGroups: [resource(result, T.sg, "api-service").id],
      subnets: subnets.map((x) => x.id),
      timeoutSeconds: 600,
      trigger: createHash("sha256")
        .update(JSON.stringify({ image: IMAGE, command: COMMAND }))
        .digest("hex"),
      description: "api migration",
      __provider: "(dynamic provider code)",
    });
    expect(subnets).toHaveLength(2);
    const longer = await gated({ migration: { command: COMMAND, timeoutSeconds: 1800 } });
    expect(resource(longer, T.run, "api-migration").inputs["timeoutSeconds"]).toBe(1800);
  });

  test("runs again when the image or the command changes, not when anything else does", async () => {
    const trigger = (r: SynthResult) => resource(r, T.run, "api-migration").inputs["trigger"];
    const base = trigger(await gated());
    expect(trigger(await gated({ minTasks: 3, maxTasks: 6 }))).toBe(base);
    expect(trigger(await gated({ image: { image: "ghcr.io/acme/api:1.4.3" } }))).not.toBe(base);
    expect(trigger(await gated({ migration: { command: ["npm", "run", "migrate:all"] } }))).not.toBe(base);
  });

  test("the service's new revision and the service wait for the run; the run waits for every network path", async () => {
    const result = await gated();
    const run = resource(result, T.run, "api-migration");
    // A failed migration stops the up before the new revision is registered and before the service changes.
    expect(resource(result, T.taskDef, "api-task").dependencies).toContain(run.urn);
    expect(resource(result, T.service, "api").dependencies).toContain(run.urn);
    const paths = [
      resource(result, T.egress, "api-service-https"),
      resource(result, T.egress, "api-to-database"),
      resource(result, T.ingress, "api-to-database-ingress"),
      resource(result, T.egress, "api-to-cache"),
      resource(result, T.ingress, "api-to-cache-ingress"),
    ];
    for (const rule of paths) {
      expect(run.dependencies).toContain(rule.urn);
      expect(resource(result, T.service, "api").dependencies).toContain(rule.urn);
    }
    // Nothing of the release waits for anything but the run: the release check still follows the service.
    expect(resource(result, T.run, "api-release").dependencies).toContain(resource(result, T.service, "api").urn);
  });

  test("the run also waits for the private subnets' routes to NAT (the image pull, the secrets)", async () => {
    const result = await recordProgram(
      { project: "saas-platform", stack: "test", config: {}, secretKeys: [] },
      async () => {
        const network = new Network("net", { target: "aws", cidr: "10.9.0.0/16", natGateways: "single" });
        new ApiService("api", {
          target: "aws",
          network: network.requireCloud("test"),
          image: { image: IMAGE },
          certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
          migration: { command: COMMAND },
        });
        return {};
      },
    );
    const routes = ofType(result, T.route).filter((x) => x.name.startsWith("net-private-default"));
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) expect(resource(result, T.run, "api-migration").dependencies).toContain(route.urn);
  });

  test("without a migration nothing runs and a release starts at once", async () => {
    const result = await program({ secrets: SECRETS });
    expect(ofType(result, T.run).map((x) => x.name)).toEqual(["api-release"]);
    expect(ofType(result, T.taskDef).map((x) => x.name)).toEqual(["api-task"]);
  });

  test("every problem of the migration and the connections is reported at once", () => {
    expect(() =>
      validateApiServiceArgs("api", {
        target: "aws",
        network: {} as never,
        certificateArn: "arn",
        image: { image: IMAGE },
        secrets: SECRETS,
        connections: [
          { name: "Database", securityGroupId: "sg-1", port: 5432 },
          { name: "cache", securityGroupId: "sg-2", port: 0 },
          { name: "cache", securityGroupId: "sg-3", port: 6379 },
        ],
        migration: { command: [], timeoutSeconds: 30, secrets: ["DATABASE_URL", "STRIPE_KEY"] },
      }),
    ).toThrow(
      [
        'ApiService "api" has invalid args:',
        '  - connections[0].name must be lowercase letters, digits and hyphens (got "Database")',
        "  - connections[1].port must be a port from 1 to 65535 (got 0)",
        "  - connections must name each target once (cache repeated)",
        '  - migration.command must list the command and its arguments, e.g. ["npm", "run", "migrate"] (got [])',
        "  - migration.timeoutSeconds must be a whole number of seconds from 60 to 3600 (got 30)",
        "  - migration.secrets must name secrets of the service: STRIPE_KEY is not one (it has DATABASE_URL, REDIS_URL)",
      ].join("\n"),
    );
    const invalid = (migration: object) => () =>
      validateApiServiceArgs("api", {
        target: "aws",
        network: {} as never,
        certificateArn: "arn",
        image: { image: IMAGE },
        migration: migration as never,
      });
    expect(invalid({ command: ["npm", ""], timeoutSeconds: 3601 })).toThrow(
      [
        'ApiService "api" has invalid args:',
        '  - migration.command must hold non-empty strings only (got ["npm",""])',
        "  - migration.timeoutSeconds must be a whole number of seconds from 60 to 3600 (got 3601)",
      ].join("\n"),
    );
    expect(invalid({ command: COMMAND, timeoutSeconds: 60 })).not.toThrow();
    expect(invalid({ command: COMMAND, timeoutSeconds: 3600 })).not.toThrow();
  });

  test("a bad api.migration in a stack file names the file and the key", async () => {
    const api = JSON.parse(stackFile("production").config["saas-platform:api"]!) as object;
    const error = await synthFailure(
      variant("production", { api: { ...api, migration: { command: [], timeoutSeconds: 4000 } } }),
    );
    expect(error.message).toContain(
      'Pulumi.production.yaml: saas-platform:api.migration.command must be a command of non-empty words such as ["npm", "run", "migrate"] (got [])',
    );
    expect(error.message).toContain(
      "Pulumi.production.yaml: saas-platform:api.migration.timeoutSeconds must be an integer from 60 to 3600 (got 4000)",
    );
  });

  test("api.migration in a stack file gates the stack's releases; a new image runs it again", async () => {
    const api = JSON.parse(stackFile("production").config["saas-platform:api"]!) as object;
    const release = (tag: string) =>
      synthesizeConfig(
        variant("production", { api: { ...api, imageTag: tag, migration: { command: COMMAND, timeoutSeconds: 900 } } }),
      );
    const [a, b] = [await release("release-1"), await release("release-2")];
    const run = resource(a, T.run, "api-migration");
    expect(run.inputs["timeoutSeconds"]).toBe(900);
    expect(resource(a, T.service, "api").dependencies).toContain(run.urn);
    expect(definitionOf(a, "api-migration-task").image).toBe(definitionOf(a, "api-task").image);
    expect(resource(b, T.run, "api-migration").inputs["trigger"]).not.toBe(run.inputs["trigger"]);
    // The same resources as without a migration, plus its task definition and its run.
    const without = await synthesizeConfig(variant("production", { api: { ...api, imageTag: "release-1" } }));
    expect(a.resources.map((x) => x.urn).filter((u) => !without.resources.some((x) => x.urn === u))).toEqual([
      resource(a, T.taskDef, "api-migration-task").urn,
      run.urn,
    ]);
  });
});

describe("connections: both rules before the tasks, kept where allowFrom declared them", () => {
  test.each(["production", "staging", "preview"])(
    "%s: the database's and the cache's ingress rules are the service's, aliased to allowFrom's",
    (env) => {
      for (const [target, component, port, label] of [
        ["database", "ManagedPostgres", 5432, "PostgreSQL"],
        ["cache", "RedisCache", 6379, "Redis"],
      ] as const) {
        const rule = resource(r(env), T.ingress, `api-to-${target}-ingress`);
        expect(rule.parent).toBe(ofType(r(env), "saas-platform:components:ApiService")[0]!.urn);
        expect(rule.options.aliases).toEqual([
          `urn:pulumi:${r(env).stack}::saas-platform::saas-platform:components:${component}$${T.ingress}::${target}-from-api`,
        ]);
        expect(rule.inputs).toEqual({
          securityGroupId: resource(r(env), T.sg, `${target}-sg`).id,
          referencedSecurityGroupId: resource(r(env), T.sg, "api-service").id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          description: `${label} from api`,
        });
        expect(resource(r(env), T.service, "api").dependencies).toContain(rule.urn);
      }
    },
  );

  test("connectionFor moves allowFrom's rule unchanged: same inputs, the alias is the URN it had", async () => {
    const declare = (how: "allowFrom" | "connections") =>
      recordProgram({ project: "saas-platform", stack: "test", config: {}, secretKeys: [] }, async () => {
        const network = new Network("net", { target: "aws", cidr: "10.9.0.0/16", natGateways: "none" });
        const aws = network.requireCloud("test");
        const db = new ManagedPostgres("db", { target: "aws", network: aws, finalSnapshot: false });
        const cache = new RedisCache("cache", { target: "aws", network: aws });
        const api = new ApiService("api", {
          target: "aws",
          network: aws,
          image: { image: "ghcr.io/acme/api:1.4.2" },
          certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
          ...(how === "connections" ? { connections: [db.connectionFor("api"), cache.connectionFor("api")] } : {}),
        });
        if (how === "allowFrom") {
          db.allowFrom("api", api.cloud.serviceSecurityGroupId);
          cache.allowFrom("api", api.cloud.serviceSecurityGroupId);
          api.allowTo("db", db.cloud.securityGroupId, 5432);
          api.allowTo("cache", cache.cloud.securityGroupId, 6379);
        }
        return {};
      });
    const [before, after] = [await declare("allowFrom"), await declare("connections")];
    for (const [store, old] of [
      ["db", "db-from-api"],
      ["cache", "cache-from-api"],
    ]) {
      const was = resource(before, T.ingress, old!);
      const is = resource(after, T.ingress, `api-to-${store}-ingress`);
      expect(is.options.aliases).toEqual([was.urn]);
      expect(is.inputs).toEqual(was.inputs);
      // The egress rule keeps its name and parent: the same URN, nothing to alias.
      expect(resource(after, T.egress, `api-to-${store}`).urn).toBe(resource(before, T.egress, `api-to-${store}`).urn);
      expect(resource(after, T.egress, `api-to-${store}`).inputs).toEqual(
        resource(before, T.egress, `api-to-${store}`).inputs,
      );
    }
    // Everything else is the same set of resources.
    const urns = (x: SynthResult) => x.resources.map((y) => y.urn).filter((u) => !u.includes("IngressRule::"));
    expect(urns(after).sort()).toEqual(urns(before).sort());
  });

  test("a connection without an alias is a new pair of rules described by the service", async () => {
    const result = await program({ connections: [{ name: "search", securityGroupId: "sg-0search", port: 9200 }] });
    expect(resource(result, T.ingress, "api-to-search-ingress").inputs).toMatchObject({
      securityGroupId: "sg-0search",
      referencedSecurityGroupId: resource(result, T.sg, "api-service").id,
      fromPort: 9200,
      description: "from api on 9200",
    });
    expect(resource(result, T.ingress, "api-to-search-ingress").options).toEqual({});
    expect(resource(result, T.egress, "api-to-search").inputs).toMatchObject({
      referencedSecurityGroupId: "sg-0search",
      description: "to search on 9200",
    });
  });
});
