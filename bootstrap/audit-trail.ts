/**
 * The account's audit trail: one multi-region CloudTrail trail with log-file validation, encrypted with its own key,
 * written to a private, versioned bucket, with data events for the state bucket (who read or changed a stack's
 * state). Skip it (`organizationTrail: true`) where an AWS Organizations trail already covers the account.
 * Sources: AWS CloudTrail User Guide, "Amazon S3 bucket policy for CloudTrail" and "Configure AWS KMS key policies
 * for CloudTrail" (the `aws:SourceArn` and `kms:EncryptionContext:aws:cloudtrail:arn` conditions).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, KEY_ADMINISTRATION, viaService } from "../components/iam";

export const TRAIL_NAME = "account-audit";
/** Days the trail's log files are kept (then deleted); CloudTrail's own event history keeps 90 days. */
export const TRAIL_RETENTION_DAYS = 365;

export function auditTrail(args: { readonly stateBucketArn: pulumi.Input<string> }): aws.cloudtrail.Trail {
  const protect = { protect: true };
  const identity = aws.getCallerIdentityOutput({});
  const region = aws.getRegionOutput({}).region;
  const partition = aws.getPartitionOutput({}).partition;
  const trailArn = pulumi.interpolate`arn:${partition}:cloudtrail:${region}:${identity.accountId}:trail/${TRAIL_NAME}`;

  const key = new aws.kms.Key(
    "audit-trail",
    {
      description: "Encrypts the account's CloudTrail log files",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: pulumi.all([identity.accountId, trailArn, partition, region]).apply(([account, trail, p, r]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              // The account administers the key; nobody encrypts with it but CloudTrail.
              Sid: "KeyAdministration",
              Effect: "Allow",
              Principal: { AWS: `arn:${p}:iam::${account}:root` },
              Action: KEY_ADMINISTRATION,
              Resource: "*",
            },
            {
              // Reading a log file: S3 decrypts it for a principal IAM allows to read the bucket (CloudTrail User
              // Guide, "Configure AWS KMS key policies for CloudTrail": decrypt permissions for log readers).
              Sid: "ReadLogFilesThroughS3",
              Effect: "Allow",
              Principal: { AWS: `arn:${p}:iam::${account}:root` },
              Action: "kms:Decrypt",
              Resource: "*",
              Condition: {
                StringEquals: { "kms:ViaService": viaService("s3", r) },
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${p}:cloudtrail:*:${account}:trail/*` },
              },
            },
            {
              Sid: "CloudTrailEncrypts",
              Effect: "Allow",
              Principal: { Service: "cloudtrail.amazonaws.com" },
              Action: "kms:GenerateDataKey*",
              Resource: "*",
              Condition: {
                StringEquals: { "aws:SourceArn": trail },
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${p}:cloudtrail:*:${account}:trail/*` },
              },
            },
            {
              Sid: "CloudTrailDescribes",
              Effect: "Allow",
              Principal: { Service: "cloudtrail.amazonaws.com" },
              Action: "kms:DescribeKey",
              Resource: "*",
              Condition: { StringEquals: { "aws:SourceArn": trail } },
            },
          ],
        }),
      ),
    },
    protect,
  );

  const bucket = new aws.s3.Bucket("audit-trail", { forceDestroy: false }, protect);
  new aws.s3.BucketVersioning("audit-trail", {
    bucket: bucket.id,
    versioningConfiguration: { status: "Enabled" },
  });
  // CloudTrail encrypts its log files with the trail's key itself; the bucket's default (for digest files, which
  // CloudTrail writes with SSE-S3) stays S3-managed, so the key policy need not admit S3 Bucket Keys.
  new aws.s3.BucketServerSideEncryptionConfiguration("audit-trail", {
    bucket: bucket.id,
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
  });
  new aws.s3.BucketPublicAccessBlock("audit-trail", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new aws.s3.BucketOwnershipControls("audit-trail", {
    bucket: bucket.id,
    rule: { objectOwnership: "BucketOwnerEnforced" },
  });
  new aws.s3.BucketLifecycleConfiguration("audit-trail", {
    bucket: bucket.id,
    rules: [
      {
        id: "expire-trail-logs",
        status: "Enabled",
        filter: {},
        expiration: { days: TRAIL_RETENTION_DAYS },
        noncurrentVersionExpiration: { noncurrentDays: TRAIL_RETENTION_DAYS },
      },
    ],
  });
  const bucketPolicy = new aws.s3.BucketPolicy("audit-trail", {
    bucket: bucket.id,
    policy: pulumi.all([bucket.arn, identity.accountId, trailArn]).apply(([arn, account, trail]) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "CloudTrailAclCheck",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: arn,
            Condition: { StringEquals: { "aws:SourceArn": trail } },
          },
          {
            Sid: "CloudTrailWrite",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${arn}/AWSLogs/${account}/*`,
            Condition: { StringEquals: { "aws:SourceArn": trail, "s3:x-amz-acl": "bucket-owner-full-control" } },
          },
          denyInsecureTransport(arn),
        ],
      }),
    ),
  });

  return new aws.cloudtrail.Trail(
    "audit-trail",
    {
      name: TRAIL_NAME,
      s3BucketName: bucket.id,
      kmsKeyId: key.arn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      advancedEventSelectors: [
        {
          name: "Management events",
          fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }],
        },
        {
          name: "Reads and writes of the Pulumi state",
          fieldSelectors: [
            { field: "eventCategory", equals: ["Data"] },
            { field: "resources.type", equals: ["AWS::S3::Object"] },
            { field: "resources.ARN", startsWiths: [pulumi.interpolate`${args.stateBucketArn}/`] },
          ],
        },
      ],
    },
    // CloudTrail checks the bucket policy when the trail is created.
    { dependsOn: [bucketPolicy], protect: true },
  );
}
