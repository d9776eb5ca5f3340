#!/usr/bin/env bash
# Sets a preview stack's appSecrets (docs/services.md#secrets) from PREVIEW_APP_SECRETS, a JSON object of name to
# value held as a secret of the preview environment (test values, never production's). Each value is encrypted with
# --secret and passed through standard input, so it is never a command-line argument. Without the secret: nothing.
set -euo pipefail
stack="$1"
if [ -z "${PREVIEW_APP_SECRETS:-}" ]; then
  echo "PREVIEW_APP_SECRETS is not set: $stack gets no appSecrets"
  exit 0
fi
if ! jq -e 'type == "object" and ([.[] | type == "string"] | all)' >/dev/null <<<"$PREVIEW_APP_SECRETS"; then
  echo "::error::PREVIEW_APP_SECRETS must be a JSON object of names to text values" >&2
  exit 1
fi
pulumi stack select "$stack" --create ${SECRETS_PROVIDER:+--secrets-provider "$SECRETS_PROVIDER"}
jq -r 'keys[]' <<<"$PREVIEW_APP_SECRETS" | while IFS= read -r name; do
  if ! [[ "$name" =~ ^[A-Za-z0-9_-]{1,64}$ ]]; then
    echo "::error::PREVIEW_APP_SECRETS: \"$name\" is not an appSecrets name (1 to 64 letters, digits, - or _)" >&2
    exit 1
  fi
  # "Multi-line values may be set by piping a file to standard in" (pulumi config set --help).
  jq -j --arg name "$name" '.[$name]' <<<"$PREVIEW_APP_SECRETS" |
    pulumi config set --secret --path "appSecrets.$name" --stack "$stack"
  echo "appSecrets.$name set (encrypted)"
done
