/** Reading a stack file's config: decode, validate against the schema (./config.ts), run the rules across keys (./config-rules.ts), report every problem at once. */
import { closest } from "fastest-levenshtein";
import { z } from "zod";
import { checkCombinations, checkStackName } from "./config-rules";
import { serviceProblems } from "./service-rules";
import {
  ConfigError,
  ENVIRONMENTS,
  PREVIEW_STACK,
  REDACTED,
  REMOVED_KEYS,
  stackConfigSchema,
  stackFileOf,
  type ConfigCheck,
  type ConfigProblem,
  type ParsedConfig,
  type RawStackConfig,
  type StackConfig,
} from "./config";

/**
 * Parses and validates the stack config. Returns the typed config or throws one {@link ConfigError} listing every
 * problem, each naming the key, what is expected and what was found. Pure apart from wrapping secrets.
 */
export function parseConfig(raw: RawStackConfig, extraCheck?: ConfigCheck): StackConfig {
  const stackFile = stackFileOf(raw.stack);
  const ns = (path: readonly PropertyKey[]) => `${raw.project}:${path.map(String).join(".")}`;
  const problems: ConfigProblem[] = [];

  const decoded: Record<string, unknown> = {};
  const removed: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(raw.values)) {
    if (key in REMOVED_KEYS) removed[key] = text;
    else decoded[key] = decode(key, text);
  }
  for (const key of Object.keys(removed)) problems.push({ key: ns([key]), message: REMOVED_KEYS[key]! });

  const result = stackConfigSchema.safeParse(decoded);
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push(...describeIssue(issue, decoded, ns, raw.secretKeys.has(String(issue.path[0]))));
    }
  }

  const environment = ENVIRONMENTS.find((e) => e === decoded["environment"]);
  const previewMatch = PREVIEW_STACK.exec(raw.stack);
  const nameProblems = environment ? checkStackName(raw.stack, environment, ns(["environment"])) : [];
  problems.push(...nameProblems);

  // Rules across keys run on every key that is valid on its own, so one run reports every problem in the file.
  const valid = validFields(decoded);
  // An environment that disagrees with the stack's name is reported once, not again through every rule it drives.
  const checked = nameProblems.length > 0 ? { ...valid, environment: undefined } : valid;
  problems.push(...checkCombinations(checked, (key) => key in decoded, ns));
  problems.push(...serviceProblems(checked, ns, raw.secretKeys.has("appSecrets"), raw.plainSecretPaths ?? []));
  if (extraCheck) problems.push(...extraCheck(valid, raw.project));

  if (problems.length > 0 || !result.success) {
    throw new ConfigError(stackFile, redactSecrets(problems, raw));
  }

  return {
    ...result.data,
    project: raw.project,
    stack: raw.stack,
    stackFile,
    ...(previewMatch ? { previewNumber: Number(previewMatch[1]) } : {}),
  };
}

/**
 * Problems never quote a value set with `--secret`: the schema's messages already say {@link REDACTED} for them, and
 * this removes any text of a secret (whole, or any string inside a secret object) that a cross-key rule quoted.
 */
export function redactSecrets(problems: readonly ConfigProblem[], raw: RawStackConfig): ConfigProblem[] {
  const texts = new Set<string>();
  const collect = (value: unknown): void => {
    // Short fragments (a port, a flag) would blank unrelated words; the schema never quotes a secret at all.
    if (typeof value === "string" && value.length >= 3) texts.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(collect);
  };
  for (const key of raw.secretKeys) {
    const text = raw.values[key];
    // An empty value has nothing to hide (and splitting on "" would cut every message into letters).
    if (text === undefined || text === "") continue;
    texts.add(text);
    try {
      collect(JSON.parse(text));
    } catch {
      // Plain text: the whole value is collected above.
    }
  }
  // Longest first, so a secret that contains another is removed whole.
  const secrets = [...texts].sort((a, b) => b.length - a.length);
  return problems.map((p) => ({
    key: p.key,
    message: secrets.reduce((message, secret) => hide(message, secret), p.message),
  }));
}

/**
 * The message without `secret`. A value of one or two characters is removed only where it stands alone (between
 * characters that are not letters or digits, as a quoted value does), so that "7" does not blank every 7 in the text.
 */
function hide(message: string, secret: string): string {
  if (secret.length >= 3) return message.split(secret).join(`[${REDACTED}]`);
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return message.replace(new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`, "g"), `[${REDACTED}]`);
}

/** The top-level keys whose value passes its own schema, parsed. */
function validFields(decoded: Record<string, unknown>): Partial<ParsedConfig> {
  const valid: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(stackConfigSchema.shape as Record<string, z.ZodType>)) {
    if (!(key in decoded)) continue;
    const parsed = field.safeParse(decoded[key]);
    if (parsed.success) valid[key] = parsed.data;
    else if (isRecordField(field)) valid[key] = validEntries(field, decoded[key]);
  }
  return valid;
}

/** A map such as `services`: one bad entry must not hide the rules of the others. */
function isRecordField(field: z.ZodType): field is z.ZodOptional<z.ZodRecord> {
  return field instanceof z.ZodOptional && field.unwrap() instanceof z.ZodRecord;
}

/** The entries of a map that pass the schema on their own (key and value). */
function validEntries(field: z.ZodOptional<z.ZodRecord>, value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const record = field.unwrap();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const parsed = record.safeParse({ [k]: v });
    if (parsed.success) Object.assign(out, parsed.data as Record<string, unknown>);
  }
  return out;
}

/** Pulumi passes numbers, booleans and objects as text; text fields are kept verbatim. */
function decode(key: string, text: string): unknown {
  const field = (stackConfigSchema.shape as Record<string, z.ZodType | undefined>)[key];
  if (field && isTextField(field)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isTextField(field: z.ZodType): boolean {
  const inner = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field;
  return inner instanceof z.ZodString || inner instanceof z.ZodEnum;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  ns: (path: readonly PropertyKey[]) => string,
  secret: boolean,
): ConfigProblem[] {
  if (issue.code === "unrecognized_keys") {
    const known = Object.keys(shapeAt(issue.path));
    return issue.keys.map((k) => ({
      key: ns([...issue.path, k]),
      message: `is not a known setting${known.length > 0 ? ` (did you mean "${closest(k, known)}"?)` : ""}`,
    }));
  }
  if (issue.code === "invalid_key") {
    // A map's key that breaks its own rule (a service's name): say that rule, not the map's.
    const reason = issue.issues[0]?.message ?? issue.message;
    return [{ key: ns(issue.path), message: `${reason} (got "${String(issue.path[issue.path.length - 1])}")` }];
  }
  const found = valueAt(input, issue.path);
  if (issue.code === "invalid_union" && typeof found === "object" && found !== null) {
    // An object given for a key that takes a word or an object (officeHours): report the object's own mistakes, by
    // their keys, rather than "must be one or the other".
    const branch = issue.errors.find(
      (errors) => errors.length > 0 && errors.every((e) => e.path.length > 0 || e.code === "unrecognized_keys"),
    );
    if (branch !== undefined) {
      return branch.flatMap((e) => describeIssue({ ...e, path: [...issue.path, ...e.path] }, input, ns, secret));
    }
  }
  const got = found === undefined ? "not set" : secret ? `got ${REDACTED}` : `got ${JSON.stringify(found)}`;
  return [{ key: ns(issue.path), message: `${issue.message} (${got})` }];
}

function shapeAt(path: readonly PropertyKey[]): Record<string, unknown> {
  let schema: z.ZodType = stackConfigSchema;
  const objectOf = (candidate: z.ZodType): z.ZodType => {
    const inner = candidate instanceof z.ZodOptional ? (candidate.unwrap() as z.ZodType) : candidate;
    if (inner instanceof z.ZodUnion) {
      return (inner.options as z.ZodType[]).find((option) => option instanceof z.ZodObject) ?? inner;
    }
    return inner;
  };
  for (const segment of path) {
    const inner = objectOf(schema);
    // A map (services): every entry has the value's shape.
    if (inner instanceof z.ZodRecord) {
      schema = inner.valueType as z.ZodType;
      continue;
    }
    if (!(inner instanceof z.ZodObject)) return {};
    const next = (inner.shape as Record<string, z.ZodType | undefined>)[String(segment)];
    if (!next) return {};
    schema = next;
  }
  const inner = objectOf(schema);
  return inner instanceof z.ZodObject ? inner.shape : {};
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}
