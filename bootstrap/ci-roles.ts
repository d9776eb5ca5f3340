/**
 * The AWS side of CI: GitHub's OIDC provider and one role per kind of job, each trusted only for the GitHub
 * subjects that kind of job has (GitHub docs, "OpenID Connect reference": a job with `environment:` gets
 * `repo:<owner>/<repo>:environment:<name>`; without one, a pull request gets `repo:<owner>/<repo>:pull_request`).
 *
 * - deploy: `up` of staging and production, only from the `staging` and `production` environments.
 * - preview: `up` and `destroy` of `pr-<n>` stacks, only from the `preview` environment.
 * - read-only: `pulumi preview` of a PR (the `pr-plan` environment) and the nightly drift check (`drift`).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** GitHub's OIDC issuer and the audience aws-actions/configure-aws-credentials requests. */
export const GITHUB_OIDC = { url: "https://token.actions.githubusercontent.com", audience: "sts.amazonaws.com" };

/**
 * The repository as GitHub's OIDC subject names it: `owner/repo`, or `owner@<id>/repo@<id>` for repositories whose
 * subjects carry immutable ids (GitHub's newer subject format; read one from a job's token before trusting it).
 */
export const GITHUB_REPOSITORY = /^[A-Za-z0-9_.-]+(@\d+)?\/[A-Za-z0-9_.-]+(@\d+)?$/;

/** The GitHub environments each role trusts. */
export const ROLE_ENVIRONMENTS = {
  deploy: ["staging", "production"],
  preview: ["preview"],
  readOnly: ["pr-plan", "drift"],
} as const;

export function trustPolicy(providerArn: string, repository: string, environments: readonly string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": GITHUB_OIDC.audience,
            "token.actions.githubusercontent.com:sub": environments.map((e) => `repo:${repository}:environment:${e}`),
          },
        },
      },
    ],
  });
}

export function ciRoles(args: {
  readonly repository: string;
  readonly stateBucketArn: pulumi.Input<string>;
  readonly secretsKeyArn: pulumi.Input<string>;
}): { deploy: aws.iam.Role; preview: aws.iam.Role; readOnly: aws.iam.Role } {
  if (!GITHUB_REPOSITORY.test(args.repository)) {
    throw new pulumi.RunError(
      `githubRepository must be "<owner>/<repo>", or "<owner>@<owner-id>/<repo>@<repo-id>" where GitHub's OIDC subjects carry ids (got "${args.repository}")`,
    );
  }
  const provider = new aws.iam.OpenIdConnectProvider("github", {
    url: GITHUB_OIDC.url,
    clientIdLists: [GITHUB_OIDC.audience],
  });
  const role = (name: string, description: string, environments: readonly string[]) =>
    new aws.iam.Role(name, {
      description,
      assumeRolePolicy: provider.arn.apply((arn) => trustPolicy(arn, args.repository, environments)),
      maxSessionDuration: 3600,
    });

  // Writers need to create whatever the program declares (VPC, RDS, IAM roles for ECS...): AdministratorAccess,
  // fenced by a deny on the CI's own identity and on the state backend, so a deploy cannot widen its own trust or
  // destroy the state it runs on.
  const fence = pulumi.all([provider.arn, args.stateBucketArn, args.secretsKeyArn]).apply(([oidc, bucket, key]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "NoChangesToTheCiIdentity",
          Effect: "Deny",
          Action: ["iam:*OpenIDConnectProvider*"],
          Resource: oidc,
        },
        {
          Sid: "NoChangesToCiRoles",
          Effect: "Deny",
          Action: [
            "iam:UpdateAssumeRolePolicy",
            "iam:AttachRolePolicy",
            "iam:DetachRolePolicy",
            "iam:PutRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:DeleteRole",
          ],
          Resource: "arn:aws:iam::*:role/ci-*",
        },
        {
          Sid: "KeepTheStateBackend",
          Effect: "Deny",
          Action: ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration"],
          Resource: bucket,
        },
        {
          Sid: "KeepTheSecretsKey",
          Effect: "Deny",
          Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"],
          Resource: key,
        },
      ],
    }),
  );
  const writer = (name: string, description: string, environments: readonly string[]) => {
    const r = role(name, description, environments);
    new aws.iam.RolePolicyAttachment(`${name}-admin`, {
      role: r.name,
      policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
    });
    new aws.iam.RolePolicy(`${name}-fence`, { role: r.id, policy: fence });
    return r;
  };
  const deploy = writer("ci-deploy", "GitHub Actions: pulumi up of staging and production", ROLE_ENVIRONMENTS.deploy);
  const preview = writer(
    "ci-preview",
    "GitHub Actions: pulumi up and destroy of PR previews",
    ROLE_ENVIRONMENTS.preview,
  );

  // Reading is enough for `pulumi preview --refresh`: ReadOnlyAccess, plus what it leaves out and a refresh needs
  // (the values of this program's secrets, tagged ManagedBy=pulumi by the providers' default tags) and the state.
  const readOnly = role(
    "ci-read-only",
    "GitHub Actions: pulumi preview of PRs and the drift check",
    ROLE_ENVIRONMENTS.readOnly,
  );
  new aws.iam.RolePolicyAttachment("ci-read-only", {
    role: readOnly.name,
    policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
  });
  new aws.iam.RolePolicy("ci-read-only-state", {
    role: readOnly.id,
    policy: pulumi.all([args.stateBucketArn, args.secretsKeyArn]).apply(([bucket, key]) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ReadState",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:ListBucket"],
            Resource: [bucket, `${bucket}/*`],
          },
          { Sid: "DecryptStateSecrets", Effect: "Allow", Action: ["kms:Decrypt"], Resource: key },
          {
            Sid: "RefreshSecretValues",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue"],
            Resource: "*",
            Condition: { StringEquals: { "aws:ResourceTag/ManagedBy": "pulumi" } },
          },
        ],
      }),
    ),
  });
  return { deploy, preview, readOnly };
}
