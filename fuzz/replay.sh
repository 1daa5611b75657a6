#!/bin/sh
# replay.sh — make test's part of the fuzzing: every harness's seeds
# (fuzz/seeds/NAME) and saved reproducers (fuzz/regress/NAME) run through
# $B/fuzz/replay_NAME, without libFuzzer.  One line per harness,
# "ok   fuzz-replay NAME: N inputs" or "FAIL: fuzz-replay NAME ...".
set -u
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
for src in fuzz/fuzz_*.c; do
    n=${src#fuzz/fuzz_}
    n=${n%.c}
    bin=$B/fuzz/replay_$n
    if [ ! -x "$bin" ]; then
        echo "FAIL: fuzz-replay $n: $bin was not built (is '$n' in the Makefile's FUZZERS?)"
        continue
    fi
    if [ ! -d "fuzz/seeds/$n" ]; then
        echo "FAIL: fuzz-replay $n: no seeds in fuzz/seeds/$n"
        continue
    fi
    dirs="fuzz/seeds/$n"
    [ -d "fuzz/regress/$n" ] && dirs="$dirs fuzz/regress/$n"
    # shellcheck disable=SC2086 # the directories are words
    out=$("$bin" $dirs 2>&1)
    rc=$?
    count=$(printf '%s\n' "$out" | sed -n 's/^\([0-9][0-9]*\) inputs$/\1/p')
    if [ "$rc" -eq 0 ] && [ "${count:-0}" -gt 0 ]; then
        echo "ok   fuzz-replay $n: $count inputs"
    else
        echo "FAIL: fuzz-replay $n: status $rc; the last lines:"
        printf '%s\n' "$out" | tail -n 15 | sed 's/^/  | /'
    fi
done
