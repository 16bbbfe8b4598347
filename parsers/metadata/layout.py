"""Cleaned lines and where the parts of a decision are: header block, headings, body, appendix."""

from __future__ import annotations

import re
from dataclasses import dataclass

from plantasks.normalizers.vietnamese import match_key, nfc, unify_tone_placement
from plantasks.parsers.metadata.vocab import load_vocab

SPACES = re.compile(r"\s+")
DECISION_HEADINGS = ("quyết định", "nghị quyết", "thông báo", "chỉ thị")  # documents that set tasks themselves
_MARKUP = re.compile(r"\*\*|__|</?[a-zA-Z][^>]*>")
BODY_START = re.compile(r"^(căn cứ|thực hiện|điều 1\b|i\.\s|phần i\b|quyết định\s*:|theo đề nghị)")


def clean_line(line: str) -> str:
    """NFC, single spaces, markup (**bold**, <tags>) removed, 'Ð' read as 'Đ'."""
    line = nfc(line).replace("\u00d0", "\u0110")
    if "**" in line or "__" in line or "<" in line:
        line = _MARKUP.sub(" ", line)
    return " ".join(line.split())  # SPACES.sub(" ", line).strip(): \s and str.split agree on whitespace


def aligned_key(text: str) -> str:
    """match_key without whitespace collapsing, so offsets match `text` when lengths agree."""
    return unify_tone_placement(nfc(text).replace("\u00d0", "\u0110").casefold())


def is_upper_line(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


@dataclass(frozen=True)
class Layout:
    lines: tuple[str, ...]
    keys: tuple[str, ...]
    body_start: int  # first line of legal bases / body; lines before it are the header block
    decision_heading: int | None
    plan_heading: int | None
    appendix_start: int | None


def lines_to_layout(raw_lines: list[str]) -> Layout:
    # a layout-table row (header or signature block) arrives as one line with its cells' breaks
    pieces = (piece for raw in raw_lines for piece in raw.split("\n"))
    lines = tuple(l for l in (clean_line(x) for x in pieces) if l)
    keys = tuple(match_key(l) for l in lines)
    heads = load_vocab().plan_title_heads
    body_start = next(
        (i for i, k in enumerate(keys) if BODY_START.match(k) and not (i and keys[i - 1] in heads)),
        len(lines),
    )
    decision = next((i for i, k in enumerate(keys) if k.rstrip(":") in DECISION_HEADINGS and i <= body_start), None)
    appendix = next((i for i, k in enumerate(keys) if _is_appendix_heading(lines[i], k)), None)
    plan = next(
        (i for i, k in enumerate(keys[: appendix if appendix is not None else len(keys)])
         if _is_plan_heading(lines[i], k)),
        None,
    )
    return Layout(lines, keys, body_start, decision, plan, appendix)


def _is_plan_heading(line: str, key: str) -> bool:
    heads = load_vocab().plan_title_heads
    if key in heads:
        return True
    return any(key.startswith(h + " ") for h in heads) and is_upper_line(line) and len(line) < 250


def _is_appendix_heading(line: str, key: str) -> bool:
    return key.startswith("phụ lục") and len(line) < 300 and not key.startswith("phụ lục kèm theo")
