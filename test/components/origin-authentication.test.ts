import {
  OriginAuthentication,
  validateOriginAuthenticationArgs,
  waitForOriginPull,
  type OriginAuthenticationArgs,
} from "../../components/dns-zone";
import { CA_BUNDLE_KEY, ORIGIN_PULL_VALIDITY } from "../../components/dns-zone/origin-authentication";
import { validateApiServiceArgs } from "../../components/api-service";
import { evaluate } from "../../policy/evaluate";
import { recordProgram, synthesizeConfig, type SynthResult } from "../../synth/synth";
import { SHARED_PLATFORM_OUTPUT } from "../../stacks/shared-platform";
import { ofType, previewConfig, resource, synthConfig, useStacks, variant } from "../helpers/synth";

const T = {
  component: "saas-platform:components:OriginAuthentication",
  key: "tls:index/privateKey:PrivateKey",
  ca: "tls:index/selfSignedCert:SelfSignedCert",
  client: "tls:index/locallySignedCert:LocallySignedCert",
  upload: "cloudflare:index/authenticatedOriginPullsHostnameCertificate:AuthenticatedOriginPullsHostnameCertificate",
  association: "cloudflare:index/authenticatedOriginPulls:AuthenticatedOriginPulls",
  bucket: "aws:s3/bucket:Bucket",
  object: "aws:s3/bucketObjectv2:BucketObjectv2",
  trustStore: "aws:lb/trustStore:TrustStore",
  listener: "aws:lb/listener:Listener",
  record: "cloudflare:index/dnsRecord:DnsRecord",
  zone: "saas-platform:components:DnsZone",
} as const;

const r = useStacks();
const ZONE = "fedcba9876543210fedcba9876543210";
/** Staging opted in (the small preset leaves it off), and pr-42 against that staging's outputs. */
let stagingOn: SynthResult;
let previewOn: SynthResult;
beforeAll(async () => {
  stagingOn = await synthConfig(variant("staging", { dns: { zoneId: ZONE, authenticatedOriginPulls: true } }));
  previewOn = await synthesizeConfig(previewConfig(42), {
    stackOutputs: { "organization/saas-platform/staging": stagingOn.outputs },
  });
});
const on = (env: string): SynthResult => (env === "staging" ? stagingOn : r(env));

describe("the API's origin accepts only this zone's origin pulls", () => {
  test.each([
    ["production", "api.acme-app.com"],
    ["staging", "api-staging.acme-app.com"],
  ])("%s: the HTTPS listener verifies client certificates against the trust store of its own CA", (env, host) => {
    const result = on(env);
    const trustStore = resource(result, T.trustStore, "origin-trust-store");
    const https = resource(result, T.listener, "api-https");
    expect(https.inputs["mutualAuthentication"]).toEqual({
      mode: "verify",
      trustStoreArn: expect.stringMatching(/^arn:aws:elasticloadbalancing:eu-west-1:123456789012:truststore\//),
      ignoreClientCertificateExpiry: false,
    });
    // The listener asks for certificates only after the trust store exists and Cloudflare sends the certificate.
    const association = resource(result, T.association, `origin-${host}`);
    expect(https.propertyDependencies["mutualAuthentication"]).toEqual(
      expect.arrayContaining([trustStore.urn, association.urn]),
    );
  });

  test("the trust store reads the CA bundle from its own bucket: the CA that signed the uploaded certificate", () => {
    const result = r("production");
    const [bucket, object, trustStore] = [
      resource(result, T.bucket, "origin-bundle"),
      resource(result, T.object, "origin-ca-bundle"),
      resource(result, T.trustStore, "origin-trust-store"),
    ];
    const ca = resource(result, T.ca, "origin-ca");
    const client = resource(result, T.client, "origin-client");
    expect(object.inputs["key"]).toBe(CA_BUNDLE_KEY);
    expect(object.inputs["content"]).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(object.propertyDependencies["bucket"]).toEqual([bucket.urn]);
    expect(object.propertyDependencies["content"]).toEqual([ca.urn]);
    expect(trustStore.inputs).toMatchObject({ caCertificatesBundleS3Key: CA_BUNDLE_KEY });
    expect(trustStore.propertyDependencies["caCertificatesBundleS3Bucket"]).toEqual([object.urn]);
    // Pinned to the object's version: a new CA is a new version, which the trust store picks up in place.
    expect(trustStore.propertyDependencies["caCertificatesBundleS3ObjectVersion"]).toEqual([object.urn]);
    expect(client.propertyDependencies["caCertPem"]).toEqual([ca.urn]);
    expect(ca.inputs).toMatchObject({ isCaCertificate: true, validityPeriodHours: ORIGIN_PULL_VALIDITY.caHours });
    expect(client.inputs).toMatchObject({
      allowedUses: ["digital_signature", "key_encipherment", "client_auth"],
      validityPeriodHours: 8760,
      earlyRenewalHours: 720,
    });
  });

  test("Cloudflare gets the leaf certificate and its key (secret), and presents it for the API's name only", () => {
    const result = r("production");
    const upload = resource(result, T.upload, "origin-certificate");
    const client = resource(result, T.client, "origin-client");
    expect(upload.propertyDependencies["certificate"]).toEqual([client.urn]);
    expect(upload.secretInputs).toContain("privateKey");
    expect(upload.inputs["zoneId"]).toBe("fedcba9876543210fedcba9876543210");
    const associations = ofType(result, T.association);
    expect(associations.map((a) => a.inputs["configs"])).toEqual([
      [{ hostname: "api.acme-app.com", certId: expect.any(String), enabled: true }],
    ]);
    expect(associations[0]!.propertyDependencies["configs"]).toEqual([upload.urn]);
  });

  test("the API's proxied record resolves only once Cloudflare presents the certificate for it", () => {
    const result = r("production");
    const record = resource(result, T.record, "dns-api-api.acme-app.com");
    const association = resource(result, T.association, "origin-api.acme-app.com");
    expect(record.inputs["proxied"]).toBe(true);
    expect(record.propertyDependencies["content"]).toContain(association.urn);
  });

  test("staging opted in shares its uploaded certificate with previews; production's zone records the default (on)", () => {
    const upload = resource(stagingOn, T.upload, "origin-certificate");
    const shared = stagingOn.outputs[SHARED_PLATFORM_OUTPUT] as { originAuthentication?: unknown };
    expect(shared.originAuthentication).toEqual({ certificateId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(upload.urn).toContain("origin-certificate");
    // A renewal replaces the certificate: staging keeps the old one for the previews that still use it by id.
    expect(upload.options.retainOnDelete).toBe(true);
    expect(resource(r("production"), T.upload, "origin-certificate").options.retainOnDelete).toBeUndefined();
    expect(resource(r("production"), T.zone, "dns").inputs["authenticatedOriginPulls"]).toBe(true);
  });

  test("the small staging leaves it off (its budget), recorded on the zone as the exception, and so do its previews", async () => {
    expect(ofType(r("staging"), T.component)).toEqual([]);
    expect(resource(r("staging"), T.listener, "api-https").inputs["mutualAuthentication"]).toBeUndefined();
    expect(resource(r("staging"), T.zone, "dns").inputs["authenticatedOriginPulls"]).toBe(false);
    expect(r("staging").outputs[SHARED_PLATFORM_OUTPUT] as object).not.toHaveProperty("originAuthentication");
    expect(ofType(r("preview"), T.association)).toEqual([]);
    expect(await evaluate(r("staging").resources)).toEqual([]);
  });

  test("a preview associates its own name with staging's certificate and makes no CA, bucket or trust store", () => {
    const preview = previewOn;
    const shared = stagingOn.outputs[SHARED_PLATFORM_OUTPUT] as { originAuthentication: { certificateId: string } };
    expect(ofType(preview, T.association).map((a) => a.inputs["configs"])).toEqual([
      [{ hostname: "api-pr-42.acme-app.com", certId: shared.originAuthentication.certificateId, enabled: true }],
    ]);
    for (const type of [T.key, T.ca, T.client, T.upload, T.bucket, T.object, T.trustStore]) {
      expect(ofType(preview, type)).toEqual([]);
    }
    const record = resource(preview, T.record, "dns-api-api-pr-42.acme-app.com");
    expect(record.propertyDependencies["content"]).toEqual([
      resource(preview, T.association, "origin-api-pr-42.acme-app.com").urn,
    ]);
  });

  test("dev makes none of it", () => {
    expect(ofType(r("dev"), T.component)).toEqual([]);
  });
});

describe("turning it off", () => {
  test("dns.authenticatedOriginPulls: false leaves the listener without mutual TLS, recorded as the opt-out", async () => {
    const result = await synthConfig(
      variant("production", { dns: { zoneId: "fedcba9876543210fedcba9876543210", authenticatedOriginPulls: false } }),
    );
    expect(ofType(result, T.component)).toEqual([]);
    expect(resource(result, T.listener, "api-https").inputs["mutualAuthentication"]).toBeUndefined();
    expect(resource(result, T.zone, "dns").inputs["authenticatedOriginPulls"]).toBe(false);
    expect(await evaluate(result.resources)).toEqual([]);
  });

  test("an unproxied API gets no client-certificate check (it would refuse every client)", async () => {
    const result = await synthConfig(
      variant("production", { dns: { zoneId: "fedcba9876543210fedcba9876543210", proxied: false } }),
    );
    expect(ofType(result, T.component)).toEqual([]);
    expect(resource(result, T.listener, "api-https").inputs["mutualAuthentication"]).toBeUndefined();
    // The load balancer's 80 and 443 are open to the internet, which the pack allows on its security group only.
    expect(await evaluate(result.resources)).toEqual([]);
  });

  test("a preview cannot go unproxied behind a staging listener that verifies certificates", async () => {
    const error = await synthesizeConfig(previewConfig(42, { dns: { zoneId: ZONE, proxied: false } }), {
      stackOutputs: { "organization/saas-platform/staging": stagingOn.outputs },
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toContain(
      "pr-42 joins the load balancer of staging, whose listener admits only Cloudflare's client certificate: its API needs a dns section with proxied: true in Pulumi.pr-42.yaml",
    );
  });
});

describe("waiting for Cloudflare", () => {
  const statuses = (...list: Array<{ status: string; certStatus?: string; enabled?: boolean }>) => {
    let i = 0;
    const read = jest.fn(async () => list[Math.min(i++, list.length - 1)]!);
    return read;
  };
  const sleep = jest.fn(async () => undefined);

  test("reads until the association and its certificate are active", async () => {
    const read = statuses(
      { status: "pending_deployment", certStatus: "pending_deployment" },
      { status: "active", certStatus: "pending_deployment" },
      { status: "active", certStatus: "active", enabled: true },
    );
    await waitForOriginPull(read, "api.acme-app.com", { timeoutMs: 60_000, intervalMs: 10_000, sleep });
    expect(read).toHaveBeenCalledTimes(3);
  });

  test("fails at once on a status that will not become active", async () => {
    const read = statuses({ status: "deployment_timed_out", certStatus: "active" });
    await expect(waitForOriginPull(read, "api.acme-app.com", { timeoutMs: 60_000, sleep })).rejects.toThrow(
      "Cloudflare reports the origin-pull certificate of api.acme-app.com as deployment_timed_out (certificate active); it will not become active",
    );
    expect(read).toHaveBeenCalledTimes(1);
  });

  test("fails on a disabled association", async () => {
    const read = statuses({ status: "active", certStatus: "active", enabled: false });
    await expect(waitForOriginPull(read, "api.acme-app.com", { timeoutMs: 60_000, sleep })).rejects.toThrow(
      /as active \(certificate active, disabled\)/,
    );
  });

  test("gives up after the timeout, saying the listener still admits connections without a certificate", async () => {
    const read = statuses({ status: "pending_deployment" });
    await expect(
      waitForOriginPull(read, "api.acme-app.com", { timeoutMs: 30_000, intervalMs: 10_000, sleep }),
    ).rejects.toThrow(
      "Cloudflare has not deployed the origin-pull certificate of api.acme-app.com after 30 s (status pending_deployment); the load balancer keeps admitting connections without it",
    );
    expect(read).toHaveBeenCalledTimes(4);
  });
});

test("ApiService refuses a trust store for a listener it does not own", () => {
  expect(() =>
    validateApiServiceArgs("api", {
      target: "aws",
      network: {} as never,
      image: { image: "ghcr.io/acme/api:1" },
      certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x",
      clientCertificateTrustStoreArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:truststore/t/1",
      sharedLoadBalancer: {
        clusterArn: "c",
        clusterName: "c",
        loadBalancerArn: "l",
        loadBalancerArnSuffix: "l",
        loadBalancerDnsName: "l",
        loadBalancerZoneId: "z",
        securityGroupId: "sg",
        httpsListenerArn: "h",
        hostnames: ["api-pr-1.acme-app.com"],
        priority: 1,
      },
    }),
  ).toThrow(
    "clientCertificateTrustStoreArn is for an own load balancer: a service joining another stack's listener gets that listener's mutual TLS",
  );
});

describe("OriginAuthentication args", () => {
  const args = (changes: Partial<OriginAuthenticationArgs>): OriginAuthenticationArgs => ({
    zoneId: "fedcba9876543210fedcba9876543210",
    hostnames: ["api.acme-app.com"],
    certificate: { create: true },
    ...changes,
  });

  test("every problem at once, before anything is declared", () => {
    expect(() =>
      validateOriginAuthenticationArgs(
        "origin",
        args({
          hostnames: ["*.acme-app.com", "*.acme-app.com"],
          certificate: { create: true, existingCertificateId: "x" } as never,
          activationTimeoutSeconds: 5,
        }),
      ),
    ).toThrow(
      [
        'OriginAuthentication "origin" has invalid args:',
        "  - hostnames must be lowercase DNS names, no wildcards (got *.acme-app.com, *.acme-app.com)",
        "  - hostnames must not repeat",
        "  - certificate must be { create: true } or { existingCertificateId }, exactly one",
        "  - activationTimeoutSeconds must be a whole number from 60 to 3600 (got 5)",
      ].join("\n"),
    );
    expect(() => validateOriginAuthenticationArgs("origin", args({ hostnames: [] }))).toThrow(
      "hostnames must list 1 to 100 names, the most Cloudflare associates with one certificate (got 0)",
    );
  });

  test("by default the component makes its own CA and trust store, and waits for every name", async () => {
    const result = await recordProgram(
      { project: "saas-platform", stack: "test", config: {}, secretKeys: [] },
      async () => {
        const origin = new OriginAuthentication("origin", {
          zoneId: "fedcba9876543210fedcba9876543210",
          hostnames: ["api.acme-app.com", "api-2.acme-app.com"],
          certificate: { create: true },
        });
        return { trustStoreArn: origin.trustStoreArn, ready: origin.ready };
      },
    );
    expect(ofType(result, T.trustStore)).toHaveLength(1);
    expect(ofType(result, T.association)).toHaveLength(2);
    expect(result.outputs["ready"]).toEqual(["api.acme-app.com", "api-2.acme-app.com"]);
    expect(result.outputs["trustStoreArn"]).toMatch(/:truststore\/saas-platform-test-origin\//);
  });
});
