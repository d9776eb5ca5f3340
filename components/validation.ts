import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS } from "./aws-facts";

export { HOSTNAME } from "./aws-facts";

/**
 * Throws one error listing every problem with a component's args (a RunError: `pulumi up` prints it without a
 * stack trace). Called before the component declares anything.
 */
export function throwIfInvalid(component: string, name: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  throw new pulumi.RunError(
    `${component} "${name}" has invalid args:\n${problems.map((p) => `  - ${oneLine(p)}`).join("\n")}`,
  );
}

/** A problem as one line: a line break inside a quoted value is shown as `\n`, so it cannot pass for a new problem. */
export const oneLine = (text: string): string => text.replace(/\r\n|\r|\n/g, "\\n");

/** `key` must be a TCP port, when given. */
export function portProblems(key: string, value: number | undefined): string[] {
  return value !== undefined && (!Number.isInteger(value) || value < 1 || value > 65535)
    ? [`${key} must be a port from 1 to 65535 (got ${value})`]
    : [];
}

/** `key` must be a retention CloudWatch Logs accepts. */
export function logRetentionProblems(key: string, value: number): string[] {
  return (LOG_RETENTION_DAYS as readonly number[]).includes(value)
    ? []
    : [`${key} must be a period CloudWatch accepts (got ${value})`];
}
