/** The product's targets, the defaults of every alarm threshold. */
export interface Thresholds {
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly errorRatePercent: number;
  readonly serviceCpuPercent: number;
  readonly serviceMemoryPercent: number;
  readonly databaseCpuPercent: number;
  /** Alarm when free storage falls below this share of the allocated storage. */
  readonly databaseFreeStoragePercent: number;
  readonly databaseFreeableMemoryMiB: number;
  /** Alarm when connections exceed this share of the instance's `max_connections`. */
  readonly databaseConnectionsPercent: number;
  readonly cacheCpuPercent: number;
  readonly cacheMemoryPercent: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  latencyP50Ms: 200,
  latencyP99Ms: 1000,
  errorRatePercent: 1,
  serviceCpuPercent: 80,
  serviceMemoryPercent: 80,
  databaseCpuPercent: 80,
  databaseFreeStoragePercent: 10,
  databaseFreeableMemoryMiB: 256,
  databaseConnectionsPercent: 80,
  cacheCpuPercent: 80,
  cacheMemoryPercent: 80,
};

/** Memory (GiB) of common RDS classes; PostgreSQL's default `max_connections` is memory / 9531392 bytes. */
const MEMORY_GIB: Readonly<Record<string, number>> = {
  micro: 1,
  small: 2,
  medium: 4,
  large: 8,
  xlarge: 16,
  "2xlarge": 32,
  "4xlarge": 64,
  "8xlarge": 128,
};

/** RDS PostgreSQL's default `max_connections` for an instance class (memory-optimised r* classes have twice the memory). */
export function maxConnections(instanceClass: string): number | undefined {
  const [, family, size] = /^db\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(instanceClass) ?? [];
  const base = size === undefined ? undefined : MEMORY_GIB[size];
  if (base === undefined || family === undefined) return undefined;
  const gib = family.startsWith("r") ? base * 2 : base;
  return Math.min(Math.floor((gib * 1024 ** 3) / 9531392), 5000);
}
