import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../synth/cli";
import type { RecordedResource } from "../../synth/recorder";
import { synthesizeConfig } from "../../synth/synth";
import { END, rulesTable, START } from "../../policy/docs";
import { evaluate } from "../../policy/evaluate";
import { environmentOf, policies } from "../../policy/rules";
import { CACHED_STACKS, FIXTURE_STACKS, REPO, resource, synthStack, variant } from "../helpers/synth";
import { DEPLOYABILITY_FIXTURES } from "./deployability-fixtures";
import { RULE_FIXTURES } from "./rules-fixtures";
import { tempDir } from "../helpers/temp";

const RDS = "aws:rds/instance:Instance";
const CACHE = "aws:elasticache/replicationGroup:ReplicationGroup";

describe("the policy pack", () => {
  test("every rule is mandatory and has failing and passing fixtures", () => {
    for (const p of policies) expect(p.enforcementLevel).toBe("mandatory");
    // A failing fixture per condition: test/policy/rules-fixtures.ts and deployability-fixtures.ts.
    expect([...Object.keys(RULE_FIXTURES), ...Object.keys(DEPLOYABILITY_FIXTURES)].sort()).toEqual(
      policies.map((p) => p.name).sort(),
    );
  });

  test.each(CACHED_STACKS)("the %s stack passes every rule", async (stack) => {
    expect(await evaluate((await synthStack(stack)).resources)).toEqual([]);
  });

  test("the environment comes from the AWS provider's Environment tag, else from the stack name", () => {
    expect(
      ["dev", "staging", "production", "pr-12", "eu"].map((s) => environmentOf(`urn:pulumi:${s}::p::t::n`)),
    ).toEqual(["dev", "staging", "production", "preview", "dev"]);
    const tagged = (environment: string) => ({
      type: "pulumi:providers:aws",
      props: { defaultTags: JSON.stringify({ tags: { Environment: environment } }) },
    });
    expect(environmentOf("urn:pulumi:eu::p::t::n", tagged("production"))).toBe("production");
    expect(environmentOf("urn:pulumi:eu::p::t::n", tagged("prod"))).toBe("dev");
    expect(environmentOf("urn:pulumi:production::p::t::n", { type: "pulumi:providers:cloudflare", props: {} })).toBe(
      "production",
    );
  });

  test("a production stack named otherwise gets the production rules", async () => {
    // The production stack renamed prod-eu (its providers' Stack tag too), with a single-AZ database.
    const text = JSON.stringify((await synthStack("production")).resources)
      .replaceAll("urn:pulumi:production::", "urn:pulumi:prod-eu::")
      .replaceAll('\\"Stack\\":\\"production\\"', '\\"Stack\\":\\"prod-eu\\"');
    const records = (JSON.parse(text) as RecordedResource[]).map((r) =>
      r.type === RDS ? { ...r, inputs: { ...r.inputs, multiAz: false } } : r,
    );
    expect(records.some((r) => r.urn.startsWith("urn:pulumi:production::"))).toBe(false);
    expect((await evaluate(records)).map((v) => v.policy)).toEqual(["rds-multi-az"]);
  });

  test("a resource's own tag that changes a standard one is caught in a real stack", async () => {
    const records = (await synthStack("production")).resources.map((r) =>
      r.type === CACHE
        ? { ...r, inputs: { ...r.inputs, tags: { ...(r.inputs["tags"] as object), Stack: "staging" } } }
        : r,
    );
    expect(await evaluate(records)).toEqual([
      expect.objectContaining({
        policy: "standard-tags-not-overridden",
        message: expect.stringContaining(
          'cache (aws:elasticache/replicationGroup:ReplicationGroup): its tags set Stack "staging"',
        ),
      }),
    ]);
  });
});

describe("data safety", () => {
  test("resizing the database and cache or changing retention keeps every stateful resource's identity", async () => {
    const base = await synthStack("production");
    const changed = await synthesizeConfig(
      variant("production", {
        database: {
          instanceClass: "db.m7g.xlarge",
          backupRetentionDays: 21,
          allocatedStorageGb: 200,
          maxAllocatedStorageGb: 800,
        },
        cache: { nodeType: "cache.m7g.xlarge", snapshotRetentionDays: 14 },
        logs: { retentionDays: 180 },
      }),
    );
    for (const [type, name, identity] of [
      [RDS, "database", "identifier"],
      [CACHE, "cache", "replicationGroupId"],
      ["aws:backup/vault:Vault", "database-vault", undefined],
      ["aws:kms/key:Key", "database-key", undefined],
    ] as const) {
      const [a, b] = [resource(base, type, name), resource(changed, type, name)];
      expect(b.urn).toBe(a.urn);
      expect(b.parent).toBe(a.parent);
      if (identity) expect(b.inputs[identity]).toBe(a.inputs[identity]);
    }
    expect(resource(changed, RDS, "database").inputs["instanceClass"]).toBe("db.m7g.xlarge");
    expect(await evaluate(changed.resources)).toEqual([]);
  });

  test("removing protect from a production stateful resource is caught", async () => {
    const records = (await synthStack("production")).resources.map((r) =>
      r.type === RDS ? { ...r, options: { ...r.options, protect: false } } : r,
    );
    expect(await evaluate(records)).toEqual([
      expect.objectContaining({
        policy: "production-stateful-protected",
        message: expect.stringContaining("database (aws:rds/instance:Instance)"),
      }),
    ]);
  });
});

test("npm run synth prints the violations and exits non-zero on a mandatory one", async () => {
  const { copyFileSync, writeFileSync } = await import("node:fs");
  const dir = tempDir("synth-policy");
  copyFileSync(join(FIXTURE_STACKS, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  const staging = readFileSync(join(FIXTURE_STACKS, "Pulumi.staging.yaml"), "utf8");
  // A preview with a production-size database: the config allows the class, the pack's daily cost cap does not.
  writeFileSync(join(dir, "Pulumi.staging.yaml"), staging);
  writeFileSync(join(dir, "Pulumi.pr-7.yaml"), "config:\n  saas-platform:database:\n    instanceClass: db.m7g.large\n");
  const { code, out } = await main(["pr-7"], dir);
  expect(code).toBe(1);
  expect(out).toContain(`Policy pack: ${policies.length} rules, 1 mandatory violation:`);
  expect(out).toMatch(
    /\[preview-daily-cost-cap\] pr-7 \(preview stack\): costs \$\d+\.\d\d a day, over the \$1\.50 cap/,
  );
});

test("a value the pack would refuse is a config error before any synth (config and pack agree)", async () => {
  const { copyFileSync, writeFileSync } = await import("node:fs");
  const dir = tempDir("synth-policy");
  copyFileSync(join(FIXTURE_STACKS, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  const staging = readFileSync(join(FIXTURE_STACKS, "Pulumi.staging.yaml"), "utf8");
  writeFileSync(join(dir, "Pulumi.staging.yaml"), `${staging}  saas-platform:database:\n    backupRetentionDays: 3\n`);
  const { code, err } = await main(["staging"], dir);
  expect(code).not.toBe(0);
  expect(err).toContain(
    "Pulumi.staging.yaml: saas-platform:database.backupRetentionDays must be at least 7 in staging (policy rds-backup-retention) (got 3)",
  );
});

test("the README lists the rules as the pack defines them (npm run docs:policy)", () => {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END));
  // Compare cell by cell: prettier pads the table, the generator does not.
  const cells = (text: string) =>
    text
      .split("\n")
      .filter((line) => line.startsWith("|") && !/^\|[-\s|]+\|$/.test(line))
      .map((line) =>
        line
          .split(/(?<!\\)\|/)
          .slice(1, -1)
          .map((c) => c.trim()),
      );
  expect(cells(section)).toEqual(cells(rulesTable()));
  expect(cells(section)).toHaveLength(policies.length + 1);
});
