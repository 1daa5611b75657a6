#!/bin/sh
# eval/segmentation/tune.sh — score the segmenter's parameters on the FIRST
# HALF of the WikiNews gold only (the second half stays held out).
#
#   sh eval/segmentation/tune.sh "waw=-2,pron=-1" ["beh=-3" ...]
#
# Builds a tuning library (build-tune/, -DFH_SEG_TUNE: the parameters are
# read from $FH_SEG_PARAMS) and prints the word accuracy of each setting.
# The defaults in src/segment.c are the setting chosen with it.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${FAHRAS_DATA:-$ROOT/../shared/data}
GOLD=$DATA/segmentation/wikinews.dev.ref
[ -r "$GOLD" ] || { echo "SKIP: $GOLD not found"; exit 0; }
make -s -C "$ROOT" -j2 B=build-tune DEFS=-DFH_SEG_TUNE build-tune/fahras >/dev/null
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
n=$(awk 'NR > 1' "$GOLD" | wc -l)
awk -F'\t' -v h=$((n / 2)) 'NR > 1 && NR <= h + 1' "$GOLD" > "$W/gold"
cut -f1 "$W/gold" | awk '{ w = $0; if (w != "+") gsub(/\+/, "", w); print w }' > "$W/words"
[ $# -gt 0 ] || set -- ""
for p in "$@"; do
    FH_SEG_PARAMS=$p "$ROOT/build-tune/fahras" segment < "$W/words" > "$W/pred"
    acc=$(python3 "$ROOT/eval/score.py" segmentation --kv "$W/gold" "$W/pred" | sed -n 's/^word_accuracy=//p')
    echo "$acc	$p"
done
