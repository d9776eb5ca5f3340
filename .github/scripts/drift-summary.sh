#!/usr/bin/env bash
# Reads `pulumi preview --json` on stdin and prints one "<operation>: <count>" line per kind of change other than
# "same" (nothing when the stack matches its resources). Used by drift.yml; tested by test/workflows.test.ts.
set -euo pipefail
node -e '
let text = "";
process.stdin.on("data", (d) => (text += d));
process.stdin.on("end", () => {
  const summary = JSON.parse(text).changeSummary ?? {};
  for (const [op, count] of Object.entries(summary)) if (op !== "same" && count > 0) console.log(`${op}: ${count}`);
});
'
