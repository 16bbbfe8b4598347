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
from plantasks.parsers.ocr.layout import visual_lines, word_space
from plantasks.parsers.ocr.rulings import Ruling
from plantasks.parsers.ocr.tesseract import Word
from plantasks.parsers.pdf.grid import Grid
from plantasks.parsers.pdf.whitespace_tables import river_positions, whitespace_tables
from plantasks.parsers.pdf.words import Line
from plantasks.parsers.pdf.words import Word as PdfWord
from plantasks.parsers.pdf.words import words_to_lines
from plantasks.parsers.row_layout import looks_like_row_number

POINTS_PER_INCH = 72.0
LINE_GAP = 3.0  # rows of a scanned table may stand this many line heights apart (rules between them)


def aligned_tables(words: list[Word], dpi: float, rules: list[Ruling] = ()) -> list[TableGrid]:
    """The page's tables found by word alignment, top to bottom, in pixels: between horizontal `rules`
    (three or more of one length, one under the other: rows ruled apart) the rows are the ruled
    bands; elsewhere a row starts at each line with text in the number column, or, where no such
    table is found, rows are the runs of lines set apart by white space (cells padded as a web page
    prints them: a number centred in a tall row), as in text PDFs."""
    scale = POINTS_PER_INCH / dpi
    ruled = [table for table in map(lambda band: ruled_rows(band, words, scale), rule_stacks(rules)) if table]
    free = [w for w in words if not any(inside(w, table) for table in ruled)]
    tables = list(ruled)
    for grid in column_grids(point_lines(free, scale)):
        table = headed_table([x / scale for x in grid.xs], [y / scale for y in grid.ys], words)
        if table is not None and not any(overlaps(table, other) for other in tables):
            tables.append(table)
    return sorted(tables, key=lambda t: t.ys[0])


LINE_PER_INK = 1.4  # a font's line is about this much taller than the middle word's ink


def point_lines(words: list[Word], scale: float, line_heights: bool = True) -> list[Line]:
    """The words as a text layer's lines, in points; with `line_heights` each word at least as tall
    as a line of the font once the lines are found (an OCR box is as tall as the word's letters,
    'trì' lower than 'Tiến'; a text layer's is as tall as the font, and the gap that parts two cells
    is judged against that height). Marks alone ('-', "'") are left out: what OCR reads as marks
    is often a speck between two columns."""
    lines = words_to_lines([PdfWord(w.text, w.box[0] * scale, w.box[2] * scale, w.box[1] * scale, w.box[3] * scale)
                            for w in words if any(ch.isalnum() for ch in w.text)])  # a mark's box may bridge columns
    heights = sorted(w.height for line in lines for w in line.words)
    if not line_heights or not heights:
        return lines
    half = LINE_PER_INK * heights[len(heights) // 2] / 2
    return [Line([PdfWord(w.text, w.x0, w.x1, min(w.top, (w.top + w.bottom) / 2 - half),
                          max(w.bottom, (w.top + w.bottom) / 2 + half)) for w in line.words]) for line in lines]


def column_grids(lines: list[Line]) -> list[Grid]:
    """Blocks of lines whose words leave columns of white space: rows started by the number column
    first, then rows set apart by white space."""
    return whitespace_tables(lines, LINE_GAP) + whitespace_tables(lines, LINE_GAP, spaced=True)


def overlaps(a: TableGrid, b: TableGrid) -> bool:
    return a.ys[0] < b.ys[-1] and b.ys[0] < a.ys[-1] and a.xs[0] < b.xs[-1] and b.xs[0] < a.xs[-1]


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
    lines = point_lines(within, scale)
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
    return [" ".join(w.text for line in visual_lines(column) for w in line) for column in texts]


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


def mapped_rows(words: list[Word], spans: list[tuple[float, float]], dpi: float) -> TableGrid | None:
    """The rows, at the top of a page without a header, of a table printed without column lines whose
    columns' text stood within `spans` (pixels of this page) on the page before, when this page's
    text sets out columns of its own (centred text fills a column differently on every page: the
    white space between columns moves): each of its columns goes to the open table's column its text
    stands in. None when the page does not start with such rows."""
    scale = POINTS_PER_INCH / dpi
    grids = column_grids(point_lines(words, scale, line_heights=False))  # a column too many is mapped back
    for grid in sorted(grids, key=lambda g: (g.bbox[1], -len(g.xs))):
        xs, ys = [x / scale for x in grid.xs], [y / scale for y in grid.ys]
        above = [w for w in words if w.box[3] <= ys[0]]
        if any(not PAGE_NUMBER.match(" ".join(w.text for w in line)) for line in visual_lines(above)):
            return None  # text above: the page does not go on with the table
        if ys != sorted(ys):
            continue
        columns = columns_onto(single_cells(xs, ys), words, spans)
        if columns is None:
            continue
        table = single_cells(columns, ys)
        rows = kept_rows(table, words)
        numbers = [cell_words_text(table, r, 0, words) for r in range(rows)]
        if rows >= 1 and any(looks_like_row_number(number) for number in numbers):
            # a row starts at a number (the first row may be the rest of one carried over the break):
            # a band without one is more of the row above (a cell's last line standing apart)
            tops = [ys[0]] + [ys[r] for r in range(1, rows) if numbers[r]]
            return single_cells(columns, tops + [ys[rows]])
    return None


def columns_onto(table: TableGrid, words: list[Word], spans: list[tuple[float, float]]) -> list[float] | None:
    """Column boundaries for `table` with one column per span: each of its columns that holds text
    joins the span its text's middle stands in (or the nearest); a span no column joins is left
    empty. None when two spans' columns would cross or fewer than three spans are used."""
    owner: list[int | None] = []
    for c in range(table.col_count):
        inside = [w for w in words if table.xs[c] <= w.center[0] < table.xs[c + 1]
                  and table.ys[0] <= w.center[1] <= table.ys[-1]]
        if not inside:
            owner.append(None)
            continue
        middle = (min(w.box[0] for w in inside) + max(w.box[2] for w in inside)) / 2
        owner.append(min(range(len(spans)), key=lambda s: 0.0 if spans[s][0] <= middle <= spans[s][1]
                         else min(abs(middle - spans[s][0]), abs(middle - spans[s][1]))))
    used = [o for o in owner if o is not None]
    if len(set(used)) < 3 or used != sorted(used):
        return None
    lefts: list[float] = []
    for s in range(len(spans)):
        mine = [c for c, o in enumerate(owner) if o == s]
        later = [c for c, o in enumerate(owner) if o is not None and o > s]
        if mine:
            lefts.append(table.xs[mine[0]])
        else:  # an empty column: at the left of the next column that has text
            lefts.append(table.xs[later[0]] if later else table.xs[-1])
    lefts[0] = table.xs[0]
    return lefts + [table.xs[-1]]


def kept_rows(table: TableGrid, words: list[Word]) -> int:
    """How many of the table's rows, from its top, are rows of it: a row whose every line of text
    runs across a column boundary (a paragraph after the table) ends it."""
    def across(line: list[Word]) -> bool:
        space = word_space(line)
        return any(a.center[0] < x <= b.center[0] and b.box[0] - a.box[2] < space
                   for x in table.xs[1:-1] for a, b in zip(line, line[1:]))

    for r in range(table.row_count):
        inside = [w for w in words if table.xs[0] <= w.center[0] <= table.xs[-1]
                  and table.ys[r] <= w.center[1] < table.ys[r + 1]]
        lines = visual_lines(inside)
        if lines and all(map(across, lines)):
            return r
    return table.row_count


def cell_words_text(table: TableGrid, row: int, col: int, words: list[Word]) -> str:
    x0, y0, x1, y1 = table.cell_at(row, col).box
    return " ".join(w.text for w in sorted(words, key=lambda w: (w.box[1], w.box[0]))
                    if x0 <= w.center[0] < x1 and y0 <= w.center[1] < y1)
