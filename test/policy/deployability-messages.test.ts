/**
 * The parts of the deployability messages a user acts on: what the API would refuse and the fix each names.
 */
import type { RecordedResource } from "../../synth/recorder";
import { deployabilityPolicies } from "../../policy/deployability";
import { evaluate } from "../../policy/evaluate";
import { DEPLOYABILITY_FIXTURES, rec } from "./deployability-fixtures";

const messagesOf = async (rule: string, records: readonly RecordedResource[]) =>
  (
    await evaluate(
      records,
      deployabilityPolicies.filter((p) => p.name === rule),
    )
  ).map((v) => v.message);
const failing = (rule: string, what: string) => {
  const records = DEPLOYABILITY_FIXTURES[rule]?.fail[what];
  if (records === undefined) throw new Error(`no fixture ${rule}: ${what}`);
  return messagesOf(rule, records);
};

test("rate limits: the rule's description, the value and the plan's limit", async () => {
  expect(await failing("cloudflare-rate-limits-within-plan", "the host in a Free rule")).toEqual([
    expect.stringMatching(/"limit" tests http\.host/),
  ]);
  expect(await failing("cloudflare-rate-limits-within-plan", "a 60 s period on Free")).toEqual([
    expect.stringMatching(/"limit" counts over 60 s, the plan allows 10 s/),
  ]);
  expect(await failing("cloudflare-rate-limits-within-plan", "a 60 s block on Free")).toEqual([
    expect.stringMatching(/"limit" blocks for 60 s, the plan allows 10 s/),
  ]);
});

test("a deep proxied name: the one-label name to use instead", async () => {
  const zone = { ...rec("saas-platform:components:DnsZone", "dns", { apexDomain: "acme-app.com" }), custom: false };
  const record = rec("cloudflare:index/dnsRecord:DnsRecord", "dns-api", {
    name: "api.eu.staging.acme-app.com",
    proxied: true,
  });
  expect(await messagesOf("cloudflare-proxied-names-covered", [zone, record])).toEqual([
    expect.stringMatching(/use a name such as api-eu-staging\.acme-app\.com or turn the proxy off/),
  ]);
});

test("kms:ViaService: a value without a region, and the stack's regions in order", async () => {
  expect(await failing("kms-via-service-names-region", "a value without the region")).toEqual([
    expect.stringMatching(/"secretsmanager\.amazonaws\.com" names no region/),
  ]);
  const providers = ["us-east-1", "eu-west-1"].map((region) => rec("pulumi:providers:aws", region, { region }));
  const policy =
    DEPLOYABILITY_FIXTURES["kms-via-service-names-region"]!.fail["a region where the stack has nothing"]![1]!;
  expect(await messagesOf("kms-via-service-names-region", [...providers, policy])).toEqual([
    expect.stringMatching(/names us-east-2, where this stack has no resources \(eu-west-1, us-east-1\)$/),
  ]);
});

test("ECS egress: every resource the service does not wait for", async () => {
  expect(await failing("ecs-service-waits-for-egress", "waits for neither association nor route")).toEqual([
    expect.stringMatching(/before private-1 and private-default-1 exist/),
  ]);
});

test("scheduler: the role, when the stack has one, and the action", async () => {
  expect(await failing("scheduler-role-allows-its-action", "a role with no policy")).toEqual([
    expect.stringMatching(/its role office-hours-scheduler does not allow rds:StopDBInstance/),
  ]);
  expect(await failing("scheduler-role-allows-its-action", "a schedule whose role is outside the stack")).toEqual([
    expect.stringMatching(/its role does not allow rds:StopDBInstance/),
  ]);
});

test("production: the action that stops it", async () => {
  expect(await failing("production-always-on", "a database stopped")).toEqual([
    expect.stringMatching(/stops production resources \(stopDBInstance\)$/),
  ]);
});

test("chat webhooks: which service never confirms", async () => {
  const hooks: Array<[string, RegExp]> = [
    ["https://hooks.slack.com/services/T0/B0/x", /^a Slack incoming webhook never confirms/],
    ["https://discord.com/api/webhooks/1/x", /^a Discord webhook never confirms/],
    ["https://acme.webhook.office.com/webhookb2/x", /^a Microsoft Teams webhook never confirms/],
    ["https://chat.googleapis.com/v1/spaces/x/messages", /^a Google Chat webhook never confirms/],
  ];
  for (const [endpoint, name] of hooks) {
    const subscription = rec("aws:sns/topicSubscription:TopicSubscription", "hook", {
      protocol: "https",
      endpoint,
      endpointAutoConfirms: true,
    });
    const [message] = await messagesOf("sns-subscription-confirms", [subscription]);
    expect(message?.replace(/^hook \(.+?\): /, "")).toMatch(name);
  }
});

test("preview cost: the largest items with their daily cost", async () => {
  const inPreview = (r: RecordedResource) => ({
    ...r,
    urn: r.urn.replace(/^urn:pulumi:production::/, "urn:pulumi:pr-7::"),
  });
  const records = [
    inPreview(rec("aws:rds/instance:Instance", "database", { instanceClass: "db.m7g.large", allocatedStorage: 20 })),
    inPreview(rec("aws:rds/instance:Instance", "replica", { instanceClass: "db.t4g.micro", allocatedStorage: 20 })),
  ];
  expect(await messagesOf("preview-daily-cost-cap", records)).toEqual([
    expect.stringMatching(/\(largest: database \$4\.59, replica \$0\.50\)/),
  ]);
});
