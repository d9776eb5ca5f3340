import * as pulumi from "@pulumi/pulumi";
import { WebApp, validateWebAppArgs, type WebAppArgs } from "../../components/web-app";
import { recordProgram, type SynthError, type SynthResult } from "../../synth/synth";
import { valueOf } from "../helpers/outputs";
import { ofType, resource, useStacks } from "../helpers/synth";

const T = {
  project: "vercel:index/project:Project",
  variable: "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
  domain: "vercel:index/projectDomain:ProjectDomain",
} as const;

const r = useStacks();
const variables = (result: SynthResult) =>
  ofType(result, T.variable)
    .map((v) => ({
      key: v.inputs["key"],
      targets: v.inputs["targets"],
      sensitive: v.inputs["sensitive"],
      branch: v.inputs["gitBranch"],
    }))
    .sort((a, b) => String(a.targets).localeCompare(String(b.targets)));

describe("the production frontend", () => {
  test("is its own Vercel project, built from the repository, with protected previews", () => {
    expect(resource(r("production"), T.project, "web-project").inputs).toMatchObject({
      name: "acme-app-production",
      framework: "nextjs",
      gitRepository: { type: "github", repo: "acme-app/web", productionBranch: "main" },
      nodeVersion: "22.x",
      // standard_protection is the provider's legacy mode.
      vercelAuthentication: { deploymentType: "standard_protection_new" },
    });
  });

  test("calls the production API in production and staging's API in previews", async () => {
    expect(variables(r("production")).filter((v) => v.key === "NEXT_PUBLIC_API_URL")).toEqual([
      { key: "NEXT_PUBLIC_API_URL", targets: ["preview"], sensitive: false, branch: undefined },
      { key: "NEXT_PUBLIC_API_URL", targets: ["production"], sensitive: false, branch: undefined },
    ]);
    // The provider marks every value secret, so the records hide them: read what the component passes through the
    // variable transform instead.
    const values: Record<string, unknown> = {};
    const result = await recordProgram(
      { project: "saas-platform", stack: "t", config: {}, secretKeys: [] },
      async () => {
        new WebApp("web", {
          project: { create: { name: "x" } },
          apiUrl: { production: "https://api.acme-app.com", preview: "https://api-staging.acme-app.com" },
          transform: {
            variable: (args, _opts, name) => {
              values[name] = args.value;
            },
          },
        });
        return {};
      },
    );
    expect(values).toEqual({
      "web-production-next-public-api-url": "https://api.acme-app.com",
      "web-preview-next-public-api-url": "https://api-staging.acme-app.com",
    });
    expect(ofType(result, T.variable).map((v) => v.secretInputs)).toEqual([["value"], ["value"]]);
  });

  test("serves the apex domain and redirects www to it", () => {
    const project = resource(r("production"), T.project, "web-project");
    expect(resource(r("production"), T.domain, "web-acme-app.com").inputs).toEqual({
      projectId: project.id,
      domain: "acme-app.com",
    });
    expect(resource(r("production"), T.domain, "web-www.acme-app.com").inputs).toEqual({
      projectId: project.id,
      domain: "www.acme-app.com",
      redirect: "acme-app.com",
      redirectStatusCode: 308,
    });
    // The redirect waits for the apex domain it names (Vercel refuses a redirect to a domain the project lacks).
    const apex = resource(r("production"), T.domain, "web-acme-app.com");
    expect(resource(r("production"), T.domain, "web-www.acme-app.com").propertyDependencies["redirect"]).toEqual([
      apex.urn,
    ]);
    expect(r("production").outputs["webUrl"]).toBe("https://acme-app.com");
  });

  test("goes through the stack's explicit Vercel provider", () => {
    const provider = resource(r("production"), "pulumi:providers:vercel", "vercel");
    for (const x of [
      ...ofType(r("production"), T.project),
      ...ofType(r("production"), T.variable),
      ...ofType(r("production"), T.domain),
    ]) {
      expect(x.provider).toBe(provider.urn);
    }
    expect(provider.inputs).not.toHaveProperty("apiToken");
  });
});

test("with Sentry configured (production), the web DSN reaches both targets", () => {
  const dsn = ofType(r("production"), T.variable).filter((v) => v.inputs["key"] === "NEXT_PUBLIC_SENTRY_DSN");
  expect(dsn.map((v) => v.inputs["targets"]).sort()).toEqual([["preview"], ["production"]]);
  const key = resource(r("production"), "sentry:index/sentryKey:SentryKey", "sentry-web");
  for (const v of dsn) expect(v.propertyDependencies["value"]).toEqual([key.urn]);
  expect(ofType(r("staging"), T.variable).filter((v) => v.inputs["key"] === "NEXT_PUBLIC_SENTRY_DSN")).toEqual([]);
});

// Which URL each target gets is the component's (above); the records of a stack hide the values.
test("staging's project sets the API URL on both targets and serves staging's domain", () => {
  expect(resource(r("staging"), T.project, "web-project").inputs["name"]).toBe("acme-app-staging");
  expect(variables(r("staging")).map((v) => v.targets)).toEqual([["preview"], ["production"]]);
  expect(ofType(r("staging"), T.domain).map((d) => d.inputs["domain"])).toEqual(["staging.acme-app.com"]);
});

test("dev has no Vercel resources; a preview without staging's project id and branch has none either", () => {
  expect(r("dev").resources.filter((x) => x.type.startsWith("vercel:"))).toEqual([]);
  expect(r("preview").resources.filter((x) => x.type.startsWith("vercel:") && x.custom)).toEqual([]);
});

describe("a PR preview", () => {
  test("adds variables and its domain scoped to the PR's branch on staging's project", async () => {
    const result = await recordProgram(
      { project: "saas-platform", stack: "pr-7", config: {}, secretKeys: [] },
      async () => {
        new WebApp("web", {
          project: { existingProjectId: "prj_staging123" },
          apiUrl: { preview: "https://api-pr-7.acme-app.com" },
          gitBranch: "feature/checkout",
          domains: ["pr-7.staging.acme-app.com"],
          apiUrlVariable: "VITE_API_URL",
        });
        return {};
      },
    );
    expect(ofType(result, T.project)).toEqual([]);
    expect(ofType(result, T.variable).map((v) => v.inputs)).toEqual([
      expect.objectContaining({
        projectId: "prj_staging123",
        key: "VITE_API_URL",
        targets: ["preview"],
        gitBranch: "feature/checkout",
      }),
    ]);
    expect(ofType(result, T.domain).map((d) => d.inputs)).toEqual([
      { projectId: "prj_staging123", domain: "pr-7.staging.acme-app.com", gitBranch: "feature/checkout" },
    ]);
  });
});

test("secrets become sensitive variables; the Sentry DSN and plain values do not", async () => {
  const result = await recordProgram({ project: "saas-platform", stack: "t", config: {}, secretKeys: [] }, async () => {
    new WebApp("web", {
      project: { create: { name: "acme-app-production", protectPreviews: false } },
      apiUrl: { production: "https://api.acme-app.com" },
      sentryDsn: "https://public@o1.ingest.sentry.io/2",
      environment: { NEXT_PUBLIC_PLAN: "pro" },
      secrets: { REVALIDATE_TOKEN: "s3cr3t" },
    });
    return {};
  });
  expect(resource(result, T.project, "web-project").inputs["vercelAuthentication"]).toEqual({ deploymentType: "none" });
  expect(
    ofType(result, T.variable)
      .map((v) => [v.inputs["key"], v.inputs["sensitive"], v.inputs["targets"]])
      .sort(),
  ).toEqual([
    ["NEXT_PUBLIC_API_URL", false, ["production"]],
    ["NEXT_PUBLIC_PLAN", false, ["production"]],
    ["NEXT_PUBLIC_SENTRY_DSN", false, ["production"]],
    ["REVALIDATE_TOKEN", true, ["production"]],
  ]);
  expect(JSON.stringify(result.resources.map((x) => x.inputs))).not.toContain("s3cr3t");
});

describe("WebApp args", () => {
  test("every problem is reported at once, naming the arg and the fix", () => {
    expect(() =>
      validateWebAppArgs("web", {
        project: { create: { name: "Acme App", gitRepository: { type: "svn" as never, repo: "acme" } } },
        apiUrl: { production: "https://api.acme-app.com" },
        apiUrlVariable: "next-public-api-url",
        secrets: { NEXT_PUBLIC_STRIPE_SECRET: "sk_live" },
        gitBranch: "feature/x",
        domains: ["Acme-App.com"],
      }),
    ).toThrow(
      [
        'WebApp "web" has invalid args:',
        '  - project.create.name must be lowercase letters, digits, ".", "_" or "-" (got "Acme App")',
        '  - project.create.gitRepository.type must be one of github, gitlab, bitbucket (got "svn")',
        '  - project.create.gitRepository.repo must be "owner/name" (got "acme")',
        '  - apiUrlVariable must be an environment variable name such as NEXT_PUBLIC_API_URL (got "next-public-api-url")',
        "  - secrets must not use a browser-exposed prefix, or the bundle would ship them: NEXT_PUBLIC_STRIPE_SECRET; rename them or put public values in environment",
        "  - gitBranch scopes preview variables, so apiUrl.preview must be set",
        "  - gitBranch is for a preview stack: remove apiUrl.production (a branch never deploys to production)",
        "  - domains must be lowercase DNS names (got Acme-App.com)",
      ].join("\n"),
    );
  });

  test("a project must be created or referenced, not both", () => {
    expect(() =>
      validateWebAppArgs("web", {
        project: { create: { name: "x" }, existingProjectId: "prj_1" },
        apiUrl: { preview: "https://api" },
      }),
    ).toThrow("  - project must be { create: {...} } or { existingProjectId }, exactly one");
  });
});

describe("WebApp from plain args", () => {
  const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
  /**
   * The component alone. The provider marks every variable value secret, so the records hide them: the variable
   * transform hands each value (as the component passes it) to `values`, by resource name.
   */
  const build = async (args: Partial<WebAppArgs> = {}) => {
    const values: Record<string, pulumi.Input<string> | undefined> = {};
    const result = await recordProgram(STACK, async () => {
      const web = new WebApp("web", {
        project: { create: { name: "acme-web" } },
        apiUrl: { production: "https://api.acme-app.com", preview: "https://api-staging.acme-app.com" },
        transform: {
          variable: (a, _opts, name) => {
            values[name] = a.value;
          },
        },
        ...args,
      });
      return { projectId: web.projectId, url: web.url ?? null, domains: [...web.domains] };
    });
    return { result, values };
  };
  let defaults: SynthResult;
  beforeAll(async () => {
    defaults = (await build()).result;
  });

  test("project settings omitted: Next.js on Node 22.x, previews behind Vercel login, system variables exposed, no repository", () => {
    expect(resource(defaults, T.project, "web-project").inputs).toEqual({
      name: "acme-web",
      framework: "nextjs",
      nodeVersion: "22.x",
      vercelAuthentication: { deploymentType: "standard_protection_new" },
      automaticallyExposeSystemEnvironmentVariables: true,
    });
    expect(defaults.outputs["projectId"]).toBe(resource(defaults, T.project, "web-project").id);
  });

  test("gitRepository.productionBranch omitted: main; the build settings given reach the project", async () => {
    const { result } = await build({
      project: {
        create: {
          name: "acme-web",
          gitRepository: { type: "gitlab", repo: "acme/web" },
          rootDirectory: "apps/web",
          buildCommand: "pnpm build",
          installCommand: "pnpm install",
          outputDirectory: "dist",
          framework: "vite",
          nodeVersion: "20.x",
        },
      },
    });
    expect(resource(result, T.project, "web-project").inputs).toMatchObject({
      gitRepository: { type: "gitlab", repo: "acme/web", productionBranch: "main" },
      rootDirectory: "apps/web",
      buildCommand: "pnpm build",
      installCommand: "pnpm install",
      outputDirectory: "dist",
      framework: "vite",
      nodeVersion: "20.x",
    });
  });

  test("apiUrlVariable omitted: NEXT_PUBLIC_API_URL, plain, one per target with that target's URL", async () => {
    const { result, values } = await build();
    expect(variables(result)).toEqual([
      { key: "NEXT_PUBLIC_API_URL", targets: ["preview"], sensitive: false, branch: undefined },
      { key: "NEXT_PUBLIC_API_URL", targets: ["production"], sensitive: false, branch: undefined },
    ]);
    expect(values).toEqual({
      "web-production-next-public-api-url": "https://api.acme-app.com",
      "web-preview-next-public-api-url": "https://api-staging.acme-app.com",
    });
    for (const v of ofType(result, T.variable)) {
      expect(v.inputs["projectId"]).toBe(resource(result, T.project, "web-project").id);
    }
  });

  test("a target without an API URL gets no variable", async () => {
    const { result } = await build({ apiUrl: { production: "https://api.acme-app.com" } });
    expect(variables(result).map((v) => v.targets)).toEqual([["production"]]);
  });

  test("sentryDsnVariable omitted: the DSN is NEXT_PUBLIC_SENTRY_DSN, plain (public by design), on each target", async () => {
    const { result, values } = await build({ sentryDsn: "https://public@o1.ingest.sentry.io/2" });
    expect(
      ofType(result, T.variable)
        .filter((v) => v.inputs["key"] === "NEXT_PUBLIC_SENTRY_DSN")
        .map((v) => [v.inputs["targets"], v.inputs["sensitive"]]),
    ).toEqual([
      [["preview"], false],
      [["production"], false],
    ]);
    expect(values["web-production-next-public-sentry-dsn"]).toBe("https://public@o1.ingest.sentry.io/2");
  });

  test("secrets are sensitive variables whose values the component marks secret; environment values stay plain", async () => {
    const { result, values } = await build({
      apiUrl: { production: "https://api.acme-app.com" },
      environment: { NEXT_PUBLIC_PLAN: "pro" },
      secrets: { REVALIDATE_TOKEN: "s3cr3t" },
    });
    expect(resource(result, T.variable, "web-production-revalidate-token").inputs).toMatchObject({
      key: "REVALIDATE_TOKEN",
      sensitive: true,
      targets: ["production"],
    });
    expect(resource(result, T.variable, "web-production-next-public-plan").inputs["sensitive"]).toBe(false);
    const token = values["web-production-revalidate-token"] as pulumi.Output<string>;
    expect(await pulumi.isSecret(token)).toBe(true);
    expect(await valueOf(token)).toBe("s3cr3t");
    expect(values["web-production-next-public-plan"]).toBe("pro");
    expect(JSON.stringify(result.resources.map((x) => [x.inputs, x.state]))).not.toContain("s3cr3t");
  });

  test("domains omitted: none attached and no URL", () => {
    expect(ofType(defaults, T.domain)).toEqual([]);
    expect(defaults.outputs["url"]).toBeNull();
    expect(defaults.outputs["domains"]).toEqual([]);
  });

  test("redirectToPrimary omitted: every other domain redirects (308) to the first, which is the URL", async () => {
    const { result } = await build({ domains: ["acme-app.com", "www.acme-app.com", "acme.io"] });
    const primary = resource(result, T.domain, "web-acme-app.com");
    expect(primary.inputs).toEqual({
      projectId: resource(result, T.project, "web-project").id,
      domain: "acme-app.com",
    });
    for (const host of ["www.acme-app.com", "acme.io"]) {
      const d = resource(result, T.domain, `web-${host}`);
      expect(d.inputs).toMatchObject({ domain: host, redirect: "acme-app.com", redirectStatusCode: 308 });
      expect(d.propertyDependencies["redirect"]).toEqual([primary.urn]);
    }
    expect(result.outputs).toMatchObject({
      url: "https://acme-app.com",
      domains: ["acme-app.com", "www.acme-app.com", "acme.io"],
    });
  });

  test("redirectToPrimary: false serves every domain as is", async () => {
    const { result } = await build({ domains: ["acme-app.com", "www.acme-app.com"], redirectToPrimary: false });
    for (const d of ofType(result, T.domain)) expect(d.inputs).not.toHaveProperty("redirect");
  });

  test("protectPreviews: false leaves previews public; a team id reaches the project, variables and domains", async () => {
    const { result } = await build({
      project: { create: { name: "acme-web", protectPreviews: false } },
      teamId: "team_acme",
      domains: ["acme-app.com"],
    });
    expect(resource(result, T.project, "web-project").inputs["vercelAuthentication"]).toEqual({
      deploymentType: "none",
    });
    const vercel = result.resources.filter((x) => x.type.startsWith("vercel:index/"));
    expect(vercel).toHaveLength(4);
    for (const x of vercel) expect(x.inputs["teamId"]).toBe("team_acme");
    expect(defaults.resources.filter((x) => "teamId" in x.inputs)).toEqual([]);
  });

  test("gitBranch on an existing project: variables and domains scoped to the branch, no redirect, no project created", async () => {
    const { result } = await build({
      project: { existingProjectId: "prj_staging123" },
      apiUrl: { preview: "https://api-pr-7.acme-app.com" },
      gitBranch: "feature/checkout",
      domains: ["pr-7.staging.acme-app.com", "pr-7b.staging.acme-app.com"],
    });
    expect(ofType(result, T.project)).toEqual([]);
    expect(result.outputs["projectId"]).toBe("prj_staging123");
    expect(variables(result)).toEqual([
      { key: "NEXT_PUBLIC_API_URL", targets: ["preview"], sensitive: false, branch: "feature/checkout" },
    ]);
    for (const d of ofType(result, T.domain)) {
      expect(d.inputs).toMatchObject({ projectId: "prj_staging123", gitBranch: "feature/checkout" });
      expect(d.inputs).not.toHaveProperty("redirect");
    }
  });

  test("every other problem with the args at once, naming the arg", () => {
    expect(() =>
      validateWebAppArgs("web", {
        project: {} as never,
        apiUrl: {},
        sentryDsnVariable: "sentry-dsn",
        environment: { "api-key": "x" },
        secrets: { token: "y" },
        domains: ["acme-app.com", "acme-app.com"],
      }),
    ).toThrow(
      [
        'WebApp "web" has invalid args:',
        "  - project must be { create: {...} } or { existingProjectId }, exactly one",
        "  - apiUrl must give the API of at least one target (production or preview)",
        '  - sentryDsnVariable must be an environment variable name such as NEXT_PUBLIC_API_URL (got "sentry-dsn")',
        "  - variable names must be UPPER_SNAKE_CASE (got api-key, token)",
        "  - domains must not repeat",
      ].join("\n"),
    );
  });

  test("invalid args declare nothing of the web app, not even its component", async () => {
    const error = await build({ apiUrl: {} }).then(
      () => undefined,
      (e: unknown) => e as SynthError,
    );
    expect(error?.message).toBe(
      'WebApp "web" has invalid args:\n  - apiUrl must give the API of at least one target (production or preview)',
    );
    expect(error?.declared.map((x) => x.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});
