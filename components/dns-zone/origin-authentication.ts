import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { denyInsecureTransport } from "../iam";
import { namingScope, physicalName } from "../naming";
import { transform, type Transform } from "../transform";
import { HOSTNAME, throwIfInvalid } from "../validation";

/**
 * How long the certificates live. The CA outlives many client certificates: replacing it means a bundle that trusts
 * both CAs for a while (docs/security.md), so it is long-lived and never renewed by `pulumi up`. The client
 * certificate is renewed by the first `pulumi up` in its last 30 days (a new one is uploaded, the hostnames switch to
 * it, then the old one is deleted); it chains to the same CA, so the load balancer accepts both meanwhile.
 */
export const ORIGIN_PULL_VALIDITY = {
  caHours: 10 * 365 * 24,
  clientHours: 365 * 24,
  clientRenewBeforeHours: 30 * 24,
} as const;

/** Cloudflare's limits (API reference, per-hostname authenticated origin pulls). */
export const ORIGIN_PULL_LIMITS = {
  /** Hostname certificates per zone. */
  certificatesPerZone: 10,
  /** Hostnames associated with one certificate. */
  hostnamesPerCertificate: 100,
} as const;

/** What the association reports while Cloudflare deploys it, and once it is in use. */
const DEPLOYING = new Set(["initializing", "pending_deployment"]);
const ACTIVE = "active";

/** The key under which the CA bundle is stored in its bucket. */
export const CA_BUNDLE_KEY = "cloudflare-origin-pull-ca.pem";

/** Arguments of {@link OriginAuthentication}. */
export interface OriginAuthenticationArgs {
  /** The Cloudflare zone of the hostnames. */
  readonly zoneId: pulumi.Input<string>;
  /** Proxied hostnames for which Cloudflare presents the client certificate to the origin (1 to 100). */
  readonly hostnames: readonly string[];
  /**
   * `create`: a CA of this stack, a client certificate it signs (uploaded to Cloudflare) and the load balancer's trust
   * store holding the CA. `existingCertificateId`: associate the hostnames with another stack's uploaded certificate
   * (a preview behind staging's load balancer uses staging's; Cloudflare allows 10 hostname certificates per zone,
   * but 100 hostnames per certificate).
   */
  readonly certificate:
    | {
        readonly create: true;
        /**
         * Keep a replaced certificate in the zone (the yearly renewal replaces it): other stacks that use it by id
         * (previews, with staging's) keep working until they are deployed again. Old certificates are then deleted by
         * hand (Cloudflare allows 10 per zone).
         * @default false
         */
        readonly keepReplaced?: boolean;
      }
    | { readonly existingCertificateId: pulumi.Input<string> };
  /** How long `pulumi up` waits for Cloudflare to deploy an association before it fails. @default 900 */
  readonly activationTimeoutSeconds?: number;
  /** Tags of the AWS resources (the bundle's bucket and the trust store). */
  readonly tags?: Readonly<Record<string, string>>;
  readonly transform?: {
    readonly bundleBucket?: Transform<aws.s3.BucketArgs>;
    readonly trustStore?: Transform<aws.lb.TrustStoreArgs>;
    readonly hostnameCertificate?: Transform<cloudflare.AuthenticatedOriginPullsHostnameCertificateArgs>;
  };
}

/**
 * Authenticated origin pulls with a certificate of this app, not Cloudflare's shared one: Cloudflare presents a
 * client certificate for each of `hostnames` when it connects to the origin, and the load balancer's listener, in
 * mutual-TLS verify mode against `trustStoreArn`, refuses every connection without it. Only this zone's proxied
 * traffic carries the certificate, so another Cloudflare customer pointing a name of their own at the load balancer
 * is refused, which the source-address lockdown alone cannot do.
 */
export class OriginAuthentication extends pulumi.ComponentResource {
  /** The uploaded client certificate's id in the zone (staging shares it with its previews). */
  public readonly certificateId: pulumi.Output<string>;
  /**
   * The trust store's ARN, available once Cloudflare presents the certificate for every hostname (`create` only): a
   * listener that takes it requires client certificates only when Cloudflare sends them.
   */
  public readonly trustStoreArn: pulumi.Output<string> | undefined;
  /** The CA the load balancer trusts (`create` only). */
  public readonly caCertificatePem: pulumi.Output<string> | undefined;
  /** Resolves once every hostname's association is active: a record or route for them waits on it. */
  public readonly ready: pulumi.Output<string[]>;

  constructor(name: string, args: OriginAuthenticationArgs, opts?: pulumi.ComponentResourceOptions) {
    validateOriginAuthenticationArgs(name, args);
    super("saas-platform:components:OriginAuthentication", name, { hostnames: [...args.hostnames] }, opts);
    const t = args.transform ?? {};
    const childOpts: pulumi.CustomResourceOptions = { parent: this };
    const scope = namingScope();
    const tags = { ...(args.tags ?? {}) };

    let ca: tls.SelfSignedCert | undefined;
    if ("create" in args.certificate) {
      // RSA 2048: both the load balancer's trust store and Cloudflare's upload accept it.
      const caKey = new tls.PrivateKey(`${name}-ca`, { algorithm: "RSA", rsaBits: 2048 }, { ...childOpts });
      ca = new tls.SelfSignedCert(
        `${name}-ca`,
        {
          privateKeyPem: caKey.privateKeyPem,
          isCaCertificate: true,
          allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
          subject: { commonName: `${scope.project} ${scope.stack} origin-pull CA`, organization: scope.project },
          validityPeriodHours: ORIGIN_PULL_VALIDITY.caHours,
        },
        { ...childOpts },
      );
      const clientKey = new tls.PrivateKey(`${name}-client`, { algorithm: "RSA", rsaBits: 2048 }, { ...childOpts });
      const request = new tls.CertRequest(
        `${name}-client`,
        {
          privateKeyPem: clientKey.privateKeyPem,
          subject: { commonName: `cloudflare-origin-pull.${scope.stack}`, organization: scope.project },
        },
        { ...childOpts },
      );
      const client = new tls.LocallySignedCert(
        `${name}-client`,
        {
          certRequestPem: request.certRequestPem,
          caCertPem: ca.certPem,
          caPrivateKeyPem: caKey.privateKeyPem,
          allowedUses: ["digital_signature", "key_encipherment", "client_auth"],
          validityPeriodHours: ORIGIN_PULL_VALIDITY.clientHours,
          earlyRenewalHours: ORIGIN_PULL_VALIDITY.clientRenewBeforeHours,
        },
        { ...childOpts },
      );
      // Cloudflare takes the leaf (it refuses a CA: "missing leaf certificate"). A renewed certificate is uploaded
      // before the old one is deleted, and the hostnames switch to it in between.
      const uploaded = new cloudflare.AuthenticatedOriginPullsHostnameCertificate(
        ...transform(
          t.hostnameCertificate,
          `${name}-certificate`,
          { zoneId: args.zoneId, certificate: client.certPem, privateKey: pulumi.secret(clientKey.privateKeyPem) },
          { ...childOpts, ...(args.certificate.keepReplaced === true ? { retainOnDelete: true } : {}) },
        ),
      );
      this.certificateId = uploaded.id;
      this.caCertificatePem = ca.certPem;
    } else {
      this.certificateId = pulumi.output(args.certificate.existingCertificateId);
      this.caCertificatePem = undefined;
    }

    const zoneId = pulumi.output(args.zoneId);
    const timeout = (args.activationTimeoutSeconds ?? 900) * 1000;
    const active = args.hostnames.map((hostname) => {
      const association = new cloudflare.AuthenticatedOriginPulls(
        `${name}-${hostname}`,
        // One hostname per resource: the provider refuses more (it manages a single association).
        { zoneId, configs: [{ hostname, certId: this.certificateId, enabled: true }] },
        { ...childOpts },
      );
      // The provider returns as soon as Cloudflare accepted the association, which it then deploys to its edge for
      // minutes (status pending_deployment): whoever relies on the certificate being sent waits for "active".
      return pulumi
        .all([zoneId, association.id, association.certId])
        .apply(([zone]) =>
          pulumi.runtime.isDryRun()
            ? hostname
            : waitForOriginPull(
                () => cloudflare.getAuthenticatedOriginPulls({ zoneId: zone, hostname }, { parent: this }),
                hostname,
                { timeoutMs: timeout },
              ).then(() => hostname),
        );
    });
    this.ready = pulumi.all(active);

    if (ca !== undefined) {
      const bucket = new aws.s3.Bucket(
        ...transform(
          t.bundleBucket,
          `${name}-bundle`,
          // It holds a public certificate only: nothing to keep when the stack goes.
          { forceDestroy: true, tags },
          { ...childOpts },
        ),
      );
      new aws.s3.BucketPublicAccessBlock(
        `${name}-bundle`,
        {
          bucket: bucket.id,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
        { ...childOpts },
      );
      new aws.s3.BucketOwnershipControls(
        `${name}-bundle`,
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        { ...childOpts },
      );
      new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-bundle`,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        { ...childOpts },
      );
      // Versioned: the trust store names the object version it was built from, so a new CA is a new version.
      const versioning = new aws.s3.BucketVersioning(
        `${name}-bundle`,
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        { ...childOpts },
      );
      new aws.s3.BucketLifecycleConfiguration(
        `${name}-bundle`,
        {
          bucket: bucket.id,
          rules: [
            {
              id: "expire-old-bundles",
              status: "Enabled",
              filter: {},
              noncurrentVersionExpiration: { noncurrentDays: 90 },
              abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
            },
          ],
        },
        { ...childOpts, dependsOn: [versioning] },
      );
      new aws.s3.BucketPolicy(
        `${name}-bundle`,
        {
          bucket: bucket.id,
          policy: bucket.arn.apply((arn) =>
            JSON.stringify({ Version: "2012-10-17", Statement: [denyInsecureTransport(arn)] }),
          ),
        },
        { ...childOpts },
      );
      const bundle = new aws.s3.BucketObjectv2(
        `${name}-ca-bundle`,
        {
          bucket: bucket.id,
          key: CA_BUNDLE_KEY,
          content: ca.certPem,
          contentType: "application/x-pem-file",
          tags,
        },
        { ...childOpts, dependsOn: [versioning] },
      );
      const trustStore = new aws.lb.TrustStore(
        ...transform(
          t.trustStore,
          `${name}-trust-store`,
          {
            name: physicalName(scope, name, "trustStore"),
            caCertificatesBundleS3Bucket: bundle.bucket,
            caCertificatesBundleS3Key: bundle.key,
            caCertificatesBundleS3ObjectVersion: bundle.versionId,
            tags,
          },
          { ...childOpts },
        ),
      );
      this.trustStoreArn = pulumi.all([trustStore.arn, this.ready]).apply(([arn]) => arn);
    } else {
      this.trustStoreArn = undefined;
    }

    this.registerOutputs({
      certificateId: this.certificateId,
      trustStoreArn: this.trustStoreArn,
      caCertificatePem: this.caCertificatePem,
    });
  }
}

/** What Cloudflare reports for a hostname's association (the fields {@link waitForOriginPull} reads). */
export interface OriginPullStatus {
  readonly status: string;
  readonly certStatus?: string;
  readonly enabled?: boolean;
}

/**
 * Reads the association until Cloudflare reports it (and its certificate) active. Fails at once on a status that
 * will not become active (a timed-out deployment, a deleted certificate), and after `timeoutMs` otherwise.
 */
export async function waitForOriginPull(
  read: () => Promise<OriginPullStatus>,
  hostname: string,
  options: { readonly timeoutMs: number; readonly intervalMs?: number; readonly sleep?: (ms: number) => Promise<void> },
): Promise<void> {
  const interval = options.intervalMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let waited = 0;
  for (;;) {
    const s = await read();
    const certificate = s.certStatus ?? ACTIVE;
    if (s.status === ACTIVE && certificate === ACTIVE && s.enabled !== false) return;
    const pending = [s.status, certificate].every((x) => x === ACTIVE || DEPLOYING.has(x));
    if (!pending || s.enabled === false) {
      throw new Error(
        `Cloudflare reports the origin-pull certificate of ${hostname} as ${s.status} (certificate ${certificate}${s.enabled === false ? ", disabled" : ""}); it will not become active: see docs/components/dns-zone.md#authenticated-origin-pulls`,
      );
    }
    if (waited >= options.timeoutMs) {
      throw new Error(
        `Cloudflare has not deployed the origin-pull certificate of ${hostname} after ${Math.round(waited / 1000)} s (status ${s.status}); the load balancer keeps admitting connections without it. Run \`pulumi up\` again later`,
      );
    }
    await sleep(interval);
    waited += interval;
  }
}

/** Every problem with the args at once, before any child is declared. */
export function validateOriginAuthenticationArgs(name: string, args: OriginAuthenticationArgs): void {
  const problems: string[] = [];
  const hostnames = args.hostnames;
  if (hostnames.length < 1 || hostnames.length > ORIGIN_PULL_LIMITS.hostnamesPerCertificate) {
    problems.push(
      `hostnames must list 1 to ${ORIGIN_PULL_LIMITS.hostnamesPerCertificate} names, the most Cloudflare associates with one certificate (got ${hostnames.length})`,
    );
  }
  const bad = hostnames.filter((h) => !HOSTNAME.test(h));
  if (bad.length > 0) problems.push(`hostnames must be lowercase DNS names, no wildcards (got ${bad.join(", ")})`);
  if (new Set(hostnames).size !== hostnames.length) problems.push("hostnames must not repeat");
  const certificate = args.certificate as { create?: unknown; existingCertificateId?: unknown };
  if ((certificate.create === undefined) === (certificate.existingCertificateId === undefined)) {
    problems.push("certificate must be { create: true } or { existingCertificateId }, exactly one");
  }
  const timeout = args.activationTimeoutSeconds;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 60 || timeout > 3600)) {
    problems.push(`activationTimeoutSeconds must be a whole number from 60 to 3600 (got ${timeout})`);
  }
  throwIfInvalid("OriginAuthentication", name, problems);
}
