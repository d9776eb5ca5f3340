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
