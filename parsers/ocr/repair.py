"""Repairs of typical Tesseract glyph confusions, driven by confusions.yaml and words.yaml.

Each repair applies only where its context makes the reading certain (see the YAMLs' comments);
everything else is left exactly as recognized. repair_text works on a whole cell or paragraph, so a
pattern cut by a line break ("Quý" / "1V/2024") is still seen.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from plantasks.normalizers.text import strip_marks as bare

RULES_FILE = Path(__file__).with_name("confusions.yaml")
WORDS_FILE = Path(__file__).with_name("words.yaml")
LETTERS = re.compile(r"[^\W\d_]+")
EDGE_PUNCTUATION = re.compile(r"^([^\w]*)(.*?)([^\w]*)$", re.DOTALL)
ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
ARABIC = re.compile(r"\d{1,3}")


@dataclass(frozen=True)
class Confusions:
    roman_glyphs: dict[str, str]
    quarter_pattern: re.Pattern
    characters: dict[str, str]
    bullet_pattern: re.Pattern
    stray_opener_pattern: re.Pattern
    quote_closers: tuple[str, ...]
    inner_full_stop: re.Pattern | None


@functools.cache
def confusions() -> Confusions:
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    glyphs = {str(k): str(v) for k, v in data["roman_glyphs"].items()}
    numeral_chars = re.escape("".join(sorted(set(glyphs) | set("IVX"))))
    words = "|".join(re.escape(w) for w in data["quarter_words"])
    quarter = re.compile(
        rf"(?<!\w)((?:{words})\s+)([{numeral_chars}]{{1,4}}?)(?:(20\d\d)(?!\d)|(?=\s*(?:/|$|[\s,;.)])))"
    )
    marks = "|".join(re.escape(m) for m in sorted(data["bullet_marks"], key=len, reverse=True))
    bullet = re.compile(rf"^(?:{marks})[ \t]*(?=\S)", re.MULTILINE)
    openers = "".join(re.escape(m) for m in data["stray_openers"])
    stray = re.compile(rf"^[{openers}][ \t]*(?=\w)", re.MULTILINE)
    full_stop = re.compile(r"(?<=[^\W\d_]{2})\.(?= ([^\W\d_]))") if data["drop_inner_full_stops"] else None
    characters = {str(k): str(v) for k, v in data["characters"].items()}
    return Confusions(glyphs, quarter, characters, bullet, stray, tuple(data["quote_closers"]), full_stop)


def as_roman(token: str) -> str | None:
    """The Roman numeral a confusable token stands for, or None when it is not one (or is a number)."""
    if not token or ARABIC.fullmatch(token) and token not in ("11", "111"):
        return None
    glyphs = confusions().roman_glyphs
    mapped = "".join(glyphs.get(ch, ch) for ch in token)
    if mapped and ROMAN.fullmatch(mapped):
        return mapped
    return None


@dataclass(frozen=True)
class WordPairs:
    pairs: frozenset[str]  # "tổ chức", "chức thực", ... (lower case)
    by_bare: dict[str, tuple[str, ...]]  # "to chuc" -> ("tổ chức",)


@functools.cache
def word_pairs() -> WordPairs:
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    targets = _pairs(data["phrases"])
    by_bare: dict[str, list[str]] = {}
    for pair in sorted(targets):
        by_bare.setdefault(bare(pair), []).append(pair)
    return WordPairs(frozenset(targets | _pairs(data["also_correct"])), {k: tuple(v) for k, v in by_bare.items()})


def _pairs(phrases: list[str]) -> set[str]:
    pairs = set()
    for phrase in phrases:
        syllables = unicodedata.normalize("NFC", phrase).lower().split()
        pairs.update(f"{a} {b}" for a, b in zip(syllables, syllables[1:]))
    return pairs


def repair_marks(text: str) -> str:
    """Misread characters, bullets and specks: enough for one physical line (before lines are joined)."""
    rules = confusions()
    for wrong, right in rules.characters.items():
        text = text.replace(wrong, right)
    text = rules.bullet_pattern.sub("- ", text)
    if not any(closer in text[1:] for closer in rules.quote_closers):
        text = rules.stray_opener_pattern.sub("", text)
    if rules.inner_full_stop is not None:
        text = rules.inner_full_stop.sub(lambda m: "" if m.group(1).islower() else ".", text)
    return text


def repair_text(text: str) -> str:
    """All repairs on a cell's or paragraph's text (line breaks kept)."""
    text = confusions().quarter_pattern.sub(_quarter, repair_marks(text))
    return repair_words(text)


def repair_words(text: str) -> str:
    """Syllable pairs misread in their marks put right when exactly one known pair matches them."""
    parts = re.split(r"(\s+)", text)  # words at even indexes, the spaces between at odd ones
    vocabulary = word_pairs()
    for i in range(0, len(parts) - 2, 2):
        left, right = _split_edges(parts[i]), _split_edges(parts[i + 2])
        if left is None or right is None or left[2] or right[0]:
            continue  # a number, a word with inner marks, or punctuation between the two
        pair = f"{left[1].lower()} {right[1].lower()}"
        if pair in vocabulary.pairs:
            continue
        known = vocabulary.by_bare.get(bare(pair), ())
        if len(known) != 1:
            continue
        new_left, new_right = known[0].split(" ")
        parts[i] = left[0] + _same_case(new_left, left[1]) + left[2]
        parts[i + 2] = right[0] + _same_case(new_right, right[1]) + right[2]
    return "".join(parts)


def _split_edges(token: str) -> tuple[str, str, str] | None:
    """(leading marks, letters, trailing marks) of a word made of letters only, else None."""
    match = EDGE_PUNCTUATION.match(token)
    core = match.group(2)
    if not core or not LETTERS.fullmatch(core):
        return None
    return match.group(1), core, match.group(3)


def _same_case(word: str, model: str) -> str:
    if model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _quarter(match: re.Match) -> str:
    """'Quý 1V' -> 'Quý IV'; a year glued on where the slash was lost: 'Quý 12024' -> 'Quý I/2024'."""
    token, year = match.group(2), match.group(3)
    if token == "1" and not year:
        return match.group(0)
    roman = "I" if token == "1" else as_roman(token)
    if roman is None or roman not in ("I", "II", "III", "IV"):
        return match.group(0)
    return match.group(1) + roman + (f"/{year}" if year else "")


def repair_row_number(text: str) -> str:
    """A first-column cell (TT/STT) read as confusable glyphs of a Roman numeral: 'H' -> 'II'."""
    token, dot = (text[:-1], ".") if text.endswith(".") else (text, "")
    if ARABIC.fullmatch(token) or not token:
        return text
    roman = as_roman(token)
    return roman + dot if roman else text
