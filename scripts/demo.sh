#!/bin/sh
# demo.sh — the main job on the bundled sample: analyze Arabic news text.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
F=$ROOT/build/fahras
SAMPLE=$ROOT/demo/ant2-sample.tsv

echo "== 1. One analyzer for text as found on the web =="
echo "   (token, byte span in the original, normalized form, stem)"
echo
for t in 'وَالكِتَابُ في بِمَدرَسَتِهِم' 'أعلنت الولايات المتحدة ﻻ اﻷمريكيـــة' \
         'وزارة الخارجية اللبنانية #لبنان_اليوم ٢٠١٨٫٥'; do
    echo "\$ fahras analyze '$t'"
    "$F" analyze "$t"
    echo
done

echo "== 2. Spelling variants meet: each line's stems =="
printf '%s\n' 'أوباما اوباما' 'مستشفى مستشفي' 'مدرسة مدرسه مدرستهم بمدرسة' 'سيارات سيارة بسياراتهم' \
    'الوزير وزير للوزراء والوزراء' | "$F" stem
echo

echo "== 3. The bundled sample: $(($(wc -l < "$SAMPLE") - 1)) ANT v2.1 articles (demo/README.md) =="
echo "   first titles, and their stems:"
cut -f4 "$SAMPLE" | sed -n '2,6p' > /tmp/fahras-demo-titles.$$
paste -d '\n' /tmp/fahras-demo-titles.$$ /dev/null | sed -n '1~2p' | while IFS= read -r line; do
    echo "   $line"
    echo "   -> $(printf '%s\n' "$line" | "$F" stem)"
done
rm -f /tmp/fahras-demo-titles.$$
words=$(cut -f5 "$SAMPLE" | "$F" stem | wc -w)
echo
echo "   stemmed all $(($(wc -l < "$SAMPLE") - 1)) bodies: $words tokens"
