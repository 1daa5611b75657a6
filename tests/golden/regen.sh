#!/bin/sh
# regen.sh — rewrite golden .expected files from the current build.  Run it
# only on purpose, after reading why a golden test fails:
#
#   B=build sh tests/golden/regen.sh            every case in tests/golden/cases
#   B=build sh tests/golden/regen.sh stem json  only these cases
#
# For each case it prints the diff between the old and the new expected
# output (for normalize and stem, each line next to its input line), then
# writes the new file.  Review every changed line before committing: a
# changed output is a behaviour change, never just "the new truth".
set -u

G=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$G/../.." && pwd)
cd "$ROOT" || exit 2
B=${B:-build}
LC_ALL=C
export LC_ALL
if [ ! -x "$B/fahras" ]; then
    echo "regen: $B/fahras not found; build first (make)" >&2
    exit 2
fi
GW=$(mktemp -d "${TMPDIR:-/tmp}/fahras-regen.XXXXXX") || exit 2
trap 'rm -rf "$GW"' EXIT
. "$G/lib.sh"

wanted() {
    [ "$#" -eq 0 ] && return 0
    for _w in "$@"; do
        [ "$_w" = "$name" ] && return 0
    done
    return 1
}

errors=0 changed=0 seen=0
only="$*"
while read -r name status input cmd rest; do
    case $name in '' | '#'*) continue ;; esac
    # shellcheck disable=SC2086 # the list of wanted names is words
    wanted $only || continue
    seen=$((seen + 1))
    # shellcheck disable=SC2086 # the options are words
    set -- $cmd $rest
    if ! golden_actual "$name" "$status" "$input" "$@"; then
        echo "regen: $name not rewritten" >&2
        errors=$((errors + 1))
        continue
    fi
    if [ -f "$G/$name.expected" ] && cmp -s "$G/$name.expected" "$GW/$name.out"; then
        echo "unchanged: $name.expected"
        continue
    fi
    echo "=== $name.expected (fahras $* < $input):"
    golden_diff "$name" "$G/$name.expected" "$GW/$name.out" "$cmd"
    cp "$GW/$name.out" "$G/$name.expected"
    changed=$((changed + 1))
done <"$G/cases"
if [ -n "$only" ] && [ "$seen" -eq 0 ]; then
    echo "regen: no case named $only in $G/cases" >&2
    exit 2
fi
echo "regen: $changed file(s) rewritten, $errors error(s)"
[ "$errors" -eq 0 ]
