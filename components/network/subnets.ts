import { Netmask } from "netmask";

/** The address plan of one VPC: which CIDR each AZ's public and private subnet gets. */
export interface SubnetPlan {
  readonly private: readonly string[];
  readonly public: readonly string[];
}

/**
 * Private subnets take a quarter of the VPC each (AZ 1–3 → quarters 1–3): they hold the services, databases and caches
 * that need addresses. Public subnets hold only load balancers and NAT gateways, so they share the fourth quarter in
 * sixteenths (a /20 each in a /16). The plan is fixed per index, so going from 2 to 3 AZs adds subnets and never
 * renumbers an existing one.
 */
export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan {
  const vpc = new Netmask(vpcCidr);
  if (azCount < 1 || azCount > 3) throw new Error(`azCount must be 1 to 3 (got ${azCount})`);
  return {
    private: indexes(azCount).map((i) => subnetCidr(vpc, vpc.bitmask + 2, i)),
    public: indexes(azCount).map((i) => subnetCidr(vpc, vpc.bitmask + 4, 12 + i)),
  };
}

/** Terraform's `cidrsubnet(prefix, newbits, index)` with the new prefix length given directly. */
export function subnetCidr(vpc: Netmask, newPrefix: number, index: number): string {
  if (newPrefix > 28) throw new Error(`a subnet of ${vpc.toString()} would be /${newPrefix}; AWS allows /16 to /28`);
  return new Netmask(vpc.base, newPrefix).next(index).toString();
}

function indexes(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

/** Whether `value` is a network address in CIDR form with a prefix AWS accepts for a VPC (/16 to /24). */
export function isVpcCidr(value: string): boolean {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(value);
  if (!match) return false;
  const prefix = Number(match[2]);
  if (prefix < 16 || prefix > 24) return false;
  try {
    return new Netmask(value).base === match[1];
  } catch {
    return false;
  }
}

/**
 * The `/64` of public subnet `index` in the VPC's Amazon-provided `/56` (Terraform's `cidrsubnet(cidr, 8, index)`).
 * AWS assigns a VPC a `/56`, and a subnet's IPv6 block must be a `/64` of it (Amazon VPC User Guide, "IPv6 CIDR
 * blocks"). Pure.
 */
export function ipv6SubnetCidr(vpcCidr: string, index: number): string {
  const match = /^([0-9a-f:]+)\/56$/i.exec(vpcCidr);
  if (match === null) throw new Error(`expected the VPC's IPv6 /56, such as 2600:1f18:abc:de00::/56 (got ${vpcCidr})`);
  if (!Number.isInteger(index) || index < 0 || index > 255) throw new Error(`a /56 holds /64s 0 to 255 (got ${index})`);
  const [head = "", tail = ""] = match[1]!.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === "" ? [] : tail.split(":");
  const hextets = [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right].map((h) =>
    parseInt(h, 16),
  );
  hextets[3] = (hextets[3]! & 0xff00) | index;
  return `${hextets
    .slice(0, 4)
    .map((h) => h.toString(16))
    .join(":")}::/64`;
}

/** The private IPv4 ranges of RFC 1918, which AWS recommends for a VPC (Amazon VPC User Guide, "VPC CIDR blocks"). */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

/**
 * Whether `vpcCidr` (a valid VPC CIDR) lies in an RFC 1918 range. A public range is accepted by AWS but makes those
 * addresses unreachable on the internet from inside the VPC (its routes win), and collides with real hosts.
 */
export function isPrivateCidr(vpcCidr: string): boolean {
  const net = new Netmask(vpcCidr);
  return PRIVATE_RANGES.some((range) => {
    const r = new Netmask(range);
    return r.contains(net.base) && r.contains(net.broadcast ?? net.last);
  });
}

/** What is wrong with a VPC's CIDR, as "must …" (config and component say the same), or undefined. */
export function vpcCidrProblem(value: string): string | undefined {
  if (!isVpcCidr(value)) {
    return "must be an IPv4 network in CIDR form with prefix /16 to /24 whose address is the network's first address, such as 10.20.0.0/16";
  }
  if (!isPrivateCidr(value)) {
    return `must be a private range (${PRIVATE_RANGES.join(", ")}): a public range hides those internet addresses from the VPC and collides with real hosts`;
  }
  return undefined;
}
