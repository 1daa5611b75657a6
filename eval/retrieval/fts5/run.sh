#!/usr/bin/env bash
# SQLite FTS5 baseline for the retrieval evaluation.
#
#   eval/retrieval/fts5/run.sh --task known_item|qa --out DIR [--smoke]
#
#   known_item  index the body of every news/news.tsv row (docid = column 1);
#               queries news/known_item.dev.queries.tsv (the titles)
#   qa          index title + text of qa_retrieval/collection.tsv (docid = pid);
#               queries qa_retrieval/dev.queries.tsv
#   --smoke     first 2,000 docs (known_item; qa keeps every passage) and the
#               first 200 queries
#
# Writes DIR/fts5.TASK.run (TREC: qid Q0 docid rank score fts5, top 100) and
# DIR/fts5.TASK.stats (key=value: docs, input_mb, index_seconds, index_bytes,
# latency_mean_ms / p50 / p99 of a second, timed top-10 pass over every query
# after the untimed top-100 pass, peak_rss_kb of the indexing process, ...).
# The index is built as build/eval/fts5/TASK[.smoke].db.PID.tmp and moved to
# build/eval/fts5/TASK[.smoke].db when the run is over, so runs going on at
# the same time do not disturb each other.
#
# Data: $FAHRAS_DATA, defaulting to ../shared/data beside the repository; when
# it is missing the script prints SKIP and exits 0.
# Needs python3 whose sqlite3 module has FTS5 (Debian 12: python3, libsqlite3-0).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
HERE="$ROOT/eval/retrieval/fts5"

task="" out="" smoke=()
while [ $# -gt 0 ]; do
    case "$1" in
        --task) task=${2:?--task needs known_item or qa}; shift ;;
        --task=*) task=${1#--task=} ;;
        --out) out=${2:?--out needs a directory}; shift ;;
        --out=*) out=${1#--out=} ;;
        --smoke) smoke=(--smoke) ;;
        -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "fts5/run.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done
case "$task" in
    known_item) need=(news/news.tsv news/known_item.dev.queries.tsv) ;;
    qa) need=(qa_retrieval/collection.tsv qa_retrieval/dev.queries.tsv) ;;
    *) echo "fts5/run.sh: --task must be known_item or qa" >&2; exit 2 ;;
esac
[ -n "$out" ] || { echo "fts5/run.sh: --out DIR is required" >&2; exit 2; }

if [ -n "${FAHRAS_DATA:-}" ]; then
    DATA=$FAHRAS_DATA; shown=$FAHRAS_DATA
else
    DATA="$ROOT/../shared/data"; shown="../shared/data"
fi
for f in "${need[@]}"; do
    if [ ! -f "$DATA/$f" ]; then
        echo "SKIP: $shown/$f not found"
        exit 0
    fi
done

if ! python3 -c 'import sqlite3; sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")' 2>/dev/null; then
    echo "fts5/run.sh: python3's sqlite3 module lacks FTS5" >&2
    exit 1
fi

mkdir -p "$out" "$ROOT/build/eval/fts5"
db="$ROOT/build/eval/fts5/$task$([ ${#smoke[@]} = 0 ] || echo .smoke).db"
exec python3 "$HERE/fts5_eval.py" --task "$task" --data "$DATA" \
    --db "$db" --out "$out" "${smoke[@]+"${smoke[@]}"}"
