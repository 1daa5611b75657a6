#!/usr/bin/env python3
"""breakdown.py GOLD PRED [--patterns N] [--errors N] — the segmentation scores
broken down: word accuracy by POS pattern of the gold (the N commonest
patterns) and the commonest errors (gold -> predicted, with counts).  GOLD is
`seg+ments<TAB>POS` a line, PRED `seg+ments` a line, aligned as eval/score.py
segmentation aligns them (it reuses its reader and boundary definition)."""
import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import score  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold")
    ap.add_argument("pred")
    ap.add_argument("--patterns", type=int, default=15)
    ap.add_argument("--errors", type=int, default=25)
    a = ap.parse_args()
    with open(a.gold, encoding="utf-8") as f:
        lines = f.read().split("\n")
    with open(a.gold, encoding="utf-8") as f:
        gold = score.read_segmented(f)
    with open(a.pred, encoding="utf-8") as f:
        pred = score.read_segmented(f)
    if len(gold) != len(pred):
        sys.exit(f"breakdown.py: {len(gold)} gold words, {len(pred)} predicted")
    by = collections.defaultdict(lambda: [0, 0])
    errs = collections.Counter()
    for (gl, g), (_, p) in zip(gold, pred):
        pos = lines[gl - 1].split("\t")[1] if "\t" in lines[gl - 1] else "?"
        ok = score.boundaries(g) == score.boundaries(p)
        by[pos][0] += ok
        by[pos][1] += 1
        if not ok:
            errs[("+".join(g), "+".join(p), pos)] += 1
    print("| POS pattern (gold) | words | word acc |")
    print("|---|---|---|")
    for pos, (r, n) in sorted(by.items(), key=lambda kv: -kv[1][1])[:a.patterns]:
        print(f"| {pos} | {n} | {r / n:.3f} |")
    print()
    print(f"Commonest errors ({sum(errs.values())} words wrong):")
    print()
    print("| gold | fahras | POS | count |")
    print("|---|---|---|---|")
    for (g, p, pos), c in errs.most_common(a.errors):
        print(f"| {g} | {p} | {pos} | {c} |")


if __name__ == "__main__":
    main()
