import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy, viaService } from "../iam";
import { transform } from "../transform";
import type { ResolvedFargateArgs, ServiceContext, TaskPermission } from "./aws-args";

/** The two roles of the tasks: ECS's own to start them, and the app's. */
export interface ServiceRoles {
  readonly executionRole: aws.iam.Role;
  readonly taskRole: aws.iam.Role;
}

/**
 * The execution role (pull the image, write the logs, read the secrets) and the task role (what the app may do:
 * nothing unless `permissions` grant it).
 */
export function serviceRoles(
  ctx: ServiceContext<ResolvedFargateArgs> & {
    /** The service's ECR repository; absent for a prebuilt image. */
    readonly repositoryArn: pulumi.Input<string> | undefined;
    readonly logGroupArn: pulumi.Input<string>;
  },
): ServiceRoles {
  const { name, args, parent, tags, region } = ctx;
  const ecsTrust = serviceTrustPolicy("ecs-tasks.amazonaws.com", ctx.accountId);
  const executionRole = new aws.iam.Role(
    ...transform(
      args.transform?.executionRole,
      `${name}-execution`,
      {
        description: `ECS starts ${name}: pull its image, write its logs, read its secrets`,
        assumeRolePolicy: ecsTrust,
        tags,
      },
      { parent },
    ),
  );
  new aws.iam.RolePolicy(
    `${name}-execution`,
    {
      role: executionRole.id,
      policy: executionPolicy({
        repositoryArn: ctx.repositoryArn,
        logGroupArn: ctx.logGroupArn,
        secretArns: Object.values(args.secrets),
        kmsKeyArns: args.secretKmsKeyArns,
        region,
      }),
    },
    { parent },
  );
  const taskRole = new aws.iam.Role(
    ...transform(
      args.transform?.taskRole,
      `${name}-task`,
      { description: `What ${name} itself may do in AWS (nothing unless granted)`, assumeRolePolicy: ecsTrust, tags },
      { parent },
    ),
  );
  if (args.permissions.length > 0) {
    new aws.iam.RolePolicy(
      `${name}-task`,
      {
        role: taskRole.id,
        policy: permissionsPolicy(args.permissions),
      },
      { parent },
    );
  }
  return { executionRole, taskRole };
}

/** The task role's policy: one statement per permission, as given. */
export function permissionsPolicy(permissions: readonly TaskPermission[]): pulumi.Output<string> {
  return pulumi.all(permissions.map((p) => pulumi.all(p.resources.map((r) => pulumi.output(r))))).apply((resources) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: permissions.map((p, i) => ({
        Effect: "Allow",
        Action: [...p.actions],
        Resource: resources[i],
      })),
    }),
  );
}

/** The execution role: pull this repository's images, write this log group, read these secrets. Nothing else. */
export function executionPolicy(scope: {
  repositoryArn: pulumi.Input<string> | undefined;
  logGroupArn: pulumi.Input<string>;
  secretArns: readonly pulumi.Input<string>[];
  kmsKeyArns: readonly pulumi.Input<string>[];
  /** The region of the secrets (Secrets Manager decrypts through KMS in its own region). */
  region: pulumi.Input<string>;
}): pulumi.Output<string> {
  return pulumi
    .all([
      pulumi.output(scope.repositoryArn),
      pulumi.output(scope.logGroupArn),
      pulumi.all(scope.secretArns.map((a) => pulumi.output(a))),
      pulumi.all(scope.kmsKeyArns.map((a) => pulumi.output(a))),
      pulumi.output(scope.region),
    ])
    .apply(([repositoryArn, logGroupArn, secretArns, kmsKeyArns, region]) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          ...(repositoryArn === undefined
            ? []
            : [
                // GetAuthorizationToken has no resource-level permissions: AWS only accepts "*" for it.
                { Sid: "RegistryLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
                {
                  Sid: "PullImage",
                  Effect: "Allow",
                  Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                  Resource: [repositoryArn],
                },
              ]),
          {
            Sid: "WriteLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [`${logGroupArn}:*`],
          },
          ...(secretArns.length === 0
            ? []
            : [
                {
                  Sid: "ReadSecrets",
                  Effect: "Allow",
                  Action: ["secretsmanager:GetSecretValue"],
                  Resource: [...secretArns].sort(),
                },
              ]),
          ...(kmsKeyArns.length === 0
            ? []
            : [
                {
                  Sid: "DecryptSecrets",
                  Effect: "Allow",
                  Action: ["kms:Decrypt"],
                  Resource: [...kmsKeyArns].sort(),
                  Condition: { StringEquals: { "kms:ViaService": viaService("secretsmanager", region) } },
                },
              ]),
        ],
      }),
    );
}
