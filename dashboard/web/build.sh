#!/usr/bin/env bash
# Called by Maven: installs the locked packages when they changed (npm ci), then bundles.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null; then
  echo "dashboard: npm is missing: apt-get install nodejs npm (bin/test and bin/berth do it)" >&2
  exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node build.mjs "$@"
