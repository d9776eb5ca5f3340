/**
 * Corners of infra/parse-config.ts that the broader config tests leave open: which keys the rules across keys and an
 * extra check still see when part of the file is wrong, and how a value of the wrong shape is quoted. Each case calls
 * `parseConfig` directly and pins the exact problems a user reads.
 */
import { type ConfigCheck } from "../infra/config";
import { redactSecrets } from "../infra/parse-config";
import { API_CONTEXT } from "./helpers/synth";
import { rawConfig as raw, problemLines as lines } from "./helpers/config";

const P = "saas-platform";
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000000";
const SERVICES_MESSAGE =
  "must map service names to services, such as { worker: { kind: worker, build: { context: worker } } }";

const PRODUCTION = {
  environment: "production",
  appName: "acme-app",
  domain: "acme-app.com",
  awsRegion: "eu-west-1",
  alerts: { emails: ["ops@acme-app.com"] },
  api: { build: { context: API_CONTEXT }, certificateArn: CERT },
};
const STAGING = { ...PRODUCTION, environment: "staging", domain: "staging.acme-app.com" };

/** An extra check that reports nothing and keeps the valid keys it was given. */
function recordingCheck(): { check: ConfigCheck; seen: Array<Record<string, unknown>> } {
  const seen: Array<Record<string, unknown>> = [];
  return {
    seen,
    check: (valid) => {
      seen.push(valid);
      return [];
    },
  };
}

describe("an environment that disagrees with the stack's name", () => {
  test("is reported once, and the rules across keys that do not depend on it still report their problems", () => {
    expect(
      lines(raw({ ...PRODUCTION, awsRegion: "eu-wast-1", appSecrets: { stripe: "sk_live_123" } }, "pr-7")),
    ).toEqual([
      `${P}:environment must be "preview" for a pr-<number> stack (got "production")`,
      `${P}:awsRegion must be a region AWS offers, such as eu-west-1 (got "eu-wast-1"; did you mean "eu-west-1"?)`,
      `${P}:appSecrets must be set with --secret, so its values are encrypted in the stack file: pulumi config set --secret --path 'appSecrets.<name>' <value>`,
    ]);
  });
});

describe("services given as something other than a map", () => {
  test.each([
    ["a word", "workers", '"workers"'],
    ["null", null, "null"],
    ["a number", 5, "5"],
    ["a list", [{ kind: "worker" }], '[{"kind":"worker"}]'],
  ])("%s is reported with what was found, and an extra check sees no services at all", (_what, value, got) => {
    const { check, seen } = recordingCheck();
    expect(lines(raw({ ...STAGING, services: value }, "staging"), check)).toEqual([
      `${P}:services ${SERVICES_MESSAGE} (got ${got})`,
    ]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!["services"]).toBeUndefined();
    expect(seen[0]!["appName"]).toBe("acme-app");
  });

  test("a map with one bad entry still gives an extra check the entries that are valid on their own", () => {
    const { check, seen } = recordingCheck();
    const worker = { kind: "worker", build: { context: API_CONTEXT } };
    expect(lines(raw({ ...STAGING, services: { Bad_Name: worker, jobs: worker } }, "staging"), check)).toEqual([
      `${P}:services.Bad_Name must be a service name of 2 to 15 lowercase letters, digits or hyphens, such as worker (got "Bad_Name")`,
    ]);
    expect(seen[0]!["services"]).toEqual({ jobs: worker });
  });
});

describe("a value of the wrong shape is quoted as it was found", () => {
  test.each([
    ["an object for a flag", { protect: { on: true } }, `${P}:protect must be true or false (got {"on":true})`],
    ["a list for a flag", { protect: [true] }, `${P}:protect must be true or false (got [true])`],
    [
      "an object for a list of addresses",
      { alerts: { emails: { to: "ops@acme-app.com" } } },
      `${P}:alerts.emails must be a list of email addresses (got {"to":"ops@acme-app.com"})`,
    ],
    [
      "an object for a choice between two numbers",
      { network: { azCount: { count: 2 } } },
      `${P}:network.azCount must be 2 or 3 (got {"count":2})`,
    ],
  ])("%s", (_what, change, line) => {
    expect(lines(raw({ ...STAGING, ...change }, "staging"))).toEqual([line]);
  });
});

describe("officeHours given as an object", () => {
  test("a wrong value and an unknown key in it are both reported by their own keys, not as the union's message", () => {
    expect(lines(raw({ ...STAGING, officeHours: { from: "eight", form: 9 } }, "staging"))).toEqual([
      `${P}:officeHours.from must be an integer from 1 to 22 (got "eight")`,
      `${P}:officeHours.form is not a known setting (did you mean "from"?)`,
    ]);
  });
});

describe("a key set with --secret to an empty value", () => {
  test("leaves every other problem readable: there is nothing to hide, so nothing is cut out", () => {
    const r = raw({ ...PRODUCTION, awsRegion: "eu-west-9", awsAccountId: "" }, "production", ["awsAccountId"]);
    const found = lines(r);
    expect(found).toEqual([
      `${P}:awsAccountId must be a 12-digit AWS account id such as "123456789012" (quoted in YAML) (got a secret value, not shown)`,
      `${P}:awsRegion must be a region AWS offers, such as eu-west-1 (got "eu-west-9"; did you mean "eu-west-1"?)`,
    ]);
  });
});

describe("a secret of one or two characters", () => {
  const R = "[a secret value, not shown]";
  test("is removed where it stands alone, as a quoted value does, and nowhere inside a word or a number", () => {
    const r = raw({ token: "7", pin: "a+" }, "production", ["token", "pin"]);
    expect(
      redactSecrets(
        [
          { key: "k", message: 'must be 1 to 6 (got "7"); see 7 and 17, 7a, 7.5' },
          { key: "p", message: 'got "a+", not "a++" or "ba+"' },
        ],
        r,
      ),
    ).toEqual([
      { key: "k", message: `must be 1 to 6 (got "${R}"); see ${R} and 17, 7a, ${R}.5` },
      { key: "p", message: `got "${R}", not "${R}+" or "ba+"` },
    ]);
  });
});

describe("a secret of three characters or more", () => {
  test("is removed wherever it appears, also inside a word", () => {
    const R = "[a secret value, not shown]";
    const r = raw({ token: "abc" }, "production", ["token"]);
    expect(redactSecrets([{ key: "k", message: 'got "abc", or xabcx' }], r)).toEqual([
      { key: "k", message: `got "${R}", or x${R}x` },
    ]);
  });
});
