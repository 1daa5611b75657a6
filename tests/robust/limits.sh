#!/bin/sh
# limits.sh — hostile sizes: queries of 10,000 words and of 1 MB, a record
# over --max-doc-bytes, a line far over the record cap; in long mode a
# 200 MB single line and a 1 GB input, with the peak memory (RSS) measured.
#
#   sh tests/robust/limits.sh           quick (seconds)
#   sh tests/robust/limits.sh --long    also 200 MB line, 1 GB input (minutes;
#                                       needs /usr/bin/time and ~3 GB in TMPDIR)
#
# The limits and their reasons: FH_MAX_QUERY_BYTES and FH_MAX_QUERY_TERMS
# (include/fahras.h), FH_MAX_TOKEN, the record cap (--max-doc-bytes, 16 MiB;
# src/ingest.h), fh_index_options.max_doc_bytes and batch_bytes.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
B=${B:-build}
case $B in /*) F=$B/fahras ;; *) F=$ROOT/$B/fahras ;; esac
W=$(mktemp -d "${TMPDIR:-/tmp}/fahras-limits.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
. "$ROOT/tests/robust/lib.sh"
long=0
[ "${1:-}" = "--long" ] && long=1

synth_corpus "$W/c.tsv" 200 13
"$F" index --db "$W/q.db" "$W/c.tsv" >/dev/null 2>&1

# ---- queries ------------------------------------------------------------
# timed: a query must be answered (or refused) at once, never stall
timed() {
    t0=$(now_ms)
    run "$@"
    el=$(($(now_ms) - t0))
}
awk 'BEGIN { srand(3); for (i = 0; i < 10000; i++) printf "%sكتاب%d", (i ? " " : ""), i }' >"$W/q10k"
timed "$F" search --db "$W/q.db" "$(cat "$W/q10k")"
check "a query of 10,000 words is refused with a message, at once ($el ms)" \
    eval 'exit_is 1 && err_has "the limit is 16384" && [ "$el" -lt 5000 ]'
awk 'BEGIN { for (i = 0; i < 5000; i++) printf "%s", (i ? " ب" : "ب") }' >"$W/q8k"
timed "$F" search --db "$W/q.db" "$(cat "$W/q8k")"
check "5,000 words in 15 KB: read up to the 256th, a note says so, at once ($el ms)" \
    eval 'exit_is 0 && err_has "more than 256 words" && [ "$el" -lt 5000 ]'
head -c 1048576 /dev/zero | tr '\0' 'x' >"$W/q1m"
printf 'q1\t' >"$W/batch"
cat "$W/q1m" >>"$W/batch"
printf '\nq2\tu000007\n' >>"$W/batch"
timed "$F" search --db "$W/q.db" --batch "$W/batch" --trec
check "a 1 MB query in a batch is refused with its line, the next one answered ($el ms)" \
    eval 'err_has "query q1: the query is 1048576 bytes long; the limit is 16384" && out_has "^q2 Q0 d000007 1 " && [ "$el" -lt 5000 ]'

# ---- documents ------------------------------------------------------------
awk 'BEGIN { printf "id\ttitle\tbody\nbig\tt\t"; for (i = 0; i < 400; i++) printf "كلمة "; printf "\nsmall\tعنوان\tنص قصير\n" }' >"$W/big.tsv"
run "$F" index --db "$W/d.db" --max-doc-bytes 1000 "$W/big.tsv"
check "--max-doc-bytes 1000: the larger record is refused with its line, the other indexed" \
    eval 'exit_is 1 && err_has "big.tsv:2: document larger than 1000 bytes" && err_has "1 added"'
# a 40 MB line (over the 16 MiB cap) between two good ones
{
    printf '{"id":"a","title":"اول"}\n{"id":"huge","body":"'
    head -c 41943040 /dev/zero | tr '\0' 'b'
    printf '"}\n{"id":"z","title":"اخر"}\n'
} >"$W/huge.jsonl"
if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "$F" index --db "$W/h.db" "$W/huge.jsonl" >"$W/out" 2>"$W/err"
    rc=$?
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$W/err")
    echo "limits: a 40 MB line: peak RSS $rss KB"
else
    run "$F" index --db "$W/h.db" "$W/huge.jsonl"
fi
check "a 40 MB line is refused ('larger than 16 MB'), the records around it indexed" \
    eval 'exit_is 1 && err_has "huge.jsonl:2: document larger than 16 MB" && err_has "2 added"'
rm -f "$W/huge.jsonl"

# ---- long mode: 200 MB single line, 1 GB input ------------------------------
if [ "$long" -eq 1 ]; then
    if [ ! -x /usr/bin/time ]; then
        rc=1
        check "long mode needs /usr/bin/time (sh scripts/install-deps.sh)" false
    else
        {
            printf '{"id":"a","title":"اول"}\n{"id":"huge","body":"'
            awk 'BEGIN { s = "ب ت "; for (i = 0; i < 16; i++) s = s s; for (i = 0; i < 800; i++) printf "%s", s }'
            printf '"}\n{"id":"z","title":"اخر"}\n'
        } | /usr/bin/time -v "$F" index --db "$W/l.db" - >"$W/out" 2>"$W/err"
        rc=$?
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$W/err")
        echo "limits: a 200 MB single line (stdin): status $rc, peak RSS $rss KB"
        check "a 200 MB single line: refused, bounded memory (peak RSS $rss KB < 200 MB)" \
            eval 'exit_is 1 && err_has "document larger than 16 MB" && [ "$rss" -lt 204800 ]'
        # 1 GB: the synthetic corpus (8 MB) 125 times, each copy with its own ids
        synth_corpus "$W/g.tsv" 2000 17
        sz=$(wc -c <"$W/g.tsv")
        reps=$((1073741824 / sz + 1))
        awk -v r="$reps" 'NR == 1 { h = $0; next } { l[++n] = $0 }
            END { print h; for (k = 1; k <= r; k++) for (i = 1; i <= n; i++) print "r" k l[i] }' \
            "$W/g.tsv" >"$W/g1.tsv"
        total=$(wc -c <"$W/g1.tsv")
        t0=$(now_ms)
        /usr/bin/time -v "$F" index --db "$W/g.db" "$W/g1.tsv" >"$W/out" 2>"$W/err"
        rc=$?
        el=$(($(now_ms) - t0))
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$W/err")
        docs=$(sqlite3 "$W/g.db" "SELECT count(*) FROM docs")
        echo "limits: 1 GB input ($total bytes, $docs documents): status $rc in $el ms, peak RSS $rss KB, index $(wc -c <"$W/g.db") bytes"
        check "1 GB input: every document indexed, bounded memory (peak RSS $rss KB < 1 GB)" \
            eval 'exit_is 0 && [ "$docs" -eq $((reps * 2000)) ] && [ "$rss" -lt 1048576 ]'
        rm -f "$W/g1.tsv" "$W/g.db"
    fi
fi
robust_end
