#!/usr/bin/env bash
# fahras on the retrieval tasks, to the contract in eval/retrieval/run.sh:
#
#   eval/retrieval/fahras/run.sh --task known_item|qa --out DIR [--smoke]
#
# Builds build/fahras if needed, indexes with `fahras index` (known_item: the
# body column of news.tsv only; qa: title + text of collection.tsv), merges
# the segments (`--optimize`, timed apart as merge_seconds), then runs every
# query with `fahras search --batch --trec --limit 100` for the run file and
# a second time with `--limit 10 --warmup --latency` for the latency figures
# (one untimed pass in the same process first, as for the other systems).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# shellcheck source=../runner.sh
. "$ROOT/eval/retrieval/runner.sh"
runner_args fahras "$@"
smoke=${#smoke[@]} # 1 with --smoke
case "$task" in
    known_item) docs=$DATA/news/news.tsv; queries=$DATA/news/known_item.dev.queries.tsv
                columns="id,x1,x2,x3,body" ;;
    qa) docs=$DATA/qa_retrieval/collection.tsv; queries=$DATA/qa_retrieval/dev.queries.tsv
        columns="id,title,body" ;;
esac
make -s -C "$ROOT" build/fahras >/dev/null
F=$ROOT/build/fahras
suffix=""; [ "$smoke" = 1 ] && suffix="-smoke"
W=$ROOT/build/eval/fahras/$task$suffix
rm -rf "$W"; mkdir -p "$W" "$out"
input=$docs qin=$queries
if [ "$smoke" = 1 ]; then
    if [ "$task" = known_item ]; then head -n 2000 "$docs" > "$W/docs.tsv"; input=$W/docs.tsv; fi
    head -n 200 "$queries" > "$W/queries.tsv"; qin=$W/queries.tsv
fi
# known_item: news.tsv has no header; the title column is named x3 so that
# it is not indexed (the titles are the queries)
t0=$(date +%s.%N)
# exit 1 = some records rejected (the 379 empty bodies): expected
rc=0
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%U %S\n%M" -o "$W/rss" "$F" index --db "$W/index.db" --format tsv \
        --columns "$columns" "$input" 2> "$W/index.log" || rc=$?
else
    "$F" index --db "$W/index.db" --format tsv --columns "$columns" "$input" 2> "$W/index.log" ||
        rc=$?
fi
[ "$rc" -le 1 ] || { cat "$W/index.log" >&2; exit 1; }
t1=$(date +%s.%N)
"$F" optimize --db "$W/index.db"
t2=$(date +%s.%N)
"$F" search --db "$W/index.db" --batch "$qin" --trec --limit 100 > "$out/fahras.$task.run"
"$F" search --db "$W/index.db" --batch "$qin" --trec --limit 10 --warmup \
    --latency "$W/latency" > /dev/null
if [ "$task" = known_item ]; then
    input_mb=$(awk -F'\t' '{ n += length($5) } END { printf "%.3f", n / 1e6 }' "$input")
else
    input_mb=$(awk -F'\t' 'NR > 1 { n += length($2) + length($3) } END { printf "%.3f", n / 1e6 }' "$input")
fi
docs_n=$("$F" stats --db "$W/index.db" --json | sed 's/.*"documents":\([0-9]*\).*/\1/')
{
    echo "docs=$docs_n"
    echo "input_mb=$input_mb"
    echo "index_seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
    echo "merge_seconds=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.3f", b - a }')"
    # CPU time of the indexing process (user + system, all threads): on a
    # loaded machine a steadier figure than the wall clock
    [ -f "$W/rss" ] && echo "index_cpu_seconds=$(awk 'NF == 2 && $1 ~ /^[0-9.]+$/ { printf "%.3f", $1 + $2 }' "$W/rss")"
    # the index without the stored text (what Lucene, FTS5 contentless and
    # PostgreSQL's tsvector+GIN hold): the pages of the term rows and postings
    # chunks on disk (dbstat); the encoded postings alone and the whole file too
    stats_json=$("$F" stats --db "$W/index.db" --json)
    echo "index_bytes=$(sed 's/.*"index_bytes":\([0-9-]*\).*/\1/' <<< "$stats_json")"
    echo "encoded_postings_bytes=$(sed 's/.*"encoded_postings_bytes":\([0-9]*\).*/\1/' <<< "$stats_json")"
    echo "file_bytes=$(stat -c %s "$W/index.db")"
    cat "$W/latency"
    echo "peak_rss_kb=$(tail -n 1 "$W/rss" 2>/dev/null)"
} > "$out/fahras.$task.stats"
