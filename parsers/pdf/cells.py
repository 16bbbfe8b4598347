"""Grids -> TableRows: merged cells, and the text of one cell with its line breaks."""

from __future__ import annotations

from plantasks.parsers.blocks import Cell, Provenance, TableRow
from plantasks.parsers.pdf.frame import Box, round_box
from plantasks.parsers.pdf.grid import Grid
from plantasks.parsers.pdf.paragraphs import BULLET, continues, wrap_joint
from plantasks.parsers.pdf.words import Line, Word, words_to_lines


def grid_rows(grid: Grid, page: int) -> list[TableRow]:
    """One TableRow per grid row; merged cells as described in the package docstring."""
    widths = {} if grid.ruled else _column_text_widths(grid)
    texts = {index: cell_text(grid.words.get(index, []), grid.cells[index], widths.get(index))
             for index in range(len(grid.cells))}
    rows = []
    for r in range(len(grid.ys) - 1):
        row_box = round_box((grid.bbox[0], grid.ys[r], grid.bbox[2], grid.ys[r + 1]))
        rows.append(TableRow(_row_cells(grid, r, texts, page), Provenance(page=page, bbox=row_box)))
    return rows


def _row_cells(grid: Grid, r: int, texts: dict[int, str], page: int) -> tuple[Cell, ...]:
    """A cell's text in the slot where it starts (its own bbox); an empty cell in every other slot."""
    cells = []
    for c in range(len(grid.xs) - 1):
        index = grid.owner[r][c]
        starts_here = index >= 0 and (c == 0 or grid.owner[r][c - 1] != index)
        if starts_here:
            cells.append(Cell(texts[index], Provenance(page=page, bbox=round_box(grid.cells[index]))))
        else:
            slot = round_box((grid.xs[c], grid.ys[r], grid.xs[c + 1], grid.ys[r + 1]))
            cells.append(Cell("", Provenance(page=page, bbox=slot)))
    return tuple(cells)


def _column_text_widths(grid: Grid) -> dict[int, float]:
    """Without rules a cell's width is unknown: take the widest line of its column (cell index -> width)."""
    widest: dict[int, float] = {}
    for index, words in grid.words.items():
        column = index % (len(grid.xs) - 1)
        for line in words_to_lines(words):
            widest[column] = max(widest.get(column, 0.0), line.x1 - line.x0)
    return {index: widest.get(index % (len(grid.xs) - 1), 0.0) + 2.0 for index in range(len(grid.cells))}


def cell_text(words: list[Word], bbox: Box, width: float | None = None) -> str:
    """Words of one cell -> text: wrapped lines joined by a space, paragraph breaks kept as '\\n'."""
    if not words:
        return ""
    lines = words_to_lines(words)
    if width is None:
        pad = min(max(min(l.x0 for l in lines) - bbox[0], 1.0), 10.0)
        width = bbox[2] - bbox[0] - 2 * pad
    listed = bool(BULLET.match(lines[0].text))
    out = lines[0].text
    for previous, line in zip(lines, lines[1:]):
        out += _glue(previous, line, width, listed) + line.text
    return out


def _glue(previous: Line, line: Line, width: float, listed: bool) -> str:
    """What joins two physical lines of one cell or paragraph: '' after a line-end hyphen, ' ', or '\\n'."""
    return wrap_joint(previous) if continues(previous, line, width, listed) else "\n"
