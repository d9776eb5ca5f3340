import dockerignore from "@balena/dockerignore";
import { createHash, type Hash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";

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
       * @default - a hash of what Docker sends (the context less its .dockerignore, the Dockerfile) and of the target,
       * build args and platform, so any change yields a new tag and no change none (see {@link contextHash})
       */
      readonly tag?: string;
    };

/** What else decides the image besides the context's files. */
export interface BuildIdentity {
  /** Relative to the context. @default "Dockerfile" */
  readonly dockerfile?: string;
  readonly target?: string;
  readonly args?: Readonly<Record<string, string>>;
  /** e.g. `linux/amd64`; absent for the builder's own platform. */
  readonly platform?: string;
}

/**
 * The patterns of the ignore file Docker applies: BuildKit prefers `<Dockerfile>.dockerignore` beside the Dockerfile,
 * then `.dockerignore` at the context root (Docker docs, "Build context": .dockerignore files). Lines as Docker reads
 * them: trimmed, without blanks and `#` comments.
 */
export function dockerignorePatterns(root: string, dockerfile: string): string[] {
  const own = `${resolve(root, dockerfile)}.dockerignore`;
  const file = [own, join(root, ".dockerignore")].find((f) => statSync(f, { throwIfNoEntry: false })?.isFile());
  if (file === undefined) return [];
  return readFileSync(file, "utf8")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/**
 * A stable hash of exactly what `docker build` sends and what else shapes the image: every file, folder and link of
 * the context that the ignore file does not exclude (with its relative path, content or target, and executable
 * bit), the Dockerfile and the ignore file (Docker sends them even when excluded: docker/cli
 * `TrimBuildFilesFromExcludes`), and the target, build args and platform. Equal inputs give the same tag (no needless
 * release); any change gives a new one, so a push never meets an existing tag (ECR tags are IMMUTABLE).
 */
export function contextHash(context: string, build: BuildIdentity = {}): string {
  const root = resolve(context);
  const dockerfile = build.dockerfile ?? "Dockerfile";
  const patterns = dockerignorePatterns(root, dockerfile);
  const ignored = dockerignore().add(patterns);
  // Without exceptions an excluded folder is skipped whole; with one, something inside may come back.
  const canSkipFolders = !patterns.some((p) => p.startsWith("!"));
  const hash = createHash("sha256");
  const entries: Array<{ path: string; feed: () => void }> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(root, path).split(sep).join("/");
      const excluded = ignored.ignores(rel);
      if (entry.isDirectory()) {
        if (excluded && canSkipFolders) continue;
        if (!excluded) entries.push({ path: rel, feed: () => hash.update("dir") });
        walk(path);
      } else if (!excluded) {
        entries.push({ path: rel, feed: () => feedEntry(hash, path) });
      }
    }
  };
  walk(root);
  const always = [dockerfile, ...(patterns.length > 0 ? [".dockerignore"] : [])];
  for (const file of always) {
    const path = resolve(root, file);
    const rel = relative(root, path).split(sep).join("/");
    if (!entries.some((e) => e.path === rel) && statSync(path, { throwIfNoEntry: false })?.isFile()) {
      entries.push({ path: rel, feed: () => feedEntry(hash, path) });
    }
  }
  for (const entry of entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(entry.path).update("\0");
    entry.feed();
    hash.update("\0");
  }
  const settings = {
    target: build.target ?? null,
    args: Object.fromEntries(Object.entries(build.args ?? {}).sort(([a], [b]) => a.localeCompare(b))),
    platform: build.platform ?? null,
  };
  hash.update(JSON.stringify(settings));
  return hash.digest("hex").slice(0, 12);
}

/** A file's content and executable bit, or a link's target (Docker sends links as links). */
function feedEntry(hash: Hash, path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) {
    hash.update(`link:${readlinkSync(path)}`);
    return;
  }
  hash.update(stat.mode & 0o111 ? "x:" : "-:").update(readFileSync(path));
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

/** The image source a stack file describes: a prebuilt reference, or a build context tagged by `imageTag`. Pure. */
export function imageSourceOf(api: {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile?: string; readonly target?: string };
  readonly imageTag?: string;
}): ImageSource | undefined {
  if (api.image !== undefined) return { image: api.image };
  if (api.build === undefined) return undefined;
  return {
    build: {
      context: api.build.context,
      ...(api.build.dockerfile === undefined ? {} : { dockerfile: api.build.dockerfile }),
      ...(api.build.target === undefined ? {} : { target: api.build.target }),
    },
    ...(api.imageTag === undefined ? {} : { tag: api.imageTag }),
  };
}
