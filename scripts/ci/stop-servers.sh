#!/usr/bin/env bash
# Stops the servers scripts/ci/start-servers.sh started and removes their data.
set -uo pipefail
dir="${KAOHE_SERVERS_DIR:-/tmp/kaohe-servers}"
[ -d "$dir" ] || exit 0
if [ -f "$dir/env" ]; then
  # shellcheck disable=SC1091
  . "$dir/env"
fi
if [ -n "${KAOHE_PG_BIN:-}" ] && [ -d "$dir/pg/data" ]; then
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "'$KAOHE_PG_BIN/pg_ctl' -D '$dir/pg/data' -m fast -w stop" >/dev/null 2>&1
  else "$KAOHE_PG_BIN/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null 2>&1; fi
fi
if [ -f "$dir/my/pid" ]; then
  pid="$(cat "$dir/my/pid")"
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
fi
rm -rf "$dir"
