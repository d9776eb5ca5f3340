import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EcsTaskRun } from "../ecs-task-run";
import { physicalName } from "../naming";

/** What a one-off task of the service runs with: the service's roles, logs and network. */
export interface OneOffRuntime {
  readonly region: pulumi.Output<string>;
  readonly executionRoleArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly subnetIds: pulumi.Input<string[]>;
  readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * What a task needs before it can start and reach out: the subnets' routes, the tasks' HTTPS egress (the image pull
   * and the secrets) and the service's `connections` rules.
   */
  readonly egressReady: readonly pulumi.Resource[];
  readonly scope: { readonly project: string; readonly stack: string };
}

/** The parts of the service a one-off task runs in (the service's cloud outputs have them all). */
export interface OneOffService {
  readonly clusterArn: pulumi.Output<string>;
  readonly imageRef: pulumi.Output<string>;
  readonly taskRoleArn: pulumi.Output<string>;
  readonly serviceSecurityGroupId: pulumi.Output<string>;
  readonly runtime: OneOffRuntime;
}

/** A command run once, as a task of the service, on `pulumi up` (a migration, a database grant). */
export interface OneOffTaskArgs {
  /** @default - the service's own image */
  readonly image?: pulumi.Input<string>;
  /** The container's command, e.g. `["npm", "run", "migrate"]`. */
  readonly command: readonly string[];
  /** Plain environment values (no secrets). */
  readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Which of the service's secrets the task gets, by environment name (e.g. `DATABASE_URL`). */
  readonly secrets?: readonly string[];
  /** Runs the task again when this changes (a hash of what it does; the image digest for a migration). */
  readonly trigger: pulumi.Input<string>;
  /** 60 to 3600. @default 600 */
  readonly timeoutSeconds?: number;
  /** Resources the task needs before it can run (e.g. the security-group rule to the database). */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/** What a one-off task borrows from its service (an ApiService's or a WorkerService's AWS outputs). */
export type OneOffHost = OneOffService;

/**
 * Declares the task definition of a one-off task of the service (its execution role, log group, security group and
 * private subnets; its task role unless it runs another image) and the run itself ({@link EcsTaskRun}). Returns the
 * run: whoever must wait for the task's work (a service release after a migration) depends on it.
 */
export function createOneOffTask(
  service: string,
  name: string,
  cloud: OneOffService,
  args: OneOffTaskArgs,
  parent: pulumi.ComponentResource,
  /** Names the run in errors. */
  description = `${service}.runTask("${name}")`,
): EcsTaskRun {
  const rt = cloud.runtime;
  const unknown = (args.secrets ?? []).filter((s) => !(s in rt.secrets));
  if (unknown.length > 0) {
    throw new pulumi.ResourceError(
      `${description} asks for secrets the service does not have: ${unknown.join(", ")} (it has ${Object.keys(rt.secrets).join(", ") || "none"})`,
      parent,
    );
  }
  const ownImage = args.image === undefined;
  const environment = Object.entries(args.environment ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const secrets = (args.secrets ?? []).map((s) => [s, rt.secrets[s]!] as const);
  const definition = new aws.ecs.TaskDefinition(
    `${service}-${name}-task`,
    {
      family: physicalName(rt.scope, `${service}-${name}`),
      cpu: "256",
      memory: "512",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: rt.executionRoleArn,
      // Another image (a database client) gets no AWS permissions; the service's own image keeps its task role.
      ...(ownImage ? { taskRoleArn: cloud.taskRoleArn } : {}),
      containerDefinitions: pulumi
        .all([
          args.image ?? cloud.imageRef,
          rt.logGroupName,
          rt.region,
          pulumi.all(environment.map(([, v]) => pulumi.output(v))),
          pulumi.all(secrets.map(([, v]) => pulumi.output(v))),
        ])
        .apply(([image, group, region, values, arns]) =>
          JSON.stringify([
            {
              name: "task",
              image,
              essential: true,
              command: [...args.command],
              environment: environment.map(([k], i) => ({ name: k, value: values[i] })),
              secrets: secrets.map(([k], i) => ({ name: k, valueFrom: arns[i] })),
              readonlyRootFilesystem: false,
              logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": group, "awslogs-region": region, "awslogs-stream-prefix": name },
              },
            },
          ]),
        ),
    },
    { parent },
  );
  return new EcsTaskRun(
    `${service}-${name}`,
    {
      region: rt.region,
      cluster: cloud.clusterArn,
      taskDefinition: definition.arn,
      subnets: rt.subnetIds,
      securityGroups: [cloud.serviceSecurityGroupId],
      trigger: args.trigger,
      ...(args.timeoutSeconds === undefined ? {} : { timeoutSeconds: args.timeoutSeconds }),
      description,
    },
    // Its image pull and secrets go through the private subnets' egress and HTTPS out; its connections through the
    // service's rules and the ones given.
    { parent, dependsOn: [...rt.egressReady, ...(args.dependsOn ?? [])] },
  );
}
