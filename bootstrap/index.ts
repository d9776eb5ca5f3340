// The self-managed state backend: a private, versioned, encrypted S3 bucket for Pulumi state, and the KMS key that
// encrypts stack secrets (`--secrets-provider awskms://...`). Run once per account with `pulumi login --local`;
// see docs/state-backend.md. Both are protected: losing them loses every stack's state.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

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
    }),
  ),
});

export const backendUrl = pulumi.interpolate`s3://${bucket.bucket}`;
export const secretsProvider = pulumi.interpolate`awskms://alias/pulumi-secrets?region=${aws.getRegionOutput().region}`;
