// A pr-<n> stack needs no stack file: it derives its config from staging's, with the preview preset.
import { main } from "../../infra/synth/cli";
import { derivePreviewConfig } from "../../infra/program";
import { synthesize } from "../../infra/synth/synth";
import { ofType, REPO, resource } from "../helpers/synth";

test("pr-42 synthesises from staging's settings with the preview preset and its own hostnames", async () => {
  const result = await synthesize(REPO, "pr-42");
  expect(result.outputs["environment"]).toBe("preview");
  expect(result.outputs["apiUrl"]).toBe("https://api.pr-42.staging.acme-app.com");
  expect(ofType(result, "aws:ec2/natGateway:NatGateway")).toEqual([]);
  expect(resource(result, "aws:rds/instance:Instance", "database").inputs).toMatchObject({
    instanceClass: "db.t4g.micro",
    multiAz: false,
    deletionProtection: false,
  });
  expect(resource(result, "aws:rds/instance:Instance", "database").options.protect).toBeUndefined();
  const provider = resource(result, "pulumi:providers:aws", "aws");
  expect(JSON.parse(String(provider.inputs["defaultTags"]))).toMatchObject({
    tags: { Stack: "pr-42", Environment: "preview" },
  });
});

test("the preview's own keys win over staging's, and staging's secrets are not inherited", () => {
  const raw = derivePreviewConfig(
    {
      project: "saas-platform",
      stack: "pr-7",
      values: { web: '{"projectId":"prj_1","gitBranch":"feature/x"}' },
      secretKeys: new Set(),
    },
    REPO,
  );
  expect(raw.values["environment"]).toBe("preview");
  expect(raw.values["domain"]).toBe("staging.acme-app.com");
  expect(raw.values["web"]).toBe('{"projectId":"prj_1","gitBranch":"feature/x"}');
  expect(raw.values).not.toHaveProperty("slackWebhookUrl");
});

test("npm run synth -- pr-42 works without a stack file and passes the policy pack", async () => {
  const { code, out } = await main(["pr-42"], REPO);
  expect(code).toBe(0);
  expect(out.split("\n")[0]).toBe("saas-platform-pr-42 (pulumi:pulumi:Stack)");
  expect(out).toContain("Policy pack: 31 rules, no violations");
});
