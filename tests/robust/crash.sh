#!/bin/sh
# crash.sh — crash safety: kill `fahras index` with SIGKILL at random
# moments and check, after every kill, that
#   - the database passes SQLite's PRAGMA integrity_check and `fahras check`
#     (the index matches the documents),
#   - every document the tool reported as committed (--log: a line per
#     committed batch with its last id; the input is read in order, so every
#     document before that id is committed too) is there and searchable,
#   - no id is there twice;
# and at the end that re-running the ingest completes it: the same
# documents (ids and content hashes) as a clean ingest of the same input.
#
#   sh tests/robust/crash.sh            quick: 3 kills, a synthetic corpus
#                                       (2,000 articles, 8 MB), seconds
#   sh tests/robust/crash.sh --long     20 kills on ../shared/data/news/news.tsv
#                                       (FAHRAS_DATA=...), or on a synthetic
#                                       corpus of 40,000 articles without it
#   KILLS=N CRASH_SEED=N                more kills; another (printed) seed
#
# Prints "ok   robust ..." / "FAIL: robust ..." lines, the figures (kills,
# documents lost), and "robust: N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
B=${B:-build}
case $B in /*) F=$B/fahras ;; *) F=$ROOT/$B/fahras ;; esac
W=$(mktemp -d "${TMPDIR:-/tmp}/fahras-crash.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
. "$ROOT/tests/robust/lib.sh"

long=0
[ "${1:-}" = "--long" ] && long=1
DATA=${FAHRAS_DATA:-$ROOT/../shared/data}
SEED=${CRASH_SEED:-$(($$ % 10000))}
if [ "$long" -eq 1 ]; then
    KILLS=${KILLS:-20}
    BATCH=2000
    if [ -f "$DATA/news/news.tsv" ]; then
        IN=$DATA/news/news.tsv
        COLS="--columns id,source,-,title,body"
        IDCOL=1
        what="news.tsv"
    fi
else
    KILLS=${KILLS:-3}
    BATCH=200
fi
if [ -z "${IN:-}" ]; then
    IN=$W/corpus.tsv
    n=2000
    [ "$long" -eq 1 ] && n=40000
    synth_corpus "$IN" "$n" 7
    COLS=""
    IDCOL=1
    what="synthetic corpus of $n articles"
fi
echo "crash: $KILLS kills, $what ($(wc -c <"$IN") bytes), batches of $BATCH, seed $SEED"

# a clean ingest: the reference, and the time an ingest takes
t0=$(now_ms)
# shellcheck disable=SC2086 # COLS is words
"$F" index --db "$W/clean.db" --batch "$BATCH" $COLS "$IN" >"$W/out" 2>"$W/err"
rc=$?
t1=$(now_ms)
T=$((t1 - t0))
check "clean ingest" eval '[ "$rc" -le 1 ]'
sqlite3 "$W/clean.db" "SELECT ext_id, hash FROM docs ORDER BY ext_id" >"$W/clean.rows"
# the ids in input order, as far as they are indexed (records rejected for
# having no text are not)
db_ids "$W/clean.db" >"$W/clean.ids"
awk -F '\t' -v c="$IDCOL" 'NR == FNR { ok[$1] = 1; next } ($c in ok) && !seen[$c]++ { print $c }' \
    "$W/clean.ids" "$IN" >"$W/order.ids"

# is_searchable DB ID: a search finds the document
is_searchable() {
    case $2 in
    d[0-9]*) q="u${2#d}" ;;
    *) q=$(sqlite3 "$1" "SELECT title FROM docs WHERE ext_id = '$(printf %s "$2" | sed "s/'/''/g")'" | tr -d '"') ;;
    esac
    "$F" search --db "$1" --json --limit 100 --no-snippets "$q" 2>/dev/null |
        grep -q -F "\"id\":\"$2\""
}

kills=0
finished=0
lost_total=0
bad=0
LOG=$W/commits.log
: >"$LOG"
k=0
while [ "$kills" -lt "$KILLS" ] && [ "$k" -lt $((KILLS * 3)) ]; do
    k=$((k + 1))
    # once an ingest completed, start again from an empty database, so
    # that every kill lands in work (not in a re-run that skips everything)
    if [ -f "$W/crash.db" ] && [ "$(sqlite3 "$W/crash.db" "SELECT count(*) FROM docs")" = "$(wc -l <"$W/order.ids" | tr -d ' ')" ]; then
        rm -f "$W/crash.db" "$W/crash.db-wal" "$W/crash.db-shm"
        : >"$LOG"
        echo "  (the ingest is complete: starting again from an empty database)"
    fi
    # a moment between 50 ms and a quarter of a clean ingest's time: each
    # run resumes the last one (skipping what is committed), so the kills
    # move through the whole ingest
    d=$(awk -v s="$SEED" -v k="$k" -v t="$T" 'BEGIN { srand(s * 1000 + k); printf "%.3f", (50 + rand() * (t * 0.25)) / 1000 }')
    # shellcheck disable=SC2086
    "$F" index --db "$W/crash.db" --batch "$BATCH" --log "$LOG" $COLS "$IN" >/dev/null 2>"$W/run.err" &
    pid=$!
    sleep "$d"
    if kill -KILL "$pid" 2>/dev/null; then
        kills=$((kills + 1))
        how="killed after ${d} s"
    else
        finished=$((finished + 1))
        how="finished before ${d} s"
    fi
    wait "$pid" 2>/dev/null
    # the checks
    ok=1
    [ -f "$W/crash.db" ] || { echo "  no database after run $k ($how)"; continue; }
    ic=$(sqlite3 "$W/crash.db" "PRAGMA integrity_check" 2>&1)
    [ "$ic" = "ok" ] || { ok=0; echo "  run $k ($how): integrity_check: $ic"; }
    "$F" check --db "$W/crash.db" >"$W/out" 2>"$W/err" || { ok=0; echo "  run $k ($how): fahras check: $(cat "$W/err")"; }
    dup=$(sqlite3 "$W/crash.db" "SELECT count(*) - count(DISTINCT ext_id) FROM docs" 2>&1)
    [ "$dup" = "0" ] || { ok=0; echo "  run $k ($how): $dup duplicate ids"; }
    db_ids "$W/crash.db" >"$W/crash.ids"
    # the committed prefix: up to the furthest id the log reported
    pos=$(cut -f2 "$LOG" | awk 'NR == FNR { want[$0] = 1; next } ($0 in want) { p = FNR } END { print p + 0 }' - "$W/order.ids")
    head -n "$pos" "$W/order.ids" | sort >"$W/committed.ids"
    lost=$(comm -23 "$W/committed.ids" "$W/crash.ids" | wc -l)
    lost_total=$((lost_total + lost))
    [ "$lost" -eq 0 ] || { ok=0; echo "  run $k ($how): $lost reported documents missing"; }
    last=$(tail -n 1 "$LOG" | cut -f2)
    if [ -n "$last" ] && ! is_searchable "$W/crash.db" "$last"; then
        ok=0
        echo "  run $k ($how): the last reported document '$last' is not found by a search"
    fi
    [ "$ok" -eq 1 ] || bad=$((bad + 1))
    echo "  run $k: $how; $(wc -l <"$W/crash.ids") documents, $pos reported committed, lost $lost"
done
rc=0
check "$kills kills at random moments: consistent after each, every reported document there" \
    eval '[ "$kills" -ge "$KILLS" ] && [ "$bad" -eq 0 ] && [ "$lost_total" -eq 0 ]'

# re-running completes the ingest: the same documents as a clean ingest
# shellcheck disable=SC2086
run "$F" index --db "$W/crash.db" --batch "$BATCH" $COLS "$IN"
sqlite3 "$W/crash.db" "SELECT ext_id, hash FROM docs ORDER BY ext_id" >"$W/crash.rows"
check "re-run after the kills: status as a clean ingest" eval '[ "$rc" -le 1 ]'
check "re-run after the kills: the same documents as a clean ingest, no duplicates" \
    eval 'cmp -s "$W/crash.rows" "$W/clean.rows" && [ -s "$W/clean.rows" ]'
run "$F" check --db "$W/crash.db"
check "re-run after the kills: fahras check" eval 'exit_is 0'
echo "crash: kills survived: $kills (runs that finished first: $finished), documents lost: $lost_total, seed $SEED"
robust_end
