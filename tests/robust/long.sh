#!/bin/sh
# long.sh — the long robustness runs (make robust-long): 20 SIGKILLs during
# an ingest of ../shared/data/news/news.tsv (a synthetic corpus without
# it), a 200 MB single line and a 1 GB input with their peak RSS.  Minutes;
# run it alone on a quiet machine.  Ends with "robust-long: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${B:-build}
export B
sh tests/robust/crash.sh --long 2>&1 | tee "${TMPDIR:-/tmp}/fahras-robust-long.log"
sh tests/robust/limits.sh --long 2>&1 | tee -a "${TMPDIR:-/tmp}/fahras-robust-long.log"
p=$(grep -c '^ok ' "${TMPDIR:-/tmp}/fahras-robust-long.log")
f=$(grep -c '^FAIL' "${TMPDIR:-/tmp}/fahras-robust-long.log")
echo "robust-long: $p passed, $f failed"
[ "$f" -eq 0 ]
