#!/bin/sh
# concurrency.sh — two writers on one database, and searches during an
# ingest.
#
#   - writer A ingests from a pipe and is held, mid-batch, waiting for more
#     input: it holds the write lock with documents in flight;
#   - writer B (another `fahras index`) waits --busy-timeout (or
#     FAHRAS_BUSY_TIMEOUT) milliseconds, then fails with status 3 and
#     "another process is writing to this index";
#   - meanwhile searches and stats see the committed documents only, none of
#     A's batch in flight;
#   - once A's input ends, A commits: its documents are found, and B's
#     re-run succeeds.
#
#   sh tests/robust/concurrency.sh
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
B=${B:-build}
case $B in /*) F=$B/fahras ;; *) F=$ROOT/$B/fahras ;; esac
W=$(mktemp -d "${TMPDIR:-/tmp}/fahras-conc.XXXXXX") || exit 2
apid=""
cleanup() {
    [ -n "$apid" ] && kill "$apid" 2>/dev/null
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
. "$ROOT/tests/robust/lib.sh"

DB=$W/c.db
# 10 documents committed before: ids p000001.., words v000001..
synth_corpus "$W/pre0.tsv" 10 3
sed 's/^d/p/; s/	u0/	v0/' "$W/pre0.tsv" >"$W/pre.tsv"
"$F" index --db "$DB" "$W/pre.tsv" >/dev/null 2>&1
# A's input: 700 articles (about 2.8 MB), more than the reader's first
# pieces (64 KiB + 1 MiB + 1 MiB), so A is left waiting inside a batch
synth_corpus "$W/main.tsv" 700 5
synth_corpus "$W/b0.tsv" 5 9
sed 's/^d/b/; s/	u0/	w0/' "$W/b0.tsv" >"$W/b.tsv"

mkfifo "$W/fifo"
"$F" index --db "$DB" --batch 100000 --log "$W/logA" --format tsv - <"$W/fifo" >"$W/a.out" 2>"$W/a.err" &
apid=$!
exec 3>"$W/fifo"
cat "$W/main.tsv" >&3
# wait until A holds the write lock
held=0
i=0
while [ "$i" -lt 100 ]; do
    if ! sqlite3 "$DB" "BEGIN IMMEDIATE;" "ROLLBACK;" >/dev/null 2>&1; then
        held=1
        break
    fi
    sleep 0.1
    i=$((i + 1))
done
rc=0
check "writer A holds the write lock mid-batch" eval '[ "$held" -eq 1 ]'

t0=$(now_ms)
run "$F" index --db "$DB" --busy-timeout 500 "$W/b.tsv"
t1=$(now_ms)
el=$((t1 - t0))
echo "concurrency: the second writer gave up after $el ms (--busy-timeout 500)"
check "second writer: waits --busy-timeout 500, then status 3 and a clear message" \
    eval 'exit_is 3 && err_has "another process is writing to this index (waited 500 ms)" && [ "$el" -ge 450 ] && [ "$el" -lt 5000 ]'
t0=$(now_ms)
FAHRAS_BUSY_TIMEOUT=200 run "$F" index --db "$DB" "$W/b.tsv"
t1=$(now_ms)
el=$((t1 - t0))
check "second writer: FAHRAS_BUSY_TIMEOUT=200" \
    eval 'exit_is 3 && err_has "waited 200 ms" && [ "$el" -ge 150 ] && [ "$el" -lt 5000 ]'
FAHRAS_BUSY_TIMEOUT=soon run "$F" index --db "$DB" "$W/b.tsv"
check "FAHRAS_BUSY_TIMEOUT must be milliseconds" eval 'exit_is 2 && err_has "FAHRAS_BUSY_TIMEOUT must be milliseconds"'

# a delete during the ingest is a second writer too: it waits, fails, and
# deletes nothing
FAHRAS_BUSY_TIMEOUT=200 run "$F" delete --db "$DB" p000002
check "delete during the ingest: status 3, another writer named" \
    eval 'exit_is 3 && err_has "another process is writing to this index (waited 200 ms)"'
run "$F" show --db "$DB" p000002
check "the document a refused delete named is still there" eval 'exit_is 0'

# searches during the ingest see only committed documents
run "$F" stats --db "$DB"
check "stats during the ingest: the 10 committed documents only" eval 'exit_is 0 && out_has "^documents *10$"'
run "$F" search --db "$DB" --json v000003
check "search during the ingest finds a committed document" eval 'exit_is 0 && out_has "\"id\":\"p000003\""'
run "$F" search --db "$DB" --json u000001
check "search during the ingest does not see the batch in flight" eval 'exit_is 0 && ! out_has "d000001"'
run "$F" show --db "$DB" d000001
check "show during the ingest does not see the batch in flight" eval '! exit_is 0'

# A's input ends: it commits
exec 3>&-
wait "$apid"
arc=$?
apid=""
rc=$arc
check "writer A completes once its input ends" eval 'exit_is 0 && [ "$(cut -f1 "$W/logA" | awk "{ n += \$1 } END { print n }")" = 700 ]'
run "$F" search --db "$DB" --json u000001
check "after A's commit, its documents are found" eval 'exit_is 0 && out_has "\"id\":\"d000001\""'
run "$F" index --db "$DB" "$W/b.tsv"
check "the second writer's re-run succeeds" eval 'exit_is 0'
run "$F" delete --db "$DB" p000002
check "once A is done the delete succeeds" eval 'exit_is 0'
run "$F" stats --db "$DB"
check "all 714 documents (715, one deleted)" eval 'out_has "^documents *714$"'
robust_end
