#!/usr/bin/env bash
# Build the throughput anchors into build/anchors/ (idempotent: each target is
# rebuilt only when its source is newer).
#
#   bench/anchors/build.sh
#
# Then, with CP printed by this script (Lucene 4.10 core + analyzers-common):
#   java -Xmx2g -cp build/anchors:$CP LuceneAnalyzeBench ../shared/data/news/news.tsv 3 [MAX_BYTES]
#   build/anchors/snowball_bench ../shared/data/news/news.tsv 3 [MAX_BYTES]
#
# Needs: openjdk javac, liblucene4.10-java (jars in /usr/share/java), a C
# compiler and libstemmer-dev.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT="$ROOT/build/anchors"
mkdir -p "$OUT"

jar() {  # first existing Lucene jar among the Debian names, e.g. jar core
    local f
    for f in /usr/share/java/lucene-"$1"-4.10*.jar /usr/share/java/lucene4-"$1".jar; do
        [ -f "$f" ] && { echo "$f"; return 0; }
    done
    echo "build.sh: Lucene 4.10 $1 jar not found in /usr/share/java" >&2
    return 1
}
CP="$(jar core):$(jar analyzers-common)"

src="$ROOT/bench/anchors/LuceneAnalyzeBench.java"
if [ "$src" -nt "$OUT/LuceneAnalyzeBench.class" ]; then
    javac -Xlint:all -cp "$CP" -d "$OUT" "$src"
fi

src="$ROOT/bench/anchors/snowball_bench.c"
if [ "$src" -nt "$OUT/snowball_bench" ]; then
    ${CC:-cc} -O2 -Wall -Wextra -Werror -o "$OUT/snowball_bench" "$src" -lstemmer
fi

echo "built: $OUT/LuceneAnalyzeBench.class $OUT/snowball_bench"
echo "CP=$CP"
