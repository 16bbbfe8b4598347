"""Tables without rules, found by their columns of white space ("rivers")."""

from __future__ import annotations

import bisect
import statistics

from plantasks.parsers.columns import mostly_header_words
from plantasks.parsers.pdf.grid import Grid
from plantasks.parsers.pdf.words import Line

_MIN_RIVER = 5.0  # points of white space, kept clear by every line of a block, that separate two columns
_LOOSE_GAP = 8.0  # a gap between two words wider than this (about two spaces) hints at columns
_NARROW_RIVER = 1.0  # points: between runs of words of rows set apart by white space, any clear strip parts columns
_SPACE = 0.4  # of the font height: the widest gap between two words of one cell's line


def whitespace_tables(lines: list[Line], line_gap: float = 2.0, *, spaced: bool = False) -> list[Grid]:
    """Tables without rules, found by their columns of white space ("rivers").

    Blocks of consecutive lines that are not running text (each has a wide gap between words or
    is short) are candidates; a block whose words leave at least two vertical rivers clear from
    top to bottom is a table of 3+ columns. A row starts at each line with text in the first
    column (wrapped lines of a row leave it empty). Each grid slot is its own cell: spans cannot
    be seen without rules. `line_gap`: the widest vertical gap, in line heights, between two lines
    of one table (scanned tables ruled between rows leave more room than text-layer ones).
    `spaced` (exact word boxes of a text layer): rows set apart by white space are looked for
    first, see _spaced_grid.
    """
    if not lines:
        return []
    width = max(l.x1 for l in lines) - min(l.x0 for l in lines)
    grids = []
    for block in _tabular_blocks(lines, width, line_gap):
        grid = _river_grid(block, block[-1] is lines[-1]) if spaced else _lined_grid(block)
        if grid is not None:
            grids.append(grid)
    return grids


def _tabular_blocks(lines: list[Line], width: float, line_gap: float) -> list[list[Line]]:
    blocks: list[list[Line]] = [[]]
    for line in lines:
        gaps = [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:])]
        tabular = any(g > _LOOSE_GAP for g in gaps) or (line.x1 - line.x0) < 0.4 * width
        previous = blocks[-1][-1] if blocks[-1] else None
        near = previous is None or line.top - previous.bottom < line_gap * (previous.bottom - previous.top)
        if tabular and near:
            blocks[-1].append(line)
        else:
            blocks.append([line] if tabular else [])
    return [b for b in blocks if len(b) >= 3]


def _river_grid(block: list[Line], at_page_end: bool) -> Grid | None:
    spaced = _spaced_grid(block, at_page_end)
    if spaced is not None and len(spaced.ys) > 2:
        return spaced
    return _lined_grid(block) or spaced


def _lined_grid(block: list[Line]) -> Grid | None:
    """A table whose rows start at each line with text in the first column."""
    rivers = river_positions(block)
    while len(block) >= 3 and len(rivers) >= 2 and _columns_used(block[0].words, rivers) < 2:
        block = block[1:]  # a title above the table (one column wide) is not its first row
        rivers = river_positions(block)
    if len(block) < 3 or len(rivers) < 2:
        return None
    return _grid_from_rivers(block, rivers)


def _spaced_grid(block: list[Line], at_page_end: bool) -> Grid | None:
    """A table whose rows stand apart by white space (cell padding, as a web page prints): rows are
    the runs of lines between the gaps, so a cell's text may sit anywhere in its row (vertically
    centred numbers); columns are the rivers between runs of words, however narrow (centred text
    of two columns may come within a point of each other). Rows using one column at either end
    (a title above, a heading below) are left out. A lone row is kept only at the page end when it
    fills every column: a header whose rows the page break sent to the next page."""
    rows = _spaced_rows(block)
    while len(rows) >= 2:
        rivers = river_positions([line for row in rows for line in row], _NARROW_RIVER, _runs)
        if len(rivers) >= 2 and _columns_used([w for line in rows[0] for w in line.words], rivers) < 2:
            rows = rows[1:]
        elif len(rivers) >= 2 and _columns_used([w for line in rows[-1] for w in line.words], rivers) < 2:
            rows = rows[:-1]
        else:
            break
    lines = [line for row in rows for line in row]
    if not lines:
        return None
    narrow = river_positions(lines, _NARROW_RIVER, _words)
    rivers = _header_rivers(rows[0], narrow, river_positions(lines, _NARROW_RIVER, _runs))
    if len(rivers) < 2 or any(sum(1 for line in row if line.x0 < rivers[0]) > 1 for row in rows):
        return None  # two lines of one row start in the first column: the gaps are not between rows
    words = [w for line in lines for w in line.words]
    if len(rows) == 1 and (not at_page_end or _columns_used(words, rivers) <= len(rivers)):
        return None
    across = sum(1 for row in rows if min(l.x0 for l in row) < rivers[0] < max(l.x1 for l in row))
    if across < len(rows) * 0.6:
        return None
    starts = [row[0] for row in rows]
    spanned, sub_headers = _spanned_rivers(rows, rivers)
    if not spanned:
        return _grid(lines, rivers, starts)
    for line in sub_headers.values():
        starts.insert(starts.index(next(row[0] for row in rows if line in row)) + 1, line)
    grid = _grid(lines, sorted(rivers + spanned), starts)
    for row in sub_headers:  # the top line's cell spans the river: one cell over both columns
        for x in spanned:
            _merge_across(grid, starts.index(rows[row][0]), grid.xs.index(x))
    return grid


def _spanned_rivers(rows: list[list[Line]], rivers: list[float]) -> tuple[list[float], dict[int, Line]]:
    """Rivers that only header lines cross, each such header (by row) having a line below its first
    with text on both sides right under the crossing words: a two-level header ("Cơ quan thực hiện"
    over "Chủ trì" | "Phối hợp"), its lower line (returned by row) a grid row of its own."""
    heads = {r for r, row in enumerate(rows) if mostly_header_words(row[0].text) and len(row) > 1}
    rest = [line for r, row in enumerate(rows) for line in (row[1:] if r in heads else row)]
    spanned: list[float] = []
    sub_headers: dict[int, Line] = {}
    for x in river_positions(rest, _NARROW_RIVER, _runs) if heads else []:
        if any(abs(x - r) <= _NARROW_RIVER for r in rivers):
            continue
        before = max((r for r in rivers if r < x), default=float("-inf"))
        after = min((r for r in rivers if r > x), default=float("inf"))
        found: dict[int, Line] = {}
        for r in heads:
            if not any(a < x < b for a, b in _runs(rows[r][0])):
                continue
            under = next((line for line in rows[r][1:] if any(before < a and b < x for a, b in _runs(line))
                          and any(x < a and b < after for a, b in _runs(line))), None)
            if under is None or not any(before < a < x < b < after for a, b in _runs(rows[r][0])) \
                    or sub_headers.get(r, under) is not under:
                found = {}
                break
            found[r] = under
        if found:
            spanned.append(x)
            sub_headers.update(found)
    return spanned, sub_headers


def _merge_across(grid: Grid, row: int, column: int) -> None:
    """Slot `column` of `row` joins the cell of the slot on its left."""
    left, right = grid.owner[row][column - 1], grid.owner[row][column]
    x0, y0, _, y1 = grid.cells[left]
    grid.cells[left] = (x0, y0, grid.cells[right][2], y1)
    grid.owner[row][column] = left


def _header_rivers(head: list[Line], narrow: list[float], rivers: list[float]) -> list[float]:
    """The rivers; when the first row (the header) shows more columns than the rivers part, also
    those between single words that the header shows as a gap wider than a space in each of its
    lines: two cells' texts a space apart in a body line ("... An | Hội đồng ...") read as one
    run, but their header words stand apart."""
    if len(river_positions(head, _NARROW_RIVER, _runs)) <= len(rivers):
        return rivers
    height = statistics.median(w.height for line in head for w in line.words)

    def apart(x: float) -> bool:
        seen = False
        for line in head:
            if any(w.x0 < x < w.x1 for w in line.words):
                return False
            left = max((w.x1 for w in line.words if w.x1 <= x), default=None)
            right = min((w.x0 for w in line.words if w.x0 >= x), default=None)
            if left is not None and right is not None:
                if right - left <= _SPACE * height:
                    return False
                seen = True
        return seen

    extra = [x for x in narrow if all(abs(x - r) > _NARROW_RIVER for r in rivers) and apart(x)]
    return sorted(rivers + extra)


def _spaced_rows(block: list[Line]) -> list[list[Line]]:
    """The block's lines in runs split at vertical gaps wider than half a line."""
    height = statistics.median(w.height for line in block for w in line.words)
    rows = [[block[0]]]
    for line in block[1:]:
        if line.top - max(l.bottom for l in rows[-1]) > 0.5 * height:
            rows.append([line])
        else:
            rows[-1].append(line)
    return rows


def _runs(line: Line) -> list[tuple[float, float]]:
    """A line's runs of words set a normal space apart (wider gaps part two cells)."""
    height = statistics.median(w.height for w in line.words)
    runs = [(line.words[0].x0, line.words[0].x1)]
    for word in line.words[1:]:
        if word.x0 - runs[-1][1] <= _SPACE * height:
            runs[-1] = (runs[-1][0], word.x1)
        else:
            runs.append((word.x0, word.x1))
    return runs


def _columns_used(words, rivers: list[float]) -> int:
    return len({bisect.bisect_left(rivers, (w.x0 + w.x1) / 2) for w in words})


def _words(line: Line) -> list[tuple[float, float]]:
    return [(w.x0, w.x1) for w in line.words]


def river_positions(block: list[Line], least: float = _MIN_RIVER, spans_of=_words) -> list[float]:
    """x positions of the white space (at least `least` wide) no word (run of words) of the block crosses."""
    spans = sorted(span for line in block for span in spans_of(line))
    rivers, reach = [], spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= least:
            rivers.append((reach + x0) / 2)
        reach = max(reach, x1)
    return rivers


def _grid_from_rivers(block: list[Line], rivers: list[float]) -> Grid | None:
    starts = [line for line in block if line.words[0].x0 < rivers[0]]
    if len(starts) < 2 or block[0] not in starts:
        return None
    filled = sum(1 for line in starts if sum(1 for r in rivers if line.x0 < r < line.x1) >= 1)
    if filled < len(starts) * 0.6:
        return None  # most rows must reach past the first river: a real table, not a list of short lines
    return _grid(block, rivers, starts)


def _grid(block: list[Line], rivers: list[float], starts: list[Line]) -> Grid:
    """The grid of the block's lines: columns between the rivers, a row from each of `starts`."""
    spans = sorted((w.x0, w.x1) for line in block for w in line.words)
    xs = [spans[0][0] - 1.0] + rivers + [max(x1 for _, x1 in spans) + 1.0]
    rows = [line.top - 1.0 for line in starts] + [max(line.bottom for line in block) + 1.0]
    columns, count = len(xs) - 1, len(rows) - 1
    cells = [(xs[c], rows[r], xs[c + 1], rows[r + 1]) for r in range(count) for c in range(columns)]
    owner = [[r * columns + c for c in range(columns)] for r in range(count)]
    return Grid((xs[0], rows[0], xs[-1], rows[-1]), xs, rows, cells, owner, ruled=False)
