// Who encrypts what: the stack's logs key for every log group, the database's key for both data stores and their
// secrets (one data key per stack), as the security issue asked for (docs/security.md).
import { ofType, resource, useStacks } from "../helpers/synth";

const r = useStacks();
const keyArn = (env: string, name: string) => resource(r(env), "aws:kms/key:Key", name).state!["arn"];

test.each(["staging", "production"])("%s: every log group is encrypted with the stack's logs key", (env) => {
  const groups = ofType(r(env), "aws:cloudwatch/logGroup:LogGroup");
  expect(groups.map((g) => g.name).sort()).toEqual(
    ["api-logs", "cache-slow-log", "database-log-postgresql", "database-log-upgrade", "network-flow-logs"].sort(),
  );
  for (const g of groups) expect(g.inputs["kmsKeyId"]).toBe(keyArn(env, "network-flow-logs"));
  const policy = JSON.parse(String(resource(r(env), "aws:kms/key:Key", "network-flow-logs").inputs["policy"]));
  // Only CloudWatch Logs of this account and region, and only for log groups, may use it.
  expect(policy.Statement[1]).toMatchObject({
    Principal: { Service: "logs.eu-west-1.amazonaws.com" },
    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*" } },
  });
});

test.each(["staging", "production", "preview"])(
  "%s: the database's key encrypts the cache at rest and both URL secrets",
  (env) => {
    const dataKey = keyArn(env, "database-key");
    expect(resource(r(env), "aws:elasticache/replicationGroup:ReplicationGroup", "cache").inputs["kmsKeyId"]).toBe(
      dataKey,
    );
    for (const name of ["database-url", "cache-url"]) {
      expect(resource(r(env), "aws:secretsmanager/secret:Secret", name).inputs["kmsKeyId"]).toBe(dataKey);
    }
    // The tasks decrypt both through Secrets Manager with that one key.
    const policy = JSON.parse(
      String(resource(r(env), "aws:iam/rolePolicy:RolePolicy", "api-execution").inputs["policy"]),
    ) as { Statement: Array<{ Sid: string; Resource: unknown }> };
    expect(policy.Statement.find((s) => s.Sid === "DecryptSecrets")!.Resource).toEqual([dataKey]);
  },
);

test.each(["staging", "production", "preview"])(
  "%s: the account administers the data key but may use it only through RDS, Secrets Manager, ElastiCache and Backup",
  (env) => {
    const policy = JSON.parse(String(resource(r(env), "aws:kms/key:Key", "database-key").inputs["policy"])) as {
      Statement: Array<{ Sid: string; Principal: unknown; Action: string[]; Condition?: unknown }>;
    };
    expect(policy.Statement.map((s) => s.Sid)).toEqual(["KeyAdministration", "UseThroughDataServices"]);
    const [admin, use] = policy.Statement;
    expect(admin!.Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
    expect(admin!.Action.some((a) => /Encrypt|Decrypt|GenerateDataKey/.test(a))).toBe(false);
    expect(use!.Action).toEqual([
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:CreateGrant",
      "kms:ListGrants",
    ]);
    expect(use!.Condition).toEqual({
      StringEquals: {
        "kms:ViaService": [
          "rds.eu-west-1.amazonaws.com",
          "secretsmanager.eu-west-1.amazonaws.com",
          "elasticache.eu-west-1.amazonaws.com",
          "backup.eu-west-1.amazonaws.com",
        ],
      },
    });
  },
);
