// kms-keys-no-direct-use, one condition at a time; and the stacks' keys as declared.
import { evaluate } from "../../policy/evaluate";
import { policies } from "../../policy/rules";
import { KEY_ADMINISTRATION } from "../../components/iam";
import { rec } from "./deployability-fixtures";
import { ofType, useStacks } from "../helpers/synth";

const rule = policies.filter((p) => p.name === "kms-keys-no-direct-use");
const ROOT = { AWS: "arn:aws:iam::123456789012:root" };
const admin = { Sid: "KeyAdministration", Effect: "Allow", Principal: ROOT, Action: KEY_ADMINISTRATION, Resource: "*" };
const key = (...statement: object[]) =>
  rec("aws:kms/key:Key", "k", { policy: JSON.stringify({ Version: "2012-10-17", Statement: statement }) });

test.each([
  ["the account may do anything (kms:*)", key({ Effect: "Allow", Principal: ROOT, Action: "kms:*", Resource: "*" })],
  [
    "the account may decrypt directly",
    key(admin, { Effect: "Allow", Principal: ROOT, Action: ["kms:Decrypt"], Resource: "*" }),
  ],
  [
    "a role may generate data keys directly",
    key(admin, {
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::123456789012:role/app" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
    }),
  ],
  ["no policy: the default one", rec("aws:kms/key:Key", "k", {})],
])("fails when %s", async (_what, record) => {
  expect(await evaluate([record], rule)).toHaveLength(1);
});

test.each([
  [
    "administration by the account, use by a service principal",
    key(admin, {
      Effect: "Allow",
      Principal: { Service: "logs.eu-west-1.amazonaws.com" },
      Action: ["kms:Encrypt*", "kms:Decrypt*"],
      Resource: "*",
    }),
  ],
  [
    "use by the account only through a service",
    key(admin, {
      Effect: "Allow",
      Principal: ROOT,
      Action: ["kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": "rds.eu-west-1.amazonaws.com" } },
    }),
  ],
  ["a denial", key(admin, { Effect: "Deny", Principal: ROOT, Action: "kms:Decrypt", Resource: "*" })],
])("passes %s", async (_what, record) => {
  expect(await evaluate([record], rule)).toEqual([]);
});

const r = useStacks();
test.each(["staging", "production", "preview"])("%s: every key lets the account administer it, not use it", (env) => {
  const keys = ofType(r(env), "aws:kms/key:Key");
  expect(keys.length).toBeGreaterThan(0);
  for (const k of keys) {
    const statements = (
      JSON.parse(String(k.inputs["policy"])) as { Statement: Array<{ Sid?: string; Action: unknown }> }
    ).Statement;
    expect(statements.find((s) => s.Sid === "KeyAdministration")?.Action).toEqual(KEY_ADMINISTRATION);
    expect(JSON.stringify(statements)).not.toContain('"kms:*"');
  }
});
