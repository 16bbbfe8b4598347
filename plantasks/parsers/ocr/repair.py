"""Repairs of typical Tesseract glyph confusions, driven by confusions.yaml.

Each repair applies only where its context makes the reading certain (see the YAML's comments);
everything else is left exactly as recognized.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

RULES_FILE = Path(__file__).with_name("confusions.yaml")
ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
ARABIC = re.compile(r"\d{1,3}")


@dataclass(frozen=True)
class Confusions:
    roman_glyphs: dict[str, str]
    quarter_pattern: re.Pattern
    characters: dict[str, str]
    bullet_pattern: re.Pattern


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
    bullet = re.compile(rf"^(?:{marks})\s*(?=\S)")
    return Confusions(glyphs, quarter, {str(k): str(v) for k, v in data["characters"].items()}, bullet)


def as_roman(token: str) -> str | None:
    """The Roman numeral a confusable token stands for, or None when it is not one (or is a number)."""
    if not token or ARABIC.fullmatch(token) and token not in ("11", "111"):
        return None
    glyphs = confusions().roman_glyphs
    mapped = "".join(glyphs.get(ch, ch) for ch in token)
    if mapped and ROMAN.fullmatch(mapped):
        return mapped
    return None


def repair_line(line: str) -> str:
    rules = confusions()
    for wrong, right in rules.characters.items():
        line = line.replace(wrong, right)
    line = rules.bullet_pattern.sub("- ", line)
    return rules.quarter_pattern.sub(_quarter, line)


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
