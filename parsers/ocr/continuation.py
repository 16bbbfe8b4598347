"""A table continued on the next page keeps its columns, even when the ruling detection splits that
page's columns differently (a faint line missed, a stray line found).

For two consecutive pages, when the first table of the later page spans about the same width as the
last table of the earlier page but has a different number of columns, each of its cells is mapped
onto the earlier table's column holding most of the cell (cells falling into one column are joined
with a space, in reading order; a column nothing falls into is left empty). Cell boxes are kept as
read: provenance stays the printed cell.
"""

from __future__ import annotations

from plantasks.parsers.blocks import Block, Cell, Provenance, TableRow

SAME_EDGE = 0.04  # table edges this close (share of the table's width) belong to one table


def align_continued_tables(blocks: list[Block]) -> list[Block]:
    out = list(blocks)
    for start, end in page_table_runs(out):
        previous = previous_table_columns(out, start)
        if previous is None:
            continue
        for i in range(start, end):
            row = out[i]
            if isinstance(row, TableRow) and len(row.cells) != len(previous):
                out[i] = mapped_row(row, previous)
    return out


def page_table_runs(blocks: list[Block]) -> list[tuple[int, int]]:
    """[start, end) of the first run of table rows on each page, except the document's first run."""
    runs: list[tuple[int, int]] = []
    pages_with_rows: set[int | None] = set()
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if not isinstance(block, TableRow) or block.prov.page in pages_with_rows:
            i += 1
            continue
        end = i
        while end < len(blocks) and isinstance(blocks[end], TableRow) and blocks[end].prov.page == block.prov.page:
            end += 1
        if pages_with_rows:
            runs.append((i, end))
        pages_with_rows.add(block.prov.page)
        i = end
    return runs


def previous_table_columns(blocks: list[Block], start: int) -> list[tuple[float, float]] | None:
    """Column spans (x0, x1) of the table that ends the page before `start`'s page, when the table at
    `start` spans the same width; else None. Taken from its row with the most separate cells."""
    first = blocks[start]
    rows: list[TableRow] = []
    for block in reversed(blocks[:start]):
        if not isinstance(block, TableRow):
            if rows:
                break
            continue
        rows.append(block)
    if not rows or first.prov.page is None or rows[0].prov.page != first.prov.page - 1:
        return None
    before = max(rows, key=lambda r: len({c.prov.bbox for c in r.cells}))
    if any(c.prov.bbox is None for c in before.cells) or first.prov.bbox is None or before.prov.bbox is None:
        return None
    width = before.prov.bbox[2] - before.prov.bbox[0]
    if width <= 0:
        return None
    if abs(first.prov.bbox[0] - before.prov.bbox[0]) > SAME_EDGE * width:
        return None
    if abs(first.prov.bbox[2] - before.prov.bbox[2]) > SAME_EDGE * width:
        return None
    return column_spans(before)


def column_spans(row: TableRow) -> list[tuple[float, float]]:
    """One span per column: a merged cell's box covers several columns, so the row's own boundaries are
    taken where cells of width one would be (a merged cell repeats its box across the columns it spans)."""
    boxes = [c.prov.bbox for c in row.cells]
    spans = []
    for index, box in enumerate(boxes):
        same = [j for j, other in enumerate(boxes) if other == box]
        if len(same) == 1:
            spans.append((box[0], box[2]))
            continue
        share = (box[2] - box[0]) / len(same)
        k = same.index(index)
        spans.append((box[0] + k * share, box[0] + (k + 1) * share))
    return spans


def mapped_row(row: TableRow, columns: list[tuple[float, float]]) -> TableRow:
    texts: list[list[str]] = [[] for _ in columns]
    boxes: list[tuple[float, float, float, float] | None] = [None] * len(columns)
    confidences: list[list[float]] = [[] for _ in columns]
    for cell in row.cells:
        if cell.prov.bbox is None:
            continue
        target = best_column(cell.prov.bbox, columns)
        if cell.text and cell.text not in texts[target]:
            texts[target].append(cell.text)
            confidences[target].append(cell.confidence)
        boxes[target] = _union(boxes[target], cell.prov.bbox)
    cells = []
    for index, (x0, x1) in enumerate(columns):
        box = boxes[index] or (x0, row.prov.bbox[1], x1, row.prov.bbox[3])
        confidence = min(confidences[index]) if confidences[index] else 1.0
        cells.append(Cell(" ".join(texts[index]), Provenance(page=row.prov.page, bbox=box), confidence))
    return TableRow(tuple(cells), row.prov)


def best_column(box: tuple[float, float, float, float], columns: list[tuple[float, float]]) -> int:
    overlaps = [min(box[2], x1) - max(box[0], x0) for x0, x1 in columns]
    return max(range(len(columns)), key=lambda i: overlaps[i])


def _union(a, b):
    if a is None:
        return b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
