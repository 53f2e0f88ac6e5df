#!/usr/bin/env bash
# Installs what the browser tests (internal/browsertest) and the PDF exports' tests need, skipping
# each part already there: Debian's chromium (/usr/bin/chromium, or $SKOLFLOW_CHROMIUM when set),
# Debian's pdftotext (poppler-utils), and axe-core, the version
# pinned in tools/axe/package-lock.json, installed with `npm ci` into tools/axe/node_modules
# (git-ignored) when missing or when the lockfile changed. Prints one line per step.
set -euo pipefail
cd "$(dirname "$0")/.."

# apt_install installs Debian packages: directly as root, else through sudo (prompting only on a
# terminal, so that make in CI fails at once instead of hanging), else says what to run.
apt_install() {
  local run=()
  if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "browser: cannot install $* (not root and no sudo): run 'apt-get install -y $*' as root" >&2
      exit 2
    fi
    run=(sudo)
    [ -t 0 ] || run=(sudo -n)
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "browser: cannot install $* (no apt-get): install it with this system's package manager" >&2
    exit 2
  fi
  # apt's chatter goes to a log, shown only when the install fails.
  local log
  log=$(mktemp)
  if ! { "${run[@]}" apt-get update -qq &&
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "browser: installing $* failed: run 'sudo apt-get install -y $*' and then make browser again" >&2
    exit 2
  fi
  rm -f "$log"
}

chromium=${SKOLFLOW_CHROMIUM:-/usr/bin/chromium}
if [ -x "$chromium" ]; then
  echo "browser: chromium present ($chromium)"
elif [ -n "${SKOLFLOW_CHROMIUM:-}" ]; then
  echo "browser: SKOLFLOW_CHROMIUM=$SKOLFLOW_CHROMIUM is not an executable file" >&2
  exit 2
else
  echo "browser: installing Debian's chromium (first time only)"
  apt_install chromium
  echo "browser: chromium installed ($("$chromium" --version 2>/dev/null || echo "$chromium"))"
fi

# The export tests read a PDF's text with Debian's pdftotext (poppler-utils).
if command -v pdftotext >/dev/null 2>&1; then
  echo "browser: pdftotext present"
else
  echo "browser: installing Debian's poppler-utils for pdftotext (first time only)"
  apt_install poppler-utils
fi

dir=tools/axe
if ! command -v npm >/dev/null 2>&1; then
  echo "browser: installing Node.js and npm for axe-core (first time only)"
  apt_install nodejs npm
fi
# The install keeps a copy of the lockfile it came from: a different one means a stale install.
stamp=$dir/node_modules/.installed-from-lock
if cmp -s "$dir/package-lock.json" "$stamp" 2>/dev/null && [ -f "$dir/node_modules/axe-core/axe.min.js" ]; then
  echo "browser: axe-core present ($dir/node_modules)"
else
  # --ignore-scripts: no package's install script runs.
  npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
  cp "$dir/package-lock.json" "$stamp"
  echo "browser: axe-core $(node -p "require('./$dir/node_modules/axe-core/package.json').version") installed ($dir/node_modules)"
fi
