import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { transform, type Transform } from "./transform";

/**
 * A security group a service's tasks connect to on one TCP port (the database, the cache): the service declares both
 * rules, its egress and the target's ingress, before its tasks or any one-off task of it start.
 */
export interface ServiceConnection {
  /** Names the rules (`<service>-to-<name>`) and their descriptions, e.g. `"database"`; unique per service. */
  readonly name: string;
  /** The target's security group. */
  readonly securityGroupId: pulumi.Input<string>;
  readonly port: number;
  /** @default "from <service> on <port>" */
  readonly ingressDescription?: string;
  /**
   * Where the target's ingress rule was declared before (the rule `ManagedPostgres.allowFrom` made, say): Pulumi then
   * moves that rule instead of creating a second one, which AWS would refuse (`InvalidPermission.Duplicate`).
   * @default [] - a new rule
   */
  readonly ingressAliases?: readonly pulumi.Input<pulumi.URN | pulumi.Alias>[];
}

/** The name of the rule `allowFrom(consumer)` declares on a data store (kept by {@link ServiceConnection} aliases). */
export const consumerRuleName = (store: string, consumer: string): string => `${store}-from-${consumer}`;

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
