#!/bin/sh
# bench/segment.sh — segmentation throughput: words per second, single
# thread, over the bodies of ../shared/data/news/news.tsv (FAHRAS_DATA
# overrides the data folder; SKIP when absent), with memory use.
#
#   sh bench/segment.sh [--smoke] [--passes N] [--max-bytes N]
#
# build/segment_bench loads the bodies into memory, warms up, then runs N
# timed passes (a fresh segmenter each, its cache cold) of the Farasa scheme
# and N of the clitics scheme.  Reference: Farasa's published speed is about
# 55,000 words/s; the goal is 100 times that, 5.5 M words/s.
# --smoke: 2 MB, 1 pass (for CI: checks that the harness runs, not speed).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${FAHRAS_DATA:-$ROOT/../shared/data}
NEWS=$DATA/news/news.tsv
PASSES=5
MAX=0
while [ $# -gt 0 ]; do
    case $1 in
    --smoke) PASSES=1; MAX=2000000 ;;
    --passes) PASSES=$2; shift ;;
    --max-bytes) MAX=$2; shift ;;
    *) echo "usage: bench/segment.sh [--smoke] [--passes N] [--max-bytes N]" >&2; exit 2 ;;
    esac
    shift
done
if [ ! -r "$NEWS" ]; then
    echo "SKIP: $NEWS not found (the benchmarks need ../shared/data)"
    exit 0
fi
cd "$ROOT"
make -s build/segment_bench
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "Machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(date -u +%Y-%m-%d)"
echo "Input: bodies of $NEWS$( [ "$MAX" -gt 0 ] && echo ", first $MAX bytes"), $PASSES timed passes each"
build/segment_bench "$NEWS" "$PASSES" "$MAX" > "$OUT/farasa" 2> "$OUT/load"
build/segment_bench "$NEWS" "$PASSES" "$MAX" --scheme clitics > "$OUT/clitics" 2>/dev/null
sed 's/^loaded/Loaded/' "$OUT/load"
echo
stats() { # median min max of the pass lines
    sed -n 's/^pass [0-9]*: \([0-9.]*\) Mwords\/s.*/\1/p' "$1" | sort -n |
        awk '{v[NR]=$1} END {m = NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.2f %.2f %.2f", m, v[1], v[NR]}'
}
echo "| scheme | M words/s median | min-max | x Farasa (55,000 words/s) |"
echo "|---|---|---|---|"
for s in farasa clitics; do
    set -- $(stats "$OUT/$s")
    echo "| $s | $1 | $2-$3 | $(awk -v a="$1" 'BEGIN { printf "%.0fx", a * 1e6 / 55000 }') |"
done
echo
sed -n 's/^memory: /Memory (farasa run): /p' "$OUT/farasa"
