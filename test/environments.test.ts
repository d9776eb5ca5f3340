import type { RawStackConfig } from "../infra/config";
import { parseConfig } from "../infra/parse-config";
import { LARGE_PRESETS, PRESETS, resolveSettings } from "../infra/environments";

const raw = (values: Record<string, unknown>, stack = "production"): RawStackConfig => ({
  project: "saas-platform",
  stack,
  values: Object.fromEntries(
    Object.entries({
      environment: stack,
      appName: "acme-app",
      domain: stack === "production" ? "acme-app.com" : `${stack}.acme-app.com`,
      awsRegion: "eu-west-1",
      alerts: { emails: ["ops@acme-app.com"] },
      ...values,
      api: {
        build: { context: "test/fixtures/api" },
        certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000000",
        ...(values["api"] as object | undefined),
      },
    }).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  ),
  secretKeys: new Set(),
});

const settingsOf = (values: Record<string, unknown>, stack = "production") =>
  resolveSettings(parseConfig(raw(values, stack)));

describe("environment presets", () => {
  test("production is the safest: protected, HA network and database, long retention", () => {
    const p = PRESETS.production;
    expect(p.protect).toBe(true);
    // Small: two zones and a NAT instance (docs/cost.md); the large size has three zones and a gateway per zone.
    expect(p.network).toMatchObject({ azCount: 2, natGateways: "instance" });
    expect(LARGE_PRESETS.production.network).toMatchObject({ azCount: 3, natGateways: "perAz" });
    expect(p.database.multiAz).toBe(true);
    expect(p.database.backupRetentionDays).toBeGreaterThanOrEqual(14);
    expect(p.cache.replicas).toBeGreaterThanOrEqual(1);
    expect(p.api.minTasks).toBeGreaterThanOrEqual(2);
    for (const env of ["staging", "preview", "dev"] as const) {
      expect(p.logs.retentionDays).toBeGreaterThan(PRESETS[env].logs.retentionDays);
      expect(p.database.backupRetentionDays).toBeGreaterThan(PRESETS[env].database.backupRetentionDays);
    }
  });

  test("preview is disposable (no NAT, single-AZ database, no protection) and no bigger than a cloud stack", () => {
    const p = PRESETS.preview;
    expect(p.protect).toBe(false);
    expect(p.network.natGateways).toBe("none");
    expect(p.database.multiAz).toBe(false);
    expect(p.cache.replicas).toBe(0);
    for (const other of [PRESETS.staging, PRESETS.production, LARGE_PRESETS.staging, LARGE_PRESETS.production]) {
      expect(p.api.cpu).toBeLessThanOrEqual(other.api.cpu);
      expect(p.api.memory).toBeLessThanOrEqual(other.api.memory);
      expect(p.api.maxTasks).toBeLessThanOrEqual(other.api.minTasks);
      expect(p.database.allocatedStorageGb).toBeLessThanOrEqual(other.database.allocatedStorageGb);
      expect(p.database.backupRetentionDays).toBeLessThanOrEqual(other.database.backupRetentionDays);
      expect(p.cache.snapshotRetentionDays).toBeLessThanOrEqual(other.cache.snapshotRetentionDays);
    }
    // The smallest burstable classes there are.
    expect([p.database.instanceClass, p.cache.nodeType]).toEqual(["db.t4g.micro", "cache.t4g.micro"]);
  });

  test("each environment gets its own VPC block so they can be peered later", () => {
    const blocks = Object.values(PRESETS).map((p) => p.network.cidr);
    expect(new Set(blocks).size).toBe(blocks.length);
  });
});

describe("resolveSettings", () => {
  test("with no overrides, the settings are the preset", () => {
    const s = settingsOf({});
    expect(s.network).toEqual(PRESETS.production.network);
    // Production copies backups to the primary region's default pair.
    expect(s.database).toEqual({ ...PRESETS.production.database, backupCopyRegion: "eu-central-1" });
    expect(s.protect).toBe(true);
  });

  test("a stack file overrides only the keys it sets", () => {
    const s = settingsOf({ database: { backupRetentionDays: 21 }, network: { natGateways: "single" } });
    expect(s.database).toEqual({
      ...PRESETS.production.database,
      backupRetentionDays: 21,
      backupCopyRegion: "eu-central-1",
    });
    expect(s.network).toEqual({ ...PRESETS.production.network, natGateways: "single" });
  });

  test("false and 0 override a preset (no || fallbacks)", () => {
    const s = settingsOf({ monitoring: { dashboard: false }, cache: { snapshotRetentionDays: 0 } });
    expect(s.monitoring.dashboard).toBe(false);
    expect(s.cache).toMatchObject({ replicas: 1, snapshotRetentionDays: 0 });
    expect(settingsOf({ cache: { replicas: 0 } }, "staging").cache.replicas).toBe(0);
  });

  test("what the policy pack would refuse is a config error, named by its key", () => {
    expect(() => settingsOf({ database: { multiAz: false }, cache: { replicas: 0 } })).toThrow(
      [
        "Pulumi.production.yaml has 2 configuration problems:",
        "  Pulumi.production.yaml: saas-platform:database.multiAz cannot be false in production: a standby in a second zone takes over in a zone outage (policy rds-multi-az)",
        "  Pulumi.production.yaml: saas-platform:cache.replicas must be at least 1 in production: automatic failover and Multi-AZ need a replica (policy elasticache-failover) (got 0)",
      ].join("\n"),
    );
  });

  test("staging may turn protection on", () => {
    expect(settingsOf({ protect: true }, "staging").protect).toBe(true);
    expect(settingsOf({}, "staging").protect).toBe(false);
  });

  test("a rule spanning the preset and the file is checked after the overlay", () => {
    expect(() => settingsOf({ api: { memory: 4096 } })).toThrow(
      "Pulumi.production.yaml: saas-platform:api.memory must be a memory size Fargate offers for api.cpu 256: 512, 1024, 2048 MiB (got 4096)",
    );
    expect(() => settingsOf({ size: "large", api: { memory: 512 } })).toThrow(
      "Pulumi.production.yaml: saas-platform:api.memory must be a memory size Fargate offers for api.cpu 1024: 2048, 3072, 4096, 5120, 6144, 7168, 8192 MiB (got 512)",
    );
  });
});
