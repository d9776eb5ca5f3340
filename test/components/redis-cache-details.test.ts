// The details of RedisCache that the stack tests and redis-cache.test.ts leave open: every input of every child in
// both variants (defaults, explicit `undefined` and every arg set), the wiring between children, the transforms, the
// methods, and the exact text of every argument check at its boundaries. Each program is built once and only read.
import * as pulumi from "@pulumi/pulumi";
import type { AwsNetworkOutputs, DockerNetworkOutputs } from "../../components/network";
import { physicalName } from "../../components/naming";
import type { ServiceConnection } from "../../components/consumers";
import { RedisCache, validateRedisCacheArgs, type RedisCacheArgs } from "../../components/redis-cache";
import {
  awsRedisCacheDefaults,
  CACHE_ENGINES,
  PARAMETER_FAMILIES,
  parameterFamily,
  type CacheEngine,
  type AwsRedisCacheArgs,
} from "../../components/redis-cache/aws";
import { createDockerRedisCache, LOCAL_CACHE_ALIAS } from "../../components/redis-cache/docker";
import { recordProgram, type SynthResult } from "../../synth/synth";
import type { RecordedResource } from "../../synth/recorder";
import { ofType, resource } from "../helpers/synth";
import { recordCalls } from "../helpers/spies";

const T = {
  component: "saas-platform:components:RedisCache",
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
  image: "docker:index/remoteImage:RemoteImage",
} as const;

const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
const SCOPE = { project: "saas-platform", stack: "test" };
const DATA_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1111aaaa-11aa-11aa-11aa-111111111111";
const LOGS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/2222bbbb-22bb-22bb-22bb-222222222222";

/** Only what the cache reads of a network: its VPC, its private subnets and how many AZs they span. */
const awsNetwork = (azCount = 2): AwsNetworkOutputs =>
  ({
    vpcId: pulumi.output("vpc-0cache"),
    privateSubnetIds: pulumi.output(["subnet-0a", "subnet-0b"]),
    azCount,
  }) as unknown as AwsNetworkOutputs;
const dockerNetwork = (): DockerNetworkOutputs => ({
  networkName: pulumi.output("acme-dev"),
  networkId: pulumi.output("net-0"),
});

/** What a test reads of one cache: its outputs, with the URL also unsecreted to read its shape. */
const outputsOf = (cache: RedisCache) => ({
  host: cache.host,
  port: cache.port,
  url: cache.url,
  plainUrl: pulumi.unsecret(cache.url),
  urlIsSecret: pulumi.output(pulumi.isSecret(cache.url)),
  ...(cache.cloud ? { cloud: cache.cloud } : { noCloud: true }),
});
type Out = { host: string; port: number; plainUrl: string; urlIsSecret: boolean; cloud?: Record<string, unknown> };
const out = (result: SynthResult, name: string) => result.outputs[name] as Out;

/** The children of one cache (by its name), keyed by role. */
function awsChildren(result: SynthResult, name: string) {
  return {
    component: resource(result, T.component, name),
    group: resource(result, T.group, name),
    params: resource(result, T.params, `${name}-params`),
    subnets: resource(result, T.subnets, `${name}-subnets`),
    sg: resource(result, T.sg, `${name}-sg`),
    log: resource(result, T.logGroup, `${name}-slow-log`),
    password: resource(result, T.password, `${name}-auth-token`),
    secret: resource(result, T.secret, `${name}-url`),
    version: resource(result, T.secretVersion, `${name}-url`),
  };
}
const stateOf = (r: RecordedResource, key: string) => r.state![key];

/** The replication group every omitted (or `undefined`) arg leads to. */
function defaultGroupInputs(result: SynthResult, name: string): Record<string, unknown> {
  const c = awsChildren(result, name);
  return {
    replicationGroupId: `saas-platform-test-${name}`,
    description: `saas-platform test ${name}`,
    engine: "valkey",
    engineVersion: "8.0",
    nodeType: "cache.t4g.small",
    numCacheClusters: 2,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    port: 6379,
    subnetGroupName: stateOf(c.subnets, "name"),
    securityGroupIds: [c.sg.id],
    parameterGroupName: stateOf(c.params, "name"),
    atRestEncryptionEnabled: true,
    transitEncryptionEnabled: true,
    transitEncryptionMode: "required",
    authToken: "[secret]",
    authTokenUpdateStrategy: "ROTATE",
    snapshotRetentionLimit: 7,
    snapshotWindow: "03:00-04:00",
    maintenanceWindow: "sun:05:00-sun:06:00",
    autoMinorVersionUpgrade: true,
    applyImmediately: false,
    logDeliveryConfigurations: [
      {
        destination: stateOf(c.log, "name"),
        destinationType: "cloudwatch-logs",
        logFormat: "json",
        logType: "slow-log",
      },
    ],
    tags: {},
  };
}

describe("the AWS cache with every arg omitted, or given as undefined", () => {
  let result: SynthResult;
  beforeAll(async () => {
    result = await recordProgram(STACK, async () => {
      const omitted = new RedisCache("cache", { target: "aws", network: awsNetwork() });
      const undef = new RedisCache("undef", {
        target: "aws",
        network: awsNetwork(),
        allowFrom: undefined,
        nodeType: undefined,
        replicas: undefined,
        engine: undefined,
        engineVersion: undefined,
        snapshotRetentionDays: undefined,
        snapshotWindow: undefined,
        maintenanceWindow: undefined,
        maxmemoryPolicy: undefined,
        logRetentionDays: undefined,
        logsKmsKeyArn: undefined,
        kmsKeyArn: undefined,
        applyImmediately: undefined,
        protect: undefined,
        tags: undefined,
        transform: undefined,
      });
      const solo = new RedisCache("solo", { target: "aws", network: awsNetwork(1), replicas: 0 });
      const long = new RedisCache("a-cache-name-far-longer-than-elasticache-allows", {
        target: "aws",
        network: awsNetwork(),
      });
      return {
        cache: outputsOf(omitted),
        undef: outputsOf(undef),
        solo: outputsOf(solo),
        long: outputsOf(long),
      };
    });
  });

  test.each(["cache", "undef"])("%s: the replication group takes every default", (name) => {
    expect(awsChildren(result, name).group.inputs).toEqual(defaultGroupInputs(result, name));
  });

  test.each(["cache", "undef"])("%s: every other child takes its defaults", (name) => {
    const c = awsChildren(result, name);
    expect(c.params.inputs).toEqual({
      family: "valkey8",
      description: `${name}: valkey 8.0 parameters`,
      parameters: [{ name: "maxmemory-policy", value: "volatile-lru" }],
      tags: {},
    });
    expect(c.subnets.inputs).toEqual({
      description: `${name}: private subnets`,
      subnetIds: ["subnet-0a", "subnet-0b"],
      tags: {},
    });
    expect(c.sg.inputs).toEqual({
      vpcId: "vpc-0cache",
      description: `${name}: valkey on 6379, only from its consumers`,
      tags: { Name: `saas-platform-test-${name}-sg` },
    });
    expect(c.log.inputs).toEqual({ retentionInDays: 30, tags: {} });
    expect(c.password.inputs).toEqual({ length: 64, special: false });
    expect(c.secret.inputs).toEqual({
      description: `${name}: connection URL (rediss://) with its auth token`,
      recoveryWindowInDays: 7,
      tags: {},
    });
    expect(c.version.inputs).toEqual({ secretId: c.secret.id, secretString: "[secret]" });
    expect(c.version.secretInputs).toEqual(["secretString"]);
    expect(ofType(result, T.ingress)).toEqual([]);
  });

  test.each(["cache", "undef"])("%s: nothing is protected and every child is the component's", (name) => {
    const c = awsChildren(result, name);
    const children = result.resources.filter((x) => x.parent === c.component.urn);
    expect(children.map((x) => `${x.type} ${x.name}`).sort()).toEqual(
      [
        `${T.group} ${name}`,
        `${T.logGroup} ${name}-slow-log`,
        `${T.params} ${name}-params`,
        `${T.password} ${name}-auth-token`,
        `${T.secret} ${name}-url`,
        `${T.secretVersion} ${name}-url`,
        `${T.sg} ${name}-sg`,
        `${T.subnets} ${name}-subnets`,
      ].sort(),
    );
    for (const child of children) expect(child.options).toEqual({});
  });

  test.each(["cache", "undef"])(
    "%s: outputs: host, port, the exact rediss:// URL (secret), two sorted nodes",
    (name) => {
      const c = awsChildren(result, name);
      const host = String(stateOf(c.group, "primaryEndpointAddress"));
      const token = String(stateOf(c.password, "result"));
      expect(token).toMatch(/^[A-Za-z0-9]{64}$/);
      expect(out(result, name)).toMatchObject({
        host,
        port: 6379,
        plainUrl: `rediss://:${token}@${host}:6379`,
        urlIsSecret: true,
        cloud: {
          securityGroupId: c.sg.id,
          secretArn: stateOf(c.version, "arn"),
          nodes: { count: 2, ids: [`saas-platform-test-${name}-001`, `saas-platform-test-${name}-002`] },
        },
      });
      expect(result.secretOutputs).toContain(`${name}.url`);
    },
  );

  test("replicas 0: one node without failover or Multi-AZ, on a network of one AZ", () => {
    expect(awsChildren(result, "solo").group.inputs).toMatchObject({
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      multiAzEnabled: false,
    });
    expect(out(result, "solo").cloud).toMatchObject({ nodes: { count: 1, ids: ["saas-platform-test-solo-001"] } });
  });

  test("a long name is cut to ElastiCache's 40 characters for the replication group id only", () => {
    const name = "a-cache-name-far-longer-than-elasticache-allows";
    const c = awsChildren(result, name);
    const id = physicalName(SCOPE, name, "elasticacheReplicationGroup");
    expect(id.length).toBeLessThanOrEqual(40);
    expect(id).not.toBe(physicalName(SCOPE, name));
    expect(c.group.inputs["replicationGroupId"]).toBe(id);
    expect(c.group.inputs["description"]).toBe(`saas-platform test ${name}`);
    expect(c.sg.inputs["tags"]).toEqual({ Name: physicalName(SCOPE, `${name}-sg`) });
  });
});

describe("the AWS cache with every arg set", () => {
  let result: SynthResult;
  let cache: RedisCache;
  let connection: ServiceConnection;
  let registered: Array<Record<string, pulumi.Output<unknown>>>;
  beforeAll(async () => {
    const { result: built, recorded } = await recordCalls(() =>
      recordProgram(STACK, async () => {
        cache = new RedisCache("cache", {
          target: "aws",
          network: awsNetwork(3),
          allowFrom: [pulumi.output("sg-0api"), "sg-0worker"],
          nodeType: "cache.r6g.2xlarge",
          replicas: 3,
          engine: "redis",
          engineVersion: "7.0",
          snapshotRetentionDays: 14,
          snapshotWindow: "01:00-02:00",
          maintenanceWindow: "mon:03:00-mon:04:30",
          maxmemoryPolicy: "noeviction",
          logRetentionDays: 90,
          logsKmsKeyArn: LOGS_KEY,
          kmsKeyArn: DATA_KEY,
          applyImmediately: true,
          protect: true,
          tags: { CostCentre: "data" },
        });
        cache.allowFrom("jobs", "sg-0jobs");
        connection = cache.connectionFor("api");
        return {
          cache: outputsOf(cache),
          connectionSecurityGroupId: pulumi.output(connection.securityGroupId),
        };
      }),
    );
    result = built;
    registered = recorded.registeredBy(cache) as Array<Record<string, pulumi.Output<unknown>>>;
  });

  test("the replication group takes every arg", () => {
    const c = awsChildren(result, "cache");
    expect(c.group.inputs).toEqual({
      ...defaultGroupInputs(result, "cache"),
      engine: "redis",
      engineVersion: "7.0",
      nodeType: "cache.r6g.2xlarge",
      numCacheClusters: 4,
      kmsKeyId: DATA_KEY,
      snapshotRetentionLimit: 14,
      snapshotWindow: "01:00-02:00",
      maintenanceWindow: "mon:03:00-mon:04:30",
      applyImmediately: true,
      tags: { CostCentre: "data" },
    });
    expect(c.group.secretInputs).toEqual(["authToken"]);
    expect(c.group.options).toEqual({ protect: true });
  });

  test("the other children take the engine, version, policy, retention, keys and tags", () => {
    const c = awsChildren(result, "cache");
    expect(c.params.inputs).toEqual({
      family: "redis7",
      description: "cache: redis 7.0 parameters",
      parameters: [{ name: "maxmemory-policy", value: "noeviction" }],
      tags: { CostCentre: "data" },
    });
    expect(c.subnets.inputs).toEqual({
      description: "cache: private subnets",
      subnetIds: ["subnet-0a", "subnet-0b"],
      tags: { CostCentre: "data" },
    });
    expect(c.sg.inputs).toEqual({
      vpcId: "vpc-0cache",
      description: "cache: redis on 6379, only from its consumers",
      tags: { CostCentre: "data", Name: "saas-platform-test-cache-sg" },
    });
    expect(c.log.inputs).toEqual({ retentionInDays: 90, kmsKeyId: LOGS_KEY, tags: { CostCentre: "data" } });
    expect(c.password.inputs).toEqual({ length: 64, special: false });
    expect(c.secret.inputs).toEqual({
      description: "cache: connection URL (rediss://) with its auth token",
      kmsKeyId: DATA_KEY,
      recoveryWindowInDays: 7,
      tags: { CostCentre: "data" },
    });
    expect(c.version.inputs).toEqual({ secretId: c.secret.id, secretString: "[secret]" });
  });

  test("only the replication group is protected; every child, rules included, is the component's", () => {
    const c = awsChildren(result, "cache");
    const children = result.resources.filter((x) => x.parent === c.component.urn);
    expect(children).toHaveLength(11);
    for (const child of children) expect(child.options).toEqual(child === c.group ? { protect: true } : {});
    for (const rule of ofType(result, T.ingress)) expect(rule.parent).toBe(c.component.urn);
  });

  test("allowFrom admits each listed group on 6379 with a numbered rule; the method adds a named one", () => {
    const sg = resource(result, T.sg, "cache-sg");
    const rule = (source: string, description: string) => ({
      securityGroupId: sg.id,
      referencedSecurityGroupId: source,
      ipProtocol: "tcp",
      fromPort: 6379,
      toPort: 6379,
      description,
    });
    expect(Object.fromEntries(ofType(result, T.ingress).map((x) => [x.name, x.inputs]))).toEqual({
      "cache-from-1": rule("sg-0api", "redis from consumer 1"),
      "cache-from-2": rule("sg-0worker", "redis from consumer 2"),
      "cache-from-jobs": rule("sg-0jobs", "Redis from jobs"),
    });
  });

  test("connectionFor describes the rule a service declares, aliased to the rule allowFrom would have made", () => {
    expect(connection).toMatchObject({ name: "cache", port: 6379, ingressDescription: "Redis from api" });
    expect(result.outputs["connectionSecurityGroupId"]).toBe(resource(result, T.sg, "cache-sg").id);
    expect(connection.ingressAliases).toHaveLength(1);
    const alias = connection.ingressAliases![0] as pulumi.Alias;
    expect(Object.keys(alias).sort()).toEqual(["name", "parent"]);
    expect(alias.name).toBe("cache-from-api");
    expect(alias.parent).toBe(cache);
  });

  test("outputs: the exact URL (secret), four sorted nodes, the version's ARN", () => {
    const c = awsChildren(result, "cache");
    const host = String(stateOf(c.group, "primaryEndpointAddress"));
    expect(out(result, "cache")).toEqual({
      host,
      port: 6379,
      url: "[secret]",
      plainUrl: `rediss://:${String(stateOf(c.password, "result"))}@${host}:6379`,
      urlIsSecret: true,
      cloud: {
        securityGroupId: c.sg.id,
        secretArn: stateOf(c.version, "arn"),
        nodes: { count: 4, ids: [1, 2, 3, 4].map((i) => `saas-platform-test-cache-00${i}`) },
      },
    });
  });

  test("the component registers its host, port and URL as its outputs", () => {
    expect(registered).toHaveLength(1);
    const outputs = registered[0]!;
    expect(Object.keys(outputs).sort()).toEqual(["host", "port", "url"]);
    expect(outputs["host"] === cache.host).toBe(true); // by identity: printing an Output on failure is slow
    expect(outputs["port"] === cache.port).toBe(true); // by identity: printing an Output on failure is slow
    expect(outputs["url"] === cache.url).toBe(true); // by identity: printing an Output on failure is slow
  });
});

describe("the AWS cache's transforms", () => {
  let result: SynthResult;
  /** The args keys a function hook sees when no key is given: an unset key is absent, not `undefined`. */
  const keys: Record<string, string[]> = {};
  beforeAll(async () => {
    result = await recordProgram(STACK, async () => {
      new RedisCache("peek", {
        target: "aws",
        network: awsNetwork(),
        transform: {
          replicationGroup: (args) => void (keys["group"] = Object.keys(args).sort()),
          slowLogGroup: (args) => void (keys["log"] = Object.keys(args).sort()),
          secret: (args) => void (keys["secret"] = Object.keys(args).sort()),
        },
      });
      let stored: pulumi.Input<string | undefined> | undefined;
      const cache = new RedisCache("cache", {
        target: "aws",
        network: awsNetwork(),
        allowFrom: ["sg-0api"],
        transform: {
          // Ten nodes (more than `replicas` allows) to see the ids sorted as strings: `-0010` before `-002`.
          replicationGroup: { numCacheClusters: 10 },
          parameterGroup: { description: "params by transform" },
          subnetGroup: { description: "subnets by transform" },
          securityGroup: { description: "sg by transform" },
          slowLogGroup: { retentionInDays: 1 },
          authToken: { length: 100 },
          secret: { description: "secret by transform" },
          secretVersion: (args) => {
            stored = args.secretString;
          },
          ingressRule: { description: "rule by transform" },
        },
      });
      return { cache: outputsOf(cache), stored: pulumi.unsecret(pulumi.output(stored)) };
    });
  });

  test("each hook reaches its own child, and only it", () => {
    const c = awsChildren(result, "cache");
    expect(c.group.inputs["numCacheClusters"]).toBe(10);
    expect(c.params.inputs["description"]).toBe("params by transform");
    expect(c.subnets.inputs["description"]).toBe("subnets by transform");
    expect(c.sg.inputs["description"]).toBe("sg by transform");
    expect(c.log.inputs["retentionInDays"]).toBe(1);
    expect(c.password.inputs).toEqual({ length: 100, special: false });
    expect(c.secret.inputs["description"]).toBe("secret by transform");
    expect(resource(result, T.ingress, "cache-from-1").inputs["description"]).toBe("rule by transform");
  });

  test("without keys, a function hook sees no kmsKeyId at all", () => {
    expect(keys).toEqual({
      group: Object.keys(defaultGroupInputs(result, "peek")).sort(),
      log: ["retentionInDays", "tags"],
      secret: ["description", "recoveryWindowInDays", "tags"],
    });
  });

  test("the secret's version stores exactly the URL the component outputs", () => {
    const { plainUrl } = out(result, "cache");
    expect(plainUrl).toMatch(/^rediss:\/\/:[A-Za-z0-9]{100}@master\..+:6379$/);
    expect(result.outputs["stored"]).toBe(plainUrl);
  });

  test("node ids come sorted", () => {
    const ids = Array.from({ length: 10 }, (_, i) => `saas-platform-test-cache-00${i + 1}`);
    expect(out(result, "cache").cloud!["nodes"]).toEqual({ count: 2, ids: [...ids].sort() });
    expect([...ids].sort()).not.toEqual(ids);
  });
});

describe("the Docker cache", () => {
  let result: SynthResult;
  let envs: unknown;
  const errors: string[] = [];
  beforeAll(async () => {
    result = await recordProgram(STACK, async () => {
      const plain = new RedisCache("cache", { target: "docker", network: dockerNetwork() });
      const custom = new RedisCache("custom", {
        target: "docker",
        network: dockerNetwork(),
        image: "redis:7.2-bookworm",
        hostPort: 16379,
        transform: {
          container: (args) => {
            envs = args.envs;
            args.restart = "always";
          },
          volume: { driver: "local" },
          image: { keepLocally: false },
        },
      });
      for (const attempt of [() => plain.allowFrom("api", "sg-0api"), () => plain.connectionFor("api")]) {
        try {
          attempt();
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
      const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
      const direct = createDockerRedisCache("direct", { target: "docker", network: dockerNetwork() }, parent);
      const directPort = createDockerRedisCache(
        "direct-port",
        { target: "docker", network: dockerNetwork(), hostPort: 16380 },
        parent,
      );
      return {
        cache: outputsOf(plain),
        custom: outputsOf(custom),
        env: pulumi.unsecret(pulumi.output(envs as pulumi.Input<string>[])),
        direct: { url: pulumi.unsecret(direct.url), localUrl: pulumi.unsecret(direct.localUrl) },
        directPort: { localUrl: pulumi.unsecret(directPort.localUrl) },
        localUrlIsSecret: pulumi.output(pulumi.isSecret(directPort.localUrl)),
      };
    });
  });

  const password = (name: string) => String(stateOf(resource(result, T.password, `${name}-password`), "result"));

  test("defaults: every input of the container, the image and the volume", () => {
    const image = resource(result, T.image, "cache-image");
    const volume = resource(result, T.volume, "cache-data");
    expect(image.inputs).toEqual({ name: "redis:7.4-alpine", keepLocally: true });
    expect(volume.inputs).toEqual({ name: "saas-platform-test-cache-data" });
    const container = resource(result, T.container, "cache");
    expect(container.inputs).toEqual({
      name: "saas-platform-test-cache",
      image: stateOf(image, "imageId"),
      envs: ["[secret]"],
      command: ["sh", "-c", 'exec redis-server --appendonly yes --requirepass "$REDIS_PASSWORD"'],
      networksAdvanced: [{ name: "acme-dev", aliases: ["redis"] }],
      ports: [{ internal: 6379, external: 6379, ip: "127.0.0.1" }],
      volumes: [{ volumeName: stateOf(volume, "name"), containerPath: "/data" }],
      healthcheck: {
        tests: ["CMD-SHELL", 'redis-cli --no-auth-warning -a "$REDIS_PASSWORD" ping | grep -q PONG'],
        interval: "5s",
        timeout: "3s",
        retries: 10,
        startPeriod: "5s",
      },
      restart: "unless-stopped",
      wait: true,
      waitTimeout: 60,
      labels: [{ label: "managed-by", value: "pulumi" }],
    });
    expect(container.secretInputs).toEqual(["envs.0"]);
    const component = resource(result, T.component, "cache");
    for (const child of [image, volume, container]) {
      expect(child.parent).toBe(component.urn);
      expect(child.options).toEqual({});
    }
  });

  test("defaults: outputs are the alias, 6379 and a secret redis:// URL with the container's password; no cloud", () => {
    expect(LOCAL_CACHE_ALIAS).toBe("redis");
    expect(out(result, "cache")).toEqual({
      host: "redis",
      port: 6379,
      url: "[secret]",
      plainUrl: `redis://:${password("cache")}@redis:6379`,
      urlIsSecret: true,
      noCloud: true,
    });
  });

  test("the image, host port and transforms given reach the container, the image and the volume", () => {
    expect(resource(result, T.image, "custom-image").inputs).toEqual({
      name: "redis:7.2-bookworm",
      keepLocally: false,
    });
    expect(resource(result, T.volume, "custom-data").inputs).toEqual({
      name: "saas-platform-test-custom-data",
      driver: "local",
    });
    expect(resource(result, T.container, "custom").inputs).toMatchObject({
      name: "saas-platform-test-custom",
      image: stateOf(resource(result, T.image, "custom-image"), "imageId"),
      ports: [{ internal: 6379, external: 16379, ip: "127.0.0.1" }],
      restart: "always",
    });
    // Inside the network the port stays 6379 whatever the host port.
    expect(out(result, "custom").plainUrl).toBe(`redis://:${password("custom")}@redis:6379`);
  });

  test("the container gets the password as REDIS_PASSWORD", () => {
    expect(result.outputs["env"]).toEqual([`REDIS_PASSWORD=${password("custom")}`]);
  });

  test("the local URL reaches the host port on 127.0.0.1 (6379 when omitted), secret", () => {
    expect(result.outputs["direct"]).toEqual({
      url: `redis://:${password("direct")}@redis:6379`,
      localUrl: `redis://:${password("direct")}@127.0.0.1:6379`,
    });
    expect(result.outputs["directPort"]).toEqual({
      localUrl: `redis://:${password("direct-port")}@127.0.0.1:16380`,
    });
    expect(result.outputs["localUrlIsSecret"]).toBe(true);
  });

  test("allowFrom and connectionFor need the AWS variant, and say so", () => {
    expect(errors).toEqual([
      'cache.allowFrom("api") needs the AWS variant',
      'cache.connectionFor("api") needs the AWS variant',
    ]);
    expect(ofType(result, T.ingress)).toEqual([]);
  });
});

describe("awsRedisCacheDefaults and parameterFamily", () => {
  const network = { azCount: 2 } as AwsNetworkOutputs;

  test("every arg given is kept as given", () => {
    const given: AwsRedisCacheArgs = {
      target: "aws",
      network,
      allowFrom: ["sg-0a"],
      nodeType: "cache.m7g.large",
      replicas: 2,
      engine: "redis",
      engineVersion: "7.0",
      snapshotRetentionDays: 3,
      snapshotWindow: "01:00-02:00",
      maintenanceWindow: "tue:01:00-tue:02:00",
      maxmemoryPolicy: "allkeys-lru",
      logRetentionDays: 14,
      logsKmsKeyArn: LOGS_KEY,
      kmsKeyArn: DATA_KEY,
      applyImmediately: true,
      protect: true,
      tags: { A: "b" },
      transform: { subnetGroup: { description: "x" } },
    };
    expect(awsRedisCacheDefaults(given)).toEqual(given);
  });

  test("zero and false are values, not gaps", () => {
    expect(
      awsRedisCacheDefaults({ target: "aws", network, replicas: 0, snapshotRetentionDays: 0, applyImmediately: false }),
    ).toMatchObject({ replicas: 0, snapshotRetentionDays: 0, applyImmediately: false, protect: false });
  });

  test("the engine version follows the engine only when omitted", () => {
    expect(awsRedisCacheDefaults({ target: "aws", network, engine: "valkey" }).engineVersion).toBe("8.0");
    expect(awsRedisCacheDefaults({ target: "aws", network, engine: "redis" }).engineVersion).toBe("7.1");
    expect(awsRedisCacheDefaults({ target: "aws", network, engine: undefined }).engineVersion).toBe("8.0");
    expect(
      awsRedisCacheDefaults({ target: "aws", network, engine: "valkey", engineVersion: "7.2" }).engineVersion,
    ).toBe("7.2");
  });

  // The valid values of CreateCacheParameterGroup's CacheParameterGroupFamily (ElastiCache API Reference).
  test.each([
    ["valkey", "8.0", "valkey8"],
    ["valkey", "7.2", "valkey7"],
    ["redis", "7.1", "redis7"],
    ["redis", "7.0", "redis7"],
    ["redis", "6.2", "redis6.x"], // one family for every Redis 6
    ["redis", "6.0", "redis6.x"],
    ["redis", "5.0.6", "redis5.0"], // before 6, one family per minor version
    ["redis", "4.0.10", "redis4.0"],
    ["valkey", "10.2", "valkey10"], // the whole major, not its first digit (no such family yet: the check says so)
    // Only Redis has the minor-version and 6.x families; Valkey is named by its major alone.
    ["valkey", "6.2", "valkey6"],
    ["valkey", "5.0", "valkey5"],
    ["redis", "5", "redis5."], // no minor: the version check refuses it before the family is used
  ])("%s %s is in the family %s", (engine, version, family) => {
    expect(parameterFamily(engine as CacheEngine, version)).toBe(family);
  });

  test("the families are those ElastiCache has for Valkey and Redis", () => {
    expect(PARAMETER_FAMILIES).toEqual([
      "valkey7",
      "valkey8",
      "redis2.6",
      "redis2.8",
      "redis3.2",
      "redis4.0",
      "redis5.0",
      "redis6.x",
      "redis7",
    ]);
  });

  test("the engines are Valkey and Redis", () => {
    expect(CACHE_ENGINES).toEqual(["valkey", "redis"]);
  });
});

describe("validateRedisCacheArgs", () => {
  const aws = (changes: Partial<AwsRedisCacheArgs> & { azCount?: number } = {}): RedisCacheArgs => {
    const { azCount = 2, ...rest } = changes;
    return { target: "aws", network: { azCount } as AwsNetworkOutputs, ...rest };
  };
  const problems = (args: RedisCacheArgs, name = "cache"): string[] => {
    try {
      validateRedisCacheArgs(name, args);
    } catch (e) {
      const [header, ...lines] = (e as Error).message.split("\n");
      expect(header).toBe(`RedisCache "${name}" has invalid args:`);
      return lines.map((l) => l.replace(/^ {2}- /, ""));
    }
    return [];
  };

  test.each<[string, RedisCacheArgs]>([
    ["every arg omitted", aws()],
    ["replicas 0 on one AZ", aws({ replicas: 0, azCount: 1 })],
    ["replicas 5 on two AZs", aws({ replicas: 5 })],
    ["replicas 1 on three AZs", aws({ replicas: 1, azCount: 3 })],
    ["snapshots off", aws({ snapshotRetentionDays: 0 })],
    ["35 days of snapshots", aws({ snapshotRetentionDays: 35 })],
    ["a node type with digits in each part", aws({ nodeType: "cache.r6g.2xlarge" })],
    ["the redis engine", aws({ engine: "redis" })],
    ["the valkey engine", aws({ engine: "valkey" })],
    ["redis 6.2 (family redis6.x)", aws({ engine: "redis", engineVersion: "6.2" })],
    ["redis 5.0.6 (family redis5.0)", aws({ engine: "redis", engineVersion: "5.0.6" })],
    ["redis 4.0.10 (two-digit patch)", aws({ engine: "redis", engineVersion: "4.0.10" })],
    ["valkey 7.10 (two-digit minor)", aws({ engine: "valkey", engineVersion: "7.10" })],
    ["valkey 7.2", aws({ engine: "valkey", engineVersion: "7.2" })],
    ["log retention of one day", aws({ logRetentionDays: 1 })],
    ["log retention of ten years", aws({ logRetentionDays: 3653 })],
    ["a Docker cache with every arg omitted", { target: "docker", network: {} as DockerNetworkOutputs }],
    ["host port 1", { target: "docker", network: {} as DockerNetworkOutputs, hostPort: 1 }],
    ["host port 65535", { target: "docker", network: {} as DockerNetworkOutputs, hostPort: 65535 }],
  ])("accepts %s", (_, args) => {
    expect(problems(args)).toEqual([]);
  });

  test.each<[string, RedisCacheArgs, string]>([
    ["replicas -1", aws({ replicas: -1 }), "replicas must be an integer from 0 to 5 (got -1)"],
    ["replicas 6", aws({ replicas: 6 }), "replicas must be an integer from 0 to 5 (got 6)"],
    ["replicas 1.5", aws({ replicas: 1.5 }), "replicas must be an integer from 0 to 5 (got 1.5)"],
    [
      "the default replica on one AZ",
      aws({ azCount: 1 }),
      "replicas 1 means Multi-AZ, which needs a network over at least 2 AZs (got 1); set replicas to 0 or add AZs",
    ],
    [
      "snapshotRetentionDays -1",
      aws({ snapshotRetentionDays: -1 }),
      "snapshotRetentionDays must be an integer from 0 to 35 (got -1)",
    ],
    [
      "snapshotRetentionDays 36",
      aws({ snapshotRetentionDays: 36 }),
      "snapshotRetentionDays must be an integer from 0 to 35 (got 36)",
    ],
    [
      "snapshotRetentionDays 2.5",
      aws({ snapshotRetentionDays: 2.5 }),
      "snapshotRetentionDays must be an integer from 0 to 35 (got 2.5)",
    ],
    ...["xcache.t4g.small", "cache.t4g.small-x", "cache.T4G.small", "cache.t4g", "cache..small", "cache.t4g."].map(
      (nodeType): [string, RedisCacheArgs, string] => [
        `nodeType ${nodeType}`,
        aws({ nodeType }),
        `nodeType must be an ElastiCache node type such as cache.t4g.small (got "${nodeType}")`,
      ],
    ),
    [
      "engine memcached",
      aws({ engine: "memcached" as never }),
      'engine must be one of valkey, redis (got "memcached")',
    ],
    ...(
      [
        ["valkey", "9.0", "valkey7, valkey8"],
        ["valkey", "8", "valkey7, valkey8"],
        ["valkey", "v8.0", "valkey7, valkey8"],
        ["valkey", "8.0.x", "valkey7, valkey8"],
        ["redis", "8.0", "redis2.6, redis2.8, redis3.2, redis4.0, redis5.0, redis6.x, redis7"],
        ["redis", "5.1", "redis2.6, redis2.8, redis3.2, redis4.0, redis5.0, redis6.x, redis7"],
      ] as const
    ).map(([engine, engineVersion, families]): [string, RedisCacheArgs, string] => [
      `${engine} ${engineVersion}`,
      aws({ engine, engineVersion }),
      `engineVersion must be a ${engine} version such as ${engine === "valkey" ? "8.0" : "7.1"}, of a parameter group family ElastiCache has (${families}; got "${engineVersion}")`,
    ]),
    [
      "logRetentionDays 2",
      aws({ logRetentionDays: 2 }),
      "logRetentionDays must be a period CloudWatch accepts (got 2)",
    ],
    ["snapshotWindow 3am", aws({ snapshotWindow: "3am" }), 'snapshotWindow must be "hh:mm-hh:mm" in UTC (got "3am")'],
    [
      "snapshotWindow of 30 minutes",
      aws({ snapshotWindow: "01:00-01:30" }),
      'snapshotWindow must last at least 60 minutes (got "01:00-01:30")',
    ],
    [
      "maintenanceWindow sunday",
      aws({ maintenanceWindow: "sunday" }),
      'maintenanceWindow must be "ddd:hh:mm-ddd:hh:mm" in UTC (got "sunday")',
    ],
    [
      "maintenanceWindow of 59 minutes",
      aws({ maintenanceWindow: "sun:05:00-sun:05:59" }),
      'maintenanceWindow must last at least 60 minutes (got "sun:05:00-sun:05:59")',
    ],
    [
      "overlapping windows",
      aws({ snapshotWindow: "05:00-06:00" }),
      'snapshotWindow "05:00-06:00" overlaps maintenanceWindow "sun:05:00-sun:06:00"; move one of them',
    ],
    [
      "host port 0",
      { target: "docker", network: {} as DockerNetworkOutputs, hostPort: 0 },
      "hostPort must be a port from 1 to 65535 (got 0)",
    ],
    [
      "host port 65536",
      { target: "docker", network: {} as DockerNetworkOutputs, hostPort: 65536 },
      "hostPort must be a port from 1 to 65535 (got 65536)",
    ],
  ])("rejects %s, alone, in exact words", (_, args, problem) => {
    expect(problems(args)).toEqual([problem]);
  });

  test("every problem at once, in order, under the component's name", () => {
    expect(
      problems(
        aws({
          azCount: 1,
          replicas: 6,
          snapshotRetentionDays: 36,
          nodeType: "t4g.small",
          engine: "memcached" as never,
          logRetentionDays: 10,
          snapshotWindow: "3am",
          maintenanceWindow: "sunday",
        }),
        "sessions",
      ),
    ).toEqual([
      "replicas must be an integer from 0 to 5 (got 6)",
      "replicas 6 means Multi-AZ, which needs a network over at least 2 AZs (got 1); set replicas to 0 or add AZs",
      "snapshotRetentionDays must be an integer from 0 to 35 (got 36)",
      'nodeType must be an ElastiCache node type such as cache.t4g.small (got "t4g.small")',
      'engine must be one of valkey, redis (got "memcached")',
      "logRetentionDays must be a period CloudWatch accepts (got 10)",
      'snapshotWindow must be "hh:mm-hh:mm" in UTC (got "3am")',
      'maintenanceWindow must be "ddd:hh:mm-ddd:hh:mm" in UTC (got "sunday")',
    ]);
  });

  test("the component checks its args before declaring anything", async () => {
    const error = await recordProgram(STACK, async () => {
      new RedisCache("cache", { target: "aws", network: awsNetwork(1) });
      return {};
    }).then(
      () => undefined,
      (e: Error & { declared?: RecordedResource[] }) => e,
    );
    expect(error?.message).toBe(
      'RedisCache "cache" has invalid args:\n  - replicas 1 means Multi-AZ, which needs a network over at least 2 AZs (got 1); set replicas to 0 or add AZs',
    );
    expect(error?.declared?.filter((x) => x.name.startsWith("cache"))).toEqual([]);
  });
});
