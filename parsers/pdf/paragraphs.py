"""Physical lines -> paragraphs (TextLines), and paragraphs cut by a page break joined again."""

from __future__ import annotations

import re

from plantasks.normalizers.text import LEADING_BULLET as BULLET
from plantasks.parsers.blocks import Block, Provenance, TextLine
from plantasks.parsers.pdf.frame import round_box
from plantasks.parsers.pdf.words import Line, split_segments

ITEM_START = re.compile(r"^(\d{1,2}|[IVXLC]{1,6}|[a-zđ])[.)]\s")


def paragraphs(lines: list[Line], text_width: float) -> list[tuple[float, TextLine]]:
    """Physical lines -> (top, TextLine) paragraphs: full lines are joined; lines split in columns
    (a two-column header block) are read column by column, see _column_block."""
    out: list[tuple[float, TextLine]] = []
    current: list[Line] = []
    block: list[list[Line]] = []
    reach: list[tuple[float, float]] = []  # x extents of the columns of the blocks just read
    for line in lines:
        segments = split_segments(line)
        close = bool(block) and line.top - max(s.bottom for s in block[-1]) <= 0.8 * (line.bottom - line.top)
        if len(segments) > 1 or (close and _in_one_column(line, _columns(block, list(reach))[1])):
            out += _flush(current)
            current = []
            if block and not close:
                out += _column_block(block, reach)
                block = []
            block.append(segments)
            continue
        out += _column_block(block, reach)
        block, reach = [], []
        if current and not continues(current[-1], line, text_width, listed=False):
            out += _flush(current)
            current = []
        current.append(line)
    return out + _column_block(block, reach) + _flush(current)


def _in_one_column(line: Line, reach: list[tuple[float, float]]) -> bool:
    """A line under a column block that overlaps one of its columns only (the motto under the
    nation's name, the last line of the issuing body)."""
    return sum(1 for x0, x1 in reach if line.x0 <= x1 and line.x1 >= x0) == 1


def _columns(block: list[list[Line]], reach: list[tuple[float, float]]) -> tuple[list[list[Line]], list[tuple[float, float]]]:
    """The block's pieces by column (overlapping x extents), one piece per line and column, and the
    columns' extents; `reach`, the extents of the blocks before, is extended in place."""
    columns: list[list[Line]] = [[] for _ in reach]
    for segments in block:
        used: set[int] = set()
        for segment in segments:
            index = next((i for i, (x0, x1) in enumerate(reach) if segment.x0 <= x1 and segment.x1 >= x0), None)
            if index is None:
                reach.append((segment.x0, segment.x1))
                columns.append([segment])
                index = len(columns) - 1
            elif index in used and columns[index]:  # two pieces of one line in one column ("Số:", the blank, "/KH-UBND")
                columns[index][-1] = Line(columns[index][-1].words + segment.words)
            else:
                columns[index].append(segment)
            reach[index] = (min(reach[index][0], segment.x0), max(reach[index][1], segment.x1))
            used.add(index)
    return columns, reach


def _column_block(block: list[list[Line]], reach: list[tuple[float, float]]) -> list[tuple[float, TextLine]]:
    """Consecutive lines split in columns (the issuing body beside the national motto, each maybe
    wrapped in its narrow column): the left column's lines, then the next column's, as a table row
    would give them, all placed at the block's top. A line reaching its column's right end may be
    a full line of a wider column, so it is never taken as wrapped; another wraps on when the next
    word would not have fitted: in the column's width when the lines are centred, up to the
    column's right end when not. `reach` (the columns of the blocks before: a row "Số: …" under
    the header rows keeps their columns) is extended."""
    if not block:
        return []
    columns, reach = _columns(block, reach)
    top = min(s.top for s in block[0])
    out = []
    for (_, right), column in sorted(zip(reach, columns), key=lambda pair: pair[0][0]):
        if not column:
            continue
        centres = [(l.x0 + l.x1) / 2 for l in column]
        width = max(l.x1 - l.x0 for l in column) if max(centres) - min(centres) <= 3.0 else None
        current = [column[0]]
        for line in column[1:]:
            previous = current[-1]
            room = width if width is not None else right - previous.x0
            if previous.x1 < right - 1.0 and continues(previous, line, room, listed=False):
                current.append(line)
            else:
                out += [(top, text) for _, text in _flush(current)]
                current = [line]
        out += [(top, text) for _, text in _flush(current)]
    return out


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
