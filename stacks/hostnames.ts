import type { Settings } from "../infra/environments";

/** The public hostnames of a stack, derived from its `domain` (one convention for DNS, certificates and URLs). */
export interface Hostnames {
  /** The zone's apex. */
  readonly apex: string;
  /** Served by Vercel; the first is the primary. */
  readonly web: readonly string[];
  /** Served by the API's load balancer. */
  readonly api: string;
}

/**
 * production (`acme-app.com`): acme-app.com, www.acme-app.com, api.acme-app.com.
 * staging (`staging.acme-app.com`): staging.acme-app.com, api.staging.acme-app.com.
 * pr-<n> (staging's domain): pr-<n>.staging.acme-app.com, api.pr-<n>.staging.acme-app.com.
 * Non-production domains sit one level under the apex.
 */
export function hostnames(settings: Pick<Settings, "environment" | "domain" | "previewNumber">): Hostnames {
  const { domain } = settings;
  if (settings.environment === "production")
    return { apex: domain, web: [domain, `www.${domain}`], api: `api.${domain}` };
  const apex = domain.slice(domain.indexOf(".") + 1);
  if (settings.environment === "preview") {
    const host = `pr-${settings.previewNumber ?? 0}.${domain}`;
    return { apex, web: [host], api: `api.${host}` };
  }
  return { apex, web: [domain], api: `api.${domain}` };
}
