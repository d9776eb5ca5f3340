import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../naming";
import { transform } from "../transform";
import type { ResolvedFargateArgs, ServiceContext } from "./aws-args";

/** The name of the service's one container (the target group, when there is one, forwards to it). */
export const CONTAINER = "app";

/** The service's log group, encrypted with the stack's logs key when it has one. */
export function serviceLogGroup({
  name,
  args,
  parent,
  scope,
  tags,
}: ServiceContext<ResolvedFargateArgs>): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup(
    ...transform(
      args.transform?.logGroup,
      `${name}-logs`,
      {
        name: `/ecs/${physicalName(scope, name)}`,
        retentionInDays: args.logRetentionDays,
        ...(args.logsKmsKeyArn === undefined ? {} : { kmsKeyId: args.logsKmsKeyArn }),
        tags,
      },
      { parent },
    ),
  );
}

/** A Fargate task on X86_64 with the service's roles and its one container. */
export function serviceTaskDefinition(
  ctx: ServiceContext<ResolvedFargateArgs> & {
    readonly imageRef: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    readonly executionRoleArn: pulumi.Output<string>;
    readonly taskRoleArn: pulumi.Output<string>;
    /** What must succeed before a new revision is registered (the migration). */
    readonly dependsOn?: readonly pulumi.Resource[];
  },
): aws.ecs.TaskDefinition {
  const { name, args, parent, scope, tags } = ctx;
  return new aws.ecs.TaskDefinition(
    ...transform(
      args.transform?.taskDefinition,
      `${name}-task`,
      {
        family: physicalName(scope, name),
        cpu: String(args.cpu),
        memory: String(args.memory),
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
        executionRoleArn: ctx.executionRoleArn,
        taskRoleArn: ctx.taskRoleArn,
        volumes: args.readonlyRootFilesystem ? [{ name: "tmp" }] : [],
        containerDefinitions: containerDefinitions(ctx),
        tags,
      },
      { parent, dependsOn: [...(ctx.dependsOn ?? [])] },
    ),
  );
}

/**
 * The container: plain environment and secrets kept apart (secrets are only ever `valueFrom` ARNs). A port (and `PORT`)
 * only for a service something connects to; the image's command unless `command` overrides it.
 */
function containerDefinitions({
  args,
  imageRef,
  logGroupName,
  region,
}: {
  readonly args: ResolvedFargateArgs;
  readonly imageRef: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly region: pulumi.Output<string>;
}): pulumi.Output<string> {
  const port = args.containerPort;
  const env = Object.entries({ ...(port === undefined ? {} : { PORT: String(port) }), ...args.environment }).sort(
    ([a], [b]) => a.localeCompare(b),
  );
  const secrets = Object.entries(args.secrets).sort(([a], [b]) => a.localeCompare(b));
  return pulumi
    .all([
      imageRef,
      logGroupName,
      region,
      pulumi.all(env.map(([, v]) => pulumi.output(v))),
      pulumi.all(secrets.map(([, v]) => pulumi.output(v))),
    ])
    .apply(([image, group, awsRegion, envValues, secretArns]) =>
      JSON.stringify([
        {
          name: CONTAINER,
          image,
          essential: true,
          ...(args.command === undefined ? {} : { command: [...args.command] }),
          ...(port === undefined ? {} : { portMappings: [{ containerPort: port, protocol: "tcp" }] }),
          environment: env.map(([name], i) => ({ name, value: envValues[i] })),
          secrets: secrets.map(([name], i) => ({ name, valueFrom: secretArns[i] })),
          readonlyRootFilesystem: args.readonlyRootFilesystem,
          mountPoints: args.readonlyRootFilesystem
            ? [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]
            : [],
          linuxParameters: { initProcessEnabled: true },
          // Opt-in: the load balancer's HTTP check (if any) is the health check unless the user gives a command.
          ...(args.containerHealthCheck === undefined
            ? {}
            : {
                healthCheck: {
                  command: [...args.containerHealthCheck],
                  interval: 15,
                  timeout: 5,
                  retries: 3,
                  startPeriod: 30,
                },
              }),
          logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": group, "awslogs-region": awsRegion, "awslogs-stream-prefix": CONTAINER },
          },
        },
      ]),
    );
}
