"""One page: PDFium objects -> PageLayout (text lines outside tables, tables) -> blocks in reading order."""

from __future__ import annotations

from dataclasses import dataclass, field

from plantasks.parsers.blocks import Block, Provenance, TextLine
from plantasks.parsers.pdf.cells import grid_rows
from plantasks.parsers.pdf.frame import Frame
from plantasks.parsers.pdf.grid import Grid, edges_to_tables, table_to_grid
from plantasks.parsers.pdf.paragraphs import paragraphs
from plantasks.parsers.pdf.rulings import page_objects
from plantasks.parsers.pdf.text_layer import TextLayer, page_chars, read_text_layer
from plantasks.parsers.pdf.whitespace_tables import whitespace_tables
from plantasks.parsers.pdf.words import Line, Word, chars_to_words, split_segments, words_to_lines

_MIN_TEXT_CHARS = 20  # fewer visible characters than this: the page has no usable text layer
_SCAN_TEXT_CHARS = 200  # a page mostly covered by pictures needs this much text not to be treated as a scan


@dataclass
class PageLayout:
    number: int
    width: float
    height: float
    lines: list[Line]  # text outside tables, in reading order
    tables: list[Grid]


@dataclass
class PageWords:
    """A page's words and ruled tables, before the running furniture is taken out (reader) and the
    words are laid out (lay_out)."""

    number: int
    width: float
    height: float
    words: list[Word]
    ruled: list[Grid]  # tables found by their rules
    has_rules: bool


def read_page(pdf, number: int) -> PageWords | None:
    """Words and ruled tables of one page; None when the page has no usable text layer."""
    page = pdf[number - 1]
    try:
        textpage = page.get_textpage()
        try:
            layer = read_text_layer(textpage)
        finally:
            textpage.close()
        frame = Frame.of(page, layer.dominant_angle)
        edges, image_area = page_objects(page, frame)
        if not _has_text_layer(layer, image_area / max(frame.width * frame.height, 1.0)):
            return None
        chars = page_chars(layer, frame)
    finally:
        page.close()
    words = chars_to_words(chars, [(e["x0"], e["top"], e["bottom"]) for e in edges if e["orientation"] == "v"])
    ruled = [grid for grid in map(table_to_grid, edges_to_tables(edges)) if grid is not None]
    return PageWords(number, frame.width, frame.height, words, ruled, bool(edges))


def lay_out(page: PageWords, options) -> PageLayout:
    """The page's tables (on a page without any rules, found by their white-space columns) and its
    text lines outside them."""
    tables = page.ruled
    if not tables and options.pdf_text_tables and not page.has_rules:
        tables = whitespace_tables(words_to_lines(page.words, anchored=True), spaced=True)
    outside = _words_to_cells(page.words, tables)
    return PageLayout(page.number, page.width, page.height, words_to_lines(outside, anchored=True), tables)


def _words_to_cells(words: list[Word], tables: list[Grid]) -> list[Word]:
    """Each word goes to the table cell under its centre (Grid.words); the words outside every cell are returned."""
    outside = []
    for word in words:
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        grid = next((g for g in tables if g.bbox[0] <= cx <= g.bbox[2] and g.bbox[1] <= cy <= g.bbox[3]), None)
        if grid is None:
            outside.append(word)
            continue
        row, col = grid.slot_of(cx, cy)
        owner = grid.owner[row][col]
        if owner < 0:
            outside.append(word)
        else:
            grid.words.setdefault(owner, []).append(word)
    return outside


def _has_text_layer(layer: TextLayer, image_share: float) -> bool:
    """Enough mapped characters, and not a scan carrying only a stamp or a page number as text."""
    if layer.visible < _MIN_TEXT_CHARS or layer.unmapped_share >= 0.3:
        return False
    return not (image_share > 0.5 and layer.visible < _SCAN_TEXT_CHARS)


@dataclass
class TextColumns:
    """Left and right text margins per page size, learnt from all pages (for the line-was-full test)."""

    edges: dict[tuple[int, int], list[tuple[float, float]]] = field(default_factory=dict)

    def add(self, layout: PageLayout) -> None:
        key = (round(layout.width), round(layout.height))
        for line in layout.lines:
            for segment in split_segments(line):
                self.edges.setdefault(key, []).append((segment.x0, segment.x1))

    def margins(self, layout: PageLayout) -> tuple[float, float]:
        spans = self.edges.get((round(layout.width), round(layout.height)), [])
        if len(spans) >= 10:
            lefts = sorted(s[0] for s in spans)
            rights = sorted(s[1] for s in spans)
            return lefts[len(lefts) // 20], rights[len(rights) * 19 // 20]
        if layout.tables:
            return min(t.bbox[0] for t in layout.tables), max(t.bbox[2] for t in layout.tables)
        return layout.width * 0.1, layout.width * 0.9


def layout_blocks(layout: PageLayout, columns: TextColumns) -> list[Block]:
    """One page's TextLines and TableRows in reading order."""
    left, right = columns.margins(layout)
    items: list[tuple[float, int, list[Block]]] = [
        (top, order, [TextLine(line.text, Provenance(page=layout.number, bbox=line.prov.bbox))])
        for order, (top, line) in enumerate(paragraphs(layout.lines, right - left))
    ]
    items += [(grid.bbox[1], -1, grid_rows(grid, layout.number)) for grid in layout.tables]
    items.sort(key=lambda item: (item[0], item[1]))  # a table's rows stay together
    return [block for _, _, part in items for block in part]
