"""Rulings -> table grids: which lines belong together, where the row and column boundaries are,
and which grid cells are merged (a boundary line missing inside a row or column).

Stages, as small pure functions: table_groups (connected lines) -> boundaries (clustered line
positions) -> boundary presence per grid row/column -> merged cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plantasks.parsers.ocr.rulings import Ruling


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels


@dataclass(frozen=True)
class TableGrid:
    xs: tuple[float, ...]  # column boundaries, left to right
    ys: tuple[float, ...]  # row boundaries, top to bottom
    cells: tuple[GridCell, ...]
    ruled: bool = True  # False: found by the alignment of its words (no column lines printed)

    @property
    def row_count(self) -> int:
        return len(self.ys) - 1

    @property
    def col_count(self) -> int:
        return len(self.xs) - 1

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def cell_at(self, row: int, col: int) -> GridCell:
        for cell in self.cells:
            if cell.row <= row < cell.row + cell.row_span and cell.col <= col < cell.col + cell.col_span:
                return cell
        raise KeyError((row, col))


@dataclass(frozen=True)
class GridTuning:
    touch: float  # how far apart a line end and a crossing line may be and still meet (px)
    merge: float  # boundaries closer than this are one boundary (px)
    coverage: float = 0.5  # share of a cell side a line must cover to count as a boundary there
    line_width: float = 2.0  # how far either side of a boundary the image is searched for its line (px)
    ink_coverage: float = 0.9  # share of a cell side that must be inked for a line found in the image


def table_groups(horizontal: list[Ruling], vertical: list[Ruling], touch: float):
    """Connected line sets with at least two lines each way: the frames of tables."""
    return [(h, v) for h, v in connected_groups(horizontal, vertical, touch) if len(h) >= 2 and len(v) >= 2]


def connected_groups(horizontal: list[Ruling], vertical: list[Ruling], touch: float):
    """Sets of horizontal and vertical rulings connected through crossings. A table line meets at
    least two lines across it; a stroke of text touching one line (a tall letter on a rule) does not."""
    horizontal, vertical = _framed(horizontal, vertical, touch)
    parent = list(range(len(horizontal) + len(vertical)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for hi, h in enumerate(horizontal):
        for vi, v in enumerate(vertical):
            if _cross(h, v, touch):
                parent[find(hi)] = find(len(horizontal) + vi)
    groups: dict[int, tuple[list[Ruling], list[Ruling]]] = {}
    for hi, h in enumerate(horizontal):
        groups.setdefault(find(hi), ([], []))[0].append(h)
    for vi, v in enumerate(vertical):
        groups.setdefault(find(len(horizontal) + vi), ([], []))[1].append(v)
    return list(groups.values())


def _framed(horizontal: list[Ruling], vertical: list[Ruling], touch: float) -> tuple[list[Ruling], list[Ruling]]:
    """Drop, until none is left, lines that meet fewer than two lines across them."""
    while True:
        h_keep = [h for h in horizontal if sum(_cross(h, v, touch) for v in vertical) >= 2]
        v_keep = [v for v in vertical if sum(_cross(h, v, touch) for h in h_keep) >= 2]
        if len(h_keep) == len(horizontal) and len(v_keep) == len(vertical):
            return h_keep, v_keep
        horizontal, vertical = h_keep, v_keep


def _cross(h: Ruling, v: Ruling, touch: float) -> bool:
    return h.start - touch <= v.pos <= h.end + touch and v.start - touch <= h.pos <= v.end + touch


def group_to_grid(
    horizontal: list[Ruling], vertical: list[Ruling], tuning: GridTuning, ink: np.ndarray | None = None
) -> TableGrid | None:
    """The grid of one connected line set. With the page's `ink`, a boundary also counts as present in a
    row (column) where the image has an unbroken line there, however short the row: the lines of a
    one-line row are too short to be found as rulings on their own."""
    ys = cluster_positions([h.pos for h in horizontal], tuning.merge)
    xs = cluster_positions([v.pos for v in vertical], tuning.merge)
    xs = _with_open_edges(xs, min(h.start for h in horizontal), max(h.end for h in horizontal), tuning.merge)
    ys = _with_open_edges(ys, min(v.start for v in vertical), max(v.end for v in vertical), tuning.merge)
    while True:
        if len(xs) < 2 or len(ys) < 2:
            return None
        v_present = [
            [_covers(vertical, x, ys[r], ys[r + 1], tuning) or _inked(ink, vertical, x, ys[r], ys[r + 1], tuning)
             for x in xs]
            for r in range(len(ys) - 1)
        ]
        h_present = [
            [_covers(horizontal, y, xs[c], xs[c + 1], tuning) or _inked(ink, horizontal, y, xs[c], xs[c + 1], tuning)
             for y in ys]
            for c in range(len(xs) - 1)
        ]
        unused_x = [j for j in range(1, len(xs) - 1) if not any(row[j] for row in v_present)]
        unused_y = [i for i in range(1, len(ys) - 1) if not any(col[i] for col in h_present)]
        if not unused_x and not unused_y:
            break
        # a boundary that bounds no cell anywhere (a short stray line) would only split every cell in two
        xs = [x for j, x in enumerate(xs) if j not in unused_x]
        ys = [y for i, y in enumerate(ys) if i not in unused_y]
    cells = merged_cells(xs, ys, v_present, h_present)
    return TableGrid(tuple(xs), tuple(ys), tuple(cells))


def cluster_positions(positions: list[float], merge: float) -> list[float]:
    """Sorted positions, those closer than `merge` replaced by their mean."""
    clusters: list[list[float]] = []
    for p in sorted(positions):
        if clusters and p - clusters[-1][-1] <= merge:
            clusters[-1].append(p)
        else:
            clusters.append([p])
    return [sum(c) / len(c) for c in clusters]


def _with_open_edges(bounds: list[float], lo: float, hi: float, merge: float) -> list[float]:
    """Add the table's outer edge where the crossing lines run past the last boundary (no border line)."""
    out = list(bounds)
    if not out or lo < out[0] - 2 * merge:
        out.insert(0, lo)
    if hi > out[-1] + 2 * merge:
        out.append(hi)
    return out


def _covers(rulings: list[Ruling], pos: float, lo: float, hi: float, tuning: GridTuning) -> bool:
    """Is there a line at `pos` covering enough of the span [lo, hi] along it?"""
    need = tuning.coverage * (hi - lo)
    covered = 0.0
    for r in rulings:
        if abs(r.pos - pos) <= tuning.merge:
            covered += max(0.0, min(r.end, hi) - max(r.start, lo))
    return covered >= need


def _inked(ink: np.ndarray | None, rulings: list[Ruling], pos: float, lo: float, hi: float, tuning: GridTuning) -> bool:
    """Does the image hold a line at `pos` (following the nearest ruling's slope) from `lo` to `hi`:
    ink within `tuning.line_width` of it nearly all the way, touching both ends?"""
    if ink is None:
        return False
    near = min(rulings, key=lambda r: abs(r.pos - pos), default=None)
    if near is None or abs(near.pos - pos) > tuning.merge:
        return False
    width = max(1, round(tuning.line_width))
    inset = width + 1
    first, last = int(np.ceil(lo)) + inset, int(np.floor(hi)) - inset
    if last - first < 4:
        return False
    centre = near.across_at(np.array([(lo + hi) / 2]))[0] + (pos - near.pos)
    image = ink.T if near.horizontal else ink
    across0, across1 = max(int(round(centre)) - width, 0), int(round(centre)) + width + 1
    band = image[first:last, across0:across1]  # rows along the line, columns across it
    if band.size == 0:
        return False
    hits = band.any(axis=1)
    return bool(hits.mean() >= tuning.ink_coverage and hits[:2].all() and hits[-2:].all())


def join_slots(grid: TableGrid, pairs: set[tuple[int, int]]) -> TableGrid:
    """The grid with slots (r, c) and (r, c + 1) in one cell for each (r, c) of `pairs`: text runs on
    across the boundary between them there (a title over a grid printed through it, a stray line), so
    whatever line was found at that place does not separate cells in that row."""
    if not pairs:
        return grid
    owner = {(r, c): cell for cell in grid.cells
             for r in range(cell.row, cell.row + cell.row_span) for c in range(cell.col, cell.col + cell.col_span)}
    # only cells over the same rows: joining into a cell merged over other rows would take those in
    pairs = {(r, c) for r, c in pairs if _same_rows(owner[(r, c)], owner[(r, c + 1)])}
    rows, cols = grid.row_count, grid.col_count
    v_present = [[j in (0, cols) or ((r, j - 1) not in pairs and owner[(r, j - 1)] != owner[(r, j)])
                  for j in range(cols + 1)] for r in range(rows)]
    h_present = [[i in (0, rows) or owner[(i - 1, c)] != owner[(i, c)] for i in range(rows + 1)] for c in range(cols)]
    return TableGrid(grid.xs, grid.ys, tuple(merged_cells(list(grid.xs), list(grid.ys), v_present, h_present)), grid.ruled)


def _same_rows(a: GridCell, b: GridCell) -> bool:
    return a.row == b.row and a.row_span == b.row_span


def column_shares(grid: TableGrid) -> list[float]:
    """Column boundaries as shares of the table's width (0.0 ... 1.0): comparable between pages."""
    x0, width = grid.xs[0], grid.xs[-1] - grid.xs[0]
    return [(x - x0) / width for x in grid.xs]


def with_columns(grid: TableGrid, shares: list[float], snap: float) -> TableGrid:
    """The grid with its column boundaries at `shares` of its width (those of the table it continues):
    a boundary of its own within `snap` of one is kept where it was found, one with no counterpart
    is dropped (a stray line), one missing is added (a line the scan lost) and bounds the cells of
    every row; rows keep their boundaries and a column's cells merged over rows stay merged."""
    x0, width = grid.xs[0], grid.xs[-1] - grid.xs[0]
    xs, found = [], []
    for share in shares:
        wanted = x0 + share * width
        near = min(range(len(grid.xs)), key=lambda k: abs(grid.xs[k] - wanted))
        own = abs(grid.xs[near] - wanted) <= snap
        xs.append(grid.xs[near] if own else wanted)
        found.append(near if own else None)
    owner = {(r, c): cell for cell in grid.cells
             for r in range(cell.row, cell.row + cell.row_span) for c in range(cell.col, cell.col + cell.col_span)}
    rows, cols = grid.row_count, len(xs) - 1
    v_present = [[found[j] in (None, 0, grid.col_count) or owner[(r, found[j] - 1)] != owner[(r, found[j])]
                  for j in range(cols + 1)] for r in range(rows)]
    old_col = [min(max(_index_below(grid.xs, (xs[c] + xs[c + 1]) / 2), 0), grid.col_count - 1) for c in range(cols)]
    h_present = [[i in (0, rows) or owner[(i - 1, old_col[c])] != owner[(i, old_col[c])] for i in range(rows + 1)]
                 for c in range(cols)]
    return TableGrid(tuple(xs), grid.ys, tuple(merged_cells(xs, list(grid.ys), v_present, h_present)), grid.ruled)


def _index_below(bounds: tuple[float, ...], value: float) -> int:
    return max((k for k, b in enumerate(bounds) if b <= value), default=0)


def merged_cells(xs: list[float], ys: list[float], v_present, h_present) -> list[GridCell]:
    """Union grid slots across missing boundaries; each union becomes one (rectangular) cell."""
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(rows) for c in range(cols)}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not v_present[r][c + 1]:
                parent[find((r, c))] = find((r, c + 1))
            if r + 1 < rows and not h_present[c][r + 1]:
                parent[find((r, c))] = find((r + 1, c))
    slots: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for key in parent:
        slots.setdefault(find(key), []).append(key)
    rects = _rectangles([_bounding(members) for members in slots.values()])
    return [
        GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))
        for r0, c0, r1, c1 in sorted(rects)
    ]


def _bounding(members: list[tuple[int, int]]) -> tuple[int, int, int, int]:
    rs = [m[0] for m in members]
    cs = [m[1] for m in members]
    return (min(rs), min(cs), max(rs), max(cs))


def _rectangles(rects: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Merge overlapping bounding rectangles until none overlap (non-rectangular unions)."""
    rects = list(rects)
    merged = True
    while merged:
        merged = False
        for i in range(len(rects)):
            for j in range(i + 1, len(rects)):
                a, b = rects[i], rects[j]
                if a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]:
                    rects[i] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    del rects[j]
                    merged = True
                    break
            if merged:
                break
    return rects
