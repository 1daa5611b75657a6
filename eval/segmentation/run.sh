#!/bin/sh
# eval/segmentation/run.sh — word segmentation on the Farasa WikiNews gold.
#
#   sh eval/segmentation/run.sh [--smoke]
#
# Reads ../shared/data/segmentation/wikinews.dev.ref (FAHRAS_DATA overrides
# the data folder; SKIP when absent): one gold word a line, `seg+ments<TAB>POS`.
# The unsegmented words (segments joined) are given to each system, one a
# line, and its `seg+ments` output is scored by eval/score.py segmentation
# (word accuracy, boundary precision/recall/F1).  Rows:
#   unsegmented    every word left whole (the floor)
#   fahras         `build/fahras segment --scheme farasa`: the whole file, then
#                  its first half (where the segmenter's few parameters were
#                  tuned: eval/segmentation/tune.sh) and its second half (held
#                  out); then word accuracy by POS pattern and the commonest
#                  errors (eval/segmentation/breakdown.py)
# --smoke: the first 1,000 words.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${FAHRAS_DATA:-$ROOT/../shared/data}
GOLD=$DATA/segmentation/wikinews.dev.ref
if [ ! -r "$GOLD" ]; then
    echo "SKIP: $GOLD not found"
    exit 0
fi
LIMIT=0
[ "${1:-}" = "--smoke" ] && LIMIT=1000
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
# gold without the header line; the words are the segments joined
awk -F'\t' -v lim="$LIMIT" 'NR > 1 && (lim == 0 || NR <= lim + 1) { print }' "$GOLD" > "$W/gold"
cut -f1 "$W/gold" | awk '{ w = $0; if (w != "+") gsub(/\+/, "", w); print w }' > "$W/words"
echo "Segmentation on wikinews.dev.ref$([ "$LIMIT" -gt 0 ] && echo " (smoke: first $LIMIT words)"): $(wc -l < "$W/words") words"
echo
python3 "$ROOT/eval/score.py" segmentation --header --name unsegmented "$W/gold" "$W/words"
if [ -x "$ROOT/build/fahras" ] && "$ROOT/build/fahras" segment --help >/dev/null 2>&1; then
    "$ROOT/build/fahras" segment --scheme farasa < "$W/words" > "$W/fahras"
    python3 "$ROOT/eval/score.py" segmentation --name fahras "$W/gold" "$W/fahras"
    h=$(($(wc -l < "$W/gold") / 2))
    head -n "$h" "$W/gold" > "$W/gold1"
    head -n "$h" "$W/fahras" > "$W/fahras1"
    tail -n +"$((h + 1))" "$W/gold" > "$W/gold2"
    tail -n +"$((h + 1))" "$W/fahras" > "$W/fahras2"
    python3 "$ROOT/eval/score.py" segmentation --name "fahras, first half (tuning)" "$W/gold1" "$W/fahras1"
    python3 "$ROOT/eval/score.py" segmentation --name "fahras, second half (held out)" "$W/gold2" "$W/fahras2"
    "$ROOT/build/fahras" segment --scheme clitics < "$W/words" > "$W/clitics"
    python3 "$ROOT/eval/score.py" segmentation --name "fahras --scheme clitics" "$W/gold" "$W/clitics"
    echo
    python3 "$ROOT/eval/segmentation/breakdown.py" --patterns 25 --errors 30 "$W/gold" "$W/fahras"
else
    echo
    echo "(fahras segment does not exist yet: issue 6)"
fi
