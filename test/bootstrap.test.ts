// The state-backend bootstrap program, run under the same recorder as the stacks.
import { recordProgram, type SynthResult } from "../synth/synth";
import { resource } from "./helpers/synth";
import { evaluate } from "../policy/evaluate";
import { policies } from "../policy/rules";

let result: SynthResult;
beforeAll(async () => {
  result = await recordProgram(
    {
      project: "saas-platform-bootstrap",
      stack: "state",
      config: {
        "saas-platform-bootstrap:bucketName": "acme-pulumi-state",
        "saas-platform-bootstrap:githubRepository": "acme/acme-app-infra",
        "saas-platform-bootstrap:domain": "acme-app.com",
        "saas-platform-bootstrap:cloudflareAccountId": "0123456789abcdef0123456789abcdef",
      },
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

test("it outputs the backend URL, the secrets provider, the CI roles and the zone", () => {
  expect(result.outputs).toMatchObject({
    backendUrl: "s3://acme-pulumi-state",
    secretsProvider: "awskms://alias/pulumi-secrets?region=eu-west-1",
    deployRoleArn: resource(result, T.role, "ci-deploy").state!["arn"],
    previewRoleArn: resource(result, T.role, "ci-preview").state!["arn"],
    readOnlyRoleArn: resource(result, T.role, "ci-read-only").state!["arn"],
    zoneId: resource(result, "cloudflare:index/zone:Zone", "zone").id,
  });
});

const T = { role: "aws:iam/role:Role", attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment" } as const;
const subjects = (name: string): unknown => {
  const trust = JSON.parse(String(resource(result, T.role, name).inputs["assumeRolePolicy"]));
  expect(trust.Statement[0].Action).toBe("sts:AssumeRoleWithWebIdentity");
  expect(trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"]).toBe(
    "sts.amazonaws.com",
  );
  return trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"];
};

test("each CI role trusts only its GitHub environments, never a branch or a pull request", () => {
  expect(subjects("ci-deploy")).toEqual([
    "repo:acme/acme-app-infra:environment:staging",
    "repo:acme/acme-app-infra:environment:production",
  ]);
  expect(subjects("ci-preview")).toEqual(["repo:acme/acme-app-infra:environment:preview"]);
  expect(subjects("ci-read-only")).toEqual([
    "repo:acme/acme-app-infra:environment:pr-plan",
    "repo:acme/acme-app-infra:environment:drift",
  ]);
  expect(resource(result, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github").inputs).toMatchObject({
    url: "https://token.actions.githubusercontent.com",
    clientIdLists: ["sts.amazonaws.com"],
  });
});

test("writers may not change the CI identity or the state backend; the read-only role only reads", () => {
  const oidc = resource(result, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github").state!["arn"];
  const bucket = resource(result, "aws:s3/bucket:Bucket", "state").state!["arn"];
  const key = resource(result, "aws:kms/key:Key", "secrets").state!["arn"];
  for (const name of ["ci-deploy", "ci-preview"]) {
    const fencePolicy = resource(result, "aws:iam/rolePolicy:RolePolicy", `${name}-fence`);
    expect(fencePolicy.inputs["role"]).toBe(resource(result, T.role, name).id);
    const fence = JSON.parse(String(fencePolicy.inputs["policy"])) as {
      Statement: Array<{ Effect: string; Action: string[]; Resource: unknown }>;
    };
    // What each deny must cover, on which resource: the OIDC provider, the CI roles' trust and permissions, the
    // state bucket and the secrets key.
    expect(fence.Statement.map((x) => [x.Effect, x.Resource])).toEqual([
      ["Deny", oidc],
      ["Deny", "arn:aws:iam::*:role/ci-*"],
      ["Deny", bucket],
      ["Deny", key],
    ]);
    const [identity, roles, backend, secrets] = fence.Statement.map((x) => x.Action);
    expect(identity).toEqual(["iam:*OpenIDConnectProvider*"]);
    expect(roles).toEqual(
      expect.arrayContaining(["iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePolicy"]),
    );
    expect(backend).toEqual(
      expect.arrayContaining(["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:PutBucketVersioning"]),
    );
    expect(secrets).toEqual(expect.arrayContaining(["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"]));
    expect(
      result.resources
        .filter((r) => r.type === T.attachment && r.name.startsWith(name))
        .map((r) => r.inputs["policyArn"]),
    ).toEqual(["arn:aws:iam::aws:policy/AdministratorAccess"]);
  }
  const attached = (role: string) =>
    result.resources
      .filter((r) => r.type === T.attachment && r.name.startsWith(role))
      .map((r) => r.inputs["policyArn"]);
  expect(attached("ci-read-only")).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
  const extra = JSON.parse(
    String(resource(result, "aws:iam/rolePolicy:RolePolicy", "ci-read-only-state").inputs["policy"]),
  );
  for (const statement of extra.Statement) {
    expect(([] as string[]).concat(statement.Action).every((a) => /:(Get|List|Decrypt)/.test(a))).toBe(true);
  }
});

test("the zone is protected: it holds every environment's records", () => {
  const zone = resource(result, "cloudflare:index/zone:Zone", "zone");
  expect(zone.inputs).toMatchObject({ name: "acme-app.com", account: { id: "0123456789abcdef0123456789abcdef" } });
  expect(zone.options.protect).toBe(true);
});

test("the repository may be named as GitHub's id-carrying OIDC subjects name it", async () => {
  const { GITHUB_REPOSITORY, trustPolicy } = await import("../bootstrap/ci-roles");
  expect(GITHUB_REPOSITORY.test("acme/acme-app-infra")).toBe(true);
  expect(GITHUB_REPOSITORY.test("acme@1234/acme-app-infra@5678")).toBe(true);
  expect(GITHUB_REPOSITORY.test("acme")).toBe(false);
  const trust = JSON.parse(trustPolicy("arn:oidc", "acme@1234/infra@5678", ["staging"]));
  expect(trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toEqual([
    "repo:acme@1234/infra@5678:environment:staging",
  ]);
});

describe("the account's audit trail", () => {
  test("covers every region, validates its files, encrypts them, and logs reads and writes of the state", async () => {
    const trail = resource(result, "aws:cloudtrail/trail:Trail", "audit-trail");
    expect(trail.inputs).toMatchObject({
      name: "account-audit",
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      kmsKeyId: resource(result, "aws:kms/key:Key", "audit-trail").state!["arn"],
    });
    const selectors = trail.inputs["advancedEventSelectors"] as Array<{
      fieldSelectors: Array<Record<string, unknown>>;
    }>;
    expect(selectors[1]!.fieldSelectors).toContainEqual({
      field: "resources.ARN",
      startsWiths: [`${String(resource(result, "aws:s3/bucket:Bucket", "state").state!["arn"])}/`],
    });
    expect(trail.options.protect).toBe(true);
    const rule = policies.filter((p) => p.name === "cloudtrail-baseline");
    expect(await evaluate(result.resources, rule)).toEqual([]);
  });

  test("only this trail may write to its bucket and use its key", async () => {
    const trailArn = "arn:aws:cloudtrail:eu-west-1:123456789012:trail/account-audit";
    type Doc = {
      Statement: Array<{ Sid: string; Action: unknown; Condition: Record<string, Record<string, unknown>> }>;
    };
    const bucketPolicy = JSON.parse(
      String(resource(result, "aws:s3/bucketPolicy:BucketPolicy", "audit-trail").inputs["policy"]),
    ) as Doc;
    for (const sid of ["CloudTrailAclCheck", "CloudTrailWrite"]) {
      const statement = bucketPolicy.Statement.find((s) => s.Sid === sid)!;
      expect(statement.Condition["StringEquals"]!["aws:SourceArn"]).toBe(trailArn);
    }
    const keyPolicy = JSON.parse(String(resource(result, "aws:kms/key:Key", "audit-trail").inputs["policy"])) as Doc;
    const encrypt = keyPolicy.Statement.find((s) => s.Sid === "CloudTrailEncrypts")!;
    expect(encrypt.Condition["StringEquals"]!["aws:SourceArn"]).toBe(trailArn);
    expect(encrypt.Action).toBe("kms:GenerateDataKey*");
    // The account administers the key and reads log files only through S3; no principal uses it directly.
    const read = keyPolicy.Statement.find((s) => s.Sid === "ReadLogFilesThroughS3")!;
    expect(read.Action).toBe("kms:Decrypt");
    expect(read.Condition["StringEquals"]).toEqual({ "kms:ViaService": "s3.eu-west-1.amazonaws.com" });
    const rule = policies.filter((p) => p.name === "kms-keys-no-direct-use");
    expect(await evaluate([resource(result, "aws:kms/key:Key", "audit-trail")], rule)).toEqual([]);
  });
});
