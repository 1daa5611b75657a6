#!/usr/bin/env bash
# SQLite FTS5 with the fahras tokenizer, for the retrieval evaluation: the
# same harness, table, bm25() and query form (OR of quoted query tokens) as
# the fts5 baseline (eval/retrieval/fts5/fts5_eval.py), with
# tokenize='fahras' (build/fahras_sqlite.so) instead of unicode61, so the
# difference is the analysis alone.  Queries are split by fahras_tokens().
#
#   eval/retrieval/fts5_fahras/run.sh --task known_item|qa --out DIR [--smoke]
#
# Writes DIR/fts5_fahras.TASK.run and .stats (see eval/retrieval/run.sh);
# the index is build/eval/fts5_fahras/TASK[.smoke].db.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)

# shellcheck source=../runner.sh
. "$ROOT/eval/retrieval/runner.sh"
runner_args fts5_fahras "$@"

make -s -C "$ROOT" build/fahras_sqlite.so >/dev/null
mkdir -p "$out" "$ROOT/build/eval/fts5_fahras"
db="$ROOT/build/eval/fts5_fahras/$task$([ ${#smoke[@]} = 0 ] || echo .smoke).db"
exec python3 "$ROOT/eval/retrieval/fts5/fts5_eval.py" --task "$task" --data "$DATA" \
    --db "$db" --out "$out" --system fts5_fahras --tokenize fahras \
    --extension "$ROOT/build/fahras_sqlite.so" "${smoke[@]+"${smoke[@]}"}"
