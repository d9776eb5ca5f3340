/**
 * The schema helpers of infra/config.ts (`int`, `pattern`, `cidr` and the region pattern), pinned through
 * `parseConfig`: each wrong value gets the helper's own message, never zod's default, and a region code of the kinds
 * AWS uses (GovCloud, ISO partitions) passes the pattern. Each case asserts the exact problem lines a user reads.
 */
import { parseConfig } from "../infra/parse-config";
import { API_CONTEXT } from "./helpers/synth";
import { rawConfig as raw, problemLines as lines } from "./helpers/config";

const P = "saas-platform";
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000000";

const PRODUCTION = {
  environment: "production",
  appName: "acme-app",
  domain: "acme-app.com",
  awsRegion: "eu-west-1",
  alerts: { emails: ["ops@acme-app.com"] },
  api: { build: { context: API_CONTEXT }, certificateArn: CERT },
};
const STAGING = { ...PRODUCTION, environment: "staging", domain: "staging.acme-app.com" };

/** The production file with some top-level keys replaced. */
const production = (changes: Record<string, unknown>) => raw({ ...PRODUCTION, ...changes }, "production");

describe("an integer setting (int)", () => {
  const RETENTION = "must be an integer from 1 to 35";
  const STORAGE = "must be an integer from 20 to 65536";

  test.each([
    ["a word", "seven", '"seven"'],
    ["a number in quotes", "7", '"7"'],
    ["true", true, "true"],
    ["null", null, "null"],
    ["a list", [7], "[7]"],
  ])("%s instead of a number gets the setting's own message", (_, value, shown) => {
    expect(lines(production({ database: { backupRetentionDays: value } }))).toEqual([
      `${P}:database.backupRetentionDays ${RETENTION} (got ${shown})`,
    ]);
  });

  test.each([7.5, 1.5, 34.9])("a fraction (%s) inside the range gets the same message", (value) => {
    expect(lines(production({ database: { backupRetentionDays: value } }))).toEqual([
      `${P}:database.backupRetentionDays ${RETENTION} (got ${value})`,
    ]);
  });

  test.each([0, -1])("%s below the range gets the same message", (value) => {
    expect(lines(production({ database: { backupRetentionDays: value } }))).toEqual([
      `${P}:database.backupRetentionDays ${RETENTION} (got ${value})`,
    ]);
  });

  test("a number above the range gets the same message", () => {
    expect(lines(production({ database: { backupRetentionDays: 36 } }))).toEqual([
      `${P}:database.backupRetentionDays ${RETENTION} (got 36)`,
    ]);
  });

  test("each helper's bounds are its own: storage from 20", () => {
    expect(lines(production({ database: { allocatedStorageGb: 19, maxAllocatedStorageGb: 65537 } }))).toEqual([
      `${P}:database.allocatedStorageGb ${STORAGE} (got 19)`,
      `${P}:database.maxAllocatedStorageGb ${STORAGE} (got 65537)`,
    ]);
  });

  test("a word, a fraction and an out-of-range value in one section each get the message", () => {
    expect(
      lines(
        production({
          cache: { replicas: "two", snapshotRetentionDays: 1.5 },
          api: { ...PRODUCTION.api, containerPort: 0 },
        }),
      ),
    ).toEqual([
      `${P}:cache.replicas must be an integer from 0 to 5 (got "two")`,
      `${P}:cache.snapshotRetentionDays must be an integer from 0 to 35 (got 1.5)`,
      `${P}:api.containerPort must be an integer from 1 to 65535 (got 0)`,
    ]);
  });

  test("the bounds themselves and a whole number between them pass", () => {
    for (const days of [1, 7, 35]) {
      expect(parseConfig(production({ database: { backupRetentionDays: days } })).database?.backupRetentionDays).toBe(
        days,
      );
    }
  });
});

describe("a text setting checked by a pattern (pattern)", () => {
  test("a text that breaks the pattern gets the setting's own message", () => {
    expect(lines(production({ database: { instanceClass: "t4g.small", engineVersion: "seventeen" } }))).toEqual([
      `${P}:database.instanceClass must be an RDS instance class such as db.t4g.small (got "t4g.small")`,
      `${P}:database.engineVersion must be a PostgreSQL major or major.minor version such as "17" or "16.4" (got "seventeen")`,
    ]);
  });

  test("a value that is not text gets the same message", () => {
    expect(lines(production({ database: { instanceClass: 5, engineVersion: 17 } }))).toEqual([
      `${P}:database.instanceClass must be an RDS instance class such as db.t4g.small (got 5)`,
      `${P}:database.engineVersion must be a PostgreSQL major or major.minor version such as "17" or "16.4" (got 17)`,
    ]);
  });

  test("a top-level text key that breaks its pattern", () => {
    expect(lines(production({ awsAccountId: "12345" }))).toEqual([
      `${P}:awsAccountId must be a 12-digit AWS account id such as "123456789012" (quoted in YAML) (got "12345")`,
    ]);
  });
});

describe("an AWS region code (the AWS_REGION pattern)", () => {
  const REGION = "must be an AWS region code such as eu-west-1";
  const COPY_REGION = "must be an AWS region code such as eu-central-1";

  test.each(["1eu-west-1", "Xeu-west-1", "EU-eu-west-1", "prefix/us-east-1"])(
    "%s: a region code must start the value",
    (region) => {
      expect(lines(raw({ ...STAGING, awsRegion: region }, "staging"))).toEqual([
        `${P}:awsRegion ${REGION} (got "${region}")`,
      ]);
      expect(lines(production({ database: { backupCopyRegion: region } }))).toEqual([
        `${P}:database.backupCopyRegion ${COPY_REGION} (got "${region}")`,
      ]);
    },
  );

  test.each(["eu-west-1x", "eu-west-12", "eu-west"])("%s: a region code must end the value", (region) => {
    expect(lines(raw({ ...STAGING, awsRegion: region }, "staging"))).toEqual([
      `${P}:awsRegion ${REGION} (got "${region}")`,
    ]);
  });

  // Regions of the other partitions: `-gov-`, `-iso-` and `-iso<letter>-` belong to the pattern, so what the user
  // reads is the partition rule's message, not the pattern's.
  test.each([
    ["us-iso-east-1", "aws-iso"],
    ["us-iso-west-1", "aws-iso"],
    ["us-isob-east-1", "aws-iso-b"],
    ["us-isof-south-1", "aws-iso-f"],
    ["eu-isoe-west-1", "aws-iso-e"],
    ["us-gov-west-1", "aws-us-gov"],
    ["cn-north-1", "aws-cn"],
  ])(
    "%s has a region code's shape but is in %s: refused as awsRegion and as database.backupCopyRegion",
    (region, partition) => {
      const inPartition = `is in the ${partition} partition, whose ARNs start arn:${partition}: the components write arn:aws: ARNs and policies of the commercial partition, so choose a region such as eu-west-1 (got "${region}")`;
      expect(lines(raw({ ...STAGING, awsRegion: region }, "staging"))).toEqual([`${P}:awsRegion ${inPartition}`]);
      expect(lines(production({ database: { backupCopyRegion: region } }))).toEqual([
        `${P}:database.backupCopyRegion ${inPartition}`,
      ]);
    },
  );

  test.each(["eu-west-1", "us-east-1", "ap-southeast-4", "il-central-1", "mx-central-1"])(
    "%s, a commercial region, is accepted as awsRegion and as database.backupCopyRegion",
    (region) => {
      expect(parseConfig(raw({ ...STAGING, awsRegion: region }, "staging")).awsRegion).toBe(region);
      const copy = region === "eu-west-1" ? "eu-central-1" : region;
      expect(parseConfig(production({ database: { backupCopyRegion: copy } })).database?.backupCopyRegion).toBe(copy);
    },
  );

  test("a code of the right shape that AWS does not offer passes the pattern and fails the list", () => {
    expect(lines(raw({ ...STAGING, awsRegion: "us-isox-east-1" }, "staging"))).toEqual([
      `${P}:awsRegion must be a region AWS offers, such as eu-west-1 (got "us-isox-east-1"; did you mean "us-east-1"?)`,
    ]);
  });

  test("a typo is pointed to a commercial region, never to one the partition rule would then refuse", () => {
    expect(lines(raw({ ...STAGING, awsRegion: "cn-north-9" }, "staging"))[0]).not.toContain('"cn-north-1"');
    expect(lines(raw({ ...STAGING, awsRegion: "us-gov-west-9" }, "staging"))).toEqual([
      `${P}:awsRegion must be a region AWS offers, such as eu-west-1 (got "us-gov-west-9"; did you mean "us-west-1"?)`,
    ]);
  });

  test("-iso with something else than one letter is refused by the pattern", () => {
    for (const region of ["us-iso1-east-1", "us-isobb-east-1", "us-iso--east-1"]) {
      expect(lines(raw({ ...STAGING, awsRegion: region }, "staging"))).toEqual([
        `${P}:awsRegion ${REGION} (got "${region}")`,
      ]);
    }
  });
});

describe("the VPC's CIDR block (cidr)", () => {
  const CIDR = "must be an IPv4 CIDR block such as 10.20.0.0/16";

  test.each([
    ["a number", 10, "10"],
    ["true", true, "true"],
    ["null", null, "null"],
    ["a list", ["10.20.0.0/16"], '["10.20.0.0/16"]'],
    ["an object", { block: "10.20.0.0/16" }, '{"block":"10.20.0.0/16"}'],
  ])("%s instead of text gets the cidr message", (_, value, shown) => {
    expect(lines(production({ network: { cidr: value } }))).toEqual([`${P}:network.cidr ${CIDR} (got ${shown})`]);
  });

  test("a valid block passes", () => {
    expect(parseConfig(production({ network: { cidr: "10.20.0.0/16" } })).network?.cidr).toBe("10.20.0.0/16");
  });
});

describe("availability zones, log retention and the instance class: anchored patterns and their own messages", () => {
  const RETENTION =
    "must be one of the retention periods CloudWatch accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)";

  test("a zone name with anything before or after it is refused, by its place in the list", () => {
    expect(lines(production({ network: { availabilityZones: ["1eu-west-1a", "eu-west-1ab", "eu-west-1a"] } }))).toEqual(
      [
        `${P}:network.availabilityZones.0 must be an availability zone name such as eu-west-1a (got "1eu-west-1a")`,
        `${P}:network.availabilityZones.1 must be an availability zone name such as eu-west-1a (got "eu-west-1ab")`,
      ],
    );
  });

  test("a zone that is not text, and zones not given as a list, each get their own message", () => {
    expect(lines(production({ network: { availabilityZones: [7] } }))).toEqual([
      `${P}:network.availabilityZones.0 must be an availability zone name such as eu-west-1a (got 7)`,
    ]);
    expect(lines(production({ network: { availabilityZones: "eu-west-1a" } }))).toEqual([
      `${P}:network.availabilityZones must be a list of availability zone names such as [eu-west-1a, eu-west-1b] (got "eu-west-1a")`,
    ]);
  });

  test("a retention given as text, or as a number CloudWatch does not offer, names the periods it does", () => {
    expect(lines(production({ network: { flowLogRetentionDays: "7" } }))).toEqual([
      `${P}:network.flowLogRetentionDays ${RETENTION} (got "7")`,
    ]);
    expect(lines(production({ network: { flowLogRetentionDays: 8 } }))).toEqual([
      `${P}:network.flowLogRetentionDays ${RETENTION} (got 8)`,
    ]);
  });

  test("an instance class with anything before or after db.<family>.<size> is refused", () => {
    for (const instanceClass of ["xdb.t4g.small", "db.t4g.small-x"]) {
      expect(lines(production({ database: { instanceClass } }))).toEqual([
        `${P}:database.instanceClass must be an RDS instance class such as db.t4g.small (got "${instanceClass}")`,
      ]);
    }
  });
});

describe("the PostgreSQL version and the cache node type: anchored patterns", () => {
  const VERSION = 'must be a PostgreSQL major or major.minor version such as "17" or "16.4"';
  const NODE_TYPE = "must be an ElastiCache node type such as cache.t4g.small";

  test("a major version, and a major.minor one with a one- or two-digit minor, pass", () => {
    for (const engineVersion of ["17", "16.4", "16.10"]) {
      expect(parseConfig(production({ database: { engineVersion } })).database?.engineVersion).toBe(engineVersion);
    }
  });

  test.each(["v17", "17x", "1", "117", "16.", "16.x", "16.4.1", "16.4x"])(
    "%s is not a PostgreSQL major or major.minor version",
    (engineVersion) => {
      expect(lines(production({ database: { engineVersion } }))).toEqual([
        `${P}:database.engineVersion ${VERSION} (got "${engineVersion}")`,
      ]);
    },
  );

  test("a node type passes as cache.<family>.<size>", () => {
    expect(parseConfig(production({ cache: { nodeType: "cache.r7g.large" } })).cache?.nodeType).toBe("cache.r7g.large");
  });

  test.each(["xcache.t4g.small", "cache.t4g.small.extra", "cache.t4g.small-x", "t4g.small"])(
    "%s: anything before or after cache.<family>.<size> is refused",
    (nodeType) => {
      expect(lines(production({ cache: { nodeType } }))).toEqual([
        `${P}:cache.nodeType ${NODE_TYPE} (got "${nodeType}")`,
      ]);
    },
  );
});

describe("more anchored patterns: Cloudflare ids, the health path, the git repository, a queue name's length", () => {
  test.each(["x0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdefx"])(
    "zone id %s: anything before or after the 32 hex characters is refused",
    (zoneId) => {
      expect(lines(production({ dns: { zoneId } }))).toEqual([
        `${P}:dns.zoneId must be a Cloudflare zone id (32 hex characters) (got "${zoneId}")`,
      ]);
    },
  );

  test.each(["health/x", "x/health"])("health path %s must start with /", (healthCheckPath) => {
    const problems = lines(production({ api: { ...PRODUCTION.api, healthCheckPath } }));
    expect(problems).toContain(
      `${P}:api.healthCheckPath must be a path starting with /, such as /health (got "${healthCheckPath}")`,
    );
  });

  test("a health path with a space after it is refused", () => {
    const problems = lines(production({ api: { ...PRODUCTION.api, healthCheckPath: "/health x" } }));
    expect(problems).toContain(
      `${P}:api.healthCheckPath must be a path starting with /, such as /health (got "/health x")`,
    );
  });

  test.each(["x owner/name", "owner/name/extra", "owner/na me"])("repository %s is not owner/name", (repo) => {
    const problems = lines(production({ web: { gitRepository: { type: "github", repo } } }));
    expect(problems).toContain(`${P}:web.gitRepository.repo must be "owner/name" (got "${repo}")`);
  });

  /** The staging file with one worker service consuming `name`. */
  const consumer = (name: string) =>
    raw(
      {
        ...STAGING,
        services: {
          worker: { kind: "worker", build: { context: API_CONTEXT }, queue: { name, messagesPerTask: 10 } },
        },
      },
      "staging",
    );
  const QUEUE = "must be an SQS queue name (1 to 80 letters, digits, - or _, ending in .fifo for a FIFO queue)";

  test.each([
    ["80 characters", "q".repeat(80)],
    ["a FIFO queue of 80 with its suffix", `${"q".repeat(75)}.fifo`],
    ["one character", "q"],
  ])("a queue name of %s is accepted", (_, name) => {
    expect(parseConfig(consumer(name)).services?.["worker"]?.queue?.name).toBe(name);
  });

  test.each([
    ["81 characters", "q".repeat(81)],
    ["a FIFO queue of 81 with its suffix (the suffix counts)", `${"q".repeat(76)}.fifo`],
    ["only the suffix", ".fifo"],
  ])("a queue name of %s is refused", (_, name) => {
    expect(lines(consumer(name))).toEqual([`${P}:services.worker.queue.name ${QUEUE} (got "${name}")`]);
  });
});
