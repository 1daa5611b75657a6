#!/bin/sh
# eval/run.sh — quality evaluations of fahras beside the anchor systems.
#
#   sh eval/run.sh [--smoke]
#
# Tasks (each skips with a message when its data in ../shared/data is absent;
# FAHRAS_DATA overrides the data folder):
#   conflation   PADT dev form -> lemma: pairwise P/R/F1 of stems (eval/conflation)
#   segmentation Farasa WikiNews gold: word accuracy, boundary P/R/F1
#                (eval/segmentation; fahras's row lands with issue 6)
#   retrieval    known-item search on news/ and question -> passage on
#                qa_retrieval/: MRR@10, Success@1/10, Recall@10/100 for every
#                system with an eval/retrieval/S/run.sh (eval/retrieval)
# All metrics come from one scorer, eval/score.py.  --smoke runs each on a
# small slice (for CI: it checks the harness, not quality).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
echo "## Conflation (PADT dev): words of one lemma should share a stem"
echo
bash "$ROOT/eval/conflation/run.sh" "$@"
echo
echo "## Segmentation (Farasa scheme, WikiNews dev)"
echo
sh "$ROOT/eval/segmentation/run.sh" "$@"
echo
echo "## Retrieval"
echo
bash "$ROOT/eval/retrieval/run.sh" "$@"
