import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { TASK_RUN_TIMEOUT_SECONDS, taskRunTimeoutProblem, type EcsTaskRun } from "../ecs-task-run";
import type { MigrationArgs, ServiceContext } from "./aws-args";
import { createOneOffTask, type OneOffService } from "./one-off";

/**
 * The gate of a release: the migration command as a one-off task of the service's new image (its task role, the
 * secrets it names or all of them, its security group and private subnets). Whatever releases the new image depends
 * on the returned run, so a failed or timed-out migration leaves the service on its old revision.
 */
export function serviceMigration(ctx: ServiceContext & { readonly service: OneOffService }): EcsTaskRun | undefined {
  const { name, args, parent } = ctx;
  const migration = args.migration;
  if (migration === undefined) return undefined;
  const command = [...migration.command];
  return createOneOffTask(
    name,
    "migration",
    ctx.service,
    {
      command,
      secrets: migration.secrets ?? Object.keys(args.secrets).sort(),
      // The image (a digest when built here) and the command: an unchanged release does not migrate again.
      trigger: ctx.service.imageRef.apply((image) =>
        createHash("sha256").update(JSON.stringify({ image, command })).digest("hex"),
      ),
      timeoutSeconds: migration.timeoutSeconds ?? TASK_RUN_TIMEOUT_SECONDS.default,
    },
    parent,
    `${name} migration`,
  );
}

/** What is wrong with the migration, against the service's secrets. */
export function migrationProblems(
  migration: MigrationArgs | undefined,
  secrets: Readonly<Record<string, pulumi.Input<string>>>,
): string[] {
  if (migration === undefined) return [];
  const problems: string[] = [];
  const command = migration.command as readonly unknown[];
  if (!Array.isArray(command) || command.length === 0) {
    problems.push(
      `migration.command must list the command and its arguments, e.g. ["npm", "run", "migrate"] (got ${JSON.stringify(command)})`,
    );
  } else if (command.some((word) => typeof word !== "string" || word === "")) {
    problems.push(`migration.command must hold non-empty strings only (got ${JSON.stringify(command)})`);
  }
  const timeout = taskRunTimeoutProblem("migration.timeoutSeconds", migration.timeoutSeconds);
  if (timeout !== undefined) problems.push(timeout);
  const unknown = (migration.secrets ?? []).filter((s) => !(s in secrets));
  if (unknown.length > 0) {
    problems.push(
      `migration.secrets must name secrets of the service: ${unknown.join(", ")} is not one (it has ${Object.keys(secrets).sort().join(", ") || "none"})`,
    );
  }
  return problems;
}
