#!/usr/bin/env bash
# Headless Chromium for the GraphiQL test (`graphiql_browser::…`): Debian's
# chromium package, and playwright-core (no browser download) from the
# committed lockfile in tests/browser/, each only when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v chromium >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
fi
