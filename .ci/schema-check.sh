#!/usr/bin/env bash
# Schema changes on purpose: compares schema.graphql with the main branch's
# (graphql-inspector) and fails on a breaking change that CHANGELOG.md does
# not name by its path (e.g. `Engagement.viewerRole`).
#
# The base is the merge base with origin/main (or main) when HEAD is not on
# it; on main itself (a clean clone, where main == HEAD) it is the previous
# commit on main (the first parent), so the last change to land is checked.
# Installs its npm tools into .ci/schema-check/ from the committed lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

tools=.ci/schema-check
if [ ! -x "$tools/node_modules/.bin/graphql-inspector" ]; then
  npm ci --prefix "$tools" --no-audit --no-fund --loglevel=error
fi

base=""
for ref in origin/main main; do
  if git rev-parse --verify --quiet "$ref^{commit}" >/dev/null; then
    base="$(git merge-base HEAD "$ref")"
    break
  fi
done
if [ -z "$base" ] || [ "$base" = "$(git rev-parse HEAD)" ]; then
  base="$(git rev-parse --verify --quiet 'HEAD^1^{commit}' || true)"
fi
if [ -z "$base" ]; then
  echo "schema check: no earlier commit to compare with"
  exit 0
fi

old="$(mktemp --suffix=.graphql)"
trap 'rm -f "$old"' EXIT
if ! git show "$base:schema.graphql" >"$old" 2>/dev/null; then
  echo "schema check: $base has no schema.graphql"
  exit 0
fi

echo "schema check: schema.graphql against $(git rev-parse --short "$base")"
# The inspector's own report, for people; the decision is check.mjs's.
"$tools/node_modules/.bin/graphql-inspector" diff "$old" schema.graphql || true
changelog=CHANGELOG.md
[ -f "$changelog" ] || changelog=/dev/null
node "$tools/check.mjs" "$old" schema.graphql "$changelog"
