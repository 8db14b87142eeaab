#!/usr/bin/env bash
# The report scripts in examples/: jq for the shell one, and the `gql`
# client in a virtualenv under examples/.venv (gitignored) for the Python one.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v jq >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq curl
fi
if ! examples/.venv/bin/python -c 'import gql, requests' >/dev/null 2>&1; then
  python3 -m venv examples/.venv
  examples/.venv/bin/pip install --quiet 'gql[requests]>=3.5,<5'
fi
