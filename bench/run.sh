#!/bin/sh
# bench/run.sh — analysis throughput: fahras beside Lucene 4.10 ArabicAnalyzer
# and Snowball's Arabic stemmer (C), same text, same machine, same run.
#
#   sh bench/run.sh [--smoke] [--passes N] [--max-bytes N]
#
# Reads the bodies of ../shared/data/news/news.tsv (FAHRAS_DATA overrides the
# data folder); skips with a message when it is absent.  Each system loads the
# bodies into memory, warms up, then runs N timed single-thread passes; the
# table gives the median MB/s with min-max and the ratio fahras/anchor.
# --smoke: 2 MB, 1 pass (for CI: checks that the harness runs, not speed).
set -eu
. "$(dirname "$0")/args.sh"
bench_args 5 "$@"
cd "$ROOT"
make -s build/analyze_bench
CP=$(bash bench/anchors/build.sh | sed -n 's/^CP=//p')
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

echo "Machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(date -u +%Y-%m-%d)"
echo "Input: bodies of $NEWS$( [ "$MAX" -gt 0 ] && echo ", first $MAX bytes"), $PASSES timed passes each"
echo
LIMIT=""
[ "$MAX" -gt 0 ] && LIMIT=$MAX
# shellcheck disable=SC2086 # LIMIT is empty or one number
build/analyze_bench "$NEWS" "$PASSES" $LIMIT > "$OUT/fahras" 2>/dev/null
# shellcheck disable=SC2086
java -Xmx3g -cp "build/anchors:$CP" LuceneAnalyzeBench "$NEWS" "$PASSES" $LIMIT > "$OUT/lucene" 2>/dev/null
# shellcheck disable=SC2086
build/anchors/snowball_bench "$NEWS" "$PASSES" $LIMIT > "$OUT/snowball" 2>/dev/null

stats() { # median min max of the pass lines
    sed -n 's/^pass [0-9]*: \([0-9.]*\) MB\/s.*/\1/p' "$1" | sort -n |
        awk '{v[NR]=$1} END {m = NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.1f %.1f %.1f", m, v[1], v[NR]}'
}
F=$(stats "$OUT/fahras")
fm=${F%% *}
echo "| system (normalize + tokenize + stem) | MB/s median | min-max | fahras / system |"
echo "|---|---|---|---|"
for s in fahras lucene snowball; do
    set -- $(stats "$OUT/$s")
    case $s in
    fahras) name="fahras" ;;
    lucene) name="Lucene 4.10 ArabicAnalyzer (JVM warmed)" ;;
    snowball) name="Snowball arabic (C, libstemmer)" ;;
    esac
    echo "| $name | $1 | $2-$3 | $(awk -v a="$fm" -v b="$1" 'BEGIN{printf "%.2fx", a/b}') |"
done
