"""The one module for text concepts every stage shares.

- folding: `fold` (match key of each character, same length as the text) and `strip_marks`
  (letters without tone or vowel marks, case kept);
- bullets: one grammar (`BULLET`, `LEADING_BULLET`, `INLINE_BULLET`, `strip_bullet`) for every cell kind;
- cells: `clean_cell`, `collapse`, `split_items`;
- case: `sentence_case` (headings and titles printed in capitals), `section_case`, with the one
  acronym list in data/acronyms.yaml.

Tone placement and legacy font encodings live in `normalizers.vietnamese`; bytes -> text in
`normalizers.decoding`.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from plantasks.data_files import load_yaml

DATA_DIR = Path(__file__).parent / "data"

# ---------------------------------------------------------------- folding

_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212")


@functools.lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """One character of the match key: lower case, base letter, đ/ð -> d, dashes -> '-'."""
    if ch in _DASHES:
        return "-"
    low = ch.lower()
    if len(low) != 1:
        return ch
    if low in ("đ", "ð"):
        return "d"
    return unicodedata.normalize("NFD", low)[0]


class _FoldTable(dict):  # type: ignore[type-arg]
    """str.translate table that folds each character the first time it is seen."""

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Match key: 'Thời hạn – Quý I' -> 'thoi han - quy i'. Same length as the text (spans map back)."""
    return text.translate(_FOLD_TABLE)


@functools.lru_cache(maxsize=8192)
def marks(word: str) -> tuple[str, ...]:
    """The combining marks of a word (NFD), sorted: 'hằng' -> (breve, grave)."""
    return tuple(sorted(ch for ch in unicodedata.normalize("NFD", word.lower()) if unicodedata.combining(ch)))


def loose_key(text: str) -> str:
    """Key that survives lost or misplaced diacritics ('uy ban nhân dân' = 'Ủy ban nhân dân'): for
    vocabulary lookups that must never miss a form the reading rules accept."""
    return " ".join(fold(unicodedata.normalize("NFC", text)).split())


def strip_marks(text: str) -> str:
    """Base letters only, case kept: 'Cải cách Đ' -> 'Cai cach D'."""
    decomposed = unicodedata.normalize("NFD", text)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return base.replace("đ", "d").replace("Đ", "D").replace("ð", "d").replace("Ð", "D")


# ---------------------------------------------------------------- bullets: one grammar

BULLET_SYMBOLS = "-+*•–—·▪►○●"
_SYMBOL = "[" + re.escape(BULLET_SYMBOLS) + "]"
# An item marker: bullet symbols (followed by a space, or directly by anything but a digit, so that
# '-2025' stays a number), or a number/letter label '1.', '2)', '(3)', 'a)', 'b.'.
_MARKER = (rf"(?P<b>{_SYMBOL}+)(?:\s+|(?![0-9]))"
           r"|(?P<n>\(?\d{1,2}[.)]|\(?[a-zđ][.)]|[A-ZĐ]\))\s+")
BULLET = re.compile(_MARKER)
LEADING_BULLET = re.compile(rf"^\s*(?:{_MARKER})")
# Symbols that are only ever bullets (never a hyphen, a dash or a plus).
ROUND_BULLETS = "•▪►○●"
# Inside one line, a new item starts at ' - ' after the end of a sentence or clause, and at any
# round bullet ('Kế hoạch • Báo cáo': a web page's list flattened into one line).
INLINE_BULLET = re.compile(rf"(?:(?<=[.;:!?])|(?=\s+[{ROUND_BULLETS}]\s))\s+(?P<b>{_SYMBOL})\s+")


def starts_with_bullet(text: str) -> bool:
    return LEADING_BULLET.match(text) is not None


def is_bullet_only(text: str) -> bool:
    """A line that is only an item marker ('-', '2.', 'a)'): its item follows on the next line."""
    return bool(text.strip()) and LEADING_BULLET.sub("", text + " ", count=1).strip() == ""


def strip_bullet(text: str) -> str:
    """The item without its leading marker: '- Báo cáo' -> 'Báo cáo', '2) Kế hoạch' -> 'Kế hoạch'."""
    return LEADING_BULLET.sub("", text, count=1).strip()


# ---------------------------------------------------------------- cells

_BREAK_TAGS = re.compile(r"<\s*(br|/?li|/?p|/?div|/?tr|/?ul|/?ol)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")


@functools.lru_cache(maxsize=1 << 15)  # cells repeat across rows and plans: clean each distinct one once
def clean_cell(text: str) -> str:
    """HTML removed, NFC, one item per line (inline ' - ' bullets after ';' '.' ':' become lines)."""
    text = unicodedata.normalize("NFC", text or "")
    text = _BREAK_TAGS.sub("\n", text)
    text = _ANY_TAG.sub(" ", text)
    text = html.unescape(text)
    text = INLINE_BULLET.sub(lambda m: "\n" + m.group("b") + " ", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def collapse(text: str) -> str:
    """All whitespace, line breaks included, to single spaces."""
    return " ".join((text or "").split())


def split_items(cell: str) -> list[str]:
    """Products cell -> items: at line breaks/bullets and ';' (never ',' or '/'); trailing ; . , trimmed."""
    items = []
    for line in clean_cell(cell).split("\n"):
        for part in line.split(";"):
            item = strip_bullet(part).rstrip(" ;.,").strip()
            if item:
                items.append(item)
    return items


# ---------------------------------------------------------------- case

_ACRONYM_SHAPE = re.compile(r"^[A-ZĐ0-9&\-/.()]{2,}$")
_NUMBER_SHAPE = re.compile(r"^\d[\dA-Za-z.]*[-/][\dA-ZĐ/.-]*[A-ZĐ][\dA-ZĐ/.-]*$")  # 57-NQ/TW, 12/KH-UBND
_WORD_EDGE = "().,;:“”\"'"


@functools.cache
def acronyms() -> frozenset[str]:
    """Words kept in capitals by sentence case (data/acronyms.yaml)."""
    raw = load_yaml(DATA_DIR / "acronyms.yaml")
    return frozenset(raw["acronyms"])


def is_upper_text(text: str) -> bool:
    """Printed in capitals: more than 80% of the letters are upper case."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def sentence_case(text: str, names: Iterable[str] = ()) -> str:
    """'CÁC NHIỆM VỤ VỀ Cải cách TTHC' -> 'Các nhiệm vụ về cải cách TTHC'.

    Known acronyms and document numbers ('57-NQ/TW') keep their capitals; in a title not printed in
    capitals every all-capital word does. `names` (places, bodies) get their own capitals back.
    """
    words = collapse(text).split(" ")
    upper = is_upper_text(text)
    out = []
    for word in words:
        core = word.strip(_WORD_EDGE)
        keep = core in acronyms() or _NUMBER_SHAPE.match(core) is not None \
            or (not upper and _ACRONYM_SHAPE.match(word) is not None)
        out.append(word if keep else word.lower())
    result = " ".join(out)
    for name in sorted(set(names), key=len, reverse=True):
        result = re.sub(rf"(?<!\w){re.escape(name.lower())}(?!\w)", name, result)
    return result[:1].upper() + result[1:]


_INNER_SPACE = re.compile(r"(?<=[“(\[]) +| +(?=[”)\]])")


@functools.lru_cache(maxsize=1 << 14)  # a table's title is cased again for each of its tasks
def section_case(title: str) -> str:
    """Section titles: single spaces (none just inside quotes and brackets: '“ Đối thoại ”' as web
    converters leave it), sentence case when printed in capitals, else first letter up."""
    text = _INNER_SPACE.sub("", collapse(title)).rstrip(" :")
    if is_upper_text(text):
        return sentence_case(text)
    return text[:1].upper() + text[1:]
