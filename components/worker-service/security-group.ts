import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ServiceContext } from "../api-service/aws-args";
import { physicalName } from "../naming";
import { transform } from "../transform";
import type { ResolvedAwsWorkerServiceArgs } from "./aws-args";

/**
 * The tasks' security group: nothing may connect in (a worker listens on no port), HTTPS out. Further connections
 * out (the database, the cache) are added by security group with `WorkerService.allowTo`.
 */
export function workerSecurityGroup({
  name,
  args,
  parent,
  scope,
  tags,
}: ServiceContext<ResolvedAwsWorkerServiceArgs>): {
  readonly id: pulumi.Output<string>;
  /** The HTTPS egress rule: tasks wait for it (the image pull and the secrets go out through it). */
  readonly httpsOut: aws.vpc.SecurityGroupEgressRule;
} {
  // No ingress and no `egress` block: the provider removes the all-open egress rule AWS adds to a new group, so the
  // rule below is the only way out.
  const group = new aws.ec2.SecurityGroup(
    ...transform(
      args.transform?.securityGroup,
      `${name}-service`,
      {
        vpcId: args.network.vpcId,
        description: `${name} tasks: no inbound connections, HTTPS out`,
        tags: { ...tags, Name: physicalName(scope, `${name}-service`) },
      },
      { parent },
    ),
  );
  // HTTPS out: AWS APIs (ECR, Secrets Manager, CloudWatch Logs, SQS), the image registry and third parties, through
  // NAT. DNS and NTP use the VPC's own addresses, which security groups do not filter.
  const httpsOut = new aws.vpc.SecurityGroupEgressRule(
    `${name}-service-https`,
    {
      securityGroupId: group.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      description: "HTTPS out",
    },
    { parent },
  );
  return { id: group.id, httpsOut };
}
