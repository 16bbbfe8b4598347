"""Vietnamese text repair: Unicode normal form, tone placement, legacy encodings, OCR confusions.

Printed text is kept as printed; these functions give (a) keys for matching (`match_key`),
(b) a canonical tone placement for names (`unify_tone_placement`), (c) recovery of text typed in
the legacy TCVN3 (ABC, .VnTime fonts) and VNI (VNI-Times fonts) encodings (`repair_legacy`), and
(d) a conservative vocabulary-confirmed OCR fixer (`fix_ocr_confusions`).

Tone placement: Vietnamese writes the tone of an open "oa", "oe", "uy" either on the first vowel
("hòa", "thủy", the style of the GOLD files, called "classic" here) or on the second ("hoà",
"thuỷ", "new"). Both are correct Unicode; only the placement differs. A misplaced tone after
"qu"/"gi" ("qúy") is always moved to the vowel that carries it ("quý").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).parent / "data"

# Combining tone marks (NFD): huyền, sắc, ngã, hỏi, nặng.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS = frozenset("aăâeêioôơuưy")
_MODIFIED_VOWELS = frozenset("ăâêôơư")
_ONSETS = frozenset(
    "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split()
)
_CODAS = frozenset(["", "c", "ch", "m", "n", "ng", "nh", "p", "t"])
_STOP_CODAS = frozenset(["c", "ch", "p", "t"])
# Vowel nuclei (toneless) that can stand without a final consonant, and those that need one.
_OPEN_NUCLEI = frozenset(
    "a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu oa oe oi ôi ơi ua ui uy uê ưa ưi ưu "
    "oai oay oeo uây uôi ươi ươu uya uyu iêu yêu".split()
)
_CLOSED_NUCLEI = frozenset(
    "a ă â e ê i o ô ơ u ư y oa oă oe uâ uê uy iê yê uô ươ uyê oo".split()
)
_WORD_RE = re.compile(r"[^\W\d_]+")
_SPACE_RE = re.compile(r"\s+")


def nfc(text: str) -> str:
    """The text in Unicode NFC (precomposed) form."""
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    """Base letters only: 'Cải cách Đ' -> 'Cai cach D'."""
    decomposed = unicodedata.normalize("NFD", text)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return base.replace("đ", "d").replace("Đ", "D")


def match_key(text: str) -> str:
    """Key for comparing Vietnamese strings: NFC, casefolded, one tone placement, single spaces.

    'Uỷ ban  nhân dân' and 'Ủy ban nhân dân' give the same key; so do 'hoà'/'hòa' and 'qúy'/'quý'.
    The Icelandic eth 'Ð' that some PDFs emit for 'Đ' is read as 'Đ'.
    """
    text = nfc(text).replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")
    text = unify_tone_placement(text.casefold())
    return _SPACE_RE.sub(" ", text).strip()


# ---------------------------------------------------------------- syllables and tone placement


@dataclass(frozen=True)
class Syllable:
    """A parsed Vietnamese syllable (lower case, toneless parts) and its tone mark."""

    onset: str
    nucleus: str
    coda: str
    tone: str | None  # combining mark or None (thanh ngang)


def _split_tone(word: str) -> tuple[list[str], str | None] | None:
    """Each character without its tone mark, and the (single) tone mark; None if two tones."""
    chars: list[str] = []
    tone: str | None = None
    for ch in word:
        parts = unicodedata.normalize("NFD", ch)
        marks = [m for m in parts if m in TONE_MARKS]
        if marks:
            if tone is not None or len(marks) > 1:
                return None
            tone = marks[0]
        chars.append(nfc("".join(p for p in parts if p not in TONE_MARKS)))
    return chars, tone


def _parse_toneless(lower: str) -> tuple[str, str, str] | None:
    """(onset, nucleus, coda) of a toneless lower-case syllable, or None if not Vietnamese."""
    onset = ""
    for size in (3, 2, 1):
        head = lower[:size]
        if head in _ONSETS and len(lower) > size:
            onset = head
            break
    if onset in ("qu", "gi") and lower[len(onset)] not in _VOWELS:
        onset = onset[0]  # "gìn": gi + n has no vowel after gi, so i is the vowel
    rest = lower[len(onset):]
    end = 0
    while end < len(rest) and rest[end] in _VOWELS:
        end += 1
    nucleus, coda = rest[:end], rest[end:]
    if not nucleus or coda not in _CODAS:
        return None
    if onset == "" and lower[:1] not in _VOWELS:
        return None
    return onset, nucleus, coda


def parse_syllable(word: str) -> Syllable | None:
    """Parse one word as a Vietnamese syllable; None for anything else (English, numbers...)."""
    split = _split_tone(nfc(word))
    if split is None:
        return None
    chars, tone = split
    lower = "".join(c.lower() for c in chars)
    if len(lower) != len(chars):
        return None
    parts = _parse_toneless(lower)
    if parts is None:
        return None
    return Syllable(parts[0], parts[1], parts[2], tone)


def is_vietnamese_syllable(word: str) -> bool:
    """True when the word is a well-formed Vietnamese syllable (onset, rhyme and tone agree)."""
    syl = parse_syllable(word)
    if syl is None:
        return False
    allowed = _CLOSED_NUCLEI if syl.coda else _OPEN_NUCLEI
    if syl.nucleus not in allowed:
        return False
    if syl.nucleus in ("ă", "â") and not syl.coda:
        return False
    if syl.coda in _STOP_CODAS and syl.tone not in ("\u0301", "\u0323"):
        return False
    return True


def _tone_position(nucleus: str, coda: str, style: str) -> int:
    """Index inside the nucleus of the vowel that carries the tone."""
    if len(nucleus) == 1:
        return 0
    modified = [i for i, c in enumerate(nucleus) if c in _MODIFIED_VOWELS]
    if modified:
        return modified[-1]
    if coda or len(nucleus) >= 3:
        return len(nucleus) - 1 if coda else 1
    if nucleus in ("oa", "oe", "uy") and style == "new":
        return 1
    return 0


def _place_tone_in_word(word: str, style: str) -> str:
    split = _split_tone(word)
    if split is None or split[1] is None:
        return word
    chars, tone = split
    lower = "".join(c.lower() for c in chars)
    if len(lower) != len(chars):
        return word
    parts = _parse_toneless(lower)
    if parts is None or len(parts[1]) > 3:
        return word
    onset, nucleus, coda = parts
    target = len(onset) + _tone_position(nucleus, coda, style)
    out = list(chars)
    out[target] = nfc(out[target] + tone)
    return "".join(out)


def unify_tone_placement(text: str, style: str = "classic") -> str:
    """Move each word's tone mark to the vowel the chosen style puts it on.

    style "classic" (GOLD): hòa, thủy, khỏe, quý; style "new": hoà, thuỷ, khoẻ, quý.
    Words that are not Vietnamese syllables are left alone.
    """
    if style not in ("classic", "new"):
        raise ValueError(f"unknown tone style {style!r}: use 'classic' or 'new'")
    text = nfc(text)
    return _WORD_RE.sub(lambda m: _place_tone_in_word(m.group(0), style), text)
