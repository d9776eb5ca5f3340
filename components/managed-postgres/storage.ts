/** RDS storage facts shared by the component's checks and the stack config (no provider import). */

/**
 * RDS CreateDBInstance and ModifyDBInstance refuse a `MaxAllocatedStorage` that is not at least 10 % above
 * `AllocatedStorage` (RDS User Guide, "Managing capacity automatically with Amazon RDS storage autoscaling").
 */
export const MIN_AUTOSCALING_HEADROOM_PERCENT = 10;

/** The smallest ceiling RDS accepts for an allocation (integer arithmetic: 100 × 1.1 is 110.00000000000001). */
export const minStorageCeiling = (allocatedGb: number): number =>
  Math.ceil((allocatedGb * (100 + MIN_AUTOSCALING_HEADROOM_PERCENT)) / 100);

/** Whether storage autoscaling is on: a ceiling above the allocation (equal means off). */
export const storageAutoscaling = (a: { allocatedStorageGb: number; maxAllocatedStorageGb: number }): boolean =>
  a.maxAllocatedStorageGb > a.allocatedStorageGb;

/** The problem with a storage ceiling, or nothing: off (equal), or at least 10 % above the allocation. */
export function storageAutoscalingProblem(a: {
  allocatedStorageGb: number;
  maxAllocatedStorageGb: number;
}): string | undefined {
  const least = minStorageCeiling(a.allocatedStorageGb);
  if (a.maxAllocatedStorageGb === a.allocatedStorageGb || a.maxAllocatedStorageGb >= least) return undefined;
  return `must equal the allocated storage (${a.allocatedStorageGb}) to turn storage autoscaling off, or be at least ${least}: RDS refuses a ceiling less than 10 % above the allocation (got ${a.maxAllocatedStorageGb})`;
}
