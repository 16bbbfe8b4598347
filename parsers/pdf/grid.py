"""Ruled tables: pdfplumber's algorithm on ready-made edges, each table as a Grid of slots and cells."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from plantasks.parsers.pdf.frame import Box
from plantasks.parsers.pdf.words import Word

_SLIVER_COLUMN = 6.0  # points: grid columns narrower than this come from ruling jitter
_SLIVER_ROW = 3.0
_END_SNAP = 3.0  # points: column rules ending within this of each other end together


@dataclass
class Grid:
    """A table as a grid: boundaries, and which cell owns each grid slot."""

    bbox: Box
    xs: list[float]
    ys: list[float]
    cells: list[Box]
    owner: list[list[int]]  # [row][col] -> index into cells, -1 when no cell covers the slot
    words: dict[int, list[Word]] = field(default_factory=dict)
    ruled: bool = True  # False: found by white space, the cell boxes are only the column's reach

    def slot_of(self, x: float, y: float) -> tuple[int, int]:
        col = min(max(bisect.bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        row = min(max(bisect.bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        return row, col


def edges_to_tables(edges: list[dict]) -> list[list[Box]]:
    """pdfplumber's TableFinder on ready-made edges: merge, intersect, cells, tables (lists of cell bboxes)."""
    if not edges:
        return []
    from pdfplumber import table as plumber
    from pdfplumber.utils import filter_edges

    merged = plumber.merge_edges(edges, snap_x_tolerance=3, snap_y_tolerance=3, join_x_tolerance=3, join_y_tolerance=3)
    merged = filter_edges(merged, min_length=3)
    merged += _page_break_rules(merged)
    intersections = plumber.edges_to_intersections(merged, 3, 3)
    cells = plumber.intersections_to_cells(intersections)
    return plumber.cells_to_tables(_without_frames(cells))


def _page_break_rules(edges: list[dict]) -> list[dict]:
    """The rules a page break leaves out: a table cut by the page end (or continued from the page
    before) has its column rules run on to a common end with no rule across it; that end closes
    (opens) its last (first) row as a rule would."""
    verticals = [e for e in edges if e["orientation"] == "v"]
    horizontals = [e for e in edges if e["orientation"] == "h"]
    added = []
    for end in ("top", "bottom"):
        groups: dict[int, list[dict]] = {}
        for edge in verticals:
            groups.setdefault(round(edge[end] / _END_SNAP), []).append(edge)
        for group in groups.values():
            if len(group) < 3:
                continue
            y = sum(e[end] for e in group) / len(group)
            x0, x1 = min(e["x0"] for e in group), max(e["x0"] for e in group)
            if any(abs(h["top"] - y) <= _END_SNAP and h["x0"] <= x0 + _END_SNAP and h["x1"] >= x1 - _END_SNAP
                   for h in horizontals):
                continue
            if not all(any(h["x0"] <= e["x0"] + _END_SNAP and h["x1"] >= e["x0"] - _END_SNAP
                           and e["top"] < h["top"] < e["bottom"] for h in horizontals) for e in group):
                continue  # rules that no row rule crosses are not a table's columns
            added.append({"object_type": "line", "orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y,
                          "width": x1 - x0, "height": 0.0})
    return added


def _without_frames(cells: list[Box]) -> list[Box]:
    """Leave out the cells that enclose a ruled sub-grid (two rows and two columns of cells): a page
    border or a web page's layout box drawn around the content, not a cell of the table inside it."""
    by_area = sorted(cells, key=lambda c: (c[2] - c[0]) * (c[3] - c[1]), reverse=True)
    frames = set()
    for index, outer in enumerate(by_area):
        inside = [c for c in by_area[index + 1:] if _encloses(outer, c)]
        if len({c[0] for c in inside}) >= 2 and len({c[1] for c in inside}) >= 2:
            frames.add(outer)
    return [c for c in cells if c not in frames]


def _encloses(outer: Box, inner: Box, slack: float = 1.0) -> bool:
    return (outer[0] - slack <= inner[0] and inner[2] <= outer[2] + slack
            and outer[1] - slack <= inner[1] and inner[3] <= outer[3] + slack and outer != inner)


def table_to_grid(table_cells) -> Grid | None:
    """pdfplumber's cells of one table -> a grid with sliver columns/rows folded; None for one-column boxes."""
    cells = [tuple(c) for c in table_cells]
    if not cells:
        return None
    xs = _boundaries([c[0] for c in cells] + [c[2] for c in cells], _SLIVER_COLUMN)
    ys = _boundaries([c[1] for c in cells] + [c[3] for c in cells], _SLIVER_ROW)
    if len(xs) < 3 or len(ys) < 2:
        return None  # a framed paragraph, not a table: its text is body text
    owner = [[-1] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for index, (x0, top, x1, bottom) in enumerate(cells):
        c0, c1 = _span(xs, x0, x1)
        r0, r1 = _span(ys, top, bottom)
        for r in range(r0, r1):
            for c in range(c0, c1):
                if owner[r][c] < 0:
                    owner[r][c] = index
    bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
    return Grid(bbox, xs, ys, cells, owner)


def _boundaries(values: list[float], sliver: float) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] >= sliver:
            out.append(value)
    return out


def _span(bounds: list[float], start: float, end: float) -> tuple[int, int]:
    """Grid indexes [first, last) a cell covers, by nearest boundaries."""
    first = min(range(len(bounds)), key=lambda i: abs(bounds[i] - start))
    last = min(range(len(bounds)), key=lambda i: abs(bounds[i] - end))
    return first, max(last, first + 1)
