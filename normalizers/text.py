"""Cell text clean-up shared by every format: HTML remnants, bullets, whitespace, case."""

from __future__ import annotations

import functools
import html
import re
import unicodedata

_BREAK_TAGS = re.compile(r"<\s*(br|/?li|/?p|/?div|/?tr|/?ul|/?ol)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_INLINE_BULLET = re.compile(r"(?<=[;.:])\s+([-+•–])\s+")
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
_ACRONYM = re.compile(r"^[A-ZĐ0-9&\-/.()]{2,}$")


@functools.lru_cache(maxsize=1 << 15)  # cells repeat across rows and plans: clean each distinct one once
def clean_cell(text: str) -> str:
    """HTML removed, NFC, one item per line (inline ' - ' bullets after ';' '.' ':' become lines)."""
    text = unicodedata.normalize("NFC", text or "")
    text = _BREAK_TAGS.sub("\n", text)
    text = _ANY_TAG.sub(" ", text)
    text = html.unescape(text)
    text = _INLINE_BULLET.sub(lambda m: "\n" + m.group(1) + " ", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def collapse(text: str) -> str:
    """All whitespace, line breaks included, to single spaces."""
    return " ".join((text or "").split())


def sentence_case(title: str) -> str:
    """'CÁC NHIỆM VỤ VỀ Cải cách TTHC' -> 'Các nhiệm vụ về cải cách TTHC' (acronyms kept)."""
    words = collapse(title).split(" ")
    out = []
    for i, word in enumerate(words):
        if _ACRONYM.match(word) and (not _is_upper_title(words) or _looks_acronym(word)):
            out.append(word)
        else:
            out.append(word.lower())
    text = " ".join(out)
    return text[:1].upper() + text[1:]


def _is_upper_title(words: list[str]) -> bool:
    letters = [c for c in "".join(words) if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


_KNOWN_ACRONYMS = frozenset(
    "CCHC TTHC UBND HĐND QPPL CBCCVC CNTT ĐVSN BCĐ TTĐT PCI PAPI SIPAS ICT PAR CSDL VPĐT".split()
)


def _looks_acronym(word: str) -> bool:
    core = word.strip("().,;:")
    return core in _KNOWN_ACRONYMS


_ITEM_BULLET = re.compile(r"^\s*(?:[-+•–*]|\d{1,2}[.)])\s+")


def strip_bullet(text: str) -> str:
    return _ITEM_BULLET.sub("", text, count=1).strip()


def split_items(cell: str) -> list[str]:
    """Products cell -> items: at line breaks/bullets and ';' (never ',' or '/'); trailing ; . , trimmed."""
    items = []
    for line in clean_cell(cell).split("\n"):
        for part in line.split(";"):
            item = strip_bullet(part).rstrip(" ;.,").strip()
            if item:
                items.append(item)
    return items
