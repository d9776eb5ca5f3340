// The details of WebApp that web-app.test.ts leaves open: every input of the project, each variable and each domain
// (defaults, explicit `undefined` and every arg set), the keys the component leaves out, which values it marks
// secret, the branch scoping of a preview, the transforms, the registered outputs, and the exact text of every
// argument check at its boundaries. Each program is built once and only read.
import * as pulumi from "@pulumi/pulumi";
import { GIT_PROVIDERS, WebApp, validateWebAppArgs, type WebAppArgs } from "../../components/web-app/web-app";
import { recordProgram, SynthError, type SynthResult } from "../../synth/synth";
import type { RecordedResource } from "../../synth/recorder";
import { valueOf } from "../helpers/outputs";
import { ofType, resource } from "../helpers/synth";
import { recordCalls, type Recorded } from "../helpers/spies";

const T = {
  component: "saas-platform:components:WebApp",
  project: "vercel:index/project:Project",
  variable: "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
  domain: "vercel:index/projectDomain:ProjectDomain",
} as const;

const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
const PROD_API = "https://api.acme-app.com";
const STAGING_API = "https://api-staging.acme-app.com";
const DSN = "https://public@o1.ingest.sentry.io/2";

/** What the function hooks of one web app saw, per child name: the args' keys, the value of a variable, the options. */
interface Seen {
  keys: Record<string, string[]>;
  values: Record<string, pulumi.Input<string> | undefined>;
  opts: Record<string, string[]>;
}
/** Function hooks that only look: what the component hands each child, before any serialisation drops a key. */
function peek(): { seen: Seen; transform: NonNullable<WebAppArgs["transform"]> } {
  const seen: Seen = { keys: {}, values: {}, opts: {} };
  const look = (args: object, opts: pulumi.CustomResourceOptions, name: string) => {
    seen.keys[name] = Object.keys(args).sort();
    seen.opts[name] = Object.keys(opts).sort();
  };
  return {
    seen,
    transform: {
      project: look,
      variable: (args, opts, name) => {
        look(args, opts, name);
        seen.values[name] = args.value;
      },
      domain: look,
    },
  };
}

/** Declares the web apps `program` makes, noting what each component registered as its outputs. */
async function recordWithOutputs(program: () => Record<string, WebApp>) {
  let apps: Record<string, WebApp> = {};
  const { result, recorded } = await recordCalls(() =>
    recordProgram(STACK, async () => {
      apps = program();
      return Object.fromEntries(
        Object.entries(apps).map(([k, web]) => [k, { projectId: web.projectId, url: web.url ?? null }]),
      );
    }),
  );
  return { result, apps, registered: recorded };
}

/** The children of the component `name`, by `type name`. */
const childrenOf = (result: SynthResult, name: string): RecordedResource[] => {
  const component = resource(result, T.component, name);
  return result.resources.filter((x) => x.parent === component.urn);
};
const inputsByName = (result: SynthResult, type: string, prefix: string) =>
  Object.fromEntries(
    ofType(result, type)
      .filter((x) => x.name.startsWith(`${prefix}-`))
      .map((x) => [x.name, x.inputs]),
  );
const projectOutputs = (result: SynthResult, name: string) =>
  result.outputs[name] as { projectId: string; url: string | null };

describe("a created project with every optional arg omitted, or given as undefined", () => {
  let result: SynthResult;
  let apps: Record<string, WebApp>;
  let registered: Recorded;
  const { seen, transform } = peek();
  beforeAll(async () => {
    ({ result, apps, registered } = await recordWithOutputs(() => ({
      web: new WebApp("web", {
        project: { create: { name: "acme-web" } },
        apiUrl: { production: PROD_API, preview: STAGING_API },
        transform,
      }),
      bare: new WebApp("bare", {
        project: { create: { name: "acme-bare" } },
        apiUrl: { production: PROD_API, preview: STAGING_API },
      }),
      undef: new WebApp("undef", {
        project: {
          create: {
            name: "acme-undef",
            framework: undefined,
            gitRepository: undefined,
            rootDirectory: undefined,
            buildCommand: undefined,
            installCommand: undefined,
            outputDirectory: undefined,
            nodeVersion: undefined,
            protectPreviews: undefined,
          },
        },
        apiUrl: { production: PROD_API, preview: STAGING_API },
        apiUrlVariable: undefined,
        sentryDsn: undefined,
        sentryDsnVariable: undefined,
        environment: undefined,
        secrets: undefined,
        gitBranch: undefined,
        domains: undefined,
        redirectToPrimary: undefined,
        teamId: undefined,
        transform: undefined,
      }),
    })));
  });

  test.each(["web", "bare", "undef"])(
    "%s: Next.js on Node 22.x, previews behind Vercel login, system variables exposed",
    (name) => {
      expect(resource(result, T.project, `${name}-project`).inputs).toEqual({
        name: `acme-${name}`,
        framework: "nextjs",
        nodeVersion: "22.x",
        vercelAuthentication: { deploymentType: "standard_protection_new" },
        automaticallyExposeSystemEnvironmentVariables: true,
      });
    },
  );

  test.each(["web", "bare", "undef"])(
    "%s: one plain API URL variable per target on the project, nothing else, no domain",
    (name) => {
      const projectId = resource(result, T.project, `${name}-project`).id;
      const variable = (target: string) => ({
        projectId,
        key: "NEXT_PUBLIC_API_URL",
        // The provider marks every value secret: the component's own marking is read through the hooks below.
        value: "[secret]",
        targets: [target],
        sensitive: false,
      });
      expect(inputsByName(result, T.variable, name)).toEqual({
        [`${name}-production-next-public-api-url`]: variable("production"),
        [`${name}-preview-next-public-api-url`]: variable("preview"),
      });
      expect(inputsByName(result, T.domain, name)).toEqual({});
      expect(projectOutputs(result, name)).toEqual({ projectId, url: null });
      expect(apps[name]!.domains).toEqual([]);
      expect(apps[name]!.url).toBeUndefined();
    },
  );

  test("the children get no key for what is not set: no repository, team, branch or build settings", () => {
    expect(seen.keys).toEqual({
      "web-project": [
        "automaticallyExposeSystemEnvironmentVariables",
        "framework",
        "name",
        "nodeVersion",
        "vercelAuthentication",
      ],
      "web-production-next-public-api-url": ["key", "projectId", "sensitive", "targets", "value"],
      "web-preview-next-public-api-url": ["key", "projectId", "sensitive", "targets", "value"],
    });
    expect(seen.values).toEqual({
      "web-production-next-public-api-url": PROD_API,
      "web-preview-next-public-api-url": STAGING_API,
    });
    for (const opts of Object.values(seen.opts)) expect(opts).toEqual(["parent"]);
  });

  test.each(["web", "bare", "undef"])("%s: every child is the component's, with no options", (name) => {
    const children = childrenOf(result, name);
    expect(children.map((x) => x.name).sort()).toEqual(
      [`${name}-preview-next-public-api-url`, `${name}-production-next-public-api-url`, `${name}-project`].sort(),
    );
    for (const child of children) expect(child.options).toEqual({});
    expect(resource(result, T.component, name).parent).toBe(
      "urn:pulumi:test::saas-platform::pulumi:pulumi:Stack::saas-platform-test",
    );
  });

  test.each(["web", "bare", "undef"])("%s: registers its project id and no URL", (name) => {
    const web = apps[name]!;
    const outputs = registered.onlyRegistrationOf(web);
    expect(Object.keys(outputs).sort()).toEqual(["projectId", "url"]);
    expect(outputs["projectId"] === web.projectId).toBe(true); // by identity: printing an Output on failure is slow
    expect(outputs["url"]).toBeUndefined();
  });
});

describe("a created project with every arg set", () => {
  let result: SynthResult;
  let web: WebApp;
  let registered: Recorded;
  const { seen, transform } = peek();
  const domains = ["acme-app.com", "www.acme-app.com", "acme.io"];
  beforeAll(async () => {
    let apps: Record<string, WebApp>;
    ({ result, apps, registered } = await recordWithOutputs(() => ({
      web: new WebApp("web", {
        project: {
          create: {
            name: "acme-app-production",
            framework: "vite",
            gitRepository: { type: "bitbucket", repo: "acme/web", productionBranch: "release" },
            rootDirectory: "apps/web",
            buildCommand: "pnpm build",
            installCommand: "pnpm install",
            outputDirectory: "dist",
            nodeVersion: "20.x",
            protectPreviews: true,
          },
        },
        apiUrl: { production: pulumi.output(PROD_API), preview: STAGING_API },
        apiUrlVariable: "VITE_API_URL",
        sentryDsn: DSN,
        sentryDsnVariable: "VITE_SENTRY_DSN",
        environment: { VITE_PLAN: "pro", FEATURE_FLAGS: pulumi.output("a,b") },
        secrets: { REVALIDATE_TOKEN: "s3cr3t", DB_PASSWORD: pulumi.output("pw") },
        domains,
        redirectToPrimary: true,
        teamId: "team_acme",
        transform,
      }),
    })));
    web = apps!["web"]!;
  });

  test("the project takes every setting and the team", () => {
    expect(resource(result, T.project, "web-project").inputs).toEqual({
      name: "acme-app-production",
      framework: "vite",
      gitRepository: { type: "bitbucket", repo: "acme/web", productionBranch: "release" },
      rootDirectory: "apps/web",
      buildCommand: "pnpm build",
      installCommand: "pnpm install",
      outputDirectory: "dist",
      nodeVersion: "20.x",
      vercelAuthentication: { deploymentType: "standard_protection_new" },
      automaticallyExposeSystemEnvironmentVariables: true,
      teamId: "team_acme",
    });
  });

  test("each target gets the API URL, the DSN, the plain values and the secrets, under their names, in the team", () => {
    const projectId = resource(result, T.project, "web-project").id;
    const expected: Record<string, unknown> = {};
    for (const target of ["production", "preview"]) {
      for (const [key, sensitive] of [
        ["VITE_API_URL", false],
        ["VITE_SENTRY_DSN", false],
        ["VITE_PLAN", false],
        ["FEATURE_FLAGS", false],
        ["REVALIDATE_TOKEN", true],
        ["DB_PASSWORD", true],
      ] as const) {
        expected[`web-${target}-${key.toLowerCase().replace(/_/g, "-")}`] = {
          projectId,
          key,
          value: "[secret]",
          targets: [target],
          sensitive,
          teamId: "team_acme",
        };
      }
    }
    expect(inputsByName(result, T.variable, "web")).toEqual(expected);
  });

  test("the component marks the secrets secret, and only them; each target has its own API URL", async () => {
    const plain = Object.fromEntries(
      await Promise.all(
        Object.entries(seen.values).map(async ([name, value]) => {
          const output = pulumi.output(value);
          return [name, { value: await valueOf(output), secret: await pulumi.isSecret(output) }] as const;
        }),
      ),
    );
    const both = (key: string, value: string, secret: boolean) => ({
      [`web-production-${key}`]: { value, secret },
      [`web-preview-${key}`]: { value, secret },
    });
    expect(plain).toEqual({
      "web-production-vite-api-url": { value: PROD_API, secret: false },
      "web-preview-vite-api-url": { value: STAGING_API, secret: false },
      ...both("vite-sentry-dsn", DSN, false),
      ...both("vite-plan", "pro", false),
      ...both("feature-flags", "a,b", false),
      ...both("revalidate-token", "s3cr3t", true),
      ...both("db-password", "pw", true),
    });
    // A plain string stays a plain string: only a secret is wrapped.
    expect(seen.values["web-preview-vite-plan"]).toBe("pro");
    expect(seen.values["web-preview-vite-api-url"]).toBe(STAGING_API);
  });

  test("without a branch, no variable or domain gets a gitBranch key; all get the team", () => {
    for (const [name, keys] of Object.entries(seen.keys)) {
      expect(keys).not.toContain("gitBranch");
      expect(keys).toContain("teamId");
      expect(seen.opts[name]).toEqual(["parent"]);
    }
    expect(Object.keys(seen.keys)).toHaveLength(1 + 12 + 3);
  });

  test("the first domain is served as is; the others redirect (308) to it, waiting for it", () => {
    const projectId = resource(result, T.project, "web-project").id;
    const primary = resource(result, T.domain, "web-acme-app.com");
    expect(inputsByName(result, T.domain, "web")).toEqual({
      "web-acme-app.com": { projectId, domain: "acme-app.com", teamId: "team_acme" },
      "web-www.acme-app.com": {
        projectId,
        domain: "www.acme-app.com",
        redirect: "acme-app.com",
        redirectStatusCode: 308,
        teamId: "team_acme",
      },
      "web-acme.io": {
        projectId,
        domain: "acme.io",
        redirect: "acme-app.com",
        redirectStatusCode: 308,
        teamId: "team_acme",
      },
    });
    for (const host of ["www.acme-app.com", "acme.io"]) {
      expect(resource(result, T.domain, `web-${host}`).propertyDependencies["redirect"]).toEqual([primary.urn]);
    }
    expect(primary.propertyDependencies["redirect"]).toBeUndefined();
  });

  test("every child is the component's; the URL is the primary domain's, and the domains a copy of the arg", async () => {
    const children = childrenOf(result, "web");
    expect(children).toHaveLength(1 + 12 + 3);
    for (const child of children) expect(child.options).toEqual({});
    expect(projectOutputs(result, "web")).toEqual({
      projectId: resource(result, T.project, "web-project").id,
      url: "https://acme-app.com",
    });
    expect(web.domains).toEqual(domains);
    expect(web.domains).not.toBe(domains);
    const outputs = registered.onlyRegistrationOf(web);
    expect(Object.keys(outputs).sort()).toEqual(["projectId", "url"]);
    expect(outputs["projectId"] === web.projectId).toBe(true); // by identity: printing an Output on failure is slow
    expect(outputs["url"] === web.url).toBe(true); // by identity: printing an Output on failure is slow
    expect(await valueOf(web.url!)).toBe("https://acme-app.com");
  });
});

describe("variables per target and domains per switch", () => {
  let result: SynthResult;
  const peeks = { prod: peek(), preview: peek(), existing: peek(), branch: peek(), solo: peek(), noRedirect: peek() };
  const extras = { sentryDsn: DSN, environment: { PLAN: "pro" }, secrets: { TOKEN: "t0k" } };
  beforeAll(async () => {
    ({ result } = await recordWithOutputs(() => ({
      prod: new WebApp("prod", {
        project: {
          create: { name: "acme-prod", protectPreviews: false, gitRepository: { type: "github", repo: "acme/web" } },
        },
        apiUrl: { production: PROD_API },
        ...extras,
        transform: peeks.prod.transform,
      }),
      preview: new WebApp("preview", {
        project: { create: { name: "acme-preview" } },
        apiUrl: { preview: STAGING_API, production: undefined },
        ...extras,
        transform: peeks.preview.transform,
      }),
      existing: new WebApp("existing", {
        project: { existingProjectId: pulumi.output("prj_staging123") },
        apiUrl: { preview: STAGING_API },
        domains: ["staging.acme-app.com", "www.staging.acme-app.com"],
        transform: peeks.existing.transform,
      }),
      branch: new WebApp("branch", {
        project: { existingProjectId: "prj_staging123" },
        apiUrl: { preview: "https://api-pr-7.acme-app.com" },
        gitBranch: "feature/checkout",
        ...extras,
        domains: ["pr-7.staging.acme-app.com", "pr-7-www.staging.acme-app.com"],
        redirectToPrimary: true,
        teamId: "team_acme",
        transform: peeks.branch.transform,
      }),
      solo: new WebApp("solo", {
        project: { create: { name: "acme-solo" } },
        apiUrl: { production: PROD_API },
        domains: ["solo.acme-app.com"],
        transform: peeks.solo.transform,
      }),
      noRedirect: new WebApp("noRedirect", {
        project: { create: { name: "acme-no-redirect" } },
        apiUrl: { production: PROD_API },
        domains: ["acme-app.com", "www.acme-app.com"],
        redirectToPrimary: false,
        transform: peeks.noRedirect.transform,
      }),
    })));
  });

  test("production only: the project's previews are public, the repository deploys main; all variables are production's", () => {
    expect(resource(result, T.project, "prod-project").inputs).toEqual({
      name: "acme-prod",
      framework: "nextjs",
      gitRepository: { type: "github", repo: "acme/web", productionBranch: "main" },
      nodeVersion: "22.x",
      vercelAuthentication: { deploymentType: "none" },
      automaticallyExposeSystemEnvironmentVariables: true,
    });
    const v = inputsByName(result, T.variable, "prod");
    expect(Object.keys(v).sort()).toEqual([
      "prod-production-next-public-api-url",
      "prod-production-next-public-sentry-dsn",
      "prod-production-plan",
      "prod-production-token",
    ]);
    expect(Object.values(v).map((x) => [x["key"], x["targets"], x["sensitive"]])).toEqual(
      expect.arrayContaining([
        ["NEXT_PUBLIC_API_URL", ["production"], false],
        ["NEXT_PUBLIC_SENTRY_DSN", ["production"], false],
        ["PLAN", ["production"], false],
        ["TOKEN", ["production"], true],
      ]),
    );
  });

  test("preview only: every variable is the previews', none scoped to a branch without one", () => {
    const v = inputsByName(result, T.variable, "preview");
    expect(Object.keys(v).sort()).toEqual([
      "preview-preview-next-public-api-url",
      "preview-preview-next-public-sentry-dsn",
      "preview-preview-plan",
      "preview-preview-token",
    ]);
    for (const x of Object.values(v)) expect(x["targets"]).toEqual(["preview"]);
    for (const keys of Object.values(peeks.preview.seen.keys)) expect(keys).not.toContain("gitBranch");
    expect(peeks.preview.seen.values["preview-preview-next-public-sentry-dsn"]).toBe(DSN);
    expect(peeks.preview.seen.values["preview-preview-plan"]).toBe("pro");
  });

  test("an existing project (an Output id): no project created, its id everywhere, the redirect kept", () => {
    expect(childrenOf(result, "existing").filter((x) => x.type === T.project)).toEqual([]);
    expect(projectOutputs(result, "existing")).toEqual({
      projectId: "prj_staging123",
      url: "https://staging.acme-app.com",
    });
    expect(inputsByName(result, T.variable, "existing")).toEqual({
      "existing-preview-next-public-api-url": {
        projectId: "prj_staging123",
        key: "NEXT_PUBLIC_API_URL",
        value: "[secret]",
        targets: ["preview"],
        sensitive: false,
      },
    });
    expect(inputsByName(result, T.domain, "existing")).toEqual({
      "existing-staging.acme-app.com": { projectId: "prj_staging123", domain: "staging.acme-app.com" },
      "existing-www.staging.acme-app.com": {
        projectId: "prj_staging123",
        domain: "www.staging.acme-app.com",
        redirect: "staging.acme-app.com",
        redirectStatusCode: 308,
      },
    });
    expect(peeks.existing.seen.keys).toEqual({
      "existing-preview-next-public-api-url": ["key", "projectId", "sensitive", "targets", "value"],
      "existing-staging.acme-app.com": ["domain", "projectId"],
      "existing-www.staging.acme-app.com": ["domain", "projectId", "redirect", "redirectStatusCode"],
    });
  });

  test("a branch: every variable, secrets included, and every domain scoped to it, with no redirect", async () => {
    expect(childrenOf(result, "branch").filter((x) => x.type === T.project)).toEqual([]);
    const variable = (key: string, sensitive: boolean) => ({
      projectId: "prj_staging123",
      key,
      value: "[secret]",
      targets: ["preview"],
      sensitive,
      gitBranch: "feature/checkout",
      teamId: "team_acme",
    });
    expect(inputsByName(result, T.variable, "branch")).toEqual({
      "branch-preview-next-public-api-url": variable("NEXT_PUBLIC_API_URL", false),
      "branch-preview-next-public-sentry-dsn": variable("NEXT_PUBLIC_SENTRY_DSN", false),
      "branch-preview-plan": variable("PLAN", false),
      "branch-preview-token": variable("TOKEN", true),
    });
    const domain = (host: string) => ({
      projectId: "prj_staging123",
      domain: host,
      gitBranch: "feature/checkout",
      teamId: "team_acme",
    });
    expect(inputsByName(result, T.domain, "branch")).toEqual({
      "branch-pr-7.staging.acme-app.com": domain("pr-7.staging.acme-app.com"),
      "branch-pr-7-www.staging.acme-app.com": domain("pr-7-www.staging.acme-app.com"),
    });
    expect(peeks.branch.seen.keys["branch-pr-7-www.staging.acme-app.com"]).toEqual([
      "domain",
      "gitBranch",
      "projectId",
      "teamId",
    ]);
    expect(projectOutputs(result, "branch")).toEqual({
      projectId: "prj_staging123",
      url: "https://pr-7.staging.acme-app.com",
    });
    const token = peeks.branch.seen.values["branch-preview-token"] as pulumi.Output<string>;
    expect(await pulumi.isSecret(token)).toBe(true);
    expect(await valueOf(token)).toBe("t0k");
  });

  test("one domain: served as is, and the URL", () => {
    expect(inputsByName(result, T.domain, "solo")).toEqual({
      "solo-solo.acme-app.com": {
        projectId: resource(result, T.project, "solo-project").id,
        domain: "solo.acme-app.com",
      },
    });
    expect(projectOutputs(result, "solo").url).toBe("https://solo.acme-app.com");
  });

  test("redirectToPrimary false: every domain served as is, without even a redirect key", () => {
    const projectId = resource(result, T.project, "noRedirect-project").id;
    expect(inputsByName(result, T.domain, "noRedirect")).toEqual({
      "noRedirect-acme-app.com": { projectId, domain: "acme-app.com" },
      "noRedirect-www.acme-app.com": { projectId, domain: "www.acme-app.com" },
    });
    expect(peeks.noRedirect.seen.keys["noRedirect-www.acme-app.com"]).toEqual(["domain", "projectId"]);
    expect(projectOutputs(result, "noRedirect").url).toBe("https://acme-app.com");
  });
});

describe("WebApp transforms", () => {
  let result: SynthResult;
  beforeAll(async () => {
    ({ result } = await recordWithOutputs(() => ({
      web: new WebApp("web", {
        project: { create: { name: "acme-web" } },
        apiUrl: { production: PROD_API },
        domains: ["acme-app.com", "www.acme-app.com"],
        transform: {
          project: { framework: "remix" },
          variable: { comment: "by transform" },
          domain: { redirectStatusCode: 307 },
        },
      }),
      hooks: new WebApp("hooks", {
        project: { create: { name: "acme-hooks" } },
        apiUrl: { production: PROD_API },
        domains: ["acme-app.com"],
        transform: {
          project: (_args, opts) => {
            opts.protect = true;
          },
          variable: (args, _opts, name) => {
            args.key = name.toUpperCase();
          },
        },
      }),
    })));
  });

  test("each object hook merges over its own children only", () => {
    expect(resource(result, T.project, "web-project").inputs["framework"]).toBe("remix");
    expect(resource(result, T.project, "web-project").inputs).not.toHaveProperty("comment");
    expect(resource(result, T.variable, "web-production-next-public-api-url").inputs).toMatchObject({
      key: "NEXT_PUBLIC_API_URL",
      comment: "by transform",
    });
    expect(inputsByName(result, T.domain, "web")).toEqual({
      "web-acme-app.com": expect.objectContaining({ redirectStatusCode: 307 }),
      "web-www.acme-app.com": expect.objectContaining({ redirect: "acme-app.com", redirectStatusCode: 307 }),
    });
  });

  test("a function hook edits its child's args and options, not the siblings'", () => {
    const children = childrenOf(result, "hooks");
    for (const child of children) {
      expect(child.options).toEqual(child.type === T.project ? { protect: true } : {});
    }
    expect(resource(result, T.variable, "hooks-production-next-public-api-url").inputs["key"]).toBe(
      "HOOKS-PRODUCTION-NEXT-PUBLIC-API-URL",
    );
  });
});

/** The message `fn` throws (the test fails if it throws nothing). */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error, got none");
}
const VALID: WebAppArgs = { project: { create: { name: "acme-web" } }, apiUrl: { production: PROD_API } };
const problems = (args: Partial<WebAppArgs>, name = "web") =>
  thrown(() => validateWebAppArgs(name, { ...VALID, ...args }));
const one = (problem: string, name = "web") => `WebApp "${name}" has invalid args:\n  - ${problem}`;
const valid = (args: Partial<WebAppArgs>) => () => validateWebAppArgs("web", { ...VALID, ...args });

describe("WebApp args at their boundaries", () => {
  test("a project is created or referenced, exactly one of the two", () => {
    const message = one("project must be { create: {...} } or { existingProjectId }, exactly one", "front");
    expect(problems({ project: {} as never }, "front")).toBe(message);
    expect(problems({ project: { create: undefined, existingProjectId: undefined } as never }, "front")).toBe(message);
    expect(problems({ project: { create: { name: "x" }, existingProjectId: "prj_1" } }, "front")).toBe(message);
    expect(valid({ project: { existingProjectId: "prj_1" } })).not.toThrow();
    expect(valid({ project: { existingProjectId: pulumi.output("prj_1") } })).not.toThrow();
    expect(valid({ project: { create: { name: "x" } } })).not.toThrow();
  });

  test.each(["a", "0", "a".repeat(100), "acme.web_app-2", "9-to.5_", "z", "zz09.a_-", "acme-app-production"])(
    "project name %j is one Vercel takes",
    (name) => {
      expect(valid({ project: { create: { name } } })).not.toThrow();
    },
  );

  test.each(["", "a".repeat(101), ".acme", "-acme", "_acme", "Acme", "acmE", "acme web", "acme/web", "acme!", "é"])(
    "project name %j is refused, quoted",
    (name) => {
      expect(problems({ project: { create: { name } } })).toBe(
        one(`project.create.name must be lowercase letters, digits, ".", "_" or "-" (got "${name}")`),
      );
    },
  );

  test.each(GIT_PROVIDERS)("a %s repository is accepted", (type) => {
    expect([...GIT_PROVIDERS]).toEqual(["github", "gitlab", "bitbucket"]);
    expect(valid({ project: { create: { name: "x", gitRepository: { type, repo: "acme/web" } } } })).not.toThrow();
  });

  test.each(["svn", "", "GitHub", "codecommit"])("a %j repository is refused, naming the providers", (type) => {
    expect(
      problems({ project: { create: { name: "x", gitRepository: { type: type as never, repo: "acme/web" } } } }),
    ).toBe(one(`project.create.gitRepository.type must be one of github, gitlab, bitbucket (got "${type}")`));
  });

  test.each(["acme/web", "a/b", "Acme-App/web.app_2", "a_1/B-2.x"])("repository %j is owner/name", (repo) => {
    expect(valid({ project: { create: { name: "x", gitRepository: { type: "github", repo } } } })).not.toThrow();
  });

  test.each([
    "acme",
    "/web",
    "acme/",
    "acme/web/x",
    " acme/web",
    "acme/web ",
    "acme//web",
    "ac me/web",
    "acme/we b",
    "",
  ])("repository %j is refused, quoted", (repo) => {
    expect(problems({ project: { create: { name: "x", gitRepository: { type: "gitlab", repo } } } })).toBe(
      one(`project.create.gitRepository.repo must be "owner/name" (got "${repo}")`),
    );
  });

  test("an existing project skips the create checks", () => {
    expect(valid({ project: { existingProjectId: "prj_1" }, apiUrl: { production: PROD_API } })).not.toThrow();
  });

  test("apiUrl needs a production or a preview URL, either alone is enough", () => {
    const message = one("apiUrl must give the API of at least one target (production or preview)");
    expect(problems({ apiUrl: {} })).toBe(message);
    expect(problems({ apiUrl: { production: undefined, preview: undefined } })).toBe(message);
    expect(valid({ apiUrl: { production: PROD_API } })).not.toThrow();
    expect(valid({ apiUrl: { preview: STAGING_API } })).not.toThrow();
    expect(valid({ apiUrl: { production: PROD_API, preview: STAGING_API } })).not.toThrow();
  });

  test.each(["A", "Z", "X_", "A1", "ZA09Z", "VITE_API_URL", "NEXT_PUBLIC_API_URL", "A_1_B"])(
    "variable name %j is taken for either variable arg and as a key",
    (name) => {
      expect(valid({ apiUrlVariable: name, environment: { [`E_${name}`]: "x" } })).not.toThrow();
      expect(
        valid({
          apiUrlVariable: "OTHER_API_URL",
          sentryDsnVariable: name,
          environment: { [name]: "x" },
          secrets: { [`S_${name}`]: "y" },
        }),
      ).not.toThrow();
    },
  );

  test.each(["", "1A", "_A", "a", "Ab", "xAPI", "API-x", "API URL", "API_URL ", "A.B"])(
    "variable name %j is refused for each arg, quoted, and as a key",
    (name) => {
      expect(problems({ apiUrlVariable: name, sentryDsnVariable: name })).toBe(
        [
          'WebApp "web" has invalid args:',
          `  - apiUrlVariable must be an environment variable name such as NEXT_PUBLIC_API_URL (got "${name}")`,
          `  - sentryDsnVariable must be an environment variable name such as NEXT_PUBLIC_API_URL (got "${name}")`,
        ].join("\n"),
      );
      expect(problems({ environment: { [name]: "x" } })).toBe(
        one(`variable names must be UPPER_SNAKE_CASE (got ${name})`),
      );
      expect(problems({ secrets: { [name]: "x" } })).toBe(one(`variable names must be UPPER_SNAKE_CASE (got ${name})`));
    },
  );

  test("bad keys are listed together, the environment's before the secrets', good ones left out", () => {
    expect(
      problems({ environment: { GOOD: "1", "bad-one": "2", Bad2: "3" }, secrets: { FINE: "4", "bad.three": "5" } }),
    ).toBe(one("variable names must be UPPER_SNAKE_CASE (got bad-one, Bad2, bad.three)"));
  });

  test("a secret may not use a browser-exposed prefix; the same names are fine as plain values", () => {
    const exposed = ["NEXT_PUBLIC_KEY", "VITE_KEY", "PUBLIC_KEY", "REACT_APP_KEY", "NUXT_PUBLIC_KEY"];
    expect(
      problems({ secrets: Object.fromEntries([["SERVER_PUBLIC_KEY", "ok"], ...exposed.map((k) => [k, "s"])]) }),
    ).toBe(
      one(
        `secrets must not use a browser-exposed prefix, or the bundle would ship them: ${exposed.join(", ")}; rename them or put public values in environment`,
      ),
    );
    expect(valid({ environment: Object.fromEntries(exposed.map((k) => [k, "v"])) })).not.toThrow();
    expect(valid({ secrets: { SERVER_PUBLIC_KEY: "s", MY_VITE_KEY: "s", NEXT_PUBLIC: "s", VITE: "s" } })).not.toThrow();
  });

  test("gitBranch needs the preview URL and no production URL", () => {
    const needsPreview = "gitBranch scopes preview variables, so apiUrl.preview must be set";
    const noProduction =
      "gitBranch is for a preview stack: remove apiUrl.production (a branch never deploys to production)";
    expect(valid({ gitBranch: "feature/x", apiUrl: { preview: STAGING_API } })).not.toThrow();
    expect(problems({ gitBranch: "feature/x", apiUrl: { production: PROD_API } })).toBe(
      ['WebApp "web" has invalid args:', `  - ${needsPreview}`, `  - ${noProduction}`].join("\n"),
    );
    expect(problems({ gitBranch: "feature/x", apiUrl: { production: PROD_API, preview: STAGING_API } })).toBe(
      one(noProduction),
    );
    expect(problems({ gitBranch: "feature/x", apiUrl: {} })).toBe(
      [
        'WebApp "web" has invalid args:',
        "  - apiUrl must give the API of at least one target (production or preview)",
        `  - ${needsPreview}`,
      ].join("\n"),
    );
    expect(valid({ gitBranch: undefined, apiUrl: { production: PROD_API } })).not.toThrow();
  });

  test("domains are lowercase DNS names, each once; none at all is fine", () => {
    expect(valid({ domains: ["acme-app.com", "www.acme-app.com", "a.io"] })).not.toThrow();
    expect(valid({ domains: [] })).not.toThrow();
    expect(valid({ domains: undefined })).not.toThrow();
    expect(problems({ domains: ["acme-app.com", "Acme.com", "acme_app.com", "localhost"] })).toBe(
      one("domains must be lowercase DNS names (got Acme.com, acme_app.com, localhost)"),
    );
    expect(problems({ domains: ["acme-app.com", "www.acme-app.com", "acme-app.com"] })).toBe(
      one("domains must not repeat"),
    );
  });

  test("every problem at once, in order, for the component's name", () => {
    expect(
      problems(
        {
          project: {
            create: { name: "Acme", gitRepository: { type: "svn" as never, repo: "acme" } },
            existingProjectId: "prj_1",
          },
          apiUrl: { production: PROD_API },
          apiUrlVariable: "api-url",
          sentryDsnVariable: "dsn",
          environment: { plan: "pro" },
          secrets: { VITE_TOKEN: "s", token: "t" },
          gitBranch: "feature/x",
          domains: ["Acme.com", "Acme.com"],
        },
        "frontend",
      ),
    ).toBe(
      [
        'WebApp "frontend" has invalid args:',
        "  - project must be { create: {...} } or { existingProjectId }, exactly one",
        '  - project.create.name must be lowercase letters, digits, ".", "_" or "-" (got "Acme")',
        '  - project.create.gitRepository.type must be one of github, gitlab, bitbucket (got "svn")',
        '  - project.create.gitRepository.repo must be "owner/name" (got "acme")',
        '  - apiUrlVariable must be an environment variable name such as NEXT_PUBLIC_API_URL (got "api-url")',
        '  - sentryDsnVariable must be an environment variable name such as NEXT_PUBLIC_API_URL (got "dsn")',
        "  - variable names must be UPPER_SNAKE_CASE (got plan, token)",
        "  - secrets must not use a browser-exposed prefix, or the bundle would ship them: VITE_TOKEN; rename them or put public values in environment",
        "  - gitBranch scopes preview variables, so apiUrl.preview must be set",
        "  - gitBranch is for a preview stack: remove apiUrl.production (a branch never deploys to production)",
        "  - domains must be lowercase DNS names (got Acme.com, Acme.com)",
        "  - domains must not repeat",
      ].join("\n"),
    );
  });

  test("a variable name given twice, across the four places it can come from, is refused before anything", () => {
    const repeated = (names: string) =>
      one(
        `variable names must not repeat across apiUrlVariable, sentryDsnVariable, environment and secrets (got ${names} more than once)`,
      );
    expect(problems({ environment: { TOKEN: "a" }, secrets: { TOKEN: "b" } })).toBe(repeated("TOKEN"));
    expect(problems({ environment: { NEXT_PUBLIC_API_URL: "x" } })).toBe(repeated("NEXT_PUBLIC_API_URL"));
    expect(problems({ apiUrlVariable: "API", secrets: { API: "s" } })).toBe(repeated("API"));
    expect(problems({ sentryDsn: "d", sentryDsnVariable: "NEXT_PUBLIC_API_URL" })).toBe(
      repeated("NEXT_PUBLIC_API_URL"),
    );
    expect(
      problems({ sentryDsn: "d", environment: { NEXT_PUBLIC_SENTRY_DSN: "x", A: "1" }, secrets: { A: "2" } }),
    ).toBe(repeated("NEXT_PUBLIC_SENTRY_DSN, A"));
    // The Sentry variable exists only with a DSN; each name once is fine.
    expect(valid({ environment: { NEXT_PUBLIC_SENTRY_DSN: "x" } })).not.toThrow();
    expect(valid({ sentryDsn: "d", environment: { A: "1" }, secrets: { B: "2" } })).not.toThrow();
  });

  test("an existing project given beside `create: undefined` is that project, not a crash", async () => {
    const result = await recordProgram(STACK, async () => {
      const web = new WebApp("web", {
        project: { create: undefined, existingProjectId: "prj_existing" },
        apiUrl: { preview: "https://api.example.com" },
      });
      return { projectId: web.projectId };
    });
    expect(result.outputs["projectId"]).toBe("prj_existing");
    expect(ofType(result, T.project)).toEqual([]);
  });

  test("the constructor checks its args before declaring anything", async () => {
    const error = await recordProgram(STACK, async () => {
      new WebApp("web", { ...VALID, domains: ["a.com", "a.com"] });
      return {};
    }).then(
      () => undefined,
      (e: unknown) => e as SynthError,
    );
    expect(error).toBeInstanceOf(SynthError);
    expect(error?.message).toBe(one("domains must not repeat"));
    expect(error?.declared.map((x) => x.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});
