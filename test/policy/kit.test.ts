import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import {
  actionCovers,
  defaultTagsOf,
  environmentNamed,
  environmentOf,
  hasViaService,
  KEY_USE_ACTIONS,
  keyUseGranted,
  projectNameOf,
  stackNameOf,
  stackRule,
  statements,
} from "../../policy/kit";

const aws = (defaultTags: unknown) => ({ type: "pulumi:providers:aws", props: { defaultTags } });

describe("environmentNamed", () => {
  test("only a whole pr-<n> name is a preview", () => {
    expect(environmentNamed("pr-1")).toBe("preview");
    expect(environmentNamed("xpr-1")).toBeUndefined();
    expect(environmentNamed("pr-1x")).toBeUndefined();
  });

  test("dev, staging and production are themselves; other names decide nothing", () => {
    expect(environmentNamed("dev")).toBe("dev");
    expect(environmentNamed("staging")).toBe("staging");
    expect(environmentNamed("production")).toBe("production");
    expect(environmentNamed("")).toBeUndefined();
    expect(environmentNamed("eu")).toBeUndefined();
  });
});

describe("defaultTagsOf", () => {
  test("an AWS provider's tags, from JSON text or an object", () => {
    expect(defaultTagsOf(aws(JSON.stringify({ tags: { Environment: "dev" } })))).toEqual({ Environment: "dev" });
    expect(defaultTagsOf(aws({ tags: { Team: "core" } }))).toEqual({ Team: "core" });
  });

  test("no tags object is no tags", () => {
    expect(defaultTagsOf(aws(JSON.stringify({ tags: null })))).toEqual({});
    expect(defaultTagsOf(aws(JSON.stringify({ tags: "Environment=dev" })))).toEqual({});
    expect(defaultTagsOf(aws(JSON.stringify({})))).toEqual({});
    expect(defaultTagsOf(aws(undefined))).toEqual({});
  });

  test("invalid JSON text is no tags", () => {
    expect(defaultTagsOf(aws("{not json"))).toEqual({});
  });

  test("other providers have no default tags", () => {
    expect(defaultTagsOf({ type: "pulumi:providers:cloudflare", props: { defaultTags: "{}" } })).toBeUndefined();
    expect(defaultTagsOf(undefined)).toBeUndefined();
  });
});

describe("URN parts", () => {
  test("the stack is the first part without the urn:pulumi: prefix, which only counts at the start", () => {
    expect(stackNameOf("urn:pulumi:dev::saas-platform::t::n")).toBe("dev");
    expect(stackNameOf("dev::saas-platform::t::n")).toBe("dev");
    expect(stackNameOf("x-urn:pulumi:dev::saas-platform::t::n")).toBe("x-urn:pulumi:dev");
  });

  test("the project is the second part, or empty", () => {
    expect(projectNameOf("urn:pulumi:dev::saas-platform::t::n")).toBe("saas-platform");
    expect(projectNameOf("urn:pulumi:dev")).toBe("");
  });

  test("environmentOf falls back to the name, then to dev", () => {
    expect(environmentOf("urn:pulumi:pr-7::p::t::n", aws(JSON.stringify({ tags: null })))).toBe("preview");
    expect(environmentOf("urn:pulumi:eu::p::t::n")).toBe("dev");
  });
});

describe("stackRule", () => {
  const resource = (type: string, stack: string, props: Record<string, unknown> = {}) =>
    ({ type, props, urn: `urn:pulumi:${stack}::p::${type}::n`, name: "n" }) as unknown as PolicyResource;
  const run = (resources: PolicyResource[]) => {
    const messages: string[] = [];
    const policy = stackRule({
      name: "r",
      description: "d",
      environments: ["production"],
      check: (_resources, report) => report("checked"),
    });
    void policy.validateStack({ resources } as unknown as StackValidationArgs, (m) => messages.push(m));
    return messages;
  };

  test("the environment is the AWS provider's Environment tag, wherever the provider is in the list", () => {
    const provider = resource("pulumi:providers:aws", "eu", {
      defaultTags: JSON.stringify({ tags: { Environment: "production" } }),
    });
    expect(run([resource("aws:s3/bucket:Bucket", "eu"), provider])).toEqual(["checked"]);
  });

  test("without a tagged provider, the stack name decides", () => {
    expect(run([resource("aws:s3/bucket:Bucket", "eu")])).toEqual([]);
    expect(run([resource("aws:s3/bucket:Bucket", "production")])).toEqual(["checked"]);
  });
});

describe("statements", () => {
  test("a policy document's statements, as a list", () => {
    const s = { Effect: "Allow", Action: "s3:GetObject", Resource: "*" };
    expect(statements(JSON.stringify({ Statement: [s] }))).toEqual([s]);
    expect(statements({ Statement: s })).toEqual([s]);
  });

  test("no Statement, nothing, or invalid JSON is no statements", () => {
    expect(statements(JSON.stringify({ Version: "2012-10-17" }))).toEqual([]);
    expect(statements(undefined)).toEqual([]);
    expect(statements("{not json")).toEqual([]);
  });
});

describe("IAM action patterns", () => {
  test.each([
    ["kms:Decrypt", "kms:Decrypt", true],
    ["KMS:DECRYPT", "kms:Decrypt", true],
    ["kms:*", "kms:Encrypt", true],
    ["*", "kms:Encrypt", true],
    ["kms:Re*", "kms:ReEncryptFrom", true],
    ["kms:?ncrypt", "kms:Encrypt", true],
    ["kms:?ncrypt", "kms:Decrypt", false],
    ["kms:Decrypt", "kms:DecryptX", false],
    ["kms:Decrypt", "xkms:Decrypt", false],
    // Everything but * and ? is literal: a dot or a bracket in a pattern is not a regular-expression operator.
    ["kms.Decrypt", "kms:Decrypt", false],
    ["kms:[DE]ncrypt", "kms:Encrypt", false],
  ])("%s covers %s: %s", (pattern, action, covers) => {
    expect(actionCovers(pattern, action)).toBe(covers);
  });

  test("a statement grants the key-use actions its Action covers, or those its NotAction leaves out", () => {
    expect(keyUseGranted({ Action: ["kms:Describe*", "kms:Get*", "kms:List*"] })).toEqual([]);
    expect(keyUseGranted({ Action: "kms:ReEncrypt*" })).toEqual(["kms:ReEncryptFrom", "kms:ReEncryptTo"]);
    expect(keyUseGranted({ NotAction: "kms:*" })).toEqual([]);
    expect(keyUseGranted({ NotAction: ["kms:Encrypt", "kms:Decrypt"] })).toEqual(
      KEY_USE_ACTIONS.filter((a) => a !== "kms:Encrypt" && a !== "kms:Decrypt"),
    );
    expect(keyUseGranted({})).toEqual([]);
  });
});

describe("kms:ViaService", () => {
  test.each([
    ["under StringEquals", { StringEquals: { "kms:ViaService": "rds.eu-west-1.amazonaws.com" } }, true],
    ["under StringLike, in lower case", { StringLike: { "kms:viaservice": "rds.*.amazonaws.com" } }, true],
    ["in upper case", { StringEquals: { "KMS:VIASERVICE": "rds.eu-west-1.amazonaws.com" } }, true],
    ["beside another key", { StringEquals: { "aws:SourceAccount": "1", "kms:ViaService": "x" } }, true],
    ["only in a value", { StringEquals: { "aws:PrincipalTag/note": "kms:ViaService" } }, false],
    ["another key", { StringEquals: { "kms:CallerAccount": "123456789012" } }, false],
    ["no condition", undefined, false],
    // A document written by hand can hold anything: an operator without a map of keys limits nothing, and is no crash.
    ["an operator given null", { StringEquals: null }, false],
    ["an operator given the key as text", { StringEquals: "kms:ViaService" }, false],
  ])("a condition %s: %s", (_, condition, limited) => {
    expect(hasViaService({ Effect: "Allow", Action: "kms:Decrypt", Condition: condition as never })).toBe(limited);
  });
});
