import * as pulumi from "@pulumi/pulumi";
import { Network } from "../../components/network";
import { RedisCache, validateRedisCacheArgs } from "../../components/redis-cache";
import { windowsOverlap } from "../../components/windows";
import { awsRedisCacheDefaults, type AwsRedisCacheArgs } from "../../components/redis-cache/aws";
import { recordProgram, type SynthError, type SynthResult } from "../../synth/synth";
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
    // The only way in: the API service's security group, on 6379 (a rule the service declares: its connection).
    const ingress = ofType(r(env), T.ingress).filter((x) => x.inputs["securityGroupId"] === sg.id);
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

describe("RedisCache from plain args", () => {
  const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
  /** The component alone on a minimal network; `plainUrl` is the URL with its secret mark taken off, to read its shape. */
  const build = (args: Partial<Omit<AwsRedisCacheArgs, "target" | "network">> = {}) =>
    recordProgram(STACK, async () => {
      const network = new Network("net", { target: "aws", cidr: "10.9.0.0/16", natGateways: "none" });
      const cache = new RedisCache("cache", { target: "aws", network: network.requireCloud("test"), ...args });
      return {
        host: cache.host,
        port: cache.port,
        url: cache.url,
        plainUrl: pulumi.unsecret(cache.url),
        urlIsSecret: pulumi.output(pulumi.isSecret(cache.url)),
        ...cache.cloud,
        privateSubnetIds: network.requireCloud("test").privateSubnetIds,
      };
    });
  let defaults: SynthResult;
  beforeAll(async () => {
    defaults = await build();
  });
  const group = (result = defaults) => resource(result, T.group, "cache");

  test("awsRedisCacheDefaults fills every omitted arg; the engine version follows the engine", () => {
    const network = { azCount: 2 } as never;
    expect(awsRedisCacheDefaults({ target: "aws", network })).toEqual({
      target: "aws",
      network,
      allowFrom: [],
      nodeType: "cache.t4g.small",
      replicas: 1,
      engine: "valkey",
      engineVersion: "8.0",
      snapshotRetentionDays: 7,
      snapshotWindow: "03:00-04:00",
      maintenanceWindow: "sun:05:00-sun:06:00",
      maxmemoryPolicy: "volatile-lru",
      logRetentionDays: 30,
      applyImmediately: false,
      protect: false,
      tags: {},
    });
    expect(awsRedisCacheDefaults({ target: "aws", network, engine: "redis" }).engineVersion).toBe("7.1");
  });

  test("nodeType and replicas omitted: two cache.t4g.small nodes with automatic failover over two AZs", () => {
    expect(group().inputs).toMatchObject({
      nodeType: "cache.t4g.small",
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
    });
    expect(defaults.outputs["nodes"]).toEqual({
      count: 2,
      ids: ["saas-platform-test-cache-001", "saas-platform-test-cache-002"],
    });
  });

  test("engine omitted: Valkey 8.0 with its parameter family, evicting volatile keys by LRU", () => {
    expect(group().inputs).toMatchObject({ engine: "valkey", engineVersion: "8.0", autoMinorVersionUpgrade: true });
    const params = resource(defaults, T.params, "cache-params");
    expect(params.inputs).toMatchObject({
      family: "valkey8",
      parameters: [{ name: "maxmemory-policy", value: "volatile-lru" }],
    });
    expect(group().inputs["parameterGroupName"]).toBe(params.state!["name"]);
  });

  test('engine "redis" alone: Redis 7.1 with the redis7 family', async () => {
    const result = await build({ engine: "redis" });
    expect(group(result).inputs).toMatchObject({ engine: "redis", engineVersion: "7.1" });
    expect(resource(result, T.params, "cache-params").inputs["family"]).toBe("redis7");
  });

  test("snapshots and maintenance omitted: 7 days of snapshots in 03:00–04:00, maintenance Sunday 05:00–06:00, changes wait for it", () => {
    expect(group().inputs).toMatchObject({
      snapshotRetentionLimit: 7,
      snapshotWindow: "03:00-04:00",
      maintenanceWindow: "sun:05:00-sun:06:00",
      applyImmediately: false,
    });
  });

  test("protect omitted: the replication group is not protected", () => {
    expect(group().options.protect ?? false).toBe(false);
  });

  test("logRetentionDays and logsKmsKeyArn omitted: the slow log goes to a group kept 30 days under CloudWatch's own key", async () => {
    const log = resource(defaults, T.logGroup, "cache-slow-log");
    expect(log.inputs).toEqual({ retentionInDays: 30, tags: {} });
    expect(group().inputs["logDeliveryConfigurations"]).toEqual([
      { destination: log.state!["name"], destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
    ]);
    const logsKey = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const result = await build({ logsKmsKeyArn: logsKey, logRetentionDays: 90 });
    expect(resource(result, T.logGroup, "cache-slow-log").inputs).toMatchObject({
      kmsKeyId: logsKey,
      retentionInDays: 90,
    });
  });

  test("kmsKeyArn omitted: encrypted at rest and in transit under the AWS-managed keys; a given key reaches the data and the secret", async () => {
    expect(group().inputs).toMatchObject({
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
    });
    expect(group().inputs).not.toHaveProperty("kmsKeyId");
    expect(resource(defaults, T.secret, "cache-url").inputs).not.toHaveProperty("kmsKeyId");
    const key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const result = await build({ kmsKeyArn: key });
    expect(group(result).inputs["kmsKeyId"]).toBe(key);
    expect(resource(result, T.secret, "cache-url").inputs["kmsKeyId"]).toBe(key);
  });

  test("a secret 64-character auth token, rotated in place, and a rediss:// URL secret everywhere", () => {
    expect(resource(defaults, T.password, "cache-auth-token").inputs).toMatchObject({ length: 64, special: false });
    expect(group().inputs).toMatchObject({ authToken: "[secret]", authTokenUpdateStrategy: "ROTATE", port: 6379 });
    expect(group().secretInputs).toEqual(["authToken"]);
    const host = String(group().state!["primaryEndpointAddress"]);
    expect(defaults.outputs["plainUrl"]).toMatch(
      new RegExp(`^rediss://:[A-Za-z0-9]{64}@${host.replace(/\./g, "\\.")}:6379$`),
    );
    expect(defaults.outputs["urlIsSecret"]).toBe(true);
    expect(defaults.outputs["url"]).toBe("[secret]");
    expect(defaults.secretOutputs).toContain("url");
    const version = resource(defaults, T.secretVersion, "cache-url");
    expect(version.secretInputs).toEqual(["secretString"]);
    expect(version.inputs["secretId"]).toBe(resource(defaults, T.secret, "cache-url").id);
    expect(resource(defaults, T.secret, "cache-url").inputs["recoveryWindowInDays"]).toBe(7);
    // Consumers get the version's ARN: it resolves only once the secret has its value.
    expect(defaults.outputs["secretArn"]).toBe(version.state!["arn"]);
    expect(defaults.outputs).toMatchObject({ host, port: 6379 });
  });

  test("allowFrom omitted: in the private subnets, behind a security group with no way in", () => {
    const sg = resource(defaults, T.sg, "cache-sg");
    expect(group().inputs["securityGroupIds"]).toEqual([sg.id]);
    expect(sg.inputs).not.toHaveProperty("ingress");
    expect(ofType(defaults, T.ingress)).toEqual([]);
    const subnets = resource(defaults, T.subnets, "cache-subnets");
    expect(subnets.inputs["subnetIds"]).toEqual(defaults.outputs["privateSubnetIds"]);
    expect(group().inputs["subnetGroupName"]).toBe(subnets.state!["name"]);
    expect(defaults.outputs["securityGroupId"]).toBe(sg.id);
  });

  test("the allowFrom method admits one named consumer on 6379", async () => {
    const result = await recordProgram(STACK, async () => {
      const network = new Network("net", { target: "aws", cidr: "10.9.0.0/16", natGateways: "none" });
      new RedisCache("cache", { target: "aws", network: network.requireCloud("test") }).allowFrom("api", "sg-0api");
      return {};
    });
    expect(ofType(result, T.ingress).map((x) => [x.name, x.inputs])).toEqual([
      [
        "cache-from-api",
        {
          securityGroupId: resource(result, T.sg, "cache-sg").id,
          referencedSecurityGroupId: "sg-0api",
          ipProtocol: "tcp",
          fromPort: 6379,
          toPort: 6379,
          description: "Redis from api",
        },
      ],
    ]);
  });

  test("replicas 0: one node, no failover, no Multi-AZ", async () => {
    const result = await build({ replicas: 0 });
    expect(group(result).inputs).toMatchObject({
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      multiAzEnabled: false,
    });
    expect(result.outputs["nodes"]).toEqual({ count: 1, ids: ["saas-platform-test-cache-001"] });
  });

  test("tags omitted: children carry none of their own; given tags reach every child that takes tags", async () => {
    expect(group().inputs["tags"]).toEqual({});
    const result = await build({ tags: { CostCentre: "data" } });
    const mine = result.resources.filter((x) => x.custom && x.name.startsWith("cache") && "tags" in x.inputs);
    expect(mine.map((x) => x.name).sort()).toEqual([
      "cache",
      "cache-params",
      "cache-sg",
      "cache-slow-log",
      "cache-subnets",
      "cache-url",
    ]);
    for (const x of mine) expect(x.inputs["tags"]).toMatchObject({ CostCentre: "data" });
  });

  test("every other problem with the args at once, each naming the arg and the value", () => {
    expect(() =>
      validateRedisCacheArgs("cache", {
        target: "aws",
        network: { azCount: 2 } as never,
        replicas: 6,
        engine: "memcached" as never,
        logRetentionDays: 10,
        snapshotRetentionDays: -1,
      }),
    ).toThrow(
      [
        'RedisCache "cache" has invalid args:',
        "  - replicas must be an integer from 0 to 5 (got 6)",
        "  - snapshotRetentionDays must be an integer from 0 to 35 (got -1)",
        '  - engine must be one of valkey, redis (got "memcached")',
        "  - logRetentionDays must be a period CloudWatch accepts (got 10)",
      ].join("\n"),
    );
  });

  test("invalid args declare nothing of the cache, not even its component", async () => {
    const error = await build({ replicas: 1.5 }).then(
      () => undefined,
      (e: unknown) => e as SynthError,
    );
    expect(error?.message).toBe(
      'RedisCache "cache" has invalid args:\n  - replicas must be an integer from 0 to 5 (got 1.5)',
    );
    expect(error?.declared.filter((x) => x.urn.includes("RedisCache"))).toEqual([]);
  });

  test("the Docker variant's defaults: redis:7.4-alpine on 127.0.0.1:6379, a password, a redis:// URL that is secret", async () => {
    const result = await recordProgram(STACK, async () => {
      const network = new Network("net", { target: "docker", networkName: "acme-dev" });
      const cache = new RedisCache("cache", { target: "docker", network: network.requireLocal("test") });
      return { plainUrl: pulumi.unsecret(cache.url), url: cache.url, host: cache.host, port: cache.port };
    });
    expect(resource(result, "docker:index/remoteImage:RemoteImage", "cache-image").inputs).toMatchObject({
      name: "redis:7.4-alpine",
    });
    const container = resource(result, T.container, "cache");
    expect(container.inputs).toMatchObject({
      ports: [{ internal: 6379, external: 6379, ip: "127.0.0.1" }],
      networksAdvanced: [{ name: "acme-dev", aliases: ["redis"] }],
      envs: ["[secret]"],
    });
    expect(result.outputs).toMatchObject({ host: "redis", port: 6379, url: "[secret]" });
    expect(result.outputs["plainUrl"]).toMatch(/^redis:\/\/:[A-Za-z0-9]{32}@redis:6379$/);
  });
});
