/**
 * Fixtures of the deployability rules (policy/deployability.ts): for each rule, failing stacks that each break one
 * condition the rule checks, and passing stacks. Records are as the synth would record them.
 */
import type { RecordedResource } from "../../synth/recorder";
import type { SynthResult } from "../../synth/synth";
import * as origin from "./origin-fixtures";

const STACK = "production";
export const urnOf = (type: string, name: string) => `urn:pulumi:${STACK}::saas-platform::${type}::${name}`;

/** A recorded resource; `deps` are the URNs it waits for (inputs and dependsOn), `inputsFrom` per input. */
export function rec(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: { deps?: string[]; inputsFrom?: Record<string, string[]> } = {},
): RecordedResource {
  const inputsFrom = extra.inputsFrom ?? {};
  return {
    urn: urnOf(type, name),
    type,
    name,
    custom: true,
    inputs,
    secretInputs: [],
    options: {},
    dependencies: [...new Set([...(extra.deps ?? []), ...Object.values(inputsFrom).flat()])],
    propertyDependencies: inputsFrom,
  };
}

/** A synth result of the production stack made of `resources` (for the plan and the cost estimate). */
export const resultOf = (resources: SynthResult["resources"]): SynthResult => ({
  project: "saas-platform",
  stack: STACK,
  resources,
  outputs: {},
  secretOutputs: [],
  stackReferences: [],
});

const T = {
  rds: "aws:rds/instance:Instance",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  provider: "pulumi:providers:aws",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  key: "aws:kms/key:Key",
  secret: "aws:secretsmanager/secret:Secret",
  version: "aws:secretsmanager/secretVersion:SecretVersion",
  taskDef: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  subnet: "aws:ec2/subnet:Subnet",
  table: "aws:ec2/routeTable:RouteTable",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  route: "aws:ec2/route:Route",
  certificate: "aws:acm/certificate:Certificate",
  validation: "aws:acm/certificateValidation:CertificateValidation",
  listener: "aws:lb/listener:Listener",
  listenerCertificate: "aws:lb/listenerCertificate:ListenerCertificate",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
} as const;

const provider = rec(T.provider, "aws", { region: "eu-west-1" });
const decryptVia = (value: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: ["arn:aws:kms:eu-west-1:123456789012:key/k"],
        Condition: { StringEquals: { "kms:ViaService": value } },
      },
    ],
  });

const secret = rec(T.secret, "db-url", {});
const version = rec(T.version, "db-url", {}, { inputsFrom: { secretId: [secret.urn] } });

const subnet = rec(T.subnet, "private-1", {});
const table = rec(T.table, "private-rt-1", {});
const association = rec(
  T.association,
  "private-1",
  {},
  { inputsFrom: { subnetId: [subnet.urn], routeTableId: [table.urn] } },
);
const route = rec(
  T.route,
  "private-default-1",
  { destinationCidrBlock: "0.0.0.0/0" },
  { inputsFrom: { routeTableId: [table.urn] } },
);
const service = (deps: string[]) =>
  rec(
    T.service,
    "api",
    { networkConfiguration: { assignPublicIp: false } },
    { deps, inputsFrom: { networkConfiguration: [subnet.urn] } },
  );

const certificate = rec(T.certificate, "api-cert", {});
const validation = rec(T.validation, "api-cert", {}, { inputsFrom: { certificateArn: [certificate.urn] } });

const LOG = "/aws/rds/instance/db-1/postgresql";
const db = (deps: string[]) =>
  rec(T.rds, "db", { identifier: "db-1", enabledCloudwatchLogsExports: ["postgresql"] }, { deps });
const logGroup = rec(T.logGroup, "db-log-postgresql", { name: LOG });

const zone = { ...rec("saas-platform:components:DnsZone", "dns", { apexDomain: "acme-app.com" }), custom: false };
const dnsRecord = (name: string, proxied: boolean) =>
  rec("cloudflare:index/dnsRecord:DnsRecord", `dns-${name}`, { name, proxied, type: "CNAME" });

const zoneOn = (plan: string) => ({
  ...rec("saas-platform:components:DnsZone", "dns", { apexDomain: "acme-app.com", plan }),
  custom: false,
});
const limitRule = (expression: string, period: number, mitigationTimeout: number) => ({
  description: "limit",
  expression,
  ratelimit: { period, mitigationTimeout, requestsPerPeriod: 5, characteristics: ["cf.colo.id", "ip.src"] },
});
const rateLimits = (...rules: object[]) => ({
  ...rec("cloudflare:index/ruleset:Ruleset", "dns-rate-limits", { phase: "http_ratelimit", rules }),
  parent: urnOf("saas-platform:components:DnsZone", "dns"),
});
const PATH = '(starts_with(http.request.uri.path, "/auth"))';
const wafRuleset = (rule: object, phase = "http_request_firewall_managed") => ({
  ...rec("cloudflare:index/ruleset:Ruleset", "dns-waf", { phase, rules: [rule] }),
  parent: urnOf("saas-platform:components:DnsZone", "dns"),
});
const HOST = '(starts_with(http.host, "api."))';

/** A record in the pr-7 preview stack. */
const inPreview = (r: RecordedResource): RecordedResource => ({
  ...r,
  urn: r.urn.replace(`urn:pulumi:${STACK}::`, "urn:pulumi:pr-7::"),
});
const previewDb = (instanceClass: string) =>
  inPreview(rec(T.rds, "database", { instanceClass, allocatedStorage: 20, multiAz: false }));

const group = rec("aws:ec2/securityGroup:SecurityGroup", "api-service", {});
const egress = (name: string, props: Record<string, unknown>, sg = group) =>
  rec("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", name, props, {
    inputsFrom: { securityGroupId: [sg.urn] },
  });
const natGroup = rec("aws:ec2/securityGroup:SecurityGroup", "network-nat", {});
const natInstance = rec(
  "aws:ec2/instance:Instance",
  "network-nat",
  { sourceDestCheck: false },
  { inputsFrom: { vpcSecurityGroupIds: [natGroup.urn] } },
);

const dataKey = (policy: unknown) =>
  rec("aws:kms/key:Key", "database-key", policy === undefined ? {} : { policy: JSON.stringify(policy) });
const keyedDb = (key: RecordedResource) => rec(T.rds, "database", {}, { inputsFrom: { kmsKeyId: [key.urn] } });
const ROOT = { AWS: "arn:aws:iam::123456789012:root" };

const schedulerRole = rec("aws:iam/role:Role", "office-hours-scheduler", {});
const schedulerPolicy = (actions: string[]) =>
  rec(
    T.rolePolicy,
    "office-hours-scheduler",
    {
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }],
      }),
    },
    { inputsFrom: { role: [schedulerRole.urn] } },
  );
const schedule = (action: string, input = '{"DbInstanceIdentifier":"db-1"}', role = schedulerRole) =>
  rec(
    "aws:scheduler/schedule:Schedule",
    `office-hours-${action}`,
    { target: { arn: `arn:aws:scheduler:::aws-sdk:${action}`, input } },
    { inputsFrom: { target: [role.urn] } },
  );
const scheduledAction = (maxCapacity: number) =>
  rec(
    "aws:appautoscaling/scheduledAction:ScheduledAction",
    `office-hours-api-${maxCapacity === 0 ? "sleep" : "wake"}`,
    {
      scalableTargetAction: { minCapacity: 0, maxCapacity },
    },
  );

const v6Table = rec(T.table, "public-rt", {});
const publicSubnet = (ipv6: boolean) =>
  rec(T.subnet, "public-1", ipv6 ? { ipv6CidrBlock: "2a05:d018:1:200::/64" } : {});
const publicAssociation = rec(
  T.association,
  "public-1",
  {},
  { inputsFrom: { subnetId: [urnOf(T.subnet, "public-1")], routeTableId: [v6Table.urn] } },
);
const v6Route = rec(
  T.route,
  "public-default-ipv6",
  { destinationIpv6CidrBlock: "::/0" },
  { inputsFrom: { routeTableId: [v6Table.urn] } },
);
const alb = (ipAddressType: string) =>
  rec(
    "aws:lb/loadBalancer:LoadBalancer",
    "api-alb",
    { ipAddressType },
    { inputsFrom: { subnets: [urnOf(T.subnet, "public-1")] } },
  );

export const DEPLOYABILITY_FIXTURES: Record<
  string,
  { readonly fail: Record<string, RecordedResource[]>; readonly pass: Record<string, RecordedResource[]> }
> = {
  "data-key-used-through-services": {
    fail: {
      "the default key policy": [dataKey(undefined), keyedDb(dataKey(undefined))],
      "a vault key the account may use directly": (() => {
        const key = dataKey({
          Statement: [{ Effect: "Allow", Principal: ROOT, Action: ["kms:Decrypt"], Resource: "*" }],
        });
        return [key, rec("aws:backup/vault:Vault", "copy", {}, { inputsFrom: { kmsKeyArn: [key.urn] } })];
      })(),
      "the account may use it directly": (() => {
        const key = dataKey({ Statement: [{ Effect: "Allow", Principal: ROOT, Action: "kms:*", Resource: "*" }] });
        return [key, keyedDb(key)];
      })(),
    },
    pass: {
      "administration by the account, use only through services": (() => {
        const key = dataKey({
          Statement: [
            { Effect: "Allow", Principal: ROOT, Action: ["kms:Describe*", "kms:Put*"], Resource: "*" },
            {
              Effect: "Allow",
              Principal: ROOT,
              Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
              Resource: "*",
              Condition: { StringEquals: { "kms:ViaService": ["rds.eu-west-1.amazonaws.com"] } },
            },
          ],
        });
        return [key, keyedDb(key)];
      })(),
      "a vault's key used through AWS Backup only": (() => {
        const key = dataKey({
          Statement: [
            {
              Effect: "Allow",
              Principal: ROOT,
              Action: ["kms:Decrypt"],
              Resource: "*",
              Condition: { StringEquals: { "kms:ViaService": ["backup.eu-central-1.amazonaws.com"] } },
            },
          ],
        });
        return [key, rec("aws:backup/vault:Vault", "copy", {}, { inputsFrom: { kmsKeyArn: [key.urn] } })];
      })(),
      "a key no database uses": [
        dataKey({ Statement: [{ Effect: "Allow", Principal: ROOT, Action: "kms:*", Resource: "*" }] }),
      ],
    },
  },
  "egress-least-privilege": {
    fail: {
      "every protocol to the internet": [group, egress("out", { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" })],
      "every port to the internet over IPv6": [
        group,
        egress("out6", { ipProtocol: "tcp", fromPort: 0, toPort: 65535, cidrIpv6: "::/0" }),
      ],
      "an inline rule open to the internet": [
        rec("aws:ec2/securityGroup:SecurityGroup", "legacy", {
          egress: [{ protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }],
        }),
      ],
    },
    pass: {
      "HTTPS out and the database by group": [
        group,
        egress("https", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }),
        egress("db", { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: "sg-db" }),
      ],
      "a NAT instance forwarding everything": [
        natGroup,
        natInstance,
        egress("nat-out", { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }, natGroup),
      ],
    },
  },
  "cloudflare-managed-waf": {
    fail: {
      "a Pro zone owner without the managed ruleset": [zoneOn("pro"), rateLimits(limitRule(HOST, 60, 60))],
      "the managed ruleset disabled": [
        zoneOn("pro"),
        rateLimits(limitRule(HOST, 60, 60)),
        wafRuleset({ action: "execute", actionParameters: { id: "efb7b8c949ac4650a09736fc376e9aee" }, enabled: false }),
      ],
      "another managed ruleset executed": [
        zoneOn("pro"),
        rateLimits(limitRule(HOST, 60, 60)),
        wafRuleset({ action: "execute", actionParameters: { id: "4814384a9e5d4991b9815dcfc25d2f1f" }, enabled: true }),
      ],
      "the managed ruleset logged, not executed": [
        zoneOn("pro"),
        rateLimits(limitRule(HOST, 60, 60)),
        wafRuleset({ action: "log", actionParameters: { id: "efb7b8c949ac4650a09736fc376e9aee" }, enabled: true }),
      ],
      "the managed ruleset in another phase": [
        zoneOn("pro"),
        rateLimits(limitRule(HOST, 60, 60)),
        wafRuleset(
          { action: "execute", actionParameters: { id: "efb7b8c949ac4650a09736fc376e9aee" }, enabled: true },
          "http_request_firewall_custom",
        ),
      ],
    },
    pass: {
      "a Pro zone owner running it": [
        zoneOn("pro"),
        rateLimits(limitRule(HOST, 60, 60)),
        wafRuleset({ action: "execute", actionParameters: { id: "efb7b8c949ac4650a09736fc376e9aee" }, enabled: true }),
      ],
      "a Free zone (Cloudflare deploys its Free Managed Ruleset)": [
        zoneOn("free"),
        rateLimits(limitRule(PATH, 10, 10)),
      ],
      "a stack that only adds records": [zoneOn("pro")],
    },
  },
  "preview-daily-cost-cap": {
    fail: {
      // db.m7g.large: 0.185 × 730 / 30 = $4.50 a day
      "a production-size database in a preview": [previewDb("db.m7g.large")],
    },
    pass: {
      // db.t4g.micro: (0.017 × 730 + 20 × 0.127) / 30 = $0.50 a day
      "the preview preset's database": [previewDb("db.t4g.micro")],
      "the same database outside a preview": [
        rec(T.rds, "database", { instanceClass: "db.m7g.large", allocatedStorage: 20 }),
      ],
    },
  },
  "cloudflare-rate-limits-within-plan": {
    fail: {
      "two rules on Free": [zoneOn("free"), rateLimits(limitRule(PATH, 10, 10), limitRule(PATH, 10, 10))],
      "the host in a Free rule": [zoneOn("free"), rateLimits(limitRule(HOST, 10, 10))],
      "a 60 s period on Free": [zoneOn("free"), rateLimits(limitRule(PATH, 60, 10))],
      "a 60 s block on Free": [zoneOn("free"), rateLimits(limitRule(PATH, 10, 60))],
    },
    pass: {
      "one path rule of 10 s on Free": [zoneOn("free"), rateLimits(limitRule(PATH, 10, 10))],
      "two host rules of 60 s on Pro": [zoneOn("pro"), rateLimits(limitRule(HOST, 60, 60), limitRule(HOST, 60, 60))],
    },
  },
  "cloudflare-proxied-names-covered": {
    fail: {
      "a proxied name two labels below the apex": [zone, dnsRecord("api.staging.acme-app.com", true)],
    },
    pass: {
      "the apex and one label below proxied, a deeper name unproxied": [
        zone,
        dnsRecord("acme-app.com", true),
        dnsRecord("api-staging.acme-app.com", true),
        dnsRecord("pr-1.staging.acme-app.com", false),
      ],
    },
  },
  "rds-max-storage-headroom": {
    fail: {
      "a ceiling 5 % above the allocation": [rec(T.rds, "db", { allocatedStorage: 100, maxAllocatedStorage: 105 })],
      "a ceiling equal to the allocation": [rec(T.rds, "db", { allocatedStorage: 20, maxAllocatedStorage: 20 })],
    },
    pass: {
      "a ceiling exactly 10 % above": [rec(T.rds, "db", { allocatedStorage: 100, maxAllocatedStorage: 110 })],
      "no ceiling (autoscaling off)": [rec(T.rds, "db", { allocatedStorage: 20 })],
    },
  },
  "sns-subscription-confirms": {
    fail: {
      "a Slack incoming webhook, even claiming to confirm": [
        rec(T.subscription, "hook", {
          protocol: "https",
          endpoint: "https://hooks.slack.com/services/T0/B0/x",
          endpointAutoConfirms: true,
        }),
      ],
      "an https endpoint without endpointAutoConfirms": [
        rec(T.subscription, "relay", { protocol: "https", endpoint: "https://relay.example.com/sns" }),
      ],
      "a secret endpoint without endpointAutoConfirms": [
        rec(T.subscription, "relay", { protocol: "https", endpoint: "[secret]" }),
      ],
    },
    pass: {
      "a relay that confirms, and an email": [
        rec(T.subscription, "relay", {
          protocol: "https",
          endpoint: "https://relay.example.com/sns",
          endpointAutoConfirms: true,
        }),
        rec(T.subscription, "mail", { protocol: "email", endpoint: "ops@example.com" }),
      ],
    },
  },
  "kms-via-service-names-region": {
    fail: {
      "a value without the region": [
        provider,
        rec(T.rolePolicy, "exec", { policy: decryptVia("secretsmanager.amazonaws.com") }),
      ],
      "a region where the stack has nothing": [
        provider,
        rec(T.rolePolicy, "exec", { policy: decryptVia("secretsmanager.us-east-2.amazonaws.com") }),
      ],
      "a key policy without the region": [provider, rec(T.key, "k", { policy: decryptVia("rds.amazonaws.com") })],
    },
    pass: {
      "the stack's region": [
        provider,
        rec(T.rolePolicy, "exec", { policy: decryptVia("secretsmanager.eu-west-1.amazonaws.com") }),
      ],
    },
  },
  "secret-readers-wait-for-value": {
    fail: {
      "a task definition reading the secret, not its version": [
        secret,
        version,
        rec(T.taskDef, "api", {}, { inputsFrom: { containerDefinitions: [secret.urn] } }),
      ],
      "a secret that has no version at all": [
        secret,
        rec(T.taskDef, "api", {}, { inputsFrom: { containerDefinitions: [secret.urn] } }),
      ],
    },
    pass: {
      "the ARN taken from the version": [
        secret,
        version,
        rec(T.taskDef, "api", {}, { inputsFrom: { containerDefinitions: [version.urn] } }),
      ],
      "the secret's ARN with dependsOn its version": [
        secret,
        version,
        rec(T.taskDef, "api", {}, { deps: [version.urn], inputsFrom: { containerDefinitions: [secret.urn] } }),
      ],
    },
  },
  "ecs-service-waits-for-egress": {
    fail: {
      "waits for neither association nor route": [subnet, table, association, route, service([])],
      "waits for the association but not the route": [subnet, table, association, route, service([association.urn])],
      "waits for the route but not the association": [subnet, table, association, route, service([route.urn])],
      "a subnet with no default route": [subnet, table, association, service([association.urn])],
    },
    pass: {
      "waits for both": [subnet, table, association, route, service([association.urn, route.urn])],
    },
  },
  "https-listener-waits-for-certificate": {
    fail: {
      "an HTTPS listener on the unvalidated certificate": [
        certificate,
        validation,
        rec(T.listener, "https", { protocol: "HTTPS" }, { inputsFrom: { certificateArn: [certificate.urn] } }),
      ],
      "a listener certificate on the unvalidated certificate": [
        certificate,
        validation,
        rec(T.listenerCertificate, "sni", {}, { inputsFrom: { certificateArn: [certificate.urn] } }),
      ],
    },
    pass: {
      "the ARN taken from the validation": [
        certificate,
        validation,
        rec(T.listener, "https", { protocol: "HTTPS" }, { inputsFrom: { certificateArn: [validation.urn] } }),
        rec(T.listenerCertificate, "sni", {}, { inputsFrom: { certificateArn: [validation.urn] } }),
      ],
    },
  },
  "mutual-tls-waits-for-origin-pulls": (() => {
    const VERIFY = { mode: "verify", trustStoreArn: "arn:aws:elasticloadbalancing:eu-west-1:1:truststore/t/1" };
    return {
      fail: {
        "no association for the proxied name": [origin.lb, origin.record(), origin.listener(VERIFY)],
        "an association the listener does not wait for": [
          origin.lb,
          origin.record(),
          origin.association,
          origin.listener(VERIFY),
        ],
      },
      pass: {
        "the listener waits for the association": [
          origin.lb,
          origin.record(),
          origin.association,
          origin.listener(VERIFY, [origin.association.urn]),
        ],
        "a listener that asks for no certificate": [origin.lb, origin.record(), origin.listener(undefined)],
      },
    };
  })(),
  "log-export-waits-for-log-group": {
    fail: {
      "no log group declared": [db([])],
      "a log group it does not wait for": [logGroup, db([])],
    },
    pass: { "a log group it waits for": [logGroup, db([logGroup.urn])] },
  },
  "scheduler-role-allows-its-action": {
    fail: {
      "a role allowed another action": [
        schedulerRole,
        schedulerPolicy(["rds:StartDBInstance"]),
        schedule("rds:stopDBInstance"),
      ],
      "a role with no policy": [schedulerRole, schedule("rds:stopDBInstance")],
      "an input that is not JSON": [
        schedulerRole,
        schedulerPolicy(["rds:StopDBInstance"]),
        schedule("rds:stopDBInstance", "DbInstanceIdentifier=db-1"),
      ],
    },
    pass: {
      "the role allows the action, in the SDK's PascalCase": [
        schedulerRole,
        schedulerPolicy(["rds:StopDBInstance", "ec2:StopInstances"]),
        schedule("rds:stopDBInstance"),
        schedule("ec2:stopInstances", '{"InstanceIds":["i-1"]}'),
      ],
    },
  },
  "production-always-on": {
    fail: {
      "a service scaled to zero": [scheduledAction(0)],
      "a database stopped": [schedule("rds:stopDBInstance")],
      "an instance stopped": [schedule("ec2:stopInstances", '{"InstanceIds":["i-1"]}')],
    },
    pass: {
      "a scheduled scale-up, a start": [scheduledAction(4), schedule("rds:startDBInstance")],
      "a preview that sleeps": [inPreview(scheduledAction(0)), inPreview(schedule("rds:stopDBInstance"))],
    },
  },
  "alb-ipv6-has-ipv6-subnets": {
    fail: {
      "a subnet without an IPv6 block": [
        publicSubnet(false),
        v6Table,
        publicAssociation,
        v6Route,
        alb("dualstack-without-public-ipv4"),
      ],
      "no ::/0 route": [publicSubnet(true), v6Table, publicAssociation, alb("dualstack")],
    },
    pass: {
      "IPv6 blocks and a ::/0 route": [
        publicSubnet(true),
        v6Table,
        publicAssociation,
        v6Route,
        alb("dualstack-without-public-ipv4"),
      ],
      "an IPv4 load balancer needs neither": [publicSubnet(false), alb("ipv4")],
    },
  },
};
