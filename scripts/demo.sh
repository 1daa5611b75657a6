#!/bin/sh
# demo.sh — the main job on the bundled sample: index 2,000 Arabic news
# articles (ANT corpus v2.1, demo/README.md) into one SQLite file and search
# them: clitics, spelling variants and highlights at work.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
F=$ROOT/build/fahras
SAMPLE=$ROOT/demo/ant2-sample.tsv
DB=${FAHRAS_DEMO_DB:-$ROOT/build/demo.db}
rm -f "$DB" "$DB-wal" "$DB-shm"

echo "== 1. Index the bundled sample into $DB"
"$F" index --db "$DB" "$SAMPLE"
"$F" stats --db "$DB"
echo

search() {
    echo "\$ fahras search '$1'   ($2)"
    "$F" search --db "$DB" --limit 3 "$1"
}
echo "== 2. Search: the words as a reader types them"
search 'ترامب والانتخابات' 'و + ال + انتخابات: clitics are stripped'
search 'امريكا' 'no hamza typed: أمريكا, الأمريكية, لأمريكا match'
search '"الاتحاد الأوروبي" -بريطانيا' 'a phrase, and an exclusion'
search 'title:مصر source:skynews' 'a field and a source'

echo "== 3. The analyzer underneath"
echo "\$ fahras analyze 'وَالكِتَابُ بِمَدرَسَتِهِم'"
"$F" analyze 'وَالكِتَابُ بِمَدرَسَتِهِم'
