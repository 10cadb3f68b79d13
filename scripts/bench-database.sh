#!/usr/bin/env bash
# A PostgreSQL for benchmarks that outlives each run (a 10-million-ticket load takes a while), with production
# durability: fsync, synchronous_commit and full_page_writes on (the test wrapper turns them off; benchmarks must not).
#   scripts/bench-database.sh start [DIR] [PORT]   prints the DATABASE_URL to export before running bench/*.py
#   scripts/bench-database.sh stop [DIR]
set -euo pipefail
action=${1:-start}; dir=${2:-${BENCH_PG_DIR:-$PWD/var/bench-pg}}; port=${3:-${BENCH_PG_PORT:-55432}}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$pg_bin" ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql </dev/null >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
fi
run_pg=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
  run_pg=(runuser -u postgres --)
fi
case "$action" in
  start)
    if [ ! -d "$dir/data" ]; then
      mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
      "${run_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
      cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
full_page_writes = on
shared_buffers = 4GB
effective_cache_size = 12GB
work_mem = 64MB
maintenance_work_mem = 2GB
max_wal_size = 3GB  # several benchmark databases may share a disk: WAL beyond this is checkpointed away
max_connections = 100
CONF
    fi
    "${run_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w status >/dev/null 2>&1 \
      || "${run_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w start >/dev/null
    "${run_pg[@]}" "$pg_bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -tc \
      "SELECT 1 FROM pg_database WHERE datname = 'hotline_bench'" | grep -q 1 \
      || "${run_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres hotline_bench
    echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$port/hotline_bench"
    ;;
  stop) "${run_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m fast stop ;;
  *) echo "usage: $0 start|stop [DIR] [PORT]" >&2; exit 2 ;;
esac
