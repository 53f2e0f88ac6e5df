#!/usr/bin/env bash
# Lints api/openapi.yaml with Spectral's spectral:oas rules (.spectral.yaml); any finding, even a
# hint, fails. Spectral is the version pinned in tools/spectral/package-lock.json, installed with
# `npm ci` from the npm registry into tools/spectral/node_modules (git-ignored) when missing or
# when the lockfile changed. Node.js and npm come from Debian's packages when missing and root.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=tools/spectral
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "spectral: install Node.js and npm (sudo apt-get install nodejs npm) to lint api/openapi.yaml" >&2
    exit 2
  fi
fi
# The install keeps a copy of the lockfile it came from: a different one means a stale install.
stamp=$dir/node_modules/.installed-from-lock
if ! cmp -s "$dir/package-lock.json" "$stamp" 2>/dev/null; then
  # --ignore-scripts: no package's install script runs (one would report to its vendor).
  npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
  cp "$dir/package-lock.json" "$stamp"
fi
"$dir/node_modules/.bin/spectral" lint --quiet --fail-severity=hint --ruleset .spectral.yaml api/openapi.yaml
echo "api/openapi.yaml lints clean (spectral:oas)"
