import * as pulumi from "@pulumi/pulumi";
import * as sentry from "@pulumiverse/sentry";
import { throwIfInvalid } from "../validation";

/** Arguments of {@link SentryProjects}. */
export interface SentryProjectsArgs {
  /** The Sentry organisation slug. */
  readonly organization: string;
  /** The team that owns the projects. */
  readonly team: string;
  /** Project names are `<prefix>-api` and `<prefix>-web`. @example "acme-app" */
  readonly prefix: string;
}

/**
 * Sentry projects for the API and the web app, with one client key per stack. Their DSNs feed `SENTRY_DSN` of the
 * API and the Sentry variable of the web app. Created before the apps, which need the DSNs.
 */
export class SentryProjects extends pulumi.ComponentResource {
  /** DSN of this stack's key on the API project (public by design: SDKs embed it). */
  public readonly apiDsn: pulumi.Output<string>;
  public readonly webDsn: pulumi.Output<string>;

  constructor(name: string, args: SentryProjectsArgs, opts?: pulumi.ComponentResourceOptions) {
    validateSentryArgs(name, args);
    super("saas-platform:components:SentryProjects", name, {}, opts);
    const dsn = (app: "api" | "web") => {
      const project = new sentry.SentryProject(
        `${name}-${app}`,
        {
          organization: args.organization,
          teams: [args.team],
          name: `${args.prefix}-${app}`,
          slug: `${args.prefix}-${app}`,
          // No `platform`: terraform-provider-sentry v0.11.2 (inside @pulumiverse/sentry 0.0.9) validates it by
          // fetching docs.sentry.io during every preview, which has broken previews before (jianyuan/
          // terraform-provider-sentry #288, #314, #701). Left unset it is not validated; pick it in Sentry's UI.
        },
        // Projects hold every stack's issues: a stack going away must not delete them.
        { parent: this, retainOnDelete: true },
      );
      const key = new sentry.SentryKey(
        `${name}-${app}`,
        { organization: args.organization, project: project.slug, name: `${pulumi.getStack()}` },
        { parent: this },
      );
      return key.dsnPublic;
    };
    this.apiDsn = dsn("api");
    this.webDsn = dsn("web");
    this.registerOutputs({ apiDsn: this.apiDsn, webDsn: this.webDsn });
  }
}

const SLUG = /^[a-z0-9][a-z0-9_-]{0,49}$/;

export function validateSentryArgs(name: string, args: SentryProjectsArgs): void {
  const problems = (["organization", "team", "prefix"] as const)
    .filter((key) => !SLUG.test(args[key]))
    .map((key) => `${key} must be a Sentry slug (lowercase letters, digits, - and _) (got "${args[key]}")`);
  throwIfInvalid("SentryProjects", name, problems);
}
