"""Words + table grids -> reader blocks in reading order.

A word belongs to the grid cell that holds its centre (words a little outside a table's border go
to the nearest edge cell: text that overflows its cell). Where a line of words runs across a column
boundary (a word over it, or words a space apart either side), no line divides that row there: the
slots are one cell, whatever lines were found (joined_by_text). Within a cell, words are grouped into
visual lines by vertical overlap; wrapped lines are joined with a space and real breaks (a new
bullet, a short line) kept as '\\n' (paragraphs.py). The text width of a cell is its widest line
(OCR boxes hug the ink, so the ruled width would make wrapped lines look short). A cell merged over several rows repeats its
text in each row it spans; a cell merged over several columns holds its text in its first column
and '' in the others, so every row of a table has the same number of cells. Rows with no text at
all are left out. Words outside tables become TextLines, one per paragraph; a line split by a wide
gap (two heading columns side by side) gives one TextLine per side. Typical glyph confusions are
repaired per line (repair.py), Roman-numeral ones also in each row's first cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plantasks.parsers.blocks import Block, Cell, Provenance, TableRow, TextLine
from plantasks.parsers.ocr.grid import GridCell, TableGrid, join_slots
from plantasks.parsers.ocr.paragraphs import Line, join_lines, make_line, paragraph_text, paragraphs
from plantasks.parsers.ocr.raster import PixelMap
from plantasks.parsers.ocr.repair import repair_row_number
from plantasks.parsers.ocr.tesseract import Word


@dataclass(frozen=True)
class Geometry:
    """Layout distances in pixels of the page image."""

    table_margin: float  # a word centre this far outside a table still belongs to its edge cell
    column_gap: float  # a wider gap inside a line separates two columns
    wrap_slack: float  # how much short of the text width a line may end and still count as full
    cell_padding: float  # the most a cell's text is inset from its left line
    overrun: float = 3.0  # how far a word may reach over a cell's line (ink touching it)
    dpi: float = 150.0  # of the page image


@dataclass(frozen=True)
class Placed:
    """A block with the pixel box it was found in, for ordering."""

    block: Block
    top: float


@dataclass(frozen=True)
class Placement:
    """The page's words by grid slot (table, row, col), and those outside every table."""

    in_cells: dict[tuple[int, int, int], list[Word]]
    loose: list[Word]


@dataclass(frozen=True)
class Reading:
    """What a cell says and how sure Tesseract was (0..1)."""

    text: str
    confidence: float


Readings = dict[tuple[int, GridCell], Reading]  # (table index, cell) -> reading


def place_words(words: list[Word], tables: list[TableGrid], margin: float) -> Placement:
    in_cells: dict[tuple[int, int, int], list[Word]] = {}
    loose: list[Word] = []
    for word in words:
        slot = locate(word, tables, margin)
        if slot is None:
            loose.append(word)
        else:
            in_cells.setdefault(slot, []).append(word)
    return Placement(in_cells, loose)


@dataclass(frozen=True)
class LaidOut:
    """A page as read: its words, table grids and cell readings, kept so that the page can be laid out
    again with other columns (a table continued from the page before: continuation.py)."""

    words: tuple[Word, ...]
    tables: tuple[TableGrid, ...]
    readings: Readings
    page: int
    to_doc: PixelMap
    geometry: Geometry

    def blocks(self) -> list[Block]:
        placement = place_words(list(self.words), list(self.tables), self.geometry.table_margin)
        return page_blocks(placement, self.readings, list(self.tables), self.page, self.to_doc, self.geometry)

    def row_texts(self, index: int, row: int) -> list[str]:
        """The texts of one table row, a merged cell's in its first column."""
        table = self.tables[index]
        cells = [table.cell_at(row, c) for c in range(table.col_count)]
        return [self.readings[(index, cell)].text if cell.col == c and cell.row == row else ""
                for c, cell in enumerate(cells)]

    def with_grid(self, index: int, grid: TableGrid) -> "LaidOut":
        """The page with table `index` given another grid: its words placed and read again (a cell
        that keeps its place keeps its reading: row numbers were read a second time)."""
        tables = list(self.tables)
        tables[index:index + 1] = [grid]  # a page without a table is given its first
        placement = place_words(list(self.words), tables, self.geometry.table_margin)
        tables = joined_by_text(tables, placement, self.geometry)
        fresh = cell_readings(placement, tables, self.geometry)
        readings = {key: self.readings.get(key, reading) for key, reading in fresh.items()}
        return LaidOut(self.words, tuple(tables), readings, self.page, self.to_doc, self.geometry)


def page_blocks(
    placement: Placement, readings: Readings, tables: list[TableGrid], page: int, to_doc: PixelMap, geometry: Geometry
) -> list[Block]:
    placed = text_paragraphs(placement.loose, page, to_doc, geometry)
    for index, table in enumerate(tables):
        placed.extend(table_rows(table, index, readings, page, to_doc))
    return [p.block for p in sorted(placed, key=lambda p: p.top)]


def locate(word: Word, tables: list[TableGrid], margin: float) -> tuple[int, int, int] | None:
    """(table, row, col) of the grid slot holding the word's centre, or None outside every table."""
    cx, cy = word.center
    for index, table in enumerate(tables):
        x0, y0, x1, y1 = table.box
        if x0 - margin <= cx <= x1 + margin and y0 - margin <= cy <= y1 + margin:
            return (index, _slot(table.ys, cy), _slot(table.xs, cx))
    return None


def _slot(bounds: tuple[float, ...], value: float) -> int:
    for i in range(1, len(bounds) - 1):
        if value < bounds[i]:
            return i - 1
    return len(bounds) - 2


# ---------------------------------------------------------------- tables

WORD_SPACE = 0.6  # a gap narrower than this share of the words' height is a space between words (cells
# are set apart by both their paddings: about an em)


def word_space(line: list[Word]) -> float:
    """The widest gap between two words of one text in a line: WORD_SPACE of its middle word's height."""
    return WORD_SPACE * sorted(w.box[3] - w.box[1] for w in line)[len(line) // 2]


def joined_by_text(tables: list[TableGrid], placement: Placement, geometry: Geometry) -> list[TableGrid]:
    """Each table with the slots its text runs across made one cell: a line of words that crosses a
    column boundary (a word over it, or two words a space apart either side of it) shows that no
    line divides that row there, whatever lines were found (section titles under a grid printed
    through them, a stray or partly printed line across a row)."""
    return [join_slots(table, text_crossings(index, table, placement, geometry)) for index, table in enumerate(tables)]


def text_crossings(index: int, table: TableGrid, placement: Placement, geometry: Geometry) -> set[tuple[int, int]]:
    """(row, col) of the slots whose text runs on into the slot to their right; in a section row
    (a Roman numeral and one upper-case title, wherever the grid put it) all slots right of the number."""
    crossings: set[tuple[int, int]] = set()
    for r in range(table.row_count):
        if is_section_row([placement.in_cells.get((index, r, c), []) for c in range(table.col_count)]):
            crossings |= {(r, c) for c in range(1, table.col_count - 1)}
            continue
        words = [w for c in range(table.col_count) for w in placement.in_cells.get((index, r, c), [])]
        lines = visual_lines(words)
        spaces = [word_space(line) for line in lines]
        for j in range(1, table.col_count):
            x = table.xs[j]
            if any(_runs_across(line, x, geometry.overrun, 0.0) for line in lines):
                crossings.add((r, j - 1))  # a word over the line
                continue
            # words a space apart either side of the line: one text only when every line of the slot
            # on its left goes on across it (two cells' texts touching their line, one taller than
            # the other, do not)
            left = [i for i, line in enumerate(lines) if any(table.xs[j - 1] <= w.center[0] < x for w in line)]
            across = [i for i in left if _runs_across(lines[i], x, geometry.overrun, spaces[i])]
            if across and len(across) == len(left):
                crossings.add((r, j - 1))
    return crossings


ROMAN = re.compile(r"[IVXLC]{1,6}\.?")


def is_section_row(columns: list[list[Word]]) -> bool:
    """A Roman numeral in the first column and, in one other column alone, a title in capitals (a
    title centred over a merged row lands in any column when the grid cuts the row)."""
    number = repair_row_number("".join(w.text for w in columns[0])) if columns and columns[0] else ""
    filled = [words for words in columns[1:] if words]
    if not ROMAN.fullmatch(number) or len(filled) != 1:
        return False
    letters = [w.text for w in filled[0] if any(ch.isalpha() for ch in w.text)]
    return len(letters) >= 2 and all(ch.isupper() for text in letters for ch in text if ch.isalpha())


def _runs_across(line: list[Word], x: float, overrun: float, space: float) -> bool:
    """Words only: marks ('_', '-', '|') are often what erasing a line left of it."""
    line = [w for w in line if sum(ch.isalnum() for ch in w.text) >= 2]
    if any(w.box[0] < x - overrun and w.box[2] > x + overrun for w in line):
        return True
    return any(a.center[0] < x <= b.center[0] and b.box[0] - a.box[2] < space for a, b in zip(line, line[1:]))


def cell_readings(placement: Placement, tables: list[TableGrid], geometry: Geometry) -> Readings:
    readings: Readings = {}
    for index, table in enumerate(tables):
        for cell in table.cells:
            words = [
                w
                for r in range(cell.row, cell.row + cell.row_span)
                for c in range(cell.col, cell.col + cell.col_span)
                for w in placement.in_cells.get((index, r, c), [])
            ]
            text = cell_text(words, cell.box, geometry)
            readings[(index, cell)] = Reading(repair_row_number(text) if cell.col == 0 else text, cell_confidence(words))
    return readings


def table_rows(table: TableGrid, index: int, readings: Readings, page: int, to_doc: PixelMap) -> list[Placed]:
    rows = []
    for r in range(table.row_count):
        cells = []
        for c in range(table.col_count):
            grid_cell = table.cell_at(r, c)
            reading = readings[(index, grid_cell)] if grid_cell.col == c else Reading("", 1.0)
            prov = Provenance(page=page, bbox=to_doc.box(*grid_cell.box))
            cells.append(Cell(reading.text, prov, round(reading.confidence, 3)))
        if any(cell.text for cell in cells):
            box = (table.xs[0], table.ys[r], table.xs[-1], table.ys[r + 1])
            rows.append(Placed(TableRow(tuple(cells), Provenance(page=page, bbox=to_doc.box(*box))), box[1]))
    return rows


def cell_text(words: list[Word], box: tuple[float, float, float, float], geometry: Geometry) -> str:
    lines = [make_line(line) for line in visual_lines(words)]
    if not lines:
        return ""
    padding = min(max(min(line.x0 for line in lines) - box[0], 1.0), geometry.cell_padding)
    widest = max(line.x1 - line.x0 for line in lines)
    return join_lines(lines, min(box[2] - box[0] - 2 * padding, widest), geometry.wrap_slack)


def cell_confidence(words: list[Word]) -> float:
    """Mean word confidence on a 0..1 scale; 1.0 for an empty cell (nothing read, nothing doubtful)."""
    if not words:
        return 1.0
    return sum(w.confidence for w in words) / len(words) / 100.0


def visual_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines by vertical overlap, lines top to bottom, words left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.center[1]):
        if lines and _same_line(lines[-1], word):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.box[0]) for line in lines]


def _same_line(line: list[Word], word: Word) -> bool:
    top = sorted(w.box[1] for w in line)[len(line) // 2]
    bottom = sorted(w.box[3] for w in line)[len(line) // 2]
    overlap = min(bottom, word.box[3]) - max(top, word.box[1])
    return overlap > 0.5 * min(bottom - top, word.box[3] - word.box[1])


# ---------------------------------------------------------------- text outside tables


def text_paragraphs(words: list[Word], page: int, to_doc: PixelMap, geometry: Geometry) -> list[Placed]:
    bands = line_bands(text_segments(words, geometry.column_gap))
    single = [band[0] for band in bands if len(band) == 1]
    if not single:
        single = [line for band in bands for line in band]
    if not single:
        return []
    width = max(line.x1 for line in single) - min(line.x0 for line in single)
    placed: list[Placed] = []
    run: list[Line] = []
    for band in bands:
        if len(band) > 1:
            placed += _paragraph_blocks(run, width, geometry, page, to_doc)
            placed += [_text_block([line], page, to_doc) for line in band]
            run = []
        else:
            run.append(band[0])
    return placed + _paragraph_blocks(run, width, geometry, page, to_doc)


def text_segments(words: list[Word], column_gap: float) -> list[Line]:
    """Visual lines of the words (per Tesseract line), split where a wide gap separates columns."""
    by_line: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        by_line.setdefault(word.line, []).append(word)
    return [
        make_line(part)
        for line_words in by_line.values()
        for visual in visual_lines(line_words)
        for part in split_at_gaps(visual, column_gap)
    ]


def split_at_gaps(line: list[Word], column_gap: float) -> list[list[Word]]:
    parts = [[line[0]]]
    for word in line[1:]:
        if word.box[0] - parts[-1][-1].box[2] > column_gap:
            parts.append([word])
        else:
            parts[-1].append(word)
    return parts


def line_bands(lines: list[Line]) -> list[list[Line]]:
    """Lines in reading order: top to bottom; lines side by side (overlapping by half) share a band."""
    bands: list[list[Line]] = []
    for line in sorted(lines, key=lambda l: ((l.top + l.bottom) / 2, l.x0)):
        if bands and _overlaps(bands[-1], line):
            bands[-1].append(line)
        else:
            bands.append([line])
    return [sorted(band, key=lambda l: l.x0) for band in bands]


def _overlaps(band: list[Line], line: Line) -> bool:
    top = min(l.top for l in band)
    bottom = max(l.bottom for l in band)
    overlap = min(bottom, line.bottom) - max(top, line.top)
    return overlap > 0.5 * min(bottom - top, line.bottom - line.top)


def _paragraph_blocks(run: list[Line], width: float, geometry: Geometry, page: int, to_doc: PixelMap) -> list[Placed]:
    return [_text_block(group, page, to_doc) for group in paragraphs(run, width, geometry.wrap_slack)]


def _text_block(lines: list[Line], page: int, to_doc: PixelMap) -> Placed:
    boxes = [line.box for line in lines]
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    return Placed(TextLine(paragraph_text(lines), Provenance(page=page, bbox=to_doc.box(*box))), box[1])
