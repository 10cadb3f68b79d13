#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL and Redis on 127.0.0.1, and Chromium + CJK fonts for browser tests.
# Installs the Debian packages when they are missing (as root, or with sudo), starts both servers in a temporary
# directory on free ports, exports DATABASE_URL and REDIS_URL, runs "$@", and stops and removes everything after.
set -euo pipefail

need=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
# grep -c reads all of its input (grep -q would stop early and kill fc-list with SIGPIPE under pipefail).
[ "$(fc-list 2>/dev/null | grep -ci "Noto Sans CJK" || true)" -gt 0 ] || need+=(fonts-noto-cjk)
command -v msgfmt >/dev/null || need+=(gettext)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" </dev/null >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
fi

tmp=$(mktemp -d /tmp/hotline-test.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pg_port=$(free_port); redis_port=$(free_port)

# PostgreSQL refuses to run as root: run it as the postgres user the Debian package creates.
run_pg=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
  chown postgres "$tmp"; chmod 755 "$tmp"
  run_pg=(runuser -u postgres --)
fi

cleanup() {
  set +e
  [ -d "$tmp/replica" ] && "${run_pg[@]}" "$pg_bin/pg_ctl" -D "$tmp/replica" -m immediate stop >/dev/null 2>&1
  "${run_pg[@]}" "$pg_bin/pg_ctl" -D "$tmp/pg" -m immediate stop >/dev/null 2>&1
  [ -f "$tmp/redis.pid" ] && kill "$(cat "$tmp/redis.pid")" 2>/dev/null
  [ -n "${moto_pid:-}" ] && kill "$moto_pid" 2>/dev/null
  rm -rf "$tmp" 2>/dev/null || { sleep 1; rm -rf "$tmp"; }  # a server may still be writing its last file
}
trap cleanup EXIT

"${run_pg[@]}" "$pg_bin/initdb" -D "$tmp/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
"${run_pg[@]}" "$pg_bin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w -o \
  "-h 127.0.0.1 -p $pg_port -k $tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
# Two roles, as in production: the owner runs the migrations (here: the tests, which create their own database), the
# application role gets only what `manage.py db_grant_app_role` grants (tests/org/test_app_role.py checks it).
"${run_pg[@]}" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres \
  -c "CREATE ROLE hotline LOGIN CREATEDB CREATEROLE" -c "CREATE ROLE hotline_app LOGIN" >/dev/null
"${run_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres -O hotline hotline
# A streaming replica of it (pg_basebackup), for the database router's tests (tests/test_replicas.py): they point a
# server at it with DATABASE_REPLICA_URLS; the rest of the suite reads and writes the primary only.
replica_port=$(free_port)
"${run_pg[@]}" "$pg_bin/pg_basebackup" -h 127.0.0.1 -p "$pg_port" -U postgres -D "$tmp/replica" -R -X stream -c fast
# In its configuration, not on the command line: a test stops and starts it again.
printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\nfsync = off\nmax_connections = 200\n" \
  "$replica_port" "$tmp" >>"$tmp/replica/postgresql.conf"
"${run_pg[@]}" "$pg_bin/pg_ctl" -D "$tmp/replica" -l "$tmp/replica.log" -w start >/dev/null
redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --maxmemory-policy noeviction \
  --daemonize yes --pidfile "$tmp/redis.pid" --logfile "$tmp/redis.log" --dir "$tmp"
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

# An S3-compatible object store (moto in server mode, from requirements-dev.txt) for the attachment tests with
# STORAGE_URL=s3://… (tests/test_object_storage.py).
moto_port=$(free_port); moto_pid=""
moto_server=$(dirname "$(readlink -f "$0")")/../.venv/bin/moto_server
if [ -x "$moto_server" ]; then
  "$moto_server" -H 127.0.0.1 -p "$moto_port" >"$tmp/moto.log" 2>&1 &
  moto_pid=$!
  for _ in $(seq 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $moto_port), 1)" \
    2>/dev/null && break; sleep 0.1; done
  export HOTLINE_TEST_S3_ENDPOINT="http://127.0.0.1:$moto_port"
fi

export DATABASE_URL="postgres://hotline@127.0.0.1:$pg_port/hotline" HOTLINE_TEST_APP_ROLE=hotline_app
export REDIS_URL="redis://127.0.0.1:$redis_port/0" CELERY_RESULT_BACKEND="redis://127.0.0.1:$redis_port/1"
export HOTLINE_TEST_PG_CTL="$pg_bin/pg_ctl" HOTLINE_TEST_PG_DATA="$tmp/pg" HOTLINE_TEST_TMP="$tmp"
export HOTLINE_TEST_REPLICA_PORT="$replica_port" HOTLINE_TEST_REPLICA_PG_DATA="$tmp/replica"
export CHROMIUM_PATH=/usr/bin/chromium HOTLINE_ENV=test
echo "PostgreSQL on 127.0.0.1:$pg_port (a streaming replica on $replica_port), Redis on 127.0.0.1:$redis_port (in $tmp)"
"$@"
