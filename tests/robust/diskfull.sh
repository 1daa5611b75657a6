#!/bin/sh
# diskfull.sh — an ingest that runs out of disk: a clear error ("the disk is
# full"), exit status 3, a consistent database (integrity_check, fahras
# check), every batch the tool reported (--log) still there; once there is
# room again, re-running the ingest completes it (the same documents as a
# clean ingest).
#
#   sh tests/robust/diskfull.sh
#
# The full disk is a 3 MB tmpfs the test mounts (needs root and mount
# rights); without them (or with FAHRAS_TEST_NO_MOUNT=1), the file size
# limit (ulimit -f) plays the full disk.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
B=${B:-build}
case $B in /*) F=$B/fahras ;; *) F=$ROOT/$B/fahras ;; esac
W=$(mktemp -d "${TMPDIR:-/tmp}/fahras-diskfull.XXXXXX") || exit 2
M=$W/mnt
mkdir -p "$M"
mounted=0
cleanup() {
    [ "$mounted" -eq 1 ] && umount "$M" 2>/dev/null
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
. "$ROOT/tests/robust/lib.sh"

synth_corpus "$W/corpus.tsv" 1500 11
"$F" index --db "$W/clean.db" --batch 100 "$W/corpus.tsv" >/dev/null 2>&1
sqlite3 "$W/clean.db" "SELECT ext_id, hash FROM docs ORDER BY ext_id" >"$W/clean.rows"

if [ "$(id -u)" -eq 0 ] && [ -z "${FAHRAS_TEST_NO_MOUNT:-}" ] && mount -t tmpfs -o size=3m fahras-test "$M" 2>/dev/null; then
    mounted=1
    how="a 3 MB tmpfs"
    run "$F" index --db "$M/full.db" --batch 100 --log "$W/log" "$W/corpus.tsv"
else
    how="ulimit -f 3072"
    # the shell ignores SIGXFSZ, so the write fails with EFBIG instead
    (trap '' XFSZ; ulimit -f 3072; exec "$F" index --db "$M/full.db" --batch 100 --log "$W/log" "$W/corpus.tsv") >"$W/out" 2>"$W/err"
    rc=$?
fi
echo "diskfull: $how, $(wc -c <"$W/corpus.tsv") bytes of input"
if [ "$mounted" -eq 1 ]; then
    check "full disk: status 3, 'the disk is full', the batch rolled back" \
        eval 'exit_is 3 && err_has "the disk is full" && err_has "was rolled back"'
else
    check "file size limit: status 3, the batch rolled back" eval 'exit_is 3 && err_has "was rolled back"'
fi
ic=$(sqlite3 "$M/full.db" "PRAGMA integrity_check" 2>&1)
check "full disk: integrity_check" eval '[ "$ic" = ok ]'
run "$F" check --db "$M/full.db"
check "full disk: fahras check" eval 'exit_is 0'
# every reported batch is there: ids d000001.. up to the last one reported
last=$(tail -n 1 "$W/log" | cut -f2)
n=${last#d}
n=$(expr "$n" + 0 2>/dev/null || echo 0)
have=$(sqlite3 "$M/full.db" "SELECT count(*) FROM docs WHERE ext_id <= '$last'" 2>&1)
rc=0
echo "diskfull: $n documents reported committed before the disk filled, $have of them there"
check "full disk: something was committed, and every reported document is there" \
    eval '[ "$n" -gt 0 ] && [ "$have" = "$n" ]'

# room again: the ingest completes
if [ "$mounted" -eq 1 ]; then
    mount -o remount,size=64m "$M"
    run "$F" index --db "$M/full.db" --batch 100 "$W/corpus.tsv"
else
    run "$F" index --db "$M/full.db" --batch 100 "$W/corpus.tsv"
fi
sqlite3 "$M/full.db" "SELECT ext_id, hash FROM docs ORDER BY ext_id" >"$W/full.rows"
check "room again: the re-run completes, the same documents as a clean ingest" \
    eval 'exit_is 0 && cmp -s "$W/full.rows" "$W/clean.rows" && [ -s "$W/clean.rows" ]'
robust_end
