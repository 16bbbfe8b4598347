"""`plantasks eval` gives the reference scorer's numbers.

The expected values below were produced by the project's reference scorer (score.py GOLD OUT --json)
on tests/fixtures/review/eval: two documents with perturbed outputs (a trailing dot on an stt, a
wrong lead, a content typo, lost deadline items, a wrong area, a missed row, an extra row, an extra
output, an upper-cased section, a dropped support agency, a funding value, a rewritten content, a
wrong title and signer) and one document without output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plantasks.review.cli import main as review_main
from plantasks.review.evaluate import Counts, align, score_run

EVAL = Path(__file__).parent / "fixtures" / "review" / "eval"

REFERENCE_TOTAL = {
    "gold_rows": 17, "pred_rows": 14, "row_p": 0.8571428571428571, "row_r": 0.7058823529411765,
    "row_f1": 0.7741935483870968, "content": 0.9166666666666666, "content_sim": 0.9989583333333334, "stt": 1.0,
    "section": 1.0, "area": 0.9166666666666666, "deadline_raw": 1.0, "funding": 0.9166666666666666,
    "lead_f1": 0.9411764705882353, "support_f1": 0.9803921568627451, "outputs_f1": 0.9714285714285714,
    "deadline_f1": 0.9655172413793104, "meta": 0.6410256410256411,
}
REFERENCE_DOCS = [
    {"doc": "plan_a", "gold_rows": 8, "pred_rows": 8, "row_p": 0.875, "row_r": 0.875, "row_f1": 0.875,
     "content": 0.8571428571428571, "stt": 1.0, "area": 0.8571428571428571, "section": 1.0, "table": 1.0,
     "funding": 1.0, "deadline_raw": 1.0, "content_sim": 0.9982142857142857, "lead_f1": 0.9166666666666666,
     "support_f1": 1.0, "outputs_f1": 0.9523809523809523, "deadline_f1": 0.9411764705882353,
     "meta": 0.9230769230769231, "meta_wrong": ["signer"]},
    {"doc": "plan_b", "gold_rows": 6, "pred_rows": 6, "row_p": 0.8333333333333334, "row_r": 0.8333333333333334,
     "row_f1": 0.8333333333333334, "content": 1.0, "stt": 1.0, "area": 1.0, "section": 1.0, "table": 1.0,
     "funding": 0.8, "deadline_raw": 1.0, "content_sim": 1.0, "lead_f1": 1.0, "support_f1": 0.9473684210526316,
     "outputs_f1": 1.0, "deadline_f1": 1.0, "meta": 1.0, "meta_wrong": []},
    {"doc": "plan_c", "gold_rows": 3, "pred_rows": 0, "missing": True},
]
REFERENCE_TABLE_TOTAL = ("TOTAL                          17   14    0.774    0.917    0.999    1.000    1.000    0.917"
                         "    0.971    0.941    0.980    0.966    1.000    0.917    0.641")


def test_same_numbers_as_the_reference_scorer():
    report = score_run(EVAL / "gold", EVAL / "out")
    assert report["total"] == pytest.approx(REFERENCE_TOTAL, abs=1e-12)
    docs = [{k: v for k, v in r.items() if k != "_counts"} for r in report["docs"]]
    assert len(docs) == len(REFERENCE_DOCS)
    for got, want in zip(docs, REFERENCE_DOCS):
        assert got.keys() == want.keys()
        for k, v in want.items():
            assert got[k] == (pytest.approx(v, abs=1e-12) if isinstance(v, float) else v), (got["doc"], k)


def test_cli_prints_the_reference_table(capsys):
    assert review_main(["eval", str(EVAL / "out"), "--gold", str(EVAL / "gold")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == REFERENCE_TABLE_TOTAL
    assert lines[3].startswith("plan_c") and lines[3].endswith("(no output)")


def test_detail_lists_each_mismatch():
    misses = score_run(EVAL / "gold", EVAL / "out", detail=True)["misses"]
    fields = sorted(m["field"] for m in misses["plan_a"])
    assert fields == ["content", "deadlines", "lead", "outputs", "row_extra", "row_missed"]
    assert misses["plan_c"] is None


def test_alignment_is_monotone_and_skips_dissimilar_rows():
    gold = [{"content": "Rà soát văn bản"}, {"content": "Kiện toàn bộ máy"}, {"content": "Tinh giản biên chế"}]
    pred = [{"content": "Kiện toàn bộ máy"}, {"content": "Hoàn toàn khác hẳn"}, {"content": "Tinh giản biên chế."}]
    assert [(i, j) for i, j, _ in align(gold, pred)] == [(1, 0), (2, 2)]


def test_counts_are_multisets():
    c = Counts()
    c.add(["a", "a", "b"], ["a", "c"])
    assert (c.tp, c.fp, c.fn) == (1, 1, 2)
    assert Counts().f1() == 1.0


def test_cli_refuses_missing_folders(tmp_path):
    assert review_main(["eval", str(tmp_path / "none"), "--gold", str(EVAL / "gold")]) == 2
    assert review_main(["eval", str(EVAL / "out"), "--gold", str(tmp_path / "none")]) == 2
