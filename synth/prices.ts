/**
 * List prices (USD, on-demand) for the offline cost estimate (`npm run synth -- <stack> --format cost`). Dated and
 * sourced: re-check them when the date is old. Derived values (another region's price times the usual ratio) say
 * so. Sources, checked 2026-11-25:
 *
 * - AWS Price List offer files and Pricing-API exports for eu-west-1 (Fargate, NAT gateway, public IPv4, VPC
 *   endpoints, ECR, CloudWatch Logs: SKUs of 2026-05-01 and the EC2 offer file of 2026-09-25);
 * - eu-west-1 bills (RDS t4g, gp3, ALB, Secrets Manager: Cost Explorer lines of May and July 2026);
 * - the us-east-1 Price List for ElastiCache (2026-10-02; Valkey is 80 % of Redis OSS), RDS m-class, S3, data
 *   transfer, SNS and Budgets (September 2026), scaled to eu-west-1 where marked `derived`;
 * - Route 53, CloudWatch alarms and dashboards: the same price in every region.
 */

export const PRICES_DATE = "2026-11-25";

export interface RegionPrices {
  /** Fargate Linux, per vCPU-hour and GB-hour. */
  readonly fargate: {
    readonly x86: { readonly vcpuHour: number; readonly gbHour: number };
    readonly arm: { readonly vcpuHour: number; readonly gbHour: number };
    /** Fargate Spot's typical discount (it varies by hour and region). */
    readonly spotDiscount: number;
  };
  /** RDS for PostgreSQL, Single-AZ instance hours; Multi-AZ (instance deployment) is twice. */
  readonly rdsInstanceHour: Readonly<Record<string, number>>;
  readonly rdsGp3GbMonth: number;
  /** ElastiCache Valkey node hours. */
  readonly valkeyNodeHour: Readonly<Record<string, number>>;
  readonly natGatewayHour: number;
  readonly natGatewayGb: number;
  readonly publicIpv4Hour: number;
  readonly albHour: number;
  readonly lcuHour: number;
  /** A trust store associated with an Application Load Balancer (mutual TLS), per hour. */
  readonly albTrustStoreHour: number;
  readonly ec2Hour: Readonly<Record<string, number>>;
  readonly interfaceEndpointHour: number;
  readonly logsIngestGb: number;
  /** Vended logs (VPC flow logs) delivered to CloudWatch Logs. */
  readonly vendedLogsGb: number;
  readonly logsStorageGbMonth: number;
  readonly customMetricMonth: number;
  readonly kmsKeyMonth: number;
  readonly secretMonth: number;
  readonly ecrGbMonth: number;
  readonly s3GbMonth: number;
  /** AWS Backup warm storage of RDS snapshots. */
  readonly backupGbMonth: number;
  /** Data transfer to another region (backup copies). */
  readonly interRegionGb: number;
}

/** Prices that are the same in every region. */
export const GLOBAL_PRICES = {
  /** CloudWatch standard-resolution alarm, per metric it evaluates. */
  alarmMetricMonth: 0.1,
  /** CloudWatch dashboard beyond the account's first three. */
  dashboardMonth: 3,
  /** Route 53 health check of an endpoint outside AWS (Cloudflare's edge), and each optional feature. */
  healthCheckNonAwsMonth: 0.75,
  healthCheckOptionNonAwsMonth: 2,
} as const;

const EU_WEST_1: RegionPrices = {
  fargate: {
    x86: { vcpuHour: 0.04048, gbHour: 0.004445 },
    arm: { vcpuHour: 0.03238, gbHour: 0.00356 },
    spotDiscount: 0.7,
  },
  rdsInstanceHour: {
    "db.t4g.micro": 0.017,
    "db.t4g.small": 0.035,
    "db.t4g.medium": 0.069,
    // derived: us-east-1 PostgreSQL × 1.10
    "db.m6g.large": 0.175,
    "db.m7g.large": 0.185,
  },
  rdsGp3GbMonth: 0.127,
  // derived: us-east-1 Valkey × 1.06
  valkeyNodeHour: {
    "cache.t4g.micro": 0.0136,
    "cache.t4g.small": 0.027,
    "cache.t4g.medium": 0.054,
    "cache.m7g.large": 0.139,
  },
  natGatewayHour: 0.048,
  natGatewayGb: 0.048,
  publicIpv4Hour: 0.005,
  albHour: 0.0252,
  lcuHour: 0.008,
  // derived: us-east-1's $0.005 (ELB pricing page, "per hour per Trust Store associated with Application Load
  // Balancer when using Mutual TLS") × 1.12, eu-west-1's ALB-hour ratio to us-east-1's ($0.0252 / $0.0225)
  albTrustStoreHour: 0.0056,
  // derived: us-east-1 × 1.095
  ec2Hour: { "t4g.nano": 0.0046 },
  interfaceEndpointHour: 0.011,
  logsIngestGb: 0.57,
  vendedLogsGb: 0.5,
  logsStorageGbMonth: 0.03,
  customMetricMonth: 0.3,
  kmsKeyMonth: 1,
  secretMonth: 0.4,
  ecrGbMonth: 0.1,
  s3GbMonth: 0.023,
  backupGbMonth: 0.095,
  interRegionGb: 0.02,
};

/** Regions the stacks use: the primary (eu-west-1), us-east-1 (uptime alarms) and the backup-copy region. */
export const REGION_PRICES: Readonly<Record<string, RegionPrices>> = {
  "eu-west-1": EU_WEST_1,
  // derived from eu-west-1 where the region's own figure was not checked: used only for the small us-east-1 and
  // backup-copy pieces (keys, topics, alarms, backup storage).
  "us-east-1": { ...EU_WEST_1, logsIngestGb: 0.5, s3GbMonth: 0.023 },
  "eu-central-1": EU_WEST_1,
};

export const HOURS_PER_MONTH = 730;
