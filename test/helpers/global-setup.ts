// Synthesises the real stacks once per `npm test` and leaves the records in a temp folder, so the test files (each
// in its own worker) read them instead of running the same program again. Tests that need a fresh run (determinism,
// variants) still synthesise themselves.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeConfig } from "../../infra/synth/synth";
import { CACHED_STACKS, SYNTH_CACHE_ENV, cachedStackConfig } from "./synth";

export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "saas-platform-synth-"));
  for (const stack of CACHED_STACKS) {
    const result = await synthesizeConfig(cachedStackConfig(stack));
    writeFileSync(join(dir, `${stack}.json`), JSON.stringify(result));
  }
  process.env[SYNTH_CACHE_ENV] = dir;
}
