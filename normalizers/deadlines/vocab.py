"""The deadline vocabulary (vocab.yaml), loaded once, with its match keys and syllable lexicon.

A match key is the text lower-cased with diacritics removed ("Quý" -> "quy", "Đến" -> "den"),
character for character, so a position in the key is the same position in the text. The lexicon
records, for each folded syllable of the vocabulary, the diacritics its real forms carry; a
syllable of a cell that folds the same but carries other marks is a different word and is
masked before parsing (see canonical.py).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plantasks.data_files import load_yaml
from plantasks.normalizers.text import fold, fold_char, marks  # noqa: F401  (re-exported)

VOCAB_PATH = Path(__file__).with_name("vocab.yaml")

# Combining tone marks (NFD): huyền, sắc, ngã, hỏi, nặng. The other marks shape the vowel (ă â ê ô ơ ư).
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_TOKEN = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")


def marks_fit(found: tuple[str, ...], forms: frozenset[tuple[str, ...]]) -> bool:
    """True when a syllable with `found` marks may be one of the vocabulary forms.

    Accepted: no marks at all (typed or OCR'd without diacritics), the same marks, or the same
    marks less some tone marks (OCR often drops a tone but keeps the vowel shape).
    """
    if not found:
        return True
    have = Counter(found)
    for form in forms:
        if found == form:
            return True
        want = Counter(form)
        if not (have - want) and all(m in TONE_MARKS for m in (want - have)):
            return True
    return False


def phrase_pattern(phrase: str) -> str:
    """Regex (over match keys) for one vocabulary phrase: its tokens with optional space between."""
    tokens = _TOKEN.findall(fold(phrase))
    return r"\s*".join(re.escape(t) for t in tokens)


def alternation(phrases: list[str] | tuple[str, ...]) -> str:
    """Regex alternation of phrases, longest first so the longest phrase wins at a position."""
    unique = sorted({phrase_pattern(p) for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
    return "(?:" + "|".join(unique) + ")"


@dataclass(frozen=True)
class Vocab:
    data: dict[str, Any]
    lexicon: dict[str, frozenset[tuple[str, ...]]]

    def words(self, name: str) -> list[str]:
        return list(self.data[name])

    def alt(self, *names: str) -> str:
        phrases: list[str] = []
        for name in names:
            phrases += self.data[name]
        return alternation(phrases)

    def lookup(self, name: str) -> dict[str, Any]:
        """A mapping section with folded keys: {'quy': 'quarterly', ...} style look-ups."""
        return {" ".join(_TOKEN.findall(fold(str(k)))): v for k, v in self.data[name].items()}


def _all_phrases(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        out: list[str] = []
        for key, value in node.items():
            out += _all_phrases(str(key)) + _all_phrases(value)
        return out
    if isinstance(node, list):
        out = []
        for value in node:
            out += _all_phrases(value)
        return out
    return []


def build_lexicon(data: dict[str, Any]) -> dict[str, frozenset[tuple[str, ...]]]:
    forms: dict[str, set[tuple[str, ...]]] = {}
    skip = {"ocr", "recurrence_order", "counted_ordinal"}
    for name, node in data.items():
        if name in skip:
            continue
        for phrase in _all_phrases(node):
            for word in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", phrase)):
                if len(word) < 2:
                    continue
                forms.setdefault(fold(word), set()).add(marks(word))
    return {key: frozenset(value) for key, value in forms.items()}


@functools.cache
def load_vocab() -> Vocab:
    data = load_yaml(VOCAB_PATH)
    return Vocab(data=data, lexicon=build_lexicon(data))
