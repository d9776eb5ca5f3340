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

const otherZone = (apexDomain: string, plan = "pro") => ({
  ...rec("saas-platform:components:DnsZone", `dns-${apexDomain}`, { apexDomain, plan }),
  custom: false,
});
/** `r` as a child of `parent`, or of nothing (an account-level resource) when `undefined`. */
const ownedBy = (r: RecordedResource, parent: string | undefined): RecordedResource => {
  const owned = Object.fromEntries(Object.entries(r).filter(([key]) => key !== "parent")) as RecordedResource;
  return parent === undefined ? owned : { ...owned, parent };
};
const subscription = (name: string, endpoint: string, endpointAutoConfirms?: boolean) =>
  rec(T.subscription, name, {
    protocol: "https",
    endpoint,
    ...(endpointAutoConfirms === undefined ? {} : { endpointAutoConfirms }),
  });
const viaPolicy = (value: string) => rec(T.rolePolicy, "exec", { policy: decryptVia(value) });
const inlineGroup = (egress: Array<Record<string, unknown>>) =>
  rec("aws:ec2/securityGroup:SecurityGroup", "legacy", { egress });
const scheduleOf = (dbUrn: string, action: string, scheduleExpression: string) =>
  inPreview(
    rec(
      "aws:scheduler/schedule:Schedule",
      `office-hours-${action}`,
      { target: { arn: `arn:aws:scheduler:::aws-sdk:rds:${action}`, input: "{}" }, scheduleExpression },
      { inputsFrom: { target: [dbUrn] } },
    ),
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
      "GenerateDataKey allowed directly": (() => {
        const key = dataKey({
          Statement: [{ Effect: "Allow", Principal: ROOT, Action: ["kms:GenerateDataKey"], Resource: "*" }],
        });
        return [key, keyedDb(key)];
      })(),
      // IAM matches actions case-insensitively, with * and ? anywhere; NotAction grants everything it does not name.
      ...Object.fromEntries(
        (
          [
            ["every action of every service", { Action: "*" }],
            ["a partial wildcard covering Decrypt", { Action: "kms:Decrypt*" }],
            ["a wildcard inside the action", { Action: "kms:*crypt*" }],
            ["a lower-case action", { Action: "kms:decrypt" }],
            ["every action but administration", { NotAction: ["kms:Describe*", "kms:Put*"] }],
          ] as const
        ).map(([what, actions]) => {
          const key = dataKey({ Statement: [{ Effect: "Allow", Principal: ROOT, ...actions, Resource: "*" }] });
          return [what, [key, keyedDb(key)]];
        }),
      ),
      // A value that mentions kms:ViaService is not the condition.
      "kms:ViaService only in a condition's value": (() => {
        const key = dataKey({
          Statement: [
            {
              Effect: "Allow",
              Principal: ROOT,
              Action: "kms:Decrypt",
              Resource: "*",
              Condition: { StringEquals: { "aws:PrincipalTag/note": "kms:ViaService" } },
            },
          ],
        });
        return [key, keyedDb(key)];
      })(),
      "one usage action among administrative ones": (() => {
        const key = dataKey({
          Statement: [{ Effect: "Allow", Principal: ROOT, Action: ["kms:Describe*", "kms:Decrypt"], Resource: "*" }],
        });
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
      "use through services, the condition key in upper case": (() => {
        const key = dataKey({
          Statement: [
            {
              Effect: "Allow",
              Principal: ROOT,
              Action: "kms:Decrypt",
              Resource: "*",
              Condition: { StringEquals: { "KMS:VIASERVICE": "rds.eu-west-1.amazonaws.com" } },
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
      "a Deny without a condition": (() => {
        const key = dataKey({
          Statement: [
            {
              Effect: "Deny",
              Principal: { AWS: "arn:aws:iam::123456789012:role/ci" },
              Action: "kms:Decrypt",
              Resource: "*",
            },
          ],
        });
        return [key, keyedDb(key)];
      })(),
      "a database and a vault keyed through an alias, not a key": (() => {
        const alias = rec("aws:kms/alias:Alias", "database-key", {});
        return [
          alias,
          keyedDb(alias),
          rec("aws:backup/vault:Vault", "copy", {}, { inputsFrom: { kmsKeyArn: [alias.urn] } }),
        ];
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
      "an inline rule open to the internet over IPv6": [inlineGroup([{ protocol: "-1", ipv6CidrBlocks: ["::/0"] }])],
      "an inline rule with every TCP port": [
        inlineGroup([{ protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }]),
      ],
      "an ordinary instance's group (source/dest check on)": [
        natGroup,
        rec("aws:ec2/instance:Instance", "bastion", {}, { inputsFrom: { vpcSecurityGroupIds: [natGroup.urn] } }),
        egress("bastion-out", { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }, natGroup),
      ],
      "a rule on a group outside the stack": [
        rec("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "shared-out", {
          securityGroupId: "sg-0123",
          ipProtocol: "-1",
          cidrIpv4: "0.0.0.0/0",
        }),
      ],
    },
    pass: {
      "HTTPS out and the database by group": [
        group,
        egress("https", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }),
        egress("db", { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: "sg-db" }),
      ],
      "every protocol, but only inside the VPC": [
        group,
        egress("vpc", { ipProtocol: "-1", cidrIpv4: "10.0.0.0/16" }),
        inlineGroup([{ protocol: "-1", cidrBlocks: ["10.0.0.0/16"] }]),
      ],
      "port ranges short of all ports": [
        group,
        egress("low", { ipProtocol: "tcp", fromPort: 0, toPort: 1023, cidrIpv4: "0.0.0.0/0" }),
        egress("high", { ipProtocol: "tcp", fromPort: 1024, toPort: 65535, cidrIpv4: "0.0.0.0/0" }),
      ],
      "inline HTTPS out and inline port ranges short of all ports": [
        inlineGroup([
          { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
          { protocol: "tcp", fromPort: 0, toPort: 1023, cidrBlocks: ["0.0.0.0/0"] },
          { protocol: "tcp", fromPort: 1024, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] },
        ]),
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
      "the managed ruleset after a rule of another kind": [
        zoneOn("pro"),
        rateLimits(limitRule(HOST, 60, 60)),
        {
          ...rec("cloudflare:index/ruleset:Ruleset", "dns-waf", {
            phase: "http_request_firewall_managed",
            rules: [
              { action: "skip", expression: PATH, actionParameters: { ruleset: "current" } },
              { action: "execute", actionParameters: { id: "efb7b8c949ac4650a09736fc376e9aee" }, enabled: true },
            ],
          }),
          parent: urnOf("saas-platform:components:DnsZone", "dns"),
        },
      ],
      "a Free zone (Cloudflare deploys its Free Managed Ruleset)": [
        zoneOn("free"),
        rateLimits(limitRule(PATH, 10, 10)),
      ],
      "a stack that only adds records": [zoneOn("pro")],
      "another zone's rulesets and rulesets outside any zone": [
        zoneOn("pro"),
        otherZone("acme-app.dev", "free"),
        ownedBy(rateLimits(limitRule(PATH, 10, 10)), urnOf("saas-platform:components:DnsZone", "dns-acme-app.dev")),
        ownedBy(wafRuleset({ action: "log" }, "http_request_firewall_custom"), undefined),
      ],
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
      "an empty stack": [],
      // 45 customer managed keys at $1 a month: $1.50 a day, the cap itself
      "exactly the cap": Array.from({ length: 45 }, (_, i) => inPreview(rec(T.key, `key-${i}`, {}))),
      // db.m7g.large asleep outside 9:00-17:00 on weekdays: 0.185 × 730 × 40/168 / 30 + 20 × 0.127 / 30 = $1.16 a day
      "a production-size database asleep out of office hours": (() => {
        const database = previewDb("db.m7g.large");
        return [
          database,
          scheduleOf(database.urn, "startDBInstance", "cron(0 9 ? * MON-FRI *)"),
          scheduleOf(database.urn, "stopDBInstance", "cron(0 17 ? * MON-FRI *)"),
        ];
      })(),
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
      "a Free zone's custom firewall rules (not rate limits)": [
        zoneOn("free"),
        rateLimits(limitRule(PATH, 10, 10)),
        {
          ...rec("cloudflare:index/ruleset:Ruleset", "dns-custom", {
            phase: "http_request_firewall_custom",
            rules: [
              { action: "block", expression: HOST },
              { action: "block", expression: PATH },
            ],
          }),
          parent: urnOf("saas-platform:components:DnsZone", "dns"),
        },
      ],
      "another zone's rate limits and rate limits outside any zone": [
        zoneOn("free"),
        rateLimits(limitRule(PATH, 10, 10)),
        otherZone("acme-app.dev"),
        ownedBy(
          rec("cloudflare:index/ruleset:Ruleset", "dev-rate-limits", {
            phase: "http_ratelimit",
            rules: [limitRule(HOST, 60, 60), limitRule(HOST, 60, 60)],
          }),
          urnOf("saas-platform:components:DnsZone", "dns-acme-app.dev"),
        ),
        rec("cloudflare:index/ruleset:Ruleset", "account-rate-limits", {
          phase: "http_ratelimit",
          rules: [limitRule(HOST, 60, 60), limitRule(HOST, 60, 60)],
        }),
      ],
      "an expression unknown at preview": [
        zoneOn("free"),
        rateLimits({ description: "limit", ratelimit: { period: 10, mitigationTimeout: 10 } }),
      ],
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
      "two zones, a name one label below the second": [
        otherZone("acme-app.dev"),
        zone,
        dnsRecord("api.acme-app.com", true),
      ],
      "a deep proxied name outside the stack's zones, and a lookalike of the apex": [
        zone,
        dnsRecord("api.staging.partner.example", true),
        dnsRecord("api.staging.notacme-app.com", true),
      ],
      "a proxied name unknown at preview": [
        zone,
        rec("cloudflare:index/dnsRecord:DnsRecord", "dns-unknown", { proxied: true, type: "CNAME" }),
      ],
      "another component's domain is not a zone": [
        { ...rec("saas-platform:components:StaticSite", "docs", { apexDomain: "acme-docs.com" }), custom: false },
        zone,
        dnsRecord("api.eu.acme-docs.com", true),
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
      "an http endpoint without endpointAutoConfirms": [
        rec(T.subscription, "relay", { protocol: "http", endpoint: "http://relay.example.com/sns" }),
      ],
      "a Discord webhook": [subscription("discord", "https://discord.com/api/webhooks/1/x", true)],
      "a Teams webhook on outlook.office.com": [subscription("teams", "https://outlook.office.com/webhook/x", true)],
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
      "relays whose host only contains a chat host": [
        subscription("slack-relay", "https://hooks.slack.com.relay.example.com/sns", true),
        subscription("discord-relay", "https://discord.com.relay.example.com/sns", true),
        subscription("teams-relay", "https://acme.webhook.office.com.relay.example.com/sns", true),
        subscription("outlook-relay", "https://outlook.office.com.relay.example.com/sns", true),
        subscription("chat-relay", "https://chat.googleapis.com.relay.example.com/sns", true),
        subscription("mychat-relay", "https://mychat.googleapis.com/sns", true),
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
      "a managed policy without the region": [
        provider,
        rec("aws:iam/policy:Policy", "exec", { policy: decryptVia("secretsmanager.amazonaws.com") }),
      ],
      "a user policy without the region": [
        provider,
        rec("aws:iam/userPolicy:UserPolicy", "ci", { policy: decryptVia("secretsmanager.amazonaws.com") }),
      ],
      "a group policy without the region": [
        provider,
        rec("aws:iam/groupPolicy:GroupPolicy", "ops", { policy: decryptVia("secretsmanager.amazonaws.com") }),
      ],
      "a role's inline policy without the region": [
        provider,
        rec("aws:iam/role:Role", "exec", {
          inlinePolicies: [{ name: "decrypt", policy: decryptVia("secretsmanager.amazonaws.com") }],
        }),
      ],
      "a URL instead of a host": [provider, viaPolicy("https://secretsmanager.eu-west-1.amazonaws.com")],
      "a host with a path": [provider, viaPolicy("secretsmanager.eu-west-1.amazonaws.com/")],
    },
    pass: {
      "the stack's region": [
        provider,
        rec(T.rolePolicy, "exec", { policy: decryptVia("secretsmanager.eu-west-1.amazonaws.com") }),
      ],
      "no region known (the provider takes it from the environment)": [
        rec(T.provider, "aws", {}),
        viaPolicy("secretsmanager.us-east-2.amazonaws.com"),
      ],
      "ISO partition regions": [
        rec(T.provider, "aws", { region: "us-iso-east-1" }),
        rec(T.provider, "aws-isob", { region: "us-isob-east-1" }),
        viaPolicy("kms.us-iso-east-1.amazonaws.com"),
        rec(T.rolePolicy, "exec-isob", { policy: decryptVia("kms.us-isob-east-1.amazonaws.com") }),
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
      "a subnet whose only route is a peering route": (() => {
        const peering = rec(
          T.route,
          "private-peering-1",
          { destinationCidrBlock: "10.1.0.0/16" },
          { inputsFrom: { routeTableId: [table.urn] } },
        );
        return [subnet, table, association, peering, service([association.urn, peering.urn])];
      })(),
      "a subnet with no route-table association": [subnet, service([])],
      "an association to a route table outside the stack": [
        subnet,
        rec(T.association, "private-1", { routeTableId: "rtb-0123" }, { inputsFrom: { subnetId: [subnet.urn] } }),
        service([]),
      ],
    },
    pass: {
      "waits for both": [subnet, table, association, route, service([association.urn, route.urn])],
      "a service with public IPs needs no default route here": [
        subnet,
        rec(
          T.service,
          "api",
          { networkConfiguration: { assignPublicIp: true } },
          { inputsFrom: { networkConfiguration: [subnet.urn] } },
        ),
      ],
    },
  },
  "https-listener-waits-for-certificate": {
    fail: {
      "an HTTPS listener on the unvalidated certificate": [
        certificate,
        validation,
        rec(T.listener, "https", { protocol: "HTTPS" }, { inputsFrom: { certificateArn: [certificate.urn] } }),
      ],
      // A Network Load Balancer's TLS listener takes an ACM certificate too.
      "a TLS listener on the unvalidated certificate": [
        certificate,
        validation,
        rec(T.listener, "tls", { protocol: "TLS" }, { inputsFrom: { certificateArn: [certificate.urn] } }),
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
      "the certificate's ARN with dependsOn its validation": [
        certificate,
        validation,
        rec(
          T.listener,
          "https",
          { protocol: "HTTPS" },
          { deps: [validation.urn], inputsFrom: { certificateArn: [certificate.urn] } },
        ),
      ],
      "two certificates, each used through its validation": (() => {
        const other = rec(T.certificate, "admin-cert", {});
        const otherValidation = rec(T.validation, "admin-cert", {}, { inputsFrom: { certificateArn: [other.urn] } });
        return [
          certificate,
          validation,
          other,
          otherValidation,
          rec(T.listener, "https", { protocol: "HTTPS" }, { inputsFrom: { certificateArn: [validation.urn] } }),
          rec(T.listenerCertificate, "admin", {}, { inputsFrom: { certificateArn: [otherValidation.urn] } }),
        ];
      })(),
      "a validation of a certificate outside the stack, and an ARN from another stack": (() => {
        const outside = rec(T.validation, "imported", { certificateArn: "arn:aws:acm:eu-west-1:1:certificate/c" });
        const reference = rec("pulumi:pulumi:StackReference", "shared", { name: "acme/shared/production" });
        return [
          outside,
          reference,
          rec(T.listener, "https", { protocol: "HTTPS" }, { inputsFrom: { certificateArn: [outside.urn] } }),
          rec(T.listenerCertificate, "shared", {}, { inputsFrom: { certificateArn: [reference.urn] } }),
        ];
      })(),
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
        "only an association of another name, waited for": (() => {
          const other = rec("cloudflare:index/authenticatedOriginPulls:AuthenticatedOriginPulls", "origin-admin", {
            configs: [{ hostname: "admin.acme-app.com", certId: "c", enabled: true }],
          });
          return [origin.lb, origin.record(), other, origin.listener(VERIFY, [other.urn])];
        })(),
        "only a zone-wide association (no hostname)": (() => {
          const zoneWide = rec("cloudflare:index/authenticatedOriginPulls:AuthenticatedOriginPulls", "origin-zone", {
            enabled: true,
          });
          return [origin.lb, origin.record(), zoneWide, origin.listener(VERIFY, [zoneWide.urn])];
        })(),
      },
      pass: {
        "the listener waits for the association": [
          origin.lb,
          origin.record(),
          origin.association,
          origin.listener(VERIFY, [origin.association.urn]),
        ],
        "a listener that asks for no certificate": [origin.lb, origin.record(), origin.listener(undefined)],
        "an unproxied name and a proxied name elsewhere": [
          origin.lb,
          origin.record(false),
          rec("cloudflare:index/dnsRecord:DnsRecord", "dns-www", {
            name: "www.acme-app.com",
            type: "CNAME",
            content: "acme.example-host.com",
            proxied: true,
          }),
          origin.listener(VERIFY),
        ],
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
      "a wildcard that covers other actions only": [
        schedulerRole,
        schedulerPolicy(["rds:Start*"]),
        schedule("rds:stopDBInstance"),
      ],
      "an input that is not JSON": [
        schedulerRole,
        schedulerPolicy(["rds:StopDBInstance"]),
        schedule("rds:stopDBInstance", "DbInstanceIdentifier=db-1"),
      ],
      "only another role's policy allows the action": (() => {
        const other = rec("aws:iam/role:Role", "maintenance", {});
        const otherPolicy = {
          ...schedulerPolicy(["rds:StopDBInstance"]),
          urn: urnOf(T.rolePolicy, "maintenance"),
          name: "maintenance",
          dependencies: [other.urn],
          propertyDependencies: { role: [other.urn] },
        };
        return [schedulerRole, other, otherPolicy, schedule("rds:stopDBInstance")];
      })(),
      "a statement that denies the action": [
        schedulerRole,
        rec(
          T.rolePolicy,
          "office-hours-scheduler",
          {
            policy: JSON.stringify({
              Version: "2012-10-17",
              Statement: [{ Effect: "Deny", Action: ["rds:StopDBInstance"], Resource: "*" }],
            }),
          },
          { inputsFrom: { role: [schedulerRole.urn] } },
        ),
        schedule("rds:stopDBInstance"),
      ],
      "a schedule whose role is outside the stack": [
        rec("aws:scheduler/schedule:Schedule", "office-hours-stop", {
          target: {
            arn: "arn:aws:scheduler:::aws-sdk:rds:stopDBInstance",
            input: "{}",
            roleArn: "arn:aws:iam::1:role/r",
          },
        }),
      ],
    },
    pass: {
      "the role allows the action, in the SDK's PascalCase": [
        schedulerRole,
        schedulerPolicy(["rds:StopDBInstance", "ec2:StopInstances"]),
        schedule("rds:stopDBInstance"),
        schedule("ec2:stopInstances", '{"InstanceIds":["i-1"]}'),
      ],
      "a role allowed every action": [schedulerRole, schedulerPolicy(["*"]), schedule("rds:stopDBInstance")],
      // IAM matches actions case-insensitively, with wildcards.
      "a role allowed every RDS action": [schedulerRole, schedulerPolicy(["rds:*"]), schedule("rds:stopDBInstance")],
      "a role allowed rds:Stop*": [schedulerRole, schedulerPolicy(["rds:Stop*"]), schedule("rds:stopDBInstance")],
      "the action in lower case": [
        schedulerRole,
        schedulerPolicy(["rds:stopdbinstance"]),
        schedule("rds:stopDBInstance"),
      ],
      "a schedule without input (Scheduler sends {})": [
        schedulerRole,
        schedulerPolicy(["rds:StopDBInstance"]),
        rec(
          "aws:scheduler/schedule:Schedule",
          "office-hours-stop",
          { target: { arn: "arn:aws:scheduler:::aws-sdk:rds:stopDBInstance" } },
          { inputsFrom: { target: [schedulerRole.urn] } },
        ),
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
      "stopping only the replication of automated backups": [
        schedule("rds:stopDBInstanceAutomatedBackupsReplication", '{"SourceDBInstanceArn":"arn"}'),
      ],
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
      "only an IPv4 default route": [
        publicSubnet(true),
        v6Table,
        publicAssociation,
        rec(
          T.route,
          "public-default",
          { destinationCidrBlock: "0.0.0.0/0" },
          { inputsFrom: { routeTableId: [v6Table.urn] } },
        ),
        alb("dualstack"),
      ],
      "a subnet with no route-table association": [publicSubnet(true), alb("dualstack")],
      "an association to a route table outside the stack": [
        publicSubnet(true),
        rec(
          T.association,
          "public-1",
          { routeTableId: "rtb-0123" },
          { inputsFrom: { subnetId: [urnOf(T.subnet, "public-1")] } },
        ),
        alb("dualstack"),
      ],
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
      "subnets from another stack": (() => {
        const reference = rec("pulumi:pulumi:StackReference", "network", { name: "acme/network/production" });
        return [
          reference,
          rec(
            "aws:lb/loadBalancer:LoadBalancer",
            "api-alb",
            { ipAddressType: "dualstack" },
            { inputsFrom: { subnets: [reference.urn] } },
          ),
        ];
      })(),
    },
  },
};
