// Synthesises the test stacks (test/fixtures/stacks) once per `npm test` and leaves the records in a temp folder, so
// the test files (each in its own worker) read them instead of running the same program again. Tests that need a
// fresh run (determinism, variants) still synthesise themselves.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CACHED_STACKS, SYNTH_CACHE_ENV, cachedStackConfig, synthConfig } from "./synth";

export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "saas-platform-synth-"));
  // Set first: the preview reads staging's records, written before it.
  process.env[SYNTH_CACHE_ENV] = dir;
  for (const stack of CACHED_STACKS) {
    const result = await synthConfig(cachedStackConfig(stack));
    writeFileSync(join(dir, `${stack}.json`), JSON.stringify(result));
  }
}
