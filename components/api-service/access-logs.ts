import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport } from "../iam";
import { transform } from "../transform";
import type { ServiceContext } from "./aws-args";

/** The load balancer's access logs: a private, encrypted bucket the ELB service may write to, expiring old logs. */
export function accessLogBucket({ name, args, parent, region, accountId }: ServiceContext): {
  bucket: pulumi.Output<string>;
  policy: aws.s3.BucketPolicy;
} {
  const bucket = new aws.s3.Bucket(
    ...transform(
      args.transform?.accessLogBucket,
      `${name}-access-logs`,
      { forceDestroy: !args.protect, tags: { ...args.tags } },
      { parent },
    ),
  );
  new aws.s3.BucketPublicAccessBlock(
    `${name}-access-logs`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    { parent },
  );
  new aws.s3.BucketOwnershipControls(
    `${name}-access-logs`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    { parent },
  );
  // ALB access logs support SSE-S3 only (not KMS).
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-access-logs`,
    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
    { parent },
  );
  // Versioned, so a log that is overwritten or deleted (by mistake or to hide an access) stays recoverable until it
  // expires like the rest.
  const versioning = new aws.s3.BucketVersioning(
    `${name}-access-logs`,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    { parent },
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-access-logs`,
    {
      bucket: bucket.id,
      rules: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: {},
          expiration: { days: args.accessLogRetentionDays },
          noncurrentVersionExpiration: { noncurrentDays: args.accessLogRetentionDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        },
      ],
    },
    // After versioning, as the provider documents for the lifecycle of a versioned bucket.
    { parent, dependsOn: [versioning] },
  );
  const elbAccount = aws.elb.getServiceAccountOutput({}, { parent }).arn;
  const policy = new aws.s3.BucketPolicy(
    `${name}-access-logs`,
    {
      bucket: bucket.id,
      policy: pulumi.all([bucket.arn, elbAccount, accountId, region]).apply(([arn, elb, account]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ElbWritesAccessLogs",
              Effect: "Allow",
              Principal: { AWS: elb },
              Action: "s3:PutObject",
              Resource: `${arn}/${name}/AWSLogs/${account}/*`,
            },
            {
              Sid: "LogDeliveryWritesAccessLogs",
              Effect: "Allow",
              Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
              Action: "s3:PutObject",
              Resource: `${arn}/${name}/AWSLogs/${account}/*`,
            },
            denyInsecureTransport(arn),
          ],
        }),
      ),
    },
    { parent },
  );
  return { bucket: bucket.bucket, policy };
}
