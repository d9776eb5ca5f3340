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
  "scheduler.amazonaws.com":
    "EventBridge Scheduler User Guide, 'Set up the execution role' (trust policy with aws:SourceAccount)",
  "states.amazonaws.com":
    "AWS Step Functions Developer Guide, 'Creating an IAM role for your state machine' (Prevent cross-service confused deputy issue: aws:SourceAccount, aws:SourceArn)",
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

/**
 * The `kms:ViaService` value of a service in a region. KMS compares it with the endpoint that called on the caller's
 * behalf, which names the region (`secretsmanager.eu-west-1.amazonaws.com`); a value without the region never matches,
 * and the request is denied (AWS KMS developer guide, "kms:ViaService" condition key).
 */
export const viaService = (service: string, region: string): string => `${service}.${region}.amazonaws.com`;

/** The bucket-policy statement that refuses every request to a bucket and its objects over plain HTTP. */
export const denyInsecureTransport = (bucketArn: string) => ({
  Sid: "TlsOnly",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [bucketArn, `${bucketArn}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});

/** What the account may do to the key itself (not with it): administer, rotate, schedule deletion. */
export const KEY_ADMINISTRATION = [
  // Not kms:Create*: kms:CreateGrant would let a principal grant itself Decrypt. Services that need grants (RDS,
  // ElastiCache, AWS Backup) get them through their own statements.
  "kms:CreateAlias",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
];
