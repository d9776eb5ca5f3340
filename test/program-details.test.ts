// How a pr-<n> stack's config is derived from staging's stack file (infra/program.ts), down to the exact text of
// `web` a preview's Vercel deployment is configured from.
import * as pulumi from "@pulumi/pulumi";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { derivePreviewConfig, readRawConfig } from "../infra/program";
import { tempDir } from "./helpers/temp";

const STAGING_WEB = '{"projectId":"prj_staging","gitBranch":"main","apiUrlVariable":"VITE_API_URL"}';

/** A project folder whose `Pulumi.staging.yaml` has these config lines (below `config:`). */
function projectWithStaging(configLines: string[]): string {
  const dir = tempDir("program-details");
  writeFileSync(join(dir, "Pulumi.yaml"), "name: saas-platform\nruntime:\n  name: nodejs\n");
  writeFileSync(join(dir, "Pulumi.staging.yaml"), ["config:", ...configLines, ""].join("\n"));
  return dir;
}

const STAGING_PLAIN = ["  saas-platform:awsRegion: eu-west-1", "  saas-platform:domain: staging.acme-app.com"];
/** Staging's `web` as a mapping, with the variable name the frontend reads. */
const STAGING_WEB_LINES = [
  "  saas-platform:web:",
  "    projectId: prj_staging",
  "    gitBranch: main",
  "    apiUrlVariable: VITE_API_URL",
];

/** The values of pr-7 with these keys of its own, derived from the staging file in `dir`. */
const previewValues = (dir: string, values: Record<string, string>): Record<string, string> =>
  derivePreviewConfig({ project: "saas-platform", stack: "pr-7", values, secretKeys: new Set() }, dir).values;

describe("readRawConfig", () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  test("a pr-<n> stack without its own environment gets staging's settings from the project folder it runs in", async () => {
    const dir = projectWithStaging([...STAGING_PLAIN, ...STAGING_WEB_LINES]);
    jest.spyOn(process, "cwd").mockReturnValue(dir);
    await pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: () => ({}) },
      "saas-platform",
      "pr-7",
      false,
    );
    pulumi.runtime.setAllConfig(
      {
        "saas-platform:web": '{"projectId":"prj_staging","gitBranch":"feature/x"}',
        "saas-platform:sentryToken": "s3cr3t",
        "aws:region": "us-east-1",
      },
      ["saas-platform:sentryToken"],
    );

    const raw = readRawConfig();

    expect(raw.project).toBe("saas-platform");
    expect(raw.stack).toBe("pr-7");
    expect(raw.values).toEqual({
      awsRegion: "eu-west-1",
      domain: "staging.acme-app.com",
      environment: "preview",
      sentryToken: "s3cr3t",
      web: '{"projectId":"prj_staging","gitBranch":"feature/x","apiUrlVariable":"VITE_API_URL"}',
    });
    expect([...raw.secretKeys]).toEqual(["sentryToken"]);
  });
});

describe("a preview's web settings", () => {
  test("get staging's API variable name added when they set none, staging's other web keys not inherited", () => {
    const dir = projectWithStaging([...STAGING_PLAIN, ...STAGING_WEB_LINES]);
    // Staging's gitBranch (main) is a key the preview leaves out: it must not come back.
    expect(previewValues(dir, { web: '{"projectId":"prj_1"}' })).toEqual({
      awsRegion: "eu-west-1",
      domain: "staging.acme-app.com",
      environment: "preview",
      web: '{"projectId":"prj_1","apiUrlVariable":"VITE_API_URL"}',
    });
  });

  test("are staging's own, exactly, when the preview sets no web of its own", () => {
    const dir = projectWithStaging([...STAGING_PLAIN, ...STAGING_WEB_LINES]);
    expect(previewValues(dir, {})["web"]).toBe(STAGING_WEB);
  });

  test("are kept exactly as written when staging has no web settings", () => {
    const dir = projectWithStaging(STAGING_PLAIN);
    const own = '{ "projectId": "prj_1", "gitBranch": "feature/x" }';
    expect(previewValues(dir, { web: own })["web"]).toBe(own);
  });

  test("are kept exactly as written when staging's web names no API variable", () => {
    const dir = projectWithStaging([...STAGING_PLAIN, "  saas-platform:web:", "    projectId: prj_staging"]);
    const own = '{ "projectId": "prj_1", "gitBranch": "feature/x" }';
    expect(previewValues(dir, { web: own })["web"]).toBe(own);
  });

  test("are kept exactly as written when staging's web is not a JSON object (left for the config check)", () => {
    const own = '{ "projectId": "prj_1", "gitBranch": "feature/x" }';
    for (const stagingWeb of ["not-json", "'[\"VITE_API_URL\"]'", "'null'"]) {
      const dir = projectWithStaging([...STAGING_PLAIN, `  saas-platform:web: ${stagingWeb}`]);
      expect(previewValues(dir, { web: own })["web"]).toBe(own);
    }
  });

  test("are kept exactly as written when they are not valid JSON (left for the config check to report)", () => {
    const dir = projectWithStaging([...STAGING_PLAIN, ...STAGING_WEB_LINES]);
    const own = '{ "projectId": "prj_1", ';
    expect(previewValues(dir, { web: own })["web"]).toBe(own);
  });

  test.each(["null", "42", '"prj_1"', "true", '["prj_1"]', "[]"])(
    "are kept exactly as written when they are JSON but not an object: %s",
    (own) => {
      const dir = projectWithStaging([...STAGING_PLAIN, ...STAGING_WEB_LINES]);
      expect(previewValues(dir, { web: own })["web"]).toBe(own);
    },
  );

  test("keep their own API variable name, exactly as written, over staging's", () => {
    const dir = projectWithStaging([...STAGING_PLAIN, ...STAGING_WEB_LINES]);
    const own = '{ "projectId": "prj_1", "apiUrlVariable": "NEXT_PUBLIC_API_URL" }';
    expect(previewValues(dir, { web: own })["web"]).toBe(own);
  });
});
