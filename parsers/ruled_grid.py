"""Tables drawn with rules in plain text, as text browsers and converters print an HTML or Word table.

Two spellings of one layout:
- box-drawing characters (`w3m -dump`): `┌───┬───┐` above, `│` between cells, `├───┼───┤` between rows,
  `└───┴───┘` below (light, heavy or double lines);
- ASCII grid tables (pandoc `plain`/`markdown`, Emacs org, many CLI tools): `+---+---+` rules, `|`
  bars, `+===+===+` under the header.

The rule above a group of lines fixes its cell boundaries (its junctions); a content line is cut
where it prints a bar at a boundary, so a bar inside a cell's text is text. A cell that spans
columns (no bar at a boundary) is read into its first column. Every group of lines between two rules
is one row; a cell's lines are joined as wrapped text (`column_aligned.join_wrapped`), and a blank
line inside a cell (a paragraph break, or a browser centring a short cell vertically) keeps a line
break.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from plantasks.parsers.column_aligned import join_wrapped

_HORIZONTAL = set("-=─━═╌╍┄┅┈┉:")
_JUNCTIONS = set("+┌┐└┘├┤┬┴┼┏┓┗┛┣┫┳┻╋╔╗╚╝╠╣╦╩╬╒╕╘╛╞╡╤╧╪╓╖╙╜╟╢╥╨╫┍┑┕┙┝┥┯┷┿┎┒┖┚┠┨┰┸╂")
_BARS = set("|│┃║╎╏┆┇┊┋")


@dataclass
class GridRow:
    cells: list[str]
    first: int  # index of its first and last content line
    last: int


@dataclass
class RuledGrid:
    rows: list[GridRow]
    width: int
    end: int  # index of the first line after the bottom rule


def is_rule(line: str) -> bool:
    """A rule line: junctions at both ends, horizontal strokes and junctions between."""
    s = line.strip()
    if len(s) < 3 or s[0] not in _JUNCTIONS or s[-1] not in _JUNCTIONS:
        return False
    return all(ch in _HORIZONTAL or ch in _JUNCTIONS for ch in s) and any(ch in _HORIZONTAL for ch in s)


def _is_content(line: str) -> bool:
    s = line.strip()
    return len(s) >= 2 and s[0] in _BARS and s[-1] in _BARS


def _junctions(rule: str) -> list[int]:
    return [x for x, ch in enumerate(rule) if ch in _JUNCTIONS]


def ruled_grid_at(lines: list[str], i: int, join: Callable[[list[str]], str] | None = None) -> RuledGrid | None:
    """The ruled table whose top rule is line i, or None when line i does not open one. `join` makes a
    cell's text from its printed lines as cut between the bars (padding kept); by default they are
    stripped and joined as wrapped text."""
    if not (is_rule(lines[i]) and i + 1 < len(lines) and _is_content(lines[i + 1])):
        return None
    columns: set[int] = set()
    groups: list[tuple[list[int], int, int]] = []  # (boundaries from the rule above, first, last)
    j, bounds, start = i + 1, _junctions(lines[i]), None
    columns.update(bounds)
    while j < len(lines):
        if is_rule(lines[j]):
            if start is not None:
                groups.append((bounds, start, j - 1))
            bounds, start = _junctions(lines[j]), None
            columns.update(bounds)
        elif _is_content(lines[j]):
            start = j if start is None else start
        else:
            break
        j += 1
    if start is not None:  # no bottom rule: the table ends with its last content line
        groups.append((bounds, start, j - 1))
    edges = sorted(columns)
    width = len(edges) - 1
    if width < 1 or not groups:
        return None
    join = join or _joined
    rows = [GridRow(_cells(lines, first, last, b, edges, join), first, last) for b, first, last in groups]
    return RuledGrid(rows, width, j)


def _cells(lines: list[str], first: int, last: int, bounds: list[int], edges: list[int],
           join: Callable[[list[str]], str]) -> list[str]:
    texts: list[list[str]] = [[] for _ in range(len(edges) - 1)]
    for j in range(first, last + 1):
        for column, text in _cut(lines[j], bounds, edges):
            texts[column].append(text)
    return [join(t) for t in texts]


def _joined(texts: list[str]) -> str:
    return _paragraphs([t.strip() for t in texts])


def _cut(line: str, bounds: list[int], edges: list[int]) -> list[tuple[int, str]]:
    """(column, text) of each cell a content line prints."""
    cuts = [x for x in bounds if x < len(line) and line[x] in _BARS]
    if len(cuts) < 2:  # the line is not printed under its rule (a shifted or re-spaced line): its bars cut it
        cuts = [x for x, ch in enumerate(line) if ch in _BARS]
        return [(min(k, len(edges) - 2), line[a + 1:b]) for k, (a, b) in enumerate(zip(cuts, cuts[1:]))]
    return [(_column(a, edges), line[a + 1:b]) for a, b in zip(cuts, cuts[1:])]


def _column(x: int, edges: list[int]) -> int:
    return max(k for k, e in enumerate(edges[:-1]) if e <= x) if x >= edges[0] else 0


def _paragraphs(lines: list[str]) -> str:
    """A cell's lines: blank lines split paragraphs (kept as line breaks), wrapped lines joined."""
    out: list[str] = []
    run: list[str] = []
    for text in lines + [""]:
        if text:
            run.append(text)
        elif run:
            out.append(join_wrapped(run))
            run = []
    return "\n".join(out)
