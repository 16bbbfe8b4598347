"""Each text concept exists once: folding, bullets, sentence case and acronyms in normalizers/text.py,
tone placement and legacy fonts in normalizers/vietnamese.py, decoding in normalizers/decoding.py.

The tree is searched for the families of code that used to be copied; a new copy fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for folder in ("pipeline", "parsers", "normalizers", "schemas", "review", "plantasks", "bench")
                 for p in (ROOT / folder).rglob("*.py"))
TEXT, VIETNAMESE, DECODING = "normalizers/text.py", "normalizers/vietnamese.py", "normalizers/decoding.py"

# (what, pattern, the only files allowed to hold it)
FAMILIES = [
    ("diacritic folding (NFD + drop marks)", r'normalize\(\s*"NFD"', {TEXT, VIETNAMESE}),
    # areas.fold and review's search key are built on text.fold/strip_marks, not copies of them
    ("a folding function", r"^\s*def (fold|_fold|fold_char|bare|strip_diacritics|strip_accents|unaccent)\(\s*\w",
     {TEXT, "normalizers/areas.py", "review/normalize.py"}),
    ("a tone normaliser", r"^\s*def (unify_tone\w*|_place_tone\w*|normalize_tone\w*)\(", {VIETNAMESE}),
    ("a bullet regex", r"^\s*_?[A-Z_]*BULLET[A-Z_]*\s*=\s*re\.compile", {TEXT}),
    ("a sentence-case function", r"^\s*def (sentence_case\w*|section_case)\(", {TEXT}),
    ("an acronym list", r"(KNOWN_ACRONYMS|keep_upper)\s*[=:]", {TEXT}),
    ("a byte decoder", r'\.decode\(\s*"(cp\d+|utf-16[-a-z]*|windows-\d+)"', {DECODING}),
    ("a decoder with a chosen codec", r"\.decode\(\s*_?[a-z_]*(codec|encoding|charset)", {DECODING}),
    ("a text decoder", r"^\s*def (decode_text|decode_bytes)\(", {DECODING, "parsers/detect.py"}),
    ("an OCR word fixer", r"^\s*def (fix_ocr_confusions|find_ocr_confusions|repair_words)\(", {"parsers/ocr/repair.py"}),
    ("a plan context builder", r"^\s*def plan_context\(", {"normalizers/context.py"}),
]


@pytest.mark.parametrize("what, pattern, allowed", FAMILIES, ids=[f[0] for f in FAMILIES])
def test_concept_lives_in_one_module(what, pattern, allowed):
    regex = re.compile(pattern, re.M)
    found = sorted({str(p.relative_to(ROOT)) for p in SOURCES if regex.search(p.read_text(encoding="utf-8"))})
    assert set(found) <= allowed, f"{what} outside {sorted(allowed)}: {found}"


def test_the_acronym_list_is_one_data_file():
    from plantasks.normalizers.text import acronyms, sentence_case

    assert {"UBND", "HĐND", "TTHC", "CCHC"} <= acronyms()
    assert sentence_case("KẾ HOẠCH CẢI CÁCH TTHC, UBND TỈNH") == "Kế hoạch cải cách TTHC, UBND tỉnh"
    assert sentence_case("Kế hoạch về ABC và xyz") == "Kế hoạch về ABC và xyz"


@pytest.mark.parametrize("cell", ["- Báo cáo", "● Báo cáo", "• Báo cáo", "+ Báo cáo", "2) Báo cáo", "(3) Báo cáo",
                                  "a) Báo cáo", "-Báo cáo", "▪ Báo cáo", "1. Báo cáo"])
def test_one_bullet_grammar_for_every_cell_kind(cell):
    from plantasks.normalizers.deadlines.segments import _BULLET
    from plantasks.normalizers.text import split_items, strip_bullet

    assert strip_bullet(cell) == "Báo cáo"
    assert split_items(cell) == ["Báo cáo"]
    assert _BULLET.match(cell.strip())  # the deadline reader sees the same marker


@pytest.mark.parametrize("text", ["-2025", "2025", "Năm 2025", "Quý I/2025"])
def test_numbers_are_not_bullets(text):
    from plantasks.normalizers.text import strip_bullet

    assert strip_bullet(text) == text


def test_fold_keeps_length_and_strip_marks_keeps_case():
    from plantasks.normalizers.text import fold, strip_marks

    assert fold("Thời hạn – Quý IV, ĐỊNH") == "thoi han - quy iv, dinh"
    assert strip_marks("Tổ chức ĐIỀU hành") == "To chuc DIEU hanh"
    assert strip_marks("hoa\u0300") == "hoa"  # decomposed input too
