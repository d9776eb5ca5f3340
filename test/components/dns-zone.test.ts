import * as aws from "@pulumi/aws";
import { evaluate } from "../../policy/evaluate";
import { DnsZone, validateDnsZoneArgs } from "../../components/dns-zone";
import { recordProgram } from "../../synth/synth";
import { ofType, resource, useStacks } from "../helpers/synth";

const T = {
  zone: "cloudflare:index/zone:Zone",
  setting: "cloudflare:index/zoneSetting:ZoneSetting",
  dnssec: "cloudflare:index/zoneDnssec:ZoneDnssec",
  record: "cloudflare:index/dnsRecord:DnsRecord",
  ruleset: "cloudflare:index/ruleset:Ruleset",
  certificate: "aws:acm/certificate:Certificate",
  validation: "aws:acm/certificateValidation:CertificateValidation",
  prefixList: "aws:ec2/managedPrefixList:ManagedPrefixList",
  alb: "aws:lb/loadBalancer:LoadBalancer",
} as const;

const r = useStacks();
const records = (env: string) =>
  ofType(r(env), T.record)
    .filter((x) => x.inputs["type"] !== "CAA" && !x.name.startsWith("dns-acm-"))
    .map((x) => ({
      name: x.inputs["name"],
      type: x.inputs["type"],
      content: x.inputs["content"],
      proxied: x.inputs["proxied"],
    }))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));

describe("the production zone", () => {
  test("is adopted by id (bootstrap/ creates it), and production manages it", () => {
    expect(ofType(r("production"), T.zone)).toEqual([]);
    expect(r("production").outputs["dnsZoneId"]).toBe("fedcba9876543210fedcba9876543210");
    expect(ofType(r("production"), T.setting).length).toBeGreaterThan(0);
    expect(ofType(r("staging"), T.setting)).toEqual([]);
  });

  test("when the component creates the zone, it is protected and gives its name servers", async () => {
    const result = await program({
      zone: { create: { name: "acme-app.com", accountId: "0123456789abcdef0123456789abcdef" } },
    });
    const zone = resource(result, T.zone, "dns-zone");
    expect(zone.inputs).toEqual({
      name: "acme-app.com",
      account: { id: "0123456789abcdef0123456789abcdef" },
      type: "full",
    });
    expect(zone.options.protect).toBe(true);
  });

  test("enforces strict TLS, HTTPS only, TLS >= 1.2, TLS 1.3, HTTPS rewrites, HTTP/3 and Brotli, one setting each", () => {
    const settings = Object.fromEntries(
      ofType(r("production"), T.setting).map((x) => [x.inputs["settingId"], x.inputs["value"]]),
    );
    expect(settings).toEqual({
      ssl: "strict",
      always_use_https: "on",
      min_tls_version: "1.2",
      tls_1_3: "on",
      automatic_https_rewrites: "on",
      http3: "on",
      brotli: "on",
    });
    for (const s of ofType(r("production"), T.setting)) {
      expect(s.inputs["zoneId"]).toBe("fedcba9876543210fedcba9876543210");
    }
  });

  test("signs the zone with DNSSEC and exports the DS record for the registrar", () => {
    expect(resource(r("production"), T.dnssec, "dns-dnssec").inputs["status"]).toBe("active");
    expect(String(r("production").outputs["dnsDsRecord"])).toMatch(/ IN DS \d+ 13 2 [0-9A-F]{64}$/);
  });

  test("allows only Cloudflare's and Amazon's CAs to issue, for names and wildcards", () => {
    const caa = ofType(r("production"), T.record).filter((x) => x.inputs["type"] === "CAA");
    expect(
      caa
        .map(
          (x) =>
            `${String((x.inputs["data"] as { tag: string }).tag)} ${String((x.inputs["data"] as { value: string }).value)}`,
        )
        .sort(),
    ).toEqual(
      // The CAs of Cloudflare's edge certificates, then Amazon's (ACM) under each name it issues as.
      ["letsencrypt.org", "pki.goog", "ssl.com", "amazon.com", "amazontrust.com", "awstrust.com", "amazonaws.com"]
        .flatMap((i) => [`issue ${i}`, `issuewild ${i}`])
        .sort(),
    );
    for (const x of caa) expect(x.inputs).toMatchObject({ name: "acme-app.com", data: { flags: 0 } });
  });

  test("points the apex and www at Vercel unproxied, and the API at the load balancer proxied", () => {
    expect(records("production")).toEqual([
      { name: "acme-app.com", type: "A", content: "76.76.21.21", proxied: false },
      {
        name: "api.acme-app.com",
        type: "CNAME",
        // The load balancer is IPv6-only behind Cloudflare: its AAAA records are under the `dualstack.` name.
        content: `dualstack.${String(resource(r("production"), T.alb, "api-alb").state!["dnsName"])}`,
        proxied: true,
      },
      { name: "www.acme-app.com", type: "CNAME", content: "cname.vercel-dns.com", proxied: false },
    ]);
  });

  test("on the default Free plan, one rule of 10 s on the authentication paths, without the host", () => {
    const ruleset = resource(r("production"), T.ruleset, "dns-rate-limits");
    expect(ruleset.inputs).toMatchObject({ kind: "zone", phase: "http_ratelimit" });
    expect(
      (ruleset.inputs["rules"] as Array<Record<string, unknown>>).map((x) => [
        x["expression"],
        x["action"],
        x["ratelimit"],
      ]),
    ).toEqual([
      [
        '(starts_with(http.request.uri.path, "/auth") or starts_with(http.request.uri.path, "/login") or starts_with(http.request.uri.path, "/signup") or starts_with(http.request.uri.path, "/password"))',
        "block",
        { characteristics: ["cf.colo.id", "ip.src"], period: 10, requestsPerPeriod: 5, mitigationTimeout: 10 },
      ],
    ]);
  });

  test("DNSSEC is protected in production and its pending status does not show as drift", () => {
    const dnssec = resource(r("production"), "cloudflare:index/zoneDnssec:ZoneDnssec", "dns-dnssec");
    expect(dnssec.inputs["status"]).toBe("active");
    expect(dnssec.options).toEqual({ protect: true, ignoreChanges: ["status"] });
  });

  test("adds the security headers to every response, HSTS with preload", () => {
    const ruleset = resource(r("production"), T.ruleset, "dns-security-headers");
    expect(ruleset.inputs).toMatchObject({ kind: "zone", phase: "http_response_headers_transform" });
    const [rule] = ruleset.inputs["rules"] as Array<{
      expression: string;
      action: string;
      actionParameters: { headers: object };
    }>;
    expect(rule!.expression).toBe("true");
    expect(rule!.action).toBe("rewrite");
    expect(rule!.actionParameters.headers).toEqual({
      "Strict-Transport-Security": { operation: "set", value: "max-age=31536000; includeSubDomains; preload" },
      "X-Content-Type-Options": { operation: "set", value: "nosniff" },
      "X-Frame-Options": { operation: "set", value: "DENY" },
      "Referrer-Policy": { operation: "set", value: "strict-origin-when-cross-origin" },
      "Permissions-Policy": { operation: "set", value: "camera=(), microphone=(), geolocation=(), payment=()" },
    });
  });
});

describe.each([
  ["production", "api.acme-app.com"],
  ["staging", "api-staging.acme-app.com"],
  ["preview", "api-pr-42.acme-app.com"],
])("the %s API certificate", (env, host) => {
  test(`covers ${host} and is validated through unproxied, short-lived records in the zone`, () => {
    const certificate = resource(r(env), T.certificate, "dns-api-certificate");
    expect(certificate.inputs).toMatchObject({
      domainName: host,
      subjectAlternativeNames: [],
      validationMethod: "DNS",
    });
    const option = (certificate.state!["domainValidationOptions"] as Array<Record<string, string>>)[0]!;
    const record = resource(r(env), T.record, `dns-acm-${host}`);
    expect(record.inputs).toMatchObject({
      name: option["resourceRecordName"]!.replace(/\.$/, ""),
      type: "CNAME",
      content: option["resourceRecordValue"]!.replace(/\.$/, ""),
      proxied: false,
      ttl: 60,
    });
    const validation = resource(r(env), T.validation, "dns-api-certificate");
    expect(validation.inputs).toEqual({
      certificateArn: certificate.state!["arn"],
      validationRecordFqdns: [record.inputs["name"]],
    });
    expect(validation.dependencies).toContain(record.urn);
  });
});

describe("staging and previews", () => {
  test("adopt production's zone and leave its settings, DNSSEC, CAA and rulesets alone", () => {
    for (const env of ["staging", "preview"]) {
      for (const type of [T.zone, T.setting, T.dnssec, T.ruleset]) expect(ofType(r(env), type)).toEqual([]);
      expect(ofType(r(env), T.record).filter((x) => x.inputs["type"] === "CAA")).toEqual([]);
      for (const x of ofType(r(env), T.record)) expect(x.inputs["zoneId"]).toBe("fedcba9876543210fedcba9876543210");
    }
  });

  test("add only their own hostnames", () => {
    expect(records("staging").map((x) => [x.name, x.proxied])).toEqual([
      ["api-staging.acme-app.com", true],
      ["staging.acme-app.com", false],
    ]);
    // A preview without staging's Vercel project serves no frontend, so it gets no web record.
    expect(records("preview").map((x) => [x.name, x.proxied])).toEqual([["api-pr-42.acme-app.com", true]]);
  });
});

test("the origin lockdown lists are Cloudflare's ranges as the provider publishes them", () => {
  const lists = ofType(r("production"), T.prefixList);
  const v4 = lists.find((l) => l.inputs["addressFamily"] === "IPv4")!;
  const v6 = lists.find((l) => l.inputs["addressFamily"] === "IPv6")!;
  expect((v4.inputs["entries"] as Array<{ cidr: string }>).map((e) => e.cidr)).toEqual([
    "103.21.244.0/22",
    "103.22.200.0/22",
    "104.16.0.0/13",
    "172.64.0.0/13",
    "173.245.48.0/20",
  ]);
  expect((v6.inputs["entries"] as Array<{ cidr: string }>).map((e) => e.cidr)).toEqual([
    "2400:cb00::/32",
    "2606:4700::/32",
    "2803:f800::/32",
  ]);
  expect(v4.inputs["maxEntries"]).toBe(25);
});

const program = (args: Record<string, unknown>) =>
  recordProgram({ project: "saas-platform", stack: "test", config: {}, secretKeys: [] }, async () => {
    // As a stack declares it: an explicit AWS provider carrying the standard tags (the policy pack requires both).
    const provider = new aws.Provider("aws", {
      region: "eu-west-1",
      defaultTags: { tags: { Project: "saas-platform", Stack: "test", Environment: "staging", ManagedBy: "pulumi" } },
    });
    new DnsZone(
      "dns",
      {
        zone: { existingZoneId: "fedcba9876543210fedcba9876543210" },
        apexDomain: "acme-app.com",
        apiHostnames: ["api.test.acme-app.com"],
        ...args,
      },
      { providers: [provider] },
    );
    return {};
  });

describe("DnsZone args", () => {
  test("bad hostnames and limits are reported at once, before anything is declared", () => {
    expect(() =>
      validateDnsZoneArgs("dns", {
        zone: { create: { name: "acme-app.com", accountId: "acme" } },
        apexDomain: "acme-app.com",
        apiHostnames: ["API.acme-app.com", "api.other.com"],
        webHostnames: ["api.other.com"],
        rateLimits: {
          api: { requests: 100, periodSeconds: 60 },
          auth: { requests: 0, periodSeconds: 45, paths: ["auth"] },
        },
      }),
    ).toThrow(
      [
        'DnsZone "dns" has invalid args:',
        '  - zone.create.accountId must be a Cloudflare account id (32 hex characters) (got "acme")',
        "  - hostnames must be lowercase DNS names (got API.acme-app.com)",
        "  - hostnames must be in the zone acme-app.com (got api.other.com, api.other.com)",
        "  - a hostname must not be both an API and a web hostname, or repeat",
        "  - rateLimits.api.periodSeconds must be at most 10 on the Free plan, which Cloudflare limits to periods of 10 s (got 60); raise dns.plan if the zone has a higher plan",
        "  - rateLimits.auth.requests must be a positive integer (got 0)",
        "  - rateLimits.auth.periodSeconds must be a period Cloudflare offers: 10, 60, 120, 300, 600, 3600 (got 45)",
        "  - rateLimits.api needs a second rate-limiting rule, and the Free plan allows 1 (used by rateLimits.auth); remove it or raise dns.plan",
        "  - rateLimits.auth.paths must be URL paths such as /auth (got auth)",
      ].join("\n"),
    );
  });

  test("a proxied ACM validation record is refused with a clear error", async () => {
    const error = await program({
      transform: {
        record: (args: { proxied?: boolean }) => {
          args.proxied = true;
        },
      },
    }).then(
      () => undefined,
      (e: { message: string }) => e,
    );
    expect(error?.message).toContain(
      'DnsZone "dns": the ACM validation record dns-acm-api.test.acme-app.com must not be proxied (a transform set proxied: true); ACM cannot validate through Cloudflare\'s proxy',
    );
  });

  test("on Pro, custom rate limits and paths reach the ruleset, with the host; without preload HSTS omits it", async () => {
    const result = await program({
      manageZone: true,
      plan: "pro",
      rateLimits: {
        api: { requests: 1000, periodSeconds: 60 },
        auth: { requests: 10, periodSeconds: 60, paths: ["/v1/auth"] },
      },
    });
    const rules = resource(result, T.ruleset, "dns-rate-limits").inputs["rules"] as Array<{
      expression: string;
      ratelimit: { requestsPerPeriod: number; period: number; mitigationTimeout: number };
    }>;
    expect(
      rules.map((x) => [x.ratelimit.requestsPerPeriod, x.ratelimit.period, x.ratelimit.mitigationTimeout]),
    ).toEqual([
      [10, 60, 60],
      [1000, 60, 60],
    ]);
    expect(rules[0]!.expression).toBe(
      '((starts_with(http.host, "api.") or starts_with(http.host, "api-")) and (starts_with(http.request.uri.path, "/v1/auth")))',
    );
    expect(rules[1]!.expression).toBe('(starts_with(http.host, "api.") or starts_with(http.host, "api-"))');
    const headers = resource(result, T.ruleset, "dns-security-headers").inputs["rules"] as Array<{
      actionParameters: { headers: Record<string, { value: string }> };
    }>;
    expect(headers[0]!.actionParameters.headers["Strict-Transport-Security"]!.value).toBe(
      "max-age=31536000; includeSubDomains",
    );
  });

  test.each([
    ["free", 1, 10],
    ["pro", 2, 60],
    ["business", 2, 600],
  ] as const)("the %s plan's defaults fit the plan: %i rules, periods of at most %i s", async (plan, count, period) => {
    const result = await program({ manageZone: true, plan });
    const rules = resource(result, T.ruleset, "dns-rate-limits").inputs["rules"] as Array<{
      ratelimit: { period: number };
    }>;
    expect(rules).toHaveLength(count);
    expect(Math.max(...rules.map((x) => x.ratelimit.period))).toBeLessThanOrEqual(period);
    expect(await evaluate(result.resources)).toEqual([]);
  });
});

test("from the Pro plan the zone owner runs the Cloudflare Managed Ruleset; on Free, Cloudflare deploys its own", async () => {
  const pro = await program({ manageZone: true, plan: "pro" });
  expect(resource(pro, T.ruleset, "dns-waf").inputs).toMatchObject({
    kind: "zone",
    phase: "http_request_firewall_managed",
    rules: [{ action: "execute", actionParameters: { id: "efb7b8c949ac4650a09736fc376e9aee" }, expression: "true" }],
  });
  const free = await program({ manageZone: true });
  expect(ofType(free, T.ruleset).map((x) => x.name)).not.toContain("dns-waf");
});
