#!/usr/bin/env bash
# Conflation evaluation: pairwise P/R/F1 of stemmers on the PADT lemma gold.
#
#   eval/conflation/run.sh [--smoke] [--errors N]
#
#   --smoke      use only the first 500 data rows of padt.dev.tsv (fast, for CI)
#   --errors N   after the table, list the N worst false merges and splits of
#                the fahras row (needs build/fahras)
#
# Data: $FAHRAS_DATA/lemmas/padt.dev.tsv, FAHRAS_DATA defaulting to
# ../shared/data beside the repository.  When it is missing the script prints
# SKIP and exits 0, so it is safe to call where the data is not available.
#
# Systems (one table row each; a system whose tools are missing is noted and
# skipped):
#   identity       stem = form, the no-conflation baseline
#   lucene-light10 Lucene 4.10 ArabicNormalizer + ArabicStemmer (eval/anchors/LuceneStem.java)
#   snowball       libstemmer "arabic" (eval/anchors/snowball_stem.c)
#   fahras         `build/fahras stem`, if build/fahras exists; each output
#                  line (space-separated stems of the line's words) is the stem
#
# Gold: distinct (form_plain, lemma_plain) pairs of padt.dev.tsv (columns 3
# and 4), scored by `eval/score.py conflation`.  Anchors are compiled into
# build/anchors/; intermediate files live in a temporary directory, so no
# data is written into the repository.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

smoke=0
errors=0
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) smoke=1 ;;
        --errors) errors=${2:?--errors needs a number}; shift ;;
        --errors=*) errors=${1#--errors=} ;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done
case "$errors" in ''|*[!0-9]*) echo "run.sh: --errors needs a number" >&2; exit 2 ;; esac

if [ -n "${FAHRAS_DATA:-}" ]; then
    PADT="$FAHRAS_DATA/lemmas/padt.dev.tsv"; shown="$PADT"
else
    PADT="$ROOT/../shared/data/lemmas/padt.dev.tsv"; shown="../shared/data/lemmas/padt.dev.tsv"
fi
if [ ! -f "$PADT" ]; then
    echo "SKIP: $shown not found"
    exit 0
fi

ANCHORS="$ROOT/build/anchors"
mkdir -p "$ANCHORS"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
notes=()

# --- gold: distinct form<TAB>lemma, in first-seen order -----------------------
# Column 3 is form_plain, column 4 lemma_plain; line 1 is the header.
limit=$([ "$smoke" = 1 ] && echo 500 || echo 0)
awk -F'\t' -v limit="$limit" '
    NR == 1 { next }
    limit && NR > limit + 1 { exit }
    { sub(/\r$/, "") }
    $3 != "" && !seen[$3 "\t" $4]++ { print $3 "\t" $4 }
' "$PADT" > "$TMP/gold.tsv"
cut -f1 "$TMP/gold.tsv" > "$TMP/forms.txt"
ntypes=$(wc -l < "$TMP/gold.tsv")

# --- build the anchors (only when the source is newer than the output) ---------
jar() {  # first existing Lucene jar among the Debian names, e.g. jar core
    local f
    for f in /usr/share/java/lucene-"$1"-4.10*.jar /usr/share/java/lucene4-"$1".jar; do
        [ -f "$f" ] && { echo "$f"; return 0; }
    done
    return 1
}
have_lucene=0
if command -v javac >/dev/null && command -v java >/dev/null &&
   core=$(jar core) && common=$(jar analyzers-common); then
    CP="$core:$common"
    src="$ROOT/eval/anchors/LuceneStem.java"
    if [ "$src" -nt "$ANCHORS/LuceneStem.class" ]; then
        javac -nowarn -cp "$CP" -d "$ANCHORS" "$src"
    fi
    have_lucene=1
else
    notes+=("lucene-light10: skipped (java/javac or Lucene 4.10 jars not found)")
fi

have_snowball=0
src="$ROOT/eval/anchors/snowball_stem.c"
if [ "$src" -nt "$ANCHORS/snowball_stem" ]; then
    if cc -O2 -Wall -Wextra -Werror -o "$ANCHORS/snowball_stem" "$src" -lstemmer 2>"$TMP/cc.log"; then
        have_snowball=1
    else
        notes+=("snowball: skipped (build failed: $(head -1 "$TMP/cc.log"))")
    fi
else
    have_snowball=1
fi

# --- stem and score ------------------------------------------------------------
rows=()
extra=""
score() {  # score NAME STEMFILE [score.py options...]: append a table row
    local name=$1 stems=$2; shift 2
    local got
    got=$(wc -l < "$stems")
    if [ "$got" -ne "$ntypes" ]; then
        echo "run.sh: $name wrote $got lines for $ntypes forms" >&2
        exit 1
    fi
    paste "$TMP/gold.tsv" "$stems" > "$TMP/$name.tsv"
    local out
    out=$(python3 "$ROOT/eval/score.py" conflation --markdown --name "$name" "$@" "$TMP/$name.tsv")
    rows+=("$(head -n 1 <<<"$out")")
    if [ "$(wc -l <<<"$out")" -gt 1 ]; then extra+=$(tail -n +2 <<<"$out")$'\n'; fi
}

score identity "$TMP/forms.txt"

if [ "$have_lucene" = 1 ]; then
    java -cp "$ANCHORS:$CP" LuceneStem < "$TMP/forms.txt" > "$TMP/lucene.txt"
    score lucene-light10 "$TMP/lucene.txt"
fi

if [ "$have_snowball" = 1 ]; then
    "$ANCHORS/snowball_stem" < "$TMP/forms.txt" > "$TMP/snowball.txt"
    score snowball "$TMP/snowball.txt"
fi

if [ -x "$ROOT/build/fahras" ]; then
    "$ROOT/build/fahras" stem < "$TMP/forms.txt" > "$TMP/fahras.txt"
    if [ "$errors" -gt 0 ]; then
        score fahras "$TMP/fahras.txt" --errors "$errors"
    else
        score fahras "$TMP/fahras.txt"
    fi
else
    notes+=("fahras: skipped (build/fahras not built)$([ "$errors" -gt 0 ] && echo '; --errors applies to it only')")
fi

# --- report --------------------------------------------------------------------
echo "Conflation on $(basename "$PADT")$([ "$smoke" = 1 ] && echo ' (smoke: first 500 rows)'):" \
     "$ntypes distinct (form, lemma) types"
echo
echo "| system | precision | recall | F1 |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
for n in "${notes[@]+"${notes[@]}"}"; do echo "note: $n"; done
if [ -n "$extra" ]; then printf '%s' "$extra"; fi
