#!/bin/sh
# run.sh — fahras's whole test suite: the cmocka unit tests, the golden
# files, then the command-line tests.  POSIX sh.
#
#   make test                      (runs: B=build sh tests/run.sh)
#   make SAN=1 test                (B=build-san: ASan + UBSan build)
#   B=build-clang sh tests/run.sh
#
# Prints a line for every failure (with the diff or the program's output)
# and ends with exactly one line "N passed, N failed".  Exits 1 if anything
# failed.  A golden mismatch prints its diff: review it, and if the new
# output is right, rewrite the expected file with tests/golden/regen.sh.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
B=${B:-build}
G=$ROOT/tests/golden
LC_ALL=C
export LC_ALL
W=$(mktemp -d "${TMPDIR:-/tmp}/fahras-test.XXXXXX") || exit 2
GW=$W/golden
mkdir -p "$GW"
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM

pass=0
fail=0
ok() { pass=$((pass + 1)); }
nok() {
    fail=$((fail + 1))
    echo "FAIL: $*"
}

# ---------------------------------------------------------------------
# 1. unit tests (cmocka): every test binary in $B/tests
# ---------------------------------------------------------------------
echo "== unit tests ($B/tests)"
for t in test_utf8 test_normalize test_tokenize test_stem test_api test_chartab test_ingest test_fts5 test_segment test_robust; do
    [ -x "$B/tests/$t" ] || nok "unit: $B/tests/$t was not built"
done
for bin in "$B"/tests/test_*; do
    [ -f "$bin" ] && [ -x "$bin" ] || continue
    name=${bin##*/}
    "$bin" >"$W/unit.out" 2>&1
    rc=$?
    # a binary may run several groups: add their counts
    p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$W/unit.out" |
        awk '{ n += $1 } END { print n + 0 }')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s), listed below.*/\1/p' "$W/unit.out" |
        awk '{ n += $1 } END { print n + 0 }')
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed, or a sanitizer stopped it
    fi
    if [ "$rc" -eq 0 ] && [ "$p" -eq 0 ]; then
        f=1 # ran nothing
    fi
    pass=$((pass + p))
    if [ "$f" -ne 0 ]; then
        fail=$((fail + f))
        echo "FAIL: unit $name: $f failed (exit status $rc); its output:"
        grep -v -e '^\[ RUN      \]' -e '^\[       OK \]' "$W/unit.out" | sed -n '1,80p'
    else
        echo "ok   unit $name: $p tests"
    fi
done

# ---------------------------------------------------------------------
# 2. golden files
# ---------------------------------------------------------------------
echo "== golden files (tests/golden)"
. "$G/lib.sh"
if [ ! -x "$B/fahras" ]; then
    nok "golden: $B/fahras was not built"
else
    ncases=0
    while read -r name status input cmd rest; do
        case $name in '' | '#'*) continue ;; esac
        ncases=$((ncases + 1))
        # shellcheck disable=SC2086 # the options are words
        set -- $cmd $rest
        if ! golden_actual "$name" "$status" "$input" "$@"; then
            nok "golden $name"
            continue
        fi
        if [ ! -f "$G/$name.expected" ]; then
            nok "golden $name: $G/$name.expected is missing (make it with tests/golden/regen.sh $name)"
            golden_diff "$name" "$G/$name.expected" "$GW/$name.out" "$cmd"
        elif cmp -s "$G/$name.expected" "$GW/$name.out"; then
            ok
            echo "ok   golden $name"
        else
            nok "golden $name: \`fahras $*\` < $input differs from $name.expected:"
            golden_diff "$name" "$G/$name.expected" "$GW/$name.out" "$cmd"
        fi
    done <"$G/cases"
    [ "$ncases" -gt 0 ] || nok "golden: no cases read from $G/cases"
fi

# ---------------------------------------------------------------------
# 3. command-line tests
# ---------------------------------------------------------------------
echo "== command line ($B/fahras)"
F=$B/fahras

SUITE=cli
. "$ROOT/tests/lib.sh" # run, check, exit_is, err_has, out_has, ...
out_is() { printf '%s' "$1" | cmp -s - "$W/out"; }
err_empty() { [ ! -s "$W/err" ]; }

# version, help, usage errors
ver=$(sed -n 's/^#define FH_VERSION "\(.*\)"$/\1/p' include/fahras.h)
run "$F" version
check "version" eval 'exit_is 0 && out_has "^fahras $ver (Unicode [0-9][0-9.]*)\$"'
run "$F" --help
check "--help" eval 'exit_is 0 && out_has "^usage: fahras COMMAND"'
for c in analyze normalize stem; do
    run "$F" "$c" --help
    check "$c --help" eval 'exit_is 0 && out_has "^usage: fahras $c" && out_has "--set NAME=VALUE"'
done
run "$F"
check "no command: usage, status 2" eval 'exit_is 2 && err_has "^usage: fahras"'
run "$F" bogus
check "unknown command" eval "exit_is 2 && err_has \"unknown command 'bogus'\""
run "$F" analyze --bogus x
check "unknown option" eval "exit_is 2 && err_has \"unknown option '--bogus'\""
run "$F" stem --json x
check "--json is for analyze only" eval "exit_is 2 && err_has \"unknown option '--json'\""
run "$F" analyze --tokens x
check "--tokens is for normalize only" eval "exit_is 2 && err_has \"unknown option '--tokens'\""
run "$F" analyze --set foo=1 x
check "--set unknown option name" eval "exit_is 2 && err_has \"unknown option 'foo'\" && [ ! -s \"\$W/out\" ]"
run "$F" analyze --set stem=maybe x
check "--set bad value names option and value" eval "exit_is 2 && err_has \"option 'stem'\" && err_has \"'maybe'\""
run "$F" analyze --set stem x
check "--set without =" eval "exit_is 2 && err_has \"expected NAME=VALUE\""
run "$F" analyze --set
check "--set without argument" eval 'exit_is 2 && err_has "needs NAME=VALUE"'
run "$F" stem one two
check "two TEXT arguments" eval 'exit_is 2 && err_has "more than one TEXT"'

# TEXT argument and standard input give the same output
run "$F" analyze "والكتابُ G20 ٣٫٥"
cp "$W/out" "$W/arg.out"
printf 'والكتابُ G20 ٣٫٥' | "$F" analyze >"$W/stdin.out" 2>"$W/err"
check "analyze: TEXT argument = standard input" eval 'exit_is 0 && cmp -s "$W/arg.out" "$W/stdin.out" && [ -s "$W/arg.out" ]'
run "$F" stem "والكتاب مدرستهم"
check "stem: TEXT argument, output line ended" eval 'exit_is 0 && out_is "كتاب مدرسه
"'
run "$F" normalize "أَحْمَد"
check "normalize: TEXT argument" eval 'exit_is 0 && out_is "احمد
"'
run "$F" analyze ""
check "analyze: empty TEXT" eval 'exit_is 0 && out_is "" && err_empty'
run "$F" stem </dev/null
check "stem: empty input" eval 'exit_is 0 && out_is "" && err_empty'

# line-oriented commands keep the input's lines, the last one unended too
printf 'والكتاب\n\n  \nhello WORLD\nآخر سطر' >"$W/lines.in"
run "$F" stem <"$W/lines.in"
check "stem: one output line per input line" eval 'exit_is 0 && out_is "كتاب


hello world
اخر سطر"'
run "$F" normalize <"$W/lines.in"
check "normalize: one output line per input line" eval 'exit_is 0 && out_is "والكتاب

  
hello world
اخر سطر"'
run "$F" normalize --tokens <"$W/lines.in"
check "normalize --tokens" eval 'exit_is 0 && out_is "والكتاب


hello world
اخر سطر"'

# analyze offsets count bytes from the start of the whole input
printf 'ab\nكتاب cd\n' | "$F" analyze >"$W/out" 2>"$W/err"
rc=$?
check "analyze: offsets across lines" eval 'exit_is 0 && out_is "ab	0	2	ab	ab
كتاب	3	11	كتاب	كتاب
cd	12	14	cd	cd
"'
printf 'ab\nكتاب\n' | "$F" analyze --json >"$W/out" 2>"$W/err"
rc=$?
check "analyze --json: offsets across lines" eval 'exit_is 0 && out_is "{\"token\":\"ab\",\"start\":0,\"end\":2,\"norm\":\"ab\",\"stem\":\"ab\"}
{\"token\":\"كتاب\",\"start\":3,\"end\":11,\"norm\":\"كتاب\",\"stem\":\"كتاب\"}
"'

# invalid UTF-8: reported with line and offset, exit status 1, the rest done
printf 'ok\nكت\377اب\n' | "$F" analyze >"$W/out" 2>"$W/err"
rc=$?
check "analyze: invalid UTF-8 is a separator, reported, status 1" eval 'exit_is 1 && err_has "<stdin>:2: invalid UTF-8 (byte 0xFF at input offset 7), treated as a separator" && out_is "ok	0	2	ok	ok
كت	3	7	كت	كت
اب	8	12	اب	اب
"'
printf 'a\377b' | "$F" normalize >"$W/out" 2>"$W/err"
rc=$?
check "normalize: invalid UTF-8 becomes U+FFFD, status 1" eval 'exit_is 1 && err_has "treated as U+FFFD" && out_is "a�b"'
printf 'كتاب\342\202' | "$F" analyze >"$W/out" 2>"$W/err"
rc=$?
check "analyze: truncated sequence at the end of the input" eval 'exit_is 1 && err_has "byte 0xE2 at input offset 8" && out_is "كتاب	0	8	كتاب	كتاب
"'
printf 'كتاب\342\202' | "$F" normalize >"$W/out" 2>"$W/err"
rc=$?
check "normalize: truncated sequence at the end of the input" eval 'exit_is 1 && out_is "كتاب�"'
awk 'BEGIN { for (i = 0; i < 30; i++) printf "x\377"; printf "\n" }' | "$F" stem >"$W/out" 2>"$W/err"
rc=$?
check "at most 20 invalid-UTF-8 warnings" eval 'exit_is 1 && [ "$(grep -c "invalid UTF-8 (byte" "$W/err")" -eq 20 ] && err_has "further invalid UTF-8 not reported"'

# every flag off: normalize changes nothing in normalize.in
golden_strip "$G/normalize.in" "$W/norm.in"
run "$F" normalize --set marks=0 --set quranic=0 --set tatweel=0 --set alef=0 \
    --set alef_maqsura=0 --set teh_marbuta=0 --set hamza_seat=0 --set persian=0 \
    --set digits=0 --set presentation=0 --set controls=0 --set case=0 --set accents=0 \
    <"$W/norm.in"
check "normalize with every flag off is the identity" eval 'exit_is 0 && cmp -s "$W/out" "$W/norm.in"'
run "$F" normalize <"$W/norm.in"
check "normalize with the default flags changes normalize.in" eval 'exit_is 0 && ! cmp -s "$W/out" "$W/norm.in"'

# --no-stem and --set stem=0 are the same
golden_strip "$G/options.in" "$W/opt.in"
"$F" analyze --no-stem <"$W/opt.in" >"$W/a.out" 2>/dev/null
"$F" analyze --set=stem=0 <"$W/opt.in" >"$W/b.out" 2>/dev/null
rc=0
check "--no-stem = --set=stem=0" eval 'cmp -s "$W/a.out" "$W/b.out" && [ -s "$W/a.out" ]'

# lines longer than the 1 MiB read piece
awk 'BEGIN { for (i = 0; i < 300000; i++) printf "والكتاب "; printf "\n" }' >"$W/long.in"
run "$F" stem <"$W/long.in"
check "stem: a 4.5 MB line keeps every word whole" eval 'exit_is 0 && [ "$(wc -l <"$W/out")" -eq 1 ] && [ "$(tr " " "\n" <"$W/out" | sort | uniq -c | awk "{print \$1, \$2}")" = "300000 كتاب" ]'
awk 'BEGIN { for (i = 0; i < 600000; i++) printf "ب"; printf " x\n" }' >"$W/run.in"
run "$F" analyze <"$W/run.in"
check "analyze: a 1.2 MB word gives contiguous pieces of at most 240 bytes" eval 'exit_is 0 && awk -F "	" "
    BEGIN { e = 0 }
    \$1 == \"x\" { if (\$2 != 1200001) exit 1; seen = 1; next }
    { if (\$2 != e || \$3 <= \$2 || length(\$4) > 240 || \$4 != \$5) exit 1; e = \$3 }
    END { if (!seen || e != 1200000) exit 1 }" "$W/out"'

# segment: line in, line out, whatever the line
printf 'والكتاب\n\n   \nhello WORLD 42\nكت\377اب\nآخر سطر' >"$W/seg.in"
run "$F" segment <"$W/seg.in"
check "segment: empty, blank, Latin-only and invalid-UTF-8 lines keep their places" eval 'exit_is 1 && err_has "<stdin>:5: invalid UTF-8 (byte 0xFF at input offset 39), treated as U+FFFD" && out_is "و+ال+كتاب


hello WORLD 42
كت � اب
آخر سطر"'
run "$F" segment "لحفلها"
check "segment: TEXT argument, output line ended" eval 'exit_is 0 && out_is "ل+حفل+ها
"'
run "$F" segment --scheme bogus x
check "segment: bad --scheme is a usage error" eval 'exit_is 2 && err_has "farasa or clitics"'
run "$F" segment --help
check "segment --help" eval 'exit_is 0 && out_has "^usage: fahras segment" && out_has "--scheme clitics"'
awk 'BEGIN { for (i = 0; i < 300000; i++) printf "والكتاب، "; printf "\nب\n" }' >"$W/seglong.in"
run "$F" segment <"$W/seglong.in"
check "segment: a 5.1 MB line stays one line, every word segmented" eval 'exit_is 0 && [ "$(wc -l <"$W/out")" -eq 2 ] && [ "$(head -1 "$W/out" | tr " " "\n" | sort | uniq -c | awk "{print \$1, \$2}" | tr "\n" ";")" = "300000 ،;300000 و+ال+كتاب;" ] && [ "$(tail -1 "$W/out")" = "ب" ]'
awk 'BEGIN { for (i = 0; i < 400000; i++) printf "لل"; printf "\n" }' >"$W/segrun.in"
run "$F" segment <"$W/segrun.in"
tr -d " " <"$W/out" >"$W/segrun.out"
check "segment: a 1.6 MB letter run is written whole (cut only where the 1 MiB read piece ends)" eval 'exit_is 0 && [ "$(wc -l <"$W/out")" -eq 1 ] && cmp -s "$W/segrun.out" "$W/segrun.in"'

# write errors are reported
if [ -w /dev/full ]; then
    "$F" normalize "abc" >/dev/full 2>"$W/err"
    rc=$?
    check "write error: status 3" eval 'exit_is 3 && err_has "write error"'
fi

# suite NAME SCRIPT: run a script that prints "ok   NAME ..." / "FAIL: NAME
# ..." lines and a closing "NAME: N passed, N failed"; add its counts
suite() {
    B=$B sh "$2" >"$W/suite.out" 2>&1
    rc=$?
    grep -v "^$1: [0-9]* passed" "$W/suite.out"
    _p=$(grep -c '^ok ' "$W/suite.out")
    _f=$(grep -c '^FAIL' "$W/suite.out")
    [ "$rc" -ne 0 ] && [ "$_f" -eq 0 ] && nok "$1: $2 stopped (status $rc)"
    [ "$rc" -eq 0 ] && [ "$_p" -eq 0 ] && nok "$1: $2 ran nothing"
    pass=$((pass + _p))
    fail=$((fail + _f))
}

# the index commands (index, search, show, delete, stats, check, optimize)
suite cli-search tests/cli_search.sh

# ---------------------------------------------------------------------
# 4. robustness: kills, full disk, two writers, encodings, limits
# ---------------------------------------------------------------------
echo "== robustness (tests/robust)"
suite robust tests/robust/run.sh

# ---------------------------------------------------------------------
# 4. the FTS5 extension in the sqlite3 shell (tests/sqlite/*.sql)
# ---------------------------------------------------------------------
echo "== sqlite3 shell (.load $B/fahras_sqlite)"
if ! command -v sqlite3 >/dev/null 2>&1; then
    nok "sqlite3 shell: not installed (sh scripts/install-deps.sh)"
elif [ ! -f "$B/fahras_sqlite.so" ]; then
    nok "sqlite3 shell: $B/fahras_sqlite.so was not built"
elif grep -q __asan_init "$B/fahras_sqlite.so"; then
    # the shell is not built with ASan: it cannot load an ASan library
    # (test_fts5 loads this one with sqlite3_load_extension instead)
    echo "skip sqlite3 shell: $B/fahras_sqlite.so is built with sanitizers"
else
    for sql in tests/sqlite/*.sql; do
        exp=${sql%.sql}.expected
        { echo ".load $B/fahras_sqlite"; cat "$sql"; } | sqlite3 :memory: >"$W/sql.out" 2>&1
        if cmp -s "$exp" "$W/sql.out"; then
            ok
            echo "ok   sqlite3 $sql"
        else
            nok "sqlite3 $sql: output differs from $exp:"
            diff "$exp" "$W/sql.out" | sed -n '1,40p'
        fi
    done
fi

# ---------------------------------------------------------------------
# 4. the fuzz harnesses, without libFuzzer, over their seeds and saved
#    reproducers (fuzz/replay.sh; the fuzzing itself is make fuzz)
# ---------------------------------------------------------------------
echo "== fuzz replay (fuzz/seeds, fuzz/regress)"
B=$B sh fuzz/replay.sh >"$W/fz.out" 2>&1
cat "$W/fz.out"
_p=$(grep -c '^ok ' "$W/fz.out")
_f=$(grep -c '^FAIL' "$W/fz.out")
[ "$_p" -eq 0 ] && [ "$_f" -eq 0 ] && nok "fuzz-replay: fuzz/replay.sh ran nothing"
pass=$((pass + _p))
fail=$((fail + _f))

# ---------------------------------------------------------------------
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
