#!/usr/bin/env bash
# The typed client example (examples/portal/): GraphQL Code Generator and
# TypeScript from its committed lockfile, when missing. The ignored test
# `portal_client::the_typed_client_type_checks_against_the_schema` runs them.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x examples/portal/node_modules/.bin/graphql-codegen ] || [ ! -x examples/portal/node_modules/.bin/tsc ]; then
  npm ci --prefix examples/portal --no-audit --no-fund --loglevel=error
fi
