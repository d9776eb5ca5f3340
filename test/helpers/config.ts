import { ConfigError, type ConfigCheck, type RawStackConfig } from "../../infra/config";
import { parseConfig } from "../../infra/parse-config";

/** The project name of the example stack files, the prefix of every config key. */
export const PROJECT = "saas-platform";

/**
 * What `infra/program.ts` hands `parseConfig`: values without the namespace, objects as JSON, undefined values left
 * out (a stack file cannot hold one).
 */
export function rawConfig(
  values: Record<string, unknown>,
  stack: string,
  secretKeys: readonly string[] = [],
  project = PROJECT,
): RawStackConfig {
  return {
    project,
    stack,
    values: Object.fromEntries(
      Object.entries(values)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
    secretKeys: new Set(secretKeys),
  };
}

/** The problems `parseConfig` reports for a file, as `key message` lines (throws if it accepts the file). */
export function problemLines(r: RawStackConfig, extra?: ConfigCheck): string[] {
  try {
    parseConfig(r, extra);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems.map((p) => `${p.key} ${p.message}`);
  }
  throw new Error("expected a ConfigError");
}
