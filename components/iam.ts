import type * as pulumi from "@pulumi/pulumi";

/**
 * Services whose documentation shows `aws:SourceAccount` in the trust policy of the role they assume, and where.
 * Only these get the confused-deputy condition: a condition on a key the service does not send denies every
 * AssumeRole, and the role silently never works.
 */
export const SOURCE_ACCOUNT_DOCUMENTED = {
  "ecs-tasks.amazonaws.com":
    "Amazon ECS Developer Guide, 'Amazon ECS task IAM role' (trust policy with aws:SourceAccount)",
  "monitoring.rds.amazonaws.com":
    "Amazon RDS User Guide, 'Setting up and enabling Enhanced Monitoring' (confused deputy prevention)",
  "vpc-flow-logs.amazonaws.com":
    "Amazon VPC User Guide, 'IAM role for publishing flow logs to CloudWatch Logs' (aws:SourceAccount, aws:SourceArn)",
} as const;
export type SourceAccountService = keyof typeof SOURCE_ACCOUNT_DOCUMENTED;

/**
 * The trust policy of a role that one AWS service assumes on this account's behalf. The `aws:SourceAccount`
 * condition is the confused-deputy guard: only that service acting for this account may use the role.
 */
export function serviceTrustPolicy(
  service: SourceAccountService,
  accountId: pulumi.Output<string>,
): pulumi.Output<string> {
  return accountId.apply((account) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: service },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": account } },
        },
      ],
    }),
  );
}

/**
 * The trust policy of a role for a service that documents no confused-deputy condition keys for AssumeRole, as the
 * service's own default role has it. AWS Backup: its guide asks only that the role list AWS Backup as a trusted
 * entity ("IAM service roles"), and its confused-deputy guidance covers resource policies (vault, key, topic), not
 * the role it assumes.
 */
export function plainServiceTrustPolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}
