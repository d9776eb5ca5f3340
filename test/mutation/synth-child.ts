// Run by the mutation-testing global setup (./global-setup.ts) in a child process, with Stryker's active mutant in
// its environment: it synthesises the cached test stacks, as test/helpers/global-setup.ts does for `npm test`, and
// writes which mutants the synthesis executed, so Stryker knows those mutants need the tests that read these stacks.
// Usage: node --import tsx test/mutation/synth-child.ts <cache dir> <coverage file>
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CACHED_STACKS, SYNTH_CACHE_ENV, cachedStackConfig, synthConfig } from "../helpers/synth";

interface StrykerNamespace {
  mutantCoverage?: { static: Record<string, number> };
}

async function main(): Promise<void> {
  const [dir, coverageFile] = process.argv.slice(2);
  if (dir === undefined || coverageFile === undefined) throw new Error("usage: synth-child.ts <dir> <coverage file>");
  // Set first: the preview reads staging's records, written before it.
  process.env[SYNTH_CACHE_ENV] = dir;
  const failed: string[] = [];
  for (const stack of CACHED_STACKS) {
    try {
      writeFileSync(join(dir, `${stack}.json`), JSON.stringify(await synthConfig(cachedStackConfig(stack))));
    } catch (e) {
      // A mutant that breaks a stack: no file, so each test that needs this stack synthesises it in its own run
      // (with the mutant) and meets the failure there, where it counts as a kill.
      failed.push(`${stack}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
  }
  const ns = (globalThis as { __stryker__?: StrykerNamespace }).__stryker__;
  writeFileSync(
    coverageFile,
    JSON.stringify({ static: ns?.mutantCoverage?.static ?? {}, failed, cacheEnv: SYNTH_CACHE_ENV }),
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
