#!/bin/sh
# bench/fts5.sh — SQLite FTS5 indexing speed: tokenize='fahras' beside
# tokenize='unicode61 remove_diacritics 2', same SQLite, same text, same run.
#
#   sh bench/fts5.sh [--smoke] [--passes N] [--max-bytes N]
#
# Reads the bodies of ../shared/data/news/news.tsv (FAHRAS_DATA overrides the
# data folder); skips with a message when it is absent.  build/fts5_bench
# indexes them into a fresh in-memory contentless FTS5 table per pass and
# tokenizer, alternating the two, N passes (default 3); median MB/s and the
# ratio fahras / unicode61 (goal: >= 0.8), by wall time and by CPU time (the
# machine is shared).  --smoke: 2 MB, 1 pass (for CI).
set -eu
. "$(dirname "$0")/args.sh"
bench_args 3 "$@"
cd "$ROOT"
make -s build/fts5_bench
echo "Machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(date -u +%Y-%m-%d)"
echo "SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1); input: bodies of $NEWS$( [ "$MAX" -gt 0 ] && echo ", first $MAX bytes"), $PASSES passes each"
echo
OUT=$(build/fts5_bench "$NEWS" "$PASSES" "$MAX" 2>/dev/null)
echo "$OUT" | grep '^pass'
echo
echo "| FTS5 tokenizer | index MB/s median | min-max | MB per CPU-second median | min-max |"
echo "|---|---|---|---|---|"
echo "$OUT" | sed -n 's/^median \(.*\): \([0-9.]*\) MB\/s (\(.*\)), \([0-9.]*\) MB\/cpu-s (\(.*\))$/| \1 | \2 | \3 | \4 | \5 |/p'
echo
echo "fahras / unicode61: $(echo "$OUT" | sed -n 's/^ratio: \([0-9.]*\) wall, \([0-9.]*\) cpu$/\1x wall time, \2x CPU time/p') (goal >= 0.8x)"
