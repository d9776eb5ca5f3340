import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { admitConsumer } from "../consumers";
import type { ServiceConnection } from "../consumers";
import type { ServiceContext } from "./aws-args";

/** An egress rule of the tasks' security group to another group on one TCP port (`connections` and `allowTo`). */
export function egressTo(
  service: string,
  target: string,
  rule: { readonly from: pulumi.Input<string>; readonly to: pulumi.Input<string>; readonly port: number },
  parent: pulumi.Resource,
): aws.vpc.SecurityGroupEgressRule {
  return new aws.vpc.SecurityGroupEgressRule(
    `${service}-to-${target}`,
    {
      securityGroupId: rule.from,
      referencedSecurityGroupId: rule.to,
      ipProtocol: "tcp",
      fromPort: rule.port,
      toPort: rule.port,
      description: `to ${target} on ${rule.port}`,
    },
    { parent },
  );
}

/**
 * Both halves of each of the service's `connections`: egress from the tasks' group, ingress on the target's. Returns
 * the rules, which the tasks (and any one-off task, such as the migration) wait for.
 */
export function serviceConnections(
  ctx: Pick<ServiceContext, "name" | "parent"> & {
    readonly args: { readonly connections: readonly ServiceConnection[] };
    readonly serviceSecurityGroupId: pulumi.Input<string>;
  },
): pulumi.Resource[] {
  const { name, args, parent } = ctx;
  return args.connections.flatMap((c) => [
    egressTo(name, c.name, { from: ctx.serviceSecurityGroupId, to: c.securityGroupId, port: c.port }, parent),
    admitConsumer(
      `${name}-to-${c.name}-ingress`,
      {
        securityGroupId: c.securityGroupId,
        source: ctx.serviceSecurityGroupId,
        port: c.port,
        description: c.ingressDescription ?? `from ${name} on ${c.port}`,
      },
      // The rule an earlier `allowFrom` declared is moved, not replaced: AWS refuses a second identical rule.
      { parent, aliases: [...(c.ingressAliases ?? [])] },
    ),
  ]);
}

/** What is wrong with the connections (names are parts of resource names, and each is one rule pair). */
export function connectionProblems(connections: readonly { readonly name: string; readonly port: number }[]): string[] {
  const problems: string[] = [];
  connections.forEach((c, i) => {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(c.name)) {
      problems.push(`connections[${i}].name must be lowercase letters, digits and hyphens (got "${c.name}")`);
    }
    if (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535) {
      problems.push(`connections[${i}].port must be a port from 1 to 65535 (got ${c.port})`);
    }
  });
  const names = connections.map((c) => c.name);
  const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (repeated.length > 0) problems.push(`connections must name each target once (${repeated.join(", ")} repeated)`);
  return problems;
}
