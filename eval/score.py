#!/usr/bin/env python3
"""fahras evaluation scorer: the one place where quality metrics are computed.

    eval/score.py trec QRELS RUN [--name N] [--kv] [--header]
    eval/score.py segmentation GOLD PRED [--name N] [--kv] [--header]
    eval/score.py conflation [FILE] [--name N] [--markdown] [--errors N]

Python 3 standard library only.  Unit checks: python3 eval/test_score.py

trec — ranked retrieval against TREC qrels
------------------------------------------
QRELS: ``qid 0 docid rel`` lines; a document is relevant when rel > 0.  The
query set is every qid with at least one relevant document (qids whose qrels
are all rel <= 0 have no recall denominator and are ignored, as trec_eval
does).  RUN: TREC run lines ``qid Q0 docid rank score tag``; each query's list
is taken in ascending RANK order (ties keep file order), a docid repeated
within a query counts at its first position only, and queries absent from the
qrels are ignored.  A qrels query with no run line scores 0 on every metric.

    MRR@10      mean of 1/position of the first relevant document in the top
                10 (0 when none)
    Success@k   share of queries with a relevant document in the top k (k=1,10)
    Recall@k    mean over queries of |relevant in top k| / |relevant| (k=10,100)

Output: one Markdown row ``| name | MRR@10 | Success@1 | Success@10 |
Recall@10 | Recall@100 |`` (3 decimals; ``--header`` prints the table header
first), or with ``--kv`` key=value lines (4 decimals) plus ``queries`` (qrels
queries scored) and ``queries_without_results``.

segmentation — clitic/morpheme segmentation against a gold file
---------------------------------------------------------------
GOLD and PRED hold one word a line, its segments joined with ``+``
(``و+ال+تلفزيون``); anything after a TAB (the gold's POS column) is ignored.
Both files are read with the same rules: blank lines and section markers (a
line whose word is ``#``) are skipped, and so is a first line that is a
column header (it has a TAB and its second column contains a lower-case ASCII
letter or ``(``, e.g. ``refTok(Farasa)<TAB>refPOS(Farasa)``; POS tags are
upper case).  A word made of ``+`` signs only (the plus sign as punctuation)
is one unsegmented segment.  The remaining lines must pair up one to one.

A word's boundaries are the character offsets where one segment ends and the
next starts (a word of k segments has k-1).  A word is right when its
predicted boundary set equals the gold set (for identical letters: all
segments right).  Words whose letters differ between the files (the segments
joined without ``+``) are counted and reported on stderr; they are still
scored by boundary offsets.

    word_accuracy   words right / words
    boundary P/R/F1 pooled over all words: correct boundaries / predicted,
                    correct / gold, harmonic mean (empty denominators give 1.0)

Output: ``| name | word acc | boundary P | boundary R | boundary F1 | words |``
or ``--kv`` key=value lines.

conflation — pairwise conflation P/R/F1 of a stemmer
----------------------------------------------------
See conflation_* below; ``eval/conflation/score.py`` is a thin wrapper that
calls ``score.py conflation`` (same options, same output).
"""

import argparse
import re
import sys
from collections import Counter, defaultdict


def die(msg):
    sys.exit(f"score.py: {msg}")


def open_text(path):
    """Open a UTF-8 text file, or stdin for None / '-'."""
    if path and path != "-":
        return open(path, encoding="utf-8")
    return open(sys.stdin.fileno(), encoding="utf-8", closefd=False)


# =============================================================================
# trec
# =============================================================================

TREC_METRICS = ("mrr@10", "success@1", "success@10", "recall@10", "recall@100")
TREC_HEADER = ("| system | MRR@10 | Success@1 | Success@10 | Recall@10 | Recall@100 |\n"
               "|---|---|---|---|---|---|")


def read_qrels(stream):
    """Return {qid: set(relevant docids)} for qids with at least one rel > 0."""
    rel = defaultdict(set)
    for lineno, line in enumerate(stream, 1):
        cols = line.split()
        if not cols:
            continue
        if len(cols) != 4:
            die(f"qrels line {lineno}: expected 'qid 0 docid rel', got {len(cols)} field(s)")
        qid, _, docid, grade = cols
        try:
            g = int(grade)
        except ValueError:
            die(f"qrels line {lineno}: relevance {grade!r} is not an integer")
        if g > 0:
            rel[qid].add(docid)
    return dict(rel)


def read_run(stream):
    """Return {qid: [docid, ...]} in ascending rank order, first occurrence of each docid."""
    rows = defaultdict(list)
    for lineno, line in enumerate(stream, 1):
        cols = line.split()
        if not cols:
            continue
        if len(cols) != 6:
            die(f"run line {lineno}: expected 'qid Q0 docid rank score tag', got {len(cols)} field(s)")
        try:
            rank = int(cols[3])
        except ValueError:
            die(f"run line {lineno}: rank {cols[3]!r} is not an integer")
        rows[cols[0]].append((rank, lineno, cols[2]))
    run = {}
    for qid, items in rows.items():
        items.sort()
        seen = set()
        ranked = []
        for _, _, docid in items:
            if docid not in seen:
                seen.add(docid)
                ranked.append(docid)
        run[qid] = ranked
    return run


def trec_scores(qrels, run):
    """Mean metrics over the qrels queries; returns a dict (TREC_METRICS + counts)."""
    sums = dict.fromkeys(TREC_METRICS, 0.0)
    no_results = 0
    for qid, relevant in qrels.items():
        ranked = run.get(qid, [])
        if not ranked:
            no_results += 1
            continue
        first = next((i for i, d in enumerate(ranked[:10], 1) if d in relevant), 0)
        if first:
            sums["mrr@10"] += 1.0 / first
            sums["success@10"] += 1.0
            if first == 1:
                sums["success@1"] += 1.0
        sums["recall@10"] += sum(d in relevant for d in ranked[:10]) / len(relevant)
        sums["recall@100"] += sum(d in relevant for d in ranked[:100]) / len(relevant)
    n = len(qrels)
    out = {k: (v / n if n else 0.0) for k, v in sums.items()}
    out["queries"] = n
    out["queries_without_results"] = no_results
    return out


def cmd_trec(args):
    with open_text(args.qrels) as f:
        qrels = read_qrels(f)
    with open_text(args.run) as f:
        run = read_run(f)
    if not qrels:
        die(f"{args.qrels}: no query with a relevant document")
    s = trec_scores(qrels, run)
    if args.kv:
        print(f"name={args.name}")
        for k in TREC_METRICS:
            print(f"{k}={s[k]:.4f}")
        print(f"queries={s['queries']}")
        print(f"queries_without_results={s['queries_without_results']}")
    else:
        if args.header:
            print(TREC_HEADER)
        print(f"| {args.name} | " + " | ".join(f"{s[k]:.3f}" for k in TREC_METRICS) + " |")


# =============================================================================
# segmentation
# =============================================================================

SEG_HEADER = ("| system | word acc | boundary P | boundary R | boundary F1 | words |\n"
              "|---|---|---|---|---|---|")
_HEADER_POS = re.compile(r"[a-z(]")


def read_segmented(stream):
    """Return [(lineno, [segments])] with blank, '#' marker and header lines dropped."""
    words = []
    for lineno, line in enumerate(stream, 1):
        line = line.rstrip("\r\n")
        word, tab, rest = line.partition("\t")
        if lineno == 1 and tab and _HEADER_POS.search(rest.split("\t")[0]):
            continue                       # column header, e.g. refTok(Farasa)<TAB>refPOS(Farasa)
        word = word.strip()
        if not word or word == "#":
            continue
        if word.strip("+") == "":          # the plus sign itself, not a boundary
            segs = [word]
        else:
            segs = word.split("+")
        words.append((lineno, segs))
    return words


def boundaries(segs):
    """Character offsets of the segment boundaries inside a word (empty segments ignored)."""
    out = set()
    pos = 0
    segs = [s for s in segs if s]
    for s in segs[:-1]:
        pos += len(s)
        out.add(pos)
    return out


def seg_scores(gold, pred):
    """Score aligned lists of segment lists; returns a dict of metrics and counts."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} words, prediction {len(pred)}")
    right = n_gold = n_pred = n_both = letters_differ = 0
    for g, p in zip(gold, pred):
        gb, pb = boundaries(g), boundaries(p)
        right += gb == pb
        n_gold += len(gb)
        n_pred += len(pb)
        n_both += len(gb & pb)
        letters_differ += "".join(g) != "".join(p)
    precision = n_both / n_pred if n_pred else 1.0
    recall = n_both / n_gold if n_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"word_accuracy": right / len(gold) if gold else 1.0,
            "boundary_precision": precision, "boundary_recall": recall, "boundary_f1": f1,
            "words": len(gold), "words_right": right, "gold_boundaries": n_gold,
            "pred_boundaries": n_pred, "correct_boundaries": n_both,
            "letters_differ": letters_differ}


def cmd_segmentation(args):
    with open_text(args.gold) as f:
        gold = read_segmented(f)
    with open_text(args.pred) as f:
        pred = read_segmented(f)
    if len(gold) != len(pred):
        die(f"segmentation: {args.gold} has {len(gold)} words but {args.pred} has {len(pred)} "
            "(after dropping blank, '#' and header lines)")
    s = seg_scores([g for _, g in gold], [p for _, p in pred])
    if s["letters_differ"]:
        first = next(((gl, pl) for (gl, g), (pl, p) in zip(gold, pred) if "".join(g) != "".join(p)))
        print(f"score.py: warning: {s['letters_differ']} word(s) differ in letters between gold and "
              f"prediction (first: gold line {first[0]}, prediction line {first[1]})", file=sys.stderr)
    if args.kv:
        print(f"name={args.name}")
        for k in ("word_accuracy", "boundary_precision", "boundary_recall", "boundary_f1"):
            print(f"{k}={s[k]:.4f}")
        for k in ("words", "words_right", "gold_boundaries", "pred_boundaries",
                  "correct_boundaries", "letters_differ"):
            print(f"{k}={s[k]}")
    else:
        if args.header:
            print(SEG_HEADER)
        print(f"| {args.name} | {s['word_accuracy']:.3f} | {s['boundary_precision']:.3f} | "
              f"{s['boundary_recall']:.3f} | {s['boundary_f1']:.3f} | {s['words']} |")


# =============================================================================
# conflation (moved unchanged from eval/conflation/score.py)
# =============================================================================
#
# Conflation scorer: how well does a stemmer group the word forms of a lemma?
#
# Input: TSV rows ``form<TAB>lemma<TAB>stem`` (a file argument, or stdin).
# Blank lines and rows with an empty form are ignored.
#
# The unit is the DISTINCT (form, lemma) type: repeated rows count once, and a
# form seen with two lemmas is two types.  (A stem depends on the form only, so
# if the same type arrives with two different stems the first one is kept and a
# warning is written to stderr.)
#
# Pairwise metrics over unordered pairs of distinct types:
#
#     recall    = #pairs with same lemma AND same stem / #pairs with same lemma
#     precision = #pairs with same lemma AND same stem / #pairs with same stem
#     F1        = harmonic mean of the two
#
# Pair counts come from group sizes: a group of n types holds n*(n-1)/2 pairs,
# so  same-lemma pairs = sum over lemma groups, same-stem pairs = sum over stem
# groups, and pairs with both = sum over (lemma, stem) groups.  No pair is ever
# enumerated, so the cost is linear in the number of types.
#
# Output: one line ``name  P  R  F1  types`` (``--markdown``: one Markdown table
# row ``| name | P | R | F1 |``).  ``--errors N`` then lists, for error analysis,
# the N worst false-merge stem groups (stem groups mixing lemmas, ranked by the
# number of wrongly merged pairs) and the N worst split lemma groups (lemma
# groups spread over several stems, ranked by the number of missed pairs).
#
# Example:
#     paste forms_lemmas.tsv stems.txt | score.py conflation --name lucene --errors 10


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


def conflation_score(types):
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


def cmd_conflation(args):
    if args.file and args.file != "-":
        with open(args.file, encoding="utf-8") as f:
            types = read_types(f)
    else:
        types = read_types(open(sys.stdin.fileno(), encoding="utf-8", closefd=False))

    p, r, f1, c = conflation_score(types)
    if args.markdown:
        print(f"| {args.name} | {p:.3f} | {r:.3f} | {f1:.3f} |")
    else:
        print(f"{args.name}  P {p:.4f}  R {r:.4f}  F1 {f1:.4f}  types {c['types']}")
    if args.errors > 0:
        print(f"\n{args.name}: {c['types']} types; pairs: same lemma {c['same_lemma']}, "
              f"same stem {c['same_stem']}, both {c['same_both']}")
        print_errors(types, args.errors, sys.stdout)


# =============================================================================
# command line
# =============================================================================

def add_conflation_args(ap):
    ap.add_argument("file", nargs="?", help="TSV input (default: stdin)")
    ap.add_argument("--name", default="stemmer", help="system name shown in the output")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown row | name | P | R | F1 |")
    ap.add_argument("--errors", type=int, default=0, metavar="N",
                    help="also list the N worst false-merge stem groups and split lemma groups")


def build_parser():
    ap = argparse.ArgumentParser(prog="score.py", description="fahras evaluation scorer.",
                                 epilog="See the module docstring (head of eval/score.py) for definitions.")
    sub = ap.add_subparsers(dest="command", metavar="{trec,segmentation,conflation}")
    sub.required = True

    t = sub.add_parser("trec", help="MRR@10, Success@1/10, Recall@10/100 of a TREC run")
    t.add_argument("qrels", help="TREC qrels: qid 0 docid rel")
    t.add_argument("run", help="TREC run: qid Q0 docid rank score tag")
    t.add_argument("--name", default="system", help="system name shown in the output")
    t.add_argument("--kv", action="store_true", help="print key=value lines instead of a Markdown row")
    t.add_argument("--header", action="store_true", help="print the Markdown table header first")
    t.set_defaults(func=cmd_trec)

    s = sub.add_parser("segmentation", help="word accuracy and boundary P/R/F1 of seg+ments")
    s.add_argument("gold", help="gold file: segmented[<TAB>POS] one word a line")
    s.add_argument("pred", help="predicted file: segmented one word a line")
    s.add_argument("--name", default="system", help="system name shown in the output")
    s.add_argument("--kv", action="store_true", help="print key=value lines instead of a Markdown row")
    s.add_argument("--header", action="store_true", help="print the Markdown table header first")
    s.set_defaults(func=cmd_segmentation)

    c = sub.add_parser("conflation", help="pairwise conflation P/R/F1 of form<TAB>lemma<TAB>stem rows")
    add_conflation_args(c)
    c.set_defaults(func=cmd_conflation)
    return ap


def main(argv=None):
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
