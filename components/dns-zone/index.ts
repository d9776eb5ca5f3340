export {
  DnsZone,
  validateDnsZoneArgs,
  type DnsZoneArgs,
  CAA_ISSUERS,
  ZONE_SETTINGS,
  VERCEL_APEX_IP,
  VERCEL_CNAME,
} from "./dns-zone";
export { cloudflareOriginPrefixLists } from "./origin-lockdown";
export {
  OriginAuthentication,
  validateOriginAuthenticationArgs,
  waitForOriginPull,
  type OriginAuthenticationArgs,
} from "./origin-authentication";
export {
  CLOUDFLARE_PLANS,
  DEFAULT_RATE_LIMITS,
  RATE_LIMIT_PERIODS,
  RATE_LIMIT_PLANS,
  rateLimitProblems,
  type CloudflarePlan,
  type RateLimits,
} from "./plans";
