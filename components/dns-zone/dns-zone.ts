import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { transform, type Transform } from "../transform";
import { HOSTNAME, throwIfInvalid } from "../validation";
import {
  CLOUDFLARE_MANAGED_RULESET_ID,
  CLOUDFLARE_PLANS,
  managedWafAvailable,
  DEFAULT_AUTH_PATHS,
  RATE_LIMIT_PLANS,
  rateLimitProblems,
  resolveRateLimits,
  type CloudflarePlan,
  type RateLimit,
  type RateLimits,
} from "./plans";

/** Zone settings this component enforces, one `ZoneSetting` each (the v5 API has no bulk override any more). */
export const ZONE_SETTINGS = {
  ssl: "strict",
  always_use_https: "on",
  min_tls_version: "1.2",
  tls_1_3: "on",
  automatic_https_rewrites: "on",
  http3: "on",
  brotli: "on",
} as const;

/**
 * CAs allowed to issue for the zone: Cloudflare's edge certificates (Let's Encrypt, Google Trust Services, SSL.com)
 * and Amazon for the ACM certificate of the load balancer. Anything else is refused by CAA-checking CAs.
 */
export const CAA_ISSUERS = [
  "letsencrypt.org",
  "pki.goog",
  "ssl.com",
  "amazon.com",
  "amazontrust.com",
  "awstrust.com",
  "amazonaws.com",
] as const;

/** Vercel's published targets for custom domains. */
export const VERCEL_APEX_IP = "76.76.21.21";
export const VERCEL_CNAME = "cname.vercel-dns.com";

/** Arguments of {@link DnsZone}. */
export interface DnsZoneArgs {
  /** Create the zone (in a Cloudflare account), or adopt an existing one by id. */
  readonly zone:
    | { readonly create: { readonly name: string; readonly accountId: string } }
    | { readonly existingZoneId: pulumi.Input<string> };
  /**
   * Manage zone-wide things: settings, DNSSEC, CAA, the rate-limit and header rulesets. Exactly one stack per zone
   * does (the production stack, which owns the apex); other stacks only add their records.
   * @default true when the zone is created here
   */
  readonly manageZone?: boolean;
  /** Hostnames of the API: the ACM certificate covers them and `pointApiAt` points them at the load balancer. */
  readonly apiHostnames: readonly string[];
  /**
   * The first labels of every stack's proxied service names, which the zone's rate-limit rules match on plans that
   * can test the host (`api` matches `api.<apex>`, `api-staging.<apex>`, `api-pr-7.<apex>`). Only the zone owner's
   * rulesets read it.
   * @default ["api"]
   */
  readonly rateLimitedHostLabels?: readonly string[];
  /** Hostnames served by Vercel: the apex gets Vercel's A record, subdomains a CNAME (never proxied, as Vercel requires). */
  readonly webHostnames?: readonly string[];
  /** The zone's apex, to tell apex from subdomains in `webHostnames`. */
  readonly apexDomain: string;
  /**
   * HSTS with `preload` in the header the edge adds. It reaches proxied hosts only (the API): names pointing at Vercel
   * unproxied get Vercel's headers instead (see docs/components/dns-zone.md). @default false
   */
  readonly hstsPreload?: boolean;
  /**
   * The zone's Cloudflare plan, which bounds the rate-limiting rules (count, fields, periods). The API refuses rules
   * beyond the plan. @default "free"
   */
  readonly plan?: CloudflarePlan;
  /**
   * Rate limits per client: a strict one on authentication paths and, from the Pro plan, one on every API request.
   * @default - the plan's {@link DEFAULT_RATE_LIMITS}: Free 5 per 10 s on /auth, /login, /signup, /password; Pro 10
   * per 60 s there and 600 per 60 s on the API
   */
  readonly rateLimits?: RateLimits;
  /**
   * Whether the API's proxied names authenticate to the origin with a client certificate of this app
   * (`OriginAuthentication`). Recorded on the component for the policy pack: `false` is the stack file's explicit
   * opt-out, the only case in which a proxied listener may skip mutual TLS. @default true
   */
  readonly authenticatedOriginPulls?: boolean;
  /** Pulumi `protect` on DNSSEC (deleting it while the DS record is at the registrar breaks resolution). @default false */
  readonly protect?: boolean;
  /** TTL of records that are not proxied (seconds; proxied records use Cloudflare's automatic TTL). @default 300 */
  readonly ttl?: number;
  readonly transform?: {
    readonly zone?: Transform<cloudflare.ZoneArgs>;
    readonly record?: Transform<cloudflare.DnsRecordArgs>;
    readonly certificate?: Transform<aws.acm.CertificateArgs>;
    readonly rateLimitRuleset?: Transform<cloudflare.RulesetArgs>;
    readonly headersRuleset?: Transform<cloudflare.RulesetArgs>;
    readonly wafRuleset?: Transform<cloudflare.RulesetArgs>;
  };
}

/**
 * The Cloudflare zone of the app: strict TLS everywhere, DNSSEC, CAA, the records of this stack, the ACM certificate
 * of the API validated through the zone, rate limiting and security headers at the edge.
 */
export class DnsZone extends pulumi.ComponentResource {
  public readonly zoneId: pulumi.Output<string>;
  /** Name servers to set at the registrar (created zones only). */
  public readonly nameServers: pulumi.Output<string[]> | undefined;
  /** The DS record to add at the registrar (zone owner only). */
  public readonly dsRecord: pulumi.Output<string> | undefined;
  /** The API certificate's ARN, available once ACM has validated it: the HTTPS listener waits on this. */
  public readonly certificateArn: pulumi.Output<string>;
  private readonly componentName: string;
  private readonly ttl: number;

  constructor(name: string, args: DnsZoneArgs, opts?: pulumi.ComponentResourceOptions) {
    validateDnsZoneArgs(name, args);
    // The apex and plan are recorded on the component so the policy pack can check every proxied name against the
    // edge certificate and the rulesets against the plan, and the origin-pull switch so it knows an opt-out.
    super(
      "saas-platform:components:DnsZone",
      name,
      {
        apexDomain: args.apexDomain,
        plan: args.plan ?? "free",
        authenticatedOriginPulls: args.authenticatedOriginPulls ?? true,
      },
      opts,
    );
    this.componentName = name;
    this.ttl = args.ttl ?? 300;
    const t = args.transform ?? {};
    const childOpts: pulumi.CustomResourceOptions = { parent: this };
    const manage = args.manageZone ?? "create" in args.zone;

    if ("create" in args.zone) {
      const zone = new cloudflare.Zone(
        ...transform(
          t.zone,
          `${name}-zone`,
          { name: args.zone.create.name, account: { id: args.zone.create.accountId }, type: "full" },
          // The zone holds every record of every environment: never deleted by accident.
          { ...childOpts, protect: true },
        ),
      );
      this.zoneId = zone.id;
      this.nameServers = zone.nameServers;
    } else {
      this.zoneId = pulumi.output(args.zone.existingZoneId);
      this.nameServers = undefined;
    }
    const zoneId = this.zoneId;
    const record = (id: string, recordArgs: Omit<cloudflare.DnsRecordArgs, "zoneId">) => {
      const [recordName, finalArgs, finalOpts] = transform(
        t.record,
        `${name}-${id}`,
        { zoneId, ...recordArgs },
        { ...childOpts },
      );
      // ACM only sees records that resolve to its value: a proxied validation record never validates.
      if (id.startsWith("acm-") && finalArgs.proxied === true) {
        throw new pulumi.RunError(
          `DnsZone "${name}": the ACM validation record ${recordName} must not be proxied (a transform set proxied: true); ACM cannot validate through Cloudflare's proxy`,
        );
      }
      return new cloudflare.DnsRecord(recordName, finalArgs, finalOpts);
    };

    if (manage) {
      for (const [settingId, value] of Object.entries(ZONE_SETTINGS)) {
        new cloudflare.ZoneSetting(
          `${name}-${settingId.replace(/_/g, "-")}`,
          { zoneId, settingId, value },
          { ...childOpts },
        );
      }
      // The API reports "pending" until the DS record is at the registrar (docs/components/dns-zone.md#dnssec): the
      // status is set once and then ignored, so drift checks stay quiet meanwhile.
      const dnssec = new cloudflare.ZoneDnssec(
        `${name}-dnssec`,
        { zoneId, status: "active" },
        { ...childOpts, protect: args.protect ?? false, ignoreChanges: ["status"] },
      );
      this.dsRecord = dnssec.ds;
      for (const issuer of CAA_ISSUERS) {
        for (const tag of ["issue", "issuewild"] as const) {
          record(`caa-${tag}-${issuer.replace(/\./g, "-")}`, {
            name: args.apexDomain,
            type: "CAA",
            ttl: this.ttl,
            data: { flags: 0, tag, value: issuer },
          });
        }
      }
      rulesets(name, args, zoneId, this);
      if (managedWafAvailable(args.plan ?? "free")) managedWaf(name, args, zoneId, this);
    } else {
      this.dsRecord = undefined;
    }

    for (const host of args.webHostnames ?? []) {
      const apex = host === args.apexDomain;
      record(`web-${host}`, {
        name: host,
        type: apex ? "A" : "CNAME",
        content: apex ? VERCEL_APEX_IP : VERCEL_CNAME,
        // Vercel issues the certificate and must see the requests itself.
        proxied: false,
        ttl: this.ttl,
        comment: "Vercel (frontend)",
      });
    }

    // The API certificate, validated by DNS records in this zone (never proxied: ACM must see them).
    const [primary, ...alternatives] = args.apiHostnames;
    const certificate = new aws.acm.Certificate(
      ...transform(
        t.certificate,
        `${name}-api-certificate`,
        {
          domainName: primary!,
          subjectAlternativeNames: alternatives,
          validationMethod: "DNS",
          keyAlgorithm: "RSA_2048",
          options: { certificateTransparencyLoggingPreference: "ENABLED" },
        },
        // A replacement certificate must exist before the listener lets go of the old one.
        { ...childOpts },
      ),
    );
    const validationRecords = args.apiHostnames.map((host) => {
      const option = certificate.domainValidationOptions.apply((options) => {
        const found = options.find((o) => o.domainName === host);
        if (!found) throw new pulumi.ResourceError(`ACM returned no validation record for ${host}`, this);
        return found;
      });
      return record(`acm-${host}`, {
        name: option.apply((o) => o.resourceRecordName.replace(/\.$/, "")),
        type: option.apply((o) => o.resourceRecordType),
        content: option.apply((o) => o.resourceRecordValue.replace(/\.$/, "")),
        proxied: false,
        ttl: 60,
        comment: `ACM validation for ${host}`,
      });
    });
    const validation = new aws.acm.CertificateValidation(
      `${name}-api-certificate`,
      { certificateArn: certificate.arn, validationRecordFqdns: validationRecords.map((r) => r.name) },
      { ...childOpts },
    );
    this.certificateArn = validation.certificateArn;

    this.registerOutputs({ zoneId: this.zoneId, certificateArn: this.certificateArn, dsRecord: this.dsRecord });
  }

  /**
   * Points the API's hostnames at the load balancer, proxied through Cloudflare (TLS, rate limits and headers apply;
   * the load balancer should then admit only Cloudflare, see `cloudflareOriginPrefixLists`).
   */
  pointApiAt(
    hostnames: readonly string[],
    loadBalancerDnsName: pulumi.Input<string>,
    proxied = true,
    /** What must be ready before the names resolve, e.g. the origin-pull associations (`OriginAuthentication.ready`). */
    readyFirst: pulumi.Input<unknown> = [],
  ): void {
    for (const host of hostnames) {
      new cloudflare.DnsRecord(
        `${this.componentName}-api-${host}`,
        {
          zoneId: this.zoneId,
          name: host,
          type: "CNAME",
          content: pulumi.all([loadBalancerDnsName, readyFirst]).apply(([dnsName]) => dnsName),
          proxied,
          ttl: proxied ? 1 : this.ttl,
          comment: "API load balancer",
        },
        { parent: this },
      );
    }
  }
}

/** Rate limiting and security headers: zone entry-point rulesets, one per phase, so only the zone owner has them. */
function rulesets(name: string, args: DnsZoneArgs, zoneId: pulumi.Output<string>, parent: DnsZone): void {
  const t = args.transform ?? {};
  const plan = args.plan ?? "free";
  const limits = resolveRateLimits(plan, args.rateLimits);
  const auth = limits.auth!;
  const authPaths = (auth.paths ?? DEFAULT_AUTH_PATHS)
    .map((p) => `starts_with(http.request.uri.path, "${p}")`)
    .join(" or ");
  // Every stack's names of each HTTP service (api., api-staging., api-pr-<n>., ai., ...): the zone's one ruleset, the
  // zone owner's (production's), serves them all, so a host only staging has is not covered. The Free plan cannot
  // test the host: its rules match the path on every proxied name (the frontend is not proxied).
  const apiHost = (args.rateLimitedHostLabels ?? ["api"])
    .map((label) => `starts_with(http.host, "${label}.") or starts_with(http.host, "${label}-")`)
    .join(" or ");
  const hostTest = RATE_LIMIT_PLANS[plan].hostInExpression;
  const rule = (description: string, expression: string, l: RateLimit) => ({
    description,
    expression,
    action: "block",
    ratelimit: {
      // Per client IP; Cloudflare counts per data centre, hence cf.colo.id (required by the API).
      characteristics: ["cf.colo.id", "ip.src"],
      period: l.periodSeconds,
      requestsPerPeriod: l.requests,
      mitigationTimeout: mitigationTimeout(plan, l.periodSeconds),
    },
    enabled: true,
  });
  new cloudflare.Ruleset(
    ...transform(
      t.rateLimitRuleset,
      `${name}-rate-limits`,
      {
        zoneId,
        name: "API rate limits",
        description: "Per-client limits on the API, stricter on authentication",
        kind: "zone",
        phase: "http_ratelimit",
        rules: [
          rule(
            `Authentication: ${auth.requests} requests per ${auth.periodSeconds} s per client`,
            hostTest ? `((${apiHost}) and (${authPaths}))` : `(${authPaths})`,
            auth,
          ),
          ...(limits.api === undefined
            ? []
            : [
                rule(
                  `API: ${limits.api.requests} requests per ${limits.api.periodSeconds} s per client`,
                  `(${apiHost})`,
                  limits.api,
                ),
              ]),
        ],
      },
      { parent },
    ),
  );
  const hsts = `max-age=31536000; includeSubDomains${args.hstsPreload ? "; preload" : ""}`;
  new cloudflare.Ruleset(
    ...transform(
      t.headersRuleset,
      `${name}-security-headers`,
      {
        zoneId,
        name: "Security headers",
        description: "HSTS, no sniffing, no framing, referrer and permissions policies on every response",
        kind: "zone",
        phase: "http_response_headers_transform",
        rules: [
          {
            description: "Security headers",
            expression: "true",
            action: "rewrite",
            actionParameters: {
              headers: {
                "Strict-Transport-Security": { operation: "set", value: hsts },
                "X-Content-Type-Options": { operation: "set", value: "nosniff" },
                "X-Frame-Options": { operation: "set", value: "DENY" },
                "Referrer-Policy": { operation: "set", value: "strict-origin-when-cross-origin" },
                "Permissions-Policy": {
                  operation: "set",
                  value: "camera=(), microphone=(), geolocation=(), payment=()",
                },
              },
            },
            enabled: true,
          },
        ],
      },
      { parent },
    ),
  );
}

/**
 * The Cloudflare Managed Ruleset on every request the zone proxies (the API hosts), with its default actions. The
 * zone's entry point of the phase must not exist yet: a ruleset deployed in the dashboard is imported first
 * (docs/components/dns-zone.md).
 */
function managedWaf(name: string, args: DnsZoneArgs, zoneId: pulumi.Output<string>, parent: DnsZone): void {
  new cloudflare.Ruleset(
    ...transform(
      args.transform?.wafRuleset,
      `${name}-waf`,
      {
        zoneId,
        name: "Managed WAF",
        description: "Cloudflare Managed Ruleset on every proxied request",
        kind: "zone",
        phase: "http_request_firewall_managed",
        rules: [
          {
            description: "Cloudflare Managed Ruleset",
            expression: "true",
            action: "execute",
            actionParameters: { id: CLOUDFLARE_MANAGED_RULESET_ID },
            enabled: true,
          },
        ],
      },
      { parent },
    ),
  );
}

/** The mitigation timeouts the API accepts (seconds). */
const MITIGATION_TIMEOUTS = [10, 60, 120, 300, 600, 3600, 86400] as const;

/** Block for as long as the period counted (the next value the API accepts), within the plan's longest block. */
function mitigationTimeout(plan: CloudflarePlan, periodSeconds: number): number {
  const max = RATE_LIMIT_PLANS[plan].maxMitigationSeconds;
  const fit = MITIGATION_TIMEOUTS.find((t) => t >= periodSeconds) ?? max;
  return Math.min(fit, max);
}

/** Every problem with the args at once, before any child is declared. */
export function validateDnsZoneArgs(name: string, args: DnsZoneArgs): void {
  const problems: string[] = [];
  const zone = args.zone as { create?: { name: string; accountId: string }; existingZoneId?: unknown };
  if ((zone.create === undefined) === (zone.existingZoneId === undefined)) {
    problems.push("zone must be { create: { name, accountId } } or { existingZoneId }, exactly one");
  }
  if (zone.create !== undefined) {
    if (!HOSTNAME.test(zone.create.name))
      problems.push(`zone.create.name must be a DNS name (got "${zone.create.name}")`);
    if (!/^[0-9a-f]{32}$/.test(zone.create.accountId)) {
      problems.push(
        `zone.create.accountId must be a Cloudflare account id (32 hex characters) (got "${zone.create.accountId}")`,
      );
    }
  }
  if (!HOSTNAME.test(args.apexDomain)) problems.push(`apexDomain must be a DNS name (got "${args.apexDomain}")`);
  if (args.apiHostnames.length === 0) problems.push("apiHostnames must list at least one hostname");
  const badLabels = (args.rateLimitedHostLabels ?? []).filter((l) => !/^[a-z][a-z0-9-]{0,61}$/.test(l));
  if (badLabels.length > 0) {
    problems.push(`rateLimitedHostLabels must be DNS labels such as api (got ${badLabels.join(", ")})`);
  }
  // An empty list would leave the host condition of a rate-limit expression empty: "()" does not parse.
  if (args.rateLimitedHostLabels?.length === 0) {
    problems.push("rateLimitedHostLabels must list at least one label, or be left out for [api] (got an empty list)");
  }
  const all = [...args.apiHostnames, ...(args.webHostnames ?? [])];
  const bad = all.filter((h) => !HOSTNAME.test(h));
  if (bad.length > 0) problems.push(`hostnames must be lowercase DNS names (got ${bad.join(", ")})`);
  const outside = all.filter((h) => HOSTNAME.test(h) && h !== args.apexDomain && !h.endsWith(`.${args.apexDomain}`));
  if (outside.length > 0) problems.push(`hostnames must be in the zone ${args.apexDomain} (got ${outside.join(", ")})`);
  if (new Set(all).size !== all.length)
    problems.push("a hostname must not be both an API and a web hostname, or repeat");
  const plan = args.plan ?? "free";
  if (!(CLOUDFLARE_PLANS as readonly string[]).includes(plan)) {
    problems.push(`plan must be one of ${CLOUDFLARE_PLANS.join(", ")} (got "${String(plan)}")`);
  } else {
    for (const [key, message] of rateLimitProblems(plan, args.rateLimits))
      problems.push(`rateLimits.${key} ${message}`);
  }
  if (args.ttl !== undefined && (args.ttl < 60 || args.ttl > 86400))
    problems.push(`ttl must be 60 to 86400 seconds (got ${args.ttl})`);
  throwIfInvalid("DnsZone", name, problems);
}
