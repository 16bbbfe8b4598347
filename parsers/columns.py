"""Map table header cells to column roles by what they say, not by position."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

from plantasks.normalizers.text import fold

ROLES = ("stt", "content", "outputs", "lead", "support", "performer", "deadline", "funding", "note")
_CORE = {"stt", "content", "outputs", "lead", "support", "performer", "deadline", "funding"}


@dataclass(frozen=True)
class HeaderCell:
    role: str | None
    leftover: str  # text in the cell that is not header wording (OCR put row text there)


@dataclass(frozen=True)
class ColumnMap:
    roles: tuple[str | None, ...]

    def index(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    @property
    def width(self) -> int:
        return len(self.roles)


@cache
def _vocabulary() -> tuple[list[tuple[str, list[str]]], list[set[str]], set[str]]:
    data = yaml.safe_load((Path(__file__).parent / "data" / "columns.yaml").read_text(encoding="utf-8"))
    rules = [(role, sorted(phrases, key=len, reverse=True)) for role, phrases in data["roles"].items()]
    return rules, [set(c) for c in data["combined"]], set(data["exact_only"])


@lru_cache(maxsize=1 << 14)  # header wording repeats across rows and plans
def classify_header_cell(text: str) -> HeaderCell:
    rules, combined, exact_only = _vocabulary()
    raw = " ".join(text.split())
    key = fold(raw).strip(" .:()")
    found: dict[str, tuple[int, int]] = {}
    for role, phrases in rules:
        for phrase in phrases:
            if role in exact_only:
                if key == phrase:
                    found[role] = (0, len(key))
                    break
                continue
            m = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", key)
            if m:
                found[role] = m.span()
                break
    if not found:
        return HeaderCell(None, raw)
    roles = set(found)
    for combo in combined:
        if combo <= roles:
            return HeaderCell("performer", "")
    role = next(r for r, _ in rules if r in found)
    start, end = found[role]
    leftover = _leftover(raw, key, start, end)
    return HeaderCell(role, leftover)


def _leftover(raw: str, key: str, start: int, end: int) -> str:
    """Text in a header cell that is not header wording (OCR put a row's words there)."""
    rules, _, _ = _vocabulary()
    mask = list(key)
    for phrase in sorted((p for _, ps in rules for p in ps), key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", "".join(mask)):
            mask[m.start():m.end()] = " " * (m.end() - m.start())
    kept = "".join(ch if m != " " else " " for ch, m in zip(raw, mask))
    words = [w for w in kept.split() if w.strip("/,.:;-–()") and not _FILLER.match(fold(w.strip("/,.:;-–()")))]
    return " ".join(words)


_FILLER = re.compile(r"^(va|\(?\d+\)?|cq|cap|thuc|hien|du|kien|cu|the|chinh)$")


def header_map(cells: list[str]) -> tuple[ColumnMap, list[str]] | None:
    """A header row -> its column map and per-column leftover text; None when the row is not a header."""
    nonempty = [c for c in cells if c.strip()]
    if len(nonempty) < 3 or any(len(c.split()) > 12 for c in nonempty):
        return None
    parsed = [classify_header_cell(c) if c.strip() else HeaderCell(None, "") for c in cells]
    roles = [p.role for p in parsed]
    if "stt" not in roles and roles[0] is None and 0 < len(cells[0].strip()) <= 4:
        roles[0] = "stt"  # an OCR-damaged number column ("T T", "Sô")
        parsed[0] = HeaderCell("stt", "")
    distinct = {r for r in roles if r in _CORE}
    matched = sum(1 for p, c in zip(parsed, cells) if c.strip() and p.role)
    if len(distinct) < 3 or matched < 0.6 * len(nonempty):
        return None
    if "content" not in distinct and "stt" not in distinct:
        return None
    if matched < len(nonempty) - 1:
        return None
    return ColumnMap(tuple(_dedupe(roles))), [p.leftover for p in parsed]


def _dedupe(roles: list[str | None]) -> list[str | None]:
    """A role seen twice: the second is an unknown column (kept, not mapped)."""
    seen: set[str] = set()
    out = []
    for r in roles:
        out.append(None if r in seen else r)
        if r:
            seen.add(r)
    return out


def is_header_row(cells: list[str]) -> bool:
    return header_map(cells) is not None
