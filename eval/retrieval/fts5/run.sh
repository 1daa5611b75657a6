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

# shellcheck source=../runner.sh
. "$ROOT/eval/retrieval/runner.sh"
runner_args fts5 "$@"

if ! python3 -c 'import sqlite3; sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")' 2>/dev/null; then
    echo "fts5/run.sh: python3's sqlite3 module lacks FTS5" >&2
    exit 1
fi

mkdir -p "$out" "$ROOT/build/eval/fts5"
db="$ROOT/build/eval/fts5/$task$([ ${#smoke[@]} = 0 ] || echo .smoke).db"
exec python3 "$HERE/fts5_eval.py" --task "$task" --data "$DATA" \
    --db "$db" --out "$out" "${smoke[@]+"${smoke[@]}"}"
