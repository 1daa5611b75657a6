#!/bin/sh
# run.sh — run one libFuzzer harness (fuzz/README.md).
#
#   sh fuzz/run.sh NAME [LIBFUZZER-OPTION...]
#   FUZZ_TIME=600 sh fuzz/run.sh analyze       # for 600 s (default 60)
#   FUZZ_RUNS=10000000 sh fuzz/run.sh tsv      # for 10 million executions
#   FUZZ_LOG=FILE ...                          # the log elsewhere (two runs at once)
#
# Builds build-fuzz/fuzz/fuzz_NAME if needed (clang), then runs it at nice 19
# on fuzz/corpus/NAME (the growing corpus, git-ignored; made from
# fuzz/seeds/NAME and fuzz/regress/NAME), with fuzz/NAME.dict if there is
# one and -max_len from the harness's FUZZ_MAX_LEN.  A crash, leak or
# failed invariant is saved in fuzz/artifacts/NAME/ (git-ignored): copy it
# into fuzz/regress/NAME/ with the fix so make test replays it.  Ends with
# "fuzz NAME: N executions, N exec/s, status S".
set -u
cd "$(dirname "$0")/.." || exit 2
n=${1:?usage: sh fuzz/run.sh NAME [LIBFUZZER-OPTION...]}
shift
src=fuzz/fuzz_$n.c
bin=build-fuzz/fuzz/fuzz_$n
[ -f "$src" ] || { echo "run.sh: no harness $src" >&2; exit 2; }
make -s FUZZ=1 "$bin" || exit 2
maxlen=$(sed -n 's/^#define FUZZ_MAX_LEN \([0-9][0-9]*\).*/\1/p' "$src")
[ -n "$maxlen" ] || { echo "run.sh: $src has no '#define FUZZ_MAX_LEN N'" >&2; exit 2; }
corpus=fuzz/corpus/$n
art=fuzz/artifacts/$n
mkdir -p "$corpus" "$art"
set -- -max_len="$maxlen" -artifact_prefix="$art/" -print_final_stats=1 "$@"
[ -f "fuzz/$n.dict" ] && set -- -dict="fuzz/$n.dict" "$@"
if [ -n "${FUZZ_RUNS:-}" ]; then
    set -- -runs="$FUZZ_RUNS" "$@"
else
    set -- -max_total_time="${FUZZ_TIME:-60}" "$@"
fi
dirs="$corpus fuzz/seeds/$n"
[ -d "fuzz/regress/$n" ] && dirs="$dirs fuzz/regress/$n"
log=${FUZZ_LOG:-$art/last.log} # FUZZ_LOG: two runs of one harness at once
commit=$(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- src fuzz include 2>/dev/null || echo +changes)
# shellcheck disable=SC2086 # the directories are words
nice -n 19 "$bin" "$@" $dirs 2>"$log"
rc=$?
grep -E '^(==[0-9]+==|SUMMARY|.*fuzz invariant failed|artifact_prefix|Test unit written)' "$log" | head -20
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
echo "fuzz $n: ${runs:-?} executions, ${speed:-?} exec/s, status $rc (commit $commit)"
exit "$rc"
