import * as aws from "@pulumi/aws";
import { Network, validateNetworkArgs, planSubnets, type AwsNetworkArgs } from "../../components/network";
import { awsNetworkDefaults } from "../../components/network/aws";
import { ipv6SubnetCidr } from "../../components/network/subnets";
import { recordProgram, SynthError, type SynthResult } from "../../synth/synth";
import { ofType, physical, resource, stackFile, useStacks } from "../helpers/synth";
import { synthesizeConfig } from "../../synth/synth";

const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  nat: "aws:ec2/natGateway:NatGateway",
  eip: "aws:ec2/eip:Eip",
  route: "aws:ec2/route:Route",
  routeTable: "aws:ec2/routeTable:RouteTable",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  dockerNetwork: "docker:index/network:Network",
} as const;

const r = useStacks();

describe("subnet plan", () => {
  test("private subnets take a quarter each, public ones sixteenths of the last quarter", () => {
    expect(planSubnets("10.20.0.0/16", 3)).toEqual({
      private: ["10.20.0.0/18", "10.20.64.0/18", "10.20.128.0/18"],
      public: ["10.20.192.0/20", "10.20.208.0/20", "10.20.224.0/20"],
    });
  });

  test("going from 2 to 3 AZs adds subnets without renumbering", () => {
    const two = planSubnets("10.0.0.0/16", 2);
    const three = planSubnets("10.0.0.0/16", 3);
    expect(three.private.slice(0, 2)).toEqual(two.private);
    expect(three.public.slice(0, 2)).toEqual(two.public);
  });

  test("the smallest VPC (/24) still yields subnets AWS accepts (/28 or larger)", () => {
    expect(planSubnets("10.1.2.0/24", 3).public).toEqual(["10.1.2.192/28", "10.1.2.208/28", "10.1.2.224/28"]);
  });
});

describe.each([
  ["staging", 2, 0, 30, true],
  ["production", 2, 0, 90, true],
  ["production-large", 3, 3, 365, false],
  // A preview has no network of its own: it joins staging's (test/stacks/preview.test.ts).
] as const)("the %s network", (env, azs, nats, retention, natInstance) => {
  test(`spans ${azs} AZs with a public and a private subnet in each`, () => {
    const subnets = ofType(r(env), T.subnet);
    expect(subnets).toHaveLength(2 * azs);
    const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"].slice(0, azs);
    for (const tier of ["public", "private"]) {
      const tierSubnets = subnets.filter((s) => (s.inputs["tags"] as Record<string, string>)["Tier"] === tier);
      expect(tierSubnets.map((s) => s.inputs["availabilityZone"]).sort()).toEqual(zones);
    }
  });

  test("gives nothing a public IP implicitly", () => {
    for (const s of ofType(r(env), T.subnet)) expect(s.inputs["mapPublicIpOnLaunch"]).toBe(false);
  });

  test(`has ${nats} NAT gateway(s), each in a public subnet with its own Elastic IP`, () => {
    const gateways = ofType(r(env), T.nat);
    expect(gateways).toHaveLength(nats);
    expect(ofType(r(env), T.eip)).toHaveLength(nats);
    for (const [i, nat] of gateways.entries()) {
      const subnet = resource(r(env), T.subnet, `network-public-${i + 1}`);
      expect(nat.inputs["subnetId"]).toBe(subnet.id);
      expect(resource(r(env), T.eip, nat.name).inputs["domain"]).toBe("vpc");
    }
  });

  test("routes each private subnet's egress through the NAT gateway of its AZ, the single one, or the NAT instance", () => {
    const privateDefaults = ofType(r(env), T.route).filter((x) => x.name.startsWith("network-private-default-"));
    expect(privateDefaults).toHaveLength(azs);
    if (natInstance) {
      const instance = resource(r(env), "aws:ec2/instance:Instance", "network-nat");
      for (const route of privateDefaults) {
        expect(route.inputs["destinationCidrBlock"]).toBe("0.0.0.0/0");
        expect(route.propertyDependencies["networkInterfaceId"]).toEqual([instance.urn]);
      }
      return;
    }
    for (const route of privateDefaults) {
      const i = Number(route.name.split("-").pop());
      const nat = resource(r(env), T.nat, `network-nat-${(nats as number) === 1 ? 1 : i}`);
      expect(route.inputs).toMatchObject({ destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id });
      expect(route.propertyDependencies["natGatewayId"]).toEqual([nat.urn]);
      expect(route.inputs["routeTableId"]).toBe(resource(r(env), T.routeTable, `network-private-rt-${i}`).id);
    }
  });

  test("sends public subnets to the internet gateway", () => {
    const route = resource(r(env), T.route, "network-public-default");
    const table = resource(r(env), T.routeTable, "network-public-rt");
    expect(route.inputs).toMatchObject({
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: resource(r(env), "aws:ec2/internetGateway:InternetGateway", "network-igw").id,
      routeTableId: table.id,
    });
    const publicSubnets = ofType(r(env), T.subnet).filter((s) => s.name.startsWith("network-public-"));
    const associations = ofType(r(env), "aws:ec2/routeTableAssociation:RouteTableAssociation").filter(
      (x) => x.inputs["routeTableId"] === table.id,
    );
    expect(associations.map((x) => x.inputs["subnetId"]).sort()).toEqual(publicSubnets.map((s) => s.id).sort());
  });

  test("strips every rule from the default security group", () => {
    const sg = resource(r(env), T.defaultSg, "network-default-sg");
    expect(sg.inputs["ingress"]).toEqual([]);
    expect(sg.inputs["egress"]).toEqual([]);
    expect(sg.inputs["vpcId"]).toBe(resource(r(env), T.vpc, "network-vpc").id);
  });

  test("keeps S3 traffic on a gateway endpoint on every private route table", () => {
    const endpoint = resource(r(env), T.endpoint, "network-s3");
    expect(endpoint.inputs).toMatchObject({ serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway" });
    const tables = ofType(r(env), T.routeTable).filter((t) => t.name.startsWith("network-private-rt-"));
    expect(endpoint.inputs["routeTableIds"]).toEqual(tables.map((t) => t.id));
  });

  test(`logs all traffic to CloudWatch, encrypted with its own key, kept ${retention} days`, () => {
    const group = resource(r(env), T.logGroup, "network-flow-logs");
    expect(group.inputs["retentionInDays"]).toBe(retention);
    const key = resource(r(env), "aws:kms/key:Key", "network-flow-logs");
    expect(group.inputs["kmsKeyId"]).toBe(key.state!["arn"]);
    expect(key.inputs["enableKeyRotation"]).toBe(true);
    expect(JSON.parse(String(key.inputs["policy"])).Statement[1]).toMatchObject({
      Principal: { Service: "logs.eu-west-1.amazonaws.com" },
      Condition: {
        ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*" },
      },
    });
    const flowLog = resource(r(env), T.flowLog, "network-flow-log");
    expect(flowLog.inputs).toMatchObject({
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.state!["arn"],
      vpcId: resource(r(env), T.vpc, "network-vpc").id,
      iamRoleArn: resource(r(env), T.role, "network-flow-logs").state!["arn"],
    });
  });

  test("lets only this account's flow-logs service assume the role, and only write to its log group", () => {
    const trust = JSON.parse(resource(r(env), T.role, "network-flow-logs").inputs["assumeRolePolicy"] as string);
    expect(trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
    const arn = String(resource(r(env), T.logGroup, "network-flow-logs").state!["arn"]);
    const policy = JSON.parse(resource(r(env), T.rolePolicy, "network-flow-logs").inputs["policy"] as string);
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Resource).toEqual([arn, `${arn}:*`]);
    expect(policy.Statement[0].Action).not.toContain("*");
  });

  test("a NAT instance, where there is one: no source/destination check, a public address, IMDSv2, recovered by an alarm", () => {
    const instances = ofType(r(env), "aws:ec2/instance:Instance");
    if (!natInstance) {
      expect(instances).toEqual([]);
      return;
    }
    const instance = resource(r(env), "aws:ec2/instance:Instance", "network-nat");
    expect(instance.inputs).toMatchObject({
      instanceType: "t4g.nano",
      sourceDestCheck: false,
      associatePublicIpAddress: true,
      subnetId: resource(r(env), T.subnet, "network-public-1").id,
      metadataOptions: { httpTokens: "required" },
      rootBlockDevice: { encrypted: true },
      maintenanceOptions: { autoRecovery: "default" },
    });
    // A newer AMI must not replace the instance (egress would stop while it is recreated).
    expect(instance.options.ignoreChanges).toEqual(["ami"]);
    expect(String(instance.inputs["userData"])).toContain("MASQUERADE");
    const alarm = resource(r(env), "aws:cloudwatch/metricAlarm:MetricAlarm", "network-nat-recover");
    expect(alarm.inputs).toMatchObject({ metricName: "StatusCheckFailed_System", namespace: "AWS/EC2" });
    expect(alarm.inputs["alarmActions"]).toEqual(["arn:aws:automate:eu-west-1:ec2:recover"]);
    const ingress = resource(
      r(env),
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "network-nat-from-vpc",
    );
    expect(ingress.inputs).toMatchObject({
      ipProtocol: "-1",
      cidrIpv4: resource(r(env), T.vpc, "network-vpc").inputs["cidrBlock"],
    });
  });

  test("enables DNS in the VPC (needed by endpoints and RDS/ElastiCache names)", () => {
    expect(resource(r(env), T.vpc, "network-vpc").inputs).toMatchObject({
      enableDnsHostnames: true,
      enableDnsSupport: true,
    });
  });

  test("creates every AWS resource through the stack's explicit provider, tagged with the standard tags", () => {
    const provider = resource(r(env), "pulumi:providers:aws", "aws");
    expect(JSON.parse(provider.inputs["defaultTags"] as string)).toEqual({
      tags: {
        Project: "saas-platform",
        Stack: env.replace("-large", ""),
        Environment: env.replace("-large", ""),
        ManagedBy: "pulumi",
      },
    });
    expect(provider.inputs["region"]).toBe("eu-west-1");
    // Pinned in staging and production; previews inherit staging's file here.
    expect(provider.inputs["allowedAccountIds"]).toBe(JSON.stringify(["123456789012"]));
    const awsResources = physical(r(env)).filter((x) => x.type.startsWith("aws:"));
    expect(awsResources.length).toBeGreaterThan(20);
    // Only the uptime checks (and their alarm topics) live in us-east-1, through its own explicit provider.
    const usEast1 = resource(r(env), "pulumi:providers:aws", "aws-us-east-1");
    expect(usEast1.inputs["region"]).toBe("us-east-1");
    for (const x of awsResources) {
      if (x.provider === usEast1.urn) expect(x.name).toMatch(/^monitoring-(uptime-|.*us-east-1)/);
      else expect(x.provider).toBe(provider.urn);
    }
  });

  test("exports the subnet ids the tiers need, in AZ order", () => {
    const id = (name: string) => resource(r(env), T.subnet, name).id;
    expect(r(env).outputs["privateSubnetIds"]).toEqual(
      Array.from({ length: azs }, (_, i) => id(`network-private-${i + 1}`)),
    );
    expect(r(env).outputs["publicSubnetIds"]).toEqual(
      Array.from({ length: azs }, (_, i) => id(`network-public-${i + 1}`)),
    );
  });
});

test("the Name tags say which project and stack a resource belongs to", () => {
  expect(resource(r("production"), T.vpc, "network-vpc").inputs["tags"]).toMatchObject({
    Name: "saas-platform-production-network-vpc",
    App: "acme-app",
  });
});

test("pinned availability zones are used as given", async () => {
  const result = await synthesizeConfig({
    ...stackFile("staging"),
    config: {
      ...stackFile("staging").config,
      "saas-platform:network": JSON.stringify({
        cidr: "10.20.0.0/16",
        availabilityZones: ["eu-west-1c", "eu-west-1b"],
      }),
    },
  });
  expect(
    ofType(result, T.subnet)
      .filter((s) => s.name.startsWith("network-private"))
      .map((s) => s.inputs["availabilityZone"]),
  ).toEqual(["eu-west-1c", "eu-west-1b"]);
});

describe("the dev network", () => {
  test("is one Docker bridge network and nothing in AWS", () => {
    expect(physical(r("dev")).filter((x) => x.type.startsWith("aws:"))).toEqual([]);
    expect(ofType(r("dev"), T.dockerNetwork)).toHaveLength(1);
    const network = resource(r("dev"), T.dockerNetwork, "network-network");
    expect(network.inputs).toMatchObject({ name: "saas-platform-dev-net", driver: "bridge" });
    expect(network.inputs["labels"]).toEqual([
      { label: "environment", value: "dev" },
      { label: "managed-by", value: "pulumi" },
      { label: "project", value: "saas-platform" },
      { label: "stack", value: "dev" },
    ]);
    expect(r("dev").outputs["dockerNetwork"]).toBe("saas-platform-dev-net");
  });
});

describe("Network args", () => {
  test("every problem is reported at once, before anything is declared", () => {
    expect(() =>
      validateNetworkArgs("network", {
        target: "aws",
        cidr: "10.0.0.0/25",
        azCount: 4 as 3,
        natGateways: "both" as "none",
        flowLogRetentionDays: 10,
        availabilityZones: ["eu-west-1a", "eu-west-1a"],
      }),
    ).toThrow(
      [
        'Network "network" has invalid args:',
        '  - cidr must be an IPv4 network in CIDR form with prefix /16 to /24 whose address is the network\'s first address, such as 10.20.0.0/16 (got "10.0.0.0/25")',
        "  - azCount must be 2 or 3 (got 4)",
        '  - natGateways must be one of none, instance, single, perAz (got "both")',
        "  - flowLogRetentionDays must be a period CloudWatch accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653) (got 10)",
        "  - availabilityZones must list exactly azCount (4) zones (got 2)",
        '  - availabilityZones must not repeat a zone (got ["eu-west-1a","eu-west-1a"])',
      ].join("\n"),
    );
  });

  test("invalid args declare no resource, not even the component", async () => {
    const error = await recordProgram(
      { project: "saas-platform", stack: "test", config: {}, secretKeys: [] },
      async () => {
        new Network("bad", { target: "aws", cidr: "not-a-cidr" });
        return {};
      },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SynthError);
    expect((error as SynthError).message).toContain('Network "bad" has invalid args');
    expect((error as SynthError).declared.map((x) => x.type)).toEqual(["pulumi:pulumi:Stack"]);
  });

  test("defaults are the safe choice: NAT per AZ, 2 AZs, 30-day flow logs", async () => {
    const result = await recordProgram(
      { project: "saas-platform", stack: "test", config: {}, secretKeys: [] },
      async () => {
        new Network("net", { target: "aws", cidr: "10.9.0.0/16" });
        return {};
      },
    );
    expect(ofType(result, T.nat)).toHaveLength(2);
    expect(ofType(result, T.subnet)).toHaveLength(4);
    expect(resource(result, T.logGroup, "net-flow-logs").inputs["retentionInDays"]).toBe(30);
  });

  test("a transform changes a child the component declares (object merge and function)", async () => {
    const result = await recordProgram(
      { project: "saas-platform", stack: "test", config: {}, secretKeys: [] },
      async () => {
        const provider = new aws.Provider("aws", { region: "eu-west-1" });
        new Network(
          "net",
          {
            target: "aws",
            cidr: "10.9.0.0/16",
            natGateways: "none",
            transform: {
              vpc: { enableNetworkAddressUsageMetrics: true },
              flowLog: (args) => {
                args.trafficType = "REJECT";
              },
            },
          },
          { providers: [provider] },
        );
        return {};
      },
    );
    expect(resource(result, T.vpc, "net-vpc").inputs["enableNetworkAddressUsageMetrics"]).toBe(true);
    expect(resource(result, T.flowLog, "net-flow-log").inputs["trafficType"]).toBe("REJECT");
  });
});

describe("Network from plain args", () => {
  const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
  /** The component alone; its outputs come back as stack outputs, so the tests read what consumers would get. */
  const build = (args: Partial<Omit<AwsNetworkArgs, "target">> = {}) =>
    recordProgram(STACK, async () => {
      const cloud = new Network("net", { target: "aws", cidr: "10.9.0.0/16", ...args }).requireCloud("test");
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
        flowLogGroupName: cloud.flowLogGroupName,
        logsKmsKeyArn: cloud.logsKmsKeyArn,
        natInstance: cloud.natInstance,
        egressReady: cloud.egressReady.map((x) => x.urn),
      };
    });
  let defaults: SynthResult;
  beforeAll(async () => {
    defaults = await build();
  });
  const names = (result: SynthResult, type: string) => ofType(result, type).map((x) => x.name);
  const tags = (x: { inputs: Record<string, unknown> }) => x.inputs["tags"] as Record<string, string>;

  test("awsNetworkDefaults fills every omitted arg", () => {
    expect(awsNetworkDefaults({ target: "aws", cidr: "10.9.0.0/16" })).toEqual({
      target: "aws",
      cidr: "10.9.0.0/16",
      azCount: 2,
      natGateways: "perAz",
      flowLogRetentionDays: 30,
      ipv6: true,
      tags: {},
    });
  });

  test("azCount omitted: 2 AZs, the region's first two zones, a public and a private subnet in each", () => {
    expect(defaults.outputs["azCount"]).toBe(2);
    expect(defaults.outputs["availabilityZones"]).toEqual(["eu-west-1a", "eu-west-1b"]);
    const subnets = ofType(defaults, T.subnet).map((s) => [
      s.name,
      s.inputs["cidrBlock"],
      s.inputs["availabilityZone"],
    ]);
    expect(subnets).toEqual([
      ["net-private-1", "10.9.0.0/18", "eu-west-1a"],
      ["net-private-2", "10.9.64.0/18", "eu-west-1b"],
      ["net-public-1", "10.9.192.0/20", "eu-west-1a"],
      ["net-public-2", "10.9.208.0/20", "eu-west-1b"],
    ]);
  });

  test("natGateways omitted: one NAT gateway per AZ, each private subnet routed through its own AZ's", () => {
    expect(names(defaults, T.nat)).toEqual(["net-nat-1", "net-nat-2"]);
    expect(names(defaults, T.eip)).toEqual(["net-nat-1", "net-nat-2"]);
    for (const i of [1, 2]) {
      const nat = resource(defaults, T.nat, `net-nat-${i}`);
      expect(nat.inputs["subnetId"]).toBe(resource(defaults, T.subnet, `net-public-${i}`).id);
      expect(nat.inputs["allocationId"]).toBe(resource(defaults, T.eip, `net-nat-${i}`).state!["allocationId"]);
      expect(resource(defaults, T.route, `net-private-default-${i}`).inputs).toEqual({
        routeTableId: resource(defaults, T.routeTable, `net-private-rt-${i}`).id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nat.id,
      });
    }
    expect(ofType(defaults, "aws:ec2/instance:Instance")).toEqual([]);
    expect(defaults.outputs["natGatewayIds"]).toEqual(ofType(defaults, T.nat).map((n) => n.id));
    expect(defaults.outputs).not.toHaveProperty("natInstance");
  });

  test("flowLogRetentionDays omitted: flow logs kept 30 days", () => {
    expect(resource(defaults, T.logGroup, "net-flow-logs").inputs["retentionInDays"]).toBe(30);
  });

  test("ipv6 omitted: an Amazon /56 on the VPC, a /64 per public subnet, ::/0 to the internet gateway; private stay IPv4", async () => {
    const vpc = resource(defaults, T.vpc, "net-vpc");
    expect(vpc.inputs["assignGeneratedIpv6CidrBlock"]).toBe(true);
    const block = String(vpc.state!["ipv6CidrBlock"]);
    for (const i of [1, 2]) {
      const pub = resource(defaults, T.subnet, `net-public-${i}`);
      expect(pub.inputs).toMatchObject({
        ipv6CidrBlock: ipv6SubnetCidr(block, i - 1),
        assignIpv6AddressOnCreation: false,
      });
      expect(resource(defaults, T.subnet, `net-private-${i}`).inputs).not.toHaveProperty("ipv6CidrBlock");
    }
    expect(resource(defaults, T.route, "net-public-default-ipv6").inputs).toEqual({
      routeTableId: resource(defaults, T.routeTable, "net-public-rt").id,
      destinationIpv6CidrBlock: "::/0",
      gatewayId: resource(defaults, "aws:ec2/internetGateway:InternetGateway", "net-igw").id,
    });
    expect(defaults.outputs["ipv6"]).toBe(true);

    const v4 = await build({ ipv6: false });
    expect(resource(v4, T.vpc, "net-vpc").inputs).not.toHaveProperty("assignGeneratedIpv6CidrBlock");
    for (const s of ofType(v4, T.subnet)) expect(s.inputs).not.toHaveProperty("ipv6CidrBlock");
    expect(names(v4, T.route)).not.toContain("net-public-default-ipv6");
    expect(v4.outputs["ipv6"]).toBe(false);
  });

  test("tags omitted: children carry only their Name (and a subnet its Tier); given tags reach every child", async () => {
    expect(tags(resource(defaults, T.vpc, "net-vpc"))).toEqual({ Name: "saas-platform-test-net-vpc" });
    expect(tags(resource(defaults, T.subnet, "net-private-1"))).toEqual({
      Name: "saas-platform-test-net-private-1",
      Tier: "private",
    });
    const tagged = await build({ tags: { CostCentre: "web" }, natGateways: "instance" });
    for (const x of physical(tagged)) {
      if ("tags" in x.inputs) expect(tags(x)).toMatchObject({ CostCentre: "web" });
    }
    // Every resource type that takes tags got them (the routes and associations take none).
    expect(
      physical(tagged)
        .filter((x) => !("tags" in x.inputs))
        .map((x) => x.type)
        .filter((t, i, all) => all.indexOf(t) === i)
        .sort(),
    ).toEqual([
      "aws:ec2/route:Route",
      "aws:ec2/routeTableAssociation:RouteTableAssociation",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    ]);
  });

  test("private by default: no public IP on launch, a locked default security group, DNS on", () => {
    for (const s of ofType(defaults, T.subnet)) expect(s.inputs["mapPublicIpOnLaunch"]).toBe(false);
    const vpc = resource(defaults, T.vpc, "net-vpc");
    expect(vpc.inputs).toMatchObject({ cidrBlock: "10.9.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
    expect(resource(defaults, T.defaultSg, "net-default-sg").inputs).toMatchObject({
      vpcId: vpc.id,
      ingress: [],
      egress: [],
    });
  });

  test("flow logs: all traffic, into a group encrypted with a rotating key, through a role only this account's flow-logs service assumes", () => {
    const group = resource(defaults, T.logGroup, "net-flow-logs");
    const key = resource(defaults, "aws:kms/key:Key", "net-flow-logs");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(group.inputs["kmsKeyId"]).toBe(key.state!["arn"]);
    const role = resource(defaults, T.role, "net-flow-logs");
    expect(JSON.parse(String(role.inputs["assumeRolePolicy"])).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
    expect(resource(defaults, T.flowLog, "net-flow-log").inputs).toMatchObject({
      vpcId: resource(defaults, T.vpc, "net-vpc").id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.state!["arn"],
      iamRoleArn: role.state!["arn"],
      maxAggregationInterval: 60,
    });
  });

  test("outputs are wired to the resources: ids in AZ order, the flow-log group and key, the egress consumers wait for", () => {
    const id = (type: string, name: string) => resource(defaults, type, name).id;
    expect(defaults.outputs).toMatchObject({
      vpcId: id(T.vpc, "net-vpc"),
      cidr: "10.9.0.0/16",
      publicSubnetIds: [id(T.subnet, "net-public-1"), id(T.subnet, "net-public-2")],
      privateSubnetIds: [id(T.subnet, "net-private-1"), id(T.subnet, "net-private-2")],
      privateRouteTableIds: [id(T.routeTable, "net-private-rt-1"), id(T.routeTable, "net-private-rt-2")],
      flowLogGroupName: resource(defaults, T.logGroup, "net-flow-logs").state!["name"],
      logsKmsKeyArn: resource(defaults, "aws:kms/key:Key", "net-flow-logs").state!["arn"],
    });
    // The private subnets' associations and default routes: egress is ready only when both exist.
    const urn = (type: string, name: string) => resource(defaults, type, name).urn;
    const association = "aws:ec2/routeTableAssociation:RouteTableAssociation";
    expect(defaults.outputs["egressReady"]).toEqual([
      urn(association, "net-private-1"),
      urn(T.route, "net-private-default-1"),
      urn(association, "net-private-2"),
      urn(T.route, "net-private-default-2"),
    ]);
    expect(resource(defaults, T.endpoint, "net-s3").inputs).toMatchObject({
      serviceName: "com.amazonaws.eu-west-1.s3",
      vpcEndpointType: "Gateway",
      routeTableIds: defaults.outputs["privateRouteTableIds"],
    });
  });

  test.each([
    ["single", ["net-nat-1"], ["net-nat-1", "net-nat-1"]],
    ["none", [], []],
  ] as const)("natGateways %s: %j, private routes through %j", async (mode, nats, routes) => {
    const result = await build({ natGateways: mode });
    expect(names(result, T.nat)).toEqual(nats);
    const defaultsOf = ofType(result, T.route).filter((x) => x.name.startsWith("net-private-default-"));
    expect(defaultsOf.map((x) => x.inputs["natGatewayId"])).toEqual(routes.map((n) => resource(result, T.nat, n).id));
    // Without NAT, egress is ready as soon as the subnets are associated.
    if (mode === "none") expect(result.outputs["egressReady"]).toHaveLength(2);
  });

  test('natGateways "instance": one NAT instance routes both AZs, and the network exports it', async () => {
    const result = await build({ natGateways: "instance" });
    expect(ofType(result, T.nat)).toEqual([]);
    const instance = resource(result, "aws:ec2/instance:Instance", "net-nat");
    expect(instance.inputs).toMatchObject({
      instanceType: "t4g.nano",
      sourceDestCheck: false,
      subnetId: resource(result, T.subnet, "net-public-1").id,
      metadataOptions: { httpTokens: "required" },
      rootBlockDevice: { encrypted: true },
    });
    for (const i of [1, 2]) {
      expect(resource(result, T.route, `net-private-default-${i}`).inputs["networkInterfaceId"]).toBe(
        instance.state!["primaryNetworkInterfaceId"],
      );
    }
    expect(result.outputs["natInstance"]).toEqual({ id: instance.id, arn: instance.state!["arn"] });
  });

  test("azCount 3 and pinned zones: three of each subnet, in the zones given", async () => {
    const result = await build({ azCount: 3, availabilityZones: ["eu-west-1c", "eu-west-1a", "eu-west-1b"] });
    expect(result.outputs["availabilityZones"]).toEqual(["eu-west-1c", "eu-west-1a", "eu-west-1b"]);
    expect(
      ofType(result, T.subnet)
        .filter((s) => s.name.startsWith("net-public-"))
        .map((s) => s.inputs["availabilityZone"]),
    ).toEqual(["eu-west-1c", "eu-west-1a", "eu-west-1b"]);
    expect(names(result, T.nat)).toEqual(["net-nat-1", "net-nat-2", "net-nat-3"]);
  });

  test("the Docker variant: a bridge network with its name and sorted labels, managed-by added", async () => {
    const result = await recordProgram(STACK, async () => {
      const local = new Network("net", {
        target: "docker",
        networkName: "acme-dev",
        labels: { project: "acme", owner: "web" },
      }).requireLocal("test");
      return { networkName: local.networkName, networkId: local.networkId };
    });
    const network = resource(result, T.dockerNetwork, "net-network");
    expect(network.inputs).toEqual({
      name: "acme-dev",
      driver: "bridge",
      labels: [
        { label: "managed-by", value: "pulumi" },
        { label: "owner", value: "web" },
        { label: "project", value: "acme" },
      ],
    });
    expect(result.outputs).toEqual({ networkName: network.state!["name"], networkId: network.id });
    expect(physical(result).filter((x) => x.type.startsWith("aws:"))).toEqual([]);
  });

  test("a Docker network name Docker refuses is reported with the value, before anything is declared", async () => {
    const error = await recordProgram(STACK, async () => {
      new Network("net", { target: "docker", networkName: "-bad name" });
      return {};
    }).then(
      () => undefined,
      (e: unknown) => e as SynthError,
    );
    expect(error?.message).toBe(
      'Network "net" has invalid args:\n  - networkName must be a Docker network name (letters, digits, "_", ".", "-") (got "-bad name")',
    );
    expect(error?.declared.map((x) => x.type)).toEqual(["pulumi:pulumi:Stack"]);
  });

  test("a consumer asking for the other variant is told which one it needs", async () => {
    const error = await recordProgram(STACK, async () => {
      new Network("net", { target: "docker", networkName: "acme-dev" }).requireCloud("ManagedPostgres db");
      return {};
    }).then(
      () => undefined,
      (e: unknown) => e as SynthError,
    );
    expect(error?.message).toBe('ManagedPostgres db needs a network with target "aws" (got "docker")');
  });
});
