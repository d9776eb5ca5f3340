import * as pulumi from "@pulumi/pulumi";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { plainSecretPathsOf, readStackFile } from "../../infra/stack-file";
import { readRawConfig } from "../../infra/program";
import { main } from "../../synth/cli";
import { ConfigError, type RawStackConfig } from "../../infra/config";
import { loadSettings } from "../../infra/environments";
import { resolvedServiceProblems } from "../../infra/service-rules";
import type { StackFileConfig } from "../../infra/stack-file";
import { API_CONTEXT, FIXTURE_STACKS, PROJECT, variant } from "../helpers/synth";
import { tempDir } from "../helpers/temp";

/** What `infra/program.ts` hands the config step for a stack file (namespace stripped). */
function raw(file: StackFileConfig, secret: readonly string[] = []): RawStackConfig {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(file.config)) {
    if (key.startsWith(`${PROJECT}:`)) values[key.slice(PROJECT.length + 1)] = value;
  }
  return { project: file.project, stack: file.stack, values, secretKeys: new Set(secret) };
}

const build = { context: API_CONTEXT };

/** The problems of a staging file with these services (and other keys), as `file: key message` lines. */
function problemsOf(changes: Record<string, unknown>, secret: readonly string[] = [], stack = "staging"): string[] {
  try {
    loadSettings(raw(variant(stack, changes), secret));
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.key} ${p.message}`);
    throw e;
  }
  return [];
}

describe("services in a stack file", () => {
  test("each kind is resolved with the preset's sizes and its own defaults", () => {
    const settings = loadSettings(
      raw(
        variant("staging", {
          services: {
            ai: { kind: "http", build, port: 8000 },
            worker: { kind: "worker", build, command: ["node", "worker.js"] },
            nightly: {
              kind: "cron",
              build,
              schedule: "cron(30 8 ? * MON-FRI *)",
              secrets: { DATABASE_URL: "database.url" },
            },
          },
        }),
      ),
    );
    expect(settings.services).toEqual([
      {
        name: "ai",
        kind: "http",
        build,
        host: "ai",
        port: 8000,
        healthCheckPath: "/health",
        cpu: 256,
        memory: 512,
        minTasks: 1,
        maxTasks: 2,
        environment: {},
        secrets: {},
      },
      {
        name: "worker",
        kind: "worker",
        build,
        command: ["node", "worker.js"],
        cpu: 256,
        memory: 512,
        minTasks: 1,
        maxTasks: 2,
        environment: {},
        secrets: {},
      },
      {
        name: "nightly",
        kind: "cron",
        build,
        cpu: 256,
        memory: 512,
        schedule: "cron(30 8 ? * MON-FRI *)",
        timezone: "UTC",
        timeoutMinutes: 60,
        retries: 2,
        environment: {},
        secrets: { DATABASE_URL: "database.url" },
      },
    ]);
  });

  test("no services: none besides the API", () => {
    expect(loadSettings(raw(variant("staging", {}))).services).toEqual([]);
  });

  test("every kind of mistake at once, each under its file and key", () => {
    expect(
      problemsOf({
        services: {
          batch: { kind: "batch", build },
          worker: { kind: "worker", build, port: 8080 },
          ai: { kind: "http", build, schedule: "rate(1 hour)" },
          ai2: { kind: "http", build, host: "ai" },
          mailer: { kind: "worker", build, secrets: { SMTP_PASSWORD: "appSecrets.smtp" } },
          nightly: { kind: "cron", build, schedule: "cron(30 8 ? * MON-FRI *)", migration: { command: ["migrate"] } },
        },
      }),
    ).toEqual([
      `${PROJECT}:services.batch.kind must be one of "http", "worker", "cron" (got "batch")`,
      `${PROJECT}:services.worker.port is for http services, not worker: a worker or cron has no load balancer, so nothing connects to a port`,
      `${PROJECT}:services.ai.schedule is for cron services, not http: an http service or a worker runs all the time`,
      `${PROJECT}:services.ai2.host "ai" is already the host of services.ai; give each http service its own host`,
      `${PROJECT}:services.mailer.secrets.SMTP_PASSWORD refers to appSecrets.smtp, which this stack file does not set: pulumi config set --secret --path 'appSecrets.smtp' <value>`,
      `${PROJECT}:services.nightly.migration is for http services, not cron: migrations gate an http service's release; a worker or cron can read the schema its http service migrated`,
    ]);
  });

  test("a service named by its host collides with the API's, and the message says how to fix it", () => {
    expect(problemsOf({ services: { ai: { kind: "http", build, host: "api" } } })).toEqual([
      `${PROJECT}:services.ai.host "api" is already the host of the API (the api key); give each http service its own host`,
    ]);
  });

  test("a cron needs a schedule, a service an image, and api stays under the api key", () => {
    expect(
      problemsOf({
        services: { nightly: { kind: "cron", build }, worker: { kind: "worker" }, api: { kind: "http", build } },
      }),
    ).toEqual([
      `${PROJECT}:services.nightly.schedule is required for a cron: an expression such as cron(0 3 * * ? *) or rate(1 hour) (not set)`,
      `${PROJECT}:services.worker.build or services.worker.image must be set: the service's build context (such as examples/ai) or a prebuilt image (not set)`,
      `${PROJECT}:services.api is the API, set under the api key (it owns the load balancer and cluster); give this service another name`,
    ]);
  });

  test("a Fargate size that does not exist and a missing build context are reported under the service", () => {
    expect(
      problemsOf({
        services: {
          ai: { kind: "http", build, cpu: 1024, memory: 512 },
          worker: { kind: "worker", build: { context: "no/such/folder" } },
        },
      }),
    ).toEqual([
      `${PROJECT}:services.ai.memory must be a memory size Fargate offers for cpu 1024: 2048, 3072, 4096, 5120, 6144, 7168, 8192 MiB (got 512)`,
      expect.stringMatching(new RegExp(`^${PROJECT}:services\\.worker\\.build\\.context .*no/such/folder`)),
    ]);
  });

  test("appSecrets must be encrypted, and a service's secret reads it without the value in any message", () => {
    const changes = {
      appSecrets: { stripe: "sk_live_should_never_print" },
      services: { worker: { kind: "worker", build, secrets: { STRIPE_KEY: "appSecrets.stripe" } } },
    };
    const plain = problemsOf(changes);
    expect(plain).toEqual([
      `${PROJECT}:appSecrets must be set with --secret, so its values are encrypted in the stack file: pulumi config set --secret --path 'appSecrets.<name>' <value>`,
    ]);
    expect(problemsOf(changes, ["appSecrets"])).toEqual([]);
    expect(JSON.stringify(plain)).not.toContain("sk_live");
  });

  test("a reference that is neither the data tier nor appSecrets is refused", () => {
    expect(problemsOf({ services: { worker: { kind: "worker", build, secrets: { TOKEN: "vault.token" } } } })).toEqual([
      `${PROJECT}:services.worker.secrets.TOKEN must be database.url, cache.url or appSecrets.<name> (got "vault.token")`,
    ]);
  });

  test("sizes mean nothing in dev", () => {
    expect(
      problemsOf({ services: { worker: { kind: "worker", build, cpu: 512, memory: 1024, minTasks: 2 } } }, [], "dev"),
    ).toEqual([
      `${PROJECT}:services.worker.cpu has no effect in dev: each service runs as one local container; remove it`,
      `${PROJECT}:services.worker.memory has no effect in dev: each service runs as one local container; remove it`,
      `${PROJECT}:services.worker.minTasks has no effect in dev: each service runs as one local container; remove it`,
    ]);
  });
});

test("a worker scaling on a queue needs Container Insights, whose task count the backlog per task divides by", () => {
  const worker = { kind: "worker", build, queue: { name: "jobs", messagesPerTask: 100 }, maxTasks: 4 };
  expect(problemsOf({ services: { worker } })).toEqual([
    `${PROJECT}:services.worker.queue needs monitoring.containerInsights: true: scaling on the backlog per task divides the queue's depth by Container Insights' RunningTaskCount (components/worker-service)`,
  ]);
  expect(problemsOf({ services: { worker }, monitoring: { containerInsights: true } })).toEqual([]);
});

test("a stack file with a value encrypted inside appSecrets (--secret --path) hands the synth the whole key as a secret", () => {
  const dir = tempDir("app-secrets");
  writeFileSync(join(dir, "Pulumi.yaml"), "name: saas-platform\nruntime: nodejs\n");
  writeFileSync(
    join(dir, "Pulumi.staging.yaml"),
    "config:\n  saas-platform:appSecrets:\n    openai:\n      secure: AAABAJmZmZmZ\n    plain: visible\n",
  );
  const file = readStackFile(dir, "staging");
  expect(file.secretKeys).toEqual(["saas-platform:appSecrets"]);
  expect(JSON.parse(file.config["saas-platform:appSecrets"]!)).toEqual({
    openai: "synth-placeholder-secret",
    plain: "visible",
  });
});

describe("an appSecrets value added without --secret beside encrypted ones", () => {
  const MIXED =
    "config:\n  saas-platform:appSecrets:\n    openai:\n      secure: AAABAJmZmZmZ\n    stripe: sk_live_in_the_clear\n    nested:\n      - secure: AAAB\n      - also_in_the_clear\n";
  const PLAIN_MESSAGE = (path: string) =>
    `is stored in plain text in the stack file, beside encrypted values: set it again with pulumi config set --secret --path '${path}' <value>`;

  test("the stack file reader lists each such value by its path, never its value", () => {
    const dir = tempDir("app-secrets");
    writeFileSync(join(dir, "Pulumi.yaml"), "name: saas-platform\nruntime: nodejs\n");
    writeFileSync(join(dir, "Pulumi.staging.yaml"), MIXED);
    const file = readStackFile(dir, "staging");
    expect(file.plainSecretPaths).toEqual(["appSecrets.stripe", "appSecrets.nested[1]"]);
    expect(JSON.stringify(file.plainSecretPaths)).not.toContain("in_the_clear");
  });

  test.each([
    ["every value encrypted", { a: { secure: "AAAB" }, b: [{ secure: "AAAB" }] }, []],
    ["no value encrypted (the config's own --secret error)", { a: "x", b: ["y"] }, []],
    ["one of two in the clear", { a: { secure: "AAAB" }, b: "x" }, ["appSecrets.b"]],
    ["the whole key encrypted", { secure: "AAAB" }, []],
  ])("plainSecretPathsOf: %s", (_, value, paths) => {
    expect(plainSecretPathsOf(value)).toEqual(paths);
  });

  test("is a config error under its own key, the value never printed", async () => {
    const dir = tempDir("app-secrets");
    copyFileSync(join(FIXTURE_STACKS, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    const staging = readFileSync(join(FIXTURE_STACKS, "Pulumi.staging.yaml"), "utf8");
    writeFileSync(join(dir, "Pulumi.staging.yaml"), `${staging}${MIXED.replace("config:\n", "")}`);
    const { code, out, err } = await main(["staging"], dir);
    expect(code).not.toBe(0);
    expect(err).toContain(`Pulumi.staging.yaml: ${PROJECT}:appSecrets.stripe ${PLAIN_MESSAGE("appSecrets.stripe")}`);
    expect(err).toContain(`${PROJECT}:appSecrets.nested[1] ${PLAIN_MESSAGE("appSecrets.nested[1]")}`);
    expect(`${out}${err}`).not.toContain("in_the_clear");
  });

  test("the deployed program reads the stack's own file in the project folder for it", async () => {
    const dir = tempDir("app-secrets");
    writeFileSync(join(dir, "Pulumi.yaml"), "name: saas-platform\nruntime: nodejs\n");
    writeFileSync(join(dir, "Pulumi.staging.yaml"), MIXED);
    await pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: () => ({}) },
      "saas-platform",
      "staging",
      false,
    );
    pulumi.runtime.setAllConfig({ "saas-platform:appSecrets": '{"openai":"x","stripe":"y"}' }, [
      "saas-platform:appSecrets",
    ]);
    expect(readRawConfig(dir).plainSecretPaths).toEqual(["appSecrets.stripe", "appSecrets.nested[1]"]);
    expect(readRawConfig(tempDir("app-secrets")).plainSecretPaths).toEqual([]);
    // A project with stackConfigDir keeps the file there.
    const moved = tempDir("app-secrets");
    writeFileSync(join(moved, "Pulumi.yaml"), "name: saas-platform\nruntime: nodejs\nstackConfigDir: stacks\n");
    mkdirSync(join(moved, "stacks"));
    writeFileSync(join(moved, "stacks", "Pulumi.staging.yaml"), MIXED);
    expect(readRawConfig(moved).plainSecretPaths).toEqual(["appSecrets.stripe", "appSecrets.nested[1]"]);
    // Under `pulumi up` the project folder is the engine's root directory (Pulumi.yaml's), wherever the process runs.
    const root = jest.spyOn(pulumi.runtime, "getRootDirectory").mockReturnValue(dir);
    const cwd = jest.spyOn(process, "cwd").mockReturnValue(tempDir("app-secrets"));
    try {
      expect(readRawConfig().plainSecretPaths).toEqual(["appSecrets.stripe", "appSecrets.nested[1]"]);
    } finally {
      root.mockRestore();
      cwd.mockRestore();
    }
  });
});

test("the budget grows by the preset's allowance per service, unless the stack file sets one", () => {
  const services = {
    ai: { kind: "http", build },
    worker: { kind: "worker", build },
    nightly: { kind: "cron", build, schedule: "cron(30 8 ? * MON-FRI *)" },
  };
  const budget = (stack: string, changes: Record<string, unknown>) =>
    loadSettings(raw(variant(stack, changes))).monitoring.budgetMonthlyUsd;
  expect(budget("staging", {})).toBe(60);
  expect(budget("staging", { services })).toBe(60 + 3 * 6);
  expect(budget("production", { services })).toBe(175 + 3 * 20);
  expect(budget("staging", { services, monitoring: { budgetMonthlyUsd: 55 } })).toBe(55);
});

test("a bind mount is for dev only, and its folder must exist", () => {
  const mount = { hostPath: API_CONTEXT, containerPath: "/app" };
  expect(problemsOf({ services: { worker: { kind: "worker", build, mount } } })).toEqual([
    `${PROJECT}:services.worker.mount is for dev, where it bind-mounts your sources for hot reload; a staging stack runs the image as built`,
  ]);
  expect(problemsOf({ services: { worker: { kind: "worker", build, mount } } }, [], "dev")).toEqual([]);
  expect(
    problemsOf(
      { services: { worker: { kind: "worker", build, mount: { ...mount, hostPath: "no/such" } } } },
      [],
      "dev",
    ),
  ).toEqual([
    `${PROJECT}:services.worker.mount.hostPath must be an existing folder, relative to the project (got "no/such")`,
  ]);
});

describe("names and hosts that would take another resource's", () => {
  test("a service named like the stack's own resources is refused", () => {
    expect(problemsOf({ services: { db: { kind: "worker", build }, "cache-1": { kind: "worker", build } } })).toEqual([
      `${PROJECT}:services.db is a name the stack's own resources use (web, db, database, cache, network, dns, monitoring, office-hours, origin, sentry, staging, uptime, budget, dashboard, cache-<n>); give this service another name`,
      `${PROJECT}:services.cache-1 is a name the stack's own resources use (web, db, database, cache, network, dns, monitoring, office-hours, origin, sentry, staging, uptime, budget, dashboard, cache-<n>); give this service another name`,
    ]);
  });

  test("a host that another stack of the zone serves is refused", () => {
    expect(
      problemsOf({
        services: {
          one: { kind: "http", build, host: "staging" },
          two: { kind: "http", build, host: "api-staging" },
          three: { kind: "http", build, host: "ai-pr-7" },
          "ai-staging": { kind: "http", build },
        },
      }),
    ).toEqual([
      `${PROJECT}:services.one.host cannot be "staging": the frontend is served there`,
      `${PROJECT}:services.two.host cannot start with "api-": the API's names of other stacks do (got "api-staging")`,
      `${PROJECT}:services.three.host cannot end in -staging or -pr-<number>: staging's and previews' names of a service do (got "ai-pr-7")`,
      `${PROJECT}:services.ai-staging.host is not set, so the name is the host, which cannot end in -staging or -pr-<number>: staging's and previews' names of a service do (got "ai-staging")`,
    ]);
  });

  test("a bad service name gets the name's own message", () => {
    expect(problemsOf({ services: { Worker_1: { kind: "worker", build } } })).toEqual([
      expect.stringContaining(`${PROJECT}:services.Worker_1 must be a service name of 2 to 15 lowercase letters`),
    ]);
  });
});

test("a cron's schedule and time zone, and credentials in plain environment, are refused by the config step", () => {
  expect(
    problemsOf({
      services: {
        nightly: { kind: "cron", build, schedule: "cron(0 3 * * * *)", timezone: "Mars/Base" },
        hourly: { kind: "cron", build, schedule: "rate(1 minutes)" },
        worker: { kind: "worker", build, environment: { STRIPE_SECRET_KEY: "x" } },
      },
    }),
  ).toEqual([
    expect.stringContaining(
      `${PROJECT}:services.nightly.schedule cron(...) must use ? in exactly one of day-of-month and day-of-week`,
    ),
    `${PROJECT}:services.nightly.timezone must be an IANA time zone such as UTC or Europe/Dublin (got "Mars/Base")`,
    expect.stringContaining(`${PROJECT}:services.hourly.schedule `),
    `${PROJECT}:services.worker.environment.STRIPE_SECRET_KEY looks like a credential: move it to services.worker.secrets (a reference such as appSecrets.<name>)`,
  ]);
});

describe("a cron that would run while its stack sleeps", () => {
  const nightly = (schedule: string, timezone?: string) => ({
    services: { nightly: { kind: "cron", build, schedule, ...(timezone === undefined ? {} : { timezone }) } },
  });
  const ASLEEP = (when: string, schedule: string) =>
    `${PROJECT}:services.nightly.schedule runs while the stack sleeps (${when}; awake MON-FRI 8:00 to 19:00 UTC), when its database is stopped and its alarms silenced, so those runs fail unseen: schedule it inside office hours, such as cron(30 8 ? * MON-FRI *) with timezone UTC, or set officeHours: always (got "${schedule}")`;

  test("staging's office hours refuse a nightly job and a rate, with a run they would miss and the way out", () => {
    expect(problemsOf(nightly("cron(0 3 * * ? *)"))).toEqual([ASLEEP("SUN 03:00 UTC", "cron(0 3 * * ? *)")]);
    expect(problemsOf(nightly("rate(6 hours)"))).toEqual([ASLEEP("around the clock", "rate(6 hours)")]);
    // The job's own zone counts: 08:30 in Dublin is 07:30 UTC in summer, before staging wakes.
    expect(problemsOf(nightly("cron(30 8 ? * MON-FRI *)", "Europe/Dublin"))).toEqual([
      ASLEEP("MON 07:30 UTC", "cron(30 8 ? * MON-FRI *)"),
    ]);
  });

  test("inside office hours, with officeHours: always, in production and in dev it passes", () => {
    expect(problemsOf(nightly("cron(30 8 ? * MON-FRI *)"))).toEqual([]);
    expect(problemsOf({ ...nightly("cron(0 3 * * ? *)"), officeHours: "always" })).toEqual([]);
    expect(problemsOf(nightly("cron(0 3 * * ? *)"), [], "production")).toEqual([]);
    // Production never sleeps: an officeHours key there is its own error, not a reason to refuse the job.
    expect(problemsOf({ ...nightly("cron(0 3 * * ? *)"), officeHours: { from: 9 } }, [], "production")).toEqual([
      expect.stringContaining(`${PROJECT}:officeHours `),
    ]);
    expect(problemsOf(nightly("cron(0 3 * * ? *)"), [], "dev")).toEqual([]);
  });

  test("the stack file's own office hours are the ones compared", () => {
    const hours = { officeHours: { days: "SUN-SAT", from: 2, to: 23 } };
    expect(problemsOf({ ...nightly("cron(0 3 * * ? *)"), ...hours })).toEqual([]);
    expect(problemsOf({ ...nightly("cron(0 1 * * ? *)"), ...hours })).toEqual([
      `${PROJECT}:services.nightly.schedule runs while the stack sleeps (SUN 01:00 UTC; awake SUN-SAT 2:00 to 23:00 UTC), when its database is stopped and its alarms silenced, so those runs fail unseen: schedule it inside office hours, such as cron(30 2 ? * SUN-SAT *) with timezone UTC, or set officeHours: always (got "cron(0 1 * * ? *)")`,
    ]);
  });
});

test("a FIFO queue's name is an SQS queue name", () => {
  const worker = { kind: "worker", build, queue: { name: "jobs.fifo", messagesPerTask: 10 }, maxTasks: 3 };
  expect(problemsOf({ services: { worker }, monitoring: { containerInsights: true } })).toEqual([]);
});

describe("which keys each kind takes (every row of the table)", () => {
  const why: Record<string, [string[], string]> = {
    port: [["http"], "a worker or cron has no load balancer, so nothing connects to a port"],
    host: [["http"], "only an http service has a public host name"],
    healthCheckPath: [["http"], "only an http service is checked by the load balancer"],
    minTasks: [["http", "worker"], "a cron runs one task per schedule"],
    maxTasks: [["http", "worker"], "a cron runs one task per schedule"],
    migration: [
      ["http"],
      "migrations gate an http service's release; a worker or cron can read the schema its http service migrated",
    ],
    queue: [["worker"], "only a worker scales on a queue's depth"],
    mount: [["http", "worker"], "a cron's local container runs the image as built"],
    schedule: [["cron"], "an http service or a worker runs all the time"],
    timezone: [["cron"], "only a cron has a schedule"],
    timeoutMinutes: [
      ["cron"],
      "an http service or a worker runs all the time; a migration has migration.timeoutSeconds",
    ],
    retries: [["cron"], "only a cron's runs are retried"],
  };
  const values: Record<string, unknown> = {
    port: 8000,
    host: "extra",
    healthCheckPath: "/ready",
    minTasks: 1,
    maxTasks: 2,
    migration: { command: ["migrate"] },
    queue: { name: "jobs", messagesPerTask: 10 },
    mount: { hostPath: API_CONTEXT, containerPath: "/app" },
    schedule: "cron(30 8 ? * MON-FRI *)",
    timezone: "UTC",
    timeoutMinutes: 5,
    retries: 1,
  };
  const cases = Object.entries(why).flatMap(([key, [kinds, reason]]) =>
    (["http", "worker", "cron"] as const)
      .filter((kind) => !kinds.includes(kind))
      .map((kind) => [key, kind, kinds, reason] as const),
  );
  test.each(cases)("%s on a %s service", (key, kind, kinds, reason) => {
    const service = {
      kind,
      build,
      ...(kind === "cron" && key !== "schedule" ? { schedule: "cron(30 8 ? * MON-FRI *)" } : {}),
    };
    const problems = problemsOf({ services: { svc: { ...service, [key]: values[key] } } }, [], "dev");
    expect(problems).toContain(
      `${PROJECT}:services.svc.${key} is for ${kinds.join(" and ")} services, not ${kind}: ${reason}`,
    );
  });
});

test.each(["cpu", "memory", "minTasks", "maxTasks", "queue", "migration", "host"])(
  "services.<name>.%s has no effect in dev",
  (key) => {
    const values: Record<string, unknown> = {
      cpu: 512,
      memory: 1024,
      minTasks: 1,
      maxTasks: 2,
      queue: { name: "jobs", messagesPerTask: 10 },
      migration: { command: ["migrate"] },
      host: "extra",
    };
    const kind = key === "queue" ? "worker" : "http";
    expect(problemsOf({ services: { svc: { kind, build, [key]: values[key] } } }, [], "dev")).toEqual([
      `${PROJECT}:services.svc.${key} has no effect in dev: each service runs as one local container; remove it`,
    ]);
  },
);

test("at most nine services besides the API", () => {
  const services = (n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`worker${i + 1}`, { kind: "worker", build }]));
  expect(problemsOf({ services: services(9) })).toEqual([]);
  expect(problemsOf({ services: services(10) })).toEqual([
    `${PROJECT}:services may declare at most 9 services besides the API (got 10)`,
  ]);
});

test("an image and a build at once, task counts the wrong way round, a variable in both maps", () => {
  expect(
    problemsOf({
      services: {
        worker: {
          kind: "worker",
          build,
          image: "ghcr.io/acme/worker:1",
          minTasks: 3,
          maxTasks: 2,
          environment: { QUEUE: "jobs" },
          secrets: { QUEUE: "cache.url" },
        },
      },
    }),
  ).toEqual([
    `${PROJECT}:services.worker.image and services.worker.build are both set: give a prebuilt image or a build context, not both`,
    `${PROJECT}:services.worker.minTasks must not exceed services.worker.maxTasks (2) (got 3)`,
    `${PROJECT}:services.worker.environment.QUEUE is also in services.worker.secrets; keep one`,
  ]);
});

test("an unset host that collides says the name is the host", () => {
  expect(problemsOf({ services: { ai: { kind: "http", build }, other: { kind: "http", build, host: "ai" } } })).toEqual(
    [`${PROJECT}:services.other.host "ai" is already the host of services.ai; give each http service its own host`],
  );
  expect(problemsOf({ services: { extra: { kind: "http", build, host: "ai" }, ai: { kind: "http", build } } })).toEqual(
    [
      `${PROJECT}:services.ai.host is not set, so the name "ai" is the host, which is already the host of services.extra; set another label`,
    ],
  );
});

test("the components' image problems come back under the service's own keys", () => {
  const problems = resolvedServiceProblems(
    [{ name: "worker", kind: "worker", cpu: 256, memory: 512 }],
    {
      services: {
        worker: {
          kind: "worker",
          build: { context: API_CONTEXT, dockerfile: "Missing.Dockerfile" },
          imageTag: "not a tag",
        },
      },
    },
    PROJECT,
    { fargate: true },
  );
  expect(problems.map((p) => p.key)).toEqual([
    `${PROJECT}:services.worker.build.dockerfile`,
    `${PROJECT}:services.worker.imageTag`,
  ]);
  const prebuilt = resolvedServiceProblems(
    [{ name: "worker", kind: "worker", cpu: 256, memory: 512 }],
    { services: { worker: { kind: "worker", image: "Not An Image" } } },
    PROJECT,
    { fargate: true },
  );
  expect(prebuilt.map((p) => p.key)).toEqual([`${PROJECT}:services.worker.image`]);
  // A service the file does not have (nothing to map) and dev's sizes (no Fargate) add nothing.
  expect(
    resolvedServiceProblems([{ name: "gone", kind: "worker", cpu: 1024, memory: 512 }], {}, PROJECT, {
      fargate: false,
    }),
  ).toEqual([]);
});

test("the edges of the name and host rules", () => {
  // Refused: www, a preview's name with a number of several digits, a cache node's name of several digits.
  expect(
    problemsOf({
      services: {
        front: { kind: "http", build, host: "www" },
        later: { kind: "http", build, host: "ai-pr-123" },
        "cache-12": { kind: "worker", build },
      },
    }).map((p) => p.split(" ")[0]),
  ).toEqual([`${PROJECT}:services.front.host`, `${PROJECT}:services.later.host`, `${PROJECT}:services.cache-12`]);
  // Accepted: names and labels that only contain the reserved words, equal task counts, a real time zone.
  expect(
    problemsOf({
      services: {
        "mycache-1": { kind: "worker", build, minTasks: 2, maxTasks: 2 },
        "cache-1x": { kind: "worker", build },
        pr: { kind: "http", build, host: "staging-tools" },
        apis: { kind: "http", build, host: "apiary" },
        reports: { kind: "cron", build, schedule: "cron(30 9 ? * MON-FRI *)", timezone: "Europe/Dublin" },
        prs: { kind: "http", build, host: "pr-7-tools" },
      },
    }),
  ).toEqual([]);
});
