#!/bin/sh
# valgrind.sh — the unit tests and a CLI smoke run under valgrind memcheck:
# no invalid read or write, no use of uninitialised memory, no leak
# (definite, indirect or possible).  make valgrind; minutes.
#
#   B=build sh tests/robust/valgrind.sh
#
# Prints "ok   valgrind NAME" / "FAIL: valgrind NAME" (with valgrind's
# report) and ends with "N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
B=${B:-build}
case $B in /*) F=$B/fahras ;; *) F=$ROOT/$B/fahras ;; esac
W=$(mktemp -d "${TMPDIR:-/tmp}/fahras-vg.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
LC_ALL=C
export LC_ALL
command -v valgrind >/dev/null || { echo "valgrind: not installed (sh scripts/install-deps.sh)"; echo "0 passed, 1 failed"; exit 1; }
VG="valgrind -q --error-exitcode=97 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --log-file=$W/vg.log"
pass=0
fail=0
# vg NAME STATUS_OK CMD...: run CMD under valgrind; valgrind's status 97
# (or any report in its log) fails the test; so does a status other than
# STATUS_OK ("any" accepts every status but 97)
vg() {
    _n=$1 _want=$2
    shift 2
    # shellcheck disable=SC2086 # VG is words
    $VG "$@" >"$W/out" 2>"$W/err" </dev/null
    _rc=$?
    if [ "$_rc" -ne 97 ] && [ ! -s "$W/vg.log" ] && { [ "$_want" = any ] || [ "$_rc" -eq "$_want" ]; }; then
        pass=$((pass + 1))
        echo "ok   valgrind $_n"
    else
        fail=$((fail + 1))
        echo "FAIL: valgrind $_n (status $_rc)"
        sed -n '1,40p' "$W/vg.log" "$W/err" | sed 's/^/  | /'
    fi
}

for t in "$B"/tests/test_*; do
    [ -x "$t" ] || continue
    vg "unit ${t##*/}" 0 "$t"
done

# CLI smoke: every command, every ingest format, the encodings
head -n 300 demo/ant2-sample.tsv >"$W/sample.tsv"
DB=$W/v.db
vg "analyze" 0 "$F" analyze --json 'وَالكِتَابُ في بِمَدرَسَتِهِم G20 ٣٫٥ https://x.org/a'
vg "normalize" 0 "$F" normalize 'أَحْمَد ﻻ CNN'
vg "stem" 0 "$F" stem 'والكتاب مدرستهم الولايات'
vg "index tsv (300 ANT articles)" 0 "$F" index --db "$DB" --columns id,source,-,title,body --log "$W/log" "$W/sample.tsv"
vg "search" 0 "$F" search --db "$DB" 'الولايات المتحدة'
vg "search --json phrase, exclusion, prefix" 0 "$F" search --db "$DB" --json '"الولايات المتحدة" -ترامب سور*'
vg "search a bad query" 1 "$F" search --db "$DB" '"'
printf 'q1\tالنفط\nq2\tكرة القدم\n' >"$W/q.tsv"
vg "search --batch --trec" 0 "$F" search --db "$DB" --batch "$W/q.tsv" --trec
id=$(head -n 1 "$W/sample.tsv" | cut -f1)
vg "show" 0 "$F" show --db "$DB" "$id"
vg "stats" 0 "$F" stats --db "$DB" --json
vg "check" 0 "$F" check --db "$DB"
vg "delete" 0 "$F" delete --db "$DB" "$id"
vg "optimize" 0 "$F" optimize --db "$DB"
printf '{"id":"j1","title":"عنوان","body":"نص \\u0627\\u0644"}\n{"id":2,"text":"x"}\nnot json\n' >"$W/a.jsonl"
vg "index jsonl with a bad line" 1 "$F" index --db "$DB" "$W/a.jsonl"
printf '<DOC>\n<DOCNO>t1</DOCNO>\n<TITLE>خبر &amp; آخر</TITLE>\n<TEXT><P>نص</P></TEXT>\n</DOC>\n' >"$W/a.trec"
vg "index trec" 0 "$F" index --db "$DB" "$W/a.trec"
printf 'id\ttitle\nw\tكتاب الولايات\n' | iconv -f UTF-8 -t WINDOWS-1256 >"$W/w.tsv"
vg "index Windows-1256 (detected)" 0 "$F" index --db "$DB" "$W/w.tsv"
printf 'id\ttitle\nu\tكتاب\n' | iconv -f UTF-8 -t UTF-16 >"$W/u.tsv"
vg "index UTF-16" 0 "$F" index --db "$DB" "$W/u.tsv"
printf 'id\ttitle\nx\t\307\241\310\n' >"$W/bad.tsv"
vg "index undecodable ISO-8859-6" 1 "$F" index --db "$DB" --encoding ISO-8859-6 "$W/bad.tsv"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
