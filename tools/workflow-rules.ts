/**
 * Least-privilege rules for the GitHub workflows, checked offline by `.ci/run` (`npm run check:workflows`) and by
 * test/workflows.test.ts. actionlint checks that a workflow is well formed; these check who holds which credential:
 *
 * - workflow-level: no secrets in `env`, no write permission (each job asks for its own);
 * - a job that runs a pull request's code and holds a secret or an OIDC token runs in an environment (its
 *   protection rules gate it) and never for a fork;
 * - a job assuming a CI role runs in an environment that role trusts (bootstrap/ci-roles.ts);
 * - `pull_request_target` is not used (it runs with the base repository's secrets);
 * - third-party actions are pinned by commit.
 */
import { parse } from "yaml";
import { ROLE_ENVIRONMENTS } from "../bootstrap/ci-roles";

type Json = Record<string, unknown>;

/** The role-ARN variables the workflows use, and the role each names. */
export const ROLE_VARIABLES: Readonly<Record<string, keyof typeof ROLE_ENVIRONMENTS>> = {
  AWS_DEPLOY_ROLE_ARN: "deploy",
  AWS_PREVIEW_ROLE_ARN: "preview",
  AWS_READ_ONLY_ROLE_ARN: "readOnly",
};

const FORK_GUARD = "github.event.pull_request.head.repo.full_name == github.repository";
const SECRET_REF = /\$\{\{[^}]*\bsecrets\.(?!GITHUB_TOKEN\b)[A-Za-z_]+/;
const PINNED = /^[^@\s]+@[0-9a-f]{40}$/;

const asObject = (v: unknown): Json => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const triggers = (on: unknown): string[] =>
  typeof on === "string" ? [on] : Array.isArray(on) ? on.map(String) : Object.keys(asObject(on));

/** Every problem in one workflow file, as `<file>: <job>: <problem>`. */
export function workflowProblems(file: string, text: string): string[] {
  const doc = asObject(parse(text));
  const problems: string[] = [];
  const on = triggers(doc["on"]);
  const prCode = on.includes("pull_request") || on.includes("pull_request_target");
  if (on.includes("pull_request_target")) {
    problems.push(`${file}: uses pull_request_target, which runs with the repository's secrets; use pull_request`);
  }
  if (SECRET_REF.test(JSON.stringify(doc["env"] ?? {}))) {
    problems.push(`${file}: workflow-level env holds a secret; give each job only the secrets it needs`);
  }
  if (JSON.stringify(doc["permissions"] ?? {}).includes("write")) {
    problems.push(`${file}: workflow-level permissions grant a write scope; grant it in the job that needs it`);
  }
  const workflowSecrets = SECRET_REF.test(JSON.stringify(doc["env"] ?? {}));
  for (const [name, rawJob] of Object.entries(asObject(doc["jobs"]))) {
    const job = asObject(rawJob);
    const at = `${file}: ${name}`;
    const jobText = JSON.stringify(job);
    const environment: unknown =
      typeof job["environment"] === "string" ? job["environment"] : asObject(job["environment"])["name"];
    // A job without its own permissions gets the workflow's; workflow-level env reaches every job.
    const permissions = asObject(job["permissions"] ?? doc["permissions"]);
    const idToken = permissions["id-token"] === "write";
    const holdsSecret = workflowSecrets || SECRET_REF.test(jobText);
    const steps = Array.isArray(job["steps"]) ? (job["steps"] as unknown[]).map(asObject) : [];
    for (const step of steps) {
      const uses = step["uses"];
      if (typeof uses === "string" && !uses.startsWith("./") && !uses.startsWith("docker://") && !PINNED.test(uses)) {
        problems.push(`${at}: ${uses} is not pinned to a commit SHA`);
      }
    }
    if (idToken && environment === undefined) {
      problems.push(`${at}: requests an OIDC token without an environment; the CI roles trust environments only`);
    }
    if (prCode && (holdsSecret || idToken)) {
      if (environment === undefined) {
        problems.push(`${at}: runs pull-request code with a secret or an OIDC token and no environment to gate it`);
      }
      if (!(typeof job["if"] === "string" && job["if"].includes(FORK_GUARD))) {
        problems.push(`${at}: holds credentials on pull requests but does not skip forks (if: ${FORK_GUARD})`);
      }
    }
    for (const [variable, role] of Object.entries(ROLE_VARIABLES)) {
      if (!jobText.includes(`vars.${variable}`) && !jobText.includes(`secrets.${variable}`)) continue;
      const trusted: readonly string[] = ROLE_ENVIRONMENTS[role];
      if (typeof environment !== "string" || !trusted.includes(environment)) {
        problems.push(
          `${at}: assumes ${variable} from environment ${JSON.stringify(environment ?? null)}, which the ${role} role does not trust (${trusted.join(", ")})`,
        );
      }
    }
  }
  return problems;
}
