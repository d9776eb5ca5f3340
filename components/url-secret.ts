import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { transform, type Transform } from "./transform";

/**
 * A connection URL (with its password) in Secrets Manager, where ECS tasks read it at start (`secrets` valueFrom):
 * never a plain environment value.
 *
 * Returns the secret's ARN as the version's output, not the secret's: a secret has no value until its version exists
 * (and the version waits for the database or cache behind the URL, 10 to 25 minutes), so whoever reads the ARN, such
 * as a task definition, must wait for the value, or its first tasks fail with `ResourceNotFoundException`.
 */
export function storeUrlSecret(
  name: string,
  args: {
    readonly description: string;
    readonly url: pulumi.Output<string>;
    readonly kmsKeyId?: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
  },
  opts: pulumi.CustomResourceOptions,
  hooks: {
    readonly secret?: Transform<aws.secretsmanager.SecretArgs>;
    readonly secretVersion?: Transform<aws.secretsmanager.SecretVersionArgs>;
  } = {},
): { readonly secret: aws.secretsmanager.Secret; readonly readyArn: pulumi.Output<string> } {
  const secret = new aws.secretsmanager.Secret(
    ...transform(
      hooks.secret,
      name,
      {
        description: args.description,
        ...(args.kmsKeyId === undefined ? {} : { kmsKeyId: args.kmsKeyId }),
        recoveryWindowInDays: 7,
        tags: { ...args.tags },
      },
      { ...opts },
    ),
  );
  const version = new aws.secretsmanager.SecretVersion(
    ...transform(hooks.secretVersion, name, { secretId: secret.id, secretString: args.url }, { ...opts }),
  );
  return { secret, readyArn: version.arn };
}
