import { WebApp, validateWebAppArgs } from "../../components/web-app";
import { recordProgram, type SynthResult } from "../../synth/synth";
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
