import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KEY_ADMINISTRATION } from "../iam";

/** Where alarms go: `page` (production P0/P1) and `notify` (everything else). */
export interface Topics {
  readonly page: aws.sns.Topic;
  readonly notify: aws.sns.Topic;
}

/**
 * `page` and `notify` topics, encrypted with a key CloudWatch and Budgets may use (the AWS-managed SNS key would
 * refuse them), each with a policy letting them publish and an email subscription per address.
 */
export function alarmTopics(a: {
  readonly name: string;
  /** Appended to each child's name: `""` in the stack's region, `"-us-east-1"` for the uptime checks' topics. */
  readonly suffix: string;
  readonly account: pulumi.Output<string>;
  readonly emails: readonly string[];
  readonly tags: Record<string, string>;
  readonly parent: pulumi.ComponentResource;
  /** @default - the stack's default provider */
  readonly provider?: aws.Provider;
  /** @default - a key of the topics' own */
  readonly keyArn?: pulumi.Input<string>;
}): Topics {
  const { name, suffix, account, tags } = a;
  const opts: pulumi.CustomResourceOptions = { parent: a.parent, ...(a.provider ? { provider: a.provider } : {}) };
  const topicKey = a.keyArn ?? alertsKey({ name, suffix, account, opts, tags }).arn;
  const topic = (severity: "page" | "notify") => {
    const t = new aws.sns.Topic(`${name}-${severity}${suffix}`, { kmsMasterKeyId: topicKey, tags }, opts);
    new aws.sns.TopicPolicy(
      `${name}-${severity}${suffix}`,
      {
        arn: t.arn,
        policy: pulumi.all([t.arn, account]).apply(([arn, id]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "AlarmPublishers",
                Effect: "Allow",
                Principal: { Service: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"] },
                Action: "sns:Publish",
                Resource: arn,
                Condition: { StringEquals: { "aws:SourceAccount": id } },
              },
            ],
          }),
        ),
      },
      opts,
    );
    a.emails.forEach(
      (email, i) =>
        new aws.sns.TopicSubscription(
          `${name}-${severity}${suffix}-email-${i + 1}`,
          { topic: t.arn, protocol: "email", endpoint: email },
          opts,
        ),
    );
    return t;
  };
  return { page: topic("page"), notify: topic("notify") };
}

/** The topics' own key, when the stack gives none: CloudWatch and AWS Budgets of this account may use it. */
function alertsKey(a: {
  readonly name: string;
  readonly suffix: string;
  readonly account: pulumi.Output<string>;
  readonly opts: pulumi.CustomResourceOptions;
  readonly tags: Record<string, string>;
}): aws.kms.Key {
  return new aws.kms.Key(
    `${a.name}-alerts${a.suffix}`,
    {
      description: "Encrypts the alarm topics; CloudWatch and AWS Budgets may publish through it",
      enableKeyRotation: true,
      deletionWindowInDays: 7,
      policy: a.account.apply((id) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              // The account administers the key; only CloudWatch and Budgets use it.
              Sid: "KeyAdministration",
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${id}:root` },
              Action: KEY_ADMINISTRATION,
              Resource: "*",
            },
            {
              Sid: "AlarmPublishers",
              Effect: "Allow",
              Principal: { Service: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"] },
              Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
              Resource: "*",
              Condition: { StringEquals: { "aws:SourceAccount": id } },
            },
          ],
        }),
      ),
      tags: a.tags,
    },
    a.opts,
  );
}
