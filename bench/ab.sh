#!/bin/sh
# bench/ab.sh — is this change faster?  Analysis throughput of the working
# tree against another commit, on the same text, in alternating runs.
#
#   sh bench/ab.sh [--rounds N] [--slice N] [REV]      (REV default HEAD)
#
# Builds REV's analyze_bench in a git worktree (build-ab/, reused while REV
# is the same commit) and this tree's with make, then runs them in turn,
# N rounds (default 5), each run 5 timed passes over the slice (the two in
# ABBA order), and prints each run's best pass and, at the end, the mean and
# best of both, the ratio of the means and the median of the rounds' ratios
# (>1: the working tree is faster).  Take 12-16 rounds for a change of a few
# per cent: 8 rounds of means have shown +4 % and -5 % for the same pair.  The slice is every
# Nth line (default 10: ~20 MB) of news.tsv's bodies, written to build-ab/.
# Both builds must give the same tokens: their build/analyze_dump outputs
# over the slice are compared first (a difference is reported, exit 1).
#
# Why: on a shared machine one run's MB/s moves by 20-40 % from minute to
# minute; runs that alternate see the same noise, and the best pass of
# each is the least disturbed.  Callgrind counts (instructions) repeat
# exactly, but say nothing of memory stalls, which dominate here.
set -eu
. "$(dirname "$0")/args.sh"
ROUNDS=5 EVERY=10 REV=HEAD
while [ $# -gt 0 ]; do
    case $1 in
    --rounds) ROUNDS=$2; shift ;;
    --slice) EVERY=$2; shift ;;
    -*) echo "usage: sh bench/ab.sh [--rounds N] [--slice N] [REV]" >&2; exit 2 ;;
    *) REV=$1 ;;
    esac
    shift
done
bench_args 5
cd "$ROOT"
commit=$(git rev-parse --verify "$REV^{commit}") || exit 2
AB=$ROOT/build-ab
mkdir -p "$AB"
if [ "$(cat "$AB/commit" 2>/dev/null)" != "$commit" ]; then
    rm -rf "$AB/tree"
    git worktree prune
    git worktree add -q --detach "$AB/tree" "$commit"
    echo "$commit" > "$AB/commit"
fi
echo "building $REV ($(git rev-parse --short "$commit")) in build-ab/tree, and the working tree"
make -s -C "$AB/tree" build/analyze_bench build/analyze_dump >/dev/null
make -s build/analyze_bench build/analyze_dump >/dev/null
SLICE=$AB/slice-$EVERY.tsv
[ -s "$SLICE" ] || awk -v n="$EVERY" 'NR % n == 0' "$NEWS" > "$SLICE"
"$AB/tree/build/analyze_dump" "$SLICE" 0 > "$AB/dump.old"
build/analyze_dump "$SLICE" 0 > "$AB/dump.new"
if ! cmp -s "$AB/dump.old" "$AB/dump.new"; then
    echo "ab: the two builds give different tokens on $SLICE (diff $AB/dump.old $AB/dump.new)"
    exit 1
fi
best() { "$1" "$SLICE" 5 2>/dev/null | sed -n 's/^pass [0-9]*: \([0-9.]*\) MB.*/\1/p' | sort -n | tail -1; }
r=1
while [ "$r" -le "$ROUNDS" ]; do
    # ABBA: odd rounds run REV first, even rounds the working tree first
    if [ $((r % 2)) -eq 1 ]; then
        o=$(best "$AB/tree/build/analyze_bench")
        n=$(best build/analyze_bench)
    else
        n=$(best build/analyze_bench)
        o=$(best "$AB/tree/build/analyze_bench")
    fi
    echo "round $r: $REV $o MB/s, working tree $n MB/s"
    r=$((r + 1))
done | awk '{ print; o += $4; n += $8; if ($4 > bo) bo = $4; if ($8 > bn) bn = $8; q[++k] = $8 / $4 }
    END { for (i = 2; i <= k; i++) { v = q[i]; for (j = i - 1; j >= 1 && q[j] > v; j--) q[j + 1] = q[j]; q[j + 1] = v }
          med = k % 2 ? q[(k + 1) / 2] : (q[k / 2] + q[k / 2 + 1]) / 2
          printf "mean: %s %.1f, working tree %.1f MB/s; best %.1f vs %.1f; working tree / %s: %.3f\n",
                 "'"$REV"'", o / k, n / k, bo, bn, "'"$REV"'", n / o
          printf "per round, working tree / %s: median %.3f, %.3f-%.3f over %d rounds\n", "'"$REV"'", med, q[1], q[k], k }'
