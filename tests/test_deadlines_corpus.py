"""Corpus tests for the deadline normalizer (tests/corpus/deadlines*.yaml).

deadlines_gold.yaml: every (deadline_raw -> deadlines) pair of the visible gold files, which must
match exactly (label, kind, start, due, recurrence, raw), and the deadline F1 the scorer computes
over them. deadlines_phrases.yaml: phrase families written against GOLD_SPEC, with negatives.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from plantasks.normalizers.context import PlanContext
from plantasks.normalizers.deadlines import normalize_deadline
from plantasks.schemas import DeadlineItem

CORPUS = Path(__file__).parent / "corpus"
ITEM_FIELDS = ("label", "kind", "start", "due", "recurrence", "raw")


def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _contexts(data: dict[str, Any]) -> dict[str, PlanContext]:
    return {
        name: PlanContext(
            level=c.get("level"),
            period_start=c.get("period_start"),
            period_end=c.get("period_end"),
            reference_date=_as_date(c.get("reference_date")),
        )
        for name, c in data["contexts"].items()
    }


def _got(item: DeadlineItem, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: list(getattr(item, f)) if f == "recurrence" else getattr(item, f) for f in fields}


def _want(spec: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields:
        value = spec.get(f, [] if f == "recurrence" else None)
        out[f] = _as_date(value) if f in ("start", "due") else value
    return out


GOLD = _load("deadlines_gold.yaml")
GOLD_CTX = _contexts(GOLD)
PHRASES = _load("deadlines_phrases.yaml")
PHRASE_CTX = _contexts(PHRASES)
PHRASE_CASES = [
    pytest.param(case, id=f"{family}-{i}")
    for family, cases in PHRASES["families"].items()
    for i, case in enumerate(cases)
]


@pytest.mark.parametrize("case", GOLD["cases"], ids=[c["id"] for c in GOLD["cases"]])
def test_gold_pair_matches_exactly(case: dict[str, Any]) -> None:
    res = normalize_deadline(case["cell"], GOLD_CTX[case["ctx"]])
    assert [_got(i, ITEM_FIELDS) for i in res.items] == [_want(i, ITEM_FIELDS) for i in case["items"]]


def _dkey(item: dict[str, Any]) -> tuple[Any, ...]:
    return (item["kind"], item["start"], item["due"], tuple(sorted(item["recurrence"])))


def test_gold_deadline_f1_is_at_least_098() -> None:
    """The scorer's deadline F1 (multiset match of kind/start/due/recurrence per row)."""
    tp = fp = fn = 0
    for case in GOLD["cases"]:
        res = normalize_deadline(case["cell"], GOLD_CTX[case["ctx"]])
        got = Counter(_dkey(_got(i, ITEM_FIELDS)) for i in res.items)
        want = Counter(_dkey(_want(i, ITEM_FIELDS)) for i in case["items"])
        tp += sum((got & want).values())
        fp += sum((got - want).values())
        fn += sum((want - got).values())
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.98, f"deadline F1 {f1:.4f} (tp={tp} fp={fp} fn={fn})"


def test_gold_raw_is_the_collapsed_cell() -> None:
    for case in GOLD["cases"]:
        assert normalize_deadline(case["cell"], GOLD_CTX[case["ctx"]]).raw == " ".join(case["cell"].split())


@pytest.mark.parametrize("case", PHRASE_CASES)
def test_phrase(case: dict[str, Any]) -> None:
    res = normalize_deadline(case["cell"], PHRASE_CTX[case["ctx"]])
    assert len(res.items) == len(case["items"]), [i.model_dump() for i in res.items]
    for item, spec in zip(res.items, case["items"]):
        fields = ("kind", "start", "due", "recurrence", "label") + (("raw",) if "raw" in spec else ())
        assert _got(item, fields) == _want(spec, fields), item.model_dump()
        assert item.rule, "every item names the rule that produced it"
    for flag in case.get("flags", []):
        assert flag in res.flags, res.flags
    for flag in case.get("no_flags", []):
        assert flag not in res.flags, res.flags


def test_phrase_corpus_is_large_and_covers_negatives_and_ocr() -> None:
    families = PHRASES["families"]
    assert sum(len(cases) for cases in families.values()) >= 200
    assert len(families["negative"]) >= 20 and len(families["ocr"]) >= 20
    assert all(case["ctx"] in PHRASE_CTX for cases in families.values() for case in cases)
