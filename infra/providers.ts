import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as sentry from "@pulumiverse/sentry";
import * as vercel from "@pulumiverse/vercel";
import type { Settings } from "./environments";
import { standardTags } from "./tags";

/** The explicit providers a stack passes to its components. */
export type Providers =
  | {
      readonly target: "aws";
      readonly aws: aws.Provider;
      readonly vercel: vercel.Provider | undefined;
      readonly cloudflare: cloudflare.Provider | undefined;
      readonly sentry: sentry.Provider | undefined;
      /** us-east-1, where Route 53 health checks publish their metrics (uptime alarms live there). */
      readonly awsUsEast1: aws.Provider;
    }
  | { readonly target: "docker"; readonly docker: docker.Provider };

/**
 * One explicit provider per target, so a stack never falls back to ambient credentials' default region and every AWS
 * resource gets the standard tags through `defaultTags`. Credentials still come from the environment, a profile or
 * ESC, never from this program.
 */
export function createProviders(settings: Settings): Providers {
  if (settings.target === "docker") {
    return {
      target: "docker",
      docker: new docker.Provider("docker", {}),
    };
  }
  if (settings.awsRegion === undefined) {
    throw new pulumi.RunError(`${settings.stackFile}: ${settings.project}:awsRegion is required for a cloud stack`);
  }
  return {
    target: "aws",
    // The Vercel token comes from VERCEL_API_TOKEN in the environment (CI secret or your shell), never from config.
    vercel:
      settings.web === undefined
        ? undefined
        : new vercel.Provider("vercel", settings.web.team === undefined ? {} : { team: settings.web.team }),
    // The Cloudflare token comes from CLOUDFLARE_API_TOKEN in the environment, never from config.
    cloudflare: settings.dns === undefined ? undefined : new cloudflare.Provider("cloudflare", {}),
    // The Sentry token comes from SENTRY_TOKEN in the environment, never from config.
    sentry: settings.monitoring.sentry === undefined ? undefined : new sentry.Provider("sentry", {}),
    awsUsEast1: new aws.Provider("aws-us-east-1", {
      region: "us-east-1",
      ...(settings.awsAccountId === undefined ? {} : { allowedAccountIds: [settings.awsAccountId] }),
      defaultTags: { tags: { ...standardTags(settings) } },
    }),
    aws: new aws.Provider("aws", {
      region: settings.awsRegion,
      // With the account pinned, credentials for the wrong account (staging keys on a production stack) fail before
      // any change instead of deploying into it.
      ...(settings.awsAccountId === undefined ? {} : { allowedAccountIds: [settings.awsAccountId] }),
      defaultTags: { tags: { ...standardTags(settings) } },
    }),
  };
}
