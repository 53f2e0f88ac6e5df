#!/usr/bin/env bash
# Validates docker-compose.yml with Debian's docker-compose (no Docker engine needed for
# `config`). Installs it when running as root; otherwise says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v docker-compose >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
  else
    echo "compose-config: install docker-compose (sudo apt-get install docker-compose) to validate docker-compose.yml" >&2
    exit 2
  fi
fi
docker-compose -f docker-compose.yml config -q
echo "docker-compose.yml is valid"
