"""Tables without rules, found by their columns of white space ("rivers")."""

from __future__ import annotations

import bisect

from plantasks.parsers.pdf.grid import Grid
from plantasks.parsers.pdf.words import Line

_MIN_RIVER = 5.0  # points of white space, kept clear by every line of a block, that separate two columns
_LOOSE_GAP = 8.0  # a gap between two words wider than this (about two spaces) hints at columns


def whitespace_tables(lines: list[Line], line_gap: float = 2.0) -> list[Grid]:
    """Tables without rules, found by their columns of white space ("rivers").

    Blocks of consecutive lines that are not running text (each has a wide gap between words or
    is short) are candidates; a block whose words leave at least two vertical rivers clear from
    top to bottom is a table of 3+ columns. A row starts at each line with text in the first
    column (wrapped lines of a row leave it empty). Each grid slot is its own cell: spans cannot
    be seen without rules. `line_gap`: the widest vertical gap, in line heights, between two lines
    of one table (scanned tables ruled between rows leave more room than text-layer ones).
    """
    if not lines:
        return []
    width = max(l.x1 for l in lines) - min(l.x0 for l in lines)
    grids = []
    for block in _tabular_blocks(lines, width, line_gap):
        grid = _river_grid(block)
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


def _river_grid(block: list[Line]) -> Grid | None:
    rivers = river_positions(block)
    while len(block) >= 3 and len(rivers) >= 2 and _columns_used(block[0], rivers) < 2:
        block = block[1:]  # a title above the table (one column wide) is not its first row
        rivers = river_positions(block)
    if len(block) < 3 or len(rivers) < 2:
        return None
    return _grid_from_rivers(block, rivers)


def _columns_used(line: Line, rivers: list[float]) -> int:
    return len({bisect.bisect_left(rivers, (w.x0 + w.x1) / 2) for w in line.words})


def river_positions(block: list[Line]) -> list[float]:
    """x positions of the white space no word of the block crosses."""
    spans = sorted((w.x0, w.x1) for line in block for w in line.words)
    rivers, reach = [], spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= _MIN_RIVER:
            rivers.append((reach + x0) / 2)
        reach = max(reach, x1)
    return rivers


def _grid_from_rivers(block: list[Line], rivers: list[float]) -> Grid | None:
    spans = sorted((w.x0, w.x1) for line in block for w in line.words)
    xs = [spans[0][0] - 1.0] + rivers + [max(x1 for _, x1 in spans) + 1.0]
    starts = [line for line in block if line.words[0].x0 < rivers[0]]
    if len(starts) < 2 or block[0] not in starts:
        return None
    rows = [line.top - 1.0 for line in starts] + [block[-1].bottom + 1.0]
    columns, count = len(xs) - 1, len(rows) - 1
    cells = [(xs[c], rows[r], xs[c + 1], rows[r + 1]) for r in range(count) for c in range(columns)]
    owner = [[r * columns + c for c in range(columns)] for r in range(count)]
    filled = sum(1 for line in starts if sum(1 for r in rivers if line.x0 < r < line.x1) >= 1)
    if filled < len(starts) * 0.6:
        return None  # most rows must reach past the first river: a real table, not a list of short lines
    return Grid((xs[0], rows[0], xs[-1], rows[-1]), xs, rows, cells, owner, ruled=False)
