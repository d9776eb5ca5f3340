import * as pulumi from "@pulumi/pulumi";
import { Network } from "../../components/network";
import { RedisCache, validateRedisCacheArgs } from "../../components/redis-cache";
import { windowsOverlap } from "../../components/windows";
import { recordProgram } from "../../synth/synth";
import { resource, ofType, useStacks } from "../helpers/synth";

const T = {
  group: "aws:elasticache/replicationGroup:ReplicationGroup",
  params: "aws:elasticache/parameterGroup:ParameterGroup",
  subnets: "aws:elasticache/subnetGroup:SubnetGroup",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  password: "random:index/randomPassword:RandomPassword",
  container: "docker:index/container:Container",
  volume: "docker:index/volume:Volume",
} as const;

const r = useStacks();

describe.each([
  ["production", 1, 7, true],
  ["staging", 0, 1, false],
  ["preview", 0, 0, false],
])("the %s cache", (env, replicas, snapshots, production) => {
  test(`has ${replicas} replica(s); failover and Multi-AZ exactly when it has replicas`, () => {
    expect(resource(r(env), T.group, "cache").inputs).toMatchObject({
      numCacheClusters: 1 + replicas,
      automaticFailoverEnabled: replicas > 0,
      multiAzEnabled: replicas > 0,
    });
  });

  test("is encrypted at rest and requires TLS with a secret auth token", () => {
    const group = resource(r(env), T.group, "cache");
    expect(group.inputs).toMatchObject({
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      authToken: "[secret]",
      authTokenUpdateStrategy: "ROTATE",
      engine: "valkey",
      port: 6379,
      autoMinorVersionUpgrade: true,
    });
    expect(group.secretInputs).toEqual(["authToken"]);
    expect(resource(r(env), T.password, "cache-auth-token").inputs).toMatchObject({ length: 64, special: false });
  });

  test(`keeps daily snapshots ${snapshots} day(s), outside the maintenance window`, () => {
    const group = resource(r(env), T.group, "cache");
    expect(group.inputs).toMatchObject({
      snapshotRetentionLimit: snapshots,
      snapshotWindow: "03:00-04:00",
      maintenanceWindow: "sun:05:00-sun:06:00",
    });
    expect(windowsOverlap(String(group.inputs["snapshotWindow"]), String(group.inputs["maintenanceWindow"]))).toBe(
      false,
    );
  });

  test(
    production ? "is protected and changes wait for the maintenance window" : "is disposable and changes apply at once",
    () => {
      const group = resource(r(env), T.group, "cache");
      expect(group.options.protect ?? false).toBe(production);
      expect(group.inputs["applyImmediately"]).toBe(!production);
    },
  );

  test("lives in the private subnets, behind its own security group admitting only the API", () => {
    const group = resource(r(env), T.group, "cache");
    const subnets = resource(r(env), T.subnets, "cache-subnets");
    expect(subnets.inputs["subnetIds"]).toEqual(r(env).outputs["privateSubnetIds"]);
    expect(group.inputs["subnetGroupName"]).toBe(subnets.state!["name"]);
    const sg = resource(r(env), T.sg, "cache-sg");
    expect(group.inputs["securityGroupIds"]).toEqual([sg.id]);
    expect(sg.inputs["ingress"]).toBeUndefined();
    // The only way in: the API service's security group, on 6379.
    const ingress = ofType(r(env), T.ingress).filter((x) => x.name.startsWith("cache-"));
    expect(ingress.map((x) => x.inputs)).toEqual([
      {
        securityGroupId: sg.id,
        referencedSecurityGroupId: resource(r(env), T.sg, "api-service").id,
        ipProtocol: "tcp",
        fromPort: 6379,
        toPort: 6379,
        description: "Redis from api",
      },
    ]);
  });

  test("uses its own parameter group and ships the slow log to CloudWatch with the stack's log retention", () => {
    const group = resource(r(env), T.group, "cache");
    const params = resource(r(env), T.params, "cache-params");
    expect(params.inputs).toMatchObject({
      family: "valkey8",
      parameters: [{ name: "maxmemory-policy", value: "volatile-lru" }],
    });
    expect(group.inputs["parameterGroupName"]).toBe(params.state!["name"]);
    const log = resource(r(env), T.logGroup, "cache-slow-log");
    expect(log.inputs["retentionInDays"]).toBe({ production: 90, staging: 30, preview: 3 }[env]);
    expect(group.inputs["logDeliveryConfigurations"]).toEqual([
      { destination: log.state!["name"], destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
    ]);
  });

  test("keeps the connection URL secret in Secrets Manager and in the stack outputs", () => {
    const version = resource(r(env), T.secretVersion, "cache-url");
    expect(version.inputs["secretString"]).toBe("[secret]");
    expect(version.inputs["secretId"]).toBe(resource(r(env), T.secret, "cache-url").id);
    expect(r(env).outputs["cacheUrl"]).toBe("[secret]");
    expect(r(env).secretOutputs).toContain("cacheUrl");
    expect(r(env).outputs["cacheHost"]).toBe(resource(r(env), T.group, "cache").state!["primaryEndpointAddress"]);
    expect(r(env).outputs["cachePort"]).toBe(6379);
  });

  test("has a replication group id within ElastiCache's 40 characters", () => {
    expect(String(resource(r(env), T.group, "cache").inputs["replicationGroupId"]).length).toBeLessThanOrEqual(40);
  });
});

describe("the dev cache", () => {
  test("is a Redis container on the stack network, bound to 127.0.0.1, with a password and a ping health check", () => {
    const container = resource(r("dev"), T.container, "cache");
    expect(container.inputs).toMatchObject({
      name: "saas-platform-dev-cache",
      networksAdvanced: [{ name: "saas-platform-dev-net", aliases: ["redis"] }],
      ports: [{ internal: 6379, external: 6379, ip: "127.0.0.1" }],
      envs: ["[secret]"],
      restart: "unless-stopped",
      wait: true,
    });
    expect((container.inputs["healthcheck"] as { tests: string[] }).tests.join(" ")).toMatch(/redis-cli .* ping/);
    expect(container.inputs["command"]).toEqual([
      "sh",
      "-c",
      'exec redis-server --appendonly yes --requirepass "$REDIS_PASSWORD"',
    ]);
  });

  test("keeps its data on a named volume", () => {
    const volume = resource(r("dev"), T.volume, "cache-data");
    expect(resource(r("dev"), T.container, "cache").inputs["volumes"]).toEqual([
      { containerPath: "/data", volumeName: volume.state!["name"] },
    ]);
  });

  test("gives the same outputs as the cloud variant, the URL secret", () => {
    expect(r("dev").outputs).toMatchObject({ cacheHost: "redis", cachePort: 6379, cacheUrl: "[secret]" });
    expect(r("dev").secretOutputs).toContain("cacheUrl");
  });
});

test("consumers listed in allowFrom, and only they, may connect on 6379", async () => {
  const result = await recordProgram(
    { project: "saas-platform", stack: "test", config: {}, secretKeys: [] },
    async () => {
      const network = new Network("net", { target: "aws", cidr: "10.9.0.0/16", natGateways: "none" });
      new RedisCache("cache", {
        target: "aws",
        network: network.requireCloud("test"),
        allowFrom: [pulumi.output("sg-0api"), "sg-0worker"],
      });
      return {};
    },
  );
  const sg = resource(result, T.sg, "cache-sg");
  expect(ofType(result, T.ingress).map((x) => x.inputs)).toEqual([
    expect.objectContaining({
      securityGroupId: sg.id,
      referencedSecurityGroupId: "sg-0api",
      ipProtocol: "tcp",
      fromPort: 6379,
      toPort: 6379,
    }),
    expect.objectContaining({
      securityGroupId: sg.id,
      referencedSecurityGroupId: "sg-0worker",
      ipProtocol: "tcp",
      fromPort: 6379,
      toPort: 6379,
    }),
  ]);
  for (const rule of ofType(result, T.ingress)) expect(rule.inputs).not.toHaveProperty("cidrIpv4");
});

describe("RedisCache args", () => {
  const network = { azCount: 1 } as Parameters<typeof validateRedisCacheArgs>[1] extends infer A
    ? A extends { target: "aws"; network: infer N }
      ? N
      : never
    : never;

  test("every problem is reported at once, naming the arg", () => {
    expect(() =>
      validateRedisCacheArgs("cache", {
        target: "aws",
        network,
        replicas: 2,
        snapshotRetentionDays: 36,
        nodeType: "t4g.small",
        snapshotWindow: "05:30-06:30",
        maintenanceWindow: "sun:06:00-sun:07:00",
      }),
    ).toThrow(
      [
        'RedisCache "cache" has invalid args:',
        "  - replicas 2 means Multi-AZ, which needs a network over at least 2 AZs (got 1); set replicas to 0 or add AZs",
        "  - snapshotRetentionDays must be an integer from 0 to 35 (got 36)",
        '  - nodeType must be an ElastiCache node type such as cache.t4g.small (got "t4g.small")',
        '  - snapshotWindow "05:30-06:30" overlaps maintenanceWindow "sun:06:00-sun:07:00"; move one of them',
      ].join("\n"),
    );
  });

  test("windows must be well-formed and at least an hour long", () => {
    expect(() =>
      validateRedisCacheArgs("cache", {
        target: "aws",
        network: { ...network, azCount: 2 },
        snapshotWindow: "3am",
        maintenanceWindow: "sun:05:00-sun:05:30",
      }),
    ).toThrow(
      [
        'RedisCache "cache" has invalid args:',
        '  - snapshotWindow must be "hh:mm-hh:mm" in UTC (got "3am")',
        '  - maintenanceWindow must last at least 60 minutes (got "sun:05:00-sun:05:30")',
      ].join("\n"),
    );
  });

  test("a local cache's host port must be a port", () => {
    expect(() => validateRedisCacheArgs("cache", { target: "docker", network: {} as never, hostPort: 70000 })).toThrow(
      "  - hostPort must be a port from 1 to 65535 (got 70000)",
    );
  });
});

describe("windowsOverlap", () => {
  test.each([
    ["03:00-04:00", "sun:05:00-sun:06:00", false],
    ["04:30-05:30", "sun:05:00-sun:06:00", true],
    ["23:30-00:30", "mon:00:00-mon:01:00", true],
    ["23:00-00:00", "mon:00:00-mon:01:00", false],
    ["22:00-23:00", "sun:23:30-mon:00:30", false],
    ["23:00-00:00", "sun:23:30-mon:00:30", true],
  ])("%s against %s: %s", (daily, weekly, overlap) => {
    expect(windowsOverlap(daily, weekly)).toBe(overlap);
  });
});
