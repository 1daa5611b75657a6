#!/bin/sh
# bench/segment.sh — segmentation throughput: words per second, single
# thread, over the bodies of ../shared/data/news/news.tsv (FAHRAS_DATA
# overrides the data folder; SKIP when absent), with memory use.
#
#   sh bench/segment.sh [--smoke] [--passes N] [--max-bytes N]
#
# build/segment_bench loads the bodies into memory, warms up, then runs N
# timed passes (a fresh segmenter each, its cache cold) of the Farasa scheme
# and N of the clitics scheme.  For scale on a shared, noisy machine, the same
# run times fahras's tokenizer alone (build/analyze_bench --no-stem) on the
# same bytes: compare the MB/s ratio, not absolute figures across runs.
# Reference: Farasa's published speed is about
# 55,000 words/s; the goal is 100 times that, 5.5 M words/s.
# --smoke: 2 MB, 1 pass (for CI: checks that the harness runs, not speed).
set -eu
. "$(dirname "$0")/args.sh"
bench_args 5 "$@"
cd "$ROOT"
make -s build/segment_bench build/analyze_bench
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "Machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(date -u +%Y-%m-%d)"
echo "Input: bodies of $NEWS$( [ "$MAX" -gt 0 ] && echo ", first $MAX bytes"), $PASSES timed passes each"
build/segment_bench "$NEWS" "$PASSES" "$MAX" > "$OUT/farasa" 2> "$OUT/load"
build/segment_bench "$NEWS" "$PASSES" "$MAX" --scheme clitics > "$OUT/clitics" 2>/dev/null
build/analyze_bench "$NEWS" "$PASSES" "$MAX" --no-stem > "$OUT/tokenize" 2>/dev/null
sed 's/^loaded/Loaded/' "$OUT/load"
echo
stats() { # median min max of the figure before unit $2 (Mwords/s or MB/s) in the pass lines
    awk -v u="$2" '/^pass / { for (i = 2; i <= NF; i++) if ($i == u || $i == u ",") print $(i - 1) }' "$1" |
        sort -n |
        awk '{v[NR]=$1} END {m = NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.2f %.2f %.2f", m, v[1], v[NR]}'
}
T=$(stats "$OUT/tokenize" MB/s)
tm=${T%% *}
echo "| run | M words/s median (wall) | min-max | M words/s per CPU second | MB/s median | x Farasa (55,000 words/s), wall | MB/s / tokenizer's |"
echo "|---|---|---|---|---|---|---|"
for s in farasa clitics; do
    set -- $(stats "$OUT/$s" Mwords/s)
    mb=$(stats "$OUT/$s" MB/s)
    mb=${mb%% *}
    cpu=$(stats "$OUT/$s" Mwords/cpu-s)
    cpu=${cpu%% *}
    echo "| segment --scheme $s | $1 | $2-$3 | $cpu | $mb | $(awk -v a="$1" 'BEGIN { printf "%.0fx", a * 1e6 / 55000 }') | $(awk -v a="$mb" -v b="$tm" 'BEGIN { printf "%.2f", a / b }') |"
done
echo "| tokenizer alone (analyze, no stem) | | | | $tm | | 1.00 |"
echo
sed -n 's/^memory: /Memory (farasa run): /p' "$OUT/farasa"
echo "Library: the precomputed table of written forms is part of libfahras (static data, shared"
echo "between segmenters); each segmenter adds an 8 MB cache for the forms outside it."
