// The layers of docs/architecture.md, as `npm run lint` checks them (dependency-cruiser, .dependency-cruiser.cjs).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO } from "./helpers/synth";

const depcruise = (cwd: string, paths: string[]) =>
  spawnSync(
    process.execPath,
    [
      join(REPO, "node_modules", "dependency-cruiser", "bin", "dependency-cruiser.mjs"),
      ...paths,
      "--config",
      join(REPO, ".dependency-cruiser.cjs"),
    ],
    { cwd, encoding: "utf8" },
  );

test("the repository keeps its layers: no cycle, components stand alone, the program never loads the synth", () => {
  const run = depcruise(REPO, ["synth", "infra", "components", "stacks", "policy", "tools", "bootstrap"]);
  expect(run.stdout).toContain("no dependency violations found");
  expect(run.status).toBe(0);
}, 60000);

test("each rule catches its violation in a fixture tree", () => {
  const run = depcruise(join(REPO, ".ci", "fixtures", "layers"), ["components", "infra", "stacks", "synth"]);
  expect(run.status).not.toBe(0);
  expect(run.stdout).toContain("error components-stand-alone: components/bad.ts → infra/program.ts");
  expect(run.stdout).toContain("error program-never-imports-synth: infra/program.ts → synth/cli.ts");
  expect(run.stdout).toContain("error no-circular: stacks/a.ts");
  expect(run.stdout).toContain("error stacks-use-only-the-program-types: stacks/c.ts → infra/program.ts");
  // The type-only import of the same module is allowed: one violation for c.ts, not two.
  expect(run.stdout.match(/stacks\/c\.ts → infra\/program\.ts/g)).toHaveLength(1);
}, 60000);
