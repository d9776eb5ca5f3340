import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

/** Where the API's image comes from: a prebuilt reference, or a Docker build of a folder. */
export type ImageSource =
  | {
      /** A prebuilt image reference, e.g. `ghcr.io/acme/api:1.4.2` or a digest. Used as given. */
      readonly image: string;
    }
  | {
      readonly build: {
        /** Folder with the Dockerfile, relative to the project root (where Pulumi.yaml is). */
        readonly context: string;
        /** @default "Dockerfile" in the context */
        readonly dockerfile?: string;
        /** Build stage to stop at. */
        readonly target?: string;
        /** Build arguments (not secrets: they end up in the image history). */
        readonly args?: Readonly<Record<string, string>>;
      };
      /**
       * The image tag, e.g. the commit SHA from CI. A new tag means a new release.
       * @default - a hash of the build context's files, so changed sources yield a new tag and unchanged ones none
       */
      readonly tag?: string;
    };

/** Folders that never belong in a build context's identity. */
const SKIPPED = new Set(["node_modules", ".git", ".next", "dist", "coverage"]);

/**
 * A stable hash of a build context: every file's relative path and content, sorted, skipping dependency and VCS
 * folders. Equal sources give equal tags (no needless release); any change gives a new tag (ECR tags are immutable).
 */
export function contextHash(context: string, dockerfile?: string): string {
  const root = resolve(context);
  const hash = createHash("sha256");
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  walk(root);
  if (dockerfile !== undefined) {
    const file = resolve(root, dockerfile);
    if (!files.includes(file) && statSync(file, { throwIfNoEntry: false })?.isFile()) files.push(file);
  }
  for (const file of files.sort()) {
    hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 12);
}

/** Problems with an image source, checked before anything is declared. */
export function imageSourceProblems(source: ImageSource | undefined): string[] {
  if (source === undefined) return ["image must be given: { image: <reference> } or { build: { context } }"];
  const raw = source as { image?: unknown; build?: { context?: unknown; dockerfile?: unknown }; tag?: unknown };
  if (raw.image !== undefined && raw.build !== undefined) {
    return ["image must give a prebuilt image or a build, not both: remove image.image or image.build"];
  }
  if (raw.image !== undefined) {
    return typeof raw.image === "string" && /^[a-z0-9][^\s]*$/.test(raw.image)
      ? []
      : [`image.image must be an image reference such as ghcr.io/acme/api:1.4.2 (got ${JSON.stringify(raw.image)})`];
  }
  const problems: string[] = [];
  const context = raw.build?.context;
  if (typeof context !== "string" || !statSync(context, { throwIfNoEntry: false })?.isDirectory()) {
    problems.push(`image.build.context must be an existing folder (got ${JSON.stringify(context)})`);
  } else {
    const dockerfile = typeof raw.build?.dockerfile === "string" ? raw.build.dockerfile : "Dockerfile";
    if (!statSync(resolve(context, dockerfile), { throwIfNoEntry: false })?.isFile()) {
      problems.push(`image.build.dockerfile must be a file in the context (no ${join(context, dockerfile)})`);
    }
  }
  if (raw.tag !== undefined && !(typeof raw.tag === "string" && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(raw.tag))) {
    problems.push(`image.tag must be a Docker tag such as a commit SHA (got ${JSON.stringify(raw.tag)})`);
  }
  return problems;
}
