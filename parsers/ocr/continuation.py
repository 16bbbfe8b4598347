"""A table continued on the next page keeps its columns, even when the ruling detection splits that
page's columns differently (a faint line missed, a stray line found).

The pages are read one by one (in parallel); then, in page order, the first table of a page
continues the table open at the end of the pages before when it starts without a header and spans
the same width, or repeats the open table's header (its columns mean the same, by
parsers/columns.py, also once mapped; a page scanned at another scale has another width). When its column boundaries differ from the open table's (as shares of the
table's width), the page is laid out again with the open table's boundaries: a line found there
is kept, a stray line dropped, a missing line added, and the words placed and read again, so a
cell's words go back to the columns they are printed under (words a missing line would have split
are split by their positions). A new header with other meanings opens a new table: nothing is
mapped. Cell boxes stay on the page as read. A table printed without column lines that goes on
without a repeated header is not found on its next page by alignment alone (no header): that page's
first lines are read in the open table's columns (aligned.continued_rows), or, where its centred
cells set out columns of their own, those columns are mapped onto the open table's by where their
text stands (aligned.mapped_rows). A table under a paragraph of text starts a new table.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from plantasks.parsers.columns import header_map
from plantasks.parsers.ocr.aligned import continued_rows, mapped_rows
from plantasks.parsers.ocr.grid import TableGrid, column_shares, with_columns
from plantasks.parsers.ocr.layout import LaidOut, place_words, visual_lines

if TYPE_CHECKING:
    from plantasks.parsers.ocr.page import PageResult

SAME_WIDTH = 0.04  # table widths this close (share of the width) belong to one table
SAME_BOUNDARY = 0.015  # boundaries this close (share of the width) are the same column line
START_SLACK = 0.01  # share of the width a column's text may start left of where it started before


@dataclass(frozen=True)
class OpenTable:
    shares: tuple[float, ...]  # column boundaries as shares of the width
    width: float  # in document units
    roles: tuple[str | None, ...] | None  # what its header's columns mean, when a header was seen
    xs: tuple[float, ...]  # column boundaries in document units
    ruled: bool
    spans: tuple[tuple[float, float], ...] = ()  # where each column's text stands (without column lines)


def continue_tables(results: list[PageResult]) -> list[PageResult]:
    """PageResults (page order) with each page whose first table continues the open one laid out
    again in that table's columns when they differ."""
    out = []
    open_table: OpenTable | None = None
    for result in results:
        laid: LaidOut | None = result.layout
        if laid is not None and not laid.tables and open_table is not None and not open_table.ruled:
            laid = aligned_continuation(laid, open_table)
            if laid.tables:
                out.append(replace(result, blocks=laid.blocks(), layout=laid))
                continue
        if laid is None or not laid.tables:
            if result.blocks:
                open_table = None  # a page of text closes the table
            out.append(result)
            continue
        going_on = open_table is not None and continues(laid, open_table)
        if going_on and needs_columns(laid.tables[0], open_table):
            moved = moved_to(laid, open_table)
            going_on = moved is not None
            if going_on:
                laid = moved
                result = replace(result, blocks=laid.blocks(), layout=laid)
        out.append(result)
        if not (going_on and len(laid.tables) == 1):
            open_table = table_state(laid, len(laid.tables) - 1)
    return out


def table_state(laid: LaidOut, index: int) -> OpenTable:
    table = laid.tables[index]
    bounds = table.xs if table.ruled else text_starts(laid, index)
    xs = tuple(laid.to_doc.box(x, table.ys[0], x, table.ys[-1])[0] for x in bounds)
    spans = () if table.ruled else tuple(laid.to_doc.box(x0, 0, x1, 0)[::2] for x0, x1 in text_spans(laid, index))
    return OpenTable(tuple(column_shares(table)), doc_width(laid, table), header_roles(laid, index), xs, table.ruled,
                     spans)


def text_spans(laid: LaidOut, index: int) -> list[tuple[float, float]]:
    """Where each column's text stands, left to right (the column's own bounds when it holds none)."""
    table = laid.tables[index]
    placement = place_words(list(laid.words), list(laid.tables), laid.geometry.table_margin)
    spans = []
    for c in range(table.col_count):
        words = [w for r in range(table.row_count) for w in placement.in_cells.get((index, r, c), [])]
        spans.append((min(w.box[0] for w in words), max(w.box[2] for w in words)) if words
                     else (table.xs[c], table.xs[c + 1]))
    return spans


def text_starts(laid: LaidOut, index: int) -> list[float]:
    """Boundaries of a table without column lines where its columns' text starts (the white space
    between two columns is the next page's to fill: a longer text runs further into it)."""
    table = laid.tables[index]
    placement = place_words(list(laid.words), list(laid.tables), laid.geometry.table_margin)
    starts = [min((w.box[0] for r in range(table.row_count) for w in placement.in_cells.get((index, r, c), [])),
                  default=table.xs[c]) for c in range(table.col_count)]
    slack = START_SLACK * (table.xs[-1] - table.xs[0])  # letters start a little apart (side bearings)
    return [table.xs[0]] + [x - slack for x in starts[1:]] + [table.xs[-1]]


def aligned_continuation(laid: LaidOut, open_table: OpenTable) -> LaidOut:
    """A page without a table of its own after a table printed without column lines: its first
    lines read in that table's columns when they keep to them (no header is repeated there)."""
    to_doc = laid.to_doc
    if to_doc.turns or not to_doc.x_scale:
        return laid
    xs = [(x - to_doc.x_offset) / to_doc.x_scale for x in open_table.xs]
    grid = continued_rows(list(laid.words), xs)
    if grid is None and open_table.spans:
        spans = [((x0 - to_doc.x_offset) / to_doc.x_scale, (x1 - to_doc.x_offset) / to_doc.x_scale)
                 for x0, x1 in open_table.spans]
        grid = mapped_rows(list(laid.words), spans, laid.geometry.dpi)
    return laid if grid is None else laid.with_grid(0, grid)


def doc_width(laid: LaidOut, table: TableGrid) -> float:
    x0, y0, x1, _ = laid.to_doc.box(*table.box)
    return x1 - x0


def header_roles(laid: LaidOut, index: int) -> tuple[str | None, ...] | None:
    found = header_map(laid.row_texts(index, 0))
    return found[0].roles if found else None


def continues(laid: LaidOut, open_table: OpenTable) -> bool:
    """Does the page's first table go on with the open one (never under a paragraph of text): without
    a header, when it has the same width; with one, when the header means the same columns (the
    header repeated at the page break, whatever the page's scale), or may once its columns are
    mapped (decided by moved_to)."""
    if text_above(laid):
        return False
    roles = header_roles(laid, 0)
    if roles is None:
        return abs(doc_width(laid, laid.tables[0]) - open_table.width) <= SAME_WIDTH * open_table.width
    if roles == open_table.roles:
        return True
    return open_table.roles is not None and len(roles) != len(open_table.roles)


RUNNING_WORDS = 3  # a line above the table with this many words is text, not a page number or mark


def text_above(laid: LaidOut) -> bool:
    """Does text stand above the page's first table (a paragraph introducing a new table; a table
    going on from the page before starts the page, under its page number at most)."""
    top = laid.tables[0].ys[0]
    above = [w for w in laid.words if w.center[1] < top and any(ch.isalpha() for ch in w.text)]
    return any(len(line) >= RUNNING_WORDS for line in visual_lines(above))


def needs_columns(table: TableGrid, open_table: OpenTable) -> bool:
    shares = column_shares(table)
    return len(shares) != len(open_table.shares) or any(
        abs(a - b) > SAME_BOUNDARY for a, b in zip(shares, open_table.shares))


def moved_to(laid: LaidOut, open_table: OpenTable) -> LaidOut | None:
    """The page laid out in the open table's columns; None when its header then means other columns
    than the open table's (a new table of the same width)."""
    table = laid.tables[0]
    snap = SAME_BOUNDARY * (table.xs[-1] - table.xs[0])
    moved = laid.with_grid(0, with_columns(table, list(open_table.shares), snap))
    roles = header_roles(moved, 0)
    if roles is not None and open_table.roles is not None and roles != open_table.roles:
        return None
    return moved
