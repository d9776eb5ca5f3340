// What must exist before the first `pulumi up` of any stack, run once with `pulumi login --local` (see
// docs/first-deploy.md): the self-managed state backend (a private, versioned, encrypted S3 bucket and the KMS key
// that encrypts stack secrets), the CI's AWS side (GitHub's OIDC provider and three roles, one per kind of job), and,
// optionally, the Cloudflare zone every stack adopts. All stateful pieces are protected.
import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport } from "../components/iam";
import { auditTrail } from "./audit-trail";
import { ciRoles } from "./ci-roles";

const config = new pulumi.Config();
const name =
  config.get("bucketName") ?? `${pulumi.getOrganization()}-pulumi-state`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
const protect = { protect: true };

const key = new aws.kms.Key(
  "secrets",
  {
    description: "Pulumi stack secrets and state bucket encryption",
    enableKeyRotation: true,
    deletionWindowInDays: 30,
  },
  protect,
);
new aws.kms.Alias("secrets", { name: "alias/pulumi-secrets", targetKeyId: key.keyId });

const bucket = new aws.s3.Bucket("state", { bucket: name }, protect);
new aws.s3.BucketVersioning("state", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
new aws.s3.BucketServerSideEncryptionConfiguration("state", {
  bucket: bucket.id,
  rules: [
    {
      applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
      bucketKeyEnabled: true,
    },
  ],
});
new aws.s3.BucketPublicAccessBlock("state", {
  bucket: bucket.id,
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
});
new aws.s3.BucketOwnershipControls("state", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
// Old versions are the undo history of the state: kept 90 days.
new aws.s3.BucketLifecycleConfiguration("state", {
  bucket: bucket.id,
  rules: [
    {
      id: "expire-old-state-versions",
      status: "Enabled",
      filter: {},
      noncurrentVersionExpiration: { noncurrentDays: 90 },
      abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
    },
  ],
});
new aws.s3.BucketPolicy("state", {
  bucket: bucket.id,
  policy: bucket.arn.apply((arn) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [denyInsecureTransport(arn)],
    }),
  ),
});

// --- CI: GitHub's OIDC provider and the roles its jobs assume (docs/ci.md) -------------------------------------------
const repository = config.get("githubRepository");
const ci =
  repository === undefined ? undefined : ciRoles({ repository, stateBucketArn: bucket.arn, secretsKeyArn: key.arn });

// --- the account's audit trail (skip it where an AWS Organizations trail covers the account) ------------------------
const trail = config.getBoolean("organizationTrail") === true ? undefined : auditTrail({ stateBucketArn: bucket.arn });

// --- the Cloudflare zone every stack adopts (optional; its token needs Zone · Zone · Edit on the account) ------------
const zoneName = config.get("domain");
const cloudflareAccountId = config.get("cloudflareAccountId");
const zone =
  zoneName === undefined || cloudflareAccountId === undefined
    ? undefined
    : new cloudflare.Zone(
        "zone",
        { name: zoneName, account: { id: cloudflareAccountId }, type: "full" },
        // It holds every record of every environment.
        protect,
      );

export const backendUrl = pulumi.interpolate`s3://${bucket.bucket}`;
export const secretsProvider = pulumi.interpolate`awskms://alias/pulumi-secrets?region=${aws.getRegionOutput().region}`;
export const deployRoleArn = ci?.deploy.arn;
export const previewRoleArn = ci?.preview.arn;
export const readOnlyRoleArn = ci?.readOnly.arn;
/** Set as `dns.zoneId` in every stack file. */
export const zoneId = zone?.id;
/** Set these at the registrar before the first deploy: ACM validation waits for the delegation. */
export const nameServers = zone?.nameServers;
/** The account's multi-region audit trail (absent with `organizationTrail: true`). */
export const auditTrailArn = trail?.arn;
