/**
 * A stack whose HTTPS listener sits behind a proxied Cloudflare name, for the origin-authentication rules: the load
 * balancer, the proxied record pointing at it, the listener, and optionally the DnsZone component (which records the
 * stack file's opt-out) and the Cloudflare association of the name.
 */
import type { RecordedResource } from "../../synth/recorder";

/** A recorded resource of the production stack; `inputsFrom` are the resources each input comes from. */
function rec(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: { inputsFrom?: Record<string, string[]> } = {},
): RecordedResource {
  const inputsFrom = extra.inputsFrom ?? {};
  return {
    urn: `urn:pulumi:production::saas-platform::${type}::${name}`,
    type,
    name,
    custom: true,
    inputs,
    secretInputs: [],
    options: {},
    dependencies: [...new Set(Object.values(inputsFrom).flat())],
    propertyDependencies: inputsFrom,
  };
}

export const T = {
  lb: "aws:lb/loadBalancer:LoadBalancer",
  listener: "aws:lb/listener:Listener",
  record: "cloudflare:index/dnsRecord:DnsRecord",
  association: "cloudflare:index/authenticatedOriginPulls:AuthenticatedOriginPulls",
  trustStore: "aws:lb/trustStore:TrustStore",
  zone: "saas-platform:components:DnsZone",
} as const;

export const HOST = "api.acme-app.com";
export const lb = rec(T.lb, "api-alb", { dropInvalidHeaderFields: true });
export const record = (proxied = true) =>
  rec(T.record, `dns-api-${HOST}`, { name: HOST, type: "CNAME", proxied }, { inputsFrom: { content: [lb.urn] } });
export const trustStore = rec(T.trustStore, "origin-trust-store", {});
export const association = rec(T.association, `origin-${HOST}`, {
  configs: [{ hostname: HOST, certId: "c", enabled: true }],
});
export const zone = (authenticatedOriginPulls: boolean) => ({
  ...rec(T.zone, "dns", { apexDomain: "acme-app.com", plan: "free", authenticatedOriginPulls }),
  custom: false,
});

/** The HTTPS listener with the given mutual authentication, waiting for `waits` (URNs) through it. */
export const listener = (mutualAuthentication: Record<string, unknown> | undefined, waits: string[] = []) =>
  rec(
    T.listener,
    "api-https",
    { protocol: "HTTPS", ...(mutualAuthentication === undefined ? {} : { mutualAuthentication }) },
    { inputsFrom: { loadBalancerArn: [lb.urn], ...(waits.length > 0 ? { mutualAuthentication: waits } : {}) } },
  );

/** A load balancer behind a proxied name and its HTTPS listener (no mutual authentication when `{}`). */
export const stack = (mutualAuthentication: Record<string, unknown>): RecordedResource[] => [
  lb,
  record(),
  listener(Object.keys(mutualAuthentication).length === 0 ? undefined : mutualAuthentication),
];
