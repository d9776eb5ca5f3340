/**
 * The rules across keys of a stack file (infra/config-rules.ts), called directly with small explicit inputs: for each
 * rule a passing input, and one failing input per condition (one thing changed at a time), with the exact key and
 * message a user reads. A few cases go through the config loader, where the mapping to stack-file keys matters.
 */
import { join } from "node:path";
import { checkCombinations, checkResolved, checkStackName } from "../infra/config-rules";
import { ConfigError, type ConfigProblem, type ParsedConfig, type RawStackConfig } from "../infra/config";
import { loadSettings } from "../infra/environments";
import { parseConfig } from "../infra/parse-config";
import { readStackFile } from "../infra/stack-file";

const P = "saas-platform";
/** The namespacing `parseConfig` gives the rules. */
const ns = (path: readonly PropertyKey[]): string => `${P}:${path.map(String).join(".")}`;

const ZONE_ID = "fedcba9876543210fedcba9876543210";
const ACCOUNT_ID = "0123456789abcdef0123456789abcdef";
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000000";
const API = { build: { context: "test/fixtures/api" } };

type Config = Partial<ParsedConfig>;
type Key = keyof ParsedConfig;

/**
 * The cross-key rules on `c`, as `parseConfig` runs them: a key counts as set when `c` has it, or when it is listed in
 * `invalid` (set in the file but refused by the schema, so absent from `c`).
 */
function check(c: Config, invalid: readonly Key[] = []): ConfigProblem[] {
  const set = new Set<string>([
    ...Object.keys(c).filter((k) => (c as Record<string, unknown>)[k] !== undefined),
    ...invalid,
  ]);
  return checkCombinations(c, (key) => set.has(key), ns);
}

/** Configs every rule accepts, one per environment: each case changes one thing. */
const production: Config = {
  environment: "production",
  appName: "acme-app",
  domain: "acme-app.com",
  awsRegion: "eu-west-1",
  alerts: { emails: ["ops@acme-app.com"] },
  api: API,
  dns: { zoneId: ZONE_ID },
};
const staging: Config = { ...production, environment: "staging", domain: "staging.acme-app.com" };
const preview: Config = { ...staging, environment: "preview", stagingStack: "acme/saas-platform/staging" };
const dev: Config = { environment: "dev", appName: "acme-app", domain: "acme-app.localhost", api: API };
const BASES = { dev, staging, production, preview } as const;
const ENVS = ["dev", "staging", "production", "preview"] as const;

const p = (path: string, message: string): ConfigProblem => ({ key: `${P}:${path}`, message });

describe("checkStackName: the environment agrees with the stack's name", () => {
  const KEY = `${P}:environment`;

  test.each([
    ["pr-42", "preview"],
    ["pr-1", "preview"],
    ["dev", "dev"],
    ["staging", "staging"],
    ["production", "production"],
    // A stack named after no environment may hold any but preview.
    ["acme-prod", "production"],
    ["sandbox", "dev"],
    ["qa", "staging"],
  ] as const)("the %s stack may be %s", (stack, environment) => {
    expect(checkStackName(stack, environment, KEY)).toEqual([]);
  });

  test.each([
    ["dev", 'must be "preview" for a pr-<number> stack (got "dev")'],
    ["staging", 'must be "preview" for a pr-<number> stack (got "staging")'],
    ["production", 'must be "preview" for a pr-<number> stack (got "production")'],
  ] as const)("a pr-<n> stack cannot be %s", (environment, message) => {
    expect(checkStackName("pr-42", environment, KEY)).toEqual([{ key: KEY, message }]);
  });

  test.each(["staging", "production", "dev", "feature-x", "pr-0", "pr-42-b"])(
    "preview in the %s stack, not named pr-<number>",
    (stack) => {
      expect(checkStackName(stack, "preview", KEY)).toEqual([
        {
          key: KEY,
          message: `"preview" is only for stacks named pr-<number>, such as pr-42 (this stack is "${stack}")`,
        },
      ]);
    },
  );

  test.each([
    ["staging", "production", 'must be "staging" in the staging stack (got "production")'],
    ["staging", "dev", 'must be "staging" in the staging stack (got "dev")'],
    ["production", "staging", 'must be "production" in the production stack (got "staging")'],
    ["production", "dev", 'must be "production" in the production stack (got "dev")'],
    ["dev", "staging", 'must be "dev" in the dev stack (got "staging")'],
    ["dev", "production", 'must be "dev" in the dev stack (got "production")'],
  ] as const)("the %s stack cannot be %s", (stack, environment, message) => {
    expect(checkStackName(stack, environment, KEY)).toEqual([{ key: KEY, message }]);
  });

  test("the problem is reported under the key it is given", () => {
    expect(checkStackName("production", "staging", "shop:environment")).toEqual([
      { key: "shop:environment", message: 'must be "production" in the production stack (got "staging")' },
    ]);
  });
});

describe("checkCombinations", () => {
  test.each(ENVS)("the %s base config passes every rule", (env) => {
    expect(check(BASES[env])).toEqual([]);
  });

  test("without an environment (it disagreed with the stack's name) the rules it drives stay silent", () => {
    expect(check({})).toEqual([]);
    expect(check({ appName: "acme-app", domain: "acme-app.com" })).toEqual([]);
    expect(check({ dns: { accountId: ACCOUNT_ID } })).toEqual([]);
    expect(check({ stagingStack: "acme/saas-platform/staging" })).toEqual([]);
  });

  describe("region codes AWS offers", () => {
    test("an unknown awsRegion, with the nearest real one", () => {
      expect(check({ ...production, awsRegion: "eu-west-9" })).toEqual([
        p("awsRegion", 'must be a region AWS offers, such as eu-west-1 (got "eu-west-9"; did you mean "eu-west-1"?)'),
      ]);
    });

    test("an unknown database.backupCopyRegion, with the nearest real one", () => {
      expect(check({ ...production, database: { backupCopyRegion: "eu-centrl-1" } })).toEqual([
        p(
          "database.backupCopyRegion",
          'must be a region AWS offers, such as eu-west-1 (got "eu-centrl-1"; did you mean "eu-central-1"?)',
        ),
      ]);
    });

    test("both unknown: both reported, awsRegion first", () => {
      expect(
        check({ ...staging, awsRegion: "us-esat-1", database: { backupCopyRegion: "ap-southeast-9" } }).map(
          (x) => x.key,
        ),
      ).toEqual([`${P}:awsRegion`, `${P}:database.backupCopyRegion`]);
    });

    test("a real copy region in another region passes", () => {
      expect(check({ ...production, database: { backupCopyRegion: "eu-central-1" } })).toEqual([]);
    });
  });

  describe("keys dev never reads", () => {
    const DEV_NO_EFFECT =
      "has no effect in dev: the Docker stack uses only environment, appName, domain and api's image, port and health path; remove it";
    const TOP: Array<[Key, unknown]> = [
      ["awsRegion", "eu-west-1"],
      ["awsAccountId", "123456789012"],
      ["protect", false],
      ["size", "small"],
      ["alerts", { emails: ["ops@acme-app.com"] }],
      ["network", { cidr: "10.0.0.0/16" }],
      ["database", { multiAz: true }],
      ["cache", { replicas: 0 }],
      ["logs", { retentionDays: 7 }],
      ["web", { framework: "nextjs" }],
      ["monitoring", { dashboard: false }],
      ["costAssumptions", { natDataGb: 1 }],
    ];
    const API_KEYS: Array<[string, unknown]> = [
      ["cpu", 256],
      ["memory", 512],
      ["minTasks", 1],
      ["maxTasks", 2],
      ["certificateArn", CERT],
    ];

    test.each(TOP)("%s is refused in dev", (key, value) => {
      expect(check({ ...dev, [key]: value })).toEqual([p(key, DEV_NO_EFFECT)]);
    });

    test.each(TOP.map(([key]) => key))("%s set in dev but invalid on its own is still refused", (key) => {
      expect(check(dev, [key])).toEqual([p(key, DEV_NO_EFFECT)]);
    });

    test.each(API_KEYS)("api.%s is refused in dev", (key, value) => {
      expect(check({ ...dev, api: { ...API, [key]: value } })).toEqual([p(`api.${key}`, DEV_NO_EFFECT)]);
    });

    test("every one at once, in the order of the list", () => {
      const all = {
        ...dev,
        ...Object.fromEntries(TOP),
        api: { ...API, ...Object.fromEntries(API_KEYS) },
      } as Config;
      expect(check(all)).toEqual([
        ...TOP.map(([key]) => p(key, DEV_NO_EFFECT)),
        ...API_KEYS.map(([key]) => p(`api.${key}`, DEV_NO_EFFECT)),
      ]);
    });

    test("what dev reads (api's image, port, health path) is not refused", () => {
      expect(
        check({
          ...dev,
          namePrefix: "acme-app",
          api: { image: "ghcr.io/acme/api:1.4.2", containerPort: 3000, healthCheckPath: "/healthz", imageTag: "abc" },
        }),
      ).toEqual([]);
    });

    test("an api section invalid on its own names no api key in dev", () => {
      expect(check({ environment: "dev", appName: "acme-app", domain: "acme-app.localhost" }, ["api"])).toEqual([]);
    });

    test.each(["staging", "production", "preview"] as const)("the same keys are fine in %s", (env) => {
      const all = { ...BASES[env], protect: true, size: "small", awsAccountId: "123456789012" } as Config;
      expect(check({ ...all, api: { ...API, cpu: 256, memory: 512, minTasks: 1, maxTasks: 2 } })).toEqual([]);
    });
  });

  describe("a staging or preview domain sits one label below the apex", () => {
    test.each(["staging", "preview"] as const)("%s on the apex itself", (env) => {
      expect(check({ ...BASES[env], domain: "acme-app.com" })).toEqual([
        p(
          "domain",
          'must be one label below the zone\'s apex, such as staging.acme-app.com (got "acme-app.com": its apex would be "com", and the API\'s name api-acme-app.com)',
        ),
      ]);
    });

    test("a one-label domain is refused too", () => {
      expect(check({ ...staging, domain: "localhost" })).toEqual([
        p(
          "domain",
          'must be one label below the zone\'s apex, such as staging.localhost (got "localhost": its apex would be "localhost", and the API\'s name api-localhost.localhost)',
        ),
      ]);
    });

    test.each(["staging.acme-app.com", "staging.acme-app.co.uk", "pr.eu.acme-app.com"])("%s passes", (domain) => {
      expect(check({ ...staging, domain })).toEqual([]);
    });

    test("production and dev may sit on an apex", () => {
      expect(check({ ...production, domain: "acme-app.com" })).toEqual([]);
      expect(check({ ...dev, domain: "localhost" })).toEqual([]);
    });

    test("a domain invalid on its own is not checked", () => {
      const rest: Config = { ...staging, domain: undefined };
      expect(check(rest, ["domain"])).toEqual([]);
    });
  });

  describe("a cloud stack names its region", () => {
    test.each(["staging", "production", "preview"] as const)("%s without awsRegion", (env) => {
      const rest: Config = { ...BASES[env], awsRegion: undefined };
      expect(check(rest)).toEqual([
        p("awsRegion", `is required for a ${env} stack: an AWS region code such as eu-west-1 (not set)`),
      ]);
    });

    test("the exact text", () => {
      const rest: Config = { ...staging, awsRegion: undefined };
      expect(check(rest)).toEqual([
        p("awsRegion", "is required for a staging stack: an AWS region code such as eu-west-1 (not set)"),
      ]);
    });

    test("a region invalid on its own is not reported missing", () => {
      const rest: Config = { ...production, awsRegion: undefined };
      expect(check(rest, ["awsRegion"])).toEqual([]);
    });
  });

  describe("staging and production alert someone", () => {
    test.each([
      ["no alerts section", undefined],
      ["an alerts section without emails", {}],
      ["an empty list", { emails: [] }],
      ["a Slack channel only", { slack: { workspaceId: "T0123ABCD", channelId: "C0123ABCDEF" } }],
    ])("production with %s", (_what, alerts) => {
      expect(check({ ...production, alerts })).toEqual([
        p("alerts.emails", "must list at least one address that receives production alerts (not set)"),
      ]);
    });

    test("staging without alerts", () => {
      expect(check({ ...staging, alerts: undefined })).toEqual([
        p("alerts.emails", "must list at least one address that receives staging alerts (not set)"),
      ]);
    });

    test("preview and dev need no recipients", () => {
      expect(check({ ...preview, alerts: undefined })).toEqual([]);
      expect(check({ ...dev, alerts: undefined })).toEqual([]);
    });

    test("an alerts section invalid on its own is not reported again", () => {
      expect(check({ ...production, alerts: undefined }, ["alerts"])).toEqual([]);
    });
  });

  describe("production stays protected", () => {
    test("protect: false in production", () => {
      expect(check({ ...production, protect: false })).toEqual([
        p(
          "protect",
          "cannot be false in production: stateful resources stay protected (unprotect one deliberately with `pulumi state unprotect`)",
        ),
      ]);
    });

    test("protect: true in production, false elsewhere", () => {
      expect(check({ ...production, protect: true })).toEqual([]);
      expect(check({ ...staging, protect: false })).toEqual([]);
      expect(check({ ...preview, protect: false })).toEqual([]);
    });
  });

  describe("office hours are for staging and previews", () => {
    const HOURS = { from: 8 };

    test("in production", () => {
      expect(check({ ...production, officeHours: HOURS })).toEqual([
        p(
          "officeHours",
          "cannot be set in production: production is always on (office hours put staging and previews to sleep)",
        ),
      ]);
    });

    test("in dev", () => {
      expect(check({ ...dev, officeHours: HOURS })).toEqual([
        p(
          "officeHours",
          "has no effect in dev: your Docker stack runs when you start it (office hours apply to staging and previews)",
        ),
      ]);
    });

    test("staging and previews take them; always is fine everywhere", () => {
      expect(check({ ...staging, officeHours: HOURS })).toEqual([]);
      expect(check({ ...preview, officeHours: HOURS })).toEqual([]);
      expect(check({ ...production, officeHours: "always" })).toEqual([]);
      expect(check({ ...dev, officeHours: "always" })).toEqual([]);
    });
  });

  describe("production has egress", () => {
    test('natGateways "none" in production', () => {
      expect(check({ ...production, network: { natGateways: "none" } })).toEqual([
        p(
          "network.natGateways",
          'cannot be "none" in production: private services need egress; use "instance" (cheapest), "single" or "perAz" (HA) (got "none")',
        ),
      ]);
    });

    test("other modes in production, none elsewhere", () => {
      expect(check({ ...production, network: { natGateways: "instance" } })).toEqual([]);
      expect(check({ ...production, network: { cidr: "10.0.0.0/16" } })).toEqual([]);
      expect(check({ ...staging, network: { natGateways: "none" } })).toEqual([]);
    });
  });

  describe("the API's image: a prebuilt image or a build context", () => {
    test("both", () => {
      expect(check({ ...production, api: { ...API, image: "ghcr.io/acme/api:1.4.2" } })).toEqual([
        p("api.image", "and api.build are both set: give a prebuilt image or a build context, not both"),
      ]);
    });

    test("either one alone", () => {
      expect(check({ ...production, api: { image: "ghcr.io/acme/api:1.4.2" } })).toEqual([]);
      expect(check({ ...production, api: API })).toEqual([]);
    });

    test.each(ENVS)("neither, in %s", (env) => {
      expect(check({ ...BASES[env], api: { containerPort: 8080 } })).toEqual([
        p(
          "api.build",
          "or api.image must be set: the build context of the API (such as examples/api) or a prebuilt image (not set)",
        ),
      ]);
    });

    test("no api section at all", () => {
      const rest: Config = { ...dev, api: undefined };
      expect(check(rest)).toEqual([
        p(
          "api.build",
          "or api.image must be set: the build context of the API (such as examples/api) or a prebuilt image (not set)",
        ),
      ]);
    });

    test("an api section invalid on its own is not reported missing", () => {
      const rest: Config = { ...production, api: undefined };
      expect(check(rest, ["api"])).toEqual([]);
    });
  });

  describe("the API's certificate: from the DNS zone or given", () => {
    const REQUIRED = p(
      "api.certificateArn",
      "is required for a cloud stack without a dns section: the ACM certificate of the API's hostname in awsRegion (not set)",
    );

    test.each(["staging", "production", "preview"] as const)("%s without dns and without a certificate", (env) => {
      expect(check({ ...BASES[env], dns: undefined })).toEqual([REQUIRED]);
    });

    test("a certificate instead of a dns section passes", () => {
      expect(check({ ...production, dns: undefined, api: { ...API, certificateArn: CERT } })).toEqual([]);
    });

    test("dev needs neither", () => {
      expect(check({ ...dev, dns: undefined })).toEqual([]);
    });

    test("a dns section invalid on its own is not reported missing", () => {
      expect(check({ ...production, dns: undefined }, ["dns"])).toEqual([]);
    });

    test("without an api section, both the image and the certificate are missing", () => {
      const rest: Config = { ...production, api: undefined, dns: undefined };
      expect(check(rest)).toEqual([
        p(
          "api.build",
          "or api.image must be set: the build context of the API (such as examples/api) or a prebuilt image (not set)",
        ),
        REQUIRED,
      ]);
    });

    test("an api section invalid on its own is not reported again", () => {
      const rest: Config = { ...production, api: undefined, dns: undefined };
      expect(check(rest, ["api"])).toEqual([]);
    });

    test("a certificate with a dns section", () => {
      expect(check({ ...production, api: { ...API, certificateArn: CERT } })).toEqual([
        p(
          "api.certificateArn",
          "must not be set with a dns section: the DNS zone creates and validates the API's certificate",
        ),
      ]);
    });

    test("a dns section without an api section asks only for the image", () => {
      const rest: Config = { ...production, api: undefined };
      expect(check(rest).map((x) => x.key)).toEqual([`${P}:api.build`]);
    });
  });

  describe("the zone is created (accountId) or adopted (zoneId)", () => {
    test("neither", () => {
      expect(check({ ...production, dns: { proxied: true } })).toEqual([
        p(
          "dns.zoneId",
          "or dns.accountId must be set: adopt an existing zone by id, or create one in a Cloudflare account (not set)",
        ),
      ]);
    });

    test("both", () => {
      expect(check({ ...production, dns: { accountId: ACCOUNT_ID, zoneId: ZONE_ID } })).toEqual([
        p(
          "dns.accountId",
          "and dns.zoneId are both set: give the account to create the zone in, or the zone to adopt, not both",
        ),
      ]);
    });

    test("production creates it, or adopts it", () => {
      expect(check({ ...production, dns: { accountId: ACCOUNT_ID } })).toEqual([]);
      expect(check({ ...production, dns: { zoneId: ZONE_ID } })).toEqual([]);
    });

    test.each(["staging", "preview"] as const)("%s cannot create it", (env) => {
      expect(check({ ...BASES[env], dns: { accountId: ACCOUNT_ID } })).toEqual([
        p("dns.accountId", "is only for production, which owns the zone; other stacks adopt it with dns.zoneId"),
      ]);
    });
  });

  describe("dns is for cloud stacks", () => {
    test("a dns section in dev", () => {
      expect(check({ ...dev, dns: { zoneId: ZONE_ID } })).toEqual([
        p("dns", "is for cloud stacks; dev runs on localhost"),
      ]);
    });

    // The section is refused as a whole: no advice on how to fill it in, which would contradict that.
    test("a zone created in dev, or an empty section: only that dns is for cloud stacks", () => {
      expect(check({ ...dev, dns: { accountId: ACCOUNT_ID } })).toEqual([
        p("dns", "is for cloud stacks; dev runs on localhost"),
      ]);
      expect(check({ ...dev, dns: {} })).toEqual([p("dns", "is for cloud stacks; dev runs on localhost")]);
      expect(check({ ...dev, dns: { accountId: ACCOUNT_ID, zoneId: ZONE_ID } })).toEqual([
        p("dns", "is for cloud stacks; dev runs on localhost"),
      ]);
    });
  });

  describe("stagingStack is for previews", () => {
    test.each(["dev", "staging", "production"] as const)("in %s", (env) => {
      expect(check({ ...BASES[env], stagingStack: "acme/saas-platform/staging" })).toEqual([
        p(
          "stagingStack",
          "is only for a pr-<number> stack: it names the staging stack whose network and load balancer it joins",
        ),
      ]);
    });
  });

  describe("rate limits belong to production's zone and its plan", () => {
    const AUTH = { auth: { requests: 5, periodSeconds: 10 } };

    test("within the Free plan in production", () => {
      expect(check({ ...production, dns: { accountId: ACCOUNT_ID, rateLimits: AUTH } })).toEqual([]);
    });

    test.each(["staging", "preview"] as const)("in %s", (env) => {
      expect(check({ ...BASES[env], dns: { zoneId: ZONE_ID, rateLimits: AUTH } })).toEqual([
        p("dns.rateLimits", "is only for production, which owns the zone and its one rate-limiting ruleset"),
      ]);
    });

    test("the plan's problems under their full keys, on the Free plan when none is set", () => {
      expect(
        check({
          ...production,
          dns: { accountId: ACCOUNT_ID, rateLimits: { api: { requests: 0, periodSeconds: 10 } } },
        }),
      ).toEqual([
        p("dns.rateLimits.api.requests", "must be a positive integer (got 0)"),
        p(
          "dns.rateLimits.api",
          "needs a second rate-limiting rule, and the Free plan allows 1 (used by rateLimits.auth); remove it or raise dns.plan",
        ),
      ]);
    });

    test("the plan set is the plan checked", () => {
      expect(
        check({
          ...production,
          dns: { accountId: ACCOUNT_ID, plan: "pro", rateLimits: { api: { requests: 600, periodSeconds: 600 } } },
        }),
      ).toEqual([
        p(
          "dns.rateLimits.api.periodSeconds",
          "must be at most 60 on the Pro plan, which Cloudflare limits to periods of 60 s (got 600); raise dns.plan if the zone has a higher plan",
        ),
      ]);
      expect(
        check({
          ...production,
          dns: { accountId: ACCOUNT_ID, plan: "pro", rateLimits: { api: { requests: 600, periodSeconds: 60 } } },
        }),
      ).toEqual([]);
    });

    test("in staging: both the place and the plan are reported", () => {
      expect(
        check({ ...staging, dns: { zoneId: ZONE_ID, rateLimits: { auth: { requests: 5, periodSeconds: 60 } } } }),
      ).toEqual([
        p("dns.rateLimits", "is only for production, which owns the zone and its one rate-limiting ruleset"),
        p(
          "dns.rateLimits.auth.periodSeconds",
          "must be at most 10 on the Free plan, which Cloudflare limits to periods of 10 s (got 60); raise dns.plan if the zone has a higher plan",
        ),
      ]);
    });

    test("without an environment only the plan's problems are reported", () => {
      expect(check({ dns: { zoneId: ZONE_ID, rateLimits: { auth: { requests: 5, periodSeconds: 60 } } } })).toEqual([
        p(
          "dns.rateLimits.auth.periodSeconds",
          "must be at most 10 on the Free plan, which Cloudflare limits to periods of 10 s (got 60); raise dns.plan if the zone has a higher plan",
        ),
      ]);
    });
  });

  describe("authenticated origin pulls need the proxy", () => {
    test("on with the proxy off", () => {
      expect(
        check({ ...production, dns: { zoneId: ZONE_ID, authenticatedOriginPulls: true, proxied: false } }),
      ).toEqual([
        p(
          "dns.authenticatedOriginPulls",
          "needs dns.proxied: true: only Cloudflare's proxy presents the client certificate, so an unproxied API would refuse every client; remove one of the two",
        ),
      ]);
    });

    test.each([
      [true, true],
      [true, undefined],
      [false, false],
      [undefined, false],
    ])("authenticatedOriginPulls %s with proxied %s passes", (authenticatedOriginPulls, proxied) => {
      expect(check({ ...production, dns: { zoneId: ZONE_ID, authenticatedOriginPulls, proxied } })).toEqual([]);
    });
  });

  describe("a branch-scoped frontend is for previews", () => {
    const ONLY_PR = "is only for a pr-<number> stack, which adds branch-scoped variables to staging's project";
    const TOGETHER =
      "must be set together with web.projectId and web.gitBranch: staging's project and the PR's branch (not set)";

    test.each(["staging", "production"] as const)("web.projectId in %s", (env) => {
      expect(check({ ...BASES[env], web: { projectId: "prj_AbC123" } })).toEqual([p("web.projectId", ONLY_PR)]);
    });

    test("web.gitBranch in production", () => {
      expect(check({ ...production, web: { framework: "nextjs", gitBranch: "feature/x" } })).toEqual([
        p("web.gitBranch", ONLY_PR),
      ]);
    });

    test("both in production: reported once, under web.projectId", () => {
      expect(check({ ...production, web: { projectId: "prj_AbC123", gitBranch: "feature/x" } })).toEqual([
        p("web.projectId", ONLY_PR),
      ]);
    });

    // parseConfig unsets an environment that disagrees with the stack's name, and reports that once.
    test("no environment (it disagreed with the stack's name): not reported again", () => {
      expect(check({ ...staging, environment: undefined, web: { projectId: "prj_AbC123", gitBranch: "x" } })).toEqual(
        [],
      );
    });

    test("a web section without them passes", () => {
      expect(check({ ...production, web: { framework: "nextjs" } })).toEqual([]);
      expect(check({ ...preview, web: { framework: "nextjs" } })).toEqual([]);
    });

    test("a preview sets both", () => {
      expect(check({ ...preview, web: { projectId: "prj_AbC123", gitBranch: "feature/x" } })).toEqual([]);
    });

    test("a preview with the project but no branch", () => {
      expect(check({ ...preview, web: { projectId: "prj_AbC123" } })).toEqual([p("web.gitBranch", TOGETHER)]);
    });

    test("a preview with the branch but no project", () => {
      expect(check({ ...preview, web: { gitBranch: "feature/x" } })).toEqual([p("web.projectId", TOGETHER)]);
    });
  });

  describe("backup copies go to another region", () => {
    const SAME = (region: string) =>
      p(
        "database.backupCopyRegion",
        `must be another region than awsRegion: a copy in the same region does not survive a regional outage (got "${region}")`,
      );

    test("the primary region, in production", () => {
      expect(check({ ...production, database: { backupCopyRegion: "eu-west-1" } })).toEqual([SAME("eu-west-1")]);
    });

    test("in any environment: the exact text", () => {
      expect(check({ ...staging, awsRegion: "us-east-2", database: { backupCopyRegion: "us-east-2" } })).toEqual([
        p(
          "database.backupCopyRegion",
          'must be another region than awsRegion: a copy in the same region does not survive a regional outage (got "us-east-2")',
        ),
      ]);
    });

    test("a copy region without a primary region is not compared", () => {
      expect(check({ database: { backupCopyRegion: "eu-west-1" } })).toEqual([]);
    });
  });

  describe("production names a copy region when its region has no default pair", () => {
    const NO_PAIR = p(
      "database.backupCopyRegion",
      "must name the region that keeps production's backup copies: awsRegion sa-east-1 has no default pair (not set)",
    );

    test("sa-east-1 without a copy region", () => {
      expect(check({ ...production, awsRegion: "sa-east-1" })).toEqual([NO_PAIR]);
      expect(check({ ...production, awsRegion: "sa-east-1", database: { multiAz: true } })).toEqual([NO_PAIR]);
    });

    test("sa-east-1 with a copy region", () => {
      expect(check({ ...production, awsRegion: "sa-east-1", database: { backupCopyRegion: "us-east-1" } })).toEqual([]);
    });

    test("a region with a default pair", () => {
      expect(check({ ...production, awsRegion: "eu-west-2" })).toEqual([]);
    });

    test("other environments copy nothing", () => {
      expect(check({ ...staging, awsRegion: "sa-east-1" })).toEqual([]);
      expect(check({ ...preview, awsRegion: "sa-east-1" })).toEqual([]);
    });

    test("an unknown region is reported as unknown only", () => {
      expect(check({ ...production, awsRegion: "sa-east-9" }).map((x) => x.key)).toEqual([`${P}:awsRegion`]);
    });

    test("a database section invalid on its own is not reported again", () => {
      expect(check({ ...production, awsRegion: "sa-east-1" }, ["database"])).toEqual([]);
    });
  });

  describe("availability zones", () => {
    test("distinct zones of the region pass", () => {
      expect(check({ ...production, network: { availabilityZones: ["eu-west-1a", "eu-west-1b"] } })).toEqual([]);
    });

    test("a zone listed twice", () => {
      expect(
        check({ ...production, network: { availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1a"] } }),
      ).toEqual([
        p("network.availabilityZones", 'must not repeat a zone (got ["eu-west-1a","eu-west-1b","eu-west-1a"])'),
      ]);
    });

    test("a zone of another region: only the foreign ones are quoted", () => {
      expect(
        check({ ...production, network: { availabilityZones: ["eu-west-1a", "us-east-1b", "eu-west-1c"] } }),
      ).toEqual([p("network.availabilityZones", 'must be zones of awsRegion eu-west-1 (got ["us-east-1b"])')]);
    });

    test("both problems at once", () => {
      expect(check({ ...production, network: { availabilityZones: ["eu-west-2a", "eu-west-2a"] } })).toEqual([
        p("network.availabilityZones", 'must not repeat a zone (got ["eu-west-2a","eu-west-2a"])'),
        p("network.availabilityZones", 'must be zones of awsRegion eu-west-1 (got ["eu-west-2a","eu-west-2a"])'),
      ]);
    });

    test("without a region the zones are not compared to one", () => {
      expect(check({ network: { availabilityZones: ["eu-west-1a", "us-east-1b"] } })).toEqual([]);
    });
  });

  test("every problem of a file at once, in the rules' order", () => {
    expect(
      check({
        environment: "production",
        appName: "acme-app",
        domain: "acme-app.com",
        awsRegion: "sa-east-1",
        protect: false,
        officeHours: { from: 8 },
        network: { natGateways: "none", availabilityZones: ["sa-east-1a", "sa-east-1a"] },
        api: { ...API, image: "ghcr.io/acme/api:1.4.2", certificateArn: CERT },
        dns: { accountId: ACCOUNT_ID, zoneId: ZONE_ID, authenticatedOriginPulls: true, proxied: false },
        stagingStack: "acme/saas-platform/staging",
        web: { gitBranch: "main" },
      }).map((x) => x.key),
    ).toEqual(
      [
        "alerts.emails",
        "protect",
        "officeHours",
        "network.natGateways",
        "api.image",
        "api.certificateArn",
        "dns.accountId",
        "stagingStack",
        "dns.authenticatedOriginPulls",
        "web.gitBranch",
        "database.backupCopyRegion",
        "network.availabilityZones",
      ].map((k) => `${P}:${k}`),
    );
  });
});

describe("checkResolved: the settings after the preset", () => {
  type Resolved = Parameters<typeof checkResolved>[0];
  /** Production's preset, which passes every rule. */
  const BASE: Resolved = {
    api: { cpu: 256, memory: 512, minTasks: 2, maxTasks: 4 },
    database: { allocatedStorageGb: 20, maxAllocatedStorageGb: 100, backupRetentionDays: 14, multiAz: true },
    network: { azCount: 2 },
    officeHours: "always",
    environment: "production",
    cacheReplicas: 1,
  };
  const resolved = (changes: Partial<Resolved>): ConfigProblem[] => checkResolved({ ...BASE, ...changes }, P);
  const db = (changes: Partial<Resolved["database"]>) => ({ database: { ...BASE.database, ...changes } });
  const api = (changes: Partial<Resolved["api"]>) => ({ api: { ...BASE.api, ...changes } });

  test("the base passes", () => {
    expect(resolved({})).toEqual([]);
  });

  describe("policy rds-backup-retention in staging and production", () => {
    test.each(["staging", "production"])("6 days in %s", (environment) => {
      expect(resolved({ environment, ...db({ backupRetentionDays: 6 }) })).toEqual([
        p("database.backupRetentionDays", `must be at least 7 in ${environment} (policy rds-backup-retention) (got 6)`),
      ]);
    });

    test("the exact text", () => {
      expect(resolved(db({ backupRetentionDays: 1 }))).toEqual([
        p("database.backupRetentionDays", "must be at least 7 in production (policy rds-backup-retention) (got 1)"),
      ]);
    });

    test("7 days is enough", () => {
      expect(resolved({ environment: "staging", ...db({ backupRetentionDays: 7 }) })).toEqual([]);
      expect(resolved(db({ backupRetentionDays: 7 }))).toEqual([]);
    });

    test.each(["preview", "dev"])("%s may keep one day", (environment) => {
      expect(resolved({ environment, ...db({ backupRetentionDays: 1, multiAz: false }) })).toEqual([]);
    });

    test("no retention given is not checked", () => {
      expect(resolved(db({ backupRetentionDays: undefined }))).toEqual([]);
    });
  });

  describe("policies rds-multi-az and elasticache-failover in production", () => {
    test("a single-AZ database in production", () => {
      expect(resolved(db({ multiAz: false }))).toEqual([
        p(
          "database.multiAz",
          "cannot be false in production: a standby in a second zone takes over in a zone outage (policy rds-multi-az)",
        ),
      ]);
    });

    test("no cache replica in production", () => {
      expect(resolved({ cacheReplicas: 0 })).toEqual([
        p(
          "cache.replicas",
          "must be at least 1 in production: automatic failover and Multi-AZ need a replica (policy elasticache-failover) (got 0)",
        ),
      ]);
    });

    test("both unset, or in staging", () => {
      expect(resolved({ ...db({ multiAz: undefined }), cacheReplicas: undefined })).toEqual([]);
      expect(resolved({ environment: "staging", ...db({ multiAz: false }), cacheReplicas: 0 })).toEqual([]);
      expect(resolved({ environment: "preview", ...db({ multiAz: false }), cacheReplicas: 0 })).toEqual([]);
    });
  });

  describe("the API's image source, under the stack file's keys", () => {
    test("a prebuilt image or an existing build context passes", () => {
      expect(resolved({ apiSource: { image: "ghcr.io/acme/api:1.4.2" } })).toEqual([]);
      expect(resolved({ apiSource: { ...API, imageTag: "abc123" } })).toEqual([]);
      expect(resolved({ apiSource: { build: { context: "test/fixtures/api", dockerfile: "Dockerfile" } } })).toEqual(
        [],
      );
    });

    test("no source at all is the schema's and checkCombinations' business", () => {
      expect(resolved({ apiSource: {} })).toEqual([]);
    });

    test("an image reference", () => {
      expect(resolved({ apiSource: { image: "Acme/API" } })).toEqual([
        p("api.image", 'must be an image reference such as ghcr.io/acme/api:1.4.2 (got "Acme/API")'),
      ]);
    });

    test("a build context that does not exist, and a bad tag", () => {
      expect(resolved({ apiSource: { build: { context: "no/such/api" }, imageTag: "-x" } })).toEqual([
        p("api.build.context", 'must be an existing folder (got "no/such/api")'),
        p("api.imageTag", 'must be a Docker tag such as a commit SHA (got "-x")'),
      ]);
    });

    test("a Dockerfile missing from the context", () => {
      expect(
        resolved({ apiSource: { build: { context: "test/fixtures/api", dockerfile: "Prod.Dockerfile" } } }),
      ).toEqual([
        p("api.build.dockerfile", `must be a file in the context (no ${join("test/fixtures/api", "Prod.Dockerfile")})`),
      ]);
    });

    test("under the project it is given", () => {
      expect(checkResolved({ ...BASE, apiSource: { image: "Acme/API" } }, "shop")).toEqual([
        {
          key: "shop:api.image",
          message: 'must be an image reference such as ghcr.io/acme/api:1.4.2 (got "Acme/API")',
        },
      ]);
    });
  });

  describe("office hours", () => {
    const HOURS = { days: "MON-FRI", from: 8, to: 20, timezone: "UTC" } as const;

    test("valid hours, or always, pass", () => {
      expect(resolved({ environment: "staging", officeHours: HOURS })).toEqual([]);
      expect(resolved({ environment: "staging", officeHours: "always" })).toEqual([]);
      expect(resolved({ officeHours: undefined })).toEqual([]);
    });

    test("an end before the start", () => {
      expect(resolved({ environment: "staging", officeHours: { ...HOURS, to: 6 } })).toEqual([
        p("officeHours.to", "must be a later hour than from (8) (got 6)"),
      ]);
    });

    test("every key wrong: each under its own key", () => {
      expect(
        resolved({
          environment: "staging",
          officeHours: { days: "MON-SUN" as "MON-FRI", from: 0, to: 24, timezone: "Europe/Atlantis" },
        }).map((x) => x.key),
      ).toEqual(["days", "from", "to", "timezone"].map((k) => `${P}:officeHours.${k}`));
    });
  });

  describe("Fargate task sizes", () => {
    test("a memory size the CPU does not offer", () => {
      expect(resolved(api({ cpu: 256, memory: 4096 }))).toEqual([
        p("api.memory", "must be a memory size Fargate offers for api.cpu 256: 512, 1024, 2048 MiB (got 4096)"),
      ]);
      expect(resolved(api({ cpu: 512, memory: 512 }))).toEqual([
        p("api.memory", "must be a memory size Fargate offers for api.cpu 512: 1024, 2048, 3072, 4096 MiB (got 512)"),
      ]);
    });

    test("each end of the CPU's range passes", () => {
      expect(resolved(api({ cpu: 256, memory: 2048 }))).toEqual([]);
      expect(resolved(api({ cpu: 512, memory: 1024 }))).toEqual([]);
      expect(resolved(api({ cpu: 512, memory: 4096 }))).toEqual([]);
    });

    test("a CPU size Fargate does not have (the schema refuses it first) offers no memory, without throwing", () => {
      expect(resolved(api({ cpu: 300, memory: 512 }))).toEqual([
        p("api.memory", "must be a memory size Fargate offers for api.cpu 300:  MiB (got 512)"),
      ]);
    });

    test("more minimum than maximum tasks", () => {
      expect(resolved(api({ minTasks: 5, maxTasks: 2 }))).toEqual([
        p("api.minTasks", "must not exceed api.maxTasks (2) (got 5)"),
      ]);
      expect(resolved(api({ minTasks: 3, maxTasks: 2 }))).toEqual([
        p("api.minTasks", "must not exceed api.maxTasks (2) (got 3)"),
      ]);
    });

    test("as many minimum as maximum tasks", () => {
      expect(resolved(api({ minTasks: 2, maxTasks: 2 }))).toEqual([]);
    });

    test("dev runs no Fargate task: its sizes are not compared", () => {
      expect(
        resolved({ environment: "dev", ...api({ cpu: 256, memory: 4096, minTasks: 5, maxTasks: 2 }), ...db({}) }),
      ).toEqual([]);
    });

    test.each(["staging", "preview"])("%s runs Fargate tasks", (environment) => {
      expect(
        resolved({ environment, ...api({ cpu: 256, memory: 4096, minTasks: 5, maxTasks: 2 }) }).map((x) => x.key),
      ).toEqual([`${P}:api.memory`, `${P}:api.minTasks`]);
    });
  });

  describe("RDS storage autoscaling", () => {
    test("a ceiling less than 10 % above the allocation", () => {
      expect(resolved(db({ allocatedStorageGb: 100, maxAllocatedStorageGb: 105 }))).toEqual([
        p(
          "database.maxAllocatedStorageGb",
          "must equal the allocated storage (100) to turn storage autoscaling off, or be at least 110: RDS refuses a ceiling less than 10 % above the allocation (got 105)",
        ),
      ]);
    });

    test("off (equal) or at least 10 % above passes", () => {
      expect(resolved(db({ allocatedStorageGb: 100, maxAllocatedStorageGb: 100 }))).toEqual([]);
      expect(resolved(db({ allocatedStorageGb: 100, maxAllocatedStorageGb: 110 }))).toEqual([]);
    });
  });

  describe("availability zones against azCount", () => {
    test("fewer zones than azCount", () => {
      expect(resolved({ network: { azCount: 3, availabilityZones: ["eu-west-1a", "eu-west-1b"] } })).toEqual([
        p("network.availabilityZones", "must list exactly network.azCount (3) zones (got 2)"),
      ]);
    });

    test("more zones than azCount", () => {
      expect(
        resolved({ network: { azCount: 2, availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] } }),
      ).toEqual([p("network.availabilityZones", "must list exactly network.azCount (2) zones (got 3)")]);
    });

    test("as many as azCount, or none listed", () => {
      expect(resolved({ network: { azCount: 2, availabilityZones: ["eu-west-1a", "eu-west-1b"] } })).toEqual([]);
      expect(resolved({ network: { azCount: 3, availabilityZones: undefined } })).toEqual([]);
    });
  });

  test("every problem at once, in the rules' order", () => {
    expect(
      resolved({
        api: { cpu: 256, memory: 4096, minTasks: 5, maxTasks: 2 },
        database: { allocatedStorageGb: 100, maxAllocatedStorageGb: 105, backupRetentionDays: 3, multiAz: false },
        network: { azCount: 3, availabilityZones: ["eu-west-1a"] },
        officeHours: { days: "MON-FRI", from: 8, to: 6, timezone: "UTC" },
        cacheReplicas: 0,
        apiSource: { build: { context: "no/such/api" } },
      }).map((x) => x.key),
    ).toEqual(
      [
        "database.backupRetentionDays",
        "database.multiAz",
        "cache.replicas",
        "api.build.context",
        "officeHours.to",
        "api.memory",
        "api.minTasks",
        "database.maxAllocatedStorageGb",
        "network.availabilityZones",
      ].map((k) => `${P}:${k}`),
    );
  });
});

describe("through the config loader", () => {
  const FIXTURES = join(__dirname, "fixtures", "stacks");
  /** A test stack file with some keys changed (`undefined` removes one), as the CLI hands it to the program. */
  function raw(base: string, changes: Record<string, unknown>, stack = base): RawStackConfig {
    const file = readStackFile(FIXTURES, base);
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(file.config)) values[key.slice(P.length + 1)] = value;
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) delete values[key];
      else values[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return { project: P, stack, values, secretKeys: new Set() };
  }
  function problemsOf(load: () => unknown): ConfigProblem[] {
    try {
      load();
    } catch (e) {
      if (e instanceof ConfigError) return [...e.problems];
      throw e;
    }
    return [];
  }

  test("the test stack files pass", () => {
    for (const stack of ["dev", "staging", "production"])
      expect(problemsOf(() => loadSettings(raw(stack, {})))).toEqual([]);
  });

  test("an environment that disagrees with the stack's name is reported once, not through the rules it drives", () => {
    expect(
      problemsOf(() =>
        parseConfig(raw("staging", { environment: "production", alerts: undefined, awsRegion: undefined })),
      ),
    ).toEqual([p("environment", 'must be "staging" in the staging stack (got "production")')]);
  });

  test("a key set but refused by the schema is not reported again as missing", () => {
    expect(
      problemsOf(() =>
        parseConfig(
          raw("production", {
            awsRegion: "europe",
            alerts: { emails: "ops@acme-app.com" },
            dns: { zoneId: "nope" },
            api: { build: { context: "test/fixtures/api" }, cpu: 300 },
          }),
        ),
      ).map((x) => x.key),
    ).toEqual([`${P}:awsRegion`, `${P}:alerts.emails`, `${P}:api.cpu`, `${P}:dns.zoneId`]);
  });

  test("dev's ignored keys under their stack-file keys", () => {
    expect(
      problemsOf(() =>
        parseConfig(
          raw("dev", { awsRegion: "eu-west-1", api: { build: { context: "test/fixtures/api" }, minTasks: 2 } }),
        ),
      ),
    ).toEqual([
      p(
        "awsRegion",
        "has no effect in dev: the Docker stack uses only environment, appName, domain and api's image, port and health path; remove it",
      ),
      p(
        "api.minTasks",
        "has no effect in dev: the Docker stack uses only environment, appName, domain and api's image, port and health path; remove it",
      ),
    ]);
  });

  test("the preset's values meet the file's: a file's memory against the preset's CPU", () => {
    expect(
      problemsOf(() =>
        loadSettings(raw("staging", { api: { build: { context: "test/fixtures/api" }, memory: 4096 } })),
      ),
    ).toEqual([
      p("api.memory", "must be a memory size Fargate offers for api.cpu 256: 512, 1024, 2048 MiB (got 4096)"),
    ]);
    expect(problemsOf(() => loadSettings(raw("staging", { database: { backupRetentionDays: 6 } })))).toEqual([
      p("database.backupRetentionDays", "must be at least 7 in staging (policy rds-backup-retention) (got 6)"),
    ]);
  });
});
