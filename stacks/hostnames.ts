import type { Settings } from "../infra/environments";

/** The public hostnames of a stack, derived from its `domain` (one convention for DNS, certificates and URLs). */
export interface Hostnames {
  /** The zone's apex. */
  readonly apex: string;
  /** Served by Vercel (not proxied: Vercel issues their certificates); the first is the primary. */
  readonly web: readonly string[];
  /** Served by the API's load balancer, proxied through Cloudflare. */
  readonly api: string;
  /** The further HTTP services' names by service (behind the same load balancer, proxied): one label below the apex. */
  readonly services: Readonly<Record<string, string>>;
}

/** Every proxied name of the stack: the API's, then each HTTP service's. */
export const proxiedHostnames = (hosts: Hostnames): string[] => [hosts.api, ...Object.values(hosts.services)];

/**
 * production (`acme-app.com`): acme-app.com, www.acme-app.com, api.acme-app.com, and `<host>.acme-app.com` per HTTP
 * service (ai.acme-app.com).
 * staging (`staging.acme-app.com`): staging.acme-app.com, api-staging.acme-app.com, ai-staging.acme-app.com.
 * pr-<n> (staging's domain): pr-<n>.staging.acme-app.com, api-pr-<n>.acme-app.com, ai-pr-<n>.acme-app.com.
 *
 * Every proxied name (the API's) is the apex or one label below it: Cloudflare's Universal SSL certificate covers the
 * apex and `*.<apex>` only, so a deeper proxied name such as `api.staging.<apex>` fails TLS at the edge (Cloudflare
 * SSL/TLS docs, "Universal SSL: limitations"). Web names may be deeper: they are not proxied.
 */
export function hostnames(
  settings: Pick<Settings, "environment" | "domain" | "previewNumber"> & Partial<Pick<Settings, "services">>,
): Hostnames {
  const { domain } = settings;
  const http = (settings.services ?? []).flatMap((s) => (s.kind === "http" ? [[s.name, s.host] as const] : []));
  const named = (host: (label: string) => string) =>
    Object.fromEntries(http.map(([name, label]) => [name, host(label)]));
  if (settings.environment === "production")
    return {
      apex: domain,
      web: [domain, `www.${domain}`],
      api: `api.${domain}`,
      services: named((label) => `${label}.${domain}`),
    };
  const stage = domain.slice(0, domain.indexOf("."));
  const apex = domain.slice(domain.indexOf(".") + 1);
  const suffix = settings.environment === "preview" ? `pr-${settings.previewNumber ?? 0}` : stage;
  return {
    apex,
    web: [settings.environment === "preview" ? `${suffix}.${domain}` : domain],
    api: `api-${suffix}.${apex}`,
    services: named((label) => `${label}-${suffix}.${apex}`),
  };
}

/** The API of the staging stack whose domain is `staging.<apex>`: production's preview deployments call it. */
export const stagingApiHost = (apex: string): string => `api-staging.${apex}`;
