import { withDefaults } from "../defaults";

/**
 * What each Cloudflare plan allows in rate-limiting rules (phase `http_ratelimit`). The provider checks none of it;
 * the API refuses a ruleset beyond the zone's plan, and `pulumi up` fails. Source: Cloudflare WAF docs, "Rate
 * limiting rules > Availability" (checked 2026-11-25).
 */

export const CLOUDFLARE_PLANS = ["free", "pro", "business", "enterprise"] as const;
export type CloudflarePlan = (typeof CLOUDFLARE_PLANS)[number];

/** The periods (seconds) a rate-limiting rule may count over, as the API reference lists them ("Rate limiting parameters"). */
export const RATE_LIMIT_PERIODS = [10, 60, 120, 300, 600, 3600] as const;

export interface PlanLimits {
  /** Rate-limiting rules in the zone. */
  readonly rules: number;
  /** Longest counting period, seconds. */
  readonly maxPeriodSeconds: number;
  /** Longest block after the limit is hit, seconds. */
  readonly maxMitigationSeconds: number;
  /** Whether the expression may test the host (Free: path and verified bots only). */
  readonly hostInExpression: boolean;
}

export const RATE_LIMIT_PLANS: Readonly<Record<CloudflarePlan, PlanLimits>> = {
  free: { rules: 1, maxPeriodSeconds: 10, maxMitigationSeconds: 10, hostInExpression: false },
  pro: { rules: 2, maxPeriodSeconds: 60, maxMitigationSeconds: 3600, hostInExpression: true },
  business: { rules: 5, maxPeriodSeconds: 600, maxMitigationSeconds: 86400, hostInExpression: true },
  enterprise: { rules: 100, maxPeriodSeconds: 3600, maxMitigationSeconds: 86400, hostInExpression: true },
};

export interface RateLimit {
  /** Requests allowed per client (IP, per Cloudflare data centre) in one period. */
  readonly requests: number;
  readonly periodSeconds: number;
}

export interface RateLimits {
  /** Every request to the API hosts. Needs a second rule: Pro or higher. */
  readonly api?: RateLimit;
  /** Authentication paths, stricter. */
  readonly auth?: RateLimit & { readonly paths?: readonly string[] };
}

export const DEFAULT_AUTH_PATHS = ["/auth", "/login", "/signup", "/password"] as const;

/**
 * The defaults each plan can hold: Free has one rule of 10 s, so it guards the authentication paths (5 requests per
 * 10 s per client); Pro and up add a rule for the whole API and count over a minute or more.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<CloudflarePlan, Required<Pick<RateLimits, "auth">> & RateLimits>> = {
  free: { auth: { requests: 5, periodSeconds: 10, paths: DEFAULT_AUTH_PATHS } },
  pro: {
    api: { requests: 600, periodSeconds: 60 },
    auth: { requests: 10, periodSeconds: 60, paths: DEFAULT_AUTH_PATHS },
  },
  business: {
    api: { requests: 600, periodSeconds: 60 },
    auth: { requests: 30, periodSeconds: 600, paths: DEFAULT_AUTH_PATHS },
  },
  enterprise: {
    api: { requests: 600, periodSeconds: 60 },
    auth: { requests: 30, periodSeconds: 600, paths: DEFAULT_AUTH_PATHS },
  },
};

/** The rules a zone on `plan` gets: the plan's defaults, overridden rule by rule. */
export function resolveRateLimits(plan: CloudflarePlan, given: RateLimits | undefined): RateLimits {
  const base = DEFAULT_RATE_LIMITS[plan];
  return {
    auth: withDefaults(base.auth, given?.auth),
    ...(given?.api !== undefined ? { api: given.api } : base.api !== undefined ? { api: base.api } : {}),
  };
}

const PLAN_NAMES: Record<CloudflarePlan, string> = {
  free: "Free",
  pro: "Pro",
  business: "Business",
  enterprise: "Enterprise",
};

/**
 * Problems with rate limits on a plan, each as `[key, message]` (key relative to `rateLimits`), so the component and
 * the stack config report the same rule under their own names.
 */
export function rateLimitProblems(plan: CloudflarePlan, given: RateLimits | undefined): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  const limits = RATE_LIMIT_PLANS[plan];
  const name = PLAN_NAMES[plan];
  for (const [key, l] of [
    ["api", given?.api],
    ["auth", given?.auth],
  ] as const) {
    if (l === undefined) continue;
    if (!Number.isInteger(l.requests) || l.requests < 1) {
      problems.push([`${key}.requests`, `must be a positive integer (got ${l.requests})`]);
    }
    if (!(RATE_LIMIT_PERIODS as readonly number[]).includes(l.periodSeconds)) {
      problems.push([
        `${key}.periodSeconds`,
        `must be a period Cloudflare offers: ${RATE_LIMIT_PERIODS.join(", ")} (got ${l.periodSeconds})`,
      ]);
    } else if (l.periodSeconds > limits.maxPeriodSeconds) {
      problems.push([
        `${key}.periodSeconds`,
        `must be at most ${limits.maxPeriodSeconds} on the ${name} plan, which Cloudflare limits to periods of ${limits.maxPeriodSeconds} s (got ${l.periodSeconds}); raise dns.plan if the zone has a higher plan`,
      ]);
    }
  }
  if (given?.api !== undefined && limits.rules < 2) {
    problems.push([
      "api",
      `needs a second rate-limiting rule, and the ${name} plan allows ${limits.rules} (used by rateLimits.auth); remove it or raise dns.plan`,
    ]);
  }
  const paths = given?.auth?.paths ?? [];
  const badPaths = paths.filter((p) => !/^\/[A-Za-z0-9/_.-]*$/.test(p));
  if (badPaths.length > 0)
    problems.push(["auth.paths", `must be URL paths such as /auth (got ${badPaths.join(", ")})`]);
  // An empty list would make the rule's expression "()", which Cloudflare's rules language cannot parse.
  if (given?.auth?.paths !== undefined && paths.length === 0) {
    problems.push(["auth.paths", "must list at least one path, or be left out for the defaults (got an empty list)"]);
  }
  return problems;
}

/**
 * Cloudflare's managed WAF rulesets (WAF docs, "Managed rulesets"): the Cloudflare Managed Ruleset runs on Pro and
 * higher plans; the Free Managed Ruleset, on every plan, is deployed by Cloudflare itself on Free zones.
 */
export const CLOUDFLARE_MANAGED_RULESET_ID = "efb7b8c949ac4650a09736fc376e9aee";

/** Whether the plan can run the Cloudflare Managed Ruleset. */
export const managedWafAvailable = (plan: CloudflarePlan): boolean => plan !== "free";
