import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { transform, type Transform } from "./transform";

/**
 * Admits one consumer's security group on one TCP port of a data store's security group: the only kind of ingress
 * the database and the cache ever get.
 */
export function admitConsumer(
  ruleName: string,
  rule: {
    readonly securityGroupId: pulumi.Input<string>;
    readonly source: pulumi.Input<string>;
    readonly port: number;
    readonly description: string;
  },
  opts: pulumi.CustomResourceOptions,
  hook?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>,
): aws.vpc.SecurityGroupIngressRule {
  return new aws.vpc.SecurityGroupIngressRule(
    ...transform(
      hook,
      ruleName,
      {
        securityGroupId: rule.securityGroupId,
        referencedSecurityGroupId: rule.source,
        ipProtocol: "tcp",
        fromPort: rule.port,
        toPort: rule.port,
        description: rule.description,
      },
      opts,
    ),
  );
}
