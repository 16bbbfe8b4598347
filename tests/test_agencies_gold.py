"""Every (cell -> gold lead/support) pair of the visible gold set (tests/corpus/agencies_gold.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from plantasks.normalizers.agencies import Options, resolve_agencies
from plantasks.normalizers.context import PlanContext

GOLD = yaml.safe_load((Path(__file__).parent / "corpus" / "agencies_gold.yaml").read_text(encoding="utf-8"))


def _context(raw: dict) -> PlanContext:
    return PlanContext(level=raw["level"], province=raw["province"], district=raw["district"],
                       period_start=raw["period_start"], period_end=raw["period_end"])


def predict(row: dict, ctx: PlanContext, options: Options = Options()) -> tuple[list[str], list[str]]:
    if "performer" in row:
        res = resolve_agencies(row["performer"], "performer", ctx, options=options)
        return [a.name for a in res.lead], [a.name for a in res.support]
    lead = resolve_agencies(row["lead_cell"], "lead", ctx, options=options).lead if row["lead_cell"] else []
    support = resolve_agencies(row["support_cell"], "support", ctx, options=options).support if row["support_cell"] else []
    return [a.name for a in lead], [a.name for a in support]


def f1_scores(options: Options = Options()) -> dict[str, float]:
    counts = {k: [0, 0, 0] for k in ("lead", "support")}  # tp, fp, fn
    for doc in GOLD["documents"]:
        ctx = _context(doc["context"])
        for row in doc["rows"]:
            for key, got in zip(("lead", "support"), predict(row, ctx, options)):
                g, e = set(got), set(row[key])
                counts[key][0] += len(g & e)
                counts[key][1] += len(g - e)
                counts[key][2] += len(e - g)
    return {k: 2 * tp / (2 * tp + fp + fn) if tp else 0.0 for k, (tp, fp, fn) in counts.items()}


def test_gold_pairs_cover_every_gold_row():
    assert sum(len(d["rows"]) for d in GOLD["documents"]) == 121


def test_lead_and_support_f1_on_gold_pairs():
    scores = f1_scores()
    assert scores["lead"] >= 0.98, scores
    assert scores["support"] >= 0.96, scores


ROWS = [pytest.param(doc, row, id=f"{doc['doc'][:3]}-{row['row']}") for doc in GOLD["documents"] for row in doc["rows"]]


@pytest.mark.parametrize("doc,row", ROWS)
def test_gold_row_in_order(doc, row):
    lead, support = predict(row, _context(doc["context"]))
    assert lead == row["lead"]
    assert support == row["support"]
