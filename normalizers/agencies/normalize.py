"""Matching keys for agency names, with every key token aligned back to the printed text.

A key is what two spellings of one name have in common: lower case, one tone placement
("hoá" = "hóa"), no punctuation, no "và", abbreviations expanded ("VP UBND" = "văn phòng ủy
ban nhân dân"). Each key token keeps the character span of the printed words it came from, so
a match found on keys can be cut out of the original text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from plantasks.normalizers.agencies.rules import AgencyRules, load_rules
from plantasks.normalizers.text import strip_marks as fold
from plantasks.normalizers.vietnamese import unify_tone_placement as unify_tone

_WORD = re.compile(r"[^\W_]+")
_DROPPED = frozenset({"và"})
_LEADING_DROPPED = frozenset({"các", "những", "cac", "nhung"})
_EDGE_PUNCT = " \t\n-–—+•*.,;:/"


@dataclass(frozen=True)
class Token:
    norm: str
    start: int
    end: int


@dataclass(frozen=True)
class Keyed:
    """A text and its key tokens (spans index into `text`)."""

    text: str
    tokens: tuple[Token, ...]

    @property
    def key(self) -> str:
        return " ".join(t.norm for t in self.tokens)

    def span_text(self, first: int, last: int) -> str:
        """Printed text covered by key tokens first..last-1."""
        return self.text[self.tokens[first].start:self.tokens[last - 1].end]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def light(text: str) -> str:
    """Case, tone placement, spacing and edge punctuation ignored: for exact-match checks."""
    words = nfc(text).lower().split()
    return " ".join(unify_tone(w) for w in words).strip(_EDGE_PUNCT)


def keyed(text: str, rules: AgencyRules | None = None) -> Keyed:
    """Key tokens of `text` (see module docstring)."""
    return _keyed(text, rules or load_rules())


@functools.lru_cache(maxsize=65536)
def _keyed(text: str, rules: AgencyRules) -> Keyed:
    text = nfc(text)
    raw = [Token(unify_tone(m.group().lower()), m.start(), m.end()) for m in _WORD.finditer(text)]
    raw = [t for t in raw if t.norm not in _DROPPED]
    tokens = _expand(raw, rules.abbreviation_patterns, rules.longest_abbreviation)
    if len(tokens) > 1 and tokens[0].norm in _LEADING_DROPPED:
        tokens = tokens[1:]
    return Keyed(text, tuple(tokens))


def key_of(text: str, rules: AgencyRules | None = None) -> str:
    return keyed(text, rules).key


def _expand(tokens: list[Token], patterns: dict[tuple[str, ...], tuple[str, ...]], longest: int) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            words = tuple(t.norm for t in tokens[i:i + size])
            expansion = patterns.get(words)
            if expansion is not None:
                start, end = tokens[i].start, tokens[i + size - 1].end
                out.extend(Token(w, start, end) for w in expansion)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out
