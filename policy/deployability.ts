/**
 * Deployability rules: what the real APIs refuse or quietly get wrong, which Pulumi's mocks (and so every offline
 * test) accept. Each rule is named after the API's rule and cites where it is enforced. The readiness rules read the
 * dependency graph: whoever reads a value (a secret, a certificate, a route) must wait for the resource that makes
 * the value ready, not only for the one that names it.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  CLOUDFLARE_MANAGED_RULESET_ID,
  managedWafAvailable,
  RATE_LIMIT_PLANS,
  type CloudflarePlan,
} from "../components/dns-zone/plans";
import { minStorageCeiling } from "../components/managed-postgres/storage";
import { estimateCost, largestItems } from "../synth/cost";
import type { RecordedResource } from "../synth/recorder";
import {
  hasViaService,
  isViaServiceKey,
  keyUseGranted,
  list,
  ofType,
  resourceRule,
  stackNameOf,
  stackRule,
  statementCovers,
  statements,
  type Props,
} from "./kit";

const RDS = "aws:rds/instance:Instance";
const SECRET = "aws:secretsmanager/secret:Secret";
const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const ECS_SERVICE = "aws:ecs/service:Service";
const CERTIFICATE = "aws:acm/certificate:Certificate";
const CERTIFICATE_VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/** The most a preview may cost a day at list prices (its target is about $1: docs/cost.md). */
export const PREVIEW_DAILY_CAP_USD = 1.5;

/** The stack's DNS zones with the Cloudflare plan each records (see DnsZone). */
function zonesWithPlan(resources: readonly PolicyResource[]): Array<{ zone: PolicyResource; plan: CloudflarePlan }> {
  return resources.flatMap((zone) => {
    const plan: unknown = zone.props["plan"];
    return zone.type === "saas-platform:components:DnsZone" && typeof plan === "string" && plan in RATE_LIMIT_PLANS
      ? [{ zone, plan: plan as CloudflarePlan }]
      : [];
  });
}

/** The stack's resources as the cost estimate reads them. */
function asRecords(resources: readonly PolicyResource[]): RecordedResource[] {
  return resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    custom: !r.type.includes(":components:") && r.type !== "pulumi:pulumi:Stack",
    ...(r.parent === undefined ? {} : { parent: r.parent.urn }),
    ...(r.provider === undefined ? {} : { provider: r.provider.urn }),
    inputs: r.props,
    secretInputs: [],
    options: {},
    dependencies: r.dependencies.map((d) => d.urn),
    propertyDependencies: Object.fromEntries(
      Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map((d) => d.urn)]),
    ),
  }));
}

/** Every resource `r` waits for, directly or through others (inputs and `dependsOn`). */
export function waitsFor(r: PolicyResource): Set<PolicyResource> {
  const seen = new Set<PolicyResource>();
  const stack = [r];
  while (stack.length > 0) {
    const next = stack.pop()!;
    for (const dep of [...next.dependencies, ...Object.values(next.propertyDependencies).flat()]) {
      if (!seen.has(dep)) {
        seen.add(dep);
        stack.push(dep);
      }
    }
  }
  return seen;
}

/** A string property, or `fallback` when it is anything else. */
const text = (value: unknown, fallback = ""): string => (typeof value === "string" ? value : fallback);
const directInputs = (r: PolicyResource): PolicyResource[] => Object.values(r.propertyDependencies).flat();
const refersTo = (r: PolicyResource, key: string, target: PolicyResource) =>
  (r.propertyDependencies[key] ?? []).includes(target);

/** `secretsmanager.eu-west-1.amazonaws.com`: a service endpoint that names its region. */
const VIA_SERVICE = /^[a-z0-9-]+\.([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?$/;

/** The `kms:ViaService` values of a policy document, whatever the condition operator. */
function viaServiceValues(policy: unknown): string[] {
  return statements(policy).flatMap((s) => {
    const conditions = (s as { Condition?: Record<string, Record<string, unknown>> }).Condition ?? {};
    return Object.values(conditions).flatMap((byKey) =>
      Object.entries(byKey)
        .filter(([key]) => isViaServiceKey(key))
        .flatMap(([, value]) => list(value).map(String)),
    );
  });
}

/** The policy documents a resource carries (inline role policies included). */
function policyDocuments(r: PolicyResource): unknown[] {
  switch (r.type) {
    case "aws:iam/rolePolicy:RolePolicy":
    case "aws:iam/policy:Policy":
    case "aws:iam/userPolicy:UserPolicy":
    case "aws:iam/groupPolicy:GroupPolicy":
    case "aws:kms/key:Key":
      return [r.props["policy"]];
    case "aws:iam/role:Role":
      return (list(r.props["inlinePolicies"]) as Props[]).map((p) => p["policy"]);
    default:
      return [];
  }
}

/** Hosts of chat webhooks that never visit SNS's SubscribeURL and reject its JSON. */
const NON_CONFIRMING_WEBHOOKS = [
  { host: /(^|\.)hooks\.slack\.com$/, name: "a Slack incoming webhook" },
  { host: /(^|\.)discord(app)?\.com$/, name: "a Discord webhook" },
  { host: /\.webhook\.office\.com$|(^|\.)outlook\.office\.com$/, name: "a Microsoft Teams webhook" },
  { host: /^chat\.googleapis\.com$/, name: "a Google Chat webhook" },
];

/** The rules that read the dependency graph: who waits for what makes a value ready. */
const READINESS = [
  "secret-readers-wait-for-value",
  "ecs-service-waits-for-egress",
  "https-listener-waits-for-certificate",
  "log-export-waits-for-log-group",
  "mutual-tls-waits-for-origin-pulls",
];

/** Whether Universal SSL (the apex and `*.<apex>`) covers a name. */
export const universalSslCovers = (apex: string, name: string): boolean =>
  name === apex || (name.endsWith(`.${apex}`) && !name.slice(0, -apex.length - 1).includes("."));

export const deployabilityPolicies: Array<ResourceValidationPolicy | StackValidationPolicy> = [
  stackRule({
    name: "data-key-used-through-services",
    description:
      "The keys of databases and backup vaults have explicit policies that allow using them only through AWS services (kms:ViaService), never directly",
    check: (resources, report) => {
      const keys = new Set([
        ...ofType(resources, "aws:rds/instance:Instance").flatMap((db) =>
          (db.propertyDependencies["kmsKeyId"] ?? []).filter((d) => d.type === "aws:kms/key:Key"),
        ),
        ...ofType(resources, "aws:backup/vault:Vault").flatMap((v) =>
          (v.propertyDependencies["kmsKeyArn"] ?? []).filter((d) => d.type === "aws:kms/key:Key"),
        ),
      ]);
      for (const key of keys) {
        if (key.props["policy"] === undefined) {
          report(
            `${key.name} (KMS key): give it an explicit policy (the default lets the account's IAM use it directly)`,
          );
          continue;
        }
        const direct = statements(key.props["policy"]).filter(
          (st) => st.Effect === "Allow" && keyUseGranted(st).length > 0 && !hasViaService(st),
        );
        if (direct.length > 0) {
          report(
            `${key.name} (KMS key): a statement allows encrypting or decrypting without a kms:ViaService condition`,
          );
        }
      }
    },
  }),
  stackRule({
    name: "cloudflare-managed-waf",
    description:
      "A zone on a Pro or higher plan runs the Cloudflare Managed Ruleset on its proxied traffic (Free zones get Cloudflare's Free Managed Ruleset from Cloudflare itself)",
    check: (resources, report) => {
      for (const { zone, plan } of zonesWithPlan(resources)) {
        if (!managedWafAvailable(plan)) continue;
        const rulesets = ofType(resources, "cloudflare:index/ruleset:Ruleset").filter(
          (r) => r.parent?.urn === zone.urn,
        );
        // Only the zone owner declares zone-wide rulesets; a stack that adds records only has none.
        if (rulesets.length === 0) continue;
        const waf = rulesets.find(
          (r) =>
            r.props["phase"] === "http_request_firewall_managed" &&
            (list(r.props["rules"]) as Props[]).some(
              (rule) =>
                rule["action"] === "execute" &&
                (rule["actionParameters"] as Props | undefined)?.["id"] === CLOUDFLARE_MANAGED_RULESET_ID &&
                rule["enabled"] !== false,
            ),
        );
        if (waf === undefined) {
          report(
            `${zone.name} (DNS zone, ${plan} plan): execute the Cloudflare Managed Ruleset in the http_request_firewall_managed phase`,
          );
        }
      }
    },
  }),
  stackRule({
    name: "egress-least-privilege",
    description:
      "No security group allows every protocol or port out to the internet, except a NAT instance's (forwarding is its job)",
    check: (resources, report) => {
      const natGroups = new Set(
        ofType(resources, "aws:ec2/instance:Instance")
          .filter((i) => i.props["sourceDestCheck"] === false)
          .flatMap((i) => i.propertyDependencies["vpcSecurityGroupIds"] ?? []),
      );
      const anywhere = (p: Props) => p["cidrIpv4"] === "0.0.0.0/0" || p["cidrIpv6"] === "::/0";
      const allTraffic = (p: Props) =>
        String(p["ipProtocol"]) === "-1" || (Number(p["fromPort"]) <= 0 && Number(p["toPort"]) >= 65535);
      for (const rule of ofType(resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")) {
        if (!anywhere(rule.props) || !allTraffic(rule.props)) continue;
        const group = rule.propertyDependencies["securityGroupId"]?.[0];
        if (group !== undefined && natGroups.has(group)) continue;
        report(
          `${rule.name} (egress rule): allows all traffic to the internet; allow the ports the workload needs (e.g. tcp 443) and reach data stores by security group`,
        );
      }
      for (const group of ofType(resources, "aws:ec2/securityGroup:SecurityGroup")) {
        const open = (list(group.props["egress"]) as Props[]).filter(
          (e) =>
            (list(e["cidrBlocks"]).includes("0.0.0.0/0") || list(e["ipv6CidrBlocks"]).includes("::/0")) &&
            (String(e["protocol"]) === "-1" || (Number(e["fromPort"]) <= 0 && Number(e["toPort"]) >= 65535)),
        );
        if (open.length > 0 && !natGroups.has(group)) {
          report(`${group.name} (security group): an inline egress rule allows all traffic to the internet`);
        }
      }
    },
  }),
  stackRule({
    name: "preview-daily-cost-cap",
    description: `A preview costs at most $${PREVIEW_DAILY_CAP_USD.toFixed(2)} a day at list prices (the offline cost estimate)`,
    environments: ["preview"],
    check: (resources, report) => {
      const first = resources[0];
      if (first === undefined) return;
      const stack = stackNameOf(first.urn);
      const estimate = estimateCost({
        project: "",
        stack,
        resources: asRecords(resources),
        outputs: {},
        secretOutputs: [],
        stackReferences: [],
      });
      const daily = estimate.monthly / 30;
      if (daily > PREVIEW_DAILY_CAP_USD) {
        const top = largestItems(estimate, 3)
          .map((r) => `${r.name} $${(r.monthly / 30).toFixed(2)}`)
          .join(", ");
        report(
          `${stack} (preview stack): costs $${daily.toFixed(2)} a day, over the $${PREVIEW_DAILY_CAP_USD.toFixed(2)} cap (largest: ${top}); previews use the preview preset's sizes`,
        );
      }
    },
  }),
  stackRule({
    name: "cloudflare-rate-limits-within-plan",
    description:
      "Rate-limiting rules stay within the zone's Cloudflare plan (rule count, host in the expression, period, mitigation timeout): the API refuses more",
    check: (resources, report) => {
      for (const { zone, plan } of zonesWithPlan(resources)) {
        const limits = RATE_LIMIT_PLANS[plan];
        const rulesets = ofType(resources, "cloudflare:index/ruleset:Ruleset").filter(
          (r) => r.props["phase"] === "http_ratelimit" && r.parent?.urn === zone.urn,
        );
        for (const ruleset of rulesets) {
          const rules = list(ruleset.props["rules"]) as Props[];
          const at = `${ruleset.name} (rate-limiting ruleset, ${plan} plan)`;
          if (rules.length > limits.rules) report(`${at}: ${rules.length} rules, the plan allows ${limits.rules}`);
          for (const rule of rules) {
            const l = (rule["ratelimit"] ?? {}) as Props;
            if (
              !limits.hostInExpression &&
              typeof rule["expression"] === "string" &&
              rule["expression"].includes("http.host")
            ) {
              report(`${at}: "${String(rule["description"])}" tests http.host, which the plan does not allow`);
            }
            if (Number(l["period"]) > limits.maxPeriodSeconds) {
              report(
                `${at}: "${String(rule["description"])}" counts over ${Number(l["period"])} s, the plan allows ${limits.maxPeriodSeconds} s`,
              );
            }
            if (Number(l["mitigationTimeout"]) > limits.maxMitigationSeconds) {
              report(
                `${at}: "${String(rule["description"])}" blocks for ${Number(l["mitigationTimeout"])} s, the plan allows ${limits.maxMitigationSeconds} s`,
              );
            }
          }
        }
      }
    },
  }),
  stackRule({
    name: "cloudflare-proxied-names-covered",
    description:
      "Every proxied Cloudflare name is the apex or one label below it, which Universal SSL covers (a deeper name fails TLS at the edge)",
    check: (resources, report) => {
      const apexes = resources
        .filter((r) => r.type === "saas-platform:components:DnsZone")
        .map((r): unknown => r.props["apexDomain"])
        .filter((v): v is string => typeof v === "string");
      for (const r of ofType(resources, "cloudflare:index/dnsRecord:DnsRecord")) {
        const name: unknown = r.props["name"];
        if (r.props["proxied"] !== true || typeof name !== "string") continue;
        const apex = apexes.find((a) => name === a || name.endsWith(`.${a}`));
        if (apex !== undefined && !universalSslCovers(apex, name)) {
          report(
            `${r.name} (DNS record): ${name} is proxied but more than one label below ${apex}; Universal SSL covers ${apex} and *.${apex} only, so use a name such as ${name.split(".")[0]}-${name.slice(name.indexOf(".") + 1, -apex.length - 1).replace(/\./g, "-")}.${apex} or turn the proxy off`,
          );
        }
      }
    },
  }),
  resourceRule({
    name: "rds-max-storage-headroom",
    description:
      "RDS max storage exceeds allocated storage by at least 10 % (CreateDBInstance refuses less); omit it to turn storage autoscaling off",
    types: [RDS],
    check: (p) => {
      const max = Number(p["maxAllocatedStorage"] ?? 0);
      const allocated = Number(p["allocatedStorage"] ?? 0);
      const least = minStorageCeiling(allocated);
      if (max === 0 || max >= least) return undefined;
      return `maxAllocatedStorage ${max} is less than 10 % above allocatedStorage ${allocated}: RDS refuses it; omit it (autoscaling off) or set at least ${least}`;
    },
  }),
  resourceRule({
    name: "sns-subscription-confirms",
    description:
      "An SNS http(s) subscription goes to an endpoint that confirms it (endpointAutoConfirms, so `pulumi up` waits for the confirmation), never a chat webhook that cannot",
    types: ["aws:sns/topicSubscription:TopicSubscription"],
    check: (p) => {
      const protocol = typeof p["protocol"] === "string" ? p["protocol"] : "";
      if (protocol !== "http" && protocol !== "https") return undefined;
      const endpoint = typeof p["endpoint"] === "string" ? p["endpoint"] : "";
      let host = "";
      try {
        host = new URL(endpoint).hostname;
      } catch {
        // A secret or unknown endpoint: only the confirmation setting can be checked.
      }
      const webhook = NON_CONFIRMING_WEBHOOKS.find((w) => w.host.test(host));
      if (webhook !== undefined) {
        return `${webhook.name} never confirms an SNS subscription, which stays pending and delivers nothing; send alarms to chat through AWS Chatbot (aws.chatbot.SlackChannelConfiguration) or a forwarder that confirms`;
      }
      return p["endpointAutoConfirms"] === true
        ? undefined
        : "set endpointAutoConfirms: true for an endpoint that confirms itself (the update then waits for it); an unconfirmed subscription stays pending while `pulumi up` reports success";
    },
  }),
  stackRule({
    name: "kms-via-service-names-region",
    description:
      "kms:ViaService values name the region of the calling endpoint (service.region.amazonaws.com), or KMS denies the request",
    check: (resources, report) => {
      const regions = new Set(
        resources
          .filter((r) => r.type === "pulumi:providers:aws" || r.props["region"] !== undefined)
          .map((r): unknown => r.props["region"])
          .filter((v): v is string => typeof v === "string"),
      );
      for (const r of resources) {
        for (const value of policyDocuments(r).flatMap(viaServiceValues)) {
          const region = VIA_SERVICE.exec(value)?.[1];
          if (region === undefined) {
            report(
              `${r.name} (${r.type}): kms:ViaService "${value}" names no region; KMS compares it with the regional endpoint, such as "secretsmanager.eu-west-1.amazonaws.com"`,
            );
          } else if (regions.size > 0 && !regions.has(region)) {
            report(
              `${r.name} (${r.type}): kms:ViaService "${value}" names ${region}, where this stack has no resources (${[...regions].sort().join(", ")})`,
            );
          }
        }
      }
    },
  }),
  stackRule({
    name: "secret-readers-wait-for-value",
    description:
      "A task definition that reads a Secrets Manager secret waits for the secret's version (a secret has no value before it)",
    check: (resources, report) => {
      const versions = ofType(resources, SECRET_VERSION);
      const secretOf = (version: PolicyResource) => version.propertyDependencies["secretId"] ?? [];
      for (const reader of ofType(resources, TASK_DEFINITION)) {
        const inputs = directInputs(reader);
        const secrets = new Set([
          ...inputs.filter((d) => d.type === SECRET),
          ...inputs.filter((d) => d.type === SECRET_VERSION).flatMap(secretOf),
        ]);
        const waited = waitsFor(reader);
        for (const secret of secrets) {
          const ready = versions.some((v) => waited.has(v) && secretOf(v).includes(secret));
          if (!ready) {
            report(
              `${reader.name} (task definition): reads ${secret.name} (secret) before it has a value; take the ARN from its SecretVersion (version.arn) or depend on the version`,
            );
          }
        }
      }
    },
  }),
  stackRule({
    name: "ecs-service-waits-for-egress",
    description:
      "An ECS service without public IPs waits for its subnets' route-table associations and default routes (its tasks pull images and read secrets through them)",
    check: (resources, report) => {
      const associations = ofType(resources, "aws:ec2/routeTableAssociation:RouteTableAssociation");
      const routes = ofType(resources, "aws:ec2/route:Route").filter(
        (r) => r.props["destinationCidrBlock"] === "0.0.0.0/0",
      );
      for (const service of ofType(resources, ECS_SERVICE)) {
        const network = (service.props["networkConfiguration"] ?? {}) as Props;
        if (network["assignPublicIp"] === true) continue;
        const subnets = (service.propertyDependencies["networkConfiguration"] ?? []).filter(
          (d) => d.type === "aws:ec2/subnet:Subnet",
        );
        const waited = waitsFor(service);
        for (const subnet of subnets) {
          const association = associations.find((a) => refersTo(a, "subnetId", subnet));
          const table = association?.propertyDependencies["routeTableId"]?.[0];
          const route = table === undefined ? undefined : routes.find((r) => refersTo(r, "routeTableId", table));
          const missing = [association, route].filter((x): x is PolicyResource => x !== undefined && !waited.has(x));
          if (route === undefined) {
            report(
              `${service.name} (ECS service): subnet ${subnet.name} has no default route in this stack, so its tasks cannot pull images or read secrets (add NAT or VPC endpoints)`,
            );
          } else if (missing.length > 0) {
            report(
              `${service.name} (ECS service): starts tasks in ${subnet.name} before ${missing.map((m) => m.name).join(" and ")} exist; depend on them (Network's egressReady)`,
            );
          }
        }
      }
    },
  }),
  stackRule({
    name: "https-listener-waits-for-certificate",
    description:
      "An HTTPS or TLS listener (or listener certificate) uses an ACM certificate only after its validation: ACM refuses an unissued one",
    check: (resources, report) => {
      const validations = ofType(resources, CERTIFICATE_VALIDATION);
      const users = resources.filter(
        (r) =>
          (r.type === "aws:lb/listener:Listener" && ["HTTPS", "TLS"].includes(String(r.props["protocol"]))) ||
          r.type === "aws:lb/listenerCertificate:ListenerCertificate",
      );
      for (const user of users) {
        const certificates = (user.propertyDependencies["certificateArn"] ?? []).flatMap((d) =>
          d.type === CERTIFICATE
            ? [d]
            : d.type === CERTIFICATE_VALIDATION
              ? (d.propertyDependencies["certificateArn"] ?? [])
              : [],
        );
        const waited = waitsFor(user);
        for (const certificate of certificates) {
          const validated = validations.some((v) => waited.has(v) && refersTo(v, "certificateArn", certificate));
          if (!validated) {
            report(
              `${user.name} (${user.type}): uses ${certificate.name} before it is issued; take the ARN from its CertificateValidation`,
            );
          }
        }
      }
    },
  }),
  stackRule({
    name: "scheduler-role-allows-its-action",
    description:
      "An EventBridge Scheduler universal target's role allows the API action it calls, and its input is JSON (Scheduler otherwise fails each run, silently)",
    check: (resources, report) => {
      const policies = ofType(resources, "aws:iam/rolePolicy:RolePolicy");
      for (const schedule of ofType(resources, "aws:scheduler/schedule:Schedule")) {
        const target = (schedule.props["target"] ?? {}) as Props;
        const match = /^arn:aws:scheduler:::aws-sdk:([a-z0-9]+):([a-zA-Z0-9]+)$/.exec(text(target["arn"]));
        if (match === null) continue;
        const action = `${match[1]}:${match[2]!.charAt(0).toUpperCase()}${match[2]!.slice(1)}`;
        try {
          JSON.parse(text(target["input"], "{}"));
        } catch {
          report(`${schedule.name} (schedule): its input is not JSON, so ${action} is never called`);
        }
        const role = (schedule.propertyDependencies["target"] ?? []).find((d) => d.type === "aws:iam/role:Role");
        const allowed = policies
          .filter((p) => role !== undefined && refersTo(p, "role", role))
          .flatMap((p) => statements(p.props["policy"]))
          .filter((st) => st.Effect === "Allow" && statementCovers(st, action));
        if (allowed.length === 0) {
          report(
            `${schedule.name} (schedule): its role${role === undefined ? "" : ` ${role.name}`} does not allow ${action}; every run would fail with AccessDenied`,
          );
        }
      }
    },
  }),
  stackRule({
    name: "production-always-on",
    description:
      "Production never sleeps: no scheduled action scales a service to zero, and no schedule stops a database or instance",
    environments: ["production"],
    check: (resources, report) => {
      for (const action of ofType(resources, "aws:appautoscaling/scheduledAction:ScheduledAction")) {
        const range = (action.props["scalableTargetAction"] ?? {}) as Props;
        if (Number(range["maxCapacity"]) === 0) {
          report(`${action.name} (scheduled action): scales a production service to zero tasks`);
        }
      }
      for (const schedule of ofType(resources, "aws:scheduler/schedule:Schedule")) {
        const arn = text(((schedule.props["target"] ?? {}) as Props)["arn"]);
        if (/:(stopDBInstance|stopDBCluster|stopInstances)$/.test(arn)) {
          report(`${schedule.name} (schedule): stops production resources (${arn.split(":").pop()})`);
        }
      }
    },
  }),
  stackRule({
    name: "alb-ipv6-has-ipv6-subnets",
    description:
      "A load balancer with IPv6 addresses (dualstack, dualstack-without-public-ipv4) is in subnets with IPv6 blocks and a ::/0 route (Elastic Load Balancing refuses it otherwise)",
    check: (resources, report) => {
      const subnets = ofType(resources, "aws:ec2/subnet:Subnet");
      const associations = ofType(resources, "aws:ec2/routeTableAssociation:RouteTableAssociation");
      const v6Routes = ofType(resources, "aws:ec2/route:Route").filter(
        (r) => r.props["destinationIpv6CidrBlock"] === "::/0",
      );
      for (const alb of ofType(resources, "aws:lb/loadBalancer:LoadBalancer")) {
        const type = String(alb.props["ipAddressType"] ?? "ipv4");
        if (!type.startsWith("dualstack")) continue;
        for (const subnet of (alb.propertyDependencies["subnets"] ?? []).filter((d) => subnets.includes(d))) {
          const table = associations.find((a) => refersTo(a, "subnetId", subnet))?.propertyDependencies[
            "routeTableId"
          ]?.[0];
          if (subnet.props["ipv6CidrBlock"] === undefined) {
            report(`${alb.name} (load balancer, ${type}): subnet ${subnet.name} has no IPv6 block`);
          } else if (table === undefined || !v6Routes.some((r) => refersTo(r, "routeTableId", table))) {
            report(`${alb.name} (load balancer, ${type}): subnet ${subnet.name} has no ::/0 route to the internet`);
          }
        }
      }
    },
  }),
  stackRule({
    name: "log-export-waits-for-log-group",
    description:
      "An RDS instance exporting logs waits for the log groups it writes to (RDS otherwise creates them itself, with no retention and no key)",
    check: (resources, report) => {
      const groups = ofType(resources, LOG_GROUP);
      for (const db of ofType(resources, RDS)) {
        const waited = waitsFor(db);
        for (const log of list(db.props["enabledCloudwatchLogsExports"]).map(String)) {
          const name = `/aws/rds/instance/${String(db.props["identifier"])}/${log}`;
          const group = groups.find((g) => g.props["name"] === name);
          if (group === undefined || !waited.has(group)) {
            report(
              `${db.name} (RDS): exports ${log} logs before ${name} is declared; declare that log group and depend on it`,
            );
          }
        }
      }
    },
  }),
  stackRule({
    name: "mutual-tls-waits-for-origin-pulls",
    description:
      "A listener that verifies client certificates waits for Cloudflare's origin-pull association of every proxied name pointing at its load balancer (Cloudflare deploys one for minutes after accepting it; until then the listener would refuse every request)",
    check: (resources, report) => {
      const associations = ofType(resources, "cloudflare:index/authenticatedOriginPulls:AuthenticatedOriginPulls");
      const hostnameOf = (a: PolicyResource): unknown =>
        (list(a.props["configs"])[0] as Props | undefined)?.["hostname"];
      const records = ofType(resources, "cloudflare:index/dnsRecord:DnsRecord").filter(
        (r) => r.props["proxied"] === true,
      );
      for (const listener of ofType(resources, "aws:lb/listener:Listener")) {
        if ((listener.props["mutualAuthentication"] as Props | undefined)?.["mode"] !== "verify") continue;
        const lbs = new Set(listener.propertyDependencies["loadBalancerArn"] ?? []);
        const waited = waitsFor(listener);
        for (const record of records.filter((r) => (r.propertyDependencies["content"] ?? []).some((d) => lbs.has(d)))) {
          const name = String(record.props["name"]);
          const association = associations.find((a) => hostnameOf(a) === name);
          if (association === undefined) {
            report(
              `${listener.name} (HTTPS listener): verifies client certificates, but Cloudflare presents none for ${name}; associate the name with the uploaded certificate (OriginAuthentication)`,
            );
          } else if (!waited.has(association)) {
            report(
              `${listener.name} (HTTPS listener): verifies client certificates before ${association.name} is deployed; take the trust store's ARN from OriginAuthentication.trustStoreArn (it waits for "active")`,
            );
          }
        }
      }
    },
  }),
];

/** The readiness rules, which the deploy plan (`--format plan`) runs too. */
export const readinessPolicies = deployabilityPolicies.filter((p) => READINESS.includes(p.name));
