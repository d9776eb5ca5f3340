// The GitHub workflows: least privilege (tools/workflow-rules.ts, also run by .ci/run) and their helper scripts.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { workflowProblems } from "../tools/workflow-rules";
import { REPO } from "./helpers/synth";
import { tempDir } from "./helpers/temp";

const DIR = join(REPO, ".github", "workflows");
const read = (file: string) => readFileSync(join(DIR, file), "utf8");
const SHA = "11d5960a326750d5838078e36cf38b85af677262";

test("every workflow passes the least-privilege rules", () => {
  const files = readdirSync(DIR);
  expect(files.length).toBeGreaterThanOrEqual(4);
  expect(files.flatMap((f) => workflowProblems(f, read(f)))).toEqual([]);
});

/** A pull_request workflow with one job; `job` is its YAML body (indented by 4). */
const prWorkflow = (job: string, top = "permissions: {}") =>
  `on: pull_request\n${top}\njobs:\n  j:\n    runs-on: ubuntu-latest\n${job}\n`;

describe.each([
  [
    "a secret in workflow-level env",
    prWorkflow(`    steps:\n      - run: true`, "env:\n  T: ${{ secrets.CLOUDFLARE_API_TOKEN }}"),
    [
      "w.yml: workflow-level env holds a secret; give each job only the secrets it needs",
      "w.yml: j: runs pull-request code with a secret or an OIDC token and no environment to gate it",
      "w.yml: j: holds credentials on pull requests but does not skip forks (if: github.event.pull_request.head.repo.full_name == github.repository)",
    ],
  ],
  [
    "id-token: write for the whole workflow",
    `on: push\npermissions:\n  id-token: write\njobs:\n  j:\n    runs-on: ubuntu-latest\n    environment: staging\n    steps:\n      - run: true\n`,
    ["w.yml: workflow-level permissions grant a write scope; grant it in the job that needs it"],
  ],
  [
    "an action pinned by tag",
    `on: push\npermissions: {}\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/checkout@${SHA}\n      - uses: ./local-action\n`,
    ["w.yml: j: actions/checkout@v4 is not pinned to a commit SHA"],
  ],
  [
    "an OIDC token in a job without an environment",
    `on: push\npermissions: {}\njobs:\n  j:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n      - run: true\n`,
    ["w.yml: j: requests an OIDC token without an environment; the CI roles trust environments only"],
  ],
  [
    "pull-request code with a write token and no environment",
    prWorkflow(
      `    if: github.event.pull_request.head.repo.full_name == github.repository\n    env:\n      T: \${{ secrets.VERCEL_API_TOKEN }}\n    steps:\n      - run: npm test`,
    ),
    ["w.yml: j: runs pull-request code with a secret or an OIDC token and no environment to gate it"],
  ],
  [
    "credentials on pull requests without skipping forks",
    prWorkflow(
      `    environment: pr-plan\n    env:\n      T: \${{ secrets.VERCEL_API_TOKEN }}\n    steps:\n      - run: npm test`,
    ),
    [
      "w.yml: j: holds credentials on pull requests but does not skip forks (if: github.event.pull_request.head.repo.full_name == github.repository)",
    ],
  ],
  [
    "the deploy role from the preview environment",
    `on: push\npermissions: {}\njobs:\n  j:\n    runs-on: ubuntu-latest\n    environment: preview\n    steps:\n      - run: echo \${{ vars.AWS_DEPLOY_ROLE_ARN }}\n`,
    [
      'w.yml: j: assumes AWS_DEPLOY_ROLE_ARN from environment "preview", which the deploy role does not trust (staging, production)',
    ],
  ],
  [
    "pull_request_target",
    `on: pull_request_target\npermissions: {}\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n`,
    ["w.yml: uses pull_request_target, which runs with the repository's secrets; use pull_request"],
  ],
])("the rules catch %s", (_what, text, expected) => {
  test("with exactly these messages", () => {
    expect(workflowProblems("w.yml", text)).toEqual(expected);
  });
});

describe("the jobs that run a pull request's code", () => {
  const preview = parse(read("preview.yml")) as {
    jobs: Record<string, { environment?: string; permissions?: Record<string, string>; env?: object; if?: string }>;
  };

  test("the checks get no secret, no OIDC token and no write scope", () => {
    const checks = preview.jobs["checks"]!;
    expect(checks.environment).toBeUndefined();
    expect(checks.permissions).toEqual({ contents: "read" });
    expect(JSON.stringify(checks)).not.toMatch(/secrets\./);
  });

  test("the plan assumes the read-only role from pr-plan; the PR's stack the preview role from preview", () => {
    expect(preview.jobs["plan"]!.environment).toBe("pr-plan");
    expect(JSON.stringify(preview.jobs["plan"])).toContain("vars.AWS_READ_ONLY_ROLE_ARN");
    expect(preview.jobs["deploy-preview"]!.environment).toBe("preview");
    expect(JSON.stringify(preview.jobs["deploy-preview"])).toContain("vars.AWS_PREVIEW_ROLE_ARN");
  });
});

test("a preview is destroyed when its PR closes or loses the preview label, from the preview environment", () => {
  const cleanup = parse(read("preview-cleanup.yml")) as {
    on: { pull_request: { types: string[] } };
    jobs: { destroy: { environment: string; if: string; steps: Array<{ run?: string }> } };
  };
  expect(cleanup.on.pull_request.types).toEqual(["closed", "unlabeled"]);
  expect(cleanup.jobs.destroy.environment).toBe("preview");
  expect(cleanup.jobs.destroy.if).toContain("github.event.action == 'closed' || github.event.label.name == 'preview'");
  // Not only for PRs that still carry the label: whenever a stack exists.
  expect(cleanup.jobs.destroy.if).not.toContain("labels.*.name");
  const script = cleanup.jobs.destroy.steps.map((s) => s.run ?? "").join("\n");
  expect(script).toContain('pulumi stack select "$STACK"');
  expect(script).toContain('pulumi destroy --stack "$STACK" --yes');
  expect(script).toContain('pulumi stack rm "$STACK" --yes');
});

describe("web-branch.sh: the frontend branch a preview scopes its Vercel variables to", () => {
  const run = (env: Record<string, string>) =>
    execFileSync("bash", [join(REPO, ".github", "scripts", "web-branch.sh")], {
      env: { PATH: process.env["PATH"] ?? "", ...env },
      encoding: "utf8",
    });

  test("a Web-Branch line in the PR's description wins", () => {
    expect(run({ PR_BODY: "Adds billing.\r\n\r\nWeb-Branch: feature/billing-ui\r\n", HEAD_REF: "infra-billing" })).toBe(
      "feature/billing-ui",
    );
  });

  test("in a monorepo, the PR's own branch", () => {
    expect(run({ HEAD_REF: "feat-x", WEB_REPOSITORY: "acme/app", GITHUB_REPOSITORY: "acme/app" })).toBe("feat-x");
  });

  test("the infra repository's branch never stands in for another repository's", () => {
    expect(run({ HEAD_REF: "feat-x", WEB_REPOSITORY: "acme/web", GITHUB_REPOSITORY: "acme/infra" })).toBe("");
  });

  test("a name that is not a branch is ignored", () => {
    expect(run({ PR_BODY: "Web-Branch: --stack=production" })).toBe("");
  });
});

describe("drift-summary.sh: drift is a change, not a failure", () => {
  const run = (json: object) =>
    execFileSync("bash", [join(REPO, ".github", "scripts", "drift-summary.sh")], {
      input: JSON.stringify(json),
      encoding: "utf8",
    });

  test("lists every kind of change but same", () => {
    expect(run({ changeSummary: { same: 180, update: 2, delete: 1 } })).toBe("update: 2\ndelete: 1\n");
  });

  test("prints nothing when everything matches", () => {
    expect(run({ changeSummary: { same: 183 } })).toBe("");
  });
});

test("the cost diff is computed without credentials and posted by a job that runs none of the PR's code", () => {
  const preview = parse(read("preview.yml")) as {
    jobs: Record<string, { permissions?: Record<string, string>; steps: Array<{ uses?: string; run?: string }> }>;
  };
  const cost = preview.jobs["cost"]!;
  expect(cost.permissions).toEqual({ contents: "read" });
  const script = cost.steps.map((s) => s.run ?? "").join("\n");
  expect(script).toContain("--format cost-json");
  expect(script).toContain("npm run --silent cost:diff --");
  const comment = preview.jobs["cost-comment"]!;
  expect(comment.permissions).toEqual({ "pull-requests": "write" });
  expect(comment.steps.some((s) => s.uses?.startsWith("actions/checkout"))).toBe(false);
  // Found by its own marker: pulumi/actions' comments share the author and must not be overwritten.
  const post = comment.steps.map((s) => s.run ?? "").join("\n");
  expect(post).toContain("<!-- saas-platform:cost-estimate -->");
  expect(post).not.toContain("--edit-last");
});

describe("wake-stack.sh: a deploy out of office hours wakes what the schedules stopped", () => {
  /** Runs the script with fake `pulumi` and `aws` commands that answer from `state` and log every call. */
  const wake = (state: { nat?: string; natState?: string; db?: string; dbStatus?: string }) => {
    const dir = tempDir("wake");
    const log = join(dir, "calls.log");
    writeFileSync(
      join(dir, "pulumi"),
      `#!/bin/sh
case "$3" in
  natInstanceId) [ -n "${state.nat ?? ""}" ] && echo "${state.nat ?? ""}" || exit 1 ;;
  databaseInstanceId) [ -n "${state.db ?? ""}" ] && echo "${state.db ?? ""}" || exit 1 ;;
esac
`,
      { mode: 0o755 },
    );
    writeFileSync(
      join(dir, "aws"),
      `#!/bin/sh
echo "$*" >> "${log}"
case "$1 $2" in
  "ec2 describe-instances") echo "${state.natState ?? "running"}" ;;
  "rds describe-db-instances") echo "${state.dbStatus ?? "available"}" ;;
esac
`,
      { mode: 0o755 },
    );
    execFileSync("bash", [join(REPO, ".github", "scripts", "wake-stack.sh"), "pr-7"], {
      env: { PATH: `${dir}:${process.env["PATH"] ?? ""}`, AWS_REGION: "eu-west-1" },
      encoding: "utf8",
    });
    return existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
  };

  test("starts a stopped NAT instance and database, and waits for both", () => {
    const calls = wake({ nat: "i-0abc", natState: "stopped", db: "saas-platform-pr-7-database", dbStatus: "stopped" });
    expect(calls).toEqual([
      expect.stringContaining("ec2 describe-instances --region eu-west-1 --instance-ids i-0abc"),
      "ec2 start-instances --region eu-west-1 --instance-ids i-0abc",
      "ec2 wait instance-running --region eu-west-1 --instance-ids i-0abc",
      expect.stringContaining(
        "rds describe-db-instances --region eu-west-1 --db-instance-identifier saas-platform-pr-7-database",
      ),
      "rds start-db-instance --region eu-west-1 --db-instance-identifier saas-platform-pr-7-database",
      "rds wait db-instance-available --region eu-west-1 --db-instance-identifier saas-platform-pr-7-database",
    ]);
  });

  test("changes nothing that is awake, and nothing of a stack without outputs (a new preview)", () => {
    expect(wake({ nat: "i-0abc", natState: "running", db: "db-1", dbStatus: "available" })).toEqual([
      expect.stringContaining("ec2 describe-instances"),
      expect.stringContaining("rds describe-db-instances"),
    ]);
    expect(wake({})).toEqual([]);
  });
});

describe("set-app-secrets.sh: a preview gets its appSecrets from the environment's secret", () => {
  /** Runs the script with a fake `pulumi` that logs each call and the value it read on standard input. */
  const run = (secrets: string | undefined) => {
    const dir = tempDir("app-secrets");
    const log = join(dir, "calls.log");
    writeFileSync(
      join(dir, "pulumi"),
      `#!/bin/sh
if [ "$1 $2" = "config set" ]; then echo "$* <- $(cat)" >> "${log}"; else echo "$*" >> "${log}"; fi
`,
      { mode: 0o755 },
    );
    let status = 0;
    let output = "";
    try {
      output = execFileSync("bash", [join(REPO, ".github", "scripts", "set-app-secrets.sh"), "pr-7"], {
        env: {
          PATH: `${dir}:${process.env["PATH"] ?? ""}`,
          ...(secrets === undefined ? {} : { PREVIEW_APP_SECRETS: secrets }),
        },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (e) {
      status = (e as { status: number }).status;
      output = String((e as { stderr: string }).stderr);
    }
    return { status, output, calls: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [] };
  };

  test("each value encrypted with --secret, read from standard input, never an argument or a log line", () => {
    const { status, output, calls } = run(JSON.stringify({ openai: "sk-test-1", stripe: "sk_test_2" }));
    expect(status).toBe(0);
    expect(calls).toEqual([
      "stack select pr-7 --create",
      "config set --secret --path appSecrets.openai --stack pr-7 <- sk-test-1",
      "config set --secret --path appSecrets.stripe --stack pr-7 <- sk_test_2",
    ]);
    expect(output).not.toContain("sk-test-1");
  });

  test("without the secret it changes nothing; a value that is not text or a bad name fails", () => {
    expect(run(undefined).calls).toEqual([]);
    expect(run(JSON.stringify({ openai: 1 }))).toMatchObject({ status: 1, calls: [] });
    const bad = run(JSON.stringify({ "bad name": "x" }));
    expect(bad.status).toBe(1);
    expect(bad.output).toContain('"bad name" is not an appSecrets name');
  });
});
