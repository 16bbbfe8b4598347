"""Integrity of the deadline vocabulary (vocab.yaml) and behaviour of the normalizer's stages."""

from __future__ import annotations

import unicodedata

import pytest

from plantasks.normalizers.context import PlanContext
from plantasks.normalizers.deadlines import normalize_deadline
from plantasks.normalizers.deadlines.canonical import canonicalize
from plantasks.normalizers.deadlines.grammar import RULES, load_grammar
from plantasks.normalizers.deadlines.resolve import load_cues
from plantasks.normalizers.deadlines.vocab import fold, load_vocab

RECURRENCE_CODES = ["monthly", "quarterly", "half_yearly", "nine_months", "yearly", "ad_hoc"]


def _phrases(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _phrases(str(k)) + _phrases(v)]
    if isinstance(node, list):
        return [p for v in node for p in _phrases(v)]
    return []


def test_vocab_phrases_are_nfc_trimmed_and_unique_per_list() -> None:
    data = load_vocab().data
    for name, node in data.items():
        if isinstance(node, list):
            lowered = [p.casefold() for p in node if isinstance(p, str)]
            assert len(lowered) == len(set(lowered)), f"duplicate phrase in {name}"
        for phrase in _phrases(node):
            assert phrase == unicodedata.normalize("NFC", phrase), f"{name}: {phrase!r} is not NFC"
            assert phrase == phrase.strip() and "  " not in phrase, f"{name}: {phrase!r}"


def test_recurrence_codes_match_the_output_schema() -> None:
    data = load_vocab().data
    assert data["recurrence_order"] == RECURRENCE_CODES
    assert set(data["frequencies"]) <= set(RECURRENCE_CODES) | {"weekly"}
    for per_period in data["times_per_period"].values():
        assert set(per_period.values()) <= set(RECURRENCE_CODES)


def test_cue_classes_do_not_overlap() -> None:
    seen: dict[str, str] = {}
    for name, words in load_vocab().data["cues"].items():
        for word in words:
            key = "".join(fold(word).split())
            assert seen.setdefault(key, name) == name, f"{word!r} is both {seen[key]} and {name}"


def test_rule_names_are_unique_and_every_rule_compiles() -> None:
    names = [name for name, _, _ in RULES]
    assert len(names) == len(set(names))
    assert len(load_grammar().rules) == len(RULES)
    assert load_cues().cue_at_end.pattern


@pytest.mark.parametrize(
    "printed, vocabulary_word",
    [("hạng", "hàng"), ("thăng", "tháng"), ("quỹ", "quý"), ("trọng", "trong"), ("tự", "từ"), ("nắm", "năm")],
)
def test_false_friends_are_masked(printed: str, vocabulary_word: str) -> None:
    assert fold(printed) == fold(vocabulary_word)
    assert set(canonicalize(printed).key) == {"_"}


@pytest.mark.parametrize("printed", ["Quy", "Qúy", "QUÝ", "thang", "Thuong", "nam", "hang", "tuân"])
def test_missing_or_misplaced_marks_still_match(printed: str) -> None:
    assert "_" not in canonicalize(printed).key


def test_key_keeps_positions() -> None:
    cell = "  - Báo cáo:\n Quý IV/2O24;  Nghị định 30/2024 ngày 15/3/2024 "
    canon = canonicalize(cell)
    assert len(canon.key) == len(canon.raw)
    assert canon.raw == "- Báo cáo: Quý IV/2O24; Nghị định 30/2024 ngày 15/3/2024"
    assert canon.key[canon.raw.index("2O24"):][:4] == "2024"
    assert set(canon.key[canon.raw.index("Nghị"):]) == {"#"}


@pytest.mark.parametrize("cell", ["4951/QĐ-UBND", "12/2025/QĐ-UBND", "Nghị định 30/2024", "Quyết định số 175", "22-KH/TU"])
def test_document_numbers_are_masked(cell: str) -> None:
    assert not any(ch.isdigit() for ch in canonicalize(cell).key)


def test_every_item_records_its_rule() -> None:
    res = normalize_deadline("Trước tháng 7 và tháng 11/2024", PlanContext(period_start=2024, period_end=2024))
    assert [i.rule for i in res.items] == ["month_list/before", "month_list/before"]


def test_confidence_is_lower_when_ocr_or_context_decided() -> None:
    ctx = PlanContext(period_start=2024, period_end=2024)
    clean = normalize_deadline("Quý II/2024", ctx).items[0]
    ocr = normalize_deadline("Quý 11/2024", ctx).items[0]
    from_plan = normalize_deadline("Quý II", ctx).items[0]
    assert clean.confidence == 1.0
    assert ocr.confidence < 1.0 and from_plan.confidence < 1.0
    assert (ocr.due, from_plan.due) == (clean.due, clean.due)
