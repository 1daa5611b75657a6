#!/usr/bin/env bash
# Lucene 4.10 BM25 baseline for the retrieval evaluation.
#
#   eval/retrieval/lucene/run.sh --task known_item|qa --out DIR [--smoke]
#
#   known_item  index the body of every news/news.tsv row (docid = column 1;
#               the 379 empty bodies are indexed as empty documents);
#               queries news/known_item.dev.queries.tsv (the titles)
#   qa          index title + "\n" + text of qa_retrieval/collection.tsv
#               (docid = pid); queries qa_retrieval/dev.queries.tsv
#   --smoke     first 2,000 docs (known_item; qa keeps every passage) and the
#               first 200 queries
#
# Writes DIR/lucene.TASK.run (TREC: qid Q0 docid rank score lucene, top 100)
# and DIR/lucene.TASK.stats (key=value: docs, input_mb, index_seconds (without
# the merge), merge_seconds (forceMerge(1)), index_bytes, latency_mean_ms /
# p50 / p99 of a timed top-10 pass over every query after an untimed one,
# peak_rss_kb of the indexing JVM, ...).  The index is build/eval/lucene/TASK/
# (or TASK-smoke/), rebuilt each run.  Method details: the head of
# LuceneRetrieval.java.
#
# Lucene: ArabicAnalyzer (Version.LUCENE_4_10_4) for documents and queries,
# BM25Similarity (k1=1.2, b=0.75), 256 MB RAM buffer; each query is one
# BooleanQuery of SHOULD TermQuery over the analyzer's tokens.  JVM heap:
# -Xmx1g (override with LUCENE_JAVA_OPTS).
#
# Data: $FAHRAS_DATA, defaulting to ../shared/data beside the repository; when
# it is missing the script prints SKIP and exits 0.  When java/javac or the
# Lucene 4.10 jars (liblucene4.10-java) are missing it also prints SKIP.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
HERE="$ROOT/eval/retrieval/lucene"

# shellcheck source=../runner.sh
. "$ROOT/eval/retrieval/runner.sh"
runner_args lucene "$@"

# --- build the driver into build/anchors/ (only when the source is newer) -----
jar() {  # first existing Lucene jar among the Debian names, e.g. jar core
    local f
    for f in /usr/share/java/lucene-"$1"-4.10*.jar /usr/share/java/lucene4-"$1".jar; do
        [ -f "$f" ] && { echo "$f"; return 0; }
    done
    return 1
}
if ! command -v java >/dev/null || ! command -v javac >/dev/null ||
   ! core=$(jar core) || ! common=$(jar analyzers-common); then
    echo "SKIP: lucene needs java, javac and the Lucene 4.10 jars (apt install default-jdk-headless liblucene4.10-java)"
    exit 0
fi
CP="$core:$common"
ANCHORS="$ROOT/build/anchors"
mkdir -p "$ANCHORS"
src="$HERE/LuceneRetrieval.java"
if [ "$src" -nt "$ANCHORS/LuceneRetrieval.class" ]; then
    javac -Xlint:all -cp "$CP" -d "$ANCHORS" "$src"
fi

# --- index, run, time ------------------------------------------------------------
suffix=""
[ ${#smoke[@]} -gt 0 ] && suffix="-smoke"
INDEX="$ROOT/build/eval/lucene/$task$suffix"
rm -rf "$INDEX"
mkdir -p "$INDEX" "$out"
# shellcheck disable=SC2086 # LUCENE_JAVA_OPTS is a list of JVM options
exec java ${LUCENE_JAVA_OPTS:--Xmx1g} -cp "$ANCHORS:$CP" LuceneRetrieval \
    --task "$task" --data "$DATA" --index "$INDEX" --out "$out" "${smoke[@]+"${smoke[@]}"}"
