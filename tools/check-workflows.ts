/** `npm run check:workflows [dir]`: the least-privilege rules of tools/workflow-rules.ts over every workflow. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { workflowProblems } from "./workflow-rules";

const dir = process.argv[2] ?? ".github/workflows";
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const problems = files.flatMap((f) => workflowProblems(join(dir, f), readFileSync(join(dir, f), "utf8")));
if (problems.length > 0) {
  process.stderr.write(
    `${problems.length} workflow problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  ${p}\n`).join("")}`,
  );
  process.exitCode = 1;
} else {
  process.stdout.write(`${files.length} workflows: no job holds a credential it should not\n`);
}
