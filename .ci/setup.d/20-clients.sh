#!/usr/bin/env bash
# The real graphql-ws and graphql-sse npm clients that the ignored test
# `events::npm_clients_receive_events` runs (tests/clients, committed lockfile).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -d tests/clients/node_modules ]; then
  npm ci --prefix tests/clients
fi
