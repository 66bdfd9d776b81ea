#!/usr/bin/env bash
# Starts the database servers the SQL parity tests run on: PostgreSQL 15 and MariaDB, each on a
# local port with a throw-away data directory, and writes their connection settings to
# $KAOHE_SERVERS_DIR/env (sourced by .ci/run). Installs MariaDB from Debian when it is missing.
# Stop them with scripts/ci/stop-servers.sh.
set -euo pipefail
dir="${KAOHE_SERVERS_DIR:-/tmp/kaohe-servers}"
pg_port="${KAOHE_PG_PORT:-55432}"
my_port="${KAOHE_MYSQL_PORT:-53306}"
rm -rf "$dir"
mkdir -p "$dir"
chmod 755 "$dir"
: >"$dir/env"

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

# PostgreSQL: initdb refuses root, so the cluster belongs to the postgres user.
pg_bin=""
for candidate in "$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/x)")" /usr/lib/postgresql/15/bin; do
  if [ -x "$candidate/pg_ctl" ] && [ -x "$candidate/initdb" ]; then pg_bin="$candidate"; break; fi
done
if [ -n "$pg_bin" ]; then
  mkdir -p "$dir/pg"
  [ "$(id -u)" = 0 ] && chown postgres "$dir/pg"
  as_postgres "'$pg_bin/initdb' -D '$dir/pg/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8 >'$dir/pg/initdb.log' 2>&1"
  as_postgres "'$pg_bin/pg_ctl' -D '$dir/pg/data' -l '$dir/pg/server.log' -w -t 60 -o \"-p $pg_port -k '$dir/pg' -c listen_addresses=127.0.0.1\" start >/dev/null"
  echo "export KAOHE_PG_URL=postgres://postgres@127.0.0.1:$pg_port/postgres" >>"$dir/env"
  echo "export KAOHE_PG_BIN='$pg_bin'" >>"$dir/env"
  echo "PostgreSQL started on port $pg_port"
else
  echo "PostgreSQL binaries (pg_ctl, initdb) not found: the PostgreSQL tests will fail in CI" >&2
fi

# MariaDB from Debian, as root (CI and the developers' machines are root).
if ! command -v mariadbd >/dev/null 2>&1 && ! [ -x /usr/sbin/mariadbd ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >"$dir/apt.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >>"$dir/apt.log" 2>&1 || true
  fi
fi
mariadbd_bin="$(command -v mariadbd 2>/dev/null || echo /usr/sbin/mariadbd)"
if [ -x "$mariadbd_bin" ]; then
  mkdir -p "$dir/my"
  user="$(id -un)"
  mariadb-install-db --no-defaults --datadir="$dir/my/data" --user="$user" --auth-root-authentication-method=normal --skip-test-db >"$dir/my/install.log" 2>&1
  "$mariadbd_bin" --no-defaults --datadir="$dir/my/data" --socket="$dir/my/sock" --port="$my_port" --bind-address=127.0.0.1 \
    --pid-file="$dir/my/pid" --user="$user" --skip-name-resolve --character-set-server=utf8mb4 >"$dir/my/server.log" 2>&1 &
  for _ in $(seq 1 60); do
    if mariadb-admin --no-defaults --socket="$dir/my/sock" -uroot ping >/dev/null 2>&1; then break; fi
    sleep 1
  done
  mariadb --no-defaults --socket="$dir/my/sock" -uroot -e "CREATE DATABASE IF NOT EXISTS kaohe CHARACTER SET utf8mb4; CREATE USER IF NOT EXISTS 'kaohe'@'127.0.0.1' IDENTIFIED BY 'kaohe'; GRANT ALL ON kaohe.* TO 'kaohe'@'127.0.0.1';"
  echo "export KAOHE_MYSQL_URL=mysql://kaohe:kaohe@127.0.0.1:$my_port/kaohe" >>"$dir/env"
  echo "MariaDB started on port $my_port"
else
  echo "MariaDB (mariadbd) not found and could not be installed: the MySQL tests will fail in CI" >&2
fi
