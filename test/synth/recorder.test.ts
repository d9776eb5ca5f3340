// The recorder builds on semi-internal SDK APIs (MockMonitor, the engine request's getters, the wire format of
// secrets). These tests pin what it must capture, so an @pulumi/pulumi upgrade that changes them fails here.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { readRawConfig } from "../../infra/program";
import { renderJson } from "../../synth/formats";
import { recordProgram, type SynthResult } from "../../synth/synth";
import { resource } from "../helpers/synth";

let result: SynthResult;
let raw: ReturnType<typeof readRawConfig>;

beforeAll(async () => {
  result = await recordProgram(
    {
      project: "saas-platform",
      stack: "test",
      config: { "saas-platform:plain": "1", "saas-platform:token": "s3cr3t-token", "aws:region": "eu-west-1" },
      secretKeys: ["saas-platform:token"],
    },
    async () => {
      raw = readRawConfig();
      const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
      const bucket = new aws.s3.Bucket(
        "bucket",
        { forceDestroy: false },
        { parent, protect: true, retainOnDelete: true, ignoreChanges: ["tags", "acl"] },
      );
      const param = new aws.ssm.Parameter(
        "param",
        { type: "SecureString", value: pulumi.secret("hunter2-password"), name: bucket.id, description: "plain" },
        { parent, dependsOn: [bucket], deleteBeforeReplace: true },
      );
      const former = new pulumi.ComponentResource("test:index:Former", "former");
      new aws.s3.Bucket("moved", {}, { parent, aliases: [{ name: "old", parent: former }, { name: "renamed" }] });
      return { token: pulumi.secret("hunter2-output"), paramName: param.name };
    },
  );
});

test("records parent, type, name and the options that change an update", () => {
  const parent = resource(result, "test:index:Parent", "parent");
  const bucket = resource(result, "aws:s3/bucket:Bucket", "bucket");
  expect(parent.custom).toBe(false);
  expect(bucket.custom).toBe(true);
  expect(bucket.parent).toBe(parent.urn);
  expect(bucket.options).toEqual({ protect: true, retainOnDelete: true, ignoreChanges: ["acl", "tags"] });
  expect(resource(result, "aws:ssm/parameter:Parameter", "param").options).toEqual({ deleteBeforeReplace: true });
});

test("records aliases as the URNs they stand for (the engine's defaults: the resource's own parent, type, stack)", () => {
  expect(resource(result, "aws:s3/bucket:Bucket", "moved").options.aliases).toEqual([
    "urn:pulumi:test::saas-platform::test:index:Former$aws:s3/bucket:Bucket::old",
    "urn:pulumi:test::saas-platform::test:index:Parent$aws:s3/bucket:Bucket::renamed",
  ]);
  // The URN the first alias names is the one the resource had under its former parent.
  expect(resource(result, "test:index:Former", "former").urn).toBe(
    "urn:pulumi:test::saas-platform::pulumi:pulumi:Stack$test:index:Former::former",
  );
});

test("records explicit and input-implied dependencies", () => {
  const bucket = resource(result, "aws:s3/bucket:Bucket", "bucket");
  const param = resource(result, "aws:ssm/parameter:Parameter", "param");
  expect(param.dependencies).toEqual([bucket.urn]);
  expect(param.propertyDependencies).toEqual({ name: [bucket.urn] });
  expect(param.inputs["name"]).toBe(bucket.id);
});

test("masks secret inputs and outputs, and never records their values", () => {
  const param = resource(result, "aws:ssm/parameter:Parameter", "param");
  expect(param.inputs["value"]).toBe("[secret]");
  expect(param.inputs["description"]).toBe("plain");
  expect(param.secretInputs).toEqual(["value"]);
  expect(result.outputs["token"]).toBe("[secret]");
  expect(result.secretOutputs).toEqual(["token"]);
  const json = renderJson(result);
  expect(json).not.toContain("hunter2");
  expect(json).not.toContain("s3cr3t-token");
});

test("the program sees this project's config, with secret keys flagged as such", () => {
  expect(raw.project).toBe("saas-platform");
  expect(raw.stack).toBe("test");
  expect(raw.values).toEqual({ plain: "1", token: "s3cr3t-token" });
  expect([...raw.secretKeys]).toEqual(["token"]);
});

test("a second run in the same process records the same thing", async () => {
  const again = await recordProgram(
    { project: "saas-platform", stack: "test", config: {}, secretKeys: [] },
    async () => {
      const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
      new aws.s3.Bucket(
        "bucket",
        { forceDestroy: false },
        { parent, protect: true, retainOnDelete: true, ignoreChanges: ["tags", "acl"] },
      );
      return {};
    },
  );
  expect(resource(again, "aws:s3/bucket:Bucket", "bucket")).toEqual(resource(result, "aws:s3/bucket:Bucket", "bucket"));
});

test("a synth restores stack traces for the rest of the process (they are off only while the program runs)", async () => {
  const before = Error.stackTraceLimit;
  await recordProgram({ project: "saas-platform", stack: "test", config: {}, secretKeys: [] }, async () => ({}));
  expect(Error.stackTraceLimit).toBe(before);
  expect(before).toBeGreaterThan(0);
});
