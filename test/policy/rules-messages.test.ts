// The parts of the guardrails' messages a user acts on: what is missing or wrong, and the fix. Only the essential
// part is pinned, not the whole wording.
import type { RecordedResource } from "../../synth/recorder";
import { evaluate } from "../../policy/evaluate";
import { policies } from "../../policy/rules";
import { rec, RULE_FIXTURES } from "./rules-fixtures";

const fixture = (rule: string, what: string): RecordedResource[] => RULE_FIXTURES[rule]!.fail[what]!;
const awsProvider = (tags: Record<string, string>) =>
  rec("pulumi:providers:aws", "aws", { defaultTags: JSON.stringify({ tags }) });
const STANDARD = { Project: "saas-platform", Stack: "production", Environment: "production", ManagedBy: "pulumi" };
const kmsKey = (...statements: object[]) =>
  rec("aws:kms/key:Key", "k", { policy: JSON.stringify({ Statement: statements }) });

test.each<[string, string, RecordedResource[], RegExp]>([
  [
    "cloudtrail-baseline",
    "lists each setting missing",
    [rec("aws:cloudtrail/trail:Trail", "trail", { enableLogFileValidation: true })],
    /: set isMultiRegionTrail: true, a kmsKeyId$/,
  ],
  [
    "alb-tls-policy",
    "lists the allowed policies",
    fixture("alb-tls-policy", "a 2016 policy"),
    /one of ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS13-1-2-Res-2021-06, /,
  ],
  [
    "alb-tls-policy",
    "names the policy it got",
    fixture("alb-tls-policy", "a 2016 policy"),
    /\(got ELBSecurityPolicy-2016-08\)$/,
  ],
  [
    "kms-keys-no-direct-use",
    "asks for a policy when there is none",
    fixture("kms-keys-no-direct-use", "no policy (the default one)"),
    /: give it an explicit policy/,
  ],
  [
    "kms-keys-no-direct-use",
    "lists the actions used directly",
    [kmsKey({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: ["kms:Encrypt", "kms:Decrypt"] })],
    /may use it directly \(kms:Encrypt, kms:Decrypt\)/,
  ],
  [
    "rds-backup-retention",
    "names the period it got",
    fixture("rds-backup-retention", "3 days in staging"),
    /\(got 3\)$/,
  ],
  [
    "standard-tags-not-overridden",
    "names the tag overridden and its provider's value",
    fixture("standard-tags-not-overridden", "its own ManagedBy tag"),
    /its tags set ManagedBy "terraform" over aws's defaultTags \("pulumi"\); remove it from the resource's tags$/,
  ],
  [
    "standard-tags-not-overridden",
    "lists the tags overridden and their provider's values",
    [
      awsProvider(STANDARD),
      rec(
        "aws:s3/bucket:Bucket",
        "logs",
        { tags: { Environment: "dev", ManagedBy: "terraform" } },
        { provider: awsProvider(STANDARD).urn },
      ),
    ],
    /its tags set Environment "dev", ManagedBy "terraform" over aws's defaultTags \("production", "pulumi"\); remove them from/,
  ],
  [
    "required-tags",
    "lists the tags missing",
    fixture("required-tags", "Environment and ManagedBy missing"),
    /^aws \(aws provider\): add defaultTags Environment, ManagedBy$/,
  ],
  [
    "required-tags",
    "names the wrong value and the expected one",
    fixture("required-tags", "ManagedBy another tool"),
    /: defaultTags ManagedBy is "terraform", not "pulumi"$/,
  ],
  [
    "required-tags",
    "lists each wrong value",
    [awsProvider({ ...STANDARD, Stack: "staging", ManagedBy: "terraform" })],
    /: defaultTags Stack is "staging", not "production"; ManagedBy is "terraform", not "pulumi"$/,
  ],
  [
    "required-tags",
    "lists the environments",
    fixture("required-tags", "an Environment that is none"),
    /: defaultTags Environment is "prod", not one of dev, staging, production, preview$/,
  ],
  [
    "required-tags",
    "names the environment the stack's name implies",
    fixture("required-tags", "staging's Environment in the production stack"),
    /Environment is "staging" in the production stack \(expected "production"\)$/,
  ],
  [
    "required-tags",
    "says only pr-<n> stacks are previews",
    fixture("required-tags", "a preview outside a pr-<n> stack"),
    /Environment is "preview" in the prod-eu stack \(only pr-<n> stacks are previews\)$/,
  ],
  [
    "production-database-backup-plan",
    "asks for a selection when there is none",
    fixture("production-database-backup-plan", "in no selection"),
    /^db \(RDS\): select it by ARN in an AWS Backup plan$/,
  ],
  [
    "production-database-backup-plan",
    "asks for a plan when the selection has none",
    fixture("production-database-backup-plan", "selected, in no plan"),
    /^db \(RDS\): select it by ARN in an AWS Backup plan$/,
  ],
  [
    "production-database-backup-plan",
    "names the days kept",
    fixture("production-database-backup-plan", "a rule without a cross-region copy"),
    /copy every rule to another region \(keeps 7,28,365\)$/,
  ],
])("%s %s", async (name, _what, records, message) => {
  const rule = policies.filter((p) => p.name === name);
  expect((await evaluate(records, rule)).map((v) => v.message)).toEqual([expect.stringMatching(message)]);
});
