"""Physical lines -> paragraphs (TextLines), and paragraphs cut by a page break joined again."""

from __future__ import annotations

import re

from plantasks.normalizers.text import LEADING_BULLET as BULLET
from plantasks.parsers.blocks import Block, Provenance, TextLine
from plantasks.parsers.pdf.frame import round_box
from plantasks.parsers.pdf.words import Line, split_segments

ITEM_START = re.compile(r"^(\d{1,2}|[IVXLC]{1,6}|[a-zđ])[.)]\s")


def paragraphs(lines: list[Line], text_width: float) -> list[tuple[float, TextLine]]:
    """Physical lines -> (top, TextLine) paragraphs: multi-column lines stay apart, full lines are joined."""
    out: list[tuple[float, TextLine]] = []
    current: list[Line] = []
    for line in lines:
        segments = split_segments(line)
        if len(segments) > 1:
            out += _flush(current)
            current = []
            out += [(s.top, _text_line(s.text, [s])) for s in segments]
            continue
        if current and not continues(current[-1], line, text_width, listed=False):
            out += _flush(current)
            current = []
        current.append(line)
    return out + _flush(current)


def continues(previous: Line, line: Line, text_width: float, listed: bool = True) -> bool:
    """Is `line` the wrapped continuation of `previous` (which had no room for its first word)?

    A line starting with a bullet starts a new item, unless the text is not a list (`listed`
    False: its first line has no bullet) and the previous line was full without closing
    punctuation, as in "... kỳ 2019 / - 2023".
    """
    ends_item = previous.text[-1:] in ".;:"
    if ITEM_START.match(line.text) and ends_item:
        return False
    if BULLET.match(line.text) and (listed or ends_item):
        return False
    height = previous.bottom - previous.top
    if line.top - previous.bottom > 0.8 * height:
        return False
    space = 0.25 * height
    first = line.words[0]
    return (previous.x1 - previous.x0) + space + (first.x1 - first.x0) > text_width - 2.0


def _flush(lines: list[Line]) -> list[tuple[float, TextLine]]:
    if not lines:
        return []
    text = lines[0].text
    for previous, line in zip(lines, lines[1:]):
        text += wrap_joint(previous) + line.text
    return [(lines[0].top, _text_line(text, lines))]


def wrap_joint(previous: Line) -> str:
    """What joins a wrapped line to the next: '' after a line-end hyphen, else a space."""
    last = previous.words[-1].text
    return "" if last.endswith("-") and len(last) > 1 else " "


def _text_line(text: str, lines: list[Line]) -> TextLine:
    bbox = (min(l.x0 for l in lines), min(l.top for l in lines), max(l.x1 for l in lines), max(l.bottom for l in lines))
    return TextLine(text, Provenance(bbox=round_box(bbox)))


def join_across_pages(blocks: list[Block]) -> list[Block]:
    """A paragraph cut by a page break: the last text of a page without closing punctuation and
    the first text of the next page starting in lower case are one TextLine."""
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if (isinstance(block, TextLine) and isinstance(previous, TextLine)
                and previous.prov.page is not None and block.prov.page == previous.prov.page + 1
                and block.text[:1].islower() and previous.text[-1:] not in ".;:!?"
                and not BULLET.match(block.text) and not ITEM_START.match(block.text)):
            out[-1] = TextLine(previous.text + " " + block.text, previous.prov.span(block.prov))
        else:
            out.append(block)
    return out
