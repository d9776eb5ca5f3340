import * as pulumi from "@pulumi/pulumi";
import * as vercel from "@pulumiverse/vercel";
import { transform, type Transform } from "../transform";
import { HOSTNAME, throwIfInvalid } from "../validation";

export const GIT_PROVIDERS = ["github", "gitlab", "bitbucket"] as const;

/** A Vercel project this component creates and owns. */
export interface VercelProjectSettings {
  /** The Vercel project's name. @example "acme-app-production" */
  readonly name: string;
  /** Vercel framework preset. @default "nextjs" */
  readonly framework?: string;
  /** The frontend's repository; pushes to `productionBranch` deploy production, other branches previews. */
  readonly gitRepository?: {
    readonly type: (typeof GIT_PROVIDERS)[number];
    /** `owner/name`. */
    readonly repo: string;
    /** @default "main" */
    readonly productionBranch?: string;
  };
  /** Folder of the frontend in a monorepo. */
  readonly rootDirectory?: string;
  readonly buildCommand?: string;
  readonly installCommand?: string;
  readonly outputDirectory?: string;
  /** @default "22.x" */
  readonly nodeVersion?: string;
  /**
   * Require Vercel login to open preview deployments (they may show unreleased work and call non-production APIs).
   * Production stays public.
   * @default true
   */
  readonly protectPreviews?: boolean;
}

/** Arguments of {@link WebApp}. */
export interface WebAppArgs {
  /** Create a project, or add this stack's variables to an existing one (a PR preview adds to staging's). */
  readonly project: { readonly create: VercelProjectSettings } | { readonly existingProjectId: pulumi.Input<string> };
  /**
   * The API each Vercel target calls. Give `production` and/or `preview`; a target without a URL gets no variable.
   * @example { production: "https://api.acme-app.com", preview: "https://api-staging.acme-app.com" }
   */
  readonly apiUrl: { readonly production?: pulumi.Input<string>; readonly preview?: pulumi.Input<string> };
  /** The variable the frontend reads the API URL from. @default "NEXT_PUBLIC_API_URL" */
  readonly apiUrlVariable?: string;
  /** Sentry DSN for the browser (public by design), set on every target that has an API URL. */
  readonly sentryDsn?: pulumi.Input<string>;
  /** @default "NEXT_PUBLIC_SENTRY_DSN" */
  readonly sentryDsnVariable?: string;
  /** More plain variables for the targets that have an API URL. */
  readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Server-side secrets, stored as Vercel *sensitive* variables (write-only). Never `NEXT_PUBLIC_*`. */
  readonly secrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Scope the preview variables (and domains) to one git branch: the PR's frontend calls the PR's API. */
  readonly gitBranch?: string;
  /**
   * Domains to attach; the first is the primary. With `redirectToPrimary`, the others redirect (308) to it.
   * @example ["acme-app.com", "www.acme-app.com"]
   */
  readonly domains?: readonly string[];
  /** @default true */
  readonly redirectToPrimary?: boolean;
  /** Vercel team id or slug, when the project lives in a team (usually set on the provider instead). */
  readonly teamId?: string;
  readonly transform?: {
    readonly project?: Transform<vercel.ProjectArgs>;
    readonly variable?: Transform<vercel.ProjectEnvironmentVariableArgs>;
    readonly domain?: Transform<vercel.ProjectDomainArgs>;
  };
}

type Target = "production" | "preview";

/**
 * The frontend on Vercel: the project (framework, repository, build settings, protected previews), its environment
 * variables per target (the API URL under the name the framework reads, the Sentry DSN, sensitive secrets) and its
 * domains. A preview stack scopes its variables to the PR's branch on an existing project.
 */
export class WebApp extends pulumi.ComponentResource {
  public readonly projectId: pulumi.Output<string>;
  /** `https://<primary domain>`, when domains are attached. */
  public readonly url: pulumi.Output<string> | undefined;
  public readonly domains: readonly string[];

  constructor(name: string, args: WebAppArgs, opts?: pulumi.ComponentResourceOptions) {
    validateWebAppArgs(name, args);
    super("saas-platform:components:WebApp", name, {}, opts);
    const t = args.transform ?? {};
    const childOpts: pulumi.CustomResourceOptions = { parent: this };
    const team = args.teamId === undefined ? {} : { teamId: args.teamId };

    // Decided by value, as the check does: `{ create: undefined, existingProjectId }` names an existing project.
    const { create, existingProjectId } = args.project as {
      create?: VercelProjectSettings;
      existingProjectId?: pulumi.Input<string>;
    };
    if (create !== undefined) {
      const p = create;
      const project = new vercel.Project(
        ...transform(
          t.project,
          `${name}-project`,
          {
            name: p.name,
            framework: p.framework ?? "nextjs",
            ...(p.gitRepository === undefined
              ? {}
              : {
                  gitRepository: {
                    type: p.gitRepository.type,
                    repo: p.gitRepository.repo,
                    productionBranch: p.gitRepository.productionBranch ?? "main",
                  },
                }),
            ...(p.rootDirectory === undefined ? {} : { rootDirectory: p.rootDirectory }),
            ...(p.buildCommand === undefined ? {} : { buildCommand: p.buildCommand }),
            ...(p.installCommand === undefined ? {} : { installCommand: p.installCommand }),
            ...(p.outputDirectory === undefined ? {} : { outputDirectory: p.outputDirectory }),
            nodeVersion: p.nodeVersion ?? "22.x",
            // "standard_protection_new" is Standard Protection (every deployment but the production domains);
            // "standard_protection" is the provider's legacy mode (vercel/terraform-provider-vercel resource_project.go).
            vercelAuthentication: {
              deploymentType: (p.protectPreviews ?? true) ? "standard_protection_new" : "none",
            },
            // VERCEL_ENV, VERCEL_URL and friends: frameworks read them at build and run time.
            automaticallyExposeSystemEnvironmentVariables: true,
            ...team,
          },
          { ...childOpts },
        ),
      );
      this.projectId = project.id;
    } else {
      // The check made sure it is set when `create` is not.
      this.projectId = pulumi.output(existingProjectId as pulumi.Input<string>);
    }

    const variable = (key: string, value: pulumi.Input<string>, target: Target, sensitive: boolean) =>
      new vercel.ProjectEnvironmentVariable(
        ...transform(
          t.variable,
          `${name}-${target}-${key.toLowerCase().replace(/_/g, "-")}`,
          {
            projectId: this.projectId,
            key,
            value: sensitive ? pulumi.secret(value) : value,
            targets: [target],
            sensitive,
            ...(target === "preview" && args.gitBranch !== undefined ? { gitBranch: args.gitBranch } : {}),
            ...team,
          },
          { ...childOpts },
        ),
      );

    for (const target of ["production", "preview"] as const) {
      const apiUrl = args.apiUrl[target];
      if (apiUrl === undefined) continue;
      variable(args.apiUrlVariable ?? "NEXT_PUBLIC_API_URL", apiUrl, target, false);
      if (args.sentryDsn !== undefined) {
        variable(args.sentryDsnVariable ?? "NEXT_PUBLIC_SENTRY_DSN", args.sentryDsn, target, false);
      }
      for (const [key, value] of Object.entries(args.environment ?? {})) variable(key, value, target, false);
      for (const [key, value] of Object.entries(args.secrets ?? {})) variable(key, value, target, true);
    }

    this.domains = [...(args.domains ?? [])];
    const [primary, ...others] = this.domains;
    const domain = (host: string, redirect: pulumi.Input<string> | undefined) =>
      new vercel.ProjectDomain(
        ...transform(
          t.domain,
          `${name}-${host}`,
          {
            projectId: this.projectId,
            domain: host,
            ...(redirect === undefined ? {} : { redirect, redirectStatusCode: 308 }),
            ...(args.gitBranch === undefined ? {} : { gitBranch: args.gitBranch }),
            ...team,
          },
          { ...childOpts },
        ),
      );
    if (primary !== undefined) {
      const target = domain(primary, undefined);
      const redirect = (args.redirectToPrimary ?? true) && args.gitBranch === undefined;
      // A redirect names a domain of the project: taking it from the primary's resource makes the redirect wait
      // until Vercel has that domain.
      for (const host of others) domain(host, redirect ? target.domain : undefined);
    }
    this.url = primary === undefined ? undefined : pulumi.output(`https://${primary}`);
    this.registerOutputs({ projectId: this.projectId, url: this.url });
  }
}

const VARIABLE = /^[A-Z][A-Z0-9_]*$/;

/** Every problem with the args at once, before any child is declared. */
export function validateWebAppArgs(name: string, args: WebAppArgs): void {
  const problems: string[] = [];
  const project = args.project as { create?: VercelProjectSettings; existingProjectId?: unknown };
  if ((project.create === undefined) === (project.existingProjectId === undefined)) {
    problems.push("project must be { create: {...} } or { existingProjectId }, exactly one");
  }
  const p = project.create;
  if (p !== undefined) {
    if (!/^[a-z0-9][a-z0-9._-]{0,99}$/.test(p.name)) {
      problems.push(`project.create.name must be lowercase letters, digits, ".", "_" or "-" (got "${p.name}")`);
    }
    const git = p.gitRepository;
    if (git !== undefined && !GIT_PROVIDERS.includes(git.type)) {
      problems.push(
        `project.create.gitRepository.type must be one of ${GIT_PROVIDERS.join(", ")} (got "${String(git.type)}")`,
      );
    }
    if (git !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(git.repo)) {
      problems.push(`project.create.gitRepository.repo must be "owner/name" (got "${git.repo}")`);
    }
  }
  if (args.apiUrl.production === undefined && args.apiUrl.preview === undefined) {
    problems.push("apiUrl must give the API of at least one target (production or preview)");
  }
  for (const [key, value] of [
    ["apiUrlVariable", args.apiUrlVariable],
    ["sentryDsnVariable", args.sentryDsnVariable],
  ] as const) {
    if (value !== undefined && !VARIABLE.test(value)) {
      problems.push(`${key} must be an environment variable name such as NEXT_PUBLIC_API_URL (got "${value}")`);
    }
  }
  const badKeys = [...Object.keys(args.environment ?? {}), ...Object.keys(args.secrets ?? {})].filter(
    (k) => !VARIABLE.test(k),
  );
  if (badKeys.length > 0) problems.push(`variable names must be UPPER_SNAKE_CASE (got ${badKeys.join(", ")})`);
  // One Vercel variable per key and target: a key given twice would be two resources of one name.
  const keys = [
    args.apiUrlVariable ?? "NEXT_PUBLIC_API_URL",
    ...(args.sentryDsn === undefined ? [] : [args.sentryDsnVariable ?? "NEXT_PUBLIC_SENTRY_DSN"]),
    ...Object.keys(args.environment ?? {}),
    ...Object.keys(args.secrets ?? {}),
  ];
  const repeated = [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
  if (repeated.length > 0) {
    problems.push(
      `variable names must not repeat across apiUrlVariable, sentryDsnVariable, environment and secrets (got ${repeated.join(", ")} more than once)`,
    );
  }
  const publicSecrets = Object.keys(args.secrets ?? {}).filter((k) =>
    /^(NEXT_PUBLIC_|VITE_|PUBLIC_|REACT_APP_|NUXT_PUBLIC_)/.test(k),
  );
  if (publicSecrets.length > 0) {
    problems.push(
      `secrets must not use a browser-exposed prefix, or the bundle would ship them: ${publicSecrets.join(", ")}; rename them or put public values in environment`,
    );
  }
  if (args.gitBranch !== undefined && args.apiUrl.preview === undefined) {
    problems.push("gitBranch scopes preview variables, so apiUrl.preview must be set");
  }
  if (args.gitBranch !== undefined && args.apiUrl.production !== undefined) {
    problems.push("gitBranch is for a preview stack: remove apiUrl.production (a branch never deploys to production)");
  }
  const badDomains = (args.domains ?? []).filter((d) => !HOSTNAME.test(d));
  if (badDomains.length > 0) problems.push(`domains must be lowercase DNS names (got ${badDomains.join(", ")})`);
  if (new Set(args.domains ?? []).size !== (args.domains ?? []).length) problems.push("domains must not repeat");
  throwIfInvalid("WebApp", name, problems);
}
