import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NatMode } from "../aws-facts";
import { namingScope, physicalName } from "../naming";
import { KEY_ADMINISTRATION, plainServiceTrustPolicy, serviceTrustPolicy } from "../iam";
import { transform, type Transform } from "../transform";
import { ipv6SubnetCidr, planSubnets } from "./subnets";

/** Arguments of the AWS variant of {@link Network}. */
export interface AwsNetworkArgs {
  readonly target: "aws";
  /**
   * The VPC's IPv4 block, /16 to /24. Give each environment its own block so VPCs can be peered later.
   * @example "10.20.0.0/16"
   */
  readonly cidr: string;
  /**
   * How many availability zones get a public and a private subnet (2 or 3).
   * @default 2
   */
  readonly azCount?: 2 | 3;
  /**
   * Which zones to use, exactly `azCount` of them. Pin them when a zone lacks an instance type you need.
   * @default - the first `azCount` zones of the region that need no opt-in
   */
  readonly availabilityZones?: readonly string[];
  /**
   * Egress for the private subnets. `perAz`: one NAT gateway per AZ (survives the loss of a zone; ~$39/month each with
   * its public IPv4, plus traffic). `single`: one shared NAT gateway (a zone outage cuts egress for all). `instance`: one
   * t4g.nano NAT instance (~$8/month; EC2 recovers it on a host failure, but a zone outage or an instance failure cuts
   * egress until it is back, and its traffic is capped by the instance's bandwidth). `none`: no internet egress from
   * private subnets (AWS services via endpoints only).
   * @default "perAz"
   */
  readonly natGateways?: NatMode;
  /**
   * Days CloudWatch keeps the VPC flow logs (must be a value CloudWatch accepts).
   * @default 30
   */
  readonly flowLogRetentionDays?: number;
  /**
   * An Amazon-provided IPv6 `/56` on the VPC, a `/64` on each public subnet and a `::/0` route to the internet gateway
   * (no charge). A load balancer in front of Cloudflare can then go IPv6-only (`ApiService`'s `publicIpv4: false`)
   * and save its public IPv4 addresses. Private subnets stay IPv4-only.
   * @default true
   */
  readonly ipv6?: boolean;
  /** Tags merged into every child (the provider's `defaultTags` already add Project, Stack, Environment, ManagedBy). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Escape hatches per child resource. */
  readonly transform?: {
    readonly vpc?: Transform<aws.ec2.VpcArgs>;
    readonly subnet?: Transform<aws.ec2.SubnetArgs>;
    readonly natGateway?: Transform<aws.ec2.NatGatewayArgs>;
    readonly natInstance?: Transform<aws.ec2.InstanceArgs>;
    readonly routeTable?: Transform<aws.ec2.RouteTableArgs>;
    readonly flowLogGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    readonly flowLog?: Transform<aws.ec2.FlowLogArgs>;
    readonly s3Endpoint?: Transform<aws.ec2.VpcEndpointArgs>;
  };
}

/** {@link AwsNetworkArgs} with every default filled in. */
export type ResolvedAwsNetworkArgs = Required<Omit<AwsNetworkArgs, "availabilityZones" | "transform">> &
  Pick<AwsNetworkArgs, "availabilityZones" | "transform">;

/** Fills the defaults of {@link AwsNetworkArgs}. Pure. */
export function awsNetworkDefaults(args: AwsNetworkArgs): ResolvedAwsNetworkArgs {
  return {
    ...args,
    azCount: args.azCount ?? 2,
    natGateways: args.natGateways ?? "perAz",
    flowLogRetentionDays: args.flowLogRetentionDays ?? 30,
    ipv6: args.ipv6 ?? true,
    tags: args.tags ?? {},
  };
}

/** What the cloud tiers consume from the network. */
export interface AwsNetworkOutputs {
  readonly vpcId: pulumi.Output<string>;
  readonly cidr: string;
  /** How many AZs have subnets (known before deployment, for Multi-AZ checks). */
  readonly azCount: number;
  readonly availabilityZones: pulumi.Output<string[]>;
  /** One per AZ, in AZ order: load balancers and NAT gateways. */
  readonly publicSubnetIds: pulumi.Output<string[]>;
  /** One per AZ, in AZ order: services, databases, caches. */
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly privateRouteTableIds: pulumi.Output<string[]>;
  readonly natGatewayIds: pulumi.Output<string[]>;
  /** Whether the public subnets have IPv6 blocks (and a `::/0` route to the internet gateway). */
  readonly ipv6: boolean;
  /**
   * The public subnets' `::/0` route: an IPv6-only load balancer waits for it, so that switching an existing one to
   * IPv6 never leaves it without a public path. Empty without IPv6, and for another stack's network.
   */
  readonly publicIpv6Ready: readonly pulumi.Resource[];
  /** The NAT instance (`natGateways: "instance"`), e.g. for an office-hours schedule that stops it at night. */
  readonly natInstance?: { readonly id: pulumi.Output<string>; readonly arn: pulumi.Output<string> };
  readonly flowLogGroupName: pulumi.Output<string>;
  /**
   * The private subnets' route-table associations and default routes. A consumer that must reach the internet from
   * those subnets as soon as it starts (ECS pulling its image and reading its secrets) waits for them: the subnet ids
   * alone are ready minutes before the NAT gateway and its route. Empty for a network of another stack (its routes
   * exist already).
   */
  readonly egressReady: readonly pulumi.Resource[];
  /**
   * The stack's key for CloudWatch Logs: only CloudWatch Logs of this account and region may use it, for log groups.
   * The flow logs use it, and so may every other log group of the stack. Absent for another stack's network.
   */
  readonly logsKmsKeyArn?: pulumi.Output<string>;
}

/** Declares the VPC and its children under `parent`. */
export function createAwsNetwork(
  name: string,
  args: ResolvedAwsNetworkArgs,
  parent: pulumi.ComponentResource,
): AwsNetworkOutputs {
  const t = args.transform ?? {};
  const opts: pulumi.CustomResourceOptions = { parent };
  // The console shows the Name tag: make it say which project and stack a VPC, subnet or NAT gateway belongs to.
  const scope = namingScope();
  const tagged = (role: string, extra: Record<string, string> = {}) => ({
    ...args.tags,
    Name: physicalName(scope, `${name}-${role}`),
    ...extra,
  });
  const plan = planSubnets(args.cidr, args.azCount);

  const zones: pulumi.Output<string[]> = args.availabilityZones
    ? pulumi.output([...args.availabilityZones])
    : aws
        .getAvailabilityZonesOutput(
          { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
          { parent },
        )
        .names.apply((names) => {
          if (names.length < args.azCount) {
            throw new pulumi.ResourceError(
              `the region offers ${names.length} availability zones without opt-in; azCount is ${args.azCount}`,
              parent,
            );
          }
          return names.slice(0, args.azCount);
        });

  const vpc = new aws.ec2.Vpc(
    ...transform(
      t.vpc,
      `${name}-vpc`,
      {
        cidrBlock: args.cidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        // An Amazon-provided /56 (free): public subnets get a /64 each, so a load balancer can face the internet over
        // IPv6 alone, without paying for public IPv4 addresses. Private subnets stay IPv4-only.
        ...(args.ipv6 ? { assignGeneratedIpv6CidrBlock: true } : {}),
        tags: tagged("vpc"),
      },
      { ...opts },
    ),
  );

  // Without rules the default group denies everything, so nothing lands in it by accident with open egress.
  new aws.ec2.DefaultSecurityGroup(
    `${name}-default-sg`,
    { vpcId: vpc.id, ingress: [], egress: [], tags: tagged("default-sg-locked") },
    { ...opts },
  );

  const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tagged("igw") }, { ...opts });

  const subnet = (tier: "public" | "private", i: number) =>
    new aws.ec2.Subnet(
      ...transform(
        t.subnet,
        `${name}-${tier}-${i + 1}`,
        {
          vpcId: vpc.id,
          cidrBlock: plan[tier][i]!,
          availabilityZone: zones.apply((z) => z[i]!),
          // Nothing gets a public address implicitly, not even in public subnets: load balancers and NAT have their own.
          mapPublicIpOnLaunch: false,
          ...(tier === "public" && args.ipv6
            ? {
                ipv6CidrBlock: vpc.ipv6CidrBlock.apply((block) => ipv6SubnetCidr(block, i)),
                assignIpv6AddressOnCreation: false,
              }
            : {}),
          tags: tagged(`${tier}-${i + 1}`, { Tier: tier }),
        },
        { ...opts },
      ),
    );
  const publicSubnets = plan.public.map((_, i) => subnet("public", i));
  const privateSubnets = plan.private.map((_, i) => subnet("private", i));

  const publicRouteTable = new aws.ec2.RouteTable(
    ...transform(t.routeTable, `${name}-public-rt`, { vpcId: vpc.id, tags: tagged("public-rt") }, { ...opts }),
  );
  new aws.ec2.Route(
    `${name}-public-default`,
    { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
    { ...opts },
  );
  const ipv6Route = args.ipv6
    ? new aws.ec2.Route(
        `${name}-public-default-ipv6`,
        { routeTableId: publicRouteTable.id, destinationIpv6CidrBlock: "::/0", gatewayId: igw.id },
        { ...opts },
      )
    : undefined;
  publicSubnets.forEach(
    (s, i) =>
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${i + 1}`,
        { subnetId: s.id, routeTableId: publicRouteTable.id },
        { ...opts },
      ),
  );

  const natCount = { none: 0, instance: 0, single: 1, perAz: args.azCount }[args.natGateways];
  const natGateways = Array.from({ length: natCount }, (_, i) => {
    const eip = new aws.ec2.Eip(`${name}-nat-${i + 1}`, { domain: "vpc", tags: tagged(`nat-${i + 1}`) }, { ...opts });
    return new aws.ec2.NatGateway(
      ...transform(
        t.natGateway,
        `${name}-nat-${i + 1}`,
        { allocationId: eip.allocationId, subnetId: publicSubnets[i]!.id, tags: tagged(`nat-${i + 1}`) },
        { ...opts, dependsOn: [igw] },
      ),
    );
  });

  const natInstance =
    args.natGateways === "instance"
      ? createNatInstance(name, args, { vpc, subnet: publicSubnets[0]!, dependsOn: igw, tagged, parent })
      : undefined;

  // One route table per AZ even with a single NAT gateway, so switching to perAz only changes routes.
  const egressReady: pulumi.Resource[] = [];
  const privateRouteTables = privateSubnets.map((s, i) => {
    const table = new aws.ec2.RouteTable(
      ...transform(
        t.routeTable,
        `${name}-private-rt-${i + 1}`,
        { vpcId: vpc.id, tags: tagged(`private-rt-${i + 1}`) },
        { ...opts },
      ),
    );
    egressReady.push(
      new aws.ec2.RouteTableAssociation(
        `${name}-private-${i + 1}`,
        { subnetId: s.id, routeTableId: table.id },
        { ...opts },
      ),
    );
    const nat = natGateways[i] ?? natGateways[0];
    if (natInstance !== undefined) {
      egressReady.push(
        new aws.ec2.Route(
          `${name}-private-default-${i + 1}`,
          {
            routeTableId: table.id,
            destinationCidrBlock: "0.0.0.0/0",
            networkInterfaceId: natInstance.primaryNetworkInterfaceId,
          },
          { ...opts },
        ),
      );
    } else if (nat) {
      egressReady.push(
        new aws.ec2.Route(
          `${name}-private-default-${i + 1}`,
          { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id },
          { ...opts },
        ),
      );
    }
    return table;
  });

  // S3 traffic (ECR image layers, backups, access logs) stays on the AWS network and costs no NAT processing.
  const region = aws.getRegionOutput({}, { parent }).region;
  new aws.ec2.VpcEndpoint(
    ...transform(
      t.s3Endpoint,
      `${name}-s3`,
      {
        vpcId: vpc.id,
        serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: privateRouteTables.map((r) => r.id),
        tags: tagged("s3"),
      },
      { ...opts },
    ),
  );

  const { groupName: flowLogGroupName, keyArn: logsKmsKeyArn } = flowLogs({ name, args, vpc, region, parent, tagged });

  return {
    vpcId: vpc.id,
    cidr: args.cidr,
    azCount: args.azCount,
    availabilityZones: zones,
    publicSubnetIds: pulumi.all(publicSubnets.map((s) => s.id)),
    privateSubnetIds: pulumi.all(privateSubnets.map((s) => s.id)),
    privateRouteTableIds: pulumi.all(privateRouteTables.map((r) => r.id)),
    natGatewayIds: pulumi.all(natGateways.map((n) => n.id)),
    ipv6: args.ipv6,
    publicIpv6Ready: ipv6Route === undefined ? [] : [ipv6Route],
    flowLogGroupName,
    egressReady,
    logsKmsKeyArn,
    ...(natInstance === undefined ? {} : { natInstance: { id: natInstance.id, arn: natInstance.arn } }),
  };
}

/** The instance type of the NAT instance: ARM, burstable, up to 5 Gbit/s, about $3.40 a month in eu-west-1. */
export const NAT_INSTANCE_TYPE = "t4g.nano";

/**
 * Amazon Linux 2023 for ARM, as SSM publishes its latest AMI. The AMI is read once: later AMIs do not replace a running
 * NAT instance (that would cut egress); security updates come from dnf-automatic inside it.
 */
export const NAT_INSTANCE_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

/**
 * Turns the instance into a NAT: forwarding on, masquerade out of its primary interface (AWS's AL2023 NAT AMI steps),
 * and daily security updates from the latest AL2023 repository (AL2023 User Guide, "Deterministic upgrades").
 */
export const NAT_INSTANCE_USER_DATA = `#!/bin/bash
set -euo pipefail
echo "net.ipv4.ip_forward = 1" > /etc/sysctl.d/90-nat.conf
sysctl --system
dnf install -y iptables-services dnf-automatic
device="$(ip route show default | awk '{print $5; exit}')"
iptables -t nat -A POSTROUTING -o "$device" -j MASQUERADE
iptables -F FORWARD
service iptables save
systemctl enable --now iptables
# AL2023 locks an instance to its AMI's repository version: without this, dnf-automatic never finds an update.
echo latest > /etc/dnf/vars/releasever
sed -i 's/^upgrade_type.*/upgrade_type = security/; s/^apply_updates.*/apply_updates = yes/' /etc/dnf/automatic.conf
systemctl enable --now dnf-automatic.timer
`;

/**
 * One NAT instance in the first public subnet: source/destination check off, a public address, the VPC's traffic in
 * and anything out, no SSH (Session Manager instead), IMDSv2 only, encrypted root volume, and a CloudWatch alarm that
 * recovers it onto new hardware when AWS's system status check fails.
 */
function createNatInstance(
  name: string,
  args: ResolvedAwsNetworkArgs,
  ctx: {
    vpc: aws.ec2.Vpc;
    subnet: aws.ec2.Subnet;
    dependsOn: pulumi.Resource;
    tagged: (role: string) => Record<string, string>;
    parent: pulumi.ComponentResource;
  },
): aws.ec2.Instance {
  const opts: pulumi.CustomResourceOptions = { parent: ctx.parent };
  const sg = new aws.ec2.SecurityGroup(
    `${name}-nat`,
    { vpcId: ctx.vpc.id, description: `${name} NAT instance: the VPC's traffic out`, tags: ctx.tagged("nat") },
    { ...opts },
  );
  new aws.vpc.SecurityGroupIngressRule(
    `${name}-nat-from-vpc`,
    { securityGroupId: sg.id, ipProtocol: "-1", cidrIpv4: args.cidr, description: "everything from the VPC" },
    { ...opts },
  );
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-nat-out`,
    { securityGroupId: sg.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "the VPC's traffic, translated" },
    { ...opts },
  );
  const role = new aws.iam.Role(
    `${name}-nat`,
    {
      description: `${name} NAT instance: Session Manager access, no SSH`,
      // The EC2 guide's instance-role trust policy names the service only (no confused-deputy condition keys).
      assumeRolePolicy: plainServiceTrustPolicy("ec2.amazonaws.com"),
      tags: ctx.tagged("nat"),
    },
    { ...opts },
  );
  new aws.iam.RolePolicyAttachment(
    `${name}-nat-ssm`,
    { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" },
    { ...opts },
  );
  const profile = new aws.iam.InstanceProfile(`${name}-nat`, { role: role.name, tags: ctx.tagged("nat") }, { ...opts });
  const ami = aws.ssm.getParameterOutput({ name: NAT_INSTANCE_AMI_PARAMETER }, { parent: ctx.parent });
  const instance = new aws.ec2.Instance(
    ...transform(
      args.transform?.natInstance,
      `${name}-nat`,
      {
        ami: ami.value,
        instanceType: NAT_INSTANCE_TYPE,
        subnetId: ctx.subnet.id,
        vpcSecurityGroupIds: [sg.id],
        associatePublicIpAddress: true,
        sourceDestCheck: false,
        iamInstanceProfile: profile.name,
        userData: NAT_INSTANCE_USER_DATA,
        userDataReplaceOnChange: false,
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
        rootBlockDevice: { volumeType: "gp3", volumeSize: 8, encrypted: true, deleteOnTermination: true },
        maintenanceOptions: { autoRecovery: "default" },
        monitoring: false,
        tags: ctx.tagged("nat"),
      },
      // A newer AMI must not replace the running NAT (egress would stop): the instance updates itself.
      { ...opts, dependsOn: [ctx.dependsOn], ignoreChanges: ["ami"] },
    ),
  );
  const region = aws.getRegionOutput({}, { parent: ctx.parent }).region;
  new aws.cloudwatch.MetricAlarm(
    `${name}-nat-recover`,
    {
      alarmDescription: `${name} NAT instance: recover onto new hardware when the system status check fails`,
      namespace: "AWS/EC2",
      metricName: "StatusCheckFailed_System",
      dimensions: { InstanceId: instance.id },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 2,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      alarmActions: [pulumi.interpolate`arn:aws:automate:${region}:ec2:recover`],
      tags: ctx.tagged("nat"),
    },
    { ...opts },
  );
  return instance;
}

/** All traffic of the VPC to CloudWatch Logs, through a role only the flow-logs service of this account can assume. */
function flowLogs({
  name,
  args,
  vpc,
  region,
  parent,
  tagged,
}: {
  readonly name: string;
  readonly args: ResolvedAwsNetworkArgs;
  readonly vpc: aws.ec2.Vpc;
  readonly region: pulumi.Output<string>;
  readonly parent: pulumi.ComponentResource;
  /** The tags of a child, by its role. */
  readonly tagged: (role: string) => Record<string, string>;
}): { groupName: pulumi.Output<string>; keyArn: pulumi.Output<string> } {
  const t = args.transform ?? {};
  const opts: pulumi.CustomResourceOptions = { parent };
  const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;

  // Flow logs reveal who talks to what, service logs what the app does: encrypted with a key only CloudWatch Logs of
  // this account and region may use for log groups, and CloudWatch and Budgets for publishing alarms (one key for
  // the stack's operational data: a second key would cost $1 a month and scope nothing more). Its resource name
  // stays `flow-logs`, so existing stacks keep the key.
  const key = new aws.kms.Key(
    `${name}-flow-logs`,
    {
      description: `Encrypts the stack's CloudWatch log groups (${name}'s flow logs, services, database, cache) and its alarm topics`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: pulumi.all([accountId, region]).apply(([account, awsRegion]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              // The account administers the key; only the services below use it (no principal decrypts directly).
              Sid: "KeyAdministration",
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${account}:root` },
              Action: KEY_ADMINISTRATION,
              Resource: "*",
            },
            {
              Sid: "CloudWatchLogs",
              Effect: "Allow",
              Principal: { Service: `logs.${awsRegion}.amazonaws.com` },
              Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
              Resource: "*",
              Condition: {
                ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${awsRegion}:${account}:log-group:*` },
              },
            },
            {
              // The stack's alarm topics (MonitoringBundle's `topicsKmsKeyArn`): CloudWatch alarms and AWS Budgets of
              // this account publish to them, which needs the key (the AWS-managed SNS key would refuse them).
              Sid: "AlarmPublishers",
              Effect: "Allow",
              Principal: { Service: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"] },
              Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
              Resource: "*",
              Condition: { StringEquals: { "aws:SourceAccount": account } },
            },
          ],
        }),
      ),
      tags: tagged("flow-logs"),
    },
    { ...opts },
  );
  const group = new aws.cloudwatch.LogGroup(
    ...transform(
      t.flowLogGroup,
      `${name}-flow-logs`,
      { retentionInDays: args.flowLogRetentionDays, kmsKeyId: key.arn, tags: tagged("flow-logs") },
      { ...opts },
    ),
  );

  const role = new aws.iam.Role(
    `${name}-flow-logs`,
    {
      description: `Lets VPC Flow Logs write ${name}'s flow logs to CloudWatch Logs`,
      assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", accountId),
      tags: tagged("flow-logs"),
    },
    { ...opts },
  );

  new aws.iam.RolePolicy(
    `${name}-flow-logs`,
    {
      role: role.id,
      policy: group.arn.apply((arn) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
              Resource: [arn, `${arn}:*`],
            },
          ],
        }),
      ),
    },
    { ...opts },
  );

  new aws.ec2.FlowLog(
    ...transform(
      t.flowLog,
      `${name}-flow-log`,
      {
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: group.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
        tags: tagged("flow-log"),
      },
      { ...opts },
    ),
  );

  return { groupName: group.name, keyArn: key.arn };
}
