"""Map table header cells to column roles by what they say, not by position."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from plantasks.data_files import load_yaml
from plantasks.normalizers.text import fold

ROLES = ("stt", "section", "content", "outputs", "lead", "support", "performer", "lead_support", "start", "deadline",
         "funding", "submitter", "extra")
_CORE = {"stt", "content", "outputs", "lead", "support", "performer", "lead_support", "start", "deadline", "funding",
         "submitter"}
EXTRA = "extra"  # a column that feeds no field: its cells stay on the task under the printed header


@dataclass(frozen=True)
class HeaderCell:
    role: str | None
    leftover: str  # text in the cell that is not header wording (OCR put row text there)


@dataclass(frozen=True)
class ColumnMap:
    """Role of each column (None: a header no rule knows) and the header as printed."""

    roles: tuple[str | None, ...]
    headers: tuple[str, ...] = field(default=(), compare=False)

    def header(self, column: int) -> str:
        text = self.headers[column] if column < len(self.headers) else ""
        return text or f"cột {column + 1}"

    def index(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    @property
    def width(self) -> int:
        return len(self.roles)


@cache
def _data() -> dict:
    return load_yaml(Path(__file__).parent / "data" / "columns.yaml")


@cache
def _vocabulary() -> tuple[list[tuple[str, list[str]]], list[set[str]], set[str]]:
    data = _data()
    rules = [(role, sorted(phrases, key=len, reverse=True)) for role, phrases in data["roles"].items()]
    return rules, [set(c) for c in data["combined"]], set(data["exact_only"])


@cache
def _same_as_above_marks() -> frozenset[str]:
    return frozenset(_data()["same_as_above"])


def is_group_title(text: str) -> bool:
    """Does an unnumbered row's only text title a group of rows ('Nhóm nhiệm vụ về …', '… như sau:')?"""
    key = fold(text).strip()
    return text[:1].isupper() and (text.rstrip().endswith(":")
                                    or any(key.startswith(h + " ") for h in _data()["group_row_heads"]))


def is_same_as_above(text: str) -> bool:
    """Is the cell only a mark that repeats the cell above ('nt', '- nt -', 'Như trên', '"')?"""
    return len(text) <= 12 and fold(text).strip(" \t\n-–—.()[]") in _same_as_above_marks()


@cache
def header_words() -> frozenset[str]:
    """Every word (folded) the header vocabulary uses, with the filler words headers carry."""
    words = {w for phrases in _data()["roles"].values() for p in phrases for w in re.split(r"[\s/]+", p)}
    return frozenset(words | {"va", "cap", "du", "kien", "cu", "the", "chinh"})


_WORD = re.compile(r"\w+")


def mostly_header_words(text: str, least: int = 1) -> bool:
    """At least `least` words, numbers aside, and 80% of them header wording ("TT Nội dung … Cơ quan
    thực hiện"): a header line, whatever else a reader may have put beside it."""
    words = [w for w in _WORD.findall(fold(text)) if not w.isdigit()]
    return len(words) >= least and sum(w in header_words() for w in words) >= 0.8 * len(words)


@cache
def _phrase_rx(phrase: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")


def _phrase(key: str, phrase: str) -> tuple[int, int] | None:
    if phrase not in key:  # most phrases are not in a cell at all: no regex needed
        return None
    m = _phrase_rx(phrase).search(key)
    return m.span() if m else None


@lru_cache(maxsize=1 << 14)  # header wording repeats across rows and plans
def classify_header_cell(text: str) -> HeaderCell:
    rules, combined, exact_only = _vocabulary()
    raw = " ".join(text.split())
    key = fold(raw).strip(" .:()")
    found: dict[str, tuple[int, int]] = {}
    for role, phrases in rules:
        for phrase in phrases:
            if role in exact_only or phrase in exact_only:
                if key == phrase:
                    found[role] = (0, len(key))
                    break
                continue
            span = _phrase(key, phrase)
            if span:
                found[role] = span
                break
    cut = None
    if not found:
        found = _truncated(key, rules, exact_only)
        cut = next(iter(found.values()))[0] if found else None
    found = _outermost(found)
    if not found:
        words = [w for w in raw.split() if any(ch.isalnum() for ch in w)]
        if 0 < len(words) < len(raw.split()):  # OCR marks between the words ('tham gia - thẩm tra')
            return classify_header_cell(" ".join(words))
        return HeaderCell(None, raw)
    roles = set(found)
    for combo in combined:
        if combo <= roles:
            return HeaderCell("performer", "")
    role = next(r for r, _ in rules if r in found)
    start, end = found[role]
    leftover = _leftover(raw, key, start, end) if cut is None else _leftover(raw[:cut], key[:cut], 0, 0)
    return HeaderCell(role, leftover)


def _truncated(key: str, rules, exact_only: set[str]) -> dict[str, tuple[int, int]]:
    """Roles whose phrase ends the cell cut short in its last word ('cơ quan chủ tr': a scan cut
    the header's last letters or read them as nothing), at least two letters of it kept."""
    for role, phrases in rules:
        if role in exact_only:
            continue
        for phrase in phrases:
            if phrase in exact_only:
                continue
            *head, last = phrase.split()
            for kept in range(len(last) - 1, 1, -1):
                cut = " ".join([*head, last[:kept]])
                if key.endswith(cut) and (len(key) == len(cut) or not key[-len(cut) - 1].isalnum()):
                    return {role: (len(key) - len(cut), len(key))}
    return {}


def _outermost(found: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Drop a role whose words sit inside (or overlap) a longer match of another role."""
    kept: dict[str, tuple[int, int]] = {}
    for role, (start, end) in sorted(found.items(), key=lambda item: item[1][0] - item[1][1]):
        if all(end <= s or start >= e for s, e in kept.values()):
            kept[role] = (start, end)
    return kept


def _leftover(raw: str, key: str, start: int, end: int) -> str:
    """Text in a header cell that is not header wording (OCR put a row's words there)."""
    rules, _, _ = _vocabulary()
    mask = list(key)
    for phrase in sorted((p for _, ps in rules for p in ps), key=len, reverse=True):
        masked = "".join(mask)
        if phrase not in masked:
            continue
        for m in _phrase_rx(phrase).finditer(masked):
            mask[m.start():m.end()] = " " * (m.end() - m.start())
    kept = "".join(ch if m != " " else " " for ch, m in zip(raw, mask))
    kept = _QUALIFIER.sub(" ", kept)  # "(Năm 2026)", "(triệu đồng)": the column's qualifier, not row text
    words = [w for w in kept.split() if w.strip("/,.:;-–()") and not _FILLER.match(fold(w.strip("/,.:;-–()")))]
    return " ".join(words)


_QUALIFIER = re.compile(r"\([^()]*(\)|$)")  # to the cell's end: the key lost its closing parenthesis
_FILLER = re.compile(r"^(va|\(?\d+\)?|cq|cap|thuc|hien|du|kien|cu|the|chinh)$")


def header_map(cells: list[str]) -> tuple[ColumnMap, list[str]] | None:
    """A header row -> its column map and per-column leftover text; None when the row is not a header.

    A header needs three known core roles and the content or number column; one header the
    vocabulary does not know does not stop a table (its column is kept as an unknown column)."""
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
    if matched < len(nonempty) - max(1, len(nonempty) // 4):
        return None  # a header may carry a column no rule knows, not many
    headers = tuple(" ".join(c.split()) for c in cells)
    return ColumnMap(tuple(_settle(_dedupe(roles), headers)), headers), [p.leftover for p in parsed]


def _dedupe(roles: list[str | None]) -> list[str | None]:
    """A role seen twice: the second is kept as an extra column, except for agency roles, which
    several columns may share (chủ trì thẩm tra + tham gia thẩm tra both name examining bodies)."""
    multi = set(_data()["multi"])
    seen: set[str] = set()
    out = []
    for r in roles:
        out.append(EXTRA if r in seen and r not in multi else r)
        if r:
            seen.add(r)
    return out


def _settle(roles: list[str | None], headers: tuple[str, ...]) -> list[str | None]:
    """Roles that depend on the other columns: the submitting body is the lead only where no
    drafting/lead column exists; a "Kết quả thực hiện" column beside a status column is a report."""
    roles = list(roles)
    has_lead = "lead" in roles or "performer" in roles
    status = _data()["status"]
    keys = [fold(h) for h in headers]
    has_status = any(r in (EXTRA, None) and any(_phrase(k, p) for p in status) for r, k in zip(roles, keys))
    for i, role in enumerate(roles):
        if role == "submitter":
            roles[i] = EXTRA if has_lead else "lead"
        elif role == "outputs" and has_status and _phrase(keys[i], "thuc hien"):
            roles[i] = EXTRA
    return roles


def is_header_row(cells: list[str]) -> bool:
    return header_map(cells) is not None
