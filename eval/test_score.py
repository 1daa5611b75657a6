#!/usr/bin/env python3
"""Unit checks of eval/score.py on tiny hand-made inputs (expected values worked out by hand).

    python3 eval/test_score.py        # exits non-zero on any failure
"""

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # leave no __pycache__ in the source tree
sys.path.insert(0, HERE)
import score  # noqa: E402  (eval/score.py)

SCORE = os.path.join(HERE, "score.py")
WRAPPER = os.path.join(HERE, "conflation", "score.py")


def run_cli(*args, stdin=None):
    p = subprocess.run([sys.executable, *args], input=stdin, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


class TempFiles(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path


# ---------------------------------------------------------------- trec
QRELS = """\
q1 0 d1 1
q2 0 d2 1
q2 0 d3 1
q2 0 d4 0
q3 0 d9 1
q4 0 d1 0
"""
# q1: relevant d1 second                -> RR 1/2, S@1 0, S@10 1, R@10 1,   R@100 1
# q2: d3 first, d2 at rank 50 (lines out of order in the file)
#                                        -> RR 1,   S@1 1, S@10 1, R@10 1/2, R@100 1
# q3: no result line at all              -> 0 everywhere
# q4: only rel=0 judgements              -> not a query
# q5: not in the qrels                   -> ignored
RUN = "q1 Q0 d5 1 9.0 t\nq1 Q0 d1 2 8.0 t\n" + \
      "".join(f"q2 Q0 x{r} {r} {100 - r}.0 t\n" for r in range(49, 1, -1)) + \
      "q2 Q0 d2 50 1.0 t\nq2 Q0 d3 1 99.0 t\nq5 Q0 d1 1 1.0 t\n"


class TestTrec(TempFiles):
    def scores(self, qrels, run):
        return score.trec_scores(score.read_qrels(io.StringIO(qrels)), score.read_run(io.StringIO(run)))

    def test_hand_example(self):
        s = self.scores(QRELS, RUN)
        self.assertEqual(s["queries"], 3)
        self.assertEqual(s["queries_without_results"], 1)
        self.assertAlmostEqual(s["mrr@10"], (0.5 + 1 + 0) / 3)
        self.assertAlmostEqual(s["success@1"], 1 / 3)
        self.assertAlmostEqual(s["success@10"], 2 / 3)
        self.assertAlmostEqual(s["recall@10"], (1 + 0.5 + 0) / 3)
        self.assertAlmostEqual(s["recall@100"], (1 + 1 + 0) / 3)

    def test_cutoffs_and_rank_order(self):
        qrels = "a 0 rel 1\nb 0 rel 1\nc 0 rel 1\n"
        run = "".join(f"a Q0 n{r} {r} 0 t\n" for r in range(1, 11)) + "a Q0 rel 11 0 t\n"  # 11th
        run += "b Q0 rel 10 0 t\n" + "".join(f"b Q0 n{r} {r} 0 t\n" for r in range(1, 10))  # 10th
        run += "".join(f"c Q0 n{r} {r} 0 t\n" for r in range(1, 101)) + "c Q0 rel 101 0 t\n"  # 101st
        s = self.scores(qrels, run)
        self.assertAlmostEqual(s["mrr@10"], (0 + 0.1 + 0) / 3)
        self.assertAlmostEqual(s["success@1"], 0)
        self.assertAlmostEqual(s["success@10"], 1 / 3)
        self.assertAlmostEqual(s["recall@10"], 1 / 3)
        self.assertAlmostEqual(s["recall@100"], 2 / 3)

    def test_repeated_docid_counts_once(self):
        # d0 twice: after dropping the repeat, 'rel' (rank 11 in the file) is 10th.
        run = "q Q0 d0 1 0 t\nq Q0 d0 2 0 t\n" + "".join(f"q Q0 d{r} {r + 1} 0 t\n" for r in range(1, 9))
        run += "q Q0 rel 11 0 t\n"
        s = self.scores("q 0 rel 1\n", run)
        self.assertAlmostEqual(s["mrr@10"], 0.1)
        self.assertAlmostEqual(s["success@10"], 1.0)

    def test_cli_markdown_and_kv(self):
        q, r = self.write("q", QRELS), self.write("r", RUN)
        rc, out, err = run_cli(SCORE, "trec", q, r, "--name", "toy")
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "| toy | 0.500 | 0.333 | 0.667 | 0.500 | 0.667 |\n")
        rc, out, err = run_cli(SCORE, "trec", q, r, "--name", "toy", "--kv")
        self.assertEqual(rc, 0, err)
        kv = dict(line.split("=", 1) for line in out.splitlines())
        self.assertEqual(kv["mrr@10"], "0.5000")
        self.assertEqual(kv["recall@100"], "0.6667")
        self.assertEqual(kv["queries"], "3")
        rc, out, _ = run_cli(SCORE, "trec", q, r, "--header")
        self.assertTrue(out.startswith("| system | MRR@10 |"))

    def test_bad_run_line_fails(self):
        q, r = self.write("q", QRELS), self.write("r", "q1 Q0 d1 one 1.0 t\n")
        rc, _, err = run_cli(SCORE, "trec", q, r)
        self.assertNotEqual(rc, 0)
        self.assertIn("rank", err)


# ---------------------------------------------------------------- segmentation
GOLD = """\
refTok(Farasa)\trefPOS(Farasa)
#\tPUNC
و+ال+كتاب\tCONJ+DET+NOUN
كتب\tV
+\tPUNC
ال+بيت\tDET+NOUN
"""
PRED = """\
#
و+الكتاب
كت+ب
+

ال+بيت
"""
# words: و+ال+كتاب gold {1,3} pred {1}: wrong, 1 correct of 1 predicted / 2 gold
#        كتب       gold {}    pred {2}: wrong, 0 of 1 / 0
#        +         gold {}    pred {}:  right (the plus sign is not a boundary)
#        ال+بيت    gold {2}   pred {2}: right, 1 of 1 / 1
# -> accuracy 2/4; P = 2/3, R = 2/3, F1 = 2/3


class TestSegmentation(TempFiles):
    def test_boundaries(self):
        self.assertEqual(score.boundaries(["و", "ال", "كتاب"]), {1, 3})
        self.assertEqual(score.boundaries(["كتاب"]), set())

    def test_hand_example(self):
        g = [s for _, s in score.read_segmented(io.StringIO(GOLD))]
        p = [s for _, s in score.read_segmented(io.StringIO(PRED))]
        self.assertEqual(len(g), 4)
        s = score.seg_scores(g, p)
        self.assertAlmostEqual(s["word_accuracy"], 0.5)
        self.assertAlmostEqual(s["boundary_precision"], 2 / 3)
        self.assertAlmostEqual(s["boundary_recall"], 2 / 3)
        self.assertAlmostEqual(s["boundary_f1"], 2 / 3)
        self.assertEqual((s["gold_boundaries"], s["pred_boundaries"], s["correct_boundaries"]), (3, 3, 2))
        self.assertEqual(s["letters_differ"], 0)

    def test_unequal_p_and_r(self):
        # gold {1,3} and {2}
        g = [["و", "ال", "كتاب"], ["ال", "بيت"]]
        p = [["و", "ا", "ل", "كتاب"], ["البيت"]]   # {1,2,3} and {}
        s = score.seg_scores(g, p)
        self.assertAlmostEqual(s["boundary_precision"], 2 / 3)   # 2 of {1,2,3}
        self.assertAlmostEqual(s["boundary_recall"], 2 / 3)      # 2 of {1,3} + {2}
        p = [["و", "ال", "كتاب"], ["البيت"]]                      # {1,3} and {}
        s = score.seg_scores(g, p)
        self.assertAlmostEqual(s["boundary_precision"], 1.0)
        self.assertAlmostEqual(s["boundary_recall"], 2 / 3)
        self.assertAlmostEqual(s["boundary_f1"], 0.8)
        self.assertAlmostEqual(s["word_accuracy"], 0.5)

    def test_no_boundaries_anywhere(self):
        s = score.seg_scores([["a"]], [["a"]])
        self.assertEqual((s["word_accuracy"], s["boundary_precision"], s["boundary_recall"]), (1.0, 1.0, 1.0))

    def test_letters_differ_is_counted(self):
        s = score.seg_scores([["أ", "كتب"]], [["ا", "كتب"]])  # normalised alef: same offsets
        self.assertEqual(s["letters_differ"], 1)
        self.assertAlmostEqual(s["word_accuracy"], 1.0)

    def test_cli(self):
        g, p = self.write("g", GOLD), self.write("p", PRED)
        rc, out, err = run_cli(SCORE, "segmentation", g, p, "--name", "toy")
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "| toy | 0.500 | 0.667 | 0.667 | 0.667 | 4 |\n")
        rc, out, err = run_cli(SCORE, "segmentation", g, p, "--kv")
        kv = dict(line.split("=", 1) for line in out.splitlines())
        self.assertEqual(kv["word_accuracy"], "0.5000")
        self.assertEqual(kv["words"], "4")

    def test_misaligned_fails(self):
        g, p = self.write("g", GOLD), self.write("p", PRED + "زائد\n")
        rc, _, err = run_cli(SCORE, "segmentation", g, p)
        self.assertNotEqual(rc, 0)
        self.assertIn("words", err)


# ---------------------------------------------------------------- conflation
CONF = "a\tL1\ts1\nb\tL1\ts1\nc\tL1\ts2\nd\tL2\ts2\na\tL1\ts1\n\n"
# types a b c (L1), d (L2); stems a b -> s1, c d -> s2.
# same-lemma pairs: C(3,2) = 3; same-stem: 1 + 1 = 2; both: (a,b) = 1
# -> P = 1/2, R = 1/3, F1 = 2 * (1/6) / (5/6) = 0.4


class TestConflation(TempFiles):
    def test_hand_example(self):
        p, r, f1, c = score.conflation_score(score.read_types(io.StringIO(CONF)))
        self.assertAlmostEqual(p, 0.5)
        self.assertAlmostEqual(r, 1 / 3)
        self.assertAlmostEqual(f1, 0.4)
        self.assertEqual(c, {"types": 4, "same_lemma": 3, "same_stem": 2, "same_both": 1})

    def test_empty_denominators(self):
        p, r, f1, _ = score.conflation_score({("a", "L1"): "s1", ("b", "L2"): "s2"})
        self.assertEqual((p, r, f1), (1.0, 1.0, 1.0))

    def test_conflicting_stem_keeps_first(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            types = score.read_types(io.StringIO("a\tL\ts1\na\tL\ts2\n"))
        self.assertEqual(types, {("a", "L"): "s1"})
        self.assertIn("1 row(s)", err.getvalue())

    def test_cli_and_wrapper_agree(self):
        f = self.write("c", CONF)
        rc, out, err = run_cli(SCORE, "conflation", f, "--name", "toy")
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "toy  P 0.5000  R 0.3333  F1 0.4000  types 4\n")
        rc, md, _ = run_cli(SCORE, "conflation", "--markdown", "--name", "toy", stdin=CONF)
        self.assertEqual(md, "| toy | 0.500 | 0.333 | 0.400 |\n")
        for args in ([f], ["--markdown", f], ["--errors", "3", "--name", "x", f]):
            self.assertEqual(run_cli(WRAPPER, *args), run_cli(SCORE, "conflation", *args), args)


if __name__ == "__main__":
    unittest.main(verbosity=1)
