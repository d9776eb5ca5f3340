import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../naming";
import { transform } from "../transform";
import type { AwsApiServiceArgs, ResolvedAwsApiServiceArgs, ServiceContext } from "./aws-args";
import { contextHash } from "./image";

/** Fargate tasks here run on X86_64 (see the task definition's runtimePlatform). */
const BUILD_PLATFORM = "linux/amd64";

/** The image the tasks run, and the ECR repository it was pushed to when it is built here. */
export interface ServiceImage {
  /** Absent for a prebuilt image. */
  readonly repository: aws.ecr.Repository | undefined;
  /** As given, or the digest of what this update pushed. */
  readonly imageRef: pulumi.Output<string>;
}

/**
 * What the image and its repository are declared with: the part of a service's context they read, so that another
 * component running its own image (a scheduled task) can declare them the same way.
 */
export type ImageContext = Pick<ServiceContext, "name" | "parent" | "scope" | "tags"> & {
  readonly args: Pick<ResolvedAwsApiServiceArgs, "image" | "keepImages" | "protect"> & {
    readonly transform?: Pick<NonNullable<AwsApiServiceArgs["transform"]>, "repository" | "image">;
  };
};

/** A prebuilt image as given; a build pushed to an immutable, scanned repository of the service's own. */
export function serviceImage(ctx: ImageContext): ServiceImage {
  const { name, args, parent } = ctx;
  if ("image" in args.image) return { repository: undefined, imageRef: pulumi.output(args.image.image) };
  const repository = ecrRepository(ctx);
  const build = args.image.build;
  const tag = args.image.tag ?? contextHash(build.context, { ...build, platform: BUILD_PLATFORM });
  const token = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent });
  const image = new docker.Image(
    ...transform(
      args.transform?.image,
      `${name}-image`,
      {
        imageName: pulumi.interpolate`${repository.repositoryUrl}:${tag}`,
        build: {
          context: build.context,
          ...(build.dockerfile === undefined ? {} : { dockerfile: `${build.context}/${build.dockerfile}` }),
          ...(build.target === undefined ? {} : { target: build.target }),
          ...(build.args === undefined ? {} : { args: { ...build.args } }),
          platform: BUILD_PLATFORM,
        },
        registry: {
          server: repository.repositoryUrl,
          username: token.userName,
          password: pulumi.secret(token.password),
        },
      },
      { parent },
    ),
  );
  // The digest pins exactly what was pushed: a task never runs an image other than the one this update built.
  return { repository, imageRef: image.repoDigest };
}

/** The service's repository: immutable tags, scanned on push, the last `keepImages` images kept. */
function ecrRepository({ name, args, parent, scope, tags }: ImageContext): aws.ecr.Repository {
  const repository = new aws.ecr.Repository(
    ...transform(
      args.transform?.repository,
      `${name}-repo`,
      {
        name: physicalName(scope, name, "ecrRepository"),
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        // KMS with ECR's AWS-managed key: pulls need no key permission (ECR decrypts through a grant).
        encryptionConfigurations: [{ encryptionType: "KMS" }],
        forceDelete: !args.protect,
        tags,
      },
      { parent, protect: args.protect },
    ),
  );
  new aws.ecr.LifecyclePolicy(
    `${name}-repo`,
    {
      repository: repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `keep the last ${args.keepImages} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: args.keepImages },
            action: { type: "expire" },
          },
        ],
      }),
    },
    { parent },
  );
  return repository;
}
