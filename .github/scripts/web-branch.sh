#!/usr/bin/env bash
# The frontend branch a PR's preview stack scopes its Vercel variables to, printed on stdout (nothing: no scoping):
#   1. a line "Web-Branch: <branch>" in the PR's description (frontend in another repository);
#   2. the PR's own branch when the frontend lives in this repository (WEB_REPOSITORY = GITHUB_REPOSITORY, a monorepo).
# Inputs through the environment: PR_BODY, HEAD_REF, WEB_REPOSITORY, GITHUB_REPOSITORY. Tested by
# test/workflows.test.ts.
set -euo pipefail
branch="$(printf '%s\n' "${PR_BODY:-}" | tr -d '\r' | sed -n -E 's/^[Ww]eb-[Bb]ranch:[[:space:]]*([^[:space:]]+)[[:space:]]*$/\1/p' | head -n 1)"
if [ -z "$branch" ] && [ -n "${WEB_REPOSITORY:-}" ] && [ "${WEB_REPOSITORY}" = "${GITHUB_REPOSITORY:-}" ]; then
  branch="${HEAD_REF:-}"
fi
# A git branch name, nothing that could smuggle an option or a second value into `pulumi config set`.
if [ -n "$branch" ] && ! printf '%s' "$branch" | grep -Eq '^[A-Za-z0-9._][A-Za-z0-9._/-]{0,254}$'; then
  echo "web-branch: ignoring an invalid branch name" >&2
  branch=""
fi
printf '%s' "$branch"
