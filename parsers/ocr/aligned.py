"""Scanned tables printed without column lines (rules between rows only, or none at all).

A page on which no ruled table is found may still hold a table whose columns show only by the
alignment of their words. Those are found as in text PDFs: by the columns of white space that run
down a block of lines (parsers/pdf/whitespace_tables.py), on the OCR words in points. A block is a
table only when its first row is a table header (parsers/columns.py): body text in two columns (the
issuer and the motto side by side, a signature block) is not. Where rules are printed between the
rows (three or more horizontal lines of one length), they divide the rows: a number centred in a
tall row, or a row without a number, starts no row of its own. Each table becomes a grid of single
cells, read and placed like a ruled one.

Such a table continued on the next page often goes on without a header there: that page's lines are
read in the open table's columns (continued_rows), from its top (a page number above is skipped) as
long as they keep to those columns; a row starts at a line with text in the number column, and the
lines above the first such line are the rest of the row carried over the page break.
"""

from __future__ import annotations

import re

from plantasks.parsers.columns import header_map
from plantasks.parsers.ocr.grid import GridCell, TableGrid
from plantasks.parsers.ocr.layout import visual_lines
from plantasks.parsers.ocr.rulings import Ruling
from plantasks.parsers.ocr.tesseract import Word
from plantasks.parsers.pdf.whitespace_tables import river_positions, whitespace_tables
from plantasks.parsers.pdf.words import Word as PdfWord
from plantasks.parsers.pdf.words import words_to_lines
from plantasks.parsers.row_layout import looks_like_row_number

POINTS_PER_INCH = 72.0
LINE_GAP = 3.0  # rows of a scanned table may stand this many line heights apart (rules between them)


def aligned_tables(words: list[Word], dpi: float, rules: list[Ruling] = ()) -> list[TableGrid]:
    """The page's tables found by word alignment, top to bottom, in pixels: between horizontal `rules`
    (three or more of one length, one under the other: rows ruled apart) the rows are the ruled
    bands; elsewhere a row starts at each line with text in the number column."""
    scale = POINTS_PER_INCH / dpi
    ruled = [table for table in map(lambda band: ruled_rows(band, words, scale), rule_stacks(rules)) if table]
    free = [w for w in words if not any(inside(w, table) for table in ruled)]
    placed = [PdfWord(w.text, w.box[0] * scale, w.box[2] * scale, w.box[1] * scale, w.box[3] * scale) for w in free]
    tables = list(ruled)
    for grid in whitespace_tables(words_to_lines(placed), LINE_GAP):
        table = headed_table([x / scale for x in grid.xs], [y / scale for y in grid.ys], words)
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda t: t.ys[0])


def headed_table(xs: list[float], ys: list[float], words: list[Word]) -> TableGrid | None:
    """The grid when its first row is a table header; a gap only one row's words leave (OCR boxes are
    loose) is no column: every column has a header."""
    header = first_row_texts(single_cells(xs, ys), words)
    xs = [x for c, x in enumerate(xs) if c == 0 or c == len(xs) - 1 or header[c]]
    table = single_cells(xs, ys)
    return table if len(xs) >= 4 and header_map(first_row_texts(table, words)) else None


SAME_RULE = 0.05  # rules whose ends are this close (share of their length) rule one table


def rule_stacks(rules: list[Ruling]) -> list[list[Ruling]]:
    """Horizontal rules of about one length and place, three or more, top to bottom."""
    stacks: list[list[Ruling]] = []
    for rule in sorted(rules, key=lambda r: r.pos):
        slack = SAME_RULE * rule.length
        stack = next((s for s in stacks if abs(s[0].start - rule.start) <= slack and abs(s[0].end - rule.end) <= slack),
                     None)
        if stack is None:
            stacks.append([rule])
        else:
            stack.append(rule)
    return [stack for stack in stacks if len(stack) >= 3]


def ruled_rows(stack: list[Ruling], words: list[Word], scale: float) -> TableGrid | None:
    """A table whose rows the rules of `stack` divide and whose columns its words' white space does."""
    x0, x1 = min(r.start for r in stack), max(r.end for r in stack)
    ys = [r.pos for r in stack]
    within = [w for w in words if x0 <= w.center[0] <= x1 and ys[0] <= w.center[1] <= ys[-1]]
    lines = words_to_lines([PdfWord(w.text, w.box[0] * scale, w.box[2] * scale, w.box[1] * scale, w.box[3] * scale)
                            for w in within])
    if len(lines) < 3:
        return None
    xs = [x0] + [x / scale for x in river_positions(lines)] + [x1]
    return headed_table(xs, ys, within)


def inside(word: Word, table: TableGrid) -> bool:
    cx, cy = word.center
    return table.xs[0] <= cx <= table.xs[-1] and table.ys[0] <= cy <= table.ys[-1]


def single_cells(xs: list[float], ys: list[float]) -> TableGrid:
    cells = [GridCell(r, c, 1, 1, (xs[c], ys[r], xs[c + 1], ys[r + 1]))
             for r in range(len(ys) - 1) for c in range(len(xs) - 1)]
    return TableGrid(tuple(xs), tuple(ys), tuple(cells), ruled=False)


def first_row_texts(table: TableGrid, words: list[Word]) -> list[str]:
    """What the table's first row says per column (words by their centres, left to right)."""
    texts: list[list[Word]] = [[] for _ in range(table.col_count)]
    for word in sorted(words, key=lambda w: (w.box[1], w.box[0])):
        cx, cy = word.center
        if table.ys[0] <= cy < table.ys[1] and table.xs[0] <= cx <= table.xs[-1]:
            column = max(c for c in range(table.col_count) if table.xs[c] <= cx)
            texts[column].append(word)
    return [" ".join(w.text for w in sorted(column, key=lambda w: (w.line, w.box[0]))) for column in texts]


PAGE_NUMBER = re.compile(r"^[-–(]?\s*\d{1,3}\s*[-–)]?$")


def continued_rows(words: list[Word], xs: list[float], line_gap: float = LINE_GAP) -> TableGrid | None:
    """The rows, at the top of a page without a header, of a table printed without column lines whose
    columns' text starts at `xs` (pixels of this page; the last is its right edge); None when the page
    does not start with them."""
    lines = [line for line in visual_lines(words) if not PAGE_NUMBER.match(" ".join(w.text for w in line))]
    table: list[list[Word]] = []
    for line in lines:
        if table and line_apart(table[-1], line, line_gap):
            break
        if not keeps_to_columns(line, xs):
            break
        table.append(line)
    used = [len({column_of(w, xs) for w in line}) for line in table]
    if sum(1 for n in used if n >= 2) < 2:
        return None
    starts = [i for i, line in enumerate(table) if any(column_of(w, xs) == 0 for w in line)]
    numbers = [" ".join(w.text for w in table[i] if column_of(w, xs) == 0) for i in starts]
    if not any(looks_like_row_number(number) for number in numbers):
        return None  # a table's rows are numbered: text set out in columns (a signature block) is not one
    tops = ([0] if not starts or starts[0] != 0 else []) + starts
    ys = [min(w.box[1] for w in table[i]) - 1.0 for i in tops] + [max(w.box[3] for w in table[-1]) + 1.0]
    return single_cells(xs, ys)


LEFT_SLACK, RIGHT_SLACK = 0.02, 0.1  # shares of the table's width a word may stand out of its edges


def keeps_to_columns(line: list[Word], xs: list[float]) -> bool:
    """Every word lies within the table and inside one column (running text crosses the columns)."""
    width = xs[-1] - xs[0]
    return all(xs[0] - LEFT_SLACK * width <= w.box[0] and w.box[2] <= xs[-1] + RIGHT_SLACK * width
               and column_of(w, xs) == column_of_end(w, xs) for w in line)


def column_of(word: Word, xs: list[float]) -> int:
    return max((c for c in range(len(xs) - 1) if xs[c] <= word.box[0]), default=0)


def column_of_end(word: Word, xs: list[float]) -> int:
    return max((c for c in range(len(xs) - 1) if xs[c] < word.box[2] - 1), default=0)


def line_apart(above: list[Word], line: list[Word], line_gap: float) -> bool:
    bottom = max(w.box[3] for w in above)
    height = bottom - min(w.box[1] for w in above)
    return min(w.box[1] for w in line) - bottom > line_gap * height
