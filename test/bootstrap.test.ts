// The state-backend bootstrap program, run under the same recorder as the stacks.
import { recordProgram, type SynthResult } from "../infra/synth/synth";
import { resource } from "./helpers/synth";

let result: SynthResult;
beforeAll(async () => {
  result = await recordProgram(
    {
      project: "saas-platform-bootstrap",
      stack: "state",
      config: { "saas-platform-bootstrap:bucketName": "acme-pulumi-state" },
      secretKeys: [],
    },
    // The runtime turns a program's exports into stack outputs; here the test hands them over.
    async () => ({ ...(await import("../bootstrap/index")) }),
  );
});

test("the state bucket is versioned, KMS-encrypted, private, TLS-only and protected", () => {
  const bucket = resource(result, "aws:s3/bucket:Bucket", "state");
  expect(bucket.inputs["bucket"]).toBe("acme-pulumi-state");
  expect(bucket.options.protect).toBe(true);
  expect(
    resource(result, "aws:s3/bucketVersioning:BucketVersioning", "state").inputs["versioningConfiguration"],
  ).toEqual({ status: "Enabled" });
  const key = resource(result, "aws:kms/key:Key", "secrets");
  expect(key.options.protect).toBe(true);
  expect(key.inputs["enableKeyRotation"]).toBe(true);
  expect(
    resource(result, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "state")
      .inputs["rules"],
  ).toEqual([
    {
      applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.state!["arn"] },
      bucketKeyEnabled: true,
    },
  ]);
  expect(resource(result, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "state").inputs).toMatchObject({
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const policy = JSON.parse(String(resource(result, "aws:s3/bucketPolicy:BucketPolicy", "state").inputs["policy"]));
  expect(policy.Statement[0]).toMatchObject({
    Effect: "Deny",
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  });
});

test("it outputs the backend URL and the secrets provider to use", () => {
  expect(result.outputs).toEqual({
    backendUrl: "s3://acme-pulumi-state",
    secretsProvider: "awskms://alias/pulumi-secrets?region=eu-west-1",
  });
});
