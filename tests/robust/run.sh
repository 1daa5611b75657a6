#!/bin/sh
# run.sh — the quick robustness tests, run by tests/run.sh (make test):
# crash (3 kills), full disk, concurrency, encodings, limits.  Each script
# prints "ok   robust ..." / "FAIL: robust ..." lines and its figures.
#
#   B=build sh tests/robust/run.sh
#
# The long versions (20 kills on news.tsv, a 200 MB line, a 1 GB input) run
# with `make robust-long` (tests/robust/long.sh).
set -u
cd "$(dirname "$0")/../.." || exit 2
st=0
for t in crash diskfull concurrency encodings limits; do
    B=${B:-build} sh "tests/robust/$t.sh" || st=1
done
exit "$st"
