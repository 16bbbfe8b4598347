"""Column-aligned tables, as `pdftotext -layout` and OCR engines print them.

Cells are separated by runs of two or more spaces; a cell's text wraps onto the following lines at
the same column offsets; a row starts where the number (STT) column holds a row number. The header
line(s) fix the columns (the first is the number column): each printed piece of text goes to the
column whose header it lies under (by overlap, else the nearest); a piece running over two columns
(cells printed one space apart) is cut where the table's cells start on other lines, and stays whole
where no such edge exists (a section title). A line without a row number continues the row, unless
it opens every column its row's first line used with a capital (its own unnumbered row). A page
number ends the page's table; after the repeated header the first lines continue the row above
(an empty STT cell, which the table assembler joins). Wrapped lines are joined with one space; a line
starting with a bullet keeps its line break (GOLD_SPEC splits list cells there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plantasks.normalizers.text import LEADING_BULLET, fold
from plantasks.parsers.columns import classify_header_cell, header_map, header_words
from plantasks.parsers.row_layout import looks_like_row_number

_PIECE = re.compile(r"\S+(?: \S+)*")  # words separated by single spaces
_BROKEN_AT_HYPHEN = re.compile(r"\w-$")
_PAGE_MARK = re.compile(r"^(?:trang\s*)?[-–]?\s*\d{1,4}\s*[-–]?$", re.IGNORECASE)  # page furniture ends a page's table
_MAX_HEADER_LINES = 3
_MAX_GAP_LINES = 2  # blank lines a table may hold between rows
_EDGE_WINDOW = 80  # lines after a header looked at for the cells' left edges


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    text: str


def pieces(line: str) -> list[Piece]:
    return [Piece(m.start(), m.end(), m.group()) for m in _PIECE.finditer(line.expandtabs(8))]


@dataclass
class Columns:
    spans: list[tuple[int, int]]  # where each column's header text lies
    edges: frozenset[int] = frozenset()  # offsets where the table's cells start on many lines

    def place(self, piece: Piece) -> list[tuple[int, str]]:
        """(column, text) for a printed piece, cut at column boundaries it runs over."""
        over = [c for c, (s, e) in enumerate(self.spans) if piece.start < e and piece.end > s]
        if len(over) <= 1:
            return [(over[0] if over else self._nearest(piece), piece.text)]
        # two cells printed one space apart: cut where the next column's cells start on other
        # lines, nearest to its header; text running over columns with no such cut (a section
        # title) stays whole
        boundary = self.spans[over[1]][0] - piece.start
        spaces = [m.start() for m in re.finditer(" ", piece.text)
                  if piece.start + m.start() + 1 in self.edges and piece.start + m.start() + 1 > self.spans[over[0]][0]]
        if not spaces:
            return [(over[0], piece.text)]
        cut = min(spaces, key=lambda p: abs(p + 1 - boundary))
        left = Piece(piece.start, piece.start + cut, piece.text[:cut])
        right = Piece(piece.start + cut + 1, piece.end, piece.text[cut + 1:])
        return [(over[0], left.text)] + self.place(right)

    def _nearest(self, piece: Piece) -> int:
        def distance(span: tuple[int, int]) -> int:
            s, e = span
            return 0 if s <= piece.start < e else min(abs(piece.start - s), abs(piece.start - e))
        return min(range(len(self.spans)), key=lambda c: (distance(self.spans[c]), -c))


def header_at(lines: list[str], i: int) -> tuple[Columns, list[str], int] | None:
    """Columns and header texts when line i starts a column-aligned header, and its number of lines."""
    found = _PIECE.finditer(lines[i].expandtabs(8))
    if next(found, None) is None or next(found, None) is None or next(found, None) is None:
        return None  # fewer than three pieces, found without building them
    first = pieces(lines[i])
    spans = [[p.start, p.end] for p in first]
    texts = [[p.text] for p in first]
    best = None
    for k in range(_MAX_HEADER_LINES):
        if k:
            if i + k >= len(lines) or not _joins_header(pieces(lines[i + k]), spans, texts):
                break
        found = header_map([" ".join(t) for t in texts])
        if found:
            best = (Columns([tuple(s) for s in spans]), [" ".join(t) for t in texts], k + 1)
    return best


def _joins_header(line: list[Piece], spans: list[list[int]], texts: list[list[str]]) -> bool:
    """Adds a wrapped header line's pieces to the columns they lie under; False (nothing added)
    when the line is not header wording or lies under no column."""
    if not line or any(not set(fold(p.text).split()) <= header_words() for p in line):
        return False
    placed = []
    for p in line:
        over = [c for c, (s, e) in enumerate(spans) if p.start < e + 2 and p.end > s - 2]
        if len(over) != 1:
            return False
        if classify_header_cell(" ".join(texts[over[0]] + [p.text])).role is None:
            return False  # 'Cơ quan' + 'Sở Nội vụ' is a row's text, 'Cơ quan' + 'chủ trì' a header
        placed.append((over[0], p))
    for c, p in placed:
        texts[c].append(p.text)
        spans[c][0], spans[c][1] = min(spans[c][0], p.start), max(spans[c][1], p.end)
    return True


@dataclass
class AlignedRow:
    cells: list[list[str]]  # lines of each cell
    first: int  # index of its first and last line
    last: int
    opening: frozenset[int] = frozenset()  # columns its first line printed text in

    def texts(self) -> list[str]:
        return [_join(lines) for lines in self.cells]


def _join(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if not out:
            out = line
        elif LEADING_BULLET.match(line):
            out += "\n" + line
        elif _BROKEN_AT_HYPHEN.search(out):
            out += line  # 'số 99/NQ-' + 'CP': a code wrapped at its hyphen
        else:
            out += " " + line
    return out


def _edges(lines: list[str]) -> frozenset[int]:
    """Offsets where a piece starts after a wide gap on at least three lines (cells' left edges)."""
    counts: dict[int, int] = {}
    for line in lines:
        for p in pieces(line):
            counts[p.start] = counts.get(p.start, 0) + 1
    return frozenset(o for o, n in counts.items() if n >= 3)


def read_aligned(lines: list[str], i: int, columns: Columns) -> tuple[list[AlignedRow], int]:
    """Rows of a column-aligned table whose header ends before line i; and the line after it."""
    columns = Columns(columns.spans, _edges(lines[i:i + _EDGE_WINDOW]))
    rows: list[AlignedRow] = []
    width = len(columns.spans)
    j, blanks = i, 0
    while j < len(lines):
        line = lines[j]
        if not line.strip():
            blanks += 1
            if blanks > _MAX_GAP_LINES:
                break
            j += 1
            continue
        if header_at(lines, j) or _PAGE_MARK.match(line.strip()):
            break  # a repeated header (page break) or the next table: the caller reads it
        placed = [cp for p in pieces(line) for cp in columns.place(p)]
        number = " ".join(t for c, t in placed if c == 0)
        starts = bool(number) and looks_like_row_number(number.split()[0])
        if not starts and not _continues(placed, columns, line):
            break
        blanks = 0
        if starts or not rows or _opens_unnumbered_row(placed, rows[-1]):
            rows.append(AlignedRow([[] for _ in range(width)], j, j, frozenset(c for c, _ in placed)))
        for c, text in placed:
            rows[-1].cells[c].append(text)
        rows[-1].last = j
        j += 1
    while j > i and not lines[j - 1].strip():
        j -= 1
    return rows, j


def _opens_unnumbered_row(placed: list[tuple[int, str]], row: AlignedRow) -> bool:
    """A line without a row number that starts its own row (GOLD_SPEC: a row without a TT number
    stating its own work): it prints, like the row's first line, a capitalised start in every
    column that line used (a wrapped continuation leaves some column empty or goes on in lower case)."""
    columns = {c for c, _ in placed}
    wanted = row.opening - {0}
    return (len(wanted) >= 3 and wanted <= columns
            and all(t[:1].isupper() or t[:1].isdigit() for c, t in placed if c in wanted))


def _continues(placed: list[tuple[int, str]], columns: Columns, line: str) -> bool:
    """A line without a row number continues the row: its text lies in the columns, none of it in
    the number column, and it does not start at the left margin as running text does."""
    if any(c == 0 for c, _ in placed):
        return False
    indent = len(line) - len(line.lstrip())
    return indent >= columns.spans[1][0] - 2 if len(columns.spans) > 1 else True
