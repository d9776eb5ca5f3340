// The small helpers every component builds on: IAM documents, argument checks, AWS facts, the local data store, the URL
// secret, consumer ingress rules, defaults and transforms. Resource helpers run under the recording mocks.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  AWS_REGIONS,
  DISASTER_RECOVERY_REGIONS,
  FARGATE_MEMORY_BY_CPU,
  HOSTNAME,
  isAwsRegion,
  LOG_RETENTION_DAYS,
  NAT_MODES,
  partitionOf,
  partitionProblem,
} from "../../components/aws-facts";
import { admitConsumer, consumerRuleName } from "../../components/consumers";
import { withDefaults } from "../../components/defaults";
import {
  denyInsecureTransport,
  KEY_ADMINISTRATION,
  plainServiceTrustPolicy,
  serviceTrustPolicy,
  SOURCE_ACCOUNT_DOCUMENTED,
  viaService,
} from "../../components/iam";
import { localStore } from "../../components/local-store";
import { transform } from "../../components/transform";
import { storeUrlSecret } from "../../components/url-secret";
import { logRetentionProblems, portProblems, throwIfInvalid } from "../../components/validation";
import { recordProgram, type SynthResult } from "../../synth/synth";
import type { RecordedResource } from "../../synth/recorder";
import { valueOf } from "../helpers/outputs";
import { ofType, resource } from "../helpers/synth";

const T = {
  holder: "saas-platform:test:Holder",
  password: "random:index/randomPassword:RandomPassword",
  image: "docker:index/remoteImage:RemoteImage",
  volume: "docker:index/volume:Volume",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  parameter: "aws:ssm/parameter:Parameter",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
} as const;

/** The component the helpers declare their children under, as a real component passes `this`. */
class Holder extends pulumi.ComponentResource {
  constructor(name: string) {
    super(T.holder, name);
  }
}

const record = (program: (parent: Holder) => Record<string, unknown>): Promise<SynthResult> =>
  recordProgram({ project: "saas-platform", stack: "test", config: {}, secretKeys: [] }, async () =>
    program(new Holder("holder")),
  );

const holderUrn = (result: SynthResult): string => ofType(result, T.holder)[0]!.urn;
const parentOf = (child: RecordedResource): string | undefined => child.parent;

describe("IAM documents", () => {
  test("a service trust policy lets only that service assume the role, and only for this account", async () => {
    const policy = await valueOf(serviceTrustPolicy("ecs-tasks.amazonaws.com", pulumi.output("123456789012")));
    expect(JSON.parse(policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "ecs-tasks.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
  });

  test("the confused-deputy condition is offered only for the services that document it, each with its source", () => {
    expect(Object.keys(SOURCE_ACCOUNT_DOCUMENTED).sort()).toEqual([
      "ecs-tasks.amazonaws.com",
      "monitoring.rds.amazonaws.com",
      "scheduler.amazonaws.com",
      "states.amazonaws.com",
      "vpc-flow-logs.amazonaws.com",
    ]);
    // AWS Backup sends no aws:SourceAccount on AssumeRole: a condition on it would deny every backup.
    expect(Object.keys(SOURCE_ACCOUNT_DOCUMENTED)).not.toContain("backup.amazonaws.com");
    for (const source of Object.values(SOURCE_ACCOUNT_DOCUMENTED))
      expect(source).toMatch(/aws:SourceAccount|confused deputy/);
  });

  test("a plain service trust policy trusts the service with no condition", () => {
    expect(JSON.parse(plainServiceTrustPolicy("backup.amazonaws.com"))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
  });

  test("kms:ViaService names the service's regional endpoint", () => {
    expect(viaService("secretsmanager", "eu-west-1")).toBe("secretsmanager.eu-west-1.amazonaws.com");
    expect(viaService("rds", "us-east-2")).toBe("rds.us-east-2.amazonaws.com");
  });

  test("the TLS-only bucket statement denies every plain-HTTP request to the bucket and to its objects", () => {
    expect(denyInsecureTransport("arn:aws:s3:::acme-logs")).toEqual({
      Sid: "TlsOnly",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::acme-logs", "arn:aws:s3:::acme-logs/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  describe("key administration", () => {
    const allows = (action: string): boolean =>
      KEY_ADMINISTRATION.some((pattern) =>
        new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(action),
      );

    // One KMS API per entry: what Pulumi and an operator call to manage a key over its life (create its alias, read
    // and update its policy, turn rotation on, tag it, revoke a stale grant, schedule and cancel its deletion).
    test.each([
      "kms:CreateAlias",
      "kms:DescribeKey",
      "kms:EnableKeyRotation",
      "kms:ListResourceTags",
      "kms:PutKeyPolicy",
      "kms:UpdateAlias",
      "kms:RevokeGrant",
      "kms:DisableKeyRotation",
      "kms:GetKeyPolicy",
      "kms:DeleteAlias",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:ScheduleKeyDeletion",
      "kms:CancelKeyDeletion",
      "kms:RotateKeyOnDemand",
    ])("lets the account call %s", (action) => {
      expect(allows(action)).toBe(true);
    });

    // Using the key's material, or granting oneself that use, is not administration.
    test.each([
      "kms:Decrypt",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:ReEncryptFrom",
      "kms:CreateGrant",
      "kms:Sign",
    ])("does not let the account call %s", (action) => {
      expect(allows(action)).toBe(false);
    });
  });
});

describe("argument checks", () => {
  test("no problems: nothing is thrown", () => {
    expect(() => throwIfInvalid("Network", "main", [])).not.toThrow();
  });

  test("problems: one RunError naming the component, its name and every problem on its own line", () => {
    let error: unknown;
    try {
      throwIfInvalid("Network", "main", ["azCount must be 2 or 3 (got 1)", "cidr must be a /16 (got 10.0.0.0/8)"]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(pulumi.RunError);
    expect((error as Error).message).toBe(
      'Network "main" has invalid args:\n  - azCount must be 2 or 3 (got 1)\n  - cidr must be a /16 (got 10.0.0.0/8)',
    );
  });

  test("a line break inside a value stays in its problem's line, shown as \\n", () => {
    expect(() => throwIfInvalid("ApiService", "api", ['image must be a reference (got "nginx\n  - 1\r\nx")'])).toThrow(
      'ApiService "api" has invalid args:\n  - image must be a reference (got "nginx\\n  - 1\\nx")',
    );
  });

  test.each([undefined, 1, 80, 65535])("port %p is accepted", (port) => {
    expect(portProblems("hostPort", port)).toEqual([]);
  });

  test.each([0, -1, 65536, 80.5, Number.NaN])("port %p is refused with the range and the value", (port) => {
    expect(portProblems("hostPort", port)).toEqual([`hostPort must be a port from 1 to 65535 (got ${port})`]);
  });

  // CloudWatch Logs PutRetentionPolicy `retentionInDays`, valid values (API reference).
  const CLOUDWATCH_RETENTION = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
  ];
  test("every retention CloudWatch Logs accepts is accepted", () => {
    expect([...LOG_RETENTION_DAYS]).toEqual(CLOUDWATCH_RETENTION);
    for (const days of CLOUDWATCH_RETENTION) expect(logRetentionProblems("logRetentionDays", days)).toEqual([]);
  });

  test.each([0, 2, 366, 3654])("a retention of %i days is refused with the value", (days) => {
    expect(logRetentionProblems("logRetentionDays", days)).toEqual([
      `logRetentionDays must be a period CloudWatch accepts (got ${days})`,
    ]);
  });
});

describe("AWS facts", () => {
  test("the NAT layouts a stack file may choose", () => {
    expect([...NAT_MODES]).toEqual(["none", "instance", "single", "perAz"]);
  });

  // Amazon ECS Developer Guide, "Task CPU and memory" (Fargate): memory per CPU size, in MiB.
  test("Fargate memory per CPU size is the documented table, both ends included", () => {
    const steps = (from: number, to: number, step: number) =>
      Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
    expect(FARGATE_MEMORY_BY_CPU).toEqual({
      256: [512, 1024, 2048],
      512: [1024, 2048, 3072, 4096],
      1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
      2048: steps(4096, 16384, 1024),
      4096: steps(8192, 30720, 1024),
      8192: steps(16384, 61440, 4096),
      16384: steps(32768, 122880, 8192),
    });
    expect(FARGATE_MEMORY_BY_CPU[2048]).toHaveLength(13);
    expect(FARGATE_MEMORY_BY_CPU[16384]?.at(-1)).toBe(122880);
  });

  // The regionRegex of each partition in the AWS SDK's partitions.json (aws-sdk-js-v3, util-endpoints).
  test("every region the provider knows is in the partition its code says", () => {
    const commercial = /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/; // the regionRegex of the "aws" partition
    const misplaced = AWS_REGIONS.filter((region) => (partitionOf(region) === "aws") !== commercial.test(region));
    expect(misplaced).toEqual([]);
    expect(partitionOf("cn-northwest-1")).toBe("aws-cn");
    expect(partitionOf("us-gov-east-1")).toBe("aws-us-gov");
    expect(partitionOf("us-iso-west-1")).toBe("aws-iso");
    expect(partitionOf("us-isob-east-1")).toBe("aws-iso-b");
    expect(partitionOf("eu-isoe-west-1")).toBe("aws-iso-e");
    expect(partitionOf("us-isof-south-1")).toBe("aws-iso-f");
    expect(partitionOf("eusc-de-east-1")).toBe("aws-eusc");
    expect(partitionOf("us-east-1")).toBe("aws");
    expect(partitionOf("eu-west-1")).toBe("aws");
  });

  test("only a commercial region has no partition problem, and the problem names the partition and the region", () => {
    expect(partitionProblem("eu-west-1")).toBeUndefined();
    expect(partitionProblem("cn-north-1")).toBe(
      'is in the aws-cn partition, whose ARNs start arn:aws-cn: the components write arn:aws: ARNs and policies of the commercial partition, so choose a region such as eu-west-1 (got "cn-north-1")',
    );
  });

  describe("HOSTNAME", () => {
    const label = (c: string, n: number) => c.repeat(n);
    test.each([
      "example.com",
      "api.acme-app.com",
      "a.co",
      "x.example.com",
      "api-staging.eu.acme-app.com",
      "1password.com",
      "shop.xn--p1ai",
      "xn--80ak6aa92e.xn--p1ai",
      `shop.xn--${label("a", 59)}`,
      `${label("a", 63)}.com`,
      // 253 characters in all, the DNS maximum.
      `${label("a", 63)}.${label("b", 63)}.${label("c", 63)}.${label("d", 57)}.com`,
    ])("accepts %s", (host) => {
      expect(HOSTNAME.test(host)).toBe(true);
    });

    test.each([
      ["uppercase", "Example.com"],
      ["no dot", "localhost"],
      ["a trailing path", "example.com/path"],
      ["a port", "example.com:443"],
      ["a label starting with a hyphen", "-api.example.com"],
      ["a label ending with a hyphen", "api-.example.com"],
      ["an empty label", "api..example.com"],
      ["a one-letter top-level domain", "example.c"],
      ["a numeric top-level domain", "example.123"],
      ["an empty internationalised top-level domain", "shop.xn--"],
      ["an internationalised top-level domain ending with a hyphen", "shop.xn--p1ai-"],
      ["an internationalised top-level domain of 64 characters", `shop.xn--${label("a", 60)}`],
      ["a top-level domain with a hyphen that is not xn--", "shop.ab-cd"],
      ["an underscore", "my_api.example.com"],
      ["a wildcard", "*.example.com"],
      ["a label of 64 characters", `${label("a", 64)}.com`],
      ["254 characters in all", `${label("a", 63)}.${label("b", 63)}.${label("c", 63)}.${label("d", 58)}.com`],
    ])("refuses %s (%s)", (_why, host) => {
      expect(HOSTNAME.test(host)).toBe(false);
    });
  });

  test("the default backup copy region of each primary region", () => {
    expect(DISASTER_RECOVERY_REGIONS).toEqual({
      "eu-west-1": "eu-central-1",
      "eu-west-2": "eu-west-1",
      "eu-west-3": "eu-central-1",
      "eu-central-1": "eu-west-1",
      "eu-north-1": "eu-central-1",
      "us-east-1": "us-west-2",
      "us-east-2": "us-west-2",
      "us-west-2": "us-east-1",
      "ca-central-1": "ca-west-1",
      "ap-southeast-2": "ap-southeast-4",
      "ap-northeast-1": "ap-northeast-3",
    });
  });

  test("every backup copy region is another real region in the same geography", () => {
    for (const [primary, copy] of Object.entries(DISASTER_RECOVERY_REGIONS)) {
      expect(isAwsRegion(copy)).toBe(true);
      expect(copy).not.toBe(primary);
      expect(copy.split("-")[0]).toBe(primary.split("-")[0]);
    }
  });

  test("a region is one the AWS provider knows, spelled exactly", () => {
    expect(isAwsRegion("eu-west-1")).toBe(true);
    expect(isAwsRegion("us-east-1")).toBe(true);
    expect(isAwsRegion("eu-west-9")).toBe(false);
    expect(isAwsRegion("EU-WEST-1")).toBe(false);
    expect(isAwsRegion("")).toBe(false);
    expect(AWS_REGIONS).toEqual(Object.values(aws.Region));
  });
});

describe("localStore", () => {
  test("declares a secret 32-character password, the image kept locally and a named volume, all under the component", async () => {
    const result = await record((parent) => {
      const store = localStore("db", { image: "postgres:17-alpine" }, parent);
      return { scope: store.scope, password: store.password, volumeName: store.volume.name };
    });
    const parent = holderUrn(result);

    const password = resource(result, T.password, "db-password");
    expect(password.inputs).toEqual({ length: 32, special: false });
    expect(parentOf(password)).toBe(parent);

    const image = resource(result, T.image, "db-image");
    expect(image.inputs).toMatchObject({ name: "postgres:17-alpine", keepLocally: true });
    expect(parentOf(image)).toBe(parent);

    const volume = resource(result, T.volume, "db-data");
    expect(volume.inputs).toMatchObject({ name: "saas-platform-test-db-data" });
    expect(parentOf(volume)).toBe(parent);

    expect(result.outputs["scope"]).toBe("saas-platform-test-db");
    expect(result.outputs["volumeName"]).toBe("saas-platform-test-db-data");
    expect(result.secretOutputs).toContain("password");
  });

  test("each transform reaches its own child only", async () => {
    const result = await record((parent) => {
      localStore(
        "cache",
        {
          image: "valkey/valkey:8",
          transform: { image: { keepLocally: false }, volume: (args) => void (args.driver = "local") },
        },
        parent,
      );
      return {};
    });
    expect(resource(result, T.image, "cache-image").inputs).toMatchObject({ keepLocally: false });
    expect(resource(result, T.volume, "cache-data").inputs).toMatchObject({
      name: "saas-platform-test-cache-data",
      driver: "local",
    });
  });
});

describe("storeUrlSecret", () => {
  const URL = "postgres://app:hunter2@db.internal:5432/app";

  test("the secret is encrypted with the given key, tagged and recoverable for 7 days; the URL is its secret value", async () => {
    const result = await record((parent) => {
      storeUrlSecret(
        "db-url",
        {
          description: "Connection URL of the database",
          url: pulumi.secret(URL),
          kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/abc",
          tags: { Component: "database" },
        },
        { parent },
      );
      return {};
    });
    const secret = resource(result, T.secret, "db-url");
    expect(secret.inputs).toEqual({
      description: "Connection URL of the database",
      kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/abc",
      recoveryWindowInDays: 7,
      tags: { Component: "database" },
    });
    expect(parentOf(secret)).toBe(holderUrn(result));

    const version = resource(result, T.secretVersion, "db-url");
    expect(version.inputs).toEqual({ secretId: secret.id, secretString: "[secret]" });
    expect(version.secretInputs).toEqual(["secretString"]);
    expect(version.propertyDependencies["secretId"]).toEqual([secret.urn]);
    expect(parentOf(version)).toBe(holderUrn(result));
  });

  test("without a key the secret uses the AWS-managed key; a URL given in the clear is still stored secret", async () => {
    const result = await record((parent) => {
      storeUrlSecret("cache-url", { description: "d", url: pulumi.output(URL), tags: {} }, { parent });
      return {};
    });
    expect(resource(result, T.secret, "cache-url").inputs).not.toHaveProperty("kmsKeyId");
    expect(resource(result, T.secretVersion, "cache-url").secretInputs).toEqual(["secretString"]);
  });

  test("whoever reads the returned ARN waits for the secret's value (the version), not only the secret", async () => {
    const result = await record((parent) => {
      const { readyArn } = storeUrlSecret(
        "db-url",
        { description: "d", url: pulumi.output(URL), tags: {} },
        { parent },
      );
      new aws.ssm.Parameter("reader", { type: "String", value: readyArn });
      return { readyArn };
    });
    const version = resource(result, T.secretVersion, "db-url");
    const secret = resource(result, T.secret, "db-url");
    expect(resource(result, T.parameter, "reader").propertyDependencies["value"]).toEqual([version.urn]);
    expect(result.outputs["readyArn"]).toBe(secret.state?.["arn"]);
  });

  test("the hooks change the secret and its version", async () => {
    const result = await record((parent) => {
      storeUrlSecret(
        "db-url",
        { description: "d", url: pulumi.output(URL), tags: {} },
        { parent },
        { secret: { recoveryWindowInDays: 30 }, secretVersion: (_args, opts) => void (opts.protect = true) },
      );
      return {};
    });
    expect(resource(result, T.secret, "db-url").inputs).toMatchObject({ recoveryWindowInDays: 30 });
    expect(resource(result, T.secretVersion, "db-url").options).toEqual({ protect: true });
    expect(resource(result, T.secret, "db-url").options).toEqual({});
  });
});

describe("consumers", () => {
  test("the rule a data store declares for a consumer is named <store>-from-<consumer>", () => {
    expect(consumerRuleName("database", "api")).toBe("database-from-api");
  });

  test("a consumer is admitted by security group, on one TCP port, with the description given", async () => {
    const result = await record((parent) => {
      admitConsumer(
        "database-from-api",
        { securityGroupId: "sg-0db", source: "sg-0api", port: 5432, description: "from api on 5432" },
        { parent },
      );
      return {};
    });
    const rule = resource(result, T.ingress, "database-from-api");
    expect(rule.inputs).toEqual({
      securityGroupId: "sg-0db",
      referencedSecurityGroupId: "sg-0api",
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      description: "from api on 5432",
    });
    expect(parentOf(rule)).toBe(holderUrn(result));
  });

  test("the hook changes the rule", async () => {
    const result = await record((parent) => {
      admitConsumer(
        "cache-from-worker",
        { securityGroupId: "sg-0c", source: "sg-0w", port: 6379, description: "d" },
        { parent },
        { description: "from the worker" },
      );
      return {};
    });
    expect(resource(result, T.ingress, "cache-from-worker").inputs).toMatchObject({
      description: "from the worker",
      fromPort: 6379,
    });
  });
});

describe("withDefaults", () => {
  test("returns a new object: the shared defaults and the given args stay as they were", () => {
    const defaults = { port: 5432, multiAz: false };
    const given = { multiAz: true };
    const out = withDefaults(defaults, given);
    expect(out).toEqual({ port: 5432, multiAz: true });
    expect(defaults).toEqual({ port: 5432, multiAz: false });
    expect(given).toEqual({ multiAz: true });
  });
});

describe("transform", () => {
  test("without a hook: the child gets copies of the args and options, equal and unchanged", () => {
    const args = { name: "a" };
    const opts: pulumi.CustomResourceOptions = { protect: true };
    const [name, ownArgs, ownOpts] = transform(undefined, "child", args, opts);
    expect(name).toBe("child");
    expect(ownArgs).toEqual({ name: "a" });
    expect(ownOpts).toEqual({ protect: true });
    expect(ownArgs).not.toBe(args);
    expect(ownOpts).not.toBe(opts);
  });

  test("a function hook receives the child's name and its edits are what the child gets", () => {
    let seenName: string | undefined;
    const [, ownArgs, ownOpts] = transform<{ size: number }>(
      (a, o, n) => {
        seenName = n;
        a.size = 2;
        o.retainOnDelete = true;
      },
      "child",
      { size: 1 },
      {},
    );
    expect(seenName).toBe("child");
    expect(ownArgs).toEqual({ size: 2 });
    expect(ownOpts).toEqual({ retainOnDelete: true });
  });

  test("an object hook changes the args only, on a copy of the options", () => {
    const opts: pulumi.CustomResourceOptions = { protect: true };
    const [, ownArgs, ownOpts] = transform({ size: 3 }, "child", { size: 1, name: "a" }, opts);
    expect(ownArgs).toEqual({ size: 3, name: "a" });
    expect(ownOpts).toEqual({ protect: true });
    expect(ownOpts).not.toBe(opts);
  });
});
