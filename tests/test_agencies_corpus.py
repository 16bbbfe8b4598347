"""Agency corpus (tests/corpus/agencies.yaml): printed forms -> canonical names, per plan context."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from plantasks.normalizers.agencies import resolve_agencies
from plantasks.normalizers.context import PlanContext

CORPUS = Path(__file__).parent / "corpus" / "agencies.yaml"


def _cases():
    data = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    for section in data["sections"]:
        ctx = PlanContext(**section["context"])
        for n, case in enumerate(section["cases"]):
            yield pytest.param(section, ctx, case, id=f"{section['name'][:40]}-{n}")


CASES = list(_cases())


def test_corpus_is_large_enough():
    assert len(CASES) >= 300


@pytest.mark.parametrize("section,ctx,case", CASES)
def test_agency_corpus(section, ctx, case):
    column = section.get("column", "lead")
    as_of = section.get("as_of") or date(2024, 6, 1)
    if isinstance(case, dict) and "successor" in case:
        res = resolve_agencies(case["text"], column, ctx, as_of)
        assert [(a.name, a.successor) for a in res.lead] == [(case["name"], case["successor"])]
        return
    if isinstance(case, dict):
        res = resolve_agencies(case["text"], column, ctx, as_of)
        assert [a.name for a in res.lead] == case["lead"]
        assert [a.name for a in res.support] == case["support"]
        return
    text, expected = case
    res = resolve_agencies(text, column, ctx, as_of)
    expected = expected if isinstance(expected, list) else [expected]
    assert [a.name for a in res.lead] == expected
    assert res.support == []
    if section.get("unknown"):
        assert {(a.kind, a.match, a.id) for a in res.lead} == {("unknown", "none", None)}
        assert "agency_unknown" in res.flags
        if section.get("flag"):
            assert section["flag"] in res.flags
    elif len(expected) == 1 and expected[0] not in {"Báo Thanh Hóa"}:
        assert res.lead[0].kind in ("agency", "group"), res.lead[0]
