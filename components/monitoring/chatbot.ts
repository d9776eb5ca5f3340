import * as aws from "@pulumi/aws";
import { namingScope } from "../naming";
import type * as pulumi from "@pulumi/pulumi";
import { plainServiceTrustPolicy } from "../iam";
import type { Topics } from "./topics";

/** A Slack channel in a workspace that AWS Chatbot is authorised for. */
export interface SlackChannel {
  /** The workspace (team) id the Chatbot console shows after authorisation, e.g. `T0123ABCD`. */
  readonly workspaceId: string;
  /** The channel id, the end of the channel's link, e.g. `C0123ABCDEF`. Invite `@aws` to a private channel. */
  readonly channelId: string;
}

/** What the Chatbot role and guardrail allow: reading CloudWatch, to draw an alarm's graph in the channel. */
export const CHATBOT_READ_POLICY = "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess";

/** The Chatbot API's ConfigurationName: 1 to 128 of `[A-Za-z0-9-_]`. */
export const chatbotConfigurationName = (project: string, stack: string): string =>
  `${project}-${stack}-alerts`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 128);

/**
 * The Slack channel, subscribed to every topic by AWS Chatbot. Its role can read CloudWatch (to draw the alarm's
 * graph) and nothing else, and the guardrail caps what anyone in the channel can do through it at the same.
 */
export function slackChannel(a: {
  readonly name: string;
  readonly slack: SlackChannel;
  readonly topics: readonly Topics[];
  readonly tags: Record<string, string>;
  readonly parent: pulumi.ComponentResource;
}): void {
  const { name, slack, tags, parent } = a;
  const role = new aws.iam.Role(
    `${name}-chatbot`,
    {
      description: "AWS Chatbot posts this stack's alarms to Slack (CloudWatch read only)",
      // Chatbot documents no confused-deputy condition keys for this role (AWS CDK's SlackChannelConfiguration
      // trusts the plain service principal too).
      assumeRolePolicy: plainServiceTrustPolicy("chatbot.amazonaws.com"),
      tags,
    },
    { parent },
  );
  new aws.iam.RolePolicyAttachment(`${name}-chatbot`, { role: role.name, policyArn: CHATBOT_READ_POLICY }, { parent });
  new aws.chatbot.SlackChannelConfiguration(
    `${name}-slack`,
    {
      configurationName: chatbotConfigurationName(namingScope().project, namingScope().stack),
      iamRoleArn: role.arn,
      slackTeamId: slack.workspaceId,
      slackChannelId: slack.channelId,
      snsTopicArns: a.topics.flatMap((t) => [t.page.arn, t.notify.arn]),
      // Without a guardrail Chatbot applies AdministratorAccess to the channel.
      guardrailPolicyArns: [CHATBOT_READ_POLICY],
      userAuthorizationRequired: true,
      loggingLevel: "ERROR",
      tags,
    },
    { parent },
  );
}
