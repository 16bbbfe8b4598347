"""Cell text -> canonical form: the printed text (`raw`) and its match key, position for position.

raw: NFC, every run of whitespace (line breaks included) one space, trimmed.
key: raw folded (vocab.fold), then repaired and masked, still the same length:
  - OCR digits: in a number with at least one real digit, o -> 0 and l/i -> 1 ("2O24", "l5/11");
  - words that fold like a vocabulary word but carry other diacritics are masked with "_"
    ("thăng hạng" is not "tháng hàng", "quỹ" is not "quý", "trọng" is not "trong");
  - document numbers ("4951/QĐ-UBND", "Nghị định 30/2024", "số 12") and the date written right
    after one ("... ngày 15/3/2024") are masked with "#", so they never become dates.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from plantasks.normalizers.deadlines.vocab import (
    Vocab,
    fold,
    load_vocab,
    marks,
    marks_fit,
)

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_LINES = re.compile(r"\r\n|[\r\n\u2028\u2029\v\f\x85]")
_NUMBER_TOKEN = re.compile(r"[0-9a-z]+")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Canonical:
    raw: str
    key: str
    breaks: frozenset[int]  # positions in raw of spaces that stand for a line break
    repaired: frozenset[int]  # positions whose key character an OCR repair changed


def collapse_lines(cell: str) -> tuple[str, frozenset[int]]:
    """NFC text with whitespace collapsed, and where the line breaks were."""
    text = unicodedata.normalize("NFC", (cell or "").translate(_INVISIBLE))
    lines = [" ".join(line.split()) for line in _LINES.split(text)]
    parts: list[str] = []
    breaks: set[int] = set()
    length = 0
    for line in lines:
        if not line:
            continue
        if parts:
            breaks.add(length)
            length += 1
        parts.append(line)
        length += len(line)
    return " ".join(parts), frozenset(breaks)


def canonicalize(cell: str) -> Canonical:
    raw, breaks = collapse_lines(cell)
    vocab = load_vocab()
    key = list(fold(raw))
    repaired = _repair_digits(key, vocab)
    _mask_foreign_words(raw, key, vocab)
    _mask_document_numbers(raw, key)
    return Canonical(raw=raw, key="".join(key), breaks=breaks, repaired=frozenset(repaired))


_DIGIT_NEIGHBOUR = re.compile(r"\d[a-z]|[a-z]\d")


def _repair_digits(key: list[str], vocab: Vocab) -> set[int]:
    table: dict[str, str] = vocab.data["ocr"]["digit_confusables"]
    text = "".join(key)
    if not _DIGIT_NEIGHBOUR.search(text):
        return set()
    changed: set[int] = set()
    for m in _NUMBER_TOKEN.finditer(text):
        token = m.group(0)
        if len(token) < 2 or not any(c.isdigit() for c in token):
            continue
        if not all(c.isdigit() or c in table for c in token) or token.isdigit():
            continue
        for i, c in enumerate(token, start=m.start()):
            if c in table:
                key[i] = table[c]
                changed.add(i)
    return changed


def _mask_foreign_words(raw: str, key: list[str], vocab: Vocab) -> None:
    for m in _WORD.finditer(raw):
        if _is_foreign(m.group(0)):
            key[m.start():m.end()] = ["_"] * (m.end() - m.start())


@functools.lru_cache(maxsize=16384)
def _is_foreign(word: str) -> bool:
    """True when the word folds like a vocabulary word but its diacritics make it another word."""
    forms = load_vocab().lexicon.get(fold(word))
    return forms is not None and not marks_fit(marks(word), forms)


@functools.cache
def _document_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    vocab = load_vocab()
    words = vocab.alt("document_words")
    suffix = r"(?:\s*[/\-]\s*[0-9a-z][0-9a-z&.\-]*)*"
    numbered = re.compile(
        rf"(?<![0-9a-z]){words}\s*(?:so|s\.)\s*[:.]?\s*\d+{suffix}"  # "Quyết định số 12/QĐ-UBND"
        rf"|(?<![0-9a-z]){words}\s+\d+\s*[/\-]\s*[0-9a-z][0-9a-z&.\-/]*"  # "Nghị định 30/2024"
        rf"|(?<![0-9a-z])so\s*[:.]?\s*\d+{suffix}"  # "số 175/KH-UBND"
    )
    # a number followed by a code in capitals: "4951/QĐ-UBND", "12/2025/QĐ-UBND", "22-KH/TU"
    coded = re.compile(r"(?<![0-9a-z/])\d+(?:\s*/\s*\d{2,4})?\s*[/\-]\s*(?P<code>[a-z][a-z&]*(?:\s*[-/]\s*[a-z0-9&]+)*)")
    issued = re.compile(
        r"\s*,?\s*(?:ban\s*hanh\s*)?(?:ngay\s*)?\d{1,2}\s*(?:[/.\-]\s*\d{1,2}\s*[/.\-]|\s+thang\s+\d{1,2}\s*,?\s*nam)\s*\d{4}"
    )
    return numbered, coded, issued


def _is_code(raw_code: str) -> bool:
    """A document code is printed in capitals: QĐ-UBND, KH-UBND, NĐ-CP, TTr-SNV."""
    upper = sum(1 for c in raw_code if c.isupper())
    return upper >= 2 and upper * 2 >= sum(1 for c in raw_code if c.isalpha())


def _mask_document_numbers(raw: str, key: list[str]) -> None:
    numbered, coded, issued = _document_patterns()
    text = "".join(key)
    spans: list[tuple[int, int]] = [m.span() for m in numbered.finditer(text)]
    for m in coded.finditer(text):
        if _is_code(raw[m.start("code"):m.end("code")]):
            spans.append(m.span())
    for start, end in spans:
        date = issued.match(text, end)
        if date:
            end = date.end()
        key[start:end] = ["#"] * (end - start)
