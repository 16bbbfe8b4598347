"""Scanned tables printed without column lines (rules between rows only, or none at all).

A page on which no ruled table is found may still hold a table whose columns show only by the
alignment of their words. Those are found as in text PDFs: by the columns of white space that run
down a block of lines (parsers/pdf/whitespace_tables.py), on the OCR words in points. A block is a
table only when its first row is a table header (parsers/columns.py): body text in two columns (the
issuer and the motto side by side, a signature block) is not. Each table becomes a grid of single
cells, read and placed like a ruled one.
"""

from __future__ import annotations

from plantasks.parsers.columns import header_map
from plantasks.parsers.ocr.grid import GridCell, TableGrid
from plantasks.parsers.ocr.tesseract import Word
from plantasks.parsers.pdf.whitespace_tables import whitespace_tables
from plantasks.parsers.pdf.words import Word as PdfWord
from plantasks.parsers.pdf.words import words_to_lines

POINTS_PER_INCH = 72.0
LINE_GAP = 3.0  # rows of a scanned table may stand this many line heights apart (rules between them)


def aligned_tables(words: list[Word], dpi: float) -> list[TableGrid]:
    """The page's tables found by word alignment, top to bottom, in pixels."""
    scale = POINTS_PER_INCH / dpi
    placed = [PdfWord(w.text, w.box[0] * scale, w.box[2] * scale, w.box[1] * scale, w.box[3] * scale) for w in words]
    tables = []
    for grid in whitespace_tables(words_to_lines(placed), LINE_GAP):
        xs, ys = [x / scale for x in grid.xs], [y / scale for y in grid.ys]
        header = first_row_texts(single_cells(xs, ys), words)
        # a gap only one row's words leave (OCR boxes are loose) is no column: every column has a header
        xs = [x for c, x in enumerate(xs) if c == 0 or c == len(xs) - 1 or header[c]]
        table = single_cells(xs, ys)
        if header_map(first_row_texts(table, words)):
            tables.append(table)
    return tables


def single_cells(xs: list[float], ys: list[float]) -> TableGrid:
    cells = [GridCell(r, c, 1, 1, (xs[c], ys[r], xs[c + 1], ys[r + 1]))
             for r in range(len(ys) - 1) for c in range(len(xs) - 1)]
    return TableGrid(tuple(xs), tuple(ys), tuple(cells))


def first_row_texts(table: TableGrid, words: list[Word]) -> list[str]:
    """What the table's first row says per column (words by their centres, left to right)."""
    texts: list[list[Word]] = [[] for _ in range(table.col_count)]
    for word in sorted(words, key=lambda w: (w.box[1], w.box[0])):
        cx, cy = word.center
        if table.ys[0] <= cy < table.ys[1] and table.xs[0] <= cx <= table.xs[-1]:
            column = max(c for c in range(table.col_count) if table.xs[c] <= cx)
            texts[column].append(word)
    return [" ".join(w.text for w in sorted(column, key=lambda w: (w.line, w.box[0]))) for column in texts]
