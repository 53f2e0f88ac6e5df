#!/usr/bin/env bash
# with-postgres.sh DB COMMAND...
#
# Runs COMMAND with DATABASE_URL pointing at database DB on a real PostgreSQL server:
#   1. DATABASE_URL already set: used as it is.
#   2. A server answers on 127.0.0.1:5432: used (as user postgres, or root, whichever gets in).
#   3. Otherwise a throwaway cluster is made under .data/postgres from the machine's PostgreSQL
#      binaries, on port ${SKOLFLOW_PG_PORT:-54329}, and stopped again when COMMAND ends. Missing
#      binaries are installed from Debian's packages when running as root; otherwise this says
#      what to install.
set -euo pipefail

db="$1"
shift
root="$(cd "$(dirname "$0")/.." && pwd)"

if [ -n "${DATABASE_URL:-}" ]; then
  exec "$@"
fi

say() { echo "with-postgres: $*" >&2; }

answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# pick_user HOST PORT: the first of postgres, root that the server lets in (postgres if psql is
# missing and we cannot ask).
pick_user() {
  if ! command -v psql >/dev/null 2>&1; then
    echo postgres
    return
  fi
  for u in postgres root "$(id -un)"; do
    if psql -h "$1" -p "$2" -U "$u" -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
      echo "$u"
      return
    fi
  done
  say "a server answers on $1:$2 but lets in neither postgres nor root; set DATABASE_URL"
  exit 2
}

if answers 127.0.0.1 5432; then
  export DATABASE_URL="postgres://$(pick_user 127.0.0.1 5432)@127.0.0.1:5432/$db?sslmode=disable"
  exec "$@"
fi

# --- a throwaway cluster under .data/postgres ---------------------------------------------------
bindir() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

bin=$(bindir || true)
if [ -z "$bin" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing PostgreSQL from Debian's packages"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bin=$(bindir || true)
  fi
  if [ -z "$bin" ]; then
    say "PostgreSQL 15 or later is needed. Install it with: sudo apt-get install postgresql"
    say "or point DATABASE_URL at a server you have."
    exit 2
  fi
fi

port="${SKOLFLOW_PG_PORT:-54329}"
data="$root/.data/postgres"
run_as=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: the cluster belongs to an unprivileged user.
  owner=postgres
  id -u "$owner" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
  run_as=(runuser -u "$owner" --)
fi

mkdir -p "$data"
if [ "$(id -u)" = 0 ]; then chown "$owner" "$data"; chmod 700 "$data"; fi
if [ ! -f "$data/PG_VERSION" ]; then
  say "creating a throwaway cluster in $data"
  "${run_as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
fi
if ! "${run_as[@]}" "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  say "starting it on 127.0.0.1:$port"
  # setsid: Ctrl-C at the terminal reaches COMMAND, which stops first; the cluster is stopped after.
  setsid "${run_as[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$data" start >/dev/null
  trap 'say "stopping the throwaway cluster"; "${run_as[@]}" "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null' EXIT
fi

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/$db?sslmode=disable"
"$@"
