"""Cleaned lines and where the parts of a decision are: header block, headings, body, appendix."""

from __future__ import annotations

import re
from dataclasses import dataclass

from plantasks.normalizers.text import BULLET_SYMBOLS
from plantasks.normalizers.vietnamese import match_key, nfc, unify_tone_placement
from plantasks.parsers.metadata.vocab import load_vocab

SPACES = re.compile(r"\s+")
DECISION_HEADINGS = ("quyết định", "nghị quyết", "thông báo", "chỉ thị")  # documents that set tasks themselves
_MARKUP = re.compile(r"\*\*|__|</?[a-zA-Z][^>]*>|^\s*\|+|\|+\s*$")  # bold, tags, a table row's outer bars
BODY_START = re.compile(r"^(căn cứ|thực hiện|điều 1\b|i\.\s|phần i\b|quyết định\s*:|theo đề nghị)")


def clean_line(line: str) -> str:
    """NFC, single spaces, markup (**bold**, <tags>, a markdown row's outer bars) removed, 'Ð' read as 'Đ'."""
    line = nfc(line).replace("\u00d0", "\u0110")
    if "**" in line or "__" in line or "<" in line or "|" in line:
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


_GUTTER = re.compile(r"(?<=\S)(?: {4,}|\t+)(?=\S)")  # the space between two columns printed on one line
_DATED = re.compile(r"^(số\b|.*\bngày\b)")  # the number and place-date line, read by position elsewhere
_SIGNATURE_LINES = 25  # a signature block's recipients and signer fit in this many lines


def _columns_side_by_side(pieces: list[str]) -> list[str]:
    """The letterhead (issuing body | national motto) and the signature block (recipients | signer), when a
    text tool printed their two columns side by side on one line each, de-interleaved as a layout table's
    cells are: the left column's lines, then the right column's. Any other line passes unchanged."""
    # (a gutter holds four spaces or a tab: a piece without either is one column, and the regex not needed)
    split = [_GUTTER.split(p.strip()) if "    " in p or "\t" in p else [p.strip()] for p in pieces]
    motto_starts = tuple(" ".join(m.split()[:2]) for m in load_vocab().motto)  # "cộng hòa", "độc lập"
    out: list[str] = []
    i = 0
    while i < len(pieces):
        parts = split[i]
        if len(parts) == 2 and match_key(parts[1]).startswith(motto_starts):
            end = i + 1
            while end < len(pieces) and len(split[end]) == 2 and not _DATED.match(match_key(split[end][0])):
                end += 1
            out += [split[k][0] for k in range(i, end)] + [split[k][1] for k in range(i, end)]
            i = end
        elif len(parts) == 2 and match_key(parts[0]).startswith("nơi nhận"):
            end = max(k for k in range(i, min(i + _SIGNATURE_LINES, len(pieces))) if len(split[k]) == 2) + 1
            left, right = [], []
            for k in range(i, end):
                if len(split[k]) == 2:
                    left.append(split[k][0])
                    right.append(split[k][1])
                else:
                    (left if pieces[k].strip()[:1] in BULLET_SYMBOLS else right).append(pieces[k])
            out += left + right
            i = end
        else:
            out.append(pieces[i])
            i += 1
    return out


def lines_to_layout(raw_lines: list[str]) -> Layout:
    # a layout-table row (header or signature block) arrives as one line with its cells' breaks
    pieces = _columns_side_by_side([piece for raw in raw_lines for piece in raw.split("\n")])
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
    """'KẾ HOẠCH', a title in capitals starting with it, or the head in capitals with the title run on
    after it in running case ('KẾ HOẠCH thực hiện Nghị quyết …': a text tool joined the two lines)."""
    heads = load_vocab().plan_title_heads
    if key in heads:
        return True
    head = next((h for h in heads if key.startswith(h + " ")), None)
    if head is None or len(line) >= 250:
        return False
    return is_upper_line(line) or is_upper_line(line[:len(head)]) and line[len(head) + 1:][:1].islower()


def _is_appendix_heading(line: str, key: str) -> bool:
    return key.startswith("phụ lục") and len(line) < 300 and not key.startswith("phụ lục kèm theo")
