// The details of ApiService's parts that api-service.test.ts leaves open: the image sources (the content tag's exact
// bytes, the ECR repository, its lifecycle policy, the pushed build and the local build), the Docker variant's
// container, the one-off tasks and the migration (what each waits for), the connections' rule pairs, and the exact
// text of every argument check at its boundaries. Each part is declared alone under a stand-in parent.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import {
  contextHash,
  dockerignorePatterns,
  imageSourceOf,
  imageSourceProblems,
  type ImageSource,
} from "../../components/api-service/image";
import {
  SECRET_LIKE,
  environmentProblems,
  fargateSizeProblems,
  imageAndCapacityProblems,
  permissionProblems,
} from "../../components/api-service/checks";
import { createDockerApiService, localImage } from "../../components/api-service/docker";
import { migrationProblems, serviceMigration } from "../../components/api-service/migration";
import { createOneOffTask, type OneOffService } from "../../components/api-service/one-off";
import { serviceImage, type ImageContext } from "../../components/api-service/repository";
import { connectionProblems, egressTo, serviceConnections } from "../../components/api-service/connections";
import type { DockerNetworkOutputs } from "../../components/network";
import { recordProgram, type SynthResult } from "../../synth/synth";
import { ofType, resource } from "../helpers/synth";
import { tempDir } from "../helpers/temp";

const T = {
  host: "test:index:Host",
  repo: "aws:ecr/repository:Repository",
  lifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  image: "docker:index/image:Image",
  remoteImage: "docker:index/remoteImage:RemoteImage",
  container: "docker:index/container:Container",
  taskDef: "aws:ecs/taskDefinition:TaskDefinition",
  run: "pulumi-nodejs:dynamic:Resource",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
} as const;
const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
const SCOPE = { project: "saas-platform", stack: "test" };
const ACCOUNT = "123456789012";
const REPO_URL = (name: string) => `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/${name}`;

/** A build context in a fresh temporary folder. */
function context(files: Record<string, string>): string {
  const dir = tempDir("api-details");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
const sha = (parts: Array<string | Buffer>) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h;
};
const NO_SETTINGS = JSON.stringify({ target: null, args: {}, platform: null });

/** Runs `body` under the recording mocks with a component as the parent of what it declares. */
async function withHost(
  body: (host: pulumi.ComponentResource) => Record<string, unknown>,
): Promise<{ result: SynthResult; hostUrn: string }> {
  const result = await recordProgram(STACK, async () => {
    const host = new pulumi.ComponentResource(T.host, "host");
    return body(host);
  });
  return { result, hostUrn: resource(result, T.host, "host").urn };
}

describe("dockerignorePatterns", () => {
  test("reads the context's .dockerignore as Docker does: trimmed, without blanks and comments, CRLF or LF", () => {
    const dir = context({
      Dockerfile: "FROM scratch\n",
      ".dockerignore": "  node_modules  \r\n\r\n# a comment\n   # an indented comment\n*.md\n!README.md\r\n\n",
    });
    expect(dockerignorePatterns(dir, "Dockerfile")).toEqual(["node_modules", "*.md", "!README.md"]);
  });

  test("without an ignore file there are no patterns (and no error)", () => {
    expect(dockerignorePatterns(context({ Dockerfile: "FROM scratch\n" }), "Dockerfile")).toEqual([]);
  });

  test("the Dockerfile's own <Dockerfile>.dockerignore wins over the context's, resolved against the context", () => {
    const dir = context({
      "docker/api.Dockerfile": "FROM scratch\n",
      "docker/api.Dockerfile.dockerignore": "own\n",
      ".dockerignore": "root\n",
    });
    expect(dockerignorePatterns(dir, "docker/api.Dockerfile")).toEqual(["own"]);
    expect(dockerignorePatterns(dir, "Dockerfile")).toEqual(["root"]);
  });

  test("a folder named like an ignore file is not one", () => {
    const dir = context({ "Dockerfile.dockerignore/x": "", ".dockerignore": "root\n" });
    expect(dockerignorePatterns(dir, "Dockerfile")).toEqual(["root"]);
    expect(dockerignorePatterns(context({ ".dockerignore/x": "" }), "Dockerfile")).toEqual([]);
  });
});

describe("contextHash: the exact bytes behind a tag", () => {
  test("a lone Dockerfile: its path, its mode and content, then the settings, cut to 12 hex characters", () => {
    const dir = context({ Dockerfile: "FROM scratch\n" });
    const expected = sha(["Dockerfile", "\0", "-:", "FROM scratch\n", "\0", NO_SETTINGS]).digest("hex").slice(0, 12);
    expect(contextHash(dir)).toBe(expected);
    expect(contextHash(dir, {})).toBe(expected);
    expect(contextHash(dir, { dockerfile: "Dockerfile" })).toBe(expected);
  });

  test("folders, executable files and links, in path order; ignored entries and folders left out", () => {
    const dir = context({
      Dockerfile: "FROM scratch\n",
      ".dockerignore": "skip\n",
      "b.sh": "run",
      "a/z.txt": "z",
      "skip/inner.txt": "never",
    });
    mkdirSync(join(dir, "a", "empty"));
    chmodSync(join(dir, "b.sh"), 0o755);
    symlinkSync("b.sh", join(dir, "link"));
    const expected = sha([
      ".dockerignore\0-:skip\n\0",
      "Dockerfile\0-:FROM scratch\n\0",
      "a\0dir\0",
      "a/empty\0dir\0",
      "a/z.txt\0-:z\0",
      "b.sh\0x:run\0",
      "link\0link:b.sh\0",
      NO_SETTINGS,
    ])
      .digest("hex")
      .slice(0, 12);
    expect(contextHash(dir)).toBe(expected);
  });

  test("a Dockerfile and ignore file that exclude themselves are still fed once, in path order", () => {
    const dir = context({ Dockerfile: "FROM scratch\n", ".dockerignore": "Dockerfile\n.dockerignore\n", "c.txt": "c" });
    const expected = sha([
      ".dockerignore\0-:Dockerfile\n.dockerignore\n\0",
      "Dockerfile\0-:FROM scratch\n\0",
      "c.txt\0-:c\0",
      NO_SETTINGS,
    ])
      .digest("hex")
      .slice(0, 12);
    expect(contextHash(dir)).toBe(expected);
    // Docker sends the ignore file even when it excludes itself: a comment changes the tag.
    const commented = context({
      Dockerfile: "FROM scratch\n",
      ".dockerignore": "Dockerfile\n.dockerignore\n# why\n",
      "c.txt": "c",
    });
    expect(contextHash(commented)).not.toBe(expected);
  });

  test("an excluded folder with an exception is walked: what comes back counts, the folder itself not", () => {
    const files = { Dockerfile: "FROM scratch\n", ".dockerignore": "dist\n!dist/keep.js\n", "dist/keep.js": "k" };
    const dir = context({ ...files, "dist/other.js": "o" });
    const expected = sha([
      ".dockerignore\0-:dist\n!dist/keep.js\n\0",
      "Dockerfile\0-:FROM scratch\n\0",
      "dist/keep.js\0-:k\0",
      NO_SETTINGS,
    ])
      .digest("hex")
      .slice(0, 12);
    expect(contextHash(dir)).toBe(expected);
    expect(contextHash(context({ ...files, "dist/keep.js": "k2" }))).not.toBe(expected);
  });

  test("an explicit Dockerfile elsewhere is fed even when excluded; a missing one is no error", () => {
    const dir = context({ "docker/api.Dockerfile": "FROM scratch\n", ".dockerignore": "docker\n" });
    const expected = sha([
      ".dockerignore\0-:docker\n\0",
      "docker/api.Dockerfile\0-:FROM scratch\n\0",
      JSON.stringify({ target: null, args: {}, platform: null }),
    ])
      .digest("hex")
      .slice(0, 12);
    expect(contextHash(dir, { dockerfile: "docker/api.Dockerfile" })).toBe(expected);
    expect(contextHash(dir, { dockerfile: "nowhere/Dockerfile" })).toMatch(/^[0-9a-f]{12}$/);
  });

  test("the settings: target, build args sorted by name, platform", () => {
    const dir = context({ Dockerfile: "FROM scratch\n" });
    const settings = JSON.stringify({ target: "prod", args: { A: "1", B: "2" }, platform: "linux/amd64" });
    const expected = sha(["Dockerfile\0-:FROM scratch\n\0", settings]).digest("hex").slice(0, 12);
    expect(contextHash(dir, { target: "prod", args: { B: "2", A: "1" }, platform: "linux/amd64" })).toBe(expected);
    expect(contextHash(dir, { target: "prod", args: { A: "1", B: "2" }, platform: "linux/amd64" })).toBe(expected);
  });
});

describe("imageSourceProblems", () => {
  const dir = context({ Dockerfile: "FROM scratch\n", "docker/api.Dockerfile": "FROM scratch\n" });
  mkdirSync(join(dir, "adir"));
  const file = join(dir, "Dockerfile");

  test("no source, or both kinds at once", () => {
    expect(imageSourceProblems(undefined)).toEqual([
      "image must be given: { image: <reference> } or { build: { context } }",
    ]);
    expect(imageSourceProblems({ image: "ghcr.io/acme/api:1", build: { context: dir } })).toEqual([
      "image must give a prebuilt image or a build, not both: remove image.image or image.build",
    ]);
  });

  test.each(["ghcr.io/acme/api:1.4.2", "0registry.example/api@sha256:abc", "a"])("%s is a reference", (image) => {
    expect(imageSourceProblems({ image })).toEqual([]);
    // A prebuilt image ignores the tag check (the tag belongs to builds).
  });

  test.each([["Ghcr.io/acme/api"], ["acme/api latest"], [" acme/api"], [""], [42], [null]])(
    "%j is not a reference",
    (image) => {
      expect(imageSourceProblems({ image } as never)).toEqual([
        `image.image must be an image reference such as ghcr.io/acme/api:1.4.2 (got ${JSON.stringify(image)})`,
      ]);
    },
  );

  test("a build needs an existing folder with the Dockerfile in it", () => {
    expect(imageSourceProblems({ build: { context: dir } })).toEqual([]);
    expect(imageSourceProblems({ build: { context: dir, dockerfile: "docker/api.Dockerfile" } })).toEqual([]);
    expect(imageSourceProblems({ build: {} } as never)).toEqual([
      "image.build.context must be an existing folder (got undefined)",
    ]);
    expect(imageSourceProblems({ build: { context: join(dir, "missing") } })).toEqual([
      `image.build.context must be an existing folder (got ${JSON.stringify(join(dir, "missing"))})`,
    ]);
    expect(imageSourceProblems({ build: { context: file } })).toEqual([
      `image.build.context must be an existing folder (got ${JSON.stringify(file)})`,
    ]);
    expect(imageSourceProblems({ build: { context: 7 } } as never)).toEqual([
      "image.build.context must be an existing folder (got 7)",
    ]);
    expect(imageSourceProblems({ build: { context: join(dir, "adir") } })).toEqual([
      `image.build.dockerfile must be a file in the context (no ${join(dir, "adir", "Dockerfile")})`,
    ]);
    expect(imageSourceProblems({ build: { context: dir, dockerfile: "adir" } })).toEqual([
      `image.build.dockerfile must be a file in the context (no ${join(dir, "adir")})`,
    ]);
    // A dockerfile that is not a string falls back to "Dockerfile".
    expect(imageSourceProblems({ build: { context: dir, dockerfile: 3 } } as never)).toEqual([]);
  });

  test.each(["a", "_x", "3f2a9c1", "v1.2_3-rc.1", "A".repeat(128)])("tag %s is a Docker tag", (tag) => {
    expect(imageSourceProblems({ build: { context: dir }, tag })).toEqual([]);
  });

  test.each([[""], ["-x"], [".x"], ["a b"], ["x:y"], ["A".repeat(129)], [5]])("tag %j is not", (tag) => {
    expect(imageSourceProblems({ build: { context: dir }, tag } as never)).toEqual([
      `image.tag must be a Docker tag such as a commit SHA (got ${JSON.stringify(tag)})`,
    ]);
  });

  test("every problem of a build at once", () => {
    expect(imageSourceProblems({ build: { context: "no/such/dir" }, tag: "bad tag" })).toEqual([
      'image.build.context must be an existing folder (got "no/such/dir")',
      'image.tag must be a Docker tag such as a commit SHA (got "bad tag")',
    ]);
    expect(imageSourceProblems({ build: { context: join(dir, "adir") }, tag: "" })).toEqual([
      `image.build.dockerfile must be a file in the context (no ${join(dir, "adir", "Dockerfile")})`,
      'image.tag must be a Docker tag such as a commit SHA (got "")',
    ]);
  });
});

describe("imageSourceOf", () => {
  test("a prebuilt image wins; nothing gives nothing", () => {
    expect(imageSourceOf({ image: "ghcr.io/acme/api:1" })).toStrictEqual({ image: "ghcr.io/acme/api:1" });
    expect(imageSourceOf({ image: "ghcr.io/acme/api:1", build: { context: "api" }, imageTag: "t" })).toStrictEqual({
      image: "ghcr.io/acme/api:1",
    });
    expect(imageSourceOf({})).toBeUndefined();
    expect(imageSourceOf({ imageTag: "t" })).toBeUndefined();
  });

  test("a build carries only what is given", () => {
    expect(imageSourceOf({ build: { context: "api" } })).toStrictEqual({ build: { context: "api" } });
    expect(
      imageSourceOf({ build: { context: "api", dockerfile: "Dockerfile.prod", target: "runtime" }, imageTag: "abc" }),
    ).toStrictEqual({ build: { context: "api", dockerfile: "Dockerfile.prod", target: "runtime" }, tag: "abc" });
  });
});

describe("checks", () => {
  test.each([
    "DB_PASSWORD",
    "JWT_SECRET",
    "GITHUB_TOKEN",
    "PRIVATE_KEY",
    "STRIPE_API_KEY",
    "AWS_ACCESS_KEY_ID",
    "GCP_CREDENTIALS",
    "DATABASE_URL",
    "REDIS_URL",
    "SENTRY_DSN_SECRET",
    "password",
  ])("%s looks like a credential", (key) => {
    expect(SECRET_LIKE.test(key)).toBe(true);
  });

  test.each(["PORT", "SENTRY_DSN", "DATABASE_HOST", "API_URL"])("%s does not", (key) => {
    expect(SECRET_LIKE.test(key)).toBe(false);
  });

  test("environmentProblems: credentials in plain values and names set twice, all at once", () => {
    expect(environmentProblems(undefined, undefined)).toEqual([]);
    expect(environmentProblems({ PORT: "1" }, undefined)).toEqual([]);
    expect(environmentProblems(undefined, { DATABASE_URL: "arn" })).toEqual([]);
    expect(environmentProblems({ PORT: "1", ENV: "x" }, { DATABASE_URL: "arn" })).toEqual([]);
    expect(
      environmentProblems(
        { DB_PASSWORD: "x", PORT: "1", API_TOKEN: "y", ENV: "e", DATABASE_URL: "u" },
        { ENV: "arn", DATABASE_URL: "arn" },
      ),
    ).toEqual([
      "environment must not carry credentials: move DB_PASSWORD, API_TOKEN, DATABASE_URL to secrets (injected from Secrets Manager)",
      "ENV, DATABASE_URL is set in both environment and secrets; keep one",
    ]);
  });

  test("fargateSizeProblems: a known cpu, then a memory it offers", () => {
    expect(fargateSizeProblems(256, 512)).toEqual([]);
    expect(fargateSizeProblems(256, 2048)).toEqual([]);
    expect(fargateSizeProblems(300, 512)).toEqual([
      "cpu must be a Fargate size: 256, 512, 1024, 2048, 4096, 8192, 16384 (got 300)",
    ]);
    expect(fargateSizeProblems(256, 4096)).toEqual([
      "memory must be one Fargate offers for cpu 256: 512, 1024, 2048 MiB (got 4096)",
    ]);
  });

  test("permissionProblems: wildcards and empty resources, per grant", () => {
    expect(permissionProblems([])).toEqual([]);
    expect(permissionProblems([{ actions: ["s3:Get*", "s3:PutObject"], resources: ["arn:aws:s3:::b/*"] }])).toEqual([]);
    expect(
      permissionProblems([
        { actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] },
        { actions: ["*", "s3:GetObject", "sqs:*"], resources: [] },
        { actions: ["s3:*"], resources: ["arn"] },
      ]),
    ).toEqual([
      "permissions[1].actions must name actions, not wildcards (got *, sqs:*)",
      "permissions[1].resources must list at least one ARN",
      "permissions[2].actions must name actions, not wildcards (got s3:*)",
    ]);
  });

  test("imageAndCapacityProblems: a whole keepImages of at least 1 and a known capacity", () => {
    expect(imageAndCapacityProblems(1, "FARGATE")).toEqual([]);
    expect(imageAndCapacityProblems(30, "FARGATE_SPOT")).toEqual([]);
    expect(imageAndCapacityProblems(0, "FARGATE")).toEqual(["keepImages must be at least 1 (got 0)"]);
    expect(imageAndCapacityProblems(-1, "FARGATE")).toEqual(["keepImages must be at least 1 (got -1)"]);
    expect(imageAndCapacityProblems(1.5, "FARGATE")).toEqual(["keepImages must be at least 1 (got 1.5)"]);
    expect(imageAndCapacityProblems(0, "EC2")).toEqual([
      "keepImages must be at least 1 (got 0)",
      'capacity must be "FARGATE" or "FARGATE_SPOT" (got "EC2")',
    ]);
  });
});

describe("migrationProblems", () => {
  const SECRETS = { REDIS_URL: "arn:r", DATABASE_URL: "arn:d" };
  test("no migration, or a good one, has none", () => {
    expect(migrationProblems(undefined, {})).toEqual([]);
    expect(migrationProblems({ command: ["npm", "run", "migrate"] }, {})).toEqual([]);
    expect(migrationProblems({ command: ["migrate"], secrets: ["DATABASE_URL"], timeoutSeconds: 60 }, SECRETS)).toEqual(
      [],
    );
  });

  test.each([[[]], ["npm run migrate"], [undefined]])("command %j is not a list of words", (command) => {
    expect(migrationProblems({ command } as never, {})).toEqual([
      `migration.command must list the command and its arguments, e.g. ["npm", "run", "migrate"] (got ${JSON.stringify(command)})`,
    ]);
  });

  test.each([[["npm", ""]], [["npm", 1]], [[""]]])("command %j holds a bad word", (command) => {
    expect(migrationProblems({ command } as never, {})).toEqual([
      `migration.command must hold non-empty strings only (got ${JSON.stringify(command)})`,
    ]);
  });

  test("unknown secrets, named against the service's sorted secrets (or none), with every other problem", () => {
    expect(migrationProblems({ command: ["m"], secrets: ["STRIPE_KEY", "DATABASE_URL", "X"] }, SECRETS)).toEqual([
      "migration.secrets must name secrets of the service: STRIPE_KEY, X is not one (it has DATABASE_URL, REDIS_URL)",
    ]);
    expect(migrationProblems({ command: [], timeoutSeconds: 59, secrets: ["A"] }, {})).toEqual([
      'migration.command must list the command and its arguments, e.g. ["npm", "run", "migrate"] (got [])',
      "migration.timeoutSeconds must be a whole number of seconds from 60 to 3600 (got 59)",
      "migration.secrets must name secrets of the service: A is not one (it has none)",
    ]);
  });
});

describe("connectionProblems", () => {
  test("names and ports at their limits", () => {
    expect(
      connectionProblems([
        { name: "a", port: 1 },
        { name: `d${"-".repeat(62)}`, port: 65535 },
        { name: "0db", port: 5432 },
      ]),
    ).toEqual([]);
    expect(
      connectionProblems([
        { name: "Database", port: 0 },
        { name: "-db", port: 65536 },
        { name: "d".repeat(64), port: 1.5 },
        { name: "db_1", port: 5432 },
        { name: "", port: 5432 },
      ]),
    ).toEqual([
      'connections[0].name must be lowercase letters, digits and hyphens (got "Database")',
      "connections[0].port must be a port from 1 to 65535 (got 0)",
      'connections[1].name must be lowercase letters, digits and hyphens (got "-db")',
      "connections[1].port must be a port from 1 to 65535 (got 65536)",
      `connections[2].name must be lowercase letters, digits and hyphens (got "${"d".repeat(64)}")`,
      "connections[2].port must be a port from 1 to 65535 (got 1.5)",
      'connections[3].name must be lowercase letters, digits and hyphens (got "db_1")',
      'connections[4].name must be lowercase letters, digits and hyphens (got "")',
    ]);
  });

  test("each repeated name once", () => {
    expect(connectionProblems(["a", "b", "a", "c", "a", "b"].map((name) => ({ name, port: 80 })))).toEqual([
      "connections must name each target once (a, b repeated)",
    ]);
  });
});

describe("serviceImage: a prebuilt image as given, a build pushed to the service's own repository", () => {
  const dir = context({ Dockerfile: "FROM scratch\n", "docker/api.Dockerfile": "FROM scratch\n" });
  const ctxOf = (
    host: pulumi.ComponentResource,
    name: string,
    image: ImageSource,
    more: Partial<ImageContext["args"]> = {},
  ): ImageContext => ({
    name,
    parent: host,
    scope: SCOPE,
    tags: { Team: "api" },
    args: { image, keepImages: 7, protect: false, ...more },
  });

  let result: SynthResult;
  let hostUrn: string;
  let invokes: Array<{ token: string; props: Record<string, unknown>; parent: unknown }>;
  let host: pulumi.ComponentResource;
  let seen: Record<string, unknown>;
  beforeAll(async () => {
    const spy = jest.spyOn(pulumi.runtime, "invokeOutput");
    seen = {};
    try {
      ({ result, hostUrn } = await withHost((h) => {
        host = h;
        const prebuilt = serviceImage(ctxOf(h, "pre", { image: "ghcr.io/acme/api:1.4.2" }));
        const plain = serviceImage(ctxOf(h, "plain", { build: { context: dir } }));
        const full = serviceImage(
          ctxOf(
            h,
            "full",
            {
              build: { context: dir, dockerfile: "docker/api.Dockerfile", target: "runtime", args: { B: "2", A: "1" } },
              tag: "release-7",
            },
            {
              keepImages: 3,
              protect: true,
              transform: {
                repository: (args, opts, name) => {
                  seen["repository"] = { args: { ...args }, parent: opts.parent, name };
                },
                image: (args, opts, name) => {
                  seen["image"] = { args: { ...args }, parent: opts.parent, name };
                },
              },
            },
          ),
        );
        const merged = serviceImage(
          ctxOf(
            h,
            "merged",
            { build: { context: dir }, tag: "t1" },
            { transform: { repository: { imageTagMutability: "MUTABLE" }, image: { skipPush: true } } },
          ),
        );
        return {
          pre: { repository: prebuilt.repository === undefined, imageRef: prebuilt.imageRef },
          plain: { imageRef: plain.imageRef, url: plain.repository!.repositoryUrl },
          full: { imageRef: full.imageRef },
          merged: { imageRef: merged.imageRef },
        };
      }));
      invokes = spy.mock.calls
        .filter(([token]) => token === "aws:ecr/getAuthorizationToken:getAuthorizationToken")
        .map(([token, props, opts]) => ({
          token,
          props: props,
          parent: opts?.parent,
        }));
    } finally {
      spy.mockRestore();
    }
  });

  test("a prebuilt image declares nothing and is used as given", () => {
    expect(result.outputs["pre"]).toEqual({ repository: true, imageRef: "ghcr.io/acme/api:1.4.2" });
    expect(result.resources.filter((x) => x.name.startsWith("pre"))).toEqual([]);
  });

  test("the repository: immutable, scanned, KMS, the service's tags; deletable unless protected", () => {
    const plain = resource(result, T.repo, "plain-repo");
    expect(plain.inputs).toEqual({
      name: "saas-platform-test-plain",
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "KMS" }],
      forceDelete: true,
      tags: { Team: "api" },
    });
    expect(plain.parent).toBe(hostUrn);
    expect(plain.options.protect ?? false).toBe(false);
    const full = resource(result, T.repo, "full-repo");
    expect(full.inputs["forceDelete"]).toBe(false);
    expect(full.options.protect).toBe(true);
  });

  test("the lifecycle policy keeps the last keepImages images of the repository", () => {
    for (const [name, keep] of [
      ["plain", 7],
      ["full", 3],
    ] as const) {
      const policy = resource(result, T.lifecycle, `${name}-repo`);
      expect(policy.parent).toBe(hostUrn);
      expect(policy.inputs["repository"]).toBe(resource(result, T.repo, `${name}-repo`).state!["name"]);
      expect(JSON.parse(String(policy.inputs["policy"]))).toEqual({
        rules: [
          {
            rulePriority: 1,
            description: `keep the last ${keep} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
            action: { type: "expire" },
          },
        ],
      });
    }
  });

  test("a build without a tag is tagged by its content for linux/amd64 and pushed with the registry's token", () => {
    const image = resource(result, T.image, "plain-image");
    const tag = contextHash(dir, { platform: "linux/amd64" });
    expect(tag).not.toBe(contextHash(dir));
    expect(image.inputs).toEqual({
      imageName: `${REPO_URL("saas-platform-test-plain")}:${tag}`,
      build: { context: dir, platform: "linux/amd64" },
      registry: { server: REPO_URL("saas-platform-test-plain"), username: "AWS", password: "[secret]" },
      buildOnPreview: false,
      skipPush: false,
    });
    expect(image.secretInputs).toEqual(["registry.password"]);
    expect(image.parent).toBe(hostUrn);
    // The digest of what was pushed, not the tag.
    expect(result.outputs["plain"]).toEqual({
      imageRef: image.state!["repoDigest"],
      url: REPO_URL("saas-platform-test-plain"),
    });
    expect(String(image.state!["repoDigest"])).toMatch(/^\d+\.dkr\.ecr\.[^@]+@sha256:[0-9a-f]{64}$/);
  });

  test("the token is asked of the repository's registry, as the service", async () => {
    expect(invokes).toHaveLength(3);
    for (const invoke of invokes) {
      expect(invoke.parent).toBe(host);
      expect(
        await (pulumi.output(invoke.props["registryId"]) as unknown as { promise(): Promise<unknown> }).promise(),
      ).toBe(ACCOUNT);
    }
  });

  test("a build with every setting: its Dockerfile path in the context, target, args, the tag given", () => {
    const image = resource(result, T.image, "full-image");
    expect(image.inputs).toMatchObject({
      imageName: `${REPO_URL("saas-platform-test-full")}:release-7`,
      build: {
        context: dir,
        dockerfile: `${dir}/docker/api.Dockerfile`,
        target: "runtime",
        args: { A: "1", B: "2" },
        platform: "linux/amd64",
      },
    });
    expect(result.outputs["full"]).toEqual({ imageRef: image.state!["repoDigest"] });
  });

  test("transforms see what the component would declare and may change it", () => {
    expect(seen["repository"]).toEqual({
      name: "full-repo",
      parent: host,
      args: expect.objectContaining({ name: "saas-platform-test-full", forceDelete: false, tags: { Team: "api" } }),
    });
    expect(seen["image"]).toEqual({
      name: "full-image",
      parent: host,
      args: expect.objectContaining({ build: expect.objectContaining({ target: "runtime" }) }),
    });
    expect(resource(result, T.repo, "merged-repo").inputs["imageTagMutability"]).toBe("MUTABLE");
    expect(resource(result, T.image, "merged-image").inputs).toMatchObject({
      skipPush: true,
      imageName: `${REPO_URL("saas-platform-test-merged")}:t1`,
    });
  });
});

describe("the Docker variant", () => {
  const dir = context({ Dockerfile: "FROM scratch\n", "docker/dev.Dockerfile": "FROM scratch\n" });
  const network: DockerNetworkOutputs = { networkName: pulumi.output("acme-dev"), networkId: pulumi.output("net-0") };
  let result: SynthResult;
  let hostUrn: string;
  let seen: Record<string, { args: Record<string, unknown>; parent: unknown; name: string }>;
  let host: pulumi.ComponentResource;
  beforeAll(async () => {
    seen = {};
    ({ result, hostUrn } = await withHost((h) => {
      host = h;
      const omitted = createDockerApiService(
        "api",
        { target: "docker", network, image: { build: { context: dir } } },
        h,
      );
      const undef = createDockerApiService(
        "undef",
        {
          target: "docker",
          network,
          image: { build: { context: dir } },
          containerPort: undefined,
          command: undefined,
          mount: undefined,
          hostPort: undefined,
          healthCheckPath: undefined,
          containerHealthCheck: undefined,
          environment: undefined,
          secrets: undefined,
          readonlyRootFilesystem: undefined,
          transform: undefined,
        },
        h,
      );
      let envs: unknown;
      const full = createDockerApiService(
        "full",
        {
          target: "docker",
          network,
          image: {
            build: {
              context: dir,
              dockerfile: "docker/dev.Dockerfile",
              target: "dev",
              args: { NODE_ENV: "development" },
            },
            tag: "local-1",
          },
          containerPort: 3000,
          hostPort: 9000,
          command: ["npm", "run", "dev"],
          mount: { hostPath: "src", containerPath: "/app/src" },
          healthCheckPath: "/ready",
          containerHealthCheck: ["CMD", "node", "check.js"],
          environment: { ZED: "z", ALPHA: pulumi.output("a") },
          secrets: { REDIS_URL: "redis://cache", DATABASE_URL: pulumi.output("postgres://db") },
          readonlyRootFilesystem: false,
          transform: {
            container: (args, opts, name) => {
              envs = args.envs;
              seen["container"] = { args: { ...args }, parent: opts.parent, name };
            },
            image: (args, opts, name) => {
              seen["image"] = { args: { ...args }, parent: opts.parent, name };
            },
          },
        },
        h,
      );
      const rw = createDockerApiService(
        "rw",
        {
          target: "docker",
          network,
          image: { image: "ghcr.io/acme/api:1.4.2" },
          mount: { hostPath: "/srv/app", containerPath: "/app", readOnly: false },
          transform: { container: { restart: "no" }, image: { skipPush: false } },
        },
        h,
      );
      return {
        api: omitted,
        undef,
        full,
        rw,
        fullEnvs: pulumi.unsecret(pulumi.output(envs as pulumi.Input<string>[])),
      };
    }));
  });

  const defaults = (name: string) => {
    const image = resource(result, T.image, `${name}-image`);
    return {
      name: `saas-platform-test-${name}`,
      image: image.state!["imageName"],
      envs: ["PORT=8080"],
      networksAdvanced: [{ name: "acme-dev", aliases: [name] }],
      ports: [{ internal: 8080, external: 8080, ip: "127.0.0.1" }],
      readOnly: true,
      tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" },
      restart: "unless-stopped",
      wait: true,
      waitTimeout: 120,
      labels: [{ label: "managed-by", value: "pulumi" }],
    };
  };

  test.each(["api", "undef"])("%s: every default of the container and of its local build", (name) => {
    const container = resource(result, T.container, name);
    expect(container.inputs).toEqual(defaults(name));
    expect(container.parent).toBe(hostUrn);
    expect(container.secretInputs).toEqual([]);
    const image = resource(result, T.image, `${name}-image`);
    expect(image.inputs).toEqual({
      imageName: `saas-platform-test-${name}:${contextHash(dir)}`,
      skipPush: true,
      build: { context: dir },
      buildOnPreview: false,
    });
    // The laptop's own platform: no platform in the build or in the tag's hash.
    expect(contextHash(dir)).not.toBe(contextHash(dir, { platform: "linux/amd64" }));
    expect(image.parent).toBe(hostUrn);
    expect(result.outputs[name]).toEqual({
      url: "http://127.0.0.1:8080",
      healthUrl: "http://127.0.0.1:8080/health",
      imageRef: image.state!["imageName"],
      containerName: `saas-platform-test-${name}`,
    });
  });

  test("every arg reaches the container: ports, command, mount, health check, sorted plain then secret values", () => {
    const container = resource(result, T.container, "full");
    const image = resource(result, T.image, "full-image");
    expect(container.inputs).toEqual({
      name: "saas-platform-test-full",
      image: image.state!["imageName"],
      envs: ["ALPHA=a", "PORT=3000", "ZED=z", "[secret]", "[secret]"],
      networksAdvanced: [{ name: "acme-dev", aliases: ["full"] }],
      command: ["npm", "run", "dev"],
      ports: [{ internal: 3000, external: 9000, ip: "127.0.0.1" }],
      readOnly: false,
      volumes: [{ hostPath: resolve("src"), containerPath: "/app/src", readOnly: true }],
      healthcheck: {
        tests: ["CMD", "node", "check.js"],
        interval: "10s",
        timeout: "5s",
        retries: 5,
        startPeriod: "10s",
      },
      restart: "unless-stopped",
      wait: true,
      waitTimeout: 120,
      labels: [{ label: "managed-by", value: "pulumi" }],
    });
    expect(container.secretInputs).toEqual(["envs.3", "envs.4"]);
    expect(result.outputs["fullEnvs"]).toEqual([
      "ALPHA=a",
      "PORT=3000",
      "ZED=z",
      "DATABASE_URL=postgres://db",
      "REDIS_URL=redis://cache",
    ]);
    expect(result.outputs["full"]).toEqual({
      url: "http://127.0.0.1:9000",
      healthUrl: "http://127.0.0.1:9000/ready",
      imageRef: image.state!["imageName"],
      containerName: "saas-platform-test-full",
    });
  });

  test("a build with every setting is built locally under the tag given", () => {
    expect(resource(result, T.image, "full-image").inputs).toEqual({
      imageName: "saas-platform-test-full:local-1",
      skipPush: true,
      build: {
        context: dir,
        dockerfile: `${dir}/docker/dev.Dockerfile`,
        target: "dev",
        args: { NODE_ENV: "development" },
      },
      buildOnPreview: false,
    });
  });

  test("the transforms see the children's args and parent", () => {
    expect(seen["container"]).toMatchObject({ name: "full", parent: host, args: { name: "saas-platform-test-full" } });
    expect(seen["image"]).toMatchObject({
      name: "full-image",
      parent: host,
      args: { imageName: "saas-platform-test-full:local-1", skipPush: true },
    });
    expect(resource(result, T.container, "rw").inputs["restart"]).toBe("no");
  });

  test("a prebuilt image is pulled and kept; an absolute mount may be writable", () => {
    const remote = resource(result, T.remoteImage, "rw-image");
    expect(remote.inputs).toEqual({ name: "ghcr.io/acme/api:1.4.2", keepLocally: true });
    expect(remote.parent).toBe(hostUrn);
    // The object transform of the image applies to builds only.
    expect(ofType(result, T.image).map((x) => x.name)).not.toContain("rw-image");
    const container = resource(result, T.container, "rw");
    expect(container.inputs["image"]).toBe(remote.state!["imageId"]);
    expect(container.inputs["volumes"]).toEqual([{ hostPath: "/srv/app", containerPath: "/app", readOnly: false }]);
    expect((result.outputs["rw"] as { imageRef: string }).imageRef).toBe(remote.state!["imageId"]);
  });

  test("localImage alone: the image's transform by object, and the build's tag", async () => {
    const { result: r } = await withHost((h) => ({
      ref: localImage("x", "scope-x", { build: { context: dir }, tag: "t" }, { skipPush: false }, h),
    }));
    expect(resource(r, T.image, "x-image").inputs).toEqual({
      imageName: "scope-x:t",
      skipPush: false,
      build: { context: dir },
      buildOnPreview: false,
    });
    expect(r.outputs["ref"]).toBe("scope-x:t");
  });
});

/** A service's parts a one-off task borrows, as plain values, with resources that stand for its network paths. */
function fakeService(secrets: Record<string, pulumi.Input<string>>, ready: pulumi.Resource[]): OneOffService {
  return {
    clusterArn: pulumi.output("arn:aws:ecs:eu-west-1:123456789012:cluster/c"),
    imageRef: pulumi.output("ghcr.io/acme/api@sha256:abc"),
    taskRoleArn: pulumi.output("arn:aws:iam::123456789012:role/task"),
    serviceSecurityGroupId: pulumi.output("sg-0svc"),
    runtime: {
      region: pulumi.output("eu-west-1"),
      executionRoleArn: pulumi.output("arn:aws:iam::123456789012:role/exec"),
      logGroupName: pulumi.output("/ecs/api"),
      subnetIds: pulumi.output(["subnet-0a", "subnet-0b"]),
      secrets,
      egressReady: ready,
      scope: SCOPE,
    },
  };
}
const SECRETS = {
  REDIS_URL: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redis",
  DATABASE_URL: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
};
type Def = {
  name: string;
  image: string;
  essential: boolean;
  command: string[];
  environment: Array<{ name: string; value: string }>;
  secrets: Array<{ name: string; valueFrom: string }>;
  readonlyRootFilesystem: boolean;
  logConfiguration: { logDriver: string; options: Record<string, string> };
};
const defsOf = (result: SynthResult, name: string) =>
  JSON.parse(String(resource(result, T.taskDef, name).inputs["containerDefinitions"])) as Def[];

describe("createOneOffTask", () => {
  let result: SynthResult;
  let hostUrn: string;
  beforeAll(async () => {
    ({ result, hostUrn } = await withHost((h) => {
      const route = new aws.ec2.SecurityGroup("ready-route", {});
      const https = new aws.ec2.SecurityGroup("ready-https", {});
      const extra = new aws.ec2.SecurityGroup("extra", {});
      const service = fakeService(SECRETS, [route, https]);
      createOneOffTask("api", "seed", service, { command: ["npm", "run", "seed"], trigger: "t-1" }, h);
      createOneOffTask(
        "api",
        "grant",
        service,
        {
          image: "postgres:17",
          command: ["psql", "-c", "grant"],
          environment: { PGUSER: "app", APP_ENV: pulumi.output("staging") },
          secrets: ["REDIS_URL", "DATABASE_URL"],
          trigger: pulumi.output("t-2"),
          timeoutSeconds: 900,
          dependsOn: [extra],
        },
        h,
        "custom description",
      );
      return {};
    }));
  });

  test("the service's own image: its task role, a small Fargate task, the command, logs to the service's group", () => {
    const def = resource(result, T.taskDef, "api-seed-task");
    expect(def.parent).toBe(hostUrn);
    expect(def.inputs).toEqual({
      family: "saas-platform-test-api-seed",
      cpu: "256",
      memory: "512",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: "arn:aws:iam::123456789012:role/exec",
      taskRoleArn: "arn:aws:iam::123456789012:role/task",
      containerDefinitions: expect.any(String),
    });
    expect(defsOf(result, "api-seed-task")).toEqual([
      {
        name: "task",
        image: "ghcr.io/acme/api@sha256:abc",
        essential: true,
        command: ["npm", "run", "seed"],
        environment: [],
        secrets: [],
        readonlyRootFilesystem: false,
        logConfiguration: {
          logDriver: "awslogs",
          options: { "awslogs-group": "/ecs/api", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "seed" },
        },
      },
    ]);
  });

  test("another image: no task role, sorted plain values, the secrets named as ARNs in the order given", () => {
    const def = resource(result, T.taskDef, "api-grant-task");
    expect(def.inputs).not.toHaveProperty("taskRoleArn");
    expect(def.inputs["family"]).toBe("saas-platform-test-api-grant");
    const [c] = defsOf(result, "api-grant-task");
    expect(c).toMatchObject({
      image: "postgres:17",
      command: ["psql", "-c", "grant"],
      environment: [
        { name: "APP_ENV", value: "staging" },
        { name: "PGUSER", value: "app" },
      ],
      secrets: [
        { name: "REDIS_URL", valueFrom: SECRETS.REDIS_URL },
        { name: "DATABASE_URL", valueFrom: SECRETS.DATABASE_URL },
      ],
      logConfiguration: { options: { "awslogs-stream-prefix": "grant" } },
    });
  });

  test("the run: the cluster, the definition, private subnets, the service's group; waits for every path", () => {
    const ready = ["ready-route", "ready-https"].map((n) => resource(result, T.sg, n).urn);
    const seed = resource(result, T.run, "api-seed");
    expect(seed.parent).toBe(hostUrn);
    expect(seed.inputs).toMatchObject({
      region: "eu-west-1",
      cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/c",
      taskDefinition: resource(result, T.taskDef, "api-seed-task").state!["arn"],
      subnets: ["subnet-0a", "subnet-0b"],
      securityGroups: ["sg-0svc"],
      trigger: "t-1",
      timeoutSeconds: 600,
      description: 'api.runTask("seed")',
    });
    expect(seed.dependencies).toEqual(expect.arrayContaining(ready));
    expect(seed.dependencies).not.toContain(resource(result, T.sg, "extra").urn);
    const grant = resource(result, T.run, "api-grant");
    expect(grant.inputs).toMatchObject({ trigger: "t-2", timeoutSeconds: 900, description: "custom description" });
    expect(grant.dependencies).toEqual(expect.arrayContaining([...ready, resource(result, T.sg, "extra").urn]));
  });

  test("asks only for the service's secrets, naming what it has (or none)", () => {
    const parent = {} as pulumi.ComponentResource;
    expect(() =>
      createOneOffTask(
        "api",
        "seed",
        fakeService(SECRETS, []),
        { command: ["x"], secrets: ["A", "REDIS_URL", "B"], trigger: "t" },
        parent,
      ),
    ).toThrow('api.runTask("seed") asks for secrets the service does not have: A, B (it has REDIS_URL, DATABASE_URL)');
    expect(() =>
      createOneOffTask(
        "api",
        "seed",
        fakeService({}, []),
        { command: ["x"], secrets: ["A"], trigger: "t" },
        parent,
        "d",
      ),
    ).toThrow("d asks for secrets the service does not have: A (it has none)");
  });
});

describe("serviceMigration", () => {
  let result: SynthResult;
  let none: unknown;
  beforeAll(async () => {
    ({ result } = await withHost((h) => {
      const ready = new aws.ec2.SecurityGroup("ready", {});
      const service = fakeService(SECRETS, [ready]);
      const ctx = (name: string, migration: unknown) =>
        ({ name, parent: h, args: { secrets: SECRETS, migration }, service }) as never;
      none = serviceMigration(ctx("none", undefined));
      serviceMigration(ctx("api", { command: ["npm", "run", "migrate"] }));
      serviceMigration(ctx("some", { command: ["migrate"], secrets: ["REDIS_URL"], timeoutSeconds: 1200 }));
      return {};
    }));
  });

  test("no migration declares nothing", () => {
    expect(none).toBeUndefined();
    expect(result.resources.filter((x) => x.name.startsWith("none"))).toEqual([]);
  });

  test("the command with every secret (sorted), the default timeout, a trigger of image and command", () => {
    const run = resource(result, T.run, "api-migration");
    expect(run.inputs).toMatchObject({
      trigger: createHash("sha256")
        .update(JSON.stringify({ image: "ghcr.io/acme/api@sha256:abc", command: ["npm", "run", "migrate"] }))
        .digest("hex"),
      timeoutSeconds: 600,
      description: "api migration",
    });
    expect(run.dependencies).toContain(resource(result, T.sg, "ready").urn);
    const [c] = defsOf(result, "api-migration-task");
    expect(c!.command).toEqual(["npm", "run", "migrate"]);
    expect(c!.secrets).toEqual([
      { name: "DATABASE_URL", valueFrom: SECRETS.DATABASE_URL },
      { name: "REDIS_URL", valueFrom: SECRETS.REDIS_URL },
    ]);
    expect(c!.logConfiguration.options["awslogs-stream-prefix"]).toBe("migration");
    expect(resource(result, T.taskDef, "api-migration-task").inputs["taskRoleArn"]).toBe(
      "arn:aws:iam::123456789012:role/task",
    );
  });

  test("the secrets and timeout given", () => {
    expect(resource(result, T.run, "some-migration").inputs).toMatchObject({
      timeoutSeconds: 1200,
      description: "some migration",
    });
    expect(defsOf(result, "some-migration-task")[0]!.secrets).toEqual([
      { name: "REDIS_URL", valueFrom: SECRETS.REDIS_URL },
    ]);
  });
});

describe("connections", () => {
  let result: SynthResult;
  let hostUrn: string;
  let rules: pulumi.Resource[];
  let single: pulumi.Resource;
  beforeAll(async () => {
    ({ result, hostUrn } = await withHost((h) => {
      rules = serviceConnections({
        name: "api",
        parent: h,
        serviceSecurityGroupId: pulumi.output("sg-0svc"),
        args: {
          connections: [
            { name: "database", securityGroupId: "sg-0db", port: 5432 },
            {
              name: "cache",
              securityGroupId: pulumi.output("sg-0cache"),
              port: 6379,
              ingressDescription: "Redis from api",
              ingressAliases: [
                "urn:pulumi:test::saas-platform::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::cache-from-api",
              ],
            },
          ],
        },
      });
      single = egressTo("worker", "queue", { from: "sg-0w", to: pulumi.output("sg-0q"), port: 5671 }, h);
      return { urns: pulumi.all(rules.map((x) => x.urn)), single: single.urn };
    }));
  });

  test("each connection is an egress rule from the tasks and an ingress rule on the target, in order", () => {
    expect(result.outputs["urns"]).toEqual([
      resource(result, T.egress, "api-to-database").urn,
      resource(result, T.ingress, "api-to-database-ingress").urn,
      resource(result, T.egress, "api-to-cache").urn,
      resource(result, T.ingress, "api-to-cache-ingress").urn,
    ]);
    expect(resource(result, T.egress, "api-to-database").inputs).toEqual({
      securityGroupId: "sg-0svc",
      referencedSecurityGroupId: "sg-0db",
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      description: "to database on 5432",
    });
    expect(resource(result, T.ingress, "api-to-database-ingress").inputs).toEqual({
      securityGroupId: "sg-0db",
      referencedSecurityGroupId: "sg-0svc",
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      description: "from api on 5432",
    });
    expect(resource(result, T.ingress, "api-to-database-ingress").options).toEqual({});
    for (const x of [...ofType(result, T.egress), ...ofType(result, T.ingress)]) expect(x.parent).toBe(hostUrn);
  });

  test("an ingress description and aliases given are kept", () => {
    const ingress = resource(result, T.ingress, "api-to-cache-ingress");
    expect(ingress.inputs).toMatchObject({
      securityGroupId: "sg-0cache",
      fromPort: 6379,
      toPort: 6379,
      description: "Redis from api",
    });
    expect(ingress.options.aliases).toEqual([
      "urn:pulumi:test::saas-platform::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::cache-from-api",
    ]);
    expect(resource(result, T.egress, "api-to-cache").inputs).toMatchObject({
      referencedSecurityGroupId: "sg-0cache",
      description: "to cache on 6379",
    });
  });

  test("egressTo alone", () => {
    const rule = resource(result, T.egress, "worker-to-queue");
    expect(result.outputs["single"]).toBe(rule.urn);
    expect(rule.inputs).toEqual({
      securityGroupId: "sg-0w",
      referencedSecurityGroupId: "sg-0q",
      ipProtocol: "tcp",
      fromPort: 5671,
      toPort: 5671,
      description: "to queue on 5671",
    });
  });
});
