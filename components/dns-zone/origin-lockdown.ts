import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import type * as pulumi from "@pulumi/pulumi";

/**
 * AWS managed prefix lists of Cloudflare's published IP ranges, read from the Cloudflare provider (never hard-coded),
 * for a load balancer that should only be reached through Cloudflare. Each list counts as `maxEntries` rules in a
 * security group, so they are sized to the published lists with room to grow (about 15 IPv4 and 7 IPv6 ranges).
 */
export function cloudflareOriginPrefixLists(
  name: string,
  opts: { readonly aws: aws.Provider; readonly cloudflare: cloudflare.Provider },
): { readonly ipv4: pulumi.Output<string>; readonly ipv6: pulumi.Output<string> } {
  const ranges = cloudflare.getIpRangesOutput({}, { provider: opts.cloudflare });
  const list = (family: "IPv4" | "IPv6", cidrs: pulumi.Output<string[]>, maxEntries: number) =>
    new aws.ec2.ManagedPrefixList(
      `${name}-${family.toLowerCase()}`,
      {
        name: `${name}-cloudflare-${family.toLowerCase()}`,
        addressFamily: family,
        maxEntries,
        entries: cidrs.apply((list) => [...list].sort().map((cidr) => ({ cidr, description: "Cloudflare" }))),
      },
      { provider: opts.aws },
    ).id;
  return { ipv4: list("IPv4", ranges.ipv4Cidrs, 25), ipv6: list("IPv6", ranges.ipv6Cidrs, 12) };
}
