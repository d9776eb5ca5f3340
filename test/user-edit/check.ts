// `npm run test:user-edit`: the test suite must not depend on the example stack files' values, which belong to the
// user. Copies the working tree to a temp folder, edits the copy as a team adopting it would (its own backend in place
// of examples/api; in every Pulumi.<stack>.yaml another app name, domain, build context, API port and health path),
// runs the whole jest suite there and exits with its status.
// Arguments after the script go to jest (e.g. a test path).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, realpathSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { editStackFiles, ZENITH_CRM } from "./edit-stack-files";

const REPO = join(__dirname, "..", "..");
/** Top-level entries not copied: installed or generated. */
const SKIP = new Set(["node_modules", ".git", "coverage", "bin", ".synth"]);

const copy = mkdtempSync(join(tmpdir(), "saas-platform-user-edit-"));
try {
  cpSync(REPO, copy, { recursive: true, filter: (src) => dirname(src) !== REPO || !SKIP.has(basename(src)) });
  symlinkSync(realpathSync(join(REPO, "node_modules")), join(copy, "node_modules"), "dir");
  // The team's backend replaces the example API (the copy's examples/ is gone).
  renameSync(join(copy, "examples", "api"), join(copy, ZENITH_CRM.buildContext));
  rmSync(join(copy, "examples"), { recursive: true });
  const stacks = editStackFiles(copy, ZENITH_CRM);
  console.log(
    `Edited ${stacks.map((s) => `Pulumi.${s}.yaml`).join(", ")} in ${copy}: appName ${ZENITH_CRM.appName}, ` +
      `domain ${ZENITH_CRM.apex}, api.containerPort ${ZENITH_CRM.containerPort}, ` +
      `api.healthCheckPath ${ZENITH_CRM.healthCheckPath}, api.build.context ${ZENITH_CRM.buildContext} ` +
      "(examples/api moved there)",
  );
  if (process.env.USER_EDIT_SHOW_DIFF !== undefined) {
    for (const stack of stacks) {
      const file = `Pulumi.${stack}.yaml`;
      spawnSync("diff", ["-u", join(REPO, file), join(copy, file)], { stdio: "inherit" });
    }
  }
  const jest = join(REPO, "node_modules", "jest", "bin", "jest.js");
  const run = spawnSync(process.execPath, [jest, ...process.argv.slice(2)], { cwd: copy, stdio: "inherit" });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(copy, { recursive: true, force: true });
}
