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

Tables whose cells are centred vertically (a word processor's table printed to PDF) are read by
`centred_table_at` further down: columns from the text's projection profile, rows as bands of lines
around their numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

from plantasks.normalizers.text import LEADING_BULLET, fold
from plantasks.normalizers.vietnamese import match_key
from plantasks.parsers.columns import classify_header_cell, header_map, header_words
from plantasks.parsers.row_layout import looks_like_row_number

_PIECE = re.compile(r"\S+(?: \S+)*")  # words separated by single spaces
_WRAPPED_AFTER_MARK = re.compile(r"\w[-/]$")  # a code or date wrapped at its hyphen or slash
_WRAPPED_BEFORE_SLASH = re.compile(r"^/\w")
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
        def distance(span: tuple[int, int]) -> int:  # the white between the piece and the header text
            s, e = span
            return max(0, s - piece.end, piece.start - e)
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
    return _under_dashed_rule(lines, i, best) if best else None


_DASHED_RULE = re.compile(r"^\s*-{2,}(?: +-{2,})+\s*$")


def _under_dashed_rule(lines: list[str], i: int, found: tuple[Columns, list[str], int]) -> tuple[Columns, list[str], int]:
    """A header next to a rule of one dash run per column (pandoc's simple and multiline tables): the
    runs are the columns' exact extents, and a rule under the header is part of it."""
    columns, texts, height = found
    for j in (i + height, i - 1):
        if 0 <= j < len(lines) and _DASHED_RULE.match(lines[j]):
            runs = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[j].expandtabs(8))]
            if len(runs) == len(columns.spans) and all(s <= a < e for (s, e), (a, _) in zip(runs, columns.spans)):
                return Columns(runs), texts, height + (j > i)
    return found


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
        return [join_wrapped(lines) for lines in self.cells]


def join_wrapped(lines: list[str]) -> str:
    """A cell's printed lines as its text: wrapped lines joined with one space, a bullet line on its own line."""
    out = ""
    for line in lines:
        if not out:
            out = line
        elif LEADING_BULLET.match(line):
            out += "\n" + line
        elif _WRAPPED_AFTER_MARK.search(out) or _WRAPPED_BEFORE_SLASH.match(line):
            out += line  # 'số 99/NQ-' + 'CP', 'tháng 3' + '/2026': a code or date wrapped at its hyphen or slash
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
    the number column, and it does not start at the left margin as running text does: it starts
    under the second column's header, or where that column's cells start on other lines (a
    left-aligned cell wider than its centred header)."""
    if any(c == 0 for c, _ in placed):
        return False
    if len(columns.spans) < 2:
        return True
    indent = len(line) - len(line.lstrip())
    cells_start = min((e for e in columns.edges if columns.spans[0][1] < e < columns.spans[1][0]), default=columns.spans[1][0])
    return indent >= cells_start - 2


# -- tables whose cells are vertically centred ---------------------------------------------------
# A word processor exported to PDF centres each cell at its own height: the row number and a short
# cell sit in the middle of the row, header cells spread over several lines with words of several
# cells on one line, and two cells may be printed one space apart. Columns then come from the
# x-extents of the text over the whole table (a projection profile: gutters are its deep valleys),
# rows from the row numbers: each row is the band of lines around its number, cut between two
# numbers where blank lines, cell starts and the row's symmetry about its number say.

_HEADER_REACH = 5  # lines of a header above or below its number-column header
HEADING_START = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s")  # "IV. ", "2. ", "b) " open a heading
_HEADER_PIECE_WORDS = 4  # words a header cell prints on one line below the number-column header
_STT_HEADER = re.compile(r"^(?:S\s?TT|TT)\.?$", re.IGNORECASE)
_VALLEY = 0.4  # a gutter's profile is at most this share of both neighbouring columns' peaks
_ASYMMETRY = 0.25  # cost per line of a row not centred on its number
_MAX_TABLE_LINES = 400
_LOOK_DOWN = 12  # lines looked down for the first text of a column after a cut
_NAME_REACH = 8  # characters a cut may move left of a gutter to keep a capitalised name whole


@dataclass
class CentredTable:
    header: list[str]
    header_lines: tuple[int, int]  # first and last line of the first header
    rows: list[AlignedRow]
    end: int  # the line after the table


@lru_cache(maxsize=1 << 12)  # every line is asked about as itself and as the line above the next
def _header_like(line: str) -> bool:
    """Every word is header wording, a number, a bracketed note or an abbreviation (UBTVQH)."""
    words = [w.strip(",.:;") for w in line.split()]
    return bool(words) and all(
        fold(w.strip("()")) in header_words() or any(ch.isdigit() for ch in w) or (w.isupper() and w.isascii())
        or w.startswith("(") or w.endswith(")") for w in words if w)


def _stt_piece(line: str) -> Piece | None:
    """The number column's header opening the line; printed one space before the next header ("STT Tên
    dự án", a narrow text-browser table) it is cut off that piece."""
    found = pieces(line)
    if not found:
        return None
    head, _, rest = found[0].text.partition(" ")
    if rest and _STT_HEADER.match(head) and _header_like(rest):
        return Piece(found[0].start, found[0].start + len(head), head)
    return found[0] if _STT_HEADER.match(found[0].text) and len(found) >= 2 else None


def _header_block(lines: list[str], i: int) -> tuple[int, int, Piece] | None:
    """(first, last, number-column header) of a header block of several lines starting at line i."""
    if i and lines[i - 1].strip() and _header_like(lines[i - 1]):
        return None  # the block starts higher up
    for j in range(i, min(i + _HEADER_REACH, len(lines))):
        if not lines[j].strip() or not _header_like(lines[j]):
            return None
        stt = _stt_piece(lines[j])
        if stt:
            last = j
            while last + 1 < len(lines) and last + 1 - j <= _HEADER_REACH and _header_below(lines[last + 1]):
                last += 1
            return (i, last, stt) if last > i else None
    return None


def _header_below(line: str) -> bool:
    """A line under the number-column header that goes on the header: header wording in short
    pieces (a task's first line may happen to use header words, but runs longer)."""
    return (bool(line.strip()) and _header_like(line) and not _stt_piece(line)
            and all(len(p.text.split()) <= _HEADER_PIECE_WORDS for p in pieces(line)))


def _gutters(lines: list[str]) -> list[tuple[int, int]]:
    """x-ranges between columns: valleys of the count of lines printing text at each offset."""
    cover: list[int] = []
    for line in lines:
        for p in pieces(line):
            if len(cover) < p.end:
                cover += [0] * (p.end - len(cover))
            for x in range(p.start, p.end):
                cover[x] += 1
    found: list[tuple[int, int]] = []
    x, left_peak = 0, 0
    while x < len(cover):
        if x == 0 or cover[x] >= cover[x - 1] or (x + 1 < len(cover) and cover[x + 1] < cover[x]):
            left_peak = max(left_peak, cover[x])
            x += 1
            continue
        # cover[x] is the bottom of a descent: its valley is the run at this level
        low = cover[x]
        end = x
        while end + 1 < len(cover) and cover[end + 1] == low:
            end += 1
        right, k = 0, end + 1
        while k < len(cover) and cover[k] >= low:
            right = max(right, cover[k])
            if cover[k] > low and k + 1 < len(cover) and cover[k + 1] < low:
                break
            k += 1
        if right and min(left_peak, right) >= 2 and low <= _VALLEY * min(left_peak, right):
            found.append((x, end))
            left_peak = 0
        x = end + 1
    return found


@dataclass
class _Grid:
    gutters: list[tuple[int, int]]

    @property
    def width(self) -> int:
        return len(self.gutters) + 1

    def column(self, x: int) -> int:
        return sum(1 for s, e in self.gutters if x > (s + e) / 2)

    def _room(self, c: int) -> int:
        """Width of column c between its gutters (the last one open to the right)."""
        left = self.gutters[c - 1][1] if c else 0
        return (self.gutters[c][0] if c < len(self.gutters) else 10 ** 6) - left

    def place(self, piece: Piece) -> list[tuple[int, str]]:
        """(column, text) of a printed piece, cut at the word spaces that fall in gutters."""
        out: list[tuple[int, str]] = []
        start, text = piece.start, piece.text
        for c, (s, e) in enumerate(self.gutters):
            if not (start < s and start + len(text) > e):
                continue
            if len(text) <= self._room(c) and len(text) <= self._room(c + 1):
                continue  # text a little off its column's centre, not two cells
            spaces = [m.start() for m in re.finditer(" ", text) if s - 3 <= start + m.start() <= e + 3]
            if not spaces:
                continue
            # a number stays with the word it follows ('tháng' 9/2026); a cell starts with a capital,
            # and a name's capitalised words stay together: of two spaces in the gutter, the one
            # where capitalised words start
            middle = (s + e) / 2
            cut = min(spaces, key=lambda p: (takes_number(text[:p]) and text[p + 1].isdigit(),
                                             not _capital(text[p + 1]), _inside_name(text, p),
                                             abs(start + p - middle)))
            while _inside_name(text, cut) and " " in text[:cut]:  # back to the start of the name
                back = text.rindex(" ", 0, cut)
                if s - (start + back) > _NAME_REACH:
                    break
                cut = back
            out.append((self.column(start + cut / 2), text[:cut]))
            start, text = start + cut + 1, text[cut + 1:]
        mid = start + len(text) / 2 if len(text) > 1 else start
        out.append((self.column(mid if len(self.gutters) else start), text))
        return out


@cache
def _wrapping() -> dict:
    return yaml.safe_load((Path(__file__).parent / "data" / "cell_wrapping.yaml").read_text(encoding="utf-8"))


def goes_on(text: str) -> bool:
    """The line of a cell ends where the cell cannot end (a conjunction, a comma): it goes on."""
    rule = _wrapping()["goes_on_after"]
    text = text.rstrip()
    return bool(text) and (text.endswith(tuple(rule["marks"])) or text.rsplit(" ", 1)[-1].lower() in rule["words"]
                           or is_bare_head(text))


def is_bare_head(text: str) -> bool:
    """The text is only the head noun of a body's name ("Ủy ban"): no cell ends there."""
    text = text.strip()
    return len(text) <= _HEAD_CHARS and match_key(text) in _bare_heads()


_HEAD_CHARS = 12  # the longest head noun in cell_wrapping.yaml, with room for a stray space


@cache
def _bare_heads() -> frozenset[str]:
    return frozenset(match_key(head) for head in _wrapping()["goes_on_after"]["heads"])


_RANGE_REST = re.compile(r"^[-–]\s*\d")


def ends_range(above: str, text: str) -> bool:
    """`text` is the rest of a range `above` broke before its dash: '- 20 giờ 45 phút' after '… 15 phút'."""
    if not _RANGE_REST.match(text):
        return False
    last = above.rstrip().rsplit(" ", 1)[-1].lower()
    return last[-1:].isdigit() or last in _wrapping()["range_after"]


def takes_number(text: str) -> bool:
    """The line ends with a word a number follows ('năm' 2026, 'tháng' 9/2025)."""
    return text.rstrip().rsplit(" ", 1)[-1].lower() in _wrapping()["number_after"]


def _capital(ch: str) -> bool:
    return ch.isupper() or ch.isdigit()


def _after_capital(text: str, space: int) -> bool:
    return _capital(text[:space].rsplit(" ", 1)[-1][:1])


def _inside_name(text: str, space: int) -> bool:
    """The space runs between two capitalised words ('Công | Thương'), not before a number ('Du | 20 giờ')."""
    return _after_capital(text, space) and text[space + 1:space + 2].isupper()


def centred_table_at(lines: list[str], i: int) -> CentredTable | None:
    """The table whose header block (several lines) starts at line i, when its rows are centred on
    their numbers; None otherwise (then the top-aligned reader below `header_at` reads it)."""
    block = _header_block(lines, i)
    if not block:
        return None
    first, last, stt = block
    number_end = stt.end + 1
    width = max(p.end for j in range(first, last + 1) for p in pieces(lines[j]))
    body, shown = _body_extent(lines, last + 1, stt, width)
    anchors = [k for k, j in enumerate(body) if _row_number(shown[j], number_end)]
    if not anchors or not _centred(shown, body, anchors):
        return None
    gutters = _gutters([lines[j] for j in range(first, last + 1)] + [shown[j] for j in body])
    grid = _Grid([g for g in gutters if g[1] >= number_end - 1])  # none inside the number column
    header = _join_cells(lines, range(first, last + 1), grid)
    if grid.width < 3 or not header_map(header):
        return None
    rows = _centred_rows(shown, body, anchors, grid)
    return CentredTable(header, (first, last), rows, rows[-1].last + 1)


def _centred(lines: dict[int, str], body: list[int], anchors: list[int]) -> bool:
    """Rows are centred on their numbers when text stands above the first number, or when many
    numbers stand alone or beside a cell's middle (a lower-case word) rather than its first line."""
    if any(lines[j].strip() for j in body[:anchors[0]]):
        return True
    middles = 0
    for k in anchors:
        rest = pieces(lines[body[k]])[1:]
        middles += not rest or rest[0].text[:1].islower()
    return middles * 4 >= len(anchors) and middles >= 1


def _row_number(line: str, number_end: int) -> bool:
    found = pieces(line)
    return bool(found) and found[0].start < number_end and looks_like_row_number(found[0].text)


def _body_extent(lines: list[str], i: int, stt: Piece, width: int) -> tuple[list[int], dict[int, str]]:
    """The table's body lines from line i and their text as placed under the first header. Repeated headers and page numbers are left out, with the blank lines
    around them; a page whose header stands a few characters off the first one's has its lines
    moved back by as much. The table ends at text starting in the number column that is no row
    number, at a line of running text as wide as most of the table, or at a long gap."""
    body: list[int] = []
    shown: dict[int, str] = {}
    shift, number_end = 0, stt.end + 1
    j, blanks = i, 0
    while j < len(lines) and j - i < _MAX_TABLE_LINES:
        line = lines[j]
        if not line.strip():
            blanks += 1
            if blanks > _MAX_GAP_LINES * 3:
                break
            body.append(j)
            shown[j] = ""
            j += 1
            continue
        repeated = _header_block(lines, j)
        furniture = not repeated and _PAGE_MARK.match(line.strip()) and _next_is_header(lines, j + 1)
        if repeated or furniture:
            while body and not shown[body[-1]]:
                body.pop()
            if repeated:
                shift = stt.start - repeated[2].start
                j = repeated[1] + 1
            else:
                j += 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            blanks = 0
            continue
        text = " " * shift + line if shift >= 0 else line[min(-shift, len(line) - len(line.lstrip())):]
        found = pieces(text)
        if found[0].start < number_end and not looks_like_row_number(found[0].text):
            break
        if len(found) == 1 and len(found[0].text) >= 0.6 * width:
            break
        body.append(j)
        shown[j] = text
        blanks = 0
        j += 1
    while body and not shown[body[-1]]:
        body.pop()
    return body, shown


def _next_is_header(lines: list[str], j: int) -> bool:
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j < len(lines) and _header_block(lines, j) is not None


def _join_cells(lines: list[str], rows: range | list[int], grid: _Grid) -> list[str]:
    cells: list[list[str]] = [[] for _ in range(grid.width)]
    for j in rows:
        for p in pieces(lines[j]):
            for c, text in grid.place(p):
                cells[c].append(text)
    return [join_wrapped(c) for c in cells]


def _centred_rows(lines: list[str], body: list[int], anchors: list[int], grid: _Grid) -> list[AlignedRow]:
    """Rows around their numbers: the cut between two numbers is chosen (over all rows at once) to
    split the fewest cells where they go on, to start cells with a capital, and to centre each row
    on its number; where blank lines part the rows, the cuts are taken there."""
    texts = [_line_cells(lines[j], grid) for j in body]
    blank = [not lines[j].strip() for j in body]
    barrier = [k > 0 and body[k] != body[k - 1] + 1 for k in range(len(body))]

    def above(k: int, c: int) -> str | None:
        """Column c's text on the line above line k, or on the one before when the line above holds
        only other columns' text (cells of different heights print on alternate lines)."""
        if barrier[k] or k == 0 or blank[k - 1]:
            return None
        if c in texts[k - 1]:
            return texts[k - 1][c]
        if k >= 2 and not barrier[k - 1] and not blank[k - 2]:
            return texts[k - 2].get(c)
        return None

    def below(k: int, c: int) -> str | None:
        """Column c's text on line k, or on the next one when line k holds only other columns'."""
        if c in texts[k]:
            return texts[k][c]
        if k + 1 < len(texts) and not blank[k] and not blank[k + 1] and not barrier[k + 1]:
            return texts[k + 1].get(c)
        return None

    def cut_cost(k: int) -> float:
        cost = 0.0
        for c in range(1, grid.width):
            here = below(k, c)
            if goes_on(above(k, c) or ""):
                cost += 1.0
            if above(k, c) and here:  # a cell goes on here, unless this line opens a new one
                weight = 1.0 if c in texts[k] and c in texts[k - 1] else 0.5  # less sure across a line
                opens = 0.3 if here[0].isupper() else 0.5 if here[0].isdigit() and not takes_number(above(k, c)) else 1.0
                cost += weight * opens
                continue
            following = next((texts[m][c] for m in range(k, min(k + _LOOK_DOWN, len(texts))) if c in texts[m]), "")
            if following[:1].islower():
                cost += 0.5
        return cost

    def asymmetry(start: int, stop: int, anchor: int) -> float:
        used = [k for k in range(start, stop) if not blank[k]]
        if not used or any(barrier[k] for k in range(start + 1, stop)):
            return 0.0
        below = (used[-1] - anchor) - (anchor - used[0])
        if below in (0, 1):  # a row of even height has its number just above its middle
            return 0.05 * below
        return _ASYMMETRY * abs(below)

    anchors = sorted(anchors + _unnumbered_rows(texts, blank, barrier, anchors))
    options = [[0]]
    for a, b in zip(anchors, anchors[1:]):
        span = range(a + 1, b + 1)
        if any(blank[k] for k in span):
            choice = [k for k in span if not blank[k] and (blank[k - 1] or barrier[k])]
        else:
            choice = [k for k in span if not blank[k]]
        options.append(choice or [b])
    options.append([len(body)])
    # best[k][s]: cost of the first k rows with row k starting at s
    best: list[dict[int, tuple[float, int | None]]] = [{0: (0.0, None)}]
    for r, anchor in enumerate(anchors):
        layer: dict[int, tuple[float, int | None]] = {}
        for stop in options[r + 1]:
            split = cut_cost(stop) if r + 1 < len(anchors) else 0.0
            layer[stop] = min((cost + asymmetry(start, stop, anchor) + split, start)
                              for start, (cost, _) in best[r].items())
        best.append(layer)
    stops, stop = [], len(body)
    for r in range(len(anchors), 0, -1):
        stops.append(stop)
        stop = best[r][stop][1]
    stops.reverse()
    stops[-1] = _last_row_stop(texts, blank, barrier, stops[-2] if len(stops) > 1 else 0, anchors[-1])
    rows, start = [], 0
    for stop in stops:
        used = [k for k in range(start, stop) if not blank[k]]
        cells: list[list[str]] = [[] for _ in range(grid.width)]
        for k in used:
            for c, text in sorted(texts[k].items()):
                cells[c].append(text)
        rows.append(AlignedRow(cells, body[used[0]], body[used[-1]]))
        start = stop
    return rows


def _last_row_stop(texts: list[dict[int, str]], blank: list[bool], barrier: list[bool], start: int,
                   anchor: int) -> int:
    """The last row reaches as far below its number as above it, one line more for an even
    height unless that line opens a heading: lines further down are not the row's."""
    stop = len(texts)
    used = [k for k in range(start, stop) if not blank[k]]
    if not used or any(barrier[k] for k in range(start + 1, stop)):
        return stop
    last = anchor + (anchor - used[0])
    if last + 1 < stop and not blank[last + 1] and not any(HEADING_START.match(t) for t in texts[last + 1].values()):
        last += 1
    return min(stop, last + 1)


def _unnumbered_rows(texts: list[dict[int, str]], blank: list[bool], barrier: list[bool],
                     anchors: list[int]) -> list[int]:
    """Middle lines of the blocks set apart by blank lines that hold no row number but their own
    row (GOLD_SPEC: a row without a TT number stating its own work): every cell they print, in
    three columns or more, starts with a capital. A block right after a page break continues the
    row above."""
    out, k = [], 0
    while k < len(texts):
        if blank[k]:
            k += 1
            continue
        end = k + 1
        while end < len(texts) and not blank[end] and not barrier[end]:
            end += 1
        first: dict[int, str] = {}
        for m in range(k, end):
            for c, text in texts[m].items():
                first.setdefault(c, text)
        if (k > 0 and blank[k - 1] and not any(k <= a < end for a in anchors) and 0 not in first
                and len(first) >= 3 and all(_capital(t[:1]) or LEADING_BULLET.match(t) for t in first.values())):
            out.append((k + end - 1) // 2)
        k = end
    return out


def _line_cells(line: str, grid: _Grid) -> dict[int, str]:
    out: dict[int, str] = {}
    for p in pieces(line):
        for c, text in grid.place(p):
            out[c] = f"{out[c]} {text}" if c in out else text
    return out
