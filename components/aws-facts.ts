import * as aws from "@pulumi/aws";
/**
 * Facts of the AWS APIs that the components check and the stack config reuses (the config imports them from here:
 * components depend on nothing above them).
 */

/**
 * NAT layout of the VPC: no egress; one NAT instance (t4g.nano, ~$8/month, the cheapest, one AZ and one instance are
 * single points of failure); one shared gateway (~$39/month, one AZ is a single point of failure); or one gateway per
 * AZ (HA, ~$39/month each). See docs/cost.md.
 */
export const NAT_MODES = ["none", "instance", "single", "perAz"] as const;
export type NatMode = (typeof NAT_MODES)[number];

/** The retention periods CloudWatch Logs accepts (anything else is rejected by the API at deploy time). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Fargate task sizes: CPU units and the memory (MiB) each accepts. */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/**
 * A lowercase DNS name (labels of 1 to 63 characters, 253 in all), the one check of hostnames everywhere. The
 * top-level domain is letters, or an internationalised one in its ASCII form (`xn--p1ai` for .рф, RFC 5890).
 */
export const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9]([a-z0-9-]{0,57}[a-z0-9])?)$/;

/**
 * An SQS queue name: 1 to 80 letters, digits, `-` or `_`; a FIFO queue's ends in `.fifo`, and the suffix counts in
 * the 80 (terraform-provider-aws `internal/service/sqs/queue.go` checks `^[0-9A-Za-z_-]{1,75}\.fifo$` for a FIFO
 * queue and `^[0-9A-Za-z_-]{1,80}$` otherwise). The one check of queue names: the worker's arguments and the stack
 * file's `services.*.queue.name`.
 */
export const SQS_QUEUE_NAME = /^(?=.{1,80}$)[A-Za-z0-9_-]+(\.fifo)?$/;

/**
 * Where production's backup copies go by default: a nearby region in the same geography. AWS has one UK region, so
 * London's copies go to Ireland, in the EU, outside the UK: tell a client whose data must stay in the UK. Any other
 * primary region must set `database.backupCopyRegion`.
 */
export const DISASTER_RECOVERY_REGIONS: Readonly<Record<string, string>> = {
  "eu-west-1": "eu-central-1",
  "eu-west-2": "eu-west-1",
  "eu-west-3": "eu-central-1",
  "eu-central-1": "eu-west-1",
  "eu-north-1": "eu-central-1",
  "us-east-1": "us-west-2",
  "us-east-2": "us-west-2",
  "us-west-2": "us-east-1",
  "ca-central-1": "ca-west-1",
  "ap-southeast-2": "ap-southeast-4",
  "ap-northeast-1": "ap-northeast-3",
};

/**
 * Every region the AWS provider knows (its `Region` enum, kept by the provider's maintainers): a code outside it, such
 * as `eu-west-9`, is a typo the provider would only reject at deploy time.
 */
export const AWS_REGIONS: readonly string[] = Object.values(aws.Region);
export const isAwsRegion = (value: string): boolean => AWS_REGIONS.includes(value);

/**
 * The partitions other than AWS's commercial one (`aws`), by the prefix of their regions' codes: the `regionRegex` of
 * each partition in the AWS SDK's `partitions.json` (aws-sdk-js-v3 `packages/util-endpoints/src/lib/aws`). Their ARNs
 * start `arn:<partition>:` (IAM User Guide, "IAM identifiers"), and the components write `arn:aws:` ARNs and
 * managed-policy names, so a stack and its backup copies stay in the commercial partition.
 */
const OTHER_PARTITIONS: ReadonlyArray<readonly [prefix: string, partition: string]> = [
  ["cn-", "aws-cn"],
  ["us-gov-", "aws-us-gov"],
  ["us-iso-", "aws-iso"],
  ["us-isob-", "aws-iso-b"],
  ["eu-isoe-", "aws-iso-e"],
  ["us-isof-", "aws-iso-f"],
  ["eusc-", "aws-eusc"],
];

/** The partition of a region code: `aws` (commercial), or `aws-cn`, `aws-us-gov` and the others above. */
export function partitionOf(region: string): string {
  return OTHER_PARTITIONS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "aws";
}

/** The regions of the commercial partition: the ones a stack may use, and the only ones a typo is pointed to. */
export const COMMERCIAL_REGIONS: readonly string[] = AWS_REGIONS.filter((region) => partitionOf(region) === "aws");

/** Why a region the components cannot deploy to is refused, or `undefined` for a commercial region. */
export function partitionProblem(region: string): string | undefined {
  const partition = partitionOf(region);
  return partition === "aws"
    ? undefined
    : `is in the ${partition} partition, whose ARNs start arn:${partition}: the components write arn:aws: ARNs and policies of the commercial partition, so choose a region such as eu-west-1 (got "${region}")`;
}
