/**
 * The details of the program's config step, called directly with small explicit inputs: how a stack file is read
 * (infra/stack-file.ts), how the config's problems are mapped to stack-file keys and reported (infra/parse-config.ts),
 * what each preset gives a stack and how the file overrides it (infra/environments.ts), and what the providers receive
 * (infra/providers.ts). Each case pins what a user reads or relies on, one thing changed at a time.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ConfigError,
  REDACTED,
  type ConfigCheck,
  type ConfigProblem,
  type RawStackConfig,
  type StackConfig,
} from "../infra/config";
import {
  LARGE_PRESETS,
  loadSettings,
  MIGRATION_TIMEOUT_SECONDS,
  presetCheck,
  presetOf,
  PRESETS,
  type Preset,
  resolveServices,
  resolveSettings,
  type Settings,
} from "../infra/environments";
import { parseConfig, redactSecrets } from "../infra/parse-config";
import { createProviders, type Providers } from "../infra/providers";
import {
  listStacks,
  readProjectName,
  readStackFile,
  stackFileDir,
  SynthInputError,
  type StackFileConfig,
} from "../infra/stack-file";
import { recordProgram } from "../synth/synth";
import type { RecordedResource } from "../synth/recorder";
import { API_CONTEXT, stackFile } from "./helpers/synth";
import { rawConfig as raw } from "./helpers/config";
import { tempDir } from "./helpers/temp";

const P = "saas-platform";
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000000";

/** A project folder with a `Pulumi.yaml` (project `name`, or the given text) and the given stack files. */
function project(files: Record<string, string>, pulumiYaml: string | null = "name: acme\nruntime: nodejs\n"): string {
  const dir = tempDir("infra-details");
  if (pulumiYaml !== null) writeFileSync(join(dir, "Pulumi.yaml"), pulumiYaml);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** `value` without `key` (a key the file left unset). */
const withoutKey = <T extends object>(value: T, key: keyof T): T =>
  Object.fromEntries(Object.entries(value).filter(([k]) => k !== key)) as T;

/** The error `fn` throws (the test fails if it throws none). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

/** The smallest valid files, one per environment. */
const DEV = {
  environment: "dev",
  appName: "acme-app",
  domain: "acme-app.localhost",
  api: { build: { context: API_CONTEXT } },
};
const PRODUCTION = {
  environment: "production",
  appName: "acme-app",
  domain: "acme-app.com",
  awsRegion: "eu-west-1",
  alerts: { emails: ["ops@acme-app.com"] },
  api: { build: { context: API_CONTEXT }, certificateArn: CERT },
};
const STAGING = { ...PRODUCTION, environment: "staging", domain: "staging.acme-app.com" };

/** The problems `parseConfig` reports for a file (the test fails if it accepts it). */
function problems(r: RawStackConfig, extra?: ConfigCheck): ConfigProblem[] {
  const error = thrown(() => parseConfig(r, extra));
  if (!(error instanceof ConfigError)) throw error;
  return [...error.problems];
}

/** Problems of the production stack's file as `key message` lines. */
const lines = (r: RawStackConfig, extra?: ConfigCheck): string[] =>
  problems(r, extra).map((p) => `${p.key} ${p.message}`);

describe("readProjectName: the project's name from Pulumi.yaml", () => {
  test("is the name in Pulumi.yaml", () => {
    expect(readProjectName(project({}))).toBe("acme");
  });

  test("a folder without Pulumi.yaml is named in the error", () => {
    const dir = project({}, null);
    const error = thrown(() => readProjectName(dir));
    expect(error).toBeInstanceOf(SynthInputError);
    expect(error.name).toBe("SynthInputError");
    expect(error.message).toBe(`no Pulumi.yaml in ${dir}`);
  });

  test.each([
    ["an empty file", ""],
    ["no name", "runtime: nodejs\n"],
    ["an empty name", 'name: ""\n'],
    ["a number", "name: 5\n"],
  ])("%s is no project name", (_what, text) => {
    const dir = project({}, text);
    const error = thrown(() => readProjectName(dir));
    expect(error).toBeInstanceOf(SynthInputError);
    expect(error.message).toBe(`${join(dir, "Pulumi.yaml")} has no project name`);
  });
});

describe("listStacks: the stacks that have a file", () => {
  test("only Pulumi.<stack>.yaml files, sorted", () => {
    const dir = project({
      "Pulumi.staging.yaml": "",
      "Pulumi.dev.yaml": "",
      // The folder lists Pulumi.dev-2.yaml before Pulumi.dev.yaml ("-" sorts before "."): the stacks are sorted by name.
      "Pulumi.dev-2.yaml": "",
      "Pulumi.production.yaml": "",
      "Pulumi.pr-7.yaml": "",
      "Pulumi.qa.yml": "",
      "Pulumi.qa.yaml.bak": "",
      "MyPulumi.sandbox.yaml": "",
      "notes.txt": "",
    });
    expect(listStacks(dir)).toEqual(["dev", "dev-2", "pr-7", "production", "staging"]);
  });

  test("a project with stackConfigDir keeps its stack files there, and they are read from there", () => {
    const dir = project(
      { "Pulumi.dev.yaml": "config:\n  acme:appName: beside-pulumi-yaml\n" },
      ["name: acme", "runtime: nodejs", "stackConfigDir: config", ""].join("\n"),
    );
    expect(listStacks(dir)).toEqual([]);
    mkdirSync(join(dir, "config"));
    writeFileSync(join(dir, "config", "Pulumi.staging.yaml"), "config:\n  acme:appName: in-config\n");
    expect(listStacks(dir)).toEqual(["staging"]);
    expect(stackFileDir(dir)).toBe(join(dir, "config"));
    expect(readStackFile(dir, "staging").config).toEqual({ "acme:appName": "in-config" });
    expect(thrown(() => readStackFile(dir, "dev")).message).toContain("no stack file Pulumi.dev.yaml");
  });
});

describe("readStackFile: a stack file as the CLI hands it over", () => {
  const STACK = [
    "config:",
    "  acme:environment: staging",
    "  appName: acme-app # no namespace: the project's",
    "  aws:region: eu-west-1 # another namespace: kept",
    "  acme:count: 3",
    "  acme:protect: false",
    "  acme:emails: [a@b.co, c@d.co]",
    "  acme:database:",
    "    multiAz: true",
    "    backupRetentionDays: 7",
    "  acme:zeta:",
    "    secure: AAABAHVaxcZtDm+ENcbFbDgh",
    "  acme:alpha:",
    "    secure: AAABAKGPnrn4nkYj",
    "  acme:appSecrets:",
    "    stripe:",
    "      secure: AAABAEu5n3Ez",
    "    plain: text",
    "  acme:list:",
    "    - secure: AAABAQ==",
    "    - plain",
    "  acme:twoKeys:",
    "    secure: AAAB",
    "    other: x",
    "  acme:oneKey:",
    "    only: x",
    "  acme:nothing: ~",
    "",
  ].join("\n");
  const read = () => readStackFile(project({ "Pulumi.staging.yaml": STACK }), "staging");

  test("keys take the project's namespace unless they have one; values become text or JSON", () => {
    const file = read();
    expect(file.project).toBe("acme");
    expect(file.stack).toBe("staging");
    expect(file.config).toEqual({
      "acme:environment": "staging",
      "acme:appName": "acme-app",
      "aws:region": "eu-west-1",
      "acme:count": "3",
      "acme:protect": "false",
      "acme:emails": '["a@b.co","c@d.co"]',
      "acme:database": '{"multiAz":true,"backupRetentionDays":7}',
      "acme:zeta": "synth-placeholder-secret",
      "acme:alpha": "synth-placeholder-secret",
      "acme:appSecrets": '{"stripe":"synth-placeholder-secret","plain":"text"}',
      "acme:list": '["synth-placeholder-secret","plain"]',
      "acme:twoKeys": '{"secure":"AAAB","other":"x"}',
      "acme:oneKey": '{"only":"x"}',
      "acme:nothing": "null",
    });
  });

  test("an encrypted value, whole or inside an object or list, marks its key secret (sorted), and is never read", () => {
    const file = read();
    expect(file.secretKeys).toEqual(["acme:alpha", "acme:appSecrets", "acme:list", "acme:zeta"]);
    expect(JSON.stringify(file)).not.toMatch(/AAABA/);
  });

  test("a pr-<n> stack without a file of its own is empty (the program derives it from staging)", () => {
    const dir = project({});
    expect(readStackFile(dir, "pr-7")).toEqual({
      project: "acme",
      stack: "pr-7",
      config: {},
      secretKeys: [],
      dir,
      plainSecretPaths: [],
    });
  });

  test("a pr-<n> stack with a file of its own reads it", () => {
    const dir = project({ "Pulumi.pr-7.yaml": "config:\n  acme:environment: preview\n" });
    expect(readStackFile(dir, "pr-7").config).toEqual({ "acme:environment": "preview" });
  });

  test("a file without config, or with an empty one, has no values", () => {
    for (const text of ["", "config:\n", "config: {}\n", "encryptionsalt: v1:abc\n"]) {
      const dir = project({ "Pulumi.dev.yaml": text });
      expect(readStackFile(dir, "dev")).toEqual({
        project: "acme",
        stack: "dev",
        config: {},
        secretKeys: [],
        dir,
        plainSecretPaths: [],
      });
    }
  });

  describe("a missing stack file names the stacks there, and the likely one when the name is a typo", () => {
    const dir = project({ "Pulumi.staging.yaml": "", "Pulumi.dev.yaml": "", "Pulumi.production.yaml": "" });
    const messageOf = (stack: string) => {
      const error = thrown(() => readStackFile(dir, stack));
      expect(error).toBeInstanceOf(SynthInputError);
      return error.message;
    };
    const HERE = "(stacks here: dev, production, staging, pr-<n>)";

    test.each([
      // A third of the name, rounded down, at least 1.
      ["stagign", "staging"], // distance 2, limit 2
      ["prodution", "production"], // distance 1, limit 3
      ["de", "dev"], // distance 1, limit 1 (a third of 2 is 0)
      ["dv", "dev"],
    ])("%s: did you mean %s?", (stack, near) => {
      expect(messageOf(stack)).toBe(`no stack file Pulumi.${stack}.yaml ${HERE}; did you mean "${near}"?`);
    });

    test.each([
      "qa", // not a typo of dev
      "stgign", // distance 3 from staging, limit 2
      "prod", // distance 6 from production, limit 1
      "pr-0", // not a preview number
    ])("%s: no guess", (stack) => {
      expect(messageOf(stack)).toBe(`no stack file Pulumi.${stack}.yaml ${HERE}`);
    });

    test("in a folder without stack files, only pr-<n> is offered", () => {
      expect(thrown(() => readStackFile(project({}), "dev")).message).toBe(
        "no stack file Pulumi.dev.yaml (stacks here: pr-<n>)",
      );
    });
  });

  test("a file that is not YAML names the file and where the YAML breaks", () => {
    const dir = project({ "Pulumi.dev.yaml": "config:\n  acme:appName: [acme\n  acme:domain: x\n" });
    const error = thrown(() => readStackFile(dir, "dev"));
    expect(error).toBeInstanceOf(SynthInputError);
    expect(error.message).toMatch(/^Pulumi\.dev\.yaml is not valid YAML: \S.*line \d+/s);
  });

  test.each([
    ["a list", "config:\n  - acme:appName\n"],
    ["a word", "config: acme\n"],
    ["a number", "config: 5\n"],
  ])("a config that is %s is refused", (_what, text) => {
    const error = thrown(() => readStackFile(project({ "Pulumi.dev.yaml": text }), "dev"));
    expect(error).toBeInstanceOf(SynthInputError);
    expect(error.message).toBe('Pulumi.dev.yaml: "config" must be a mapping of <project>:<key> to values');
  });

  test("the test fixtures read as their project's", () => {
    const file = stackFile("production");
    expect(file.project).toBe(P);
    expect(file.config[`${P}:awsAccountId`]).toBe("123456789012");
    expect(file.secretKeys).toEqual([]);
  });
});

describe("parseConfig: every problem at once, each on its stack-file key", () => {
  test("a valid file gives the typed config with where it came from", () => {
    const config = parseConfig(raw(DEV, "dev", [], "acme"));
    expect(config).toMatchObject({ project: "acme", stack: "dev", stackFile: "Pulumi.dev.yaml", environment: "dev" });
    expect("previewNumber" in config).toBe(false);
  });

  test("a preview knows its number, as a number", () => {
    const config = parseConfig(
      raw({ ...STAGING, environment: "preview", stagingStack: "acme/saas-platform/staging" }, "pr-42"),
    );
    expect(config.previewNumber).toBe(42);
  });

  test("the error names the file, counts the problems and prefixes each with the file and namespaced key", () => {
    const error = thrown(() =>
      parseConfig(raw({ ...DEV, appName: "A", database: { backupRetentionDays: 36 } }, "dev", [], "acme")),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      [
        "Pulumi.dev.yaml has 3 configuration problems:",
        '  Pulumi.dev.yaml: acme:appName must be 3 to 24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (got "A")',
        "  Pulumi.dev.yaml: acme:database.backupRetentionDays must be an integer from 1 to 35 (got 36)",
        "  Pulumi.dev.yaml: acme:database has no effect in dev: the Docker stack uses only environment, appName, domain and api's image, port and health path; remove it",
      ].join("\n"),
    );
  });

  test("text fields are kept verbatim; other values are decoded from JSON, or kept as text when they are not JSON", () => {
    expect(
      lines(
        raw(
          { ...PRODUCTION, appName: "123", awsRegion: "42", size: "1", protect: "yes", database: "[1" },
          "production",
        ),
      ),
    ).toEqual([
      `${P}:appName must be 3 to 24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (got "123")`,
      `${P}:awsRegion must be an AWS region code such as eu-west-1 (got "42")`,
      `${P}:protect must be true or false (got "yes")`,
      `${P}:size must be one of "small", "large" (got "1")`,
      expect.stringMatching(new RegExp(`^${P}:database .*\\(got "\\[1"\\)$`)) as unknown as string,
    ]);
  });

  test("a key that was removed says what replaced it, and is not also reported as unknown", () => {
    expect(
      problems(raw({ ...PRODUCTION, slackWebhookUrl: "https://hooks.slack.com/services/T/B/x" }, "production")),
    ).toEqual([
      {
        key: `${P}:slackWebhookUrl`,
        message:
          "is no longer read: SNS cannot deliver to a Slack incoming webhook (it never confirms the subscription). Remove it (`pulumi config rm slackWebhookUrl`) and set alerts.slack.workspaceId and alerts.slack.channelId (see docs/components/monitoring.md)",
      },
    ]);
  });

  test("unknown keys: the closest known one at that level, including inside officeHours' object form", () => {
    expect(
      lines(raw({ ...STAGING, databse: {}, officeHours: { form: 8 }, database: { multiAZ: true } }, "staging")),
    ).toEqual([
      `${P}:database.multiAZ is not a known setting (did you mean "multiAz"?)`,
      `${P}:officeHours.form is not a known setting (did you mean "from"?)`,
      `${P}:databse is not a known setting (did you mean "database"?)`,
    ]);
  });

  test("officeHours given as an object reports the object's own mistakes by key; as a word, the union's message", () => {
    expect(lines(raw({ ...STAGING, officeHours: { from: "eight", to: 30 } }, "staging"))).toEqual([
      `${P}:officeHours.from must be an integer from 1 to 22 (got "eight")`,
      `${P}:officeHours.to must be an integer from 2 to 23 (got 30)`,
    ]);
    expect(lines(raw({ ...STAGING, officeHours: "never" }, "staging"))).toEqual([
      `${P}:officeHours must be "always" or an object with days, from, to and timezone (got "never")`,
    ]);
  });

  test("a service name that breaks the naming rule is reported with the name; its valid siblings are still checked", () => {
    const build = { context: API_CONTEXT };
    expect(
      lines(
        raw(
          {
            ...STAGING,
            services: { Bad_Name: { kind: "worker", build }, ai: { kind: "http", build, host: "api" } },
          },
          "staging",
        ),
      ),
    ).toEqual([
      `${P}:services.Bad_Name must be a service name of 2 to 15 lowercase letters, digits or hyphens, such as worker (got "Bad_Name")`,
      expect.stringMatching(new RegExp(`^${P}:services\\.ai\\.host `)) as unknown as string,
    ]);
  });

  test("an unknown key inside a service gets a guess from a service's own keys", () => {
    expect(
      lines(
        raw(
          { ...STAGING, services: { ai: { kind: "worker", build: { context: API_CONTEXT }, cpuu: 256 } } },
          "staging",
        ),
      ),
    ).toEqual([`${P}:services.ai.cpuu is not a known setting (did you mean "cpu"?)`]);
  });

  test.each([
    ["a number", 5, "5"],
    ["a list", ["x"], '["x"]'],
  ])("officeHours given as %s: the union's message", (_what, value, got) => {
    expect(lines(raw({ ...STAGING, officeHours: value }, "staging"))).toEqual([
      `${P}:officeHours must be "always" or an object with days, from, to and timezone (got ${got})`,
    ]);
  });

  test("an unknown environment is reported once, with no rule on the stack's name", () => {
    expect(lines(raw({ ...STAGING, environment: "prod" }, "pr-7"))).toEqual([
      `${P}:environment must be one of "dev", "staging", "production", "preview" (got "prod")`,
    ]);
  });

  test("a key that is invalid on its own is not reported again, as unset, by the rules across keys", () => {
    expect(lines(raw({ ...PRODUCTION, alerts: { emails: "ops@acme-app.com" } }, "production"))).toEqual([
      `${P}:alerts.emails must be a list of email addresses (got "ops@acme-app.com")`,
    ]);
  });

  test("a missing value says it is not set", () => {
    expect(lines(raw({ ...DEV, appName: undefined }, "dev"))).toEqual([
      `${P}:appName must be 3 to 24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (not set)`,
    ]);
  });

  test("a secret value is never quoted by the schema, even inside an object; other keys still are", () => {
    const error = thrown(() =>
      parseConfig(
        raw(
          { ...PRODUCTION, awsRegion: "eu-wst-1x", database: { backupRetentionDays: 99 }, appName: "X" },
          "production",
          ["awsRegion", "database"],
        ),
      ),
    ) as ConfigError;
    expect(error.problems.map((p) => `${p.key} ${p.message}`)).toEqual([
      `${P}:appName must be 3 to 24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (got "X")`,
      `${P}:awsRegion must be an AWS region code such as eu-west-1 (got ${REDACTED})`,
      `${P}:database.backupRetentionDays must be an integer from 1 to 35 (got ${REDACTED})`,
    ]);
    expect(error.message).not.toContain("eu-wst-1x");
    expect(error.message).not.toContain("99");
  });

  test("an environment that disagrees with the stack's name is reported once, not through every rule it drives", () => {
    const noAlerts = { ...PRODUCTION, alerts: undefined };
    expect(lines(raw(noAlerts, "pr-7"))).toEqual([
      `${P}:environment must be "preview" for a pr-<number> stack (got "production")`,
    ]);
    // The same file under its own name: the production rule applies.
    expect(lines(raw(noAlerts, "production"))).toEqual([
      `${P}:alerts.emails must list at least one address that receives production alerts (not set)`,
    ]);
  });

  test("an extra check gets the valid keys (environment included) and the project, and reports after the others", () => {
    const calls: Array<[Record<string, unknown>, string]> = [];
    const extra: ConfigCheck = (valid, projectName) => {
      calls.push([valid, projectName]);
      return [{ key: `${projectName}:extra`, message: "is extra" }];
    };
    expect(lines(raw({ ...PRODUCTION, appName: "X", alerts: undefined }, "pr-7", [], "acme"), extra)).toEqual([
      `acme:appName must be 3 to 24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (got "X")`,
      `acme:environment must be "preview" for a pr-<number> stack (got "production")`,
      "acme:extra is extra",
    ]);
    expect(calls).toHaveLength(1);
    const [valid, projectName] = calls[0]!;
    expect(projectName).toBe("acme");
    expect(valid["environment"]).toBe("production");
    expect(valid["awsRegion"]).toBe("eu-west-1");
    expect("appName" in valid).toBe(false);
    expect("alerts" in valid).toBe(false);
  });

  test("an extra check's problem alone rejects a valid file; none accepts it", () => {
    expect(lines(raw(DEV, "dev"), () => [{ key: "k", message: "m" }])).toEqual(["k m"]);
    expect(parseConfig(raw(DEV, "dev"), () => []).environment).toBe("dev");
  });

  test("appSecrets in plain text are refused; set with --secret they are accepted", () => {
    const withSecrets = { ...STAGING, appSecrets: { stripe: "sk_live_123" } };
    expect(lines(raw(withSecrets, "staging"))).toEqual([
      `${P}:appSecrets must be set with --secret, so its values are encrypted in the stack file: pulumi config set --secret --path 'appSecrets.<name>' <value>`,
    ]);
    expect(parseConfig(raw(withSecrets, "staging", ["appSecrets"])).appSecrets).toEqual({ stripe: "sk_live_123" });
  });
});

describe("redactSecrets: no text of a secret in a message", () => {
  const R = `[${REDACTED}]`;
  const config = (values: Record<string, string>, secretKeys: string[]): RawStackConfig => ({
    project: P,
    stack: "production",
    values,
    secretKeys: new Set(secretKeys),
  });

  test("a plain secret, and every string of 3 characters or more inside a secret object or list", () => {
    const r = config(
      {
        token: "tok-123456",
        database: JSON.stringify({ a: "abc", b: "xy", c: null, d: 12345, e: ["listed", { f: "deep-value" }] }),
        plainKey: "visible-text",
      },
      ["token", "database"],
    );
    const out = redactSecrets(
      [
        { key: "k1", message: "got tok-123456 and abc and xy and 12345" },
        { key: "k2", message: "listed deep-value visible-text" },
      ],
      r,
    );
    expect(out).toEqual([
      { key: "k1", message: `got ${R} and ${R} and xy and 12345` },
      { key: "k2", message: `${R} ${R} visible-text` },
    ]);
  });

  test("the longest secret goes first, so one that contains another is removed whole; every occurrence goes", () => {
    const r = config({ a: "abc", b: "abcdef" }, ["a", "b"]);
    expect(redactSecrets([{ key: "k", message: "abcdef, abcdef and abc" }], r)).toEqual([
      { key: "k", message: `${R}, ${R} and ${R}` },
    ]);
  });

  test("a secret key that is not set is skipped, and the next is still removed", () => {
    const r = config({ b: "second-secret" }, ["a", "b"]);
    expect(redactSecrets([{ key: "k", message: "second-secret" }], r)).toEqual([{ key: "k", message: R }]);
  });

  test("no secrets: the problems are unchanged", () => {
    expect(redactSecrets([{ key: "k", message: "m" }], config({ a: "abc" }, []))).toEqual([{ key: "k", message: "m" }]);
  });
});

describe("presets: what each environment gets when the stack file leaves a key unset", () => {
  const OFFICE_HOURS = { days: "MON-FRI", from: 8, to: 19, timezone: "UTC" };

  test("dev runs on Docker, unprotected, always on, with no cloud monitoring", () => {
    expect(PRESETS.dev).toEqual({
      target: "docker",
      protect: false,
      network: { cidr: "10.10.0.0/16", azCount: 2, natGateways: "none", flowLogRetentionDays: 7 },
      database: {
        instanceClass: "db.t4g.micro",
        engineVersion: "17",
        allocatedStorageGb: 20,
        maxAllocatedStorageGb: 20,
        backupRetentionDays: 1,
        multiAz: false,
        backupPlan: false,
        crossRegionCopy: false,
      },
      cache: { nodeType: "cache.t4g.micro", replicas: 0, snapshotRetentionDays: 0 },
      api: { cpu: 256, memory: 512, minTasks: 1, maxTasks: 1 },
      logs: { retentionDays: 7 },
      officeHours: "always",
      authenticatedOriginPulls: false,
      monitoring: {
        budgetPerServiceUsd: 0,
        budgetMonthlyUsd: 0,
        uptimeChecks: false,
        dashboard: false,
        containerInsights: false,
      },
    });
  });

  test("preview: the cheapest and disposable, asleep out of office hours, a $30 budget against a forgotten one", () => {
    expect(PRESETS.preview).toEqual({
      target: "aws",
      protect: false,
      network: { cidr: "10.30.0.0/16", azCount: 2, natGateways: "none", flowLogRetentionDays: 3 },
      database: {
        instanceClass: "db.t4g.micro",
        engineVersion: "17",
        allocatedStorageGb: 20,
        maxAllocatedStorageGb: 20,
        backupRetentionDays: 1,
        multiAz: false,
        backupPlan: false,
        crossRegionCopy: false,
      },
      cache: { nodeType: "cache.t4g.micro", replicas: 0, snapshotRetentionDays: 0 },
      api: { cpu: 256, memory: 512, minTasks: 1, maxTasks: 1 },
      logs: { retentionDays: 3 },
      officeHours: OFFICE_HOURS,
      authenticatedOriginPulls: false,
      monitoring: {
        budgetPerServiceUsd: 4,
        budgetMonthlyUsd: 30,
        uptimeChecks: false,
        dashboard: false,
        containerInsights: false,
      },
    });
  });

  test("staging: production's shape at single-AZ sizes, RDS's own 7 days of recovery, no origin pulls (its $50 budget)", () => {
    expect(PRESETS.staging).toEqual({
      target: "aws",
      protect: false,
      network: { cidr: "10.20.0.0/16", azCount: 2, natGateways: "instance", flowLogRetentionDays: 30 },
      database: {
        instanceClass: "db.t4g.micro",
        engineVersion: "17",
        allocatedStorageGb: 20,
        maxAllocatedStorageGb: 100,
        backupRetentionDays: 7,
        multiAz: false,
        backupPlan: false,
        crossRegionCopy: false,
      },
      cache: { nodeType: "cache.t4g.micro", replicas: 0, snapshotRetentionDays: 1 },
      api: { cpu: 256, memory: 512, minTasks: 1, maxTasks: 2 },
      logs: { retentionDays: 30 },
      officeHours: OFFICE_HOURS,
      authenticatedOriginPulls: false,
      monitoring: {
        budgetPerServiceUsd: 6,
        budgetMonthlyUsd: 60,
        uptimeChecks: false,
        dashboard: false,
        containerInsights: false,
      },
    });
  });

  test("production: protected, Multi-AZ, a replica, two tasks, backups copied to a second region, every alarm", () => {
    expect(PRESETS.production).toEqual({
      target: "aws",
      protect: true,
      network: { cidr: "10.0.0.0/16", azCount: 2, natGateways: "instance", flowLogRetentionDays: 90 },
      database: {
        instanceClass: "db.t4g.micro",
        engineVersion: "17",
        allocatedStorageGb: 20,
        maxAllocatedStorageGb: 100,
        backupRetentionDays: 14,
        multiAz: true,
        backupPlan: true,
        crossRegionCopy: true,
      },
      cache: { nodeType: "cache.t4g.micro", replicas: 1, snapshotRetentionDays: 7 },
      api: { cpu: 256, memory: 512, minTasks: 2, maxTasks: 4 },
      logs: { retentionDays: 90 },
      officeHours: "always",
      authenticatedOriginPulls: true,
      monitoring: {
        budgetPerServiceUsd: 20,
        budgetMonthlyUsd: 175,
        uptimeChecks: true,
        dashboard: true,
        containerInsights: false,
      },
    });
  });

  test("large staging: the previous generation, always on, with insights and a dashboard", () => {
    expect(LARGE_PRESETS.staging).toEqual({
      target: "aws",
      protect: false,
      network: { cidr: "10.20.0.0/16", azCount: 2, natGateways: "single", flowLogRetentionDays: 30 },
      database: {
        instanceClass: "db.t4g.small",
        engineVersion: "17",
        allocatedStorageGb: 20,
        maxAllocatedStorageGb: 100,
        backupRetentionDays: 7,
        multiAz: false,
        backupPlan: true,
        crossRegionCopy: false,
      },
      cache: { nodeType: "cache.t4g.small", replicas: 0, snapshotRetentionDays: 1 },
      api: { cpu: 512, memory: 1024, minTasks: 1, maxTasks: 3 },
      logs: { retentionDays: 30 },
      officeHours: "always",
      authenticatedOriginPulls: true,
      monitoring: {
        budgetPerServiceUsd: 12,
        budgetMonthlyUsd: 220,
        uptimeChecks: true,
        dashboard: true,
        containerInsights: true,
      },
    });
  });

  test("large production: three zones, a NAT gateway per zone, m7g database and cache, a year of flow logs", () => {
    expect(LARGE_PRESETS.production).toEqual({
      target: "aws",
      protect: true,
      network: { cidr: "10.0.0.0/16", azCount: 3, natGateways: "perAz", flowLogRetentionDays: 365 },
      database: {
        instanceClass: "db.m7g.large",
        engineVersion: "17",
        allocatedStorageGb: 100,
        maxAllocatedStorageGb: 500,
        backupRetentionDays: 14,
        multiAz: true,
        backupPlan: true,
        crossRegionCopy: true,
      },
      cache: { nodeType: "cache.m7g.large", replicas: 1, snapshotRetentionDays: 7 },
      api: { cpu: 1024, memory: 2048, minTasks: 2, maxTasks: 10 },
      logs: { retentionDays: 90 },
      officeHours: "always",
      authenticatedOriginPulls: true,
      monitoring: {
        budgetPerServiceUsd: 60,
        budgetMonthlyUsd: 1000,
        uptimeChecks: true,
        dashboard: true,
        containerInsights: true,
      },
    });
  });

  test.each([
    ["staging", "large", LARGE_PRESETS.staging],
    ["production", "large", LARGE_PRESETS.production],
    ["staging", "small", PRESETS.staging],
    ["production", undefined, PRESETS.production],
    // dev and previews have one size.
    ["dev", "large", PRESETS.dev],
    ["preview", "large", PRESETS.preview],
  ] as const)("presetOf(%s, %s)", (environment, size, preset) => {
    expect(presetOf(environment, size)).toBe(preset);
  });
});

describe("resolveServices: each kind with the preset's sizes and its own defaults", () => {
  const build = { context: API_CONTEXT };
  type Services = NonNullable<StackConfig["services"]>;
  const resolve = (services: Record<string, unknown>, preset: Preset = PRESETS.production) =>
    resolveServices(services as Services, preset);

  test("no services: none", () => {
    expect(resolveServices(undefined, PRESETS.production)).toEqual([]);
  });

  test("defaults, in the file's order, with only the keys the file sets", () => {
    expect(resolve({ web: { kind: "http", build }, jobs: { kind: "worker" }, nightly: { kind: "cron" } })).toEqual([
      {
        name: "web",
        build,
        environment: {},
        secrets: {},
        kind: "http",
        host: "web",
        port: 8080,
        healthCheckPath: "/health",
        cpu: 256,
        memory: 512,
        minTasks: 2,
        maxTasks: 4,
      },
      { name: "jobs", environment: {}, secrets: {}, kind: "worker", cpu: 256, memory: 512, minTasks: 1, maxTasks: 4 },
      {
        name: "nightly",
        environment: {},
        secrets: {},
        kind: "cron",
        cpu: 256,
        memory: 512,
        schedule: "",
        timezone: "UTC",
        timeoutMinutes: 60,
        retries: 2,
      },
    ]);
  });

  test("the file's values win, and a minimum above the preset's maximum raises the maximum", () => {
    const [http, worker, cron] = resolve(
      {
        web: {
          kind: "http",
          image: "ghcr.io/acme/web:1",
          imageTag: "v1",
          command: ["serve"],
          containerHealthCheck: ["CMD", "true"],
          mount: { hostPath: "web", containerPath: "/app" },
          environment: { A: "1" },
          secrets: { DB: "database.url" },
          host: "www",
          port: 3000,
          healthCheckPath: "/up",
          cpu: 1024,
          memory: 2048,
          minTasks: 6,
          migration: { command: ["migrate"] },
        },
        jobs: { kind: "worker", minTasks: 5, queue: { name: "q", messagesPerTask: 10 } },
        nightly: {
          kind: "cron",
          cpu: 512,
          memory: 1024,
          schedule: "cron(0 3 * * ? *)",
          timezone: "Europe/Dublin",
          timeoutMinutes: 5,
          retries: 0,
        },
      },
      PRESETS.staging,
    );
    expect(http).toEqual({
      name: "web",
      image: "ghcr.io/acme/web:1",
      imageTag: "v1",
      command: ["serve"],
      containerHealthCheck: ["CMD", "true"],
      mount: { hostPath: "web", containerPath: "/app" },
      environment: { A: "1" },
      secrets: { DB: "database.url" },
      migration: { command: ["migrate"], timeoutSeconds: MIGRATION_TIMEOUT_SECONDS },
      kind: "http",
      host: "www",
      port: 3000,
      healthCheckPath: "/up",
      cpu: 1024,
      memory: 2048,
      minTasks: 6,
      maxTasks: 6,
    });
    expect(MIGRATION_TIMEOUT_SECONDS).toBe(600);
    expect(worker).toMatchObject({ minTasks: 5, maxTasks: 5, queue: { name: "q", messagesPerTask: 10 } });
    expect(cron).toMatchObject({
      cpu: 512,
      memory: 1024,
      schedule: "cron(0 3 * * ? *)",
      timezone: "Europe/Dublin",
      timeoutMinutes: 5,
      retries: 0,
    });
  });

  test("a migration's own timeout and explicit maxima are kept", () => {
    const [http, worker] = resolve({
      web: { kind: "http", build, maxTasks: 3, migration: { command: ["m"], timeoutSeconds: 30 } },
      jobs: { kind: "worker", maxTasks: 2 },
    });
    expect(http).toMatchObject({ maxTasks: 3, migration: { command: ["m"], timeoutSeconds: 30 } });
    expect(worker).toMatchObject({ maxTasks: 2 });
    expect("migration" in worker!).toBe(false);
  });
});

describe("resolveSettings: the file over the preset", () => {
  const settings = (values: Record<string, unknown>, stack: string, secretKeys: string[] = []): Settings =>
    resolveSettings(parseConfig(raw(values, stack, secretKeys)));

  test("a minimal production file: the preset, the app's name as prefix, backups copied to the region's pair", () => {
    const s = settings(PRODUCTION, "production");
    expect(s).toEqual({
      ...PRESETS.production,
      project: P,
      stack: "production",
      stackFile: "Pulumi.production.yaml",
      environment: "production",
      appName: "acme-app",
      namePrefix: "acme-app",
      domain: "acme-app.com",
      awsRegion: "eu-west-1",
      alerts: { emails: ["ops@acme-app.com"] },
      database: { ...PRESETS.production.database, backupCopyRegion: "eu-central-1" },
      api: { ...PRESETS.production.api, build: { context: API_CONTEXT }, certificateArn: CERT },
      services: [],
      appSecrets: {},
    });
  });

  test("a minimal dev file has no region, account, alerts or cloud sections", () => {
    const s = settings(DEV, "dev");
    for (const key of ["awsRegion", "awsAccountId", "previewNumber", "stagingStack", "web", "dns"]) {
      expect(key in s).toBe(false);
    }
    expect(s.alerts).toEqual({ emails: [] });
    expect(s.target).toBe("docker");
  });

  test("the file's own keys are carried over", () => {
    const s = settings(
      {
        ...PRODUCTION,
        namePrefix: "legacy",
        awsAccountId: "123456789012",
        alerts: { emails: ["a@b.co"], slack: { workspaceId: "T0123ABCD", channelId: "C0123ABCDEF" } },
        dns: { zoneId: "fedcba9876543210fedcba9876543210", authenticatedOriginPulls: false },
        web: { framework: "nextjs" },
        api: { build: { context: API_CONTEXT } },
        database: { backupCopyRegion: "eu-north-1" },
        logs: { retentionDays: 365 },
      },
      "production",
    );
    expect(s).toMatchObject({
      namePrefix: "legacy",
      awsAccountId: "123456789012",
      alerts: { emails: ["a@b.co"], slack: { workspaceId: "T0123ABCD", channelId: "C0123ABCDEF" } },
      // The file's switch wins over production's preset.
      authenticatedOriginPulls: false,
      dns: { zoneId: "fedcba9876543210fedcba9876543210", authenticatedOriginPulls: false },
      web: { framework: "nextjs" },
      logs: { retentionDays: 365 },
    });
    expect(s.database.backupCopyRegion).toBe("eu-north-1");
    // Without the file's switch, production's preset authenticates origin pulls.
    expect(
      settings(
        {
          ...PRODUCTION,
          dns: { zoneId: "fedcba9876543210fedcba9876543210" },
          api: { build: { context: API_CONTEXT } },
        },
        "production",
      ).authenticatedOriginPulls,
    ).toBe(true);
  });

  test("a preview carries its number and its staging stack", () => {
    const s = settings({ ...STAGING, environment: "preview", stagingStack: "acme/saas-platform/staging" }, "pr-9");
    expect(s).toMatchObject({ previewNumber: 9, stagingStack: "acme/saas-platform/staging", environment: "preview" });
    expect(s.officeHours).toEqual(PRESETS.preview.officeHours);
  });

  test("the budget grows by the preset's allowance per service, unless the file sets its own", () => {
    const build = { context: API_CONTEXT };
    const services = { a1: { kind: "worker", build }, b2: { kind: "worker", build } };
    expect(settings({ ...STAGING, services }, "staging").monitoring.budgetMonthlyUsd).toBe(60 + 2 * 6);
    expect(
      settings({ ...STAGING, services, monitoring: { budgetMonthlyUsd: 80 } }, "staging").monitoring.budgetMonthlyUsd,
    ).toBe(80);
    expect(settings(STAGING, "staging").monitoring.budgetMonthlyUsd).toBe(60);
  });

  test("office hours: the file's keys over the preset's, always-on presets start from the default hours", () => {
    expect(settings({ ...STAGING, officeHours: { from: 7 } }, "staging").officeHours).toEqual({
      days: "MON-FRI",
      from: 7,
      to: 19,
      timezone: "UTC",
    });
    expect(settings({ ...STAGING, officeHours: "always" }, "staging").officeHours).toBe("always");
    // Large staging is always on: hours given in the file start from weekdays 8 to 19 UTC.
    expect(settings({ ...STAGING, size: "large", officeHours: { to: 18 } }, "staging").officeHours).toEqual({
      days: "MON-FRI",
      from: 8,
      to: 18,
      timezone: "UTC",
    });
    expect(settings({ ...STAGING, size: "large" }, "staging").officeHours).toBe("always");
  });

  test("a stack that copies backups gets its region's pair; one that does not gets no copy region", () => {
    expect("backupCopyRegion" in settings(STAGING, "staging").database).toBe(false);
    expect("backupCopyRegion" in settings({ ...STAGING, size: "large" }, "staging").database).toBe(false);
    const staging = parseConfig(raw(STAGING, "staging"));
    expect(
      resolveSettings({ ...staging, database: { crossRegionCopy: true } as never }).database.backupCopyRegion,
    ).toBe("eu-central-1");
  });

  test("no copy region without a region, or without a default pair", () => {
    const base = parseConfig(raw(PRODUCTION, "production"));
    const noRegion = withoutKey(base, "awsRegion");
    expect(
      "backupCopyRegion" in
        resolveSettings({ ...base, database: { crossRegionCopy: true } as never, awsRegion: "xx-nowhere-1" }).database,
    ).toBe(false);
    expect("backupCopyRegion" in resolveSettings(noRegion).database).toBe(false);
  });

  test("an unset (undefined) key keeps the preset's value; false and 0 override it", () => {
    const base = parseConfig(raw(STAGING, "staging"));
    const s = resolveSettings({
      ...base,
      cache: { replicas: undefined, snapshotRetentionDays: 0 },
      monitoring: { dashboard: undefined, uptimeChecks: false },
    });
    expect(s.cache).toEqual({ ...PRESETS.staging.cache, snapshotRetentionDays: 0 });
    expect(s.monitoring).toEqual({ ...PRESETS.staging.monitoring, uptimeChecks: false });
  });
});

describe("loadSettings and presetCheck: the rules against the preset in the same report", () => {
  test("no environment, no preset rules", () => {
    expect(presetCheck({}, P)).toEqual([]);
  });

  test("the preset's sizes are checked with the file's, and services against the preset", () => {
    expect(presetCheck({ environment: "production", size: "large", api: { memory: 512 } }, P)).toEqual([
      {
        key: `${P}:api.memory`,
        message:
          "must be a memory size Fargate offers for api.cpu 1024: 2048, 3072, 4096, 5120, 6144, 7168, 8192 MiB (got 512)",
      },
    ]);
  });

  test("each tier of the preset is overlaid with the file's before the rules", () => {
    const check = (valid: Parameters<ConfigCheck>[0]) => presetCheck(valid, "acme").map((p) => `${p.key} ${p.message}`);
    expect(check({ environment: "production", database: { multiAz: false } })).toEqual([
      "acme:database.multiAz cannot be false in production: a standby in a second zone takes over in a zone outage (policy rds-multi-az)",
    ]);
    expect(check({ environment: "production", cache: { replicas: 0 } })).toEqual([
      "acme:cache.replicas must be at least 1 in production: automatic failover and Multi-AZ need a replica (policy elasticache-failover) (got 0)",
    ]);
    // Staging's preset hours start at 8.
    expect(check({ environment: "staging", officeHours: { to: 6 } })).toEqual([
      "acme:officeHours.to must be a later hour than from (8) (got 6)",
    ]);
    // Large production has three zones.
    expect(
      check({ environment: "production", size: "large", network: { availabilityZones: ["eu-west-1a", "eu-west-1b"] } }),
    ).toEqual(["acme:network.availabilityZones must list exactly network.azCount (3) zones (got 2)"]);
    expect(check({ environment: "production", api: { build: { context: "no/such/api" } } })).toEqual([
      'acme:api.build.context must be an existing folder (got "no/such/api")',
    ]);
    expect(
      check({
        environment: "staging",
        services: { ai: { kind: "http", build: { context: API_CONTEXT }, memory: 4096 } },
      } as never),
    ).toEqual([expect.stringMatching(/^acme:services\.ai\.memory /) as unknown as string]);
    expect(check({ environment: "production" })).toEqual([]);
  });

  test("file and preset problems come in one error", () => {
    const error = thrown(() =>
      loadSettings(raw({ ...PRODUCTION, appName: "X", api: { ...PRODUCTION.api, memory: 4096 } }, "production")),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.key)).toEqual([`${P}:appName`, `${P}:api.memory`]);
  });

  test("a valid file loads", () => {
    expect(loadSettings(raw(STAGING, "staging")).environment).toBe("staging");
  });
});

describe("createProviders: what the providers receive", () => {
  /** The providers a stack's settings create, and the provider resources recorded. */
  async function providersOf(file: StackFileConfig): Promise<{ providers: Providers; resources: RecordedResource[] }> {
    let providers: Providers | undefined;
    const result = await recordProgram(file, () => {
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(file.config)) values[k.slice(P.length + 1)] = v;
      providers = createProviders(loadSettings({ project: P, stack: file.stack, values, secretKeys: new Set() }));
      return Promise.resolve({});
    });
    return { providers: providers!, resources: result.resources.filter((r) => r.type.startsWith("pulumi:providers:")) };
  }
  const byName = (resources: RecordedResource[]) => Object.fromEntries(resources.map((r) => [r.name, r]));
  const TAGS = (stack: string) =>
    JSON.stringify({ tags: { Project: P, Stack: stack, Environment: stack, ManagedBy: "pulumi" } });

  test("production: the region, the pinned account and the standard tags, in its region and in us-east-1", async () => {
    const { providers, resources } = await providersOf(stackFile("production"));
    const r = byName(resources);
    expect(Object.keys(r).sort()).toEqual(["aws", "aws-us-east-1", "cloudflare", "sentry", "vercel"]);
    expect(r["aws"]!.type).toBe("pulumi:providers:aws");
    expect(r["aws"]!.inputs).toMatchObject({
      region: "eu-west-1",
      allowedAccountIds: '["123456789012"]',
      defaultTags: TAGS("production"),
    });
    expect(r["aws-us-east-1"]!.type).toBe("pulumi:providers:aws");
    expect(r["aws-us-east-1"]!.inputs).toMatchObject({
      region: "us-east-1",
      allowedAccountIds: '["123456789012"]',
      defaultTags: TAGS("production"),
    });
    // Tokens come from the environment, never from config.
    expect(r["vercel"]!.type).toBe("pulumi:providers:vercel");
    expect(r["cloudflare"]!.type).toBe("pulumi:providers:cloudflare");
    expect(r["sentry"]!.type).toBe("pulumi:providers:sentry");
    for (const name of ["vercel", "cloudflare", "sentry"]) {
      expect(Object.keys(r[name]!.inputs).filter((k) => /token|key|secret/i.test(k))).toEqual([]);
    }
    expect("team" in r["vercel"]!.inputs).toBe(false);
    expect(providers.target).toBe("aws");
  });

  test("no web, dns or Sentry: no provider for them; no account pinned: any account", async () => {
    const { providers, resources } = await providersOf({
      project: P,
      stack: "staging",
      config: Object.fromEntries(
        Object.entries(STAGING).map(([k, v]) => [`${P}:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
      ),
      secretKeys: [],
    });
    const r = byName(resources);
    expect(Object.keys(r).sort()).toEqual(["aws", "aws-us-east-1"]);
    expect("allowedAccountIds" in r["aws"]!.inputs).toBe(false);
    expect("allowedAccountIds" in r["aws-us-east-1"]!.inputs).toBe(false);
    expect(r["aws"]!.inputs).toMatchObject({ region: "eu-west-1", defaultTags: TAGS("staging") });
    expect(providers).toMatchObject({ target: "aws", vercel: undefined, cloudflare: undefined, sentry: undefined });
  });

  test("a Vercel team is passed to its provider", async () => {
    const file = stackFile("staging");
    const web = JSON.parse(file.config[`${P}:web`]!) as Record<string, unknown>;
    const { resources } = await providersOf({
      ...file,
      config: { ...file.config, [`${P}:web`]: JSON.stringify({ ...web, team: "team_abc123" }) },
    });
    expect(byName(resources)["vercel"]!.inputs["team"]).toBe("team_abc123");
  });

  test("dev: only the Docker provider", async () => {
    const { providers, resources } = await providersOf(stackFile("dev"));
    expect(resources.map((r) => [r.type, r.name])).toEqual([["pulumi:providers:docker", "docker"]]);
    expect(providers.target).toBe("docker");
  });

  test("a cloud stack without a region is refused by name", () => {
    const s = resolveSettings(parseConfig(raw(STAGING, "staging")));
    expect(() => createProviders(withoutKey(s, "awsRegion"))).toThrow(
      "Pulumi.staging.yaml: saas-platform:awsRegion is required for a cloud stack",
    );
  });
});
