#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the goal search's database tests: initdb into a temporary
# folder (as the postgres user when run as root, since PostgreSQL refuses to run as root), a
# server on a unix socket in that folder and a free TCP port, password authentication, and the
# URL the tests read from INFOMORPH_TEST_DATABASE_URL.
#
#   eval "$(scripts/test-postgres.sh start)"   start; prints export lines (the URL, the folder)
#   scripts/test-postgres.sh stop DIR          stop the cluster in DIR and remove DIR
#
# Needs Debian's postgresql package (apt-get install -y postgresql): initdb and pg_ctl from
# /usr/lib/postgresql/<version>/bin, or on PATH.
set -euo pipefail

bin_dir() {
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [[ -z "$newest" || ! -x "$newest/initdb" ]]; then
    echo "error: PostgreSQL's initdb was not found. Install it: apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "$newest"
}

# Run a command as the cluster's owner: postgres when we are root, else ourselves.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

case "${1:-}" in
  start)
    bin="$(bin_dir)"
    dir="$(mktemp -d "${TMPDIR:-/tmp}/infomorph-pg-XXXXXX")"
    chmod 755 "$dir"
    [[ "$(id -u)" == 0 ]] && chown postgres "$dir"
    password="$(node -e 'console.log(require("crypto").randomBytes(12).toString("hex"))')"
    printf '%s\n' "$password" >"$dir/pwfile"
    [[ "$(id -u)" == 0 ]] && chown postgres "$dir/pwfile"
    as_owner "$bin/initdb" -D "$dir/data" -U infomorph --pwfile="$dir/pwfile" -A scram-sha-256 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$dir/pwfile"
    port="$(free_port)"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >&2 ||
      { cat "$dir/server.log" >&2; exit 1; }
    echo "export INFOMORPH_TEST_DATABASE_URL='postgres://infomorph:$password@127.0.0.1:$port/postgres'"
    echo "export INFOMORPH_TEST_DATABASE_DIR='$dir'"
    ;;
  stop)
    dir="${2:?usage: scripts/test-postgres.sh stop DIR}"
    bin="$(bin_dir)"
    [[ -d "$dir/data" ]] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: scripts/test-postgres.sh start | stop DIR" >&2
    exit 2
    ;;
esac
