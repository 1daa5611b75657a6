#!/usr/bin/env bash
# PostgreSQL 15 full-text baseline for the retrieval evaluation.
#
#   eval/retrieval/postgres/run.sh --task known_item|qa --out DIR [--smoke]
#
#   known_item  index the body of every news/news.tsv row (docid = column 1);
#               queries news/known_item.dev.queries.tsv (the titles)
#   qa          index title + text of qa_retrieval/collection.tsv (docid = pid);
#               queries qa_retrieval/dev.queries.tsv
#   --smoke     first 2,000 docs (known_item; qa keeps every passage) and the
#               first 200 queries
#
# A throwaway cluster: initdb into build/eval/postgres/data/TASK.XXXXXX/pgdata
# (one directory per run) as an unprivileged user (when run as root: the
# `postgres` user of the Debian package, else a system user `fahras-pg` made
# for it), no TCP listener (a unix socket in the run's directory, or a private
# /tmp directory when that path is too long for a socket), started with
# pg_ctl, stopped and deleted at the end and on any error.  No other cluster
# is touched (only clusters of this script whose run was killed are removed).  The config favours a throwaway
# bulk load (fsync off, wal_level minimal) and single-threaded work (no
# parallel workers, no JIT).  pg_eval.c does the loading (COPY), indexing
# (tsvector column, GIN), querying and timing: see its header.
#
# Writes DIR/postgres.TASK.run (TREC, top 100) and DIR/postgres.TASK.stats.
# known_item without --smoke: latency over the first 1,000 queries
# (latency_queries=1000; PG_LATENCY_QUERIES overrides) and the quality run
# stops at the first 2,000 queries when all 10,000 are projected to take more
# than 20 minutes (PG_QUALITY_BUDGET seconds overrides; 0 = no cap); the
# stats file says how many ran (quality_queries).
#
# Data: $FAHRAS_DATA, defaulting to ../shared/data beside the repository; when
# it is missing the script prints SKIP and exits 0, and likewise when
# PostgreSQL 15 (Debian: postgresql-15) or libpq's header (libpq-dev) is absent.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
HERE="$ROOT/eval/retrieval/postgres"

# shellcheck source=../runner.sh
. "$ROOT/eval/retrieval/runner.sh"
runner_args postgres "$@"
DATA=$(cd "$DATA" && pwd)

BIN=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
if [ ! -x "$BIN/initdb" ] || [ ! -x "$BIN/pg_ctl" ]; then
    echo "SKIP: postgres: $BIN/initdb not found (Debian: apt-get install postgresql-15)"
    exit 0
fi
INC=$(pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
if [ ! -f "$INC/libpq-fe.h" ]; then
    echo "SKIP: postgres: libpq-fe.h not found (Debian: apt-get install libpq-dev)"
    exit 0
fi

PGDIR="$ROOT/build/eval/postgres"
mkdir -p "$out" "$PGDIR"
out=$(cd "$out" && pwd)

# --- the driver ------------------------------------------------------------------
DRIVER="$PGDIR/pg_eval"
if [ "$HERE/pg_eval.c" -nt "$DRIVER" ]; then
    cc -O2 -Wall -Wextra -std=c11 -I"$INC" -o "$DRIVER" "$HERE/pg_eval.c" -lpq
fi

# --- who runs the server ------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then
    PGOS=postgres
    if ! id -u "$PGOS" >/dev/null 2>&1; then
        PGOS=fahras-pg
        id -u "$PGOS" >/dev/null 2>&1 ||
            useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PGOS"
    fi
    as_pg() { runuser -u "$PGOS" -- "$@"; }
else
    PGOS=$(id -un)
    as_pg() { "$@"; }
fi

# Each run has a cluster of its own, build/eval/postgres/data/TASK.XXXXXX/
# (pgdata/ and sock/ in it, and runner.pid, the pid of this script), so that
# runs going on at the same time never meet.
mkdir -p "$PGDIR/data"
chmod 755 "$PGDIR/data"

stop_cluster() {  # stop_cluster DATADIR: fast, then immediate
    (cd / && as_pg "$BIN/pg_ctl" -D "$1" -m fast -w -t 60 stop >/dev/null 2>&1) ||
        (cd / && as_pg "$BIN/pg_ctl" -D "$1" -m immediate -w -t 30 stop >/dev/null 2>&1)
}

# Clusters left by runs of this script that were killed: stop and delete them.
for d in "$PGDIR"/data/*/; do
    [ -f "$d/runner.pid" ] || continue
    pid=$(cat "$d/runner.pid")
    case "$pid" in ''|*[!0-9]*) continue ;; esac
    kill -0 "$pid" 2>/dev/null && continue
    if [ -f "$d/pgdata/postmaster.pid" ]; then stop_cluster "$d/pgdata" || continue; fi
    rm -rf "$d"
done

RUNDIR=$(mktemp -d "$PGDIR/data/$task.XXXXXX")
echo $$ > "$RUNDIR/runner.pid"
started=0
cleanup() {
    local rc=$?
    set +e
    trap - INT TERM
    if [ -n "${DRIVER_PID:-}" ]; then
        kill "$DRIVER_PID" 2>/dev/null
        wait "$DRIVER_PID" 2>/dev/null
    fi
    if [ "$started" = 1 ] && [ -f "$PGDATA_DIR/postmaster.pid" ] && ! stop_cluster "$PGDATA_DIR"; then
        echo "postgres/run.sh: pg_ctl stop failed; cluster left in $PGDATA_DIR" >&2
        exit "$((rc ? rc : 1))"
    fi
    if [ "$rc" != 0 ] && [ -f "$PGDATA_DIR/server.log" ]; then
        cp "$PGDATA_DIR/server.log" "$PGDIR/server.$task.log" 2>/dev/null &&
            echo "postgres/run.sh: server log kept in $PGDIR/server.$task.log" >&2
    fi
    rm -rf "$RUNDIR" "${SOCKTMP:-}"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

chmod 755 "$RUNDIR"
PGDATA_DIR="$RUNDIR/pgdata"
SOCK="$RUNDIR/sock"
SOCKTMP=""
mkdir -m 700 "$PGDATA_DIR" "$SOCK"
[ "$PGOS" = "$(id -un)" ] || chown "$PGOS" "$PGDATA_DIR" "$SOCK"
if ! as_pg test -w "$PGDATA_DIR"; then
    echo "postgres/run.sh: user $PGOS cannot write $PGDATA_DIR (is the repository path closed to it?)" >&2
    exit 1
fi
if [ ${#SOCK} -gt 90 ]; then  # too long for a unix socket path
    SOCKTMP=$(mktemp -d /tmp/fahras-pg-sock.XXXXXX)
    SOCK=$SOCKTMP
    [ "$PGOS" = "$(id -un)" ] || chown "$PGOS" "$SOCK"
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

(cd / && as_pg "$BIN/initdb" -D "$PGDATA_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >/dev/null)
cat >> "$PGDATA_DIR/postgresql.conf" <<EOF

# fahras eval/retrieval/postgres: throwaway cluster
listen_addresses = ''
unix_socket_directories = '$SOCK'
unix_socket_permissions = 0700
port = $PORT
shared_buffers = 256MB
maintenance_work_mem = 512MB
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 4GB
max_parallel_workers_per_gather = 0
max_parallel_maintenance_workers = 0
jit = off
default_text_search_config = 'pg_catalog.arabic'
EOF
started=1
(cd / && as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 start >/dev/null)

lat=() budget=()
if [ "$task" = known_item ] && [ ${#smoke[@]} = 0 ]; then
    lat=(--latency-queries "${PG_LATENCY_QUERIES:-1000}")
    budget=(--quality-budget "${PG_QUALITY_BUDGET:-1200}")
fi
# In the background, so that a signal reaches the trap at once (bash runs
# traps only after a foreground command ends); cleanup ends the driver.
"$DRIVER" --conninfo "host=$SOCK port=$PORT user=postgres dbname=postgres" \
    --task "$task" --data "$DATA" --out "$out" \
    "${smoke[@]+"${smoke[@]}"}" "${lat[@]+"${lat[@]}"}" "${budget[@]+"${budget[@]}"}" &
DRIVER_PID=$!
wait "$DRIVER_PID"
DRIVER_PID=""

stats="$out/postgres.$task.stats"
{
    echo "cluster_bytes=$(du -sb "$PGDATA_DIR" | cut -f1)"
    echo "cluster_config=shared_buffers 256MB, maintenance_work_mem 512MB, fsync off, wal_level minimal, no parallel workers, jit off"
    echo "server_user=$PGOS"
} >> "$stats"
