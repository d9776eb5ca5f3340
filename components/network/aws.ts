import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NatMode } from "../../infra/config";
import { physicalName } from "../../infra/naming";
import { serviceTrustPolicy } from "../iam";
import { transform, type Transform } from "../transform";
import { planSubnets } from "./subnets";

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
   * Egress for the private subnets. `perAz`: one NAT gateway per AZ (survives the loss of a zone; ~$32/month each plus
   * traffic). `single`: one shared NAT gateway (a zone outage cuts egress for all). `none`: no internet egress from
   * private subnets (AWS services via endpoints only).
   * @default "perAz"
   */
  readonly natGateways?: NatMode;
  /**
   * Days CloudWatch keeps the VPC flow logs (must be a value CloudWatch accepts).
   * @default 30
   */
  readonly flowLogRetentionDays?: number;
  /** Tags merged into every child (the provider's `defaultTags` already add Project, Stack, Environment, ManagedBy). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Escape hatches per child resource. */
  readonly transform?: {
    readonly vpc?: Transform<aws.ec2.VpcArgs>;
    readonly subnet?: Transform<aws.ec2.SubnetArgs>;
    readonly natGateway?: Transform<aws.ec2.NatGatewayArgs>;
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
  readonly flowLogGroupName: pulumi.Output<string>;
  /**
   * The private subnets' route-table associations and default routes. A consumer that must reach the internet from
   * those subnets as soon as it starts (ECS pulling its image and reading its secrets) waits for them: the subnet ids
   * alone are ready minutes before the NAT gateway and its route. Empty for a network of another stack (its routes
   * exist already).
   */
  readonly egressReady: readonly pulumi.Resource[];
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
  const scope = { project: pulumi.getProject(), stack: pulumi.getStack() };
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
      { cidrBlock: args.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tagged("vpc") },
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
  publicSubnets.forEach(
    (s, i) =>
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${i + 1}`,
        { subnetId: s.id, routeTableId: publicRouteTable.id },
        { ...opts },
      ),
  );

  const natCount = { none: 0, single: 1, perAz: args.azCount }[args.natGateways];
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
    if (nat) {
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

  const flowLogGroupName = flowLogs(name, args, vpc, region, parent, tagged);

  return {
    vpcId: vpc.id,
    cidr: args.cidr,
    azCount: args.azCount,
    availabilityZones: zones,
    publicSubnetIds: pulumi.all(publicSubnets.map((s) => s.id)),
    privateSubnetIds: pulumi.all(privateSubnets.map((s) => s.id)),
    privateRouteTableIds: pulumi.all(privateRouteTables.map((r) => r.id)),
    natGatewayIds: pulumi.all(natGateways.map((n) => n.id)),
    flowLogGroupName,
    egressReady,
  };
}

/** All traffic of the VPC to CloudWatch Logs, through a role only the flow-logs service of this account can assume. */
function flowLogs(
  name: string,
  args: ResolvedAwsNetworkArgs,
  vpc: aws.ec2.Vpc,
  region: pulumi.Output<string>,
  parent: pulumi.ComponentResource,
  tagged: (role: string) => Record<string, string>,
): pulumi.Output<string> {
  const t = args.transform ?? {};
  const opts: pulumi.CustomResourceOptions = { parent };
  const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;

  // Flow logs reveal who talks to what: encrypted with a key only CloudWatch Logs of this account and region may use.
  const key = new aws.kms.Key(
    `${name}-flow-logs`,
    {
      description: `Encrypts ${name}'s VPC flow logs`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: pulumi.all([accountId, region]).apply(([account, awsRegion]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "Account",
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${account}:root` },
              Action: "kms:*",
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

  return group.name;
}
