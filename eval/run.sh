#!/bin/sh
# eval/run.sh — quality evaluations of fahras beside the anchor systems.
#
#   sh eval/run.sh [--smoke]
#
# Tasks (each skips with a message when its data in ../shared/data is absent):
#   conflation   PADT dev form -> lemma: pairwise P/R/F1 of stems (eval/conflation)
# --smoke runs each on a small slice (for CI).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
echo "## Conflation (PADT dev): words of one lemma should share a stem"
echo
bash "$ROOT/eval/conflation/run.sh" "$@"
