"""What a table cell looks like, and where the cells of a short row go.

Some renderings leave out the cells a merged (row-spanned) cell covered above: the row then has fewer
cells than the header. `place_short_row` puts each cell in the column it looks like (a row number, a
time phrase, a sum of money, an agency list, a product, task text) keeping their order, and gives the
left-out columns the value of the row above (GOLD_SPEC: a merged cell belongs to every row it spans).
The cue words live in data/cell_kinds.yaml.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import combinations
from pathlib import Path

from plantasks.data_files import load_yaml
from plantasks.normalizers.vietnamese import match_key
from plantasks.parsers.columns import fold, header_map

_ROW_NUMBER = re.compile(r"^([0-9]{1,3}(\.[0-9]{1,2})*|[IVXLC]{1,6}|[a-zđ])[.)]?$")
_MAX_WIDTH = 12  # beyond this many columns the placement search is not attempted

# how well a cell kind fits a column role; unknown pairs score 0
_FIT = {
    ("number", "stt"): 4, ("time", "deadline"): 3, ("money", "funding"): 3,
    ("agency", "lead"): 2, ("agency", "support"): 2, ("agency", "performer"): 2,
    ("outputs", "outputs"): 2, ("text", "content"): 2, ("outputs", "content"): 1,
}
_MISFIT = {"number": -4, "time": -2, "money": -2}


def looks_like_row_number(text: str) -> bool:
    return bool(_ROW_NUMBER.match(text.strip()))


@cache
def _kinds() -> dict:
    data = load_yaml(Path(__file__).parent / "data" / "cell_kinds.yaml")
    for spec in data.values():
        spec["contains"] = [re.compile(p) for p in spec.get("contains", [])]
        written = [match_key(p) for p in spec.get("starts", [])]
        spec["starts"] = [re.compile(rf"^{re.escape(fold(p))}\b") for p in written]
        spec["starts_marked"] = [re.compile(rf"^{re.escape(p)}\b") for p in written] if spec.get("marked") else None
    return data


def cell_kind(text: str) -> str:
    """number / time / money / agency / outputs / text / empty."""
    text = " ".join(text.split())
    if not text:
        return "empty"
    if looks_like_row_number(text):
        return "number"
    key = fold(text).lstrip("-+•– ")
    words = len(key.split())
    for kind in ("time", "money", "outputs", "agency"):  # "Báo cáo …" is a product, not the "Báo …" newspaper
        spec = _kinds()[kind]
        if words > spec["max_words"]:
            continue
        starts, probe = spec["starts"], key
        if spec["starts_marked"] and not text.isascii():  # (text printed without marks: read folded)
            starts, probe = spec["starts_marked"], match_key(text).lstrip("-+•– ")
        if any(p.search(key) for p in spec["contains"]) or any(p.search(probe) for p in starts):
            return kind
    return "text"


def place_short_row(texts: list[str], headers: list[str], previous: list[str] | None) -> list[str]:
    """The cells of a row with fewer cells than the header, placed in the columns they fit; a
    left-out column takes the row above's value."""
    found = header_map(headers)
    width = len(headers)
    if not found or len(texts) >= width or width > _MAX_WIDTH:
        return texts + [""] * (width - len(texts))
    roles = found[0].roles
    kinds = [cell_kind(t) for t in texts]
    best, best_score = None, None
    for columns in combinations(range(width), len(texts)):
        score = sum(fit(kind, roles[c]) for kind, c in zip(kinds, columns))
        if best_score is None or score > best_score:
            best, best_score = columns, score
    out = list(previous) if previous and len(previous) == width else [""] * width
    for text, column in zip(texts, best):
        out[column] = text
    return out


def fit(kind: str, role: str | None) -> int:
    """How well a cell of this kind fits a column of this role (higher: better)."""
    if kind == "empty":
        return 0
    return _FIT.get((kind, role), _MISFIT.get(kind, 0))
