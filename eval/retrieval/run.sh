#!/usr/bin/env bash
# Retrieval quality: every available system on the two retrieval tasks, scored
# by eval/score.py trec, one Markdown table per task.
#
#   eval/retrieval/run.sh [--smoke] [--systems "lucene fts5 fts5_fahras postgres fahras"]
#
# Tasks (data in $FAHRAS_DATA, default ../shared/data beside the repository;
# a task whose files are missing prints SKIP and is left out, exit status 0):
#   known_item  news/news.tsv bodies (72,716 docs); queries: the 10,000 titles
#               of news/known_item.dev.queries.tsv; one relevant doc each
#   qa          qa_retrieval/collection.tsv title + text (1,981 passages);
#               queries: the 2,316 questions of qa_retrieval/dev.queries.tsv
#
# Systems: each S of --systems whose eval/retrieval/S/run.sh exists is run, in
# turn (never in parallel), as
#   eval/retrieval/S/run.sh --task TASK --out build/eval/runs [--smoke]
# and must write build/eval/runs/S.TASK.run (TREC, top 100) and S.TASK.stats
# (see the contract below).  A system without a run.sh, or that prints SKIP,
# or fails, is noted under the table and the others go on.  Logs:
# build/eval/runs/S.TASK.log.  --smoke: the systems index the smoke slice
# (first 2,000 news docs, all passages) and run the first 200 queries; runs go
# to build/eval/runs/smoke/ and are scored over those 200 queries only (so
# smoke figures say the harness works, not how good a system is).
#
# Metrics (eval/score.py trec, over every qrels query of the query set; a query
# without results scores 0): MRR@10, Success@1, Success@10, Recall@10,
# Recall@100.
#
# Contract for eval/retrieval/S/run.sh --task known_item|qa --out DIR [--smoke]:
#   known_item: index the BODY only of every news.tsv row (docid = column 1);
#   qa: index title + text of collection.tsv (docid = pid).  Build the index
#   under build/eval/S/; run every query (the title / question as-is, free
#   text, no query syntax) for the top 100 and write DIR/S.TASK.run as
#   "qid Q0 docid rank score S" (ranks from 1); then time top-10 retrieval of
#   every query (single thread, after one untimed pass) and write
#   DIR/S.TASK.stats as key=value lines with at least: docs, input_mb (UTF-8
#   MB of the indexed text), index_seconds, index_bytes (whole index on disk),
#   latency_mean_ms, latency_p50_ms, latency_p99_ms, peak_rss_kb (indexing
#   process).  --smoke: the first 2,000 docs (known_item; qa: all 1,981
#   passages) and the first 200 queries.  Data from $FAHRAS_DATA or
#   ../shared/data; print "SKIP: <path> not found" and exit 0 when absent.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SMOKE_QUERIES=200

smoke=0
systems="lucene fts5 fts5_fahras postgres fahras"
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) smoke=1 ;;
        --systems) systems=${2?--systems needs a list}; shift ;;
        --systems=*) systems=${1#--systems=} ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "retrieval/run.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

if [ -n "${FAHRAS_DATA:-}" ]; then
    DATA=$FAHRAS_DATA; shown=$FAHRAS_DATA
else
    DATA="$ROOT/../shared/data"; shown="../shared/data"
fi
if [ ! -d "$DATA" ]; then
    echo "SKIP: $shown not found"
    exit 0
fi

OUT="$ROOT/build/eval/runs"
[ "$smoke" = 1 ] && OUT="$OUT/smoke"
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
smoke_arg=()
[ "$smoke" = 1 ] && smoke_arg=(--smoke)

for task in known_item qa; do
    case "$task" in
        known_item)
            files=(news/news.tsv news/known_item.dev.queries.tsv news/known_item.dev.qrels)
            title="Known-item retrieval (news: title -> its article's body)" ;;
        qa)
            files=(qa_retrieval/collection.tsv qa_retrieval/dev.queries.tsv qa_retrieval/dev.qrels)
            title="QA passage retrieval (question -> passage holding the answer)" ;;
    esac
    missing=""
    for f in "${files[@]}"; do
        [ -f "$DATA/$f" ] || { missing="$shown/$f"; break; }
    done
    if [ -n "$missing" ]; then
        echo "SKIP: $missing not found"
        echo
        continue
    fi
    queries="$DATA/${files[1]}"

    # The qrels of the query set actually run (all of it, or the smoke slice).
    awk -F'\t' -v lim="$([ "$smoke" = 1 ] && echo "$SMOKE_QUERIES" || echo 0)" '
        NR == FNR { if ($0 != "" && (!lim || n < lim)) { q[$1] = 1; n++ } next }
        { split($0, f, " ") } (f[1] in q)' "$queries" "$DATA/${files[2]}" > "$TMP/$task.qrels"
    nq=$(cut -d' ' -f1 "$TMP/$task.qrels" | sort -u | wc -l)

    rows=() notes=()
    for s in $systems; do
        script="$ROOT/eval/retrieval/$s/run.sh"
        if [ ! -f "$script" ]; then
            notes+=("$s: skipped (eval/retrieval/$s/run.sh not found)")
            continue
        fi
        run="$OUT/$s.$task.run" log="$OUT/$s.$task.log"
        rm -f "$run" "$OUT/$s.$task.stats"
        echo "retrieval/run.sh: $s $task$([ "$smoke" = 1 ] && echo ' (smoke)') ..." >&2
        rc=0
        bash "$script" --task "$task" --out "$OUT" "${smoke_arg[@]+"${smoke_arg[@]}"}" > "$log" 2>&1 || rc=$?
        if [ "$rc" != 0 ]; then
            notes+=("$s: FAILED (exit $rc; see ${log#"$ROOT"/}: $(tail -n 1 "$log"))")
            continue
        fi
        if [ ! -f "$run" ]; then
            why=$(grep -m1 '^SKIP' "$log" || true)
            notes+=("$s: skipped (${why:-no run file written; see ${log#"$ROOT"/}})")
            continue
        fi
        rows+=("$(python3 "$ROOT/eval/score.py" trec "$TMP/$task.qrels" "$run" --name "$s")")
    done

    docs=""
    for s in $systems; do   # the collection size, from the first system that reported it
        st="$OUT/$s.$task.stats"
        if [ -f "$st" ]; then docs=$(sed -n 's/^docs=//p' "$st" | head -n 1); break; fi
    done
    echo "## $title$([ "$smoke" = 1 ] && echo ', smoke slice')"
    echo
    echo "${docs:-?} documents, $nq queries (dev)."
    echo
    echo "| system | MRR@10 | Success@1 | Success@10 | Recall@10 | Recall@100 |"
    echo "|---|---|---|---|---|---|"
    for r in "${rows[@]+"${rows[@]}"}"; do echo "$r"; done
    for n in "${notes[@]+"${notes[@]}"}"; do echo "note: $n"; done
    echo
done
echo "Runs, stats and logs: ${OUT#"$ROOT"/}/"
