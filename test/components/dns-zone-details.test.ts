// The details of DnsZone, OriginAuthentication, the plan table and the origin lockdown that the stack tests and
// dns-zone.test.ts / origin-authentication.test.ts leave open: every input of every child (defaults, explicit
// `undefined`, every arg set), the wiring, the transforms, the registered outputs, the lookups, and the exact text of
// every check at its boundaries. Each program is built once and only read.
import * as vm from "node:vm";
import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import {
  CAA_ISSUERS,
  DnsZone,
  validateDnsZoneArgs,
  VERCEL_APEX_IP,
  VERCEL_CNAME,
  ZONE_SETTINGS,
  type DnsZoneArgs,
} from "../../components/dns-zone/dns-zone";
import {
  CA_BUNDLE_KEY,
  ORIGIN_PULL_LIMITS,
  ORIGIN_PULL_VALIDITY,
  OriginAuthentication,
  validateOriginAuthenticationArgs,
  waitForOriginPull,
  type OriginAuthenticationArgs,
  type OriginPullStatus,
} from "../../components/dns-zone/origin-authentication";
import { cloudflareOriginPrefixLists } from "../../components/dns-zone/origin-lockdown";
import {
  CLOUDFLARE_MANAGED_RULESET_ID,
  CLOUDFLARE_PLANS,
  DEFAULT_AUTH_PATHS,
  DEFAULT_RATE_LIMITS,
  managedWafAvailable,
  RATE_LIMIT_PERIODS,
  RATE_LIMIT_PLANS,
  rateLimitProblems,
  resolveRateLimits,
  type CloudflarePlan,
  type RateLimits,
} from "../../components/dns-zone/plans";
import { physicalName } from "../../components/naming";
import { recordProgram, type SynthResult } from "../../synth/synth";
import type { RecordedResource } from "../../synth/recorder";
import { resource } from "../helpers/synth";
import { recordCalls, type Recorded } from "../helpers/spies";
import { problemsOf } from "../helpers/checks";

const T = {
  zoneComponent: "saas-platform:components:DnsZone",
  originComponent: "saas-platform:components:OriginAuthentication",
  zone: "cloudflare:index/zone:Zone",
  setting: "cloudflare:index/zoneSetting:ZoneSetting",
  dnssec: "cloudflare:index/zoneDnssec:ZoneDnssec",
  record: "cloudflare:index/dnsRecord:DnsRecord",
  ruleset: "cloudflare:index/ruleset:Ruleset",
  certificate: "aws:acm/certificate:Certificate",
  validation: "aws:acm/certificateValidation:CertificateValidation",
  key: "tls:index/privateKey:PrivateKey",
  ca: "tls:index/selfSignedCert:SelfSignedCert",
  request: "tls:index/certRequest:CertRequest",
  client: "tls:index/locallySignedCert:LocallySignedCert",
  upload: "cloudflare:index/authenticatedOriginPullsHostnameCertificate:AuthenticatedOriginPullsHostnameCertificate",
  association: "cloudflare:index/authenticatedOriginPulls:AuthenticatedOriginPulls",
  bucket: "aws:s3/bucket:Bucket",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  object: "aws:s3/bucketObjectv2:BucketObjectv2",
  trustStore: "aws:lb/trustStore:TrustStore",
  prefixList: "aws:ec2/managedPrefixList:ManagedPrefixList",
} as const;

const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
const SCOPE = { project: "saas-platform", stack: "test" };
const ZONE_ID = "fedcba9876543210fedcba9876543210";
const ACCOUNT_ID = "0123456789abcdef0123456789abcdef";
const APEX = "acme-app.com";
const LB = "api-alb-1234567890.eu-west-1.elb.amazonaws.com";
const ORIGIN_PULL_LOOKUP = "cloudflare:index/getAuthenticatedOriginPulls:getAuthenticatedOriginPulls";

/** Runs a program under the recording mocks, noting what each component registered as its outputs. */
async function build(
  program: () => Promise<Record<string, unknown>>,
): Promise<{ result: SynthResult; registered: Recorded }> {
  const { result, recorded } = await recordCalls(() => recordProgram(STACK, program));
  return { result, registered: recorded };
}

/**
 * An error thrown inside an `apply` reaches nobody: its only trace is the unhandled rejections of the outputs built
 * on it. Jest gives the test a copy of `process`, so the listeners are swapped on the real one, for this run only.
 */
const nodeProcess = vm.runInThisContext("process") as NodeJS.Process;
async function collectRejections<T>(
  run: () => Promise<T>,
  expected: number,
): Promise<{ value: T; rejections: Set<string> }> {
  const saved = nodeProcess.listeners("unhandledRejection");
  const rejections = new Set<string>();
  const collect = (reason: unknown) => void rejections.add(reason instanceof Error ? reason.message : String(reason));
  nodeProcess.removeAllListeners("unhandledRejection");
  nodeProcess.on("unhandledRejection", collect);
  try {
    const value = await run();
    // Nothing waits for an output nobody reads: give the program's own loops time to end, before the mocks go.
    for (let i = 0; i < 200 && rejections.size < expected; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { value, rejections };
  } finally {
    nodeProcess.off("unhandledRejection", collect);
    for (const listener of saved) nodeProcess.on("unhandledRejection", listener);
  }
}

/** `type name` of every child of the component `name` of `type`, sorted. */
function childrenOf(result: SynthResult, type: string, name: string): RecordedResource[] {
  const component = resource(result, type, name);
  return result.resources.filter((x) => x.parent === component.urn);
}
const describeChildren = (children: readonly RecordedResource[]) => children.map((x) => `${x.type} ${x.name}`).sort();
const state = (r: RecordedResource, key: string) => r.state![key];

/** The names of the children a zone owner declares, by role (name is the component's). */
const SETTING_NAMES = [
  "ssl",
  "always-use-https",
  "min-tls-version",
  "tls-1-3",
  "automatic-https-rewrites",
  "http3",
  "brotli",
];
const CAA_NAMES = [
  "letsencrypt-org",
  "pki-goog",
  "ssl-com",
  "amazon-com",
  "amazontrust-com",
  "awstrust-com",
  "amazonaws-com",
].flatMap((issuer) => [`caa-issue-${issuer}`, `caa-issuewild-${issuer}`]);
const ownerChildren = (name: string, extra: string[]) =>
  [
    ...SETTING_NAMES.map((s) => `${T.setting} ${name}-${s}`),
    `${T.dnssec} ${name}-dnssec`,
    ...CAA_NAMES.map((c) => `${T.record} ${name}-${c}`),
    `${T.ruleset} ${name}-rate-limits`,
    `${T.ruleset} ${name}-security-headers`,
    ...extra,
  ].sort();

const AUTH_PATHS_EXPRESSION =
  'starts_with(http.request.uri.path, "/auth") or starts_with(http.request.uri.path, "/login") or starts_with(http.request.uri.path, "/signup") or starts_with(http.request.uri.path, "/password")';
const API_HOST_EXPRESSION = 'starts_with(http.host, "api.") or starts_with(http.host, "api-")';

const rateRule = (
  description: string,
  expression: string,
  period: number,
  requests: number,
  mitigationTimeout: number,
) => ({
  description,
  expression,
  action: "block",
  ratelimit: { characteristics: ["cf.colo.id", "ip.src"], period, requestsPerPeriod: requests, mitigationTimeout },
  enabled: true,
});
const rateLimitRuleset = (zoneId: string, rules: unknown[]) => ({
  zoneId,
  name: "API rate limits",
  description: "Per-client limits on the API, stricter on authentication",
  kind: "zone",
  phase: "http_ratelimit",
  rules,
});
const headersRuleset = (zoneId: string, hsts: string) => ({
  zoneId,
  name: "Security headers",
  description: "HSTS, no sniffing, no framing, referrer and permissions policies on every response",
  kind: "zone",
  phase: "http_response_headers_transform",
  rules: [
    {
      description: "Security headers",
      expression: "true",
      action: "rewrite",
      actionParameters: {
        headers: {
          "Strict-Transport-Security": { operation: "set", value: hsts },
          "X-Content-Type-Options": { operation: "set", value: "nosniff" },
          "X-Frame-Options": { operation: "set", value: "DENY" },
          "Referrer-Policy": { operation: "set", value: "strict-origin-when-cross-origin" },
          "Permissions-Policy": { operation: "set", value: "camera=(), microphone=(), geolocation=(), payment=()" },
        },
      },
      enabled: true,
    },
  ],
});
const wafRuleset = (zoneId: string) => ({
  zoneId,
  name: "Managed WAF",
  description: "Cloudflare Managed Ruleset on every proxied request",
  kind: "zone",
  phase: "http_request_firewall_managed",
  rules: [
    {
      description: "Cloudflare Managed Ruleset",
      expression: "true",
      action: "execute",
      actionParameters: { id: "efb7b8c949ac4650a09736fc376e9aee" },
      enabled: true,
    },
  ],
});

/** The ACM validation record the mock certificate asks for `host`, as the component must write it. */
function acmRecord(result: SynthResult, certificateName: string, zoneId: string, host: string) {
  const options = state(resource(result, T.certificate, certificateName), "domainValidationOptions") as Array<
    Record<string, string>
  >;
  const option = options.find((o) => o["domainName"] === host)!;
  expect(option["resourceRecordName"]).toMatch(/\.$/);
  return {
    zoneId,
    name: option["resourceRecordName"]!.slice(0, -1),
    type: "CNAME",
    content: option["resourceRecordValue"]!.slice(0, -1),
    proxied: false,
    ttl: 60,
    comment: `ACM validation for ${host}`,
  };
}

const adopted = (changes: Partial<DnsZoneArgs> = {}): DnsZoneArgs => ({
  zone: { existingZoneId: ZONE_ID },
  apexDomain: APEX,
  apiHostnames: ["api.acme-app.com"],
  ...changes,
});
const created = (changes: Partial<DnsZoneArgs> = {}): DnsZoneArgs => ({
  zone: { create: { name: APEX, accountId: ACCOUNT_ID } },
  apexDomain: APEX,
  apiHostnames: ["api.acme-app.com"],
  ...changes,
});
/** Every optional arg given as `undefined`. */
const UNDEFINED_ARGS = {
  manageZone: undefined,
  rateLimitedHostLabels: undefined,
  webHostnames: undefined,
  hstsPreload: undefined,
  plan: undefined,
  rateLimits: undefined,
  authenticatedOriginPulls: undefined,
  protect: undefined,
  ttl: undefined,
  transform: undefined,
} satisfies Partial<DnsZoneArgs>;

const zoneOutputs = (zone: DnsZone) => ({
  zoneId: zone.zoneId,
  certificateArn: zone.certificateArn,
  ...(zone.nameServers === undefined ? {} : { nameServers: zone.nameServers }),
  ...(zone.dsRecord === undefined ? {} : { dsRecord: zone.dsRecord }),
});

describe("DnsZone with every arg omitted, or given as undefined", () => {
  let result: SynthResult;
  let registered: Recorded;
  const zones: Record<string, DnsZone> = {};
  beforeAll(async () => {
    ({ result, registered } = await build(async () => {
      zones["adopted"] = new DnsZone("adopted", adopted());
      zones["adopted-undef"] = new DnsZone("adopted-undef", adopted(UNDEFINED_ARGS));
      zones["owner"] = new DnsZone("owner", created({ webHostnames: [APEX, "www.acme-app.com"] }));
      zones["owner-undef"] = new DnsZone(
        "owner-undef",
        created({ ...UNDEFINED_ARGS, webHostnames: [APEX, "www.acme-app.com"] }),
      );
      zones["adopted"].pointApiAt(["api.acme-app.com"], LB);
      zones["adopted-undef"].pointApiAt(["api.acme-app.com", "ai.acme-app.com"], pulumi.output(LB), false);
      return Object.fromEntries(Object.entries(zones).map(([name, zone]) => [name, zoneOutputs(zone)]));
    }));
  });
  const out = (name: string) => result.outputs[name] as Record<string, unknown>;

  test.each(["adopted", "adopted-undef", "owner", "owner-undef"])(
    "%s: records the apex, the Free plan and origin pulls on, for the policy pack",
    (name) => {
      expect(resource(result, T.zoneComponent, name).inputs).toEqual({
        apexDomain: APEX,
        plan: "free",
        authenticatedOriginPulls: true,
      });
    },
  );

  test.each(["adopted", "adopted-undef"])(
    "%s: an adopted zone is left alone: only the API certificate and its validation",
    (name) => {
      const children = childrenOf(result, T.zoneComponent, name);
      const apiRecords =
        name === "adopted"
          ? [`${T.record} adopted-api-api.acme-app.com`]
          : [`${T.record} adopted-undef-api-api.acme-app.com`, `${T.record} adopted-undef-api-ai.acme-app.com`];
      expect(describeChildren(children)).toEqual(
        [
          `${T.certificate} ${name}-api-certificate`,
          `${T.record} ${name}-acm-api.acme-app.com`,
          `${T.validation} ${name}-api-certificate`,
          ...apiRecords,
        ].sort(),
      );
      for (const child of children) expect(child.options).toEqual({});
      expect(zones[name]!.nameServers).toBeUndefined();
      expect(zones[name]!.dsRecord).toBeUndefined();
      expect(out(name)).toEqual({
        zoneId: ZONE_ID,
        certificateArn: state(resource(result, T.certificate, `${name}-api-certificate`), "arn"),
      });
    },
  );

  test.each(["adopted", "adopted-undef", "owner", "owner-undef"])(
    "%s: the API certificate: RSA 2048, DNS-validated, logged, through an unproxied record of TTL 60",
    (name) => {
      const zoneId = name.startsWith("owner") ? resource(result, T.zone, `${name}-zone`).id! : ZONE_ID;
      const certificate = resource(result, T.certificate, `${name}-api-certificate`);
      expect(certificate.inputs).toEqual({
        domainName: "api.acme-app.com",
        subjectAlternativeNames: [],
        validationMethod: "DNS",
        keyAlgorithm: "RSA_2048",
        options: { certificateTransparencyLoggingPreference: "ENABLED" },
      });
      const record = resource(result, T.record, `${name}-acm-api.acme-app.com`);
      expect(record.inputs).toEqual(acmRecord(result, `${name}-api-certificate`, zoneId, "api.acme-app.com"));
      const validation = resource(result, T.validation, `${name}-api-certificate`);
      expect(validation.inputs).toEqual({
        certificateArn: state(certificate, "arn"),
        validationRecordFqdns: [record.inputs["name"]],
      });
      expect(validation.propertyDependencies["validationRecordFqdns"]).toEqual([record.urn]);
      expect(validation.propertyDependencies["certificateArn"]).toEqual([certificate.urn]);
    },
  );

  test("pointApiAt: proxied by default, with the automatic TTL; unproxied, with the zone's default TTL 300", () => {
    const record = (name: string) => resource(result, T.record, name).inputs;
    expect(record("adopted-api-api.acme-app.com")).toEqual({
      zoneId: ZONE_ID,
      name: "api.acme-app.com",
      type: "CNAME",
      content: LB,
      proxied: true,
      ttl: 1,
      comment: "API load balancer",
    });
    for (const host of ["api.acme-app.com", "ai.acme-app.com"]) {
      expect(record(`adopted-undef-api-${host}`)).toEqual({
        zoneId: ZONE_ID,
        name: host,
        type: "CNAME",
        content: LB,
        proxied: false,
        ttl: 300,
        comment: "API load balancer",
      });
    }
  });

  test.each(["owner", "owner-undef"])("%s: a created zone is full, protected, and managed by default", (name) => {
    const zone = resource(result, T.zone, `${name}-zone`);
    expect(zone.inputs).toEqual({ name: APEX, account: { id: ACCOUNT_ID }, type: "full" });
    expect(zone.options).toEqual({ protect: true });
    const children = childrenOf(result, T.zoneComponent, name);
    expect(describeChildren(children)).toEqual(
      ownerChildren(name, [
        `${T.zone} ${name}-zone`,
        `${T.record} ${name}-web-acme-app.com`,
        `${T.record} ${name}-web-www.acme-app.com`,
        `${T.certificate} ${name}-api-certificate`,
        `${T.record} ${name}-acm-api.acme-app.com`,
        `${T.validation} ${name}-api-certificate`,
      ]),
    );
    // Only the zone is protected by default, and DNSSEC ignores its status.
    for (const child of children) {
      if (child.type === T.zone) continue;
      expect(child.options).toEqual(child.type === T.dnssec ? { ignoreChanges: ["status"] } : {});
    }
  });

  test.each(["owner", "owner-undef"])("%s: each setting of the zone, on the created zone", (name) => {
    const zoneId = resource(result, T.zone, `${name}-zone`).id;
    expect(
      Object.fromEntries(
        childrenOf(result, T.zoneComponent, name)
          .filter((s) => s.type === T.setting)
          .map((s) => [s.name, s.inputs]),
      ),
    ).toEqual({
      [`${name}-ssl`]: { zoneId, settingId: "ssl", value: "strict" },
      [`${name}-always-use-https`]: { zoneId, settingId: "always_use_https", value: "on" },
      [`${name}-min-tls-version`]: { zoneId, settingId: "min_tls_version", value: "1.2" },
      [`${name}-tls-1-3`]: { zoneId, settingId: "tls_1_3", value: "on" },
      [`${name}-automatic-https-rewrites`]: { zoneId, settingId: "automatic_https_rewrites", value: "on" },
      [`${name}-http3`]: { zoneId, settingId: "http3", value: "on" },
      [`${name}-brotli`]: { zoneId, settingId: "brotli", value: "on" },
    });
  });

  test.each(["owner", "owner-undef"])("%s: DNSSEC on, unprotected by default; its DS record is an output", (name) => {
    const zone = resource(result, T.zone, `${name}-zone`);
    const dnssec = resource(result, T.dnssec, `${name}-dnssec`);
    expect(dnssec.inputs).toEqual({ zoneId: zone.id, status: "active" });
    expect(out(name)).toEqual({
      zoneId: zone.id,
      nameServers: ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
      dsRecord: state(dnssec, "ds"),
      certificateArn: state(resource(result, T.certificate, `${name}-api-certificate`), "arn"),
    });
    expect(String(state(dnssec, "ds"))).toMatch(/ IN DS /);
  });

  test.each(["owner", "owner-undef"])("%s: CAA issue and issuewild for each CA, on the apex, TTL 300", (name) => {
    const zoneId = resource(result, T.zone, `${name}-zone`).id;
    const caa = childrenOf(result, T.zoneComponent, name).filter((r) => r.inputs["type"] === "CAA");
    const issuers = [
      "letsencrypt.org",
      "pki.goog",
      "ssl.com",
      "amazon.com",
      "amazontrust.com",
      "awstrust.com",
      "amazonaws.com",
    ];
    expect(Object.fromEntries(caa.map((r) => [r.name, r.inputs]))).toEqual(
      Object.fromEntries(
        issuers.flatMap((issuer) =>
          (["issue", "issuewild"] as const).map((tag) => [
            `${name}-caa-${tag}-${issuer.replace(/\./g, "-")}`,
            { zoneId, name: APEX, type: "CAA", ttl: 300, data: { flags: 0, tag, value: issuer } },
          ]),
        ),
      ),
    );
  });

  test.each(["owner", "owner-undef"])(
    "%s: the apex gets Vercel's A record, a subdomain its CNAME, unproxied",
    (name) => {
      const zoneId = resource(result, T.zone, `${name}-zone`).id;
      expect(resource(result, T.record, `${name}-web-acme-app.com`).inputs).toEqual({
        zoneId,
        name: APEX,
        type: "A",
        content: "76.76.21.21",
        proxied: false,
        ttl: 300,
        comment: "Vercel (frontend)",
      });
      expect(resource(result, T.record, `${name}-web-www.acme-app.com`).inputs).toEqual({
        zoneId,
        name: "www.acme-app.com",
        type: "CNAME",
        content: "cname.vercel-dns.com",
        proxied: false,
        ttl: 300,
        comment: "Vercel (frontend)",
      });
    },
  );

  test.each(["owner", "owner-undef"])(
    "%s: Free plan: one rule of 5 per 10 s on the auth paths of any host, blocked 10 s; HSTS without preload; no WAF",
    (name) => {
      const zoneId = resource(result, T.zone, `${name}-zone`).id!;
      expect(resource(result, T.ruleset, `${name}-rate-limits`).inputs).toEqual(
        rateLimitRuleset(zoneId, [
          rateRule("Authentication: 5 requests per 10 s per client", `(${AUTH_PATHS_EXPRESSION})`, 10, 5, 10),
        ]),
      );
      expect(resource(result, T.ruleset, `${name}-security-headers`).inputs).toEqual(
        headersRuleset(zoneId, "max-age=31536000; includeSubDomains"),
      );
    },
  );

  test("each component registers its zone id, certificate ARN and DS record as its outputs", () => {
    for (const zone of Object.values(zones)) {
      const outputs = registered.onlyRegistrationOf(zone);
      expect(Object.keys(outputs).sort()).toEqual(["certificateArn", "dsRecord", "zoneId"]);
      expect(outputs["zoneId"]).toBe(zone.zoneId);
      expect(outputs["certificateArn"]).toBe(zone.certificateArn);
      expect(outputs["dsRecord"]).toBe(zone.dsRecord);
    }
    expect(registered.onlyRegistrationOf(zones["owner"])["dsRecord"]).toBeDefined();
  });

  test("the exported constants are the values the children carry", () => {
    expect(ZONE_SETTINGS).toEqual({
      ssl: "strict",
      always_use_https: "on",
      min_tls_version: "1.2",
      tls_1_3: "on",
      automatic_https_rewrites: "on",
      http3: "on",
      brotli: "on",
    });
    expect(CAA_ISSUERS).toEqual([
      "letsencrypt.org",
      "pki.goog",
      "ssl.com",
      "amazon.com",
      "amazontrust.com",
      "awstrust.com",
      "amazonaws.com",
    ]);
    expect([VERCEL_APEX_IP, VERCEL_CNAME]).toEqual(["76.76.21.21", "cname.vercel-dns.com"]);
  });
});

describe("DnsZone with every arg set, and each plan", () => {
  let result: SynthResult;
  let registered: Recorded;
  const zones: Record<string, DnsZone> = {};
  let marker: RecordedResource;
  const labels =
    'starts_with(http.host, "api.") or starts_with(http.host, "api-") or starts_with(http.host, "ai.") or starts_with(http.host, "ai-")';
  beforeAll(async () => {
    ({ result, registered } = await build(async () => {
      zones["full"] = new DnsZone(
        "full",
        created({
          manageZone: true,
          apiHostnames: ["api.acme-app.com", "ai.acme-app.com"],
          rateLimitedHostLabels: ["api", "ai"],
          webHostnames: [APEX, "www.acme-app.com", "pr-1.staging.acme-app.com"],
          hstsPreload: true,
          plan: "pro",
          rateLimits: {
            api: { requests: 1000, periodSeconds: 10 },
            auth: { requests: 20, periodSeconds: 60, paths: ["/v1/auth", "/login"] },
          },
          authenticatedOriginPulls: false,
          protect: true,
          ttl: 3600,
        }),
      );
      // Something the names must wait for (as OriginAuthentication.ready in the stacks).
      const ready = new aws.s3.Bucket("ready-first", {});
      zones["full"].pointApiAt(["api.acme-app.com", "ai.acme-app.com"], pulumi.output(LB), false, ready.id);
      zones["full"].pointApiAt(["api-2.acme-app.com"], LB, true);
      zones["kept"] = new DnsZone("kept", created({ manageZone: false, ttl: 60 }));
      zones["pro"] = new DnsZone("pro", adopted({ manageZone: true, plan: "pro" }));
      zones["business"] = new DnsZone("business", adopted({ manageZone: true, plan: "business" }));
      zones["business-short"] = new DnsZone(
        "business-short",
        adopted({
          manageZone: true,
          plan: "business",
          rateLimits: { api: { requests: 50, periodSeconds: 120 }, auth: { requests: 5, periodSeconds: 300 } },
        }),
      );
      zones["enterprise"] = new DnsZone(
        "enterprise",
        adopted({ manageZone: true, plan: "enterprise", rateLimits: { auth: { requests: 3, periodSeconds: 3600 } } }),
      );
      zones["unmanaged"] = new DnsZone("unmanaged", adopted({ manageZone: false, plan: "pro", ttl: 86400 }));
      return Object.fromEntries(Object.entries(zones).map(([name, zone]) => [name, zoneOutputs(zone)]));
    }));
    marker = resource(result, T.bucket, "ready-first");
  });
  const zoneIdOf = (name: string) =>
    name === "full" || name === "kept" ? resource(result, T.zone, `${name}-zone`).id! : ZONE_ID;

  test("the component records the plan and the origin-pull opt-out", () => {
    expect(resource(result, T.zoneComponent, "full").inputs).toEqual({
      apexDomain: APEX,
      plan: "pro",
      authenticatedOriginPulls: false,
    });
    expect(resource(result, T.zoneComponent, "business").inputs["plan"]).toBe("business");
  });

  test("protect reaches DNSSEC only; every child is the component's", () => {
    const children = childrenOf(result, T.zoneComponent, "full");
    expect(describeChildren(children)).toEqual(
      ownerChildren("full", [
        `${T.zone} full-zone`,
        `${T.ruleset} full-waf`,
        ...[APEX, "www.acme-app.com", "pr-1.staging.acme-app.com"].map((h) => `${T.record} full-web-${h}`),
        `${T.certificate} full-api-certificate`,
        `${T.record} full-acm-api.acme-app.com`,
        `${T.record} full-acm-ai.acme-app.com`,
        `${T.validation} full-api-certificate`,
        `${T.record} full-api-api.acme-app.com`,
        `${T.record} full-api-ai.acme-app.com`,
        `${T.record} full-api-api-2.acme-app.com`,
      ]),
    );
    for (const child of children) {
      const expected =
        child.type === T.zone
          ? { protect: true }
          : child.type === T.dnssec
            ? { protect: true, ignoreChanges: ["status"] }
            : {};
      expect(child.options).toEqual(expected);
    }
  });

  test("the TTL given reaches CAA and web records; names below a subdomain are CNAMEs too", () => {
    const zoneId = zoneIdOf("full");
    const caa = childrenOf(result, T.zoneComponent, "full").filter((r) => r.inputs["type"] === "CAA");
    expect(caa).toHaveLength(14);
    for (const r of caa) expect(r.inputs["ttl"]).toBe(3600);
    expect(resource(result, T.record, "full-web-acme-app.com").inputs).toMatchObject({ type: "A", ttl: 3600 });
    expect(resource(result, T.record, "full-web-pr-1.staging.acme-app.com").inputs).toEqual({
      zoneId,
      name: "pr-1.staging.acme-app.com",
      type: "CNAME",
      content: VERCEL_CNAME,
      proxied: false,
      ttl: 3600,
      comment: "Vercel (frontend)",
    });
  });

  test("every API hostname is on the certificate and gets its own validation record, in order", () => {
    const certificate = resource(result, T.certificate, "full-api-certificate");
    expect(certificate.inputs).toMatchObject({
      domainName: "api.acme-app.com",
      subjectAlternativeNames: ["ai.acme-app.com"],
    });
    const records = ["api.acme-app.com", "ai.acme-app.com"].map((host) =>
      resource(result, T.record, `full-acm-${host}`),
    );
    records.forEach((r, i) => {
      const host = ["api.acme-app.com", "ai.acme-app.com"][i]!;
      expect(r.inputs).toEqual(acmRecord(result, "full-api-certificate", zoneIdOf("full"), host));
    });
    expect(records[0]!.inputs["name"]).not.toBe(records[1]!.inputs["name"]);
    expect(resource(result, T.validation, "full-api-certificate").inputs["validationRecordFqdns"]).toEqual(
      records.map((r) => r.inputs["name"]),
    );
  });

  test("pointApiAt: unproxied names take the TTL given and wait for what must be ready first", () => {
    for (const host of ["api.acme-app.com", "ai.acme-app.com"]) {
      const record = resource(result, T.record, `full-api-${host}`);
      expect(record.inputs).toEqual({
        zoneId: zoneIdOf("full"),
        name: host,
        type: "CNAME",
        content: LB,
        proxied: false,
        ttl: 3600,
        comment: "API load balancer",
      });
      expect(record.propertyDependencies["content"]).toEqual([marker.urn]);
    }
    expect(resource(result, T.record, "full-api-api-2.acme-app.com").inputs).toMatchObject({ proxied: true, ttl: 1 });
    expect(resource(result, T.record, "full-api-api-2.acme-app.com").propertyDependencies["content"]).toBeUndefined();
  });

  test("Pro, every limit given: both rules test the labels' hosts, and block for the period counted", () => {
    const zoneId = zoneIdOf("full");
    const paths = 'starts_with(http.request.uri.path, "/v1/auth") or starts_with(http.request.uri.path, "/login")';
    expect(resource(result, T.ruleset, "full-rate-limits").inputs).toEqual(
      rateLimitRuleset(zoneId, [
        rateRule("Authentication: 20 requests per 60 s per client", `((${labels}) and (${paths}))`, 60, 20, 60),
        rateRule("API: 1000 requests per 10 s per client", `(${labels})`, 10, 1000, 10),
      ]),
    );
    expect(resource(result, T.ruleset, "full-security-headers").inputs).toEqual(
      headersRuleset(zoneId, "max-age=31536000; includeSubDomains; preload"),
    );
    expect(resource(result, T.ruleset, "full-waf").inputs).toEqual(wafRuleset(zoneId));
  });

  test("Pro defaults: 10 per 60 s on the auth paths of the API hosts, 600 per 60 s on the API", () => {
    expect(resource(result, T.ruleset, "pro-rate-limits").inputs).toEqual(
      rateLimitRuleset(ZONE_ID, [
        rateRule(
          "Authentication: 10 requests per 60 s per client",
          `((${API_HOST_EXPRESSION}) and (${AUTH_PATHS_EXPRESSION}))`,
          60,
          10,
          60,
        ),
        rateRule("API: 600 requests per 60 s per client", `(${API_HOST_EXPRESSION})`, 60, 600, 60),
      ]),
    );
    expect(resource(result, T.ruleset, "pro-waf").inputs).toEqual(wafRuleset(ZONE_ID));
  });

  test.each([
    ["business", 30, 600, 600, 600, 60, 60],
    ["business-short", 5, 300, 300, 50, 120, 120],
    ["enterprise", 3, 3600, 3600, 600, 60, 60],
  ])(
    "%s: auth %i per %i s blocked %i s; API %i per %i s blocked %i s; the WAF",
    (name, authRequests, authPeriod, authBlock, apiRequests, apiPeriod, apiBlock) => {
      expect(resource(result, T.ruleset, `${name}-rate-limits`).inputs).toEqual(
        rateLimitRuleset(ZONE_ID, [
          rateRule(
            `Authentication: ${authRequests} requests per ${authPeriod} s per client`,
            `((${API_HOST_EXPRESSION}) and (${AUTH_PATHS_EXPRESSION}))`,
            authPeriod,
            authRequests,
            authBlock,
          ),
          rateRule(
            `API: ${apiRequests} requests per ${apiPeriod} s per client`,
            `(${API_HOST_EXPRESSION})`,
            apiPeriod,
            apiRequests,
            apiBlock,
          ),
        ]),
      );
      expect(resource(result, T.ruleset, `${name}-waf`).inputs).toEqual(wafRuleset(ZONE_ID));
      expect(resource(result, T.ruleset, `${name}-security-headers`).inputs).toEqual(
        headersRuleset(ZONE_ID, "max-age=31536000; includeSubDomains"),
      );
    },
  );

  test("manageZone: false on a created zone: the zone and its name servers, nothing zone-wide", () => {
    expect(describeChildren(childrenOf(result, T.zoneComponent, "kept"))).toEqual(
      [
        `${T.zone} kept-zone`,
        `${T.certificate} kept-api-certificate`,
        `${T.record} kept-acm-api.acme-app.com`,
        `${T.validation} kept-api-certificate`,
      ].sort(),
    );
    expect(zones["kept"]!.dsRecord).toBeUndefined();
    expect(result.outputs["kept"]).toEqual({
      zoneId: zoneIdOf("kept"),
      nameServers: ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
      certificateArn: state(resource(result, T.certificate, "kept-api-certificate"), "arn"),
    });
    expect(registered.onlyRegistrationOf(zones["kept"])["dsRecord"]).toBeUndefined();
  });

  test("manageZone: false on an adopted zone on Pro: no rulesets, no WAF", () => {
    expect(describeChildren(childrenOf(result, T.zoneComponent, "unmanaged"))).toEqual(
      [
        `${T.certificate} unmanaged-api-certificate`,
        `${T.record} unmanaged-acm-api.acme-app.com`,
        `${T.validation} unmanaged-api-certificate`,
      ].sort(),
    );
  });

  test("manageZone: true on an adopted zone: settings, DNSSEC and CAA on the zone id given", () => {
    const children = childrenOf(result, T.zoneComponent, "business");
    expect(describeChildren(children)).toEqual(
      ownerChildren("business", [
        `${T.ruleset} business-waf`,
        `${T.certificate} business-api-certificate`,
        `${T.record} business-acm-api.acme-app.com`,
        `${T.validation} business-api-certificate`,
      ]),
    );
    for (const child of children.filter((c) => c.type !== T.certificate && c.type !== T.validation)) {
      expect(child.inputs["zoneId"]).toBe(ZONE_ID);
    }
    expect(result.outputs["business"]).toMatchObject({
      zoneId: ZONE_ID,
      dsRecord: state(resource(result, T.dnssec, "business-dnssec"), "ds"),
    });
    expect(zones["business"]!.nameServers).toBeUndefined();
  });
});

describe("DnsZone transforms", () => {
  let result: SynthResult;
  /** The name each function hook received, and the keys of the args it saw. */
  const seen: Record<string, Array<{ name: string; keys: string[] }>> = {};
  const note = (hook: string, name: string, args: object) =>
    (seen[hook] ??= []).push({ name, keys: Object.keys(args).sort() });
  beforeAll(async () => {
    ({ result } = await build(async () => {
      const hooked = new DnsZone(
        "hooked",
        created({
          plan: "pro",
          webHostnames: ["www.acme-app.com"],
          transform: {
            zone: (args, _opts, name) => {
              note("zone", name, args);
              args.type = "partial";
            },
            record: (args, opts, name) => {
              note("record", name, args);
              if (name.includes("-web-")) args.comment = "web by transform";
              if (name.includes("-caa-issuewild-")) opts.protect = true;
            },
            certificate: (args, _opts, name) => {
              note("certificate", name, args);
              args.keyAlgorithm = "EC_prime256v1";
            },
            rateLimitRuleset: (args, _opts, name) => {
              note("rateLimitRuleset", name, args);
              args.description = "rate limits by transform";
            },
            headersRuleset: (args, _opts, name) => {
              note("headersRuleset", name, args);
              args.description = "headers by transform";
            },
            wafRuleset: (args, _opts, name) => {
              note("wafRuleset", name, args);
              args.description = "waf by transform";
            },
          },
        }),
      );
      hooked.pointApiAt(["api.acme-app.com"], LB);
      new DnsZone(
        "objects",
        created({
          plan: "business",
          transform: {
            zone: { type: "partial" },
            record: { comment: "record by transform" },
            certificate: { keyAlgorithm: "EC_secp384r1" },
            rateLimitRuleset: { description: "rl" },
            headersRuleset: { description: "hd" },
            wafRuleset: { description: "waf" },
          },
        }),
      );
      return {};
    }));
  });

  test("each function hook reaches its own child once, under the child's name", () => {
    expect(seen["zone"]).toEqual([{ name: "hooked-zone", keys: ["account", "name", "type"] }]);
    expect(seen["certificate"]).toEqual([
      {
        name: "hooked-api-certificate",
        keys: ["domainName", "keyAlgorithm", "options", "subjectAlternativeNames", "validationMethod"],
      },
    ]);
    const rulesetKeys = ["description", "kind", "name", "phase", "rules", "zoneId"];
    expect(seen["rateLimitRuleset"]).toEqual([{ name: "hooked-rate-limits", keys: rulesetKeys }]);
    expect(seen["headersRuleset"]).toEqual([{ name: "hooked-security-headers", keys: rulesetKeys }]);
    expect(seen["wafRuleset"]).toEqual([{ name: "hooked-waf", keys: rulesetKeys }]);
    expect(resource(result, T.zone, "hooked-zone").inputs["type"]).toBe("partial");
    expect(resource(result, T.certificate, "hooked-api-certificate").inputs["keyAlgorithm"]).toBe("EC_prime256v1");
    expect(resource(result, T.ruleset, "hooked-rate-limits").inputs["description"]).toBe("rate limits by transform");
    expect(resource(result, T.ruleset, "hooked-security-headers").inputs["description"]).toBe("headers by transform");
    expect(resource(result, T.ruleset, "hooked-waf").inputs["description"]).toBe("waf by transform");
  });

  test("the record hook sees every record the zone declares (CAA, web, ACM), not pointApiAt's", () => {
    expect(seen["record"]!.map((x) => x.name).sort()).toEqual(
      [...CAA_NAMES, "web-www.acme-app.com", "acm-api.acme-app.com"].map((n) => `hooked-${n}`).sort(),
    );
    const keysOf = (name: string) => seen["record"]!.find((x) => x.name === name)!.keys;
    expect(keysOf("hooked-caa-issue-pki-goog")).toEqual(["data", "name", "ttl", "type", "zoneId"]);
    expect(keysOf("hooked-web-www.acme-app.com")).toEqual([
      "comment",
      "content",
      "name",
      "proxied",
      "ttl",
      "type",
      "zoneId",
    ]);
    expect(resource(result, T.record, "hooked-web-www.acme-app.com").inputs["comment"]).toBe("web by transform");
    expect(resource(result, T.record, "hooked-api-api.acme-app.com").inputs["comment"]).toBe("API load balancer");
    expect(resource(result, T.record, "hooked-acm-api.acme-app.com").inputs["comment"]).toBe(
      "ACM validation for api.acme-app.com",
    );
  });

  test("options a hook sets stay on the records it set them on", () => {
    const caa = childrenOf(result, T.zoneComponent, "hooked").filter((r) => r.inputs["type"] === "CAA");
    for (const r of caa) expect(r.options).toEqual(r.name.includes("-issuewild-") ? { protect: true } : {});
  });

  test("object hooks are merged over what the component sets, child by child", () => {
    expect(resource(result, T.zone, "objects-zone").inputs).toEqual({
      name: APEX,
      account: { id: ACCOUNT_ID },
      type: "partial",
    });
    for (const r of childrenOf(result, T.zoneComponent, "objects").filter((x) => x.type === T.record)) {
      expect(r.inputs["comment"]).toBe("record by transform");
    }
    expect(resource(result, T.certificate, "objects-api-certificate").inputs["keyAlgorithm"]).toBe("EC_secp384r1");
    expect(resource(result, T.ruleset, "objects-rate-limits").inputs).toMatchObject({
      description: "rl",
      phase: "http_ratelimit",
    });
    expect(resource(result, T.ruleset, "objects-security-headers").inputs).toMatchObject({
      description: "hd",
      phase: "http_response_headers_transform",
    });
    expect(resource(result, T.ruleset, "objects-waf").inputs).toMatchObject({
      description: "waf",
      phase: "http_request_firewall_managed",
    });
  });
});

describe("DnsZone failures while declaring", () => {
  test("a transform that proxies every record fails on the first ACM record, by name; the web records may be proxied", async () => {
    const transform = (onlyWeb: boolean) => ({
      record: (args: cloudflare.DnsRecordArgs, _opts: pulumi.CustomResourceOptions, name: string) => {
        if (!onlyWeb || !name.includes("-acm-")) args.proxied = true;
      },
    });
    const error = await recordProgram(STACK, async () => {
      new DnsZone("dns", adopted({ webHostnames: ["www.acme-app.com"], transform: transform(false) }));
      return {};
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toBe(
      'DnsZone "dns": the ACM validation record dns-acm-api.acme-app.com must not be proxied (a transform set proxied: true); ACM cannot validate through Cloudflare\'s proxy',
    );
    const fine = await recordProgram(STACK, async () => {
      new DnsZone("dns", adopted({ webHostnames: ["www.acme-app.com"], transform: transform(true) }));
      return {};
    });
    expect(resource(fine, T.record, "dns-web-www.acme-app.com").inputs["proxied"]).toBe(true);
    expect(resource(fine, T.record, "dns-acm-api.acme-app.com").inputs["proxied"]).toBe(false);
  });

  test("a certificate without one of the API names has no validation record for it, and says which", async () => {
    const { value: result, rejections } = await collectRejections(
      () =>
        recordProgram(STACK, async () => {
          new DnsZone(
            "dns",
            adopted({
              apiHostnames: ["api.acme-app.com", "ai.acme-app.com"],
              transform: { certificate: { subjectAlternativeNames: [] } },
            }),
          );
          return {};
        }),
      1,
    );
    expect([...rejections].some((m) => m.endsWith("ACM returned no validation record for ai.acme-app.com"))).toBe(true);
    expect([...rejections].filter((m) => !m.includes("ACM returned no validation record for ai.acme-app.com"))).toEqual(
      [],
    );
    expect(resource(result, T.record, "dns-acm-api.acme-app.com").inputs["type"]).toBe("CNAME");
  });

  test("invalid args fail before any child is declared", async () => {
    const error = await recordProgram(STACK, async () => {
      new DnsZone("dns", adopted({ ttl: 30 }));
      return {};
    }).then(
      () => undefined,
      (e: Error & { declared?: RecordedResource[] }) => e,
    );
    expect(error?.message).toBe('DnsZone "dns" has invalid args:\n  - ttl must be 60 to 86400 seconds (got 30)');
    expect(error?.declared?.filter((x) => x.name.startsWith("dns"))).toEqual([]);
  });
});

describe("validateDnsZoneArgs", () => {
  const problems = (args: DnsZoneArgs, name = "dns") =>
    problemsOf("DnsZone", name, () => validateDnsZoneArgs(name, args));
  const withAccount = (accountId: string) => adopted({ zone: { create: { name: APEX, accountId } } });
  const labelsProblem = (got: string) => `rateLimitedHostLabels must be DNS labels such as api (got ${got})`;

  test.each<[string, DnsZoneArgs]>([
    ["an adopted zone with every arg omitted", adopted()],
    ["a created zone", created()],
    ["an account id of digits only", withAccount("01234567890123456789012345678901")],
    ["an account id of letters only", withAccount("abcdefabcdefabcdefabcdefabcdefab")],
    ["an account id with 0, 9, a and f", withAccount("09af09af09af09af09af09af09af09af")],
    ["the apex and deeper names", adopted({ webHostnames: [APEX, "pr-1.staging.acme-app.com"] })],
    ["no web hostnames", adopted({ webHostnames: [] })],
    ["one-letter, digit and hyphen labels", adopted({ rateLimitedHostLabels: ["a", "api-2", "x9"] })],
    ["a label of 62 characters", adopted({ rateLimitedHostLabels: ["a".repeat(62)] })],
    ["ttl 60", adopted({ ttl: 60 })],
    ["ttl 86400", adopted({ ttl: 86400 })],
    ...CLOUDFLARE_PLANS.map((plan): [string, DnsZoneArgs] => [`the ${plan} plan's defaults`, adopted({ plan })]),
    ["Free: auth at 10 s, 1 request", adopted({ rateLimits: { auth: { requests: 1, periodSeconds: 10 } } })],
    [
      "Pro: both rules at 60 s",
      adopted({
        plan: "pro",
        rateLimits: { api: { requests: 1, periodSeconds: 60 }, auth: { requests: 1, periodSeconds: 60 } },
      }),
    ],
    ["Business: 600 s", adopted({ plan: "business", rateLimits: { api: { requests: 9, periodSeconds: 600 } } })],
    ["Enterprise: 3600 s", adopted({ plan: "enterprise", rateLimits: { auth: { requests: 9, periodSeconds: 3600 } } })],
    [
      "paths of every allowed character",
      adopted({ rateLimits: { auth: { requests: 5, periodSeconds: 10, paths: ["/", "/v1/Auth_x.y-z/9"] } } }),
    ],
  ])("accepts %s", (_, args) => {
    expect(problems(args)).toEqual([]);
  });

  test.each<[string, DnsZoneArgs, string]>([
    [
      "both a created and an adopted zone",
      adopted({ zone: { create: { name: APEX, accountId: ACCOUNT_ID }, existingZoneId: ZONE_ID } as never }),
      "zone must be { create: { name, accountId } } or { existingZoneId }, exactly one",
    ],
    [
      "neither",
      adopted({ zone: {} as never }),
      "zone must be { create: { name, accountId } } or { existingZoneId }, exactly one",
    ],
    [
      "a created zone named in capitals",
      adopted({ zone: { create: { name: "Acme-App.com", accountId: ACCOUNT_ID } } }),
      'zone.create.name must be a DNS name (got "Acme-App.com")',
    ],
    ...[
      "0123456789abcdef0123456789abcde",
      "0123456789abcdef0123456789abcdef0",
      "x0123456789abcdef0123456789abcdef",
      "0123456789ABCDEF0123456789ABCDEF",
      "0123456789abcdeg0123456789abcdef",
      "acme",
    ].map((id): [string, DnsZoneArgs, string] => [
      `account id ${id}`,
      withAccount(id),
      `zone.create.accountId must be a Cloudflare account id (32 hex characters) (got "${id}")`,
    ]),
    ["no API hostname", adopted({ apiHostnames: [] }), "apiHostnames must list at least one hostname"],
    ...["Api", "1api", "-api", "api!", "api.x", "api_x", "", "a".repeat(63)].map(
      (label): [string, DnsZoneArgs, string] => [
        `label "${label}"`,
        adopted({ rateLimitedHostLabels: ["api", label] }),
        labelsProblem(label),
      ],
    ),
    [
      "hostnames in capitals (not also called outside the zone, even when they are)",
      adopted({ webHostnames: ["WWW.acme-app.com", "Www.other.com"] }),
      "hostnames must be lowercase DNS names (got WWW.acme-app.com, Www.other.com)",
    ],
    [
      "names outside the zone, one ending like it",
      adopted({ apiHostnames: ["api.other.com"], webHostnames: ["xacme-app.com"] }),
      "hostnames must be in the zone acme-app.com (got api.other.com, xacme-app.com)",
    ],
    [
      "a name both API and web",
      adopted({ webHostnames: ["api.acme-app.com"] }),
      "a hostname must not be both an API and a web hostname, or repeat",
    ],
    [
      "a repeated API name",
      adopted({ apiHostnames: ["api.acme-app.com", "api.acme-app.com"] }),
      "a hostname must not be both an API and a web hostname, or repeat",
    ],
    [
      "an unknown plan (whose limits are then not checked)",
      adopted({ plan: "gold" as never, rateLimits: { auth: { requests: 0, periodSeconds: 7 } } }),
      'plan must be one of free, pro, business, enterprise (got "gold")',
    ],
    [
      "a limit beyond the plan",
      adopted({ plan: "pro", rateLimits: { auth: { requests: 10, periodSeconds: 120 } } }),
      "rateLimits.auth.periodSeconds must be at most 60 on the Pro plan, which Cloudflare limits to periods of 60 s (got 120); raise dns.plan if the zone has a higher plan",
    ],
    ["ttl 59", adopted({ ttl: 59 }), "ttl must be 60 to 86400 seconds (got 59)"],
    ["ttl 86401", adopted({ ttl: 86401 }), "ttl must be 60 to 86400 seconds (got 86401)"],
  ])("rejects %s, alone, in exact words", (_, args, problem) => {
    expect(problems(args)).toEqual([problem]);
  });

  test("every problem at once, in order, under the component's name", () => {
    expect(
      problems(
        {
          zone: { create: { name: "acme_app.com", accountId: "acme" }, existingZoneId: ZONE_ID },
          apexDomain: "Acme",
          apiHostnames: [],
          rateLimitedHostLabels: ["API", "ok", "_x"],
          webHostnames: ["WWW.acme-app.com", "www.acme-app.com", "www.acme-app.com"],
          plan: "free",
          rateLimits: {
            api: { requests: 1.5, periodSeconds: 60 },
            auth: { requests: 1, periodSeconds: 10, paths: ["x"] },
          },
          ttl: 0,
        },
        "edge",
      ),
    ).toEqual([
      "zone must be { create: { name, accountId } } or { existingZoneId }, exactly one",
      'zone.create.name must be a DNS name (got "acme_app.com")',
      'zone.create.accountId must be a Cloudflare account id (32 hex characters) (got "acme")',
      'apexDomain must be a DNS name (got "Acme")',
      "apiHostnames must list at least one hostname",
      "rateLimitedHostLabels must be DNS labels such as api (got API, _x)",
      "hostnames must be lowercase DNS names (got WWW.acme-app.com)",
      "hostnames must be in the zone Acme (got www.acme-app.com, www.acme-app.com)",
      "a hostname must not be both an API and a web hostname, or repeat",
      "rateLimits.api.requests must be a positive integer (got 1.5)",
      "rateLimits.api.periodSeconds must be at most 10 on the Free plan, which Cloudflare limits to periods of 10 s (got 60); raise dns.plan if the zone has a higher plan",
      "rateLimits.api needs a second rate-limiting rule, and the Free plan allows 1 (used by rateLimits.auth); remove it or raise dns.plan",
      "rateLimits.auth.paths must be URL paths such as /auth (got x)",
      "ttl must be 60 to 86400 seconds (got 0)",
    ]);
  });
});

describe("the plan table and the checks built on it", () => {
  test("each plan's rules, longest period, longest block and whether the host can be tested", () => {
    expect(CLOUDFLARE_PLANS).toEqual(["free", "pro", "business", "enterprise"]);
    expect(RATE_LIMIT_PERIODS).toEqual([10, 60, 120, 300, 600, 3600]);
    expect(RATE_LIMIT_PLANS).toEqual({
      free: { rules: 1, maxPeriodSeconds: 10, maxMitigationSeconds: 10, hostInExpression: false },
      pro: { rules: 2, maxPeriodSeconds: 60, maxMitigationSeconds: 3600, hostInExpression: true },
      business: { rules: 5, maxPeriodSeconds: 600, maxMitigationSeconds: 86400, hostInExpression: true },
      enterprise: { rules: 100, maxPeriodSeconds: 3600, maxMitigationSeconds: 86400, hostInExpression: true },
    });
  });

  test("each plan's default limits, the default paths and the managed ruleset", () => {
    const paths = ["/auth", "/login", "/signup", "/password"];
    expect(DEFAULT_AUTH_PATHS).toEqual(paths);
    expect(DEFAULT_RATE_LIMITS).toEqual({
      free: { auth: { requests: 5, periodSeconds: 10, paths } },
      pro: { api: { requests: 600, periodSeconds: 60 }, auth: { requests: 10, periodSeconds: 60, paths } },
      business: { api: { requests: 600, periodSeconds: 60 }, auth: { requests: 30, periodSeconds: 600, paths } },
      enterprise: { api: { requests: 600, periodSeconds: 60 }, auth: { requests: 30, periodSeconds: 600, paths } },
    });
    expect(CLOUDFLARE_MANAGED_RULESET_ID).toBe("efb7b8c949ac4650a09736fc376e9aee");
    expect(CLOUDFLARE_PLANS.map((plan) => [plan, managedWafAvailable(plan)])).toEqual([
      ["free", false],
      ["pro", true],
      ["business", true],
      ["enterprise", true],
    ]);
  });

  test("resolveRateLimits: the plan's defaults, overridden rule by rule and key by key", () => {
    const paths = [...DEFAULT_AUTH_PATHS];
    expect(resolveRateLimits("free", undefined)).toStrictEqual({ auth: { requests: 5, periodSeconds: 10, paths } });
    expect(resolveRateLimits("free", {})).toStrictEqual({ auth: { requests: 5, periodSeconds: 10, paths } });
    expect(resolveRateLimits("free", { api: { requests: 1, periodSeconds: 10 } })).toStrictEqual({
      auth: { requests: 5, periodSeconds: 10, paths },
      api: { requests: 1, periodSeconds: 10 },
    });
    expect(resolveRateLimits("pro", undefined)).toStrictEqual({
      auth: { requests: 10, periodSeconds: 60, paths },
      api: { requests: 600, periodSeconds: 60 },
    });
    expect(
      resolveRateLimits("business", {
        api: { requests: 7, periodSeconds: 10 },
        auth: { requests: 3, periodSeconds: undefined as never, paths: ["/x"] },
      }),
    ).toStrictEqual({
      auth: { requests: 3, periodSeconds: 600, paths: ["/x"] },
      api: { requests: 7, periodSeconds: 10 },
    });
  });

  const plansOf = (plan: CloudflarePlan, given: RateLimits | undefined) => rateLimitProblems(plan, given);

  // An empty list of paths or labels would make a rule's expression "()", which Cloudflare cannot parse.
  test("an empty list of auth paths, or of rate-limited host labels, is refused", () => {
    expect(plansOf("free", { auth: { requests: 5, periodSeconds: 10, paths: [] } })).toEqual([
      ["auth.paths", "must list at least one path, or be left out for the defaults (got an empty list)"],
    ]);
    expect(
      problemsOf("DnsZone", "dns", () =>
        validateDnsZoneArgs("dns", adopted({ plan: "pro", rateLimitedHostLabels: [] })),
      ),
    ).toEqual(["rateLimitedHostLabels must list at least one label, or be left out for [api] (got an empty list)"]);
  });
  const tooLong = (key: string, plan: string, max: number, got: number): [string, string] => [
    `${key}.periodSeconds`,
    `must be at most ${max} on the ${plan} plan, which Cloudflare limits to periods of ${max} s (got ${got}); raise dns.plan if the zone has a higher plan`,
  ];

  test.each<[CloudflarePlan, RateLimits | undefined]>([
    ["free", undefined],
    ["free", {}],
    ["free", { auth: { requests: 1, periodSeconds: 10 } }],
    ["pro", { api: { requests: 1, periodSeconds: 60 } }],
    ["pro", { api: { requests: 100, periodSeconds: 10 }, auth: { requests: 2, periodSeconds: 60, paths: ["/"] } }],
    ["business", { api: { requests: 1, periodSeconds: 600 }, auth: { requests: 1, periodSeconds: 300 } }],
    ["enterprise", { api: { requests: 1, periodSeconds: 3600 }, auth: { requests: 1, periodSeconds: 120 } }],
  ])("%s accepts %j", (plan, given) => {
    expect(plansOf(plan, given)).toEqual([]);
  });

  test.each<[string, CloudflarePlan, RateLimits, Array<[string, string]>]>([
    ["Free: 60 s", "free", { auth: { requests: 5, periodSeconds: 60 } }, [tooLong("auth", "Free", 10, 60)]],
    ["Pro: 120 s", "pro", { api: { requests: 5, periodSeconds: 120 } }, [tooLong("api", "Pro", 60, 120)]],
    [
      "Business: 3600 s",
      "business",
      { auth: { requests: 5, periodSeconds: 3600 } },
      [tooLong("auth", "Business", 600, 3600)],
    ],
    [
      "a period Cloudflare does not offer, on any plan (checked once)",
      "enterprise",
      { api: { requests: 5, periodSeconds: 7200 }, auth: { requests: 5, periodSeconds: 30 } },
      [
        ["api.periodSeconds", "must be a period Cloudflare offers: 10, 60, 120, 300, 600, 3600 (got 7200)"],
        ["auth.periodSeconds", "must be a period Cloudflare offers: 10, 60, 120, 300, 600, 3600 (got 30)"],
      ],
    ],
    [
      "requests 0, -1 and 2.5",
      "business",
      { api: { requests: 0, periodSeconds: 60 }, auth: { requests: 2.5, periodSeconds: 60 } },
      [
        ["api.requests", "must be a positive integer (got 0)"],
        ["auth.requests", "must be a positive integer (got 2.5)"],
      ],
    ],
    [
      "requests -1",
      "pro",
      { auth: { requests: -1, periodSeconds: 10 } },
      [["auth.requests", "must be a positive integer (got -1)"]],
    ],
    [
      "a second rule on Free",
      "free",
      { api: { requests: 5, periodSeconds: 10 } },
      [
        [
          "api",
          "needs a second rate-limiting rule, and the Free plan allows 1 (used by rateLimits.auth); remove it or raise dns.plan",
        ],
      ],
    ],
    [
      "paths that are not URL paths",
      "pro",
      { auth: { requests: 5, periodSeconds: 10, paths: ["auth", "/ok", "/a b", "/x?y", "//ok/", "v1/auth"] } },
      [["auth.paths", "must be URL paths such as /auth (got auth, /a b, /x?y, v1/auth)"]],
    ],
  ])("rejects %s", (_, plan, given, expected) => {
    expect(plansOf(plan, given)).toEqual(expected);
  });
});

/** Notes each origin-pull lookup (token, args, parent) and answers it with `answer`, or as the mocks do. */
function spyLookups(answer?: (args: Record<string, unknown>) => OriginPullStatus) {
  const calls: Array<{ token: string; args: Record<string, unknown>; parent: unknown }> = [];
  const invoke = pulumi.runtime.invoke;
  const spy = jest.spyOn(pulumi.runtime, "invoke").mockImplementation((token, props, opts) => {
    calls.push({ token, args: props, parent: opts?.parent });
    return answer === undefined ? invoke(token, props, opts) : (Promise.resolve(answer(props as never)) as never);
  });
  return { calls, restore: () => spy.mockRestore() };
}

describe("OriginAuthentication with its own CA", () => {
  let result: SynthResult;
  let registered: Recorded;
  const components: Record<string, OriginAuthentication> = {};
  let lookups: ReturnType<typeof spyLookups>["calls"];
  const trustStoreNames: string[] = [];
  beforeAll(async () => {
    const spy = spyLookups();
    lookups = spy.calls;
    try {
      ({ result, registered } = await build(async () => {
        components["origin"] = new OriginAuthentication("origin", {
          zoneId: ZONE_ID,
          hostnames: ["api.acme-app.com", "ai.acme-app.com"],
          certificate: { create: true },
        });
        components["undef"] = new OriginAuthentication("undef", {
          zoneId: ZONE_ID,
          hostnames: ["api-staging.acme-app.com"],
          certificate: { create: true, keepReplaced: undefined },
          activationTimeoutSeconds: undefined,
          tags: undefined,
          transform: undefined,
        });
        components["unkept"] = new OriginAuthentication("unkept", {
          zoneId: ZONE_ID,
          hostnames: ["api-unkept.acme-app.com"],
          certificate: { create: true, keepReplaced: false },
        });
        let uploadedKey: pulumi.Input<string> | undefined;
        components["kept"] = new OriginAuthentication("kept", {
          zoneId: pulumi.output(ZONE_ID),
          hostnames: ["api-kept.acme-app.com"],
          certificate: { create: true, keepReplaced: true },
          activationTimeoutSeconds: 120,
          tags: { CostCentre: "edge" },
          transform: {
            bundleBucket: { forceDestroy: false },
            trustStore: (args, _opts, name) => {
              trustStoreNames.push(name);
              args.name = "kept-by-transform";
            },
            hostnameCertificate: (args) => {
              uploadedKey = args.privateKey;
            },
          },
        });
        const plainKey = pulumi.output(uploadedKey!);
        return {
          ...Object.fromEntries(
            Object.entries(components).map(([name, c]) => [
              name,
              {
                certificateId: c.certificateId,
                trustStoreArn: c.trustStoreArn!,
                caCertificatePem: c.caCertificatePem!,
                ready: c.ready,
              },
            ]),
          ),
          uploadedKey: pulumi.unsecret(plainKey),
          uploadedKeyIsSecret: pulumi.output(pulumi.isSecret(plainKey)),
        };
      }));
    } finally {
      spy.restore();
    }
  });

  /** The children of one component, by role. */
  const parts = (name: string) => ({
    caKey: resource(result, T.key, `${name}-ca`),
    clientKey: resource(result, T.key, `${name}-client`),
    ca: resource(result, T.ca, `${name}-ca`),
    request: resource(result, T.request, `${name}-client`),
    client: resource(result, T.client, `${name}-client`),
    upload: resource(result, T.upload, `${name}-certificate`),
    bucket: resource(result, T.bucket, `${name}-bundle`),
    versioning: resource(result, T.versioning, `${name}-bundle`),
    object: resource(result, T.object, `${name}-ca-bundle`),
    trustStore: resource(result, T.trustStore, `${name}-trust-store`),
  });

  test("the component records its hostnames; every child is its own, unprotected", () => {
    expect(resource(result, T.originComponent, "origin").inputs).toEqual({
      hostnames: ["api.acme-app.com", "ai.acme-app.com"],
    });
    const children = childrenOf(result, T.originComponent, "origin");
    expect(describeChildren(children)).toEqual(
      [
        `${T.key} origin-ca`,
        `${T.key} origin-client`,
        `${T.ca} origin-ca`,
        `${T.request} origin-client`,
        `${T.client} origin-client`,
        `${T.upload} origin-certificate`,
        `${T.association} origin-api.acme-app.com`,
        `${T.association} origin-ai.acme-app.com`,
        ...[T.bucket, T.publicAccess, T.ownership, T.encryption, T.versioning, T.lifecycle, T.policy].map(
          (type) => `${type} origin-bundle`,
        ),
        `${T.object} origin-ca-bundle`,
        `${T.trustStore} origin-trust-store`,
      ].sort(),
    );
    for (const child of children) expect(child.options).toEqual({});
  });

  test.each(["origin", "undef"])("%s: a 10-year RSA CA and a 1-year client certificate it signs", (name) => {
    const p = parts(name);
    expect(p.caKey.inputs).toEqual({ algorithm: "RSA", rsaBits: 2048 });
    expect(p.clientKey.inputs).toEqual({ algorithm: "RSA", rsaBits: 2048 });
    // The keys are secret: which key went where shows in the dependencies.
    expect(p.ca.inputs).toEqual({
      privateKeyPem: "[secret]",
      isCaCertificate: true,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
      subject: { commonName: "saas-platform test origin-pull CA", organization: "saas-platform" },
      validityPeriodHours: 87600,
    });
    expect(p.request.inputs).toEqual({
      privateKeyPem: "[secret]",
      subject: { commonName: "cloudflare-origin-pull.test", organization: "saas-platform" },
    });
    expect(p.client.inputs).toEqual({
      certRequestPem: state(p.request, "certRequestPem"),
      caCertPem: state(p.ca, "certPem"),
      caPrivateKeyPem: "[secret]",
      allowedUses: ["digital_signature", "key_encipherment", "client_auth"],
      validityPeriodHours: 8760,
      earlyRenewalHours: 720,
    });
    expect(state(p.caKey, "privateKeyPem")).not.toBe(state(p.clientKey, "privateKeyPem"));
    expect(p.ca.propertyDependencies["privateKeyPem"]).toEqual([p.caKey.urn]);
    expect(p.request.propertyDependencies["privateKeyPem"]).toEqual([p.clientKey.urn]);
    expect(p.client.propertyDependencies["caPrivateKeyPem"]).toEqual([p.caKey.urn]);
    expect(p.client.propertyDependencies["caCertPem"]).toEqual([p.ca.urn]);
    expect(p.client.propertyDependencies["certRequestPem"]).toEqual([p.request.urn]);
    expect([p.ca.secretInputs, p.request.secretInputs, p.client.secretInputs]).toEqual([
      ["privateKeyPem"],
      ["privateKeyPem"],
      ["caPrivateKeyPem"],
    ]);
  });

  test.each(["origin", "undef", "unkept"])(
    "%s: the leaf and its key (secret) go to the zone, not kept once replaced",
    (name) => {
      const p = parts(name);
      expect(p.upload.inputs).toEqual({
        zoneId: ZONE_ID,
        certificate: state(p.client, "certPem"),
        privateKey: "[secret]",
      });
      expect(p.upload.secretInputs).toEqual(["privateKey"]);
      expect(p.upload.options).toEqual({});
      expect(p.upload.propertyDependencies["privateKey"]).toEqual([p.clientKey.urn]);
    },
  );

  test("keepReplaced: the uploaded certificate is retained on delete; the key uploaded is the client's, secret", () => {
    expect(parts("kept").upload.options).toEqual({ retainOnDelete: true });
    const { clientKey, caKey } = parts("kept");
    expect(state(clientKey, "privateKeyPem")).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(state(clientKey, "privateKeyPem")).not.toBe(state(caKey, "privateKeyPem"));
    expect(result.outputs["uploadedKey"]).toBe(state(clientKey, "privateKeyPem"));
    expect(result.outputs["uploadedKeyIsSecret"]).toBe(true);
  });

  test("one association per hostname, with the uploaded certificate", () => {
    const upload = parts("origin").upload;
    for (const hostname of ["api.acme-app.com", "ai.acme-app.com"]) {
      const association = resource(result, T.association, `origin-${hostname}`);
      expect(association.inputs).toEqual({
        zoneId: ZONE_ID,
        configs: [{ hostname, certId: upload.id, enabled: true }],
      });
      expect(association.propertyDependencies["configs"]).toEqual([upload.urn]);
    }
  });

  test("each association is read back from Cloudflare, under the component, before it is ready", () => {
    const hostnames = ["api.acme-app.com", "ai.acme-app.com", "api-staging.acme-app.com"];
    const parents = [components["origin"], components["origin"], components["undef"]];
    for (const [i, hostname] of hostnames.entries()) {
      const mine = lookups.filter((l) => l.args["hostname"] === hostname);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.token).toBe(ORIGIN_PULL_LOOKUP);
      expect(mine[0]!.args).toEqual({ zoneId: ZONE_ID, hostname });
      expect(mine[0]!.parent).toBe(parents[i]);
    }
    expect(lookups.every((l) => l.token === ORIGIN_PULL_LOOKUP)).toBe(true);
    expect(lookups).toHaveLength(5);
  });

  test.each(["origin", "undef"])(
    "%s: the CA bundle's bucket: private, owner-enforced, encrypted, versioned, TLS only",
    (name) => {
      const p = parts(name);
      const bucket = p.bucket.id;
      expect(p.bucket.inputs).toEqual({ forceDestroy: true, tags: {} });
      const inputs = (type: string) => resource(result, type, `${name}-bundle`).inputs;
      expect(inputs(T.publicAccess)).toEqual({
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      expect(inputs(T.ownership)).toEqual({ bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
      expect(inputs(T.encryption)).toEqual({
        bucket,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      });
      expect(inputs(T.versioning)).toEqual({ bucket, versioningConfiguration: { status: "Enabled" } });
      expect(inputs(T.lifecycle)).toEqual({
        bucket,
        rules: [
          {
            id: "expire-old-bundles",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: 90 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      });
      expect(resource(result, T.lifecycle, `${name}-bundle`).dependencies).toContain(p.versioning.urn);
      const arn = String(state(p.bucket, "arn"));
      expect(JSON.parse(String(inputs(T.policy)["policy"]))).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "TlsOnly",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [arn, `${arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      });
      expect(inputs(T.policy)["bucket"]).toBe(bucket);
    },
  );

  test.each(["origin", "undef"])("%s: the trust store reads the CA from the bundle's current version", (name) => {
    const p = parts(name);
    expect(p.object.inputs).toEqual({
      bucket: p.bucket.id,
      key: "cloudflare-origin-pull-ca.pem",
      content: state(p.ca, "certPem"),
      contentType: "application/x-pem-file",
      tags: {},
    });
    expect(p.object.dependencies).toContain(p.versioning.urn);
    expect(p.trustStore.inputs).toEqual({
      name: physicalName(SCOPE, name, "trustStore"),
      caCertificatesBundleS3Bucket: p.bucket.id,
      caCertificatesBundleS3Key: "cloudflare-origin-pull-ca.pem",
      caCertificatesBundleS3ObjectVersion: state(p.object, "versionId"),
      tags: {},
    });
    expect(p.trustStore.propertyDependencies["caCertificatesBundleS3ObjectVersion"]).toEqual([p.object.urn]);
  });

  test("tags reach the bucket, the bundle and the trust store; the hooks reach theirs", () => {
    const p = parts("kept");
    expect(p.bucket.inputs).toEqual({ forceDestroy: false, tags: { CostCentre: "edge" } });
    expect(p.object.inputs["tags"]).toEqual({ CostCentre: "edge" });
    expect(p.trustStore.inputs).toMatchObject({ name: "kept-by-transform", tags: { CostCentre: "edge" } });
    expect(trustStoreNames).toEqual(["kept-trust-store"]);
  });

  test.each(["origin", "undef", "kept"])(
    "%s: outputs: the certificate id, the CA, the trust store, the names ready",
    (name) => {
      const p = parts(name);
      const hostnames = resource(result, T.originComponent, name).inputs["hostnames"];
      expect(result.outputs[name]).toEqual({
        certificateId: p.upload.id,
        trustStoreArn: state(p.trustStore, "arn"),
        caCertificatePem: state(p.ca, "certPem"),
        ready: hostnames,
      });
      const outputs = registered.onlyRegistrationOf(components[name]);
      expect(Object.keys(outputs).sort()).toEqual(["caCertificatePem", "certificateId", "trustStoreArn"]);
      expect(outputs["certificateId"]).toBe(components[name]!.certificateId);
      expect(outputs["trustStoreArn"]).toBe(components[name]!.trustStoreArn);
      expect(outputs["caCertificatePem"]).toBe(components[name]!.caCertificatePem);
    },
  );

  test("the constants: validity, limits and the bundle's key", () => {
    expect(ORIGIN_PULL_VALIDITY).toEqual({ caHours: 87600, clientHours: 8760, clientRenewBeforeHours: 720 });
    expect(ORIGIN_PULL_LIMITS).toEqual({ certificatesPerZone: 10, hostnamesPerCertificate: 100 });
    expect(CA_BUNDLE_KEY).toBe("cloudflare-origin-pull-ca.pem");
  });
});

describe("OriginAuthentication with another stack's certificate", () => {
  let result: SynthResult;
  let registered: Recorded;
  let shared: OriginAuthentication;
  beforeAll(async () => {
    ({ result, registered } = await build(async () => {
      shared = new OriginAuthentication("shared", {
        zoneId: ZONE_ID,
        hostnames: ["api-pr-1.acme-app.com"],
        certificate: { existingCertificateId: "11111111-2222-3333-4444-555555555555" },
      });
      return { certificateId: shared.certificateId, ready: shared.ready };
    }));
  });

  test("associates its names with that certificate and makes nothing else", () => {
    expect(describeChildren(childrenOf(result, T.originComponent, "shared"))).toEqual([
      `${T.association} shared-api-pr-1.acme-app.com`,
    ]);
    expect(resource(result, T.association, "shared-api-pr-1.acme-app.com").inputs).toEqual({
      zoneId: ZONE_ID,
      configs: [{ hostname: "api-pr-1.acme-app.com", certId: "11111111-2222-3333-4444-555555555555", enabled: true }],
    });
    expect(result.outputs).toEqual({
      certificateId: "11111111-2222-3333-4444-555555555555",
      ready: ["api-pr-1.acme-app.com"],
    });
    expect(shared.trustStoreArn).toBeUndefined();
    expect(shared.caCertificatePem).toBeUndefined();
    expect(registered.onlyRegistrationOf(shared)).toEqual({
      certificateId: shared.certificateId,
      trustStoreArn: undefined,
      caCertificatePem: undefined,
    });
  });
});

describe("OriginAuthentication waiting for Cloudflare while declaring", () => {
  test("in a preview, the names are ready at once: Cloudflare is not read", async () => {
    const lookups = spyLookups();
    const dryRun = jest.spyOn(pulumi.runtime, "isDryRun").mockReturnValue(true);
    try {
      const result = await recordProgram(STACK, async () => {
        const origin = new OriginAuthentication("origin", {
          zoneId: ZONE_ID,
          hostnames: ["api.acme-app.com"],
          certificate: { existingCertificateId: "c" },
        });
        return { ready: origin.ready };
      });
      expect(result.outputs["ready"]).toEqual(["api.acme-app.com"]);
    } finally {
      dryRun.mockRestore();
      lookups.restore();
    }
    expect(lookups.calls).toEqual([]);
  });

  test("an association still deploying fails after activationTimeoutSeconds (900 s by default), read every 10 s", async () => {
    const lookups = spyLookups(() => ({ status: "pending_deployment", certStatus: "pending_deployment" }));
    const realSetTimeout = global.setTimeout;
    // The component sleeps 10 s between reads: those sleeps are cut short here, and counted.
    const sleeps: number[] = [];
    const timers = jest.spyOn(global, "setTimeout").mockImplementation((fn: () => void, ms?: number) => {
      if (ms === 10_000) sleeps.push(ms);
      return realSetTimeout(fn, ms === 10_000 ? 0 : ms);
    });
    let rejections: Set<string>;
    try {
      ({ rejections } = await collectRejections(
        () =>
          recordProgram(STACK, async () => {
            const certificate = { existingCertificateId: "c" };
            new OriginAuthentication("slow", {
              zoneId: ZONE_ID,
              hostnames: ["api.acme-app.com"],
              certificate,
              activationTimeoutSeconds: 60,
            });
            new OriginAuthentication("slower", { zoneId: ZONE_ID, hostnames: ["ai.acme-app.com"], certificate });
            return {};
          }),
        2,
      ));
    } finally {
      timers.mockRestore();
      lookups.restore();
    }
    const message = (host: string, seconds: number) =>
      `Cloudflare has not deployed the origin-pull certificate of ${host} after ${seconds} s (status pending_deployment); the load balancer keeps admitting connections without it. Run \`pulumi up\` again later`;
    expect([...rejections].sort()).toEqual([message("ai.acme-app.com", 900), message("api.acme-app.com", 60)]);
    const reads = (hostname: string) => lookups.calls.filter((l) => l.args["hostname"] === hostname).length;
    expect([reads("api.acme-app.com"), reads("ai.acme-app.com")]).toEqual([7, 91]);
    expect(sleeps).toHaveLength(6 + 90);
  });
});

describe("waitForOriginPull", () => {
  /** Reads that answer each status in turn, then the last one forever. */
  const reads = (...list: OriginPullStatus[]) => {
    let i = 0;
    return jest.fn(async () => list[Math.min(i++, list.length - 1)]!);
  };
  const fakeSleep = () => jest.fn(async (_ms: number) => undefined);
  const host = "api.acme-app.com";
  const wontBecomeActive = (status: string, certificate: string, disabled = false) =>
    `Cloudflare reports the origin-pull certificate of ${host} as ${status} (certificate ${certificate}${disabled ? ", disabled" : ""}); it will not become active: see docs/components/dns-zone.md#authenticated-origin-pulls`;
  const notDeployed = (seconds: number, status = "pending_deployment") =>
    `Cloudflare has not deployed the origin-pull certificate of ${host} after ${seconds} s (status ${status}); the load balancer keeps admitting connections without it. Run \`pulumi up\` again later`;

  test.each<[string, OriginPullStatus]>([
    ["both active, enabled", { status: "active", certStatus: "active", enabled: true }],
    ["active, no certificate status, enabled unsaid", { status: "active" }],
  ])("returns at the first read when %s", async (_, status) => {
    const read = reads(status);
    const sleep = fakeSleep();
    await expect(waitForOriginPull(read, host, { timeoutMs: 0, sleep })).resolves.toBeUndefined();
    expect(read).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  test("waits while either is initializing or deploying, every intervalMs", async () => {
    const read = reads(
      { status: "initializing", certStatus: "initializing" },
      { status: "pending_deployment", certStatus: "initializing" },
      { status: "active", certStatus: "pending_deployment" },
      { status: "initializing", certStatus: "active" },
      { status: "active", certStatus: "active" },
    );
    const sleep = fakeSleep();
    await waitForOriginPull(read, host, { timeoutMs: 40_000, intervalMs: 10_000, sleep });
    expect(read).toHaveBeenCalledTimes(5);
    expect(sleep.mock.calls).toEqual([[10_000], [10_000], [10_000], [10_000]]);
  });

  test.each<[string, OriginPullStatus, string]>([
    [
      "a status that cannot become active",
      { status: "deployment_timed_out", certStatus: "active" },
      wontBecomeActive("deployment_timed_out", "active"),
    ],
    [
      "a certificate status that cannot",
      { status: "active", certStatus: "expired" },
      wontBecomeActive("active", "expired"),
    ],
    [
      "a deleted certificate while deploying",
      { status: "pending_deployment", certStatus: "deleted" },
      wontBecomeActive("pending_deployment", "deleted"),
    ],
    [
      "a disabled association, otherwise active",
      { status: "active", certStatus: "active", enabled: false },
      wontBecomeActive("active", "active", true),
    ],
    [
      "a disabled association still deploying",
      { status: "pending_deployment", enabled: false },
      wontBecomeActive("pending_deployment", "active", true),
    ],
  ])("fails at the first read on %s", async (_, status, message) => {
    const read = reads(status);
    const sleep = fakeSleep();
    await expect(waitForOriginPull(read, host, { timeoutMs: 60_000, sleep })).rejects.toThrow(new Error(message));
    expect(read).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  test.each([
    [30_000, 10_000, 4, 30],
    [25_000, 10_000, 4, 30],
    [10_000, 5_000, 3, 10],
    [2_000, 1_400, 3, 3],
    [0, 10_000, 1, 0],
  ])(
    "a timeout of %i ms read every %i ms: %i reads, then fails after %i s",
    async (timeoutMs, intervalMs, count, seconds) => {
      const read = reads({ status: "pending_deployment", certStatus: "pending_deployment" });
      const sleep = fakeSleep();
      await expect(waitForOriginPull(read, host, { timeoutMs, intervalMs, sleep })).rejects.toThrow(
        new Error(notDeployed(seconds)),
      );
      expect(read).toHaveBeenCalledTimes(count);
      expect(sleep.mock.calls).toEqual(Array.from({ length: count - 1 }, () => [intervalMs]));
    },
  );

  test("reads every 10 s by default", async () => {
    const read = reads({ status: "initializing" });
    const sleep = fakeSleep();
    await expect(waitForOriginPull(read, host, { timeoutMs: 20_000, sleep })).rejects.toThrow(
      new Error(notDeployed(20, "initializing")),
    );
    expect(sleep.mock.calls).toEqual([[10_000], [10_000]]);
  });

  test("sleeps for real without a sleep function", async () => {
    const read = reads({ status: "pending_deployment" }, { status: "pending_deployment" }, { status: "active" });
    const started = Date.now();
    await waitForOriginPull(read, host, { timeoutMs: 1_000, intervalMs: 40 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    expect(read).toHaveBeenCalledTimes(3);
  });
});

describe("validateOriginAuthenticationArgs", () => {
  const args = (changes: Partial<OriginAuthenticationArgs>): OriginAuthenticationArgs => ({
    zoneId: ZONE_ID,
    hostnames: ["api.acme-app.com"],
    certificate: { create: true },
    ...changes,
  });
  const problems = (a: OriginAuthenticationArgs, name = "origin") =>
    problemsOf("OriginAuthentication", name, () => validateOriginAuthenticationArgs(name, a));
  const hosts = (n: number) => Array.from({ length: n }, (_, i) => `api-${i}.acme-app.com`);

  test.each<[string, OriginAuthenticationArgs]>([
    ["one hostname", args({})],
    ["100 hostnames", args({ hostnames: hosts(100) })],
    ["another stack's certificate", args({ certificate: { existingCertificateId: "c" } })],
    ["a timeout of 60 s", args({ activationTimeoutSeconds: 60 })],
    ["a timeout of 3600 s", args({ activationTimeoutSeconds: 3600 })],
    ["no timeout", args({ activationTimeoutSeconds: undefined })],
  ])("accepts %s", (_, a) => {
    expect(problems(a)).toEqual([]);
  });

  const count = (n: number) =>
    `hostnames must list 1 to 100 names, the most Cloudflare associates with one certificate (got ${n})`;
  const timeout = (n: number) => `activationTimeoutSeconds must be a whole number from 60 to 3600 (got ${n})`;
  test.each<[string, OriginAuthenticationArgs, string]>([
    ["no hostname", args({ hostnames: [] }), count(0)],
    ["101 hostnames", args({ hostnames: hosts(101) }), count(101)],
    [
      "a wildcard and a capital",
      args({ hostnames: ["*.acme-app.com", "API.acme-app.com", "ok.acme-app.com"] }),
      "hostnames must be lowercase DNS names, no wildcards (got *.acme-app.com, API.acme-app.com)",
    ],
    ["a repeat", args({ hostnames: ["a.acme-app.com", "a.acme-app.com"] }), "hostnames must not repeat"],
    [
      "both certificates",
      args({ certificate: { create: true, existingCertificateId: "c" } as never }),
      "certificate must be { create: true } or { existingCertificateId }, exactly one",
    ],
    [
      "neither certificate",
      args({ certificate: {} as never }),
      "certificate must be { create: true } or { existingCertificateId }, exactly one",
    ],
    ["a timeout of 59 s", args({ activationTimeoutSeconds: 59 }), timeout(59)],
    ["a timeout of 3601 s", args({ activationTimeoutSeconds: 3601 }), timeout(3601)],
    ["a timeout of 60.5 s", args({ activationTimeoutSeconds: 60.5 }), timeout(60.5)],
  ])("rejects %s, alone, in exact words", (_, a, problem) => {
    expect(problems(a)).toEqual([problem]);
  });

  test("every problem at once, in order, under the component's name", () => {
    expect(
      problems(
        args({
          hostnames: ["*.acme-app.com", "*.acme-app.com"],
          certificate: {} as never,
          activationTimeoutSeconds: 0,
        }),
        "edge",
      ),
    ).toEqual([
      "hostnames must be lowercase DNS names, no wildcards (got *.acme-app.com, *.acme-app.com)",
      "hostnames must not repeat",
      "certificate must be { create: true } or { existingCertificateId }, exactly one",
      timeout(0),
    ]);
  });

  test("the component checks its args before declaring anything", async () => {
    const error = await recordProgram(STACK, async () => {
      new OriginAuthentication("origin", args({ hostnames: [] }));
      return {};
    }).then(
      () => undefined,
      (e: Error & { declared?: RecordedResource[] }) => e,
    );
    expect(error?.message).toBe(`OriginAuthentication "origin" has invalid args:\n  - ${count(0)}`);
    expect(error?.declared?.filter((x) => x.name.startsWith("origin"))).toEqual([]);
  });
});

describe("cloudflareOriginPrefixLists", () => {
  let result: SynthResult;
  const lookups: Array<{ token: string; args: unknown; provider: unknown }> = [];
  let cloudflareProvider: cloudflare.Provider;
  beforeAll(async () => {
    const invoke = pulumi.runtime.invokeOutput;
    const spy = jest.spyOn(pulumi.runtime, "invokeOutput").mockImplementation((token, props, opts, ref) => {
      lookups.push({ token, args: props, provider: opts?.provider });
      return invoke(token, props, opts, ref);
    });
    try {
      ({ result } = await build(async () => {
        const awsProvider = new aws.Provider("edge-aws", { region: "eu-west-1" });
        cloudflareProvider = new cloudflare.Provider("edge-cloudflare", { apiToken: "t".repeat(40) });
        return { ...cloudflareOriginPrefixLists("edge", { aws: awsProvider, cloudflare: cloudflareProvider }) };
      }));
    } finally {
      spy.mockRestore();
    }
  });

  test("one list per family, sized with room to grow, Cloudflare's ranges sorted, on the AWS provider given", () => {
    const provider = resource(result, "pulumi:providers:aws", "edge-aws").urn;
    const v4 = resource(result, T.prefixList, "edge-ipv4");
    const v6 = resource(result, T.prefixList, "edge-ipv6");
    const entries = (cidrs: string[]) => cidrs.map((cidr) => ({ cidr, description: "Cloudflare" }));
    expect(v4.inputs).toEqual({
      name: "edge-cloudflare-ipv4",
      addressFamily: "IPv4",
      maxEntries: 25,
      entries: entries(["103.21.244.0/22", "103.22.200.0/22", "104.16.0.0/13", "172.64.0.0/13", "173.245.48.0/20"]),
    });
    expect(v6.inputs).toEqual({
      name: "edge-cloudflare-ipv6",
      addressFamily: "IPv6",
      maxEntries: 12,
      entries: entries(["2400:cb00::/32", "2606:4700::/32", "2803:f800::/32"]),
    });
    expect([v4.provider, v6.provider]).toEqual([provider, provider]);
    expect(result.outputs).toEqual({ ipv4: v4.id, ipv6: v6.id });
  });

  test("the ranges are read once, through the Cloudflare provider given", () => {
    expect(lookups).toEqual([
      {
        token: "cloudflare:index/getIpRanges:getIpRanges",
        args: { networks: undefined },
        provider: cloudflareProvider,
      },
    ]);
  });
});
