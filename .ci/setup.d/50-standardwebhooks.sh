#!/usr/bin/env bash
# The Standard Webhooks reference library for Python, which the ignored test
# `webhooks::the_standard_webhooks_library_verifies_deliveries` verifies
# opskit's signatures with; installed only when missing.
set -euo pipefail
if ! python3 -c 'import standardwebhooks' 2>/dev/null; then
  python3 -m pip install --quiet standardwebhooks 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages standardwebhooks
fi
