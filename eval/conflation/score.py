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
"""

import argparse
import sys
from collections import Counter, defaultdict


def pairs(n):
    """Number of unordered pairs in a group of n items."""
    return n * (n - 1) // 2


def read_types(stream):
    """Return {(form, lemma): stem} over distinct types, in first-seen order."""
    types = {}
    conflicts = 0
    for lineno, line in enumerate(stream, 1):
        line = line.rstrip("\r\n")
        if not line:
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            sys.exit(f"score.py: line {lineno}: expected form<TAB>lemma<TAB>stem, got {len(cols)} column(s)")
        form, lemma, stem = cols[0], cols[1], cols[2]
        if not form:
            continue
        key = (form, lemma)
        if key not in types:
            types[key] = stem
        elif types[key] != stem:
            conflicts += 1
    if conflicts:
        print(f"score.py: warning: {conflicts} row(s) gave a known (form, lemma) type another stem; "
              "kept the first", file=sys.stderr)
    return types


def score(types):
    """Return (precision, recall, f1, counts) for a {(form, lemma): stem} map."""
    lemma_sizes = Counter(lemma for (_, lemma) in types)
    stem_sizes = Counter(types.values())
    both_sizes = Counter((lemma, stem) for (_, lemma), stem in types.items())

    same_lemma = sum(pairs(n) for n in lemma_sizes.values())
    same_stem = sum(pairs(n) for n in stem_sizes.values())
    same_both = sum(pairs(n) for n in both_sizes.values())

    # Convention for empty denominators: nothing to get wrong scores 1.0.
    precision = same_both / same_stem if same_stem else 1.0
    recall = same_both / same_lemma if same_lemma else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    counts = {"types": len(types), "same_lemma": same_lemma,
              "same_stem": same_stem, "same_both": same_both}
    return precision, recall, f1, counts


def describe(groups, limit=8):
    """Format {label: [forms]} as 'label: f1 f2 ... | label2: ...', biggest first."""
    items = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    parts = []
    for label, forms in items[:limit]:
        shown = " ".join(sorted(forms)[:limit])
        more = f" (+{len(forms) - limit})" if len(forms) > limit else ""
        parts.append(f"{label}: {shown}{more}")
    if len(items) > limit:
        parts.append(f"... +{len(items) - limit} more")
    return " | ".join(parts)


def print_errors(types, n, out):
    """List the n worst false-merge stem groups and split lemma groups."""
    by_stem = defaultdict(lambda: defaultdict(list))   # stem -> lemma -> forms
    by_lemma = defaultdict(lambda: defaultdict(list))  # lemma -> stem -> forms
    for (form, lemma), stem in types.items():
        by_stem[stem][lemma].append(form)
        by_lemma[lemma][stem].append(form)

    def wrong_pairs(sub):
        """Pairs in a group whose members fall in different sub-groups."""
        return pairs(sum(len(v) for v in sub.values())) - sum(pairs(len(v)) for v in sub.values())

    merges = [(wrong_pairs(sub), stem, sub) for stem, sub in by_stem.items() if len(sub) > 1]
    splits = [(wrong_pairs(sub), lemma, sub) for lemma, sub in by_lemma.items() if len(sub) > 1]
    # Worst first; ties broken by key so the listing is deterministic.
    merges.sort(key=lambda t: (-t[0], t[1]))
    splits.sort(key=lambda t: (-t[0], t[1]))

    print(f"\nfalse merges: {len(merges)} stem groups mix lemmas; worst {min(n, len(merges))} "
          "(stem [types, lemmas, wrong pairs] lemma: forms):", file=out)
    for bad, stem, sub in merges[:n]:
        size = sum(len(v) for v in sub.values())
        print(f"  {stem or '(empty)'} [{size}, {len(sub)}, {bad}]  {describe(sub)}", file=out)

    print(f"\nsplits: {len(splits)} lemma groups span several stems; worst {min(n, len(splits))} "
          "(lemma [types, stems, missed pairs] stem: forms):", file=out)
    for bad, lemma, sub in splits[:n]:
        size = sum(len(v) for v in sub.values())
        relabelled = {(s or "(empty)"): forms for s, forms in sub.items()}
        print(f"  {lemma} [{size}, {len(sub)}, {bad}]  {describe(relabelled)}", file=out)


def main():
    ap = argparse.ArgumentParser(description="Pairwise conflation P/R/F1 of form<TAB>lemma<TAB>stem rows.")
    ap.add_argument("file", nargs="?", help="TSV input (default: stdin)")
    ap.add_argument("--name", default="stemmer", help="system name shown in the output")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown row | name | P | R | F1 |")
    ap.add_argument("--errors", type=int, default=0, metavar="N",
                    help="also list the N worst false-merge stem groups and split lemma groups")
    args = ap.parse_args()

    if args.file and args.file != "-":
        with open(args.file, encoding="utf-8") as f:
            types = read_types(f)
    else:
        types = read_types(open(sys.stdin.fileno(), encoding="utf-8", closefd=False))

    p, r, f1, c = score(types)
    if args.markdown:
        print(f"| {args.name} | {p:.3f} | {r:.3f} | {f1:.3f} |")
    else:
        print(f"{args.name}  P {p:.4f}  R {r:.4f}  F1 {f1:.4f}  types {c['types']}")
    if args.errors > 0:
        print(f"\n{args.name}: {c['types']} types; pairs: same lemma {c['same_lemma']}, "
              f"same stem {c['same_stem']}, both {c['same_both']}")
        print_errors(types, args.errors, sys.stdout)


if __name__ == "__main__":
    main()
