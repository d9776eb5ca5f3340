/**
 * The network component in detail: the address plan at its boundaries, every validation message in full, and what
 * each NAT mode declares and wires (which resource references which), from plain args. The broader behaviour per
 * environment lives in network.test.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { Netmask } from "netmask";
import { Network, validateNetworkArgs, type AwsNetworkArgs, type NetworkArgs } from "../../components/network";
import { NAT_INSTANCE_AMI_PARAMETER, NAT_INSTANCE_USER_DATA } from "../../components/network/aws";
import {
  ipv6SubnetCidr,
  isPrivateCidr,
  isVpcCidr,
  planSubnets,
  PRIVATE_RANGES,
  subnetCidr,
  vpcCidrProblem,
} from "../../components/network/subnets";
import { KEY_ADMINISTRATION } from "../../components/iam";
import { recordProgram, SynthError, type SynthResult } from "../../synth/synth";
import type { RecordedResource } from "../../synth/recorder";
import { ofType, physical, resource } from "../helpers/synth";
import { recordCalls } from "../helpers/spies";

const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  igw: "aws:ec2/internetGateway:InternetGateway",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  nat: "aws:ec2/natGateway:NatGateway",
  eip: "aws:ec2/eip:Eip",
  route: "aws:ec2/route:Route",
  routeTable: "aws:ec2/routeTable:RouteTable",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  key: "aws:kms/key:Key",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  profile: "aws:iam/instanceProfile:InstanceProfile",
  instance: "aws:ec2/instance:Instance",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dockerNetwork: "docker:index/network:Network",
} as const;

const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
const NETWORK_URN = "urn:pulumi:test::saas-platform::pulumi:pulumi:Stack$saas-platform:components:Network::net";
const AZ_TOKEN = "aws:index/getAvailabilityZones:getAvailabilityZones";

/** The message `fn` throws (the test fails if it throws nothing). */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a throw");
}

/** One invoke the component made: its token, its args, and whether it ran under the component (its provider). */
interface Invoke {
  readonly token: string;
  readonly args: unknown;
  readonly underNetwork: boolean;
}

interface Built {
  readonly result: SynthResult;
  readonly invokes: readonly Invoke[];
}

/** The promises behind an Output (the SDK's OutputImpl), to observe a failed one. */
interface OutputInternals {
  promise(): Promise<unknown>;
  readonly isKnown: Promise<boolean>;
  readonly isSecret: Promise<boolean>;
}

/**
 * Declares `Network("net", args)` alone. Its outputs come back as stack outputs (resources by URN), with what the
 * component registered as its own outputs under `registered`; the invokes it made are noted on the side.
 */
async function build(args: NetworkArgs): Promise<Built> {
  const invokes: Array<{ token: string; args: unknown; parent: unknown }> = [];
  let network: Network | undefined;
  const result = await recordProgram(STACK, async () => {
    const { result: made, recorded } = await recordCalls(() => new Network("net", args));
    network = made;
    invokes.push(...recorded.lookups);
    const registered = recorded.onlyRegistrationOf(network);
    if (network.cloud === undefined) {
      const local = network.requireLocal("test");
      return { networkName: local.networkName, networkId: local.networkId, registered };
    }
    const cloud = network.requireCloud("test");
    return {
      vpcId: cloud.vpcId,
      cidr: cloud.cidr,
      azCount: cloud.azCount,
      availabilityZones: cloud.availabilityZones,
      publicSubnetIds: cloud.publicSubnetIds,
      privateSubnetIds: cloud.privateSubnetIds,
      privateRouteTableIds: cloud.privateRouteTableIds,
      natGatewayIds: cloud.natGatewayIds,
      ipv6: cloud.ipv6,
      publicIpv6Ready: cloud.publicIpv6Ready.map((x) => x.urn),
      flowLogGroupName: cloud.flowLogGroupName,
      egressReady: cloud.egressReady.map((x) => x.urn),
      logsKmsKeyArn: cloud.logsKmsKeyArn,
      hasNatInstance: "natInstance" in cloud,
      ...(cloud.natInstance ? { natInstance: cloud.natInstance } : {}),
      registered,
    };
  });
  return {
    result,
    invokes: invokes.map((x) => ({ token: x.token, args: x.args, underNetwork: x.parent === network })),
  };
}

const aws = (args: Omit<AwsNetworkArgs, "target">): AwsNetworkArgs => ({ target: "aws", ...args });
const names = (result: SynthResult) =>
  physical(result)
    .map((x) => `${x.type} ${x.name}`)
    .sort();
const tagsOf = (x: RecordedResource) => x.inputs["tags"];
/** What the component's tagger gives a child of the given role. */
const tag = (role: string, extra: Record<string, string> = {}) => ({
  Name: `saas-platform-test-net-${role}`,
  ...extra,
});

describe("planSubnets", () => {
  test.each([
    ["10.20.0.0/16", 1, ["10.20.0.0/18"], ["10.20.192.0/20"]],
    ["10.20.0.0/16", 2, ["10.20.0.0/18", "10.20.64.0/18"], ["10.20.192.0/20", "10.20.208.0/20"]],
    [
      "172.16.32.0/20",
      3,
      ["172.16.32.0/22", "172.16.36.0/22", "172.16.40.0/22"],
      ["172.16.44.0/24", "172.16.45.0/24", "172.16.46.0/24"],
    ],
    [
      "192.168.7.0/24",
      3,
      ["192.168.7.0/26", "192.168.7.64/26", "192.168.7.128/26"],
      ["192.168.7.192/28", "192.168.7.208/28", "192.168.7.224/28"],
    ],
  ])("%s over %i AZ(s): private quarters, public sixteenths from the 13th", (cidr, azCount, priv, pub) => {
    expect(planSubnets(cidr, azCount)).toEqual({ private: priv, public: pub });
  });

  test.each([0, 4, -1])("azCount %i is refused with the accepted range", (azCount) => {
    expect(thrown(() => planSubnets("10.0.0.0/16", azCount))).toBe(`azCount must be 1 to 3 (got ${azCount})`);
  });

  test("a VPC too small for /28 public subnets is refused, naming the VPC and the prefix", () => {
    expect(thrown(() => planSubnets("10.0.0.0/25", 1))).toBe(
      "a subnet of 10.0.0.0/25 would be /29; AWS allows /16 to /28",
    );
    expect(thrown(() => planSubnets("10.0.0.0/26", 2))).toBe(
      "a subnet of 10.0.0.0/26 would be /30; AWS allows /16 to /28",
    );
  });

  test("subnetCidr: the index-th block of the new prefix, /28 the smallest", () => {
    const vpc = new Netmask("10.0.0.0/24");
    expect(subnetCidr(vpc, 28, 0)).toBe("10.0.0.0/28");
    expect(subnetCidr(vpc, 28, 15)).toBe("10.0.0.240/28");
    expect(subnetCidr(new Netmask("10.1.0.0/16"), 17, 1)).toBe("10.1.128.0/17");
    expect(thrown(() => subnetCidr(vpc, 29, 0))).toBe("a subnet of 10.0.0.0/24 would be /29; AWS allows /16 to /28");
  });
});

describe("isVpcCidr", () => {
  test.each([
    "10.0.0.0/16",
    "10.20.0.0/16",
    "10.0.0.0/24",
    "192.168.100.0/24",
    "172.31.255.0/24",
    "255.255.255.0/24",
    "100.64.0.0/16",
  ])("%s is a VPC CIDR", (value) => {
    expect(isVpcCidr(value)).toBe(true);
  });

  test.each([
    ["10.0.0.0/15", "prefix below /16"],
    ["10.0.0.0/8", "prefix far below /16"],
    ["10.0.0.0/25", "prefix above /24"],
    ["10.0.0.1/16", "not the network's first address"],
    ["10.0.0.0/16x", "trailing text"],
    ["10.0.0.0/16 ", "trailing space"],
    [" 10.0.0.0/16", "leading space"],
    ["0x1.0.0.0/16", "hexadecimal octet Netmask would read"],
    ["010.0.0.0/16", "octal octet (Netmask reads 8.0.0.0)"],
    ["999.0.0.0/16", "octet over 255"],
    ["10.0.0/16", "three octets"],
    ["10.0.0.0.0/16", "five octets"],
    ["1000.0.0.0/16", "four-digit octet"],
    ["10.0.0.0/016", "three-digit prefix"],
    ["10.0.0.0", "no prefix"],
    ["10.0.0.0/", "empty prefix"],
    ["a.b.c.d/16", "letters"],
    ["", "empty"],
    ["not-a-cidr", "not a CIDR"],
  ])("%j is not (%s)", (value) => {
    expect(isVpcCidr(value)).toBe(false);
  });
});

describe("isPrivateCidr", () => {
  test("the RFC 1918 ranges, in order", () => {
    expect(PRIVATE_RANGES).toEqual(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]);
  });

  test.each(["10.0.0.0/16", "10.255.255.0/24", "172.16.0.0/16", "172.31.0.0/16", "192.168.0.0/16", "10.0.0.1/32"])(
    "%s lies in a private range",
    (cidr) => {
      expect(isPrivateCidr(cidr)).toBe(true);
    },
  );

  test.each([
    ["11.0.0.0/16", "past 10/8"],
    ["9.255.0.0/16", "before 10/8"],
    ["172.15.0.0/16", "before 172.16/12"],
    ["172.32.0.0/16", "past 172.16/12"],
    ["192.167.0.0/16", "before 192.168/16"],
    ["192.169.0.0/16", "past 192.168/16"],
    ["100.64.0.0/16", "shared address space"],
    ["10.0.0.0/7", "starts in 10/8, ends outside"],
    ["172.0.0.0/11", "ends in 172.16/12, starts outside"],
    ["192.168.0.0/15", "starts in 192.168/16, ends outside"],
  ])("%s does not (%s)", (cidr) => {
    expect(isPrivateCidr(cidr)).toBe(false);
  });
});

describe("vpcCidrProblem", () => {
  test.each(["10.0.0.0/8", "10.0.0.1/16", "nonsense"])("%j: not a VPC CIDR", (value) => {
    expect(vpcCidrProblem(value)).toBe(
      "must be an IPv4 network in CIDR form with prefix /16 to /24 whose address is the network's first address, such as 10.20.0.0/16",
    );
  });

  test("a public range: names the private ones and why", () => {
    expect(vpcCidrProblem("100.64.0.0/16")).toBe(
      "must be a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16): a public range hides those internet addresses from the VPC and collides with real hosts",
    );
  });

  test.each(["10.20.0.0/16", "172.16.0.0/24", "192.168.0.0/16"])("%s: no problem", (value) => {
    expect(vpcCidrProblem(value)).toBeUndefined();
  });
});

describe("ipv6SubnetCidr", () => {
  test.each([
    ["2600:1f18:abc:de00::/56", 0, "2600:1f18:abc:de00::/64"],
    ["2600:1f18:abc:de00::/56", 1, "2600:1f18:abc:de01::/64"],
    ["2600:1f18:abc:de00::/56", 16, "2600:1f18:abc:de10::/64"],
    ["2600:1f18:abc:de00::/56", 255, "2600:1f18:abc:deff::/64"],
    ["2A09:1F18:ABC:DE00::/56", 9, "2a09:1f18:abc:de09::/64"],
    ["2600:db8::/56", 7, "2600:db8:0:7::/64"],
    ["2600:1f18:abc:de00:0:0:0:0/56", 2, "2600:1f18:abc:de02::/64"],
    ["::1f18:abc:de00:0:0:0:0/56", 3, "0:1f18:abc:de03::/64"],
    ["0::abc:de00:0:0:0:0/56", 4, "0:0:abc:de04::/64"],
    ["::/56", 5, "0:0:0:5::/64"],
  ])("%s, index %i: %s", (vpc, index, subnet) => {
    expect(ipv6SubnetCidr(vpc, index)).toBe(subnet);
  });

  test.each(["2600:1f18:abc:de00::/64", "x2600:1f18:abc:de00::/56", "2600:1f18:abc:de00::/567", "10.0.0.0/56", ""])(
    "%j is not a /56: refused with an example",
    (vpc) => {
      expect(thrown(() => ipv6SubnetCidr(vpc, 0))).toBe(
        `expected the VPC's IPv6 /56, such as 2600:1f18:abc:de00::/56 (got ${vpc})`,
      );
    },
  );

  test.each([-1, 256, 1.5, Number.NaN])("index %d is outside the /56", (index) => {
    expect(thrown(() => ipv6SubnetCidr("2600:1f18:abc:de00::/56", index))).toBe(
      `a /56 holds /64s 0 to 255 (got ${index})`,
    );
  });
});

describe("validateNetworkArgs", () => {
  const problem = (name: string, ...problems: string[]) =>
    [`Network "${name}" has invalid args:`, ...problems.map((p) => `  - ${p}`)].join("\n");

  test.each([
    aws({ cidr: "10.20.0.0/16" }),
    aws({ cidr: "172.16.0.0/24", azCount: 3, availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }),
    aws({ cidr: "192.168.0.0/16", azCount: 2, availabilityZones: ["eu-west-1b", "eu-west-1a"] }),
    aws({ cidr: "10.0.0.0/16", natGateways: "none", flowLogRetentionDays: 1 }),
    aws({ cidr: "10.0.0.0/16", natGateways: "instance", flowLogRetentionDays: 3653 }),
    aws({ cidr: "10.0.0.0/16", natGateways: "single", ipv6: false }),
    aws({ cidr: "10.0.0.0/16", natGateways: "perAz", tags: { Team: "web" } }),
    { target: "docker", networkName: "acme-dev" },
  ] as NetworkArgs[])("valid args pass: %j", (args) => {
    expect(() => validateNetworkArgs("n", args)).not.toThrow();
  });

  test.each([
    [
      aws({ cidr: "100.64.0.0/16" }),
      'cidr must be a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16): a public range hides those internet addresses from the VPC and collides with real hosts (got "100.64.0.0/16")',
    ],
    [
      aws({ cidr: "10.0.0.0/16x" }),
      'cidr must be an IPv4 network in CIDR form with prefix /16 to /24 whose address is the network\'s first address, such as 10.20.0.0/16 (got "10.0.0.0/16x")',
    ],
    [aws({ cidr: "10.0.0.0/16", azCount: 1 as 2 }), "azCount must be 2 or 3 (got 1)"],
    [
      aws({ cidr: "10.0.0.0/16", natGateways: "nat" as "none" }),
      'natGateways must be one of none, instance, single, perAz (got "nat")',
    ],
    [
      aws({ cidr: "10.0.0.0/16", flowLogRetentionDays: 0 }),
      "flowLogRetentionDays must be a period CloudWatch accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653) (got 0)",
    ],
    [
      aws({ cidr: "10.0.0.0/16", azCount: 3, availabilityZones: ["eu-west-1a", "eu-west-1b"] }),
      "availabilityZones must list exactly azCount (3) zones (got 2)",
    ],
    [
      aws({ cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }),
      "availabilityZones must list exactly azCount (2) zones (got 3)",
    ],
    [
      aws({ cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1b", "eu-west-1b"] }),
      'availabilityZones must not repeat a zone (got ["eu-west-1b","eu-west-1b"])',
    ],
  ] as Array<[NetworkArgs, string]>)("one problem, reported alone: %j", (args, message) => {
    expect(thrown(() => validateNetworkArgs("n", args))).toBe(problem("n", message));
  });

  test.each(["ab", "acme-dev", "acme_dev.local-1", "Zz", "A9", "0a", "9_", "z.", "a-", "saas-platform-dev-net"])(
    "Docker network name %j is accepted",
    (networkName) => {
      expect(() => validateNetworkArgs("n", { target: "docker", networkName })).not.toThrow();
    },
  );

  test.each(["a", "-ab", "_ab", ".ab", "ab cd", "ab!", "ab/", " ab", "ab ", "", "é1"])(
    "Docker network name %j is refused",
    (networkName) => {
      expect(thrown(() => validateNetworkArgs("local", { target: "docker", networkName }))).toBe(
        problem(
          "local",
          `networkName must be a Docker network name (letters, digits, "_", ".", "-") (got "${networkName}")`,
        ),
      );
    },
  );
});

describe("a network per AZ (azCount 3, the region's zones, NAT gateway per AZ, IPv6, tags)", () => {
  let built: Built;
  let r: SynthResult;
  beforeAll(async () => {
    built = await build(aws({ cidr: "10.9.0.0/16", azCount: 3, tags: { CostCentre: "web" } }));
    r = built.result;
  });
  const id = (type: string, name: string) => resource(r, type, name).id;
  const urn = (type: string, name: string) => resource(r, type, name).urn;
  const AZS = [1, 2, 3] as const;

  test("declares exactly these children, all under the component", () => {
    const perAz = (type: string, prefix: string) => AZS.map((i) => `${type} net-${prefix}${i}`);
    expect(names(r)).toEqual(
      [
        `${T.vpc} net-vpc`,
        `${T.defaultSg} net-default-sg`,
        `${T.igw} net-igw`,
        ...perAz(T.subnet, "public-"),
        ...perAz(T.subnet, "private-"),
        `${T.routeTable} net-public-rt`,
        ...perAz(T.routeTable, "private-rt-"),
        `${T.route} net-public-default`,
        `${T.route} net-public-default-ipv6`,
        ...perAz(T.route, "private-default-"),
        ...perAz(T.association, "public-"),
        ...perAz(T.association, "private-"),
        ...perAz(T.eip, "nat-"),
        ...perAz(T.nat, "nat-"),
        `${T.endpoint} net-s3`,
        `${T.key} net-flow-logs`,
        `${T.logGroup} net-flow-logs`,
        `${T.role} net-flow-logs`,
        `${T.rolePolicy} net-flow-logs`,
        `${T.flowLog} net-flow-log`,
      ].sort(),
    );
    const component = r.resources.find((x) => x.type === "saas-platform:components:Network");
    expect(component?.urn).toBe(NETWORK_URN);
    for (const x of physical(r)) expect([x.name, x.parent]).toEqual([x.name, NETWORK_URN]);
  });

  test("tags every child with the given tags and a Name saying project, stack and role", () => {
    const expected = (role: string, extra: Record<string, string> = {}) => ({ CostCentre: "web", ...tag(role, extra) });
    const tagged = physical(r).filter((x) => "tags" in x.inputs);
    expect(Object.fromEntries(tagged.map((x) => [`${x.type} ${x.name}`, tagsOf(x)]))).toEqual({
      [`${T.vpc} net-vpc`]: expected("vpc"),
      [`${T.defaultSg} net-default-sg`]: expected("default-sg-locked"),
      [`${T.igw} net-igw`]: expected("igw"),
      ...Object.fromEntries(
        AZS.flatMap((i) => [
          [`${T.subnet} net-public-${i}`, expected(`public-${i}`, { Tier: "public" })],
          [`${T.subnet} net-private-${i}`, expected(`private-${i}`, { Tier: "private" })],
          [`${T.routeTable} net-private-rt-${i}`, expected(`private-rt-${i}`)],
          [`${T.eip} net-nat-${i}`, expected(`nat-${i}`)],
          [`${T.nat} net-nat-${i}`, expected(`nat-${i}`)],
        ]),
      ),
      [`${T.routeTable} net-public-rt`]: expected("public-rt"),
      [`${T.endpoint} net-s3`]: expected("s3"),
      [`${T.key} net-flow-logs`]: expected("flow-logs"),
      [`${T.logGroup} net-flow-logs`]: expected("flow-logs"),
      [`${T.role} net-flow-logs`]: expected("flow-logs"),
      [`${T.flowLog} net-flow-log`]: expected("flow-log"),
    });
  });

  test("the VPC: its CIDR, DNS on, an Amazon /56; the default security group locked; the internet gateway in it", () => {
    const vpc = resource(r, T.vpc, "net-vpc");
    expect(vpc.inputs).toEqual({
      cidrBlock: "10.9.0.0/16",
      enableDnsHostnames: true,
      enableDnsSupport: true,
      assignGeneratedIpv6CidrBlock: true,
      tags: tagsOf(vpc),
    });
    const sg = resource(r, T.defaultSg, "net-default-sg");
    expect(sg.inputs).toEqual({ vpcId: vpc.id, ingress: [], egress: [], tags: tagsOf(sg) });
    const igw = resource(r, T.igw, "net-igw");
    expect(igw.inputs).toEqual({ vpcId: vpc.id, tags: tagsOf(igw) });
  });

  test("subnets: a private quarter and a public sixteenth per zone, in zone order; a /64 on public ones only", () => {
    const vpc = resource(r, T.vpc, "net-vpc");
    const block = String(vpc.state!["ipv6CidrBlock"]);
    expect(block).toMatch(/::\/56$/);
    const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
    const publicCidrs = ["10.9.192.0/20", "10.9.208.0/20", "10.9.224.0/20"];
    const privateCidrs = ["10.9.0.0/18", "10.9.64.0/18", "10.9.128.0/18"];
    for (const [i, zone] of zones.entries()) {
      const pub = resource(r, T.subnet, `net-public-${i + 1}`);
      expect(pub.inputs).toEqual({
        vpcId: vpc.id,
        cidrBlock: publicCidrs[i],
        availabilityZone: zone,
        mapPublicIpOnLaunch: false,
        ipv6CidrBlock: ipv6SubnetCidr(block, i),
        assignIpv6AddressOnCreation: false,
        tags: tagsOf(pub),
      });
      const priv = resource(r, T.subnet, `net-private-${i + 1}`);
      expect(priv.inputs).toEqual({
        vpcId: vpc.id,
        cidrBlock: privateCidrs[i],
        availabilityZone: zone,
        mapPublicIpOnLaunch: false,
        tags: tagsOf(priv),
      });
    }
  });

  test("public subnets share one route table: IPv4 and IPv6 default routes to the internet gateway", () => {
    const table = resource(r, T.routeTable, "net-public-rt");
    expect(table.inputs).toEqual({ vpcId: id(T.vpc, "net-vpc"), tags: tagsOf(table) });
    expect(resource(r, T.route, "net-public-default").inputs).toEqual({
      routeTableId: table.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: id(T.igw, "net-igw"),
    });
    expect(resource(r, T.route, "net-public-default-ipv6").inputs).toEqual({
      routeTableId: table.id,
      destinationIpv6CidrBlock: "::/0",
      gatewayId: id(T.igw, "net-igw"),
    });
    for (const i of AZS) {
      expect(resource(r, T.association, `net-public-${i}`).inputs).toEqual({
        subnetId: id(T.subnet, `net-public-${i}`),
        routeTableId: table.id,
      });
    }
  });

  test("a NAT gateway per zone, in that zone's public subnet with its own Elastic IP, after the internet gateway", () => {
    for (const i of AZS) {
      const eip = resource(r, T.eip, `net-nat-${i}`);
      expect(eip.inputs).toEqual({ domain: "vpc", tags: tagsOf(eip) });
      const nat = resource(r, T.nat, `net-nat-${i}`);
      expect(nat.inputs).toEqual({
        allocationId: eip.state!["allocationId"],
        subnetId: id(T.subnet, `net-public-${i}`),
        tags: tagsOf(nat),
      });
      expect(nat.dependencies).toContain(urn(T.igw, "net-igw"));
    }
  });

  test("each private subnet: its own route table, associated, with a default route through its zone's NAT gateway", () => {
    for (const i of AZS) {
      const table = resource(r, T.routeTable, `net-private-rt-${i}`);
      expect(table.inputs).toEqual({ vpcId: id(T.vpc, "net-vpc"), tags: tagsOf(table) });
      expect(resource(r, T.association, `net-private-${i}`).inputs).toEqual({
        subnetId: id(T.subnet, `net-private-${i}`),
        routeTableId: table.id,
      });
      expect(resource(r, T.route, `net-private-default-${i}`).inputs).toEqual({
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: id(T.nat, `net-nat-${i}`),
      });
    }
  });

  test("an S3 gateway endpoint on every private route table", () => {
    const endpoint = resource(r, T.endpoint, "net-s3");
    expect(endpoint.inputs).toEqual({
      vpcId: id(T.vpc, "net-vpc"),
      serviceName: "com.amazonaws.eu-west-1.s3",
      vpcEndpointType: "Gateway",
      routeTableIds: AZS.map((i) => id(T.routeTable, `net-private-rt-${i}`)),
      tags: tagsOf(endpoint),
    });
  });

  test("flow logs: a key only this account administers and only CloudWatch Logs and the alarm publishers use", () => {
    const key = resource(r, T.key, "net-flow-logs");
    expect({ ...key.inputs, policy: JSON.parse(String(key.inputs["policy"])) }).toEqual({
      description:
        "Encrypts the stack's CloudWatch log groups (net's flow logs, services, database, cache) and its alarm topics",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: tagsOf(key),
      policy: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "KeyAdministration",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::123456789012:root" },
            Action: KEY_ADMINISTRATION,
            Resource: "*",
          },
          {
            Sid: "CloudWatchLogs",
            Effect: "Allow",
            Principal: { Service: "logs.eu-west-1.amazonaws.com" },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: {
              ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*" },
            },
          },
          {
            Sid: "AlarmPublishers",
            Effect: "Allow",
            Principal: { Service: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"] },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
          },
        ],
      },
    });
  });

  test("flow logs: all traffic each minute into the encrypted group, through a role that may only write there", () => {
    const key = resource(r, T.key, "net-flow-logs");
    const group = resource(r, T.logGroup, "net-flow-logs");
    expect(group.inputs).toEqual({ retentionInDays: 30, kmsKeyId: key.state!["arn"], tags: tagsOf(group) });
    const role = resource(r, T.role, "net-flow-logs");
    expect({ ...role.inputs, assumeRolePolicy: JSON.parse(String(role.inputs["assumeRolePolicy"])) }).toEqual({
      description: "Lets VPC Flow Logs write net's flow logs to CloudWatch Logs",
      assumeRolePolicy: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
          },
        ],
      },
      tags: tagsOf(role),
    });
    const policy = resource(r, T.rolePolicy, "net-flow-logs");
    const arn = String(group.state!["arn"]);
    expect({ ...policy.inputs, policy: JSON.parse(String(policy.inputs["policy"])) }).toEqual({
      role: role.id,
      policy: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [arn, `${arn}:*`],
          },
        ],
      },
    });
    const flowLog = resource(r, T.flowLog, "net-flow-log");
    expect(flowLog.inputs).toEqual({
      vpcId: id(T.vpc, "net-vpc"),
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: arn,
      iamRoleArn: role.state!["arn"],
      maxAggregationInterval: 60,
      tags: tagsOf(flowLog),
    });
  });

  test("outputs: ids in zone order, the IPv6 route and the egress consumers wait for, the flow-log group and key", () => {
    const perAz = (type: string, prefix: string) => AZS.map((i) => id(type, `net-${prefix}${i}`));
    expect(r.outputs).toEqual({
      vpcId: id(T.vpc, "net-vpc"),
      cidr: "10.9.0.0/16",
      azCount: 3,
      availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
      publicSubnetIds: perAz(T.subnet, "public-"),
      privateSubnetIds: perAz(T.subnet, "private-"),
      privateRouteTableIds: perAz(T.routeTable, "private-rt-"),
      natGatewayIds: perAz(T.nat, "nat-"),
      ipv6: true,
      publicIpv6Ready: [urn(T.route, "net-public-default-ipv6")],
      flowLogGroupName: resource(r, T.logGroup, "net-flow-logs").state!["name"],
      egressReady: AZS.flatMap((i) => [
        urn(T.association, `net-private-${i}`),
        urn(T.route, `net-private-default-${i}`),
      ]),
      logsKmsKeyArn: resource(r, T.key, "net-flow-logs").state!["arn"],
      hasNatInstance: false,
      registered: {
        vpcId: id(T.vpc, "net-vpc"),
        publicSubnetIds: perAz(T.subnet, "public-"),
        privateSubnetIds: perAz(T.subnet, "private-"),
        natGatewayIds: perAz(T.nat, "nat-"),
        flowLogGroupName: resource(r, T.logGroup, "net-flow-logs").state!["name"],
      },
    });
  });

  test("looks up the zones that need no opt-in, the region and the account, all under the component", () => {
    expect(built.invokes.map((x) => x.token).sort()).toEqual([
      "aws:index/getAvailabilityZones:getAvailabilityZones",
      "aws:index/getCallerIdentity:getCallerIdentity",
      "aws:index/getRegion:getRegion",
    ]);
    expect(built.invokes.find((x) => x.token === AZ_TOKEN)?.args).toEqual({
      state: "available",
      filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });
    for (const x of built.invokes) expect([x.token, x.underNetwork]).toEqual([x.token, true]);
  });
});

describe('natGateways "instance" (pinned zones, no IPv6, another CIDR)', () => {
  let built: Built;
  let r: SynthResult;
  beforeAll(async () => {
    built = await build(
      aws({
        cidr: "172.20.0.0/20",
        natGateways: "instance",
        ipv6: false,
        availabilityZones: ["eu-west-1c", "eu-west-1a"],
        flowLogRetentionDays: 7,
      }),
    );
    r = built.result;
  });
  const id = (type: string, name: string) => resource(r, type, name).id;
  const urn = (type: string, name: string) => resource(r, type, name).urn;

  test("declares the NAT instance and its security group, role, profile and alarm; no NAT gateway, no IPv6 route", () => {
    expect(names(r)).toEqual(
      [
        `${T.vpc} net-vpc`,
        `${T.defaultSg} net-default-sg`,
        `${T.igw} net-igw`,
        `${T.subnet} net-public-1`,
        `${T.subnet} net-public-2`,
        `${T.subnet} net-private-1`,
        `${T.subnet} net-private-2`,
        `${T.routeTable} net-public-rt`,
        `${T.routeTable} net-private-rt-1`,
        `${T.routeTable} net-private-rt-2`,
        `${T.route} net-public-default`,
        `${T.route} net-private-default-1`,
        `${T.route} net-private-default-2`,
        `${T.association} net-public-1`,
        `${T.association} net-public-2`,
        `${T.association} net-private-1`,
        `${T.association} net-private-2`,
        `${T.sg} net-nat`,
        `${T.ingress} net-nat-from-vpc`,
        `${T.egress} net-nat-out`,
        `${T.role} net-nat`,
        `${T.attachment} net-nat-ssm`,
        `${T.profile} net-nat`,
        `${T.instance} net-nat`,
        `${T.alarm} net-nat-recover`,
        `${T.endpoint} net-s3`,
        `${T.key} net-flow-logs`,
        `${T.logGroup} net-flow-logs`,
        `${T.role} net-flow-logs`,
        `${T.rolePolicy} net-flow-logs`,
        `${T.flowLog} net-flow-log`,
      ].sort(),
    );
    for (const x of physical(r)) expect([x.name, x.parent]).toEqual([x.name, NETWORK_URN]);
    for (const type of [T.sg, T.role, T.profile, T.instance, T.alarm]) {
      expect(tagsOf(resource(r, type, type === T.alarm ? "net-nat-recover" : "net-nat"))).toEqual(tag("nat"));
    }
  });

  test("the pinned zones and the VPC's own plan, without IPv6", () => {
    expect(resource(r, T.vpc, "net-vpc").inputs).toEqual({
      cidrBlock: "172.20.0.0/20",
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: tag("vpc"),
    });
    const subnets = ofType(r, T.subnet).map((s) => [s.name, s.inputs]);
    const vpcId = id(T.vpc, "net-vpc");
    const subnet = (name: string, cidrBlock: string, availabilityZone: string, tier: string) => [
      name,
      { vpcId, cidrBlock, availabilityZone, mapPublicIpOnLaunch: false, tags: tag(name.slice(4), { Tier: tier }) },
    ];
    expect(subnets).toEqual([
      subnet("net-private-1", "172.20.0.0/22", "eu-west-1c", "private"),
      subnet("net-private-2", "172.20.4.0/22", "eu-west-1a", "private"),
      subnet("net-public-1", "172.20.12.0/24", "eu-west-1c", "public"),
      subnet("net-public-2", "172.20.13.0/24", "eu-west-1a", "public"),
    ]);
  });

  test("the instance: ARM AL2023 in the first public subnet, a NAT by its user data, locked down, after the gateway", () => {
    const instance = resource(r, T.instance, "net-nat");
    expect(instance.inputs).toEqual({
      ami: "ami-0123456789abcdef0",
      instanceType: "t4g.nano",
      subnetId: id(T.subnet, "net-public-1"),
      vpcSecurityGroupIds: [id(T.sg, "net-nat")],
      // The profile carries the role that lets Session Manager reach the instance.
      iamInstanceProfile: resource(r, T.profile, "net-nat").state!["name"],
      associatePublicIpAddress: true,
      sourceDestCheck: false,
      userData: NAT_INSTANCE_USER_DATA,
      userDataReplaceOnChange: false,
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
      rootBlockDevice: { volumeType: "gp3", volumeSize: 8, encrypted: true, deleteOnTermination: true },
      maintenanceOptions: { autoRecovery: "default" },
      monitoring: false,
      tags: tag("nat"),
    });
    expect(instance.options).toEqual({ ignoreChanges: ["ami"] });
    expect(instance.dependencies).toContain(urn(T.igw, "net-igw"));
    expect(instance.propertyDependencies["iamInstanceProfile"]).toEqual([urn(T.profile, "net-nat")]);
    for (const line of [
      'echo "net.ipv4.ip_forward = 1" > /etc/sysctl.d/90-nat.conf',
      'iptables -t nat -A POSTROUTING -o "$device" -j MASQUERADE',
      "echo latest > /etc/dnf/vars/releasever",
      "systemctl enable --now dnf-automatic.timer",
    ]) {
      expect(NAT_INSTANCE_USER_DATA.split("\n")).toContain(line);
    }
    expect(NAT_INSTANCE_USER_DATA.startsWith("#!/bin/bash\n")).toBe(true);
  });

  test("its security group lets the VPC in and anything out; its role only Session Manager", () => {
    const sg = resource(r, T.sg, "net-nat");
    expect(sg.inputs).toEqual({
      vpcId: id(T.vpc, "net-vpc"),
      description: "net NAT instance: the VPC's traffic out",
      tags: tag("nat"),
    });
    expect(resource(r, T.ingress, "net-nat-from-vpc").inputs).toEqual({
      securityGroupId: sg.id,
      ipProtocol: "-1",
      cidrIpv4: "172.20.0.0/20",
      description: "everything from the VPC",
    });
    expect(resource(r, T.egress, "net-nat-out").inputs).toEqual({
      securityGroupId: sg.id,
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
      description: "the VPC's traffic, translated",
    });
    const role = resource(r, T.role, "net-nat");
    expect({ ...role.inputs, assumeRolePolicy: JSON.parse(String(role.inputs["assumeRolePolicy"])) }).toEqual({
      description: "net NAT instance: Session Manager access, no SSH",
      assumeRolePolicy: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      },
      tags: tag("nat"),
    });
    expect(resource(r, T.attachment, "net-nat-ssm").inputs).toEqual({
      role: role.state!["name"],
      policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    });
    expect(resource(r, T.profile, "net-nat").inputs).toEqual({ role: role.state!["name"], tags: tag("nat") });
  });

  test("an alarm recovers the instance onto new hardware when the system status check fails twice", () => {
    expect(resource(r, T.alarm, "net-nat-recover").inputs).toEqual({
      alarmDescription: "net NAT instance: recover onto new hardware when the system status check fails",
      namespace: "AWS/EC2",
      metricName: "StatusCheckFailed_System",
      dimensions: { InstanceId: id(T.instance, "net-nat") },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 2,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      alarmActions: ["arn:aws:automate:eu-west-1:ec2:recover"],
      tags: tag("nat"),
    });
  });

  test("every private route table sends its default route to the instance's network interface", () => {
    const eni = resource(r, T.instance, "net-nat").state!["primaryNetworkInterfaceId"];
    expect(eni).toMatch(/^eni-/);
    for (const i of [1, 2]) {
      expect(resource(r, T.route, `net-private-default-${i}`).inputs).toEqual({
        routeTableId: id(T.routeTable, `net-private-rt-${i}`),
        destinationCidrBlock: "0.0.0.0/0",
        networkInterfaceId: eni,
      });
    }
  });

  test("outputs: the instance, no NAT gateway, no IPv6 readiness, the pinned zones", () => {
    const instance = resource(r, T.instance, "net-nat");
    expect(r.outputs).toMatchObject({
      cidr: "172.20.0.0/20",
      azCount: 2,
      availabilityZones: ["eu-west-1c", "eu-west-1a"],
      natGatewayIds: [],
      ipv6: false,
      publicIpv6Ready: [],
      hasNatInstance: true,
      natInstance: { id: instance.id, arn: instance.state!["arn"] },
      egressReady: [1, 2].flatMap((i) => [
        urn(T.association, `net-private-${i}`),
        urn(T.route, `net-private-default-${i}`),
      ]),
    });
    expect(resource(r, T.logGroup, "net-flow-logs").inputs["retentionInDays"]).toBe(7);
  });

  test("reads the AMI from SSM's ARM AL2023 parameter; pinned zones need no zone lookup", () => {
    expect(NAT_INSTANCE_AMI_PARAMETER).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
    expect(built.invokes.map((x) => x.token).sort()).toEqual([
      "aws:index/getCallerIdentity:getCallerIdentity",
      "aws:index/getRegion:getRegion",
      "aws:index/getRegion:getRegion",
      "aws:ssm/getParameter:getParameter",
    ]);
    expect(built.invokes.find((x) => x.token === "aws:ssm/getParameter:getParameter")?.args).toEqual({
      name: NAT_INSTANCE_AMI_PARAMETER,
    });
    for (const x of built.invokes) expect([x.token, x.underNetwork]).toEqual([x.token, true]);
  });
});

describe("the other NAT modes", () => {
  test('"single" over 3 AZs: one NAT gateway in the first public subnet routes every private subnet', async () => {
    const { result: r } = await build(aws({ cidr: "192.168.0.0/16", natGateways: "single", azCount: 3 }));
    expect(ofType(r, T.nat).map((x) => x.name)).toEqual(["net-nat-1"]);
    expect(ofType(r, T.eip).map((x) => x.name)).toEqual(["net-nat-1"]);
    const nat = resource(r, T.nat, "net-nat-1");
    expect(nat.inputs["subnetId"]).toBe(resource(r, T.subnet, "net-public-1").id);
    for (const i of [1, 2, 3]) {
      expect(resource(r, T.route, `net-private-default-${i}`).inputs).toEqual({
        routeTableId: resource(r, T.routeTable, `net-private-rt-${i}`).id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nat.id,
      });
    }
    expect(r.outputs["natGatewayIds"]).toEqual([nat.id]);
    expect(r.outputs["egressReady"]).toHaveLength(6);
    expect(ofType(r, T.instance)).toEqual([]);
  });

  test('"none": no NAT of any kind and no private default route; egress is ready once the subnets are associated', async () => {
    const { result: r } = await build(aws({ cidr: "10.9.0.0/16", natGateways: "none" }));
    for (const type of [T.nat, T.eip, T.instance, T.sg]) expect(ofType(r, type)).toEqual([]);
    expect(ofType(r, T.route).map((x) => x.name)).toEqual(["net-public-default", "net-public-default-ipv6"]);
    expect(r.outputs).toMatchObject({
      azCount: 2,
      availabilityZones: ["eu-west-1a", "eu-west-1b"],
      natGatewayIds: [],
      hasNatInstance: false,
      egressReady: [1, 2].map((i) => resource(r, T.association, `net-private-${i}`).urn),
    });
    expect(resource(r, T.endpoint, "net-s3").inputs["routeTableIds"]).toEqual(
      [1, 2].map((i) => resource(r, T.routeTable, `net-private-rt-${i}`).id),
    );
  });
});

test("a region with fewer zones than azCount fails with both numbers", async () => {
  let error: unknown;
  const result = await recordProgram(STACK, async () => {
    const invoke = pulumi.runtime.invokeOutput;
    const spy = jest.spyOn(pulumi.runtime, "invokeOutput").mockImplementation((token, props, opts, ref) => {
      const out = invoke(token, props, opts, ref);
      const twoZones = (z: unknown) => ({ ...(z as object), names: (z as { names: string[] }).names.slice(0, 2) });
      return token === AZ_TOKEN ? out.apply(twoZones) : out;
    });
    let network: Network;
    try {
      network = new Network("net", {
        target: "aws",
        cidr: "10.9.0.0/16",
        azCount: 3,
        // The region offers two zones. Each subnet's zone comes from the failed lookup: observe its failure here and
        // give the subnet a fixed zone, so the failure surfaces in the network's output alone.
        transform: {
          subnet: (args) => {
            const zone = args.availabilityZone as unknown as OutputInternals;
            for (const p of [zone.promise(), zone.isKnown, zone.isSecret]) p.catch(() => undefined);
            args.availabilityZone = "eu-west-1a";
          },
        },
      });
    } finally {
      spy.mockRestore();
    }
    const zones = network.requireCloud("test").availabilityZones as unknown as OutputInternals;
    zones.isKnown.catch(() => undefined);
    error = await zones.promise().then(
      () => undefined,
      (e: unknown) => e,
    );
    return {};
  });
  expect(ofType(result, T.subnet)).toHaveLength(6);
  expect(error).toBeInstanceOf(pulumi.ResourceError);
  expect((error as Error).message).toBe("the region offers 2 availability zones without opt-in; azCount is 3");
});

describe("the Docker variant", () => {
  let r: SynthResult;
  beforeAll(async () => {
    ({ result: r } = await build({
      target: "docker",
      networkName: "acme_dev.local-1",
      labels: { zeta: "z", "managed-by": "someone", alpha: "a" },
    }));
  });

  test("one bridge network under the component, labels sorted, managed-by always pulumi", () => {
    expect(physical(r).map((x) => `${x.type} ${x.name}`)).toEqual([`${T.dockerNetwork} net-network`]);
    const network = resource(r, T.dockerNetwork, "net-network");
    expect(network.parent).toBe(NETWORK_URN);
    expect(network.inputs).toEqual({
      name: "acme_dev.local-1",
      driver: "bridge",
      labels: [
        { label: "alpha", value: "a" },
        { label: "managed-by", value: "pulumi" },
        { label: "zeta", value: "z" },
      ],
    });
    expect(r.outputs).toEqual({
      networkName: network.state!["name"],
      networkId: network.id,
      registered: { networkName: network.state!["name"] },
    });
  });

  test("a transform reaches the network", async () => {
    const { result } = await build({
      target: "docker",
      networkName: "acme-dev",
      transform: { network: { internal: true } },
    });
    expect(resource(result, T.dockerNetwork, "net-network").inputs).toMatchObject({ name: "acme-dev", internal: true });
  });
});

describe("requireCloud and requireLocal", () => {
  const failure = async (program: () => void) =>
    recordProgram(STACK, async () => {
      program();
      return {};
    }).then(
      () => undefined,
      (e: unknown) => e as SynthError,
    );

  test("a cloud consumer of a Docker network is told it needs target aws", async () => {
    const error = await failure(() =>
      new Network("net", { target: "docker", networkName: "acme-dev" }).requireCloud("RedisCache cache"),
    );
    expect(error?.message).toBe('RedisCache cache needs a network with target "aws" (got "docker")');
  });

  test("a local consumer of a VPC is told it needs target docker", async () => {
    const error = await failure(() =>
      new Network("net", { target: "aws", cidr: "10.9.0.0/16", natGateways: "none" }).requireLocal("WebApp web"),
    );
    expect(error).toBeInstanceOf(SynthError);
    expect(error?.message).toBe('WebApp web needs a network with target "docker" (got "aws")');
  });
});
