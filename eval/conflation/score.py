#!/usr/bin/env python3
"""Conflation scorer: how well does a stemmer group the word forms of a lemma?

Input: TSV rows ``form<TAB>lemma<TAB>stem`` (a file argument, or stdin).
Blank lines and rows with an empty form are ignored.

The unit is the DISTINCT (form, lemma) type: repeated rows count once, and a
form seen with two lemmas is two types.  (A stem depends on the form only, so
if the same type arrives with two different stems the first one is kept and a
warning is written to stderr.)

Pairwise metrics over unordered pairs of distinct types:

    recall    = #pairs with same lemma AND same stem / #pairs with same lemma
    precision = #pairs with same lemma AND same stem / #pairs with same stem
    F1        = harmonic mean of the two

Pair counts come from group sizes: a group of n types holds n*(n-1)/2 pairs,
so  same-lemma pairs = sum over lemma groups, same-stem pairs = sum over stem
groups, and pairs with both = sum over (lemma, stem) groups.  No pair is ever
enumerated, so the cost is linear in the number of types.

Output: one line ``name  P  R  F1  types`` (``--markdown``: one Markdown table
row ``| name | P | R | F1 |``).  ``--errors N`` then lists, for error analysis,
the N worst false-merge stem groups (stem groups mixing lemmas, ranked by the
number of wrongly merged pairs) and the N worst split lemma groups (lemma
groups spread over several stems, ranked by the number of missed pairs).

Example:
    paste forms_lemmas.tsv stems.txt | score.py --name lucene --errors 10

This file is a thin wrapper: the logic lives in eval/score.py (the project's
one scorer) and is the same as ``eval/score.py conflation``.
"""

import argparse
import importlib.util
import os
import sys

sys.dont_write_bytecode = True   # leave no __pycache__ in the source tree

_spec = importlib.util.spec_from_file_location(
    "fahras_score", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "score.py"))
_score = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_score)


def main():
    ap = argparse.ArgumentParser(description="Pairwise conflation P/R/F1 of form<TAB>lemma<TAB>stem rows.")
    _score.add_conflation_args(ap)
    _score.cmd_conflation(ap.parse_args())


if __name__ == "__main__":
    main()
