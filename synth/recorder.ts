/**
 * Records what the program asks the Pulumi engine to do, under Pulumi's own mocks.
 *
 * `pulumi.runtime.setMocks` hands a mock only the type, name and inputs of a resource. The engine request behind it
 * also carries the parent, the provider, the options and the dependencies, which is what a reviewer needs to see.
 * This subclass of the SDK's `MockMonitor` (exported from `@pulumi/pulumi/runtime/mocks`, a semi-internal API: the
 * recorder has its own test so an SDK upgrade that breaks it fails loudly) captures each request before passing it on.
 */
import type * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";

/** Signatures of the special values in the engine's wire format (`@pulumi/pulumi/runtime/rpc`). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** How a secret input appears in a record. The value itself is never recorded. */
export const SECRET_MARK = "[secret]";

/** One resource as the engine would receive it. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** `true` for provider resources (they exist in the cloud), `false` for components. */
  readonly custom: boolean;
  /** URN of the parent; the stack resource has none. */
  readonly parent?: string;
  /** URN of the explicit provider, when one is set. */
  readonly provider?: string;
  /** Inputs with secrets replaced by {@link SECRET_MARK} and resource references by `{ $ref: urn }`. */
  readonly inputs: Record<string, unknown>;
  /** Dotted paths of the inputs that were secret, e.g. `masterPassword` or `environment.0.value`. */
  readonly secretInputs: readonly string[];
  readonly options: RecordedOptions;
  /** URNs this resource waits for: explicit `dependsOn` and the resources behind Output inputs. */
  readonly dependencies: readonly string[];
  /** Per input: URNs of the resources its value came from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** The id the mock gave the resource (custom resources only). */
  readonly id?: string;
  /** The state the mock returned (custom resources only), secrets replaced like the inputs. */
  readonly state?: Record<string, unknown>;
}

/** The resource options that change what an update does. Absent means the engine default. */
export interface RecordedOptions {
  readonly protect?: boolean;
  readonly retainOnDelete?: boolean;
  readonly ignoreChanges?: readonly string[];
  readonly deleteBeforeReplace?: boolean;
  readonly replaceOnChanges?: readonly string[];
  readonly aliases?: readonly string[];
}

interface StructLike {
  toJavaScript(): Record<string, unknown>;
}

/** The parts of the engine's RegisterResourceRequest the recorder reads (protobuf getters). */
interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): StructLike | undefined;
  hasProtect(): boolean;
  getProtect(): boolean | undefined;
  hasRetainondelete(): boolean;
  getRetainondelete(): boolean | undefined;
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getReplaceonchangesList(): string[];
  getAliasurnsList(): string[];
  /** Aliases as the SDK sends them to an engine that takes alias specs (ours does): a URN, or a spec to resolve. */
  getAliasesList(): Array<{ getUrn(): string; getSpec(): AliasSpec | undefined }>;
  getProvider(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
}

interface AliasSpec {
  getName(): string;
  getType(): string;
  getStack(): string;
  getProject(): string;
  getParenturn(): string;
  getNoparent(): boolean;
}

interface RegisterResourceResponse {
  getUrn(): string;
  getId(): string;
  getObject(): StructLike | undefined;
}

interface ReadResourceRequest {
  getType(): string;
  getName(): string;
  getId(): string;
}

interface RegisterResourceOutputsRequest {
  getUrn(): string;
  getOutputs(): StructLike | undefined;
}

type Callback<T> = (err: Error | null, response: T | undefined) => void;

/** A `MockMonitor` that records every registration and the stack outputs. */
export class RecordingMonitor extends MockMonitor {
  readonly recorded = new Map<string, RecordedResource>();
  stackOutputs: Record<string, unknown> = {};
  stackSecretOutputs: string[] = [];
  /** Resources the program read rather than manage (StackReferences): type and id. */
  readonly reads: Array<{ type: string; name: string; id: string }> = [];

  constructor(mocks: pulumi.runtime.Mocks) {
    super(mocks);
  }

  override async registerResource(
    req: RegisterResourceRequest,
    callback: Callback<RegisterResourceResponse>,
  ): Promise<void> {
    const secretInputs: string[] = [];
    const inputs = withoutProviderCode(
      clean(req.getObject()?.toJavaScript() ?? {}, "", secretInputs) as Record<string, unknown>,
    );
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
      const urns = [...new Set(deps.getUrnsList())].sort();
      if (urns.length > 0) propertyDependencies[key] = urns;
    });
    const provider = req.getProvider();
    const base = {
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      ...(req.getParent() ? { parent: req.getParent() } : {}),
      ...(provider ? { provider: provider.split("::").slice(0, -1).join("::") } : {}),
      inputs,
      secretInputs: secretInputs.sort(),
      options: options(req),
      dependencies: [...new Set(req.getDependenciesList())].sort(),
      propertyDependencies,
    };
    await super.registerResource(req, (err: Error | null, response: RegisterResourceResponse | undefined) => {
      if (!err && response) {
        const urn = response.getUrn();
        const state = base.custom
          ? withoutProviderCode(clean(response.getObject()?.toJavaScript() ?? {}, "", []) as Record<string, unknown>)
          : undefined;
        this.recorded.set(urn, {
          urn,
          ...base,
          ...(base.custom ? { id: response.getId(), state } : {}),
        });
      }
      callback(err, response);
    });
  }

  override async readResource(req: ReadResourceRequest, callback: Callback<unknown>): Promise<void> {
    this.reads.push({ type: req.getType(), name: req.getName(), id: req.getId() });
    await super.readResource(req, callback);
  }

  override registerResourceOutputs(req: RegisterResourceOutputsRequest, callback: Callback<unknown>): void {
    if (req.getUrn().split("::")[2] === "pulumi:pulumi:Stack") {
      const secrets: string[] = [];
      this.stackOutputs = clean(req.getOutputs()?.toJavaScript() ?? {}, "", secrets) as Record<string, unknown>;
      this.stackSecretOutputs = secrets.sort();
    }
    super.registerResourceOutputs(req, callback);
  }
}

function options(req: RegisterResourceRequest): RecordedOptions {
  const ignoreChanges = req.getIgnorechangesList();
  const replaceOnChanges = req.getReplaceonchangesList();
  const aliases = aliasUrns(req);
  return {
    ...(req.hasProtect() && req.getProtect() ? { protect: true } : {}),
    ...(req.hasRetainondelete() && req.getRetainondelete() ? { retainOnDelete: true } : {}),
    ...(ignoreChanges.length > 0 ? { ignoreChanges: [...ignoreChanges].sort() } : {}),
    ...(req.getDeletebeforereplace() ? { deleteBeforeReplace: true } : {}),
    ...(replaceOnChanges.length > 0 ? { replaceOnChanges: [...replaceOnChanges].sort() } : {}),
    ...(aliases.length > 0 ? { aliases: [...aliases].sort() } : {}),
  };
}

/**
 * The URNs a resource's aliases stand for, resolved as the engine does (unset parts default to the resource's own
 * name, type, parent, stack and project) with the mock's URN scheme, so they compare with the URNs a synth records.
 * Aliases that change only the type are left out: the providers add them to every resource they renamed (an
 * `aws.s3.Bucket` carries `aws:s3/bucketV2:BucketV2`), and they say nothing about the program.
 */
function aliasUrns(req: RegisterResourceRequest): string[] {
  const urns = [...req.getAliasurnsList()];
  const [stack, project] = urnScope(req.getParent());
  for (const alias of req.getAliasesList()) {
    const spec = alias.getSpec();
    if (alias.getUrn() !== "" || spec === undefined) {
      urns.push(alias.getUrn());
      continue;
    }
    const parent = spec.getNoparent() ? "" : spec.getParenturn() || req.getParent();
    const typeOnly = spec.getName() === "" && spec.getStack() === "" && spec.getProject() === "";
    if (typeOnly && !spec.getNoparent() && spec.getParenturn() === req.getParent()) continue;
    const type = spec.getType() || req.getType();
    // MockMonitor's scheme: the parent's own type, then `$`, then the type.
    const qualified = parent === "" ? type : `${parent.split("::")[2]!.split("$").pop()!}$${type}`;
    urns.push(
      `urn:pulumi:${spec.getStack() || stack}::${spec.getProject() || project}::${qualified}::${spec.getName() || req.getName()}`,
    );
  }
  return [...new Set(urns.filter((u) => u !== ""))];
}

/** The stack and project of a URN (`urn:pulumi:<stack>::<project>::…`); empty without one. */
function urnScope(urn: string): [string, string] {
  const [head = "", project = ""] = urn.split("::");
  return [head.replace(/^urn:pulumi:/, ""), project];
}

/** Turns the wire format into plain JSON: secrets masked (and their paths noted), references and assets spelled out. */
function clean(value: unknown, path: string, secrets: string[]): unknown {
  if (value === UNKNOWN) return "[unknown]";
  if (Array.isArray(value)) return value.map((v, i) => clean(v, join(path, String(i)), secrets));
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  switch (obj[SIG_KEY]) {
    case SECRET_SIG:
      secrets.push(path);
      return SECRET_MARK;
    case RESOURCE_SIG:
      return { $ref: obj["urn"] };
    case ASSET_SIG:
    case ARCHIVE_SIG:
      return { $asset: obj["path"] ?? obj["uri"] ?? (obj["text"] === undefined ? "[assets]" : "[text]") };
    case OUTPUT_SIG:
      if (obj["secret"] === true) {
        secrets.push(path);
        return SECRET_MARK;
      }
      return "value" in obj ? clean(obj["value"], path, secrets) : "[unknown]";
    default:
      break;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj).sort()) out[key] = clean(obj[key], join(path, key), secrets);
  return out;
}

const join = (path: string, key: string) => (path === "" ? key : `${path}.${key}`);

/**
 * A dynamic resource carries its provider's serialised code as the `__provider` input: kilobytes that change with
 * every edit of the provider and say nothing about the resource. The records keep a marker instead.
 */
function withoutProviderCode(props: Record<string, unknown>): Record<string, unknown> {
  return typeof props["__provider"] === "string" ? { ...props, __provider: "(dynamic provider code)" } : props;
}
