#!/bin/sh
# make_sample.sh — regenerate demo/ant2-sample.tsv, the bundled demo corpus:
# 2,000 articles of ANT corpus v2.1 (Apache-2.0; see demo/README.md), every
# 15th ant2 row of ../shared/data/news/news.tsv in doc-id order, skipping
# empty and duplicate bodies.  Deterministic.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NEWS=${1:-$ROOT/../shared/data/news/news.tsv}
[ -r "$NEWS" ] || { echo "make_sample: $NEWS not found" >&2; exit 1; }
export LC_ALL=C
{
    printf 'id\tsource\tcategory\ttitle\tbody\n'
    awk -F'\t' '$1 ~ /^ant2:/ && length($5) > 0' "$NEWS" | sort -t "$(printf '\t')" -k1,1 |
        awk -F'\t' '!seen[$5]++' | awk 'NR % 15 == 1' | head -n 2000
} > "$ROOT/demo/ant2-sample.tsv"
echo "make_sample: $(($(wc -l < "$ROOT/demo/ant2-sample.tsv") - 1)) articles in demo/ant2-sample.tsv" >&2
