import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../naming";
import type { ServiceContext } from "./aws-args";

/** The security groups of the tasks and of the load balancer in front of them (owned or shared). */
export interface ServiceSecurityGroups {
  readonly serviceId: pulumi.Output<string>;
  readonly loadBalancerId: pulumi.Output<string>;
  /** The tasks' HTTPS egress: no task pulls its image or reads its secrets before it exists. */
  readonly httpsOut: aws.vpc.SecurityGroupEgressRule;
}

/**
 * The tasks accept the container port from the load balancer only, and open HTTPS out; the load balancer (its own
 * group, or the shared one's) may reach them on that port.
 */
export function serviceSecurityGroups(ctx: ServiceContext): ServiceSecurityGroups {
  const { name, args, parent, scope, tags } = ctx;
  const shared = args.sharedLoadBalancer;
  const serviceSg = new aws.ec2.SecurityGroup(
    `${name}-service`,
    {
      vpcId: args.network.vpcId,
      description: `${name} tasks: ${args.containerPort} from the load balancer only`,
      tags: { ...tags, Name: physicalName(scope, `${name}-service`) },
    },
    { parent },
  );
  const albSgId = shared ? pulumi.output(shared.securityGroupId) : ownLoadBalancerSecurityGroup(ctx);
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-alb-to-service`,
    {
      securityGroupId: albSgId,
      referencedSecurityGroupId: serviceSg.id,
      ipProtocol: "tcp",
      fromPort: args.containerPort,
      toPort: args.containerPort,
      description: shared ? `to the tasks of ${pulumi.getStack()}` : "to the tasks",
    },
    { parent },
  );
  new aws.vpc.SecurityGroupIngressRule(
    `${name}-service-from-alb`,
    {
      securityGroupId: serviceSg.id,
      referencedSecurityGroupId: albSgId,
      ipProtocol: "tcp",
      fromPort: args.containerPort,
      toPort: args.containerPort,
      description: "from the load balancer",
    },
    { parent },
  );
  // HTTPS out: AWS APIs (ECR, Secrets Manager, CloudWatch Logs), the image registry and third parties (Sentry,
  // payment providers), through NAT. The database and the cache are reached by security group (`connections`), and
  // DNS and NTP use the VPC's own addresses, which security groups do not filter.
  const httpsOut = new aws.vpc.SecurityGroupEgressRule(
    `${name}-service-https`,
    {
      securityGroupId: serviceSg.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      description: "HTTPS out",
    },
    { parent },
  );
  return { serviceId: serviceSg.id, loadBalancerId: albSgId, httpsOut };
}

/** The own load balancer's security group: 443 (and 80 for the redirect) from the internet, or 443 from the edge. */
function ownLoadBalancerSecurityGroup({ name, args, parent, scope }: ServiceContext): pulumi.Output<string> {
  const albSg = new aws.ec2.SecurityGroup(
    `${name}-alb`,
    {
      vpcId: args.network.vpcId,
      description: `${name} load balancer: HTTPS and HTTP (redirect) from the internet`,
      tags: { ...args.tags, Name: physicalName(scope, `${name}-alb`) },
    },
    { parent },
  );
  if (args.ingressPrefixListIds.length > 0) {
    args.ingressPrefixListIds.forEach(
      (prefixListId, i) =>
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-alb-443-origin-${i + 1}`,
          {
            securityGroupId: albSg.id,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            prefixListId,
            description: "443 from the edge",
          },
          { parent },
        ),
    );
  } else {
    for (const port of [443, 80]) {
      for (const [family, cidr] of [
        ["ipv4", { cidrIpv4: "0.0.0.0/0" }],
        ["ipv6", { cidrIpv6: "::/0" }],
      ] as const) {
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-alb-${port}-${family}`,
          {
            securityGroupId: albSg.id,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            ...cidr,
            description: `${port} from anywhere`,
          },
          { parent },
        );
      }
    }
  }
  return albSg.id;
}
