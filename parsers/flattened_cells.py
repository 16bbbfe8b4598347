"""Text whose tables were flattened to one cell per line: what web scrapers (an HTML page's text taken
with a line break between elements), PDF viewers' copy and Word-saved HTML give. Every cell, and
often every paragraph or line fragment inside a cell, stands on its own line(s); blank lines and stray
tabs come between; an empty cell usually leaves nothing at all.

The table is found by what its lines say, never by where they stand:
- a header run: consecutive short lines that are a table header (columns.header_map, the one header
  vocabulary), directly followed by a row number. Where the scraper left runs of blank lines, the
  longest gap that still splits the run into a valid header is the gap between cells; gaps shorter
  than it fall inside a cell. Without blank lines every line is a piece, and a line goes on in the
  piece above where its words say so (lower case, after "của" or a dash; a header line in lower case
  or "(": "Cơ quan chủ trì" / "thẩm tra"). A header printed on two rows ("Cơ quan thực hiện" over
  "Chủ trì" / "Phối hợp") puts the sub-columns in the group's place.
- rows: a row starts at a row number line (1, 2.; I, II; a, b) or at a section title ("II. TITLE");
  the pieces up to the next row start are its cells. They are laid into the header's columns in
  order, each column taking a run of pieces (possibly none: a vanished empty cell), choosing the
  layout whose pieces best fit the columns by what they look like (row_layout.cell_kind: a time
  phrase goes to the time column, an agency list to an agency column), so a vanished cell never
  shifts an agency into the deadline.
- a cell's lines are re-joined as paragraphs (portal_markdown.paragraph_spans, the wrapped-prose
  joiner); each cell keeps the lines it came from.
- the table ends at a line that cannot be in it: a heading ("Điều 3.", "IV. "), a row number out of
  sequence or written another way ("2." after "10", or after "1"), a Roman or lettered title that heads
  no numbered rows, or, where blank lines set cells apart, a piece as far from the row as rows are
  from each other. The header printed again (a new page) is a header row.
Outside tables, lines closer together than the text's usual paragraph gap are one paragraph where
their words say so. Where the text has no blank lines at all (a scraper that strips them), only the
words and the width the text is wrapped at part paragraphs: a heading broken over lines is joined,
an item ("a)", "2.") never goes on in the line above, a capital after a heading starts its text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from plantasks.normalizers.agencies.rules import load_rules
from plantasks.normalizers.agencies.split import unit_after_body
from plantasks.parsers.blocks import Block, Cell, Provenance, TableRow, TextLine
from plantasks.normalizers.text import LEADING_BULLET, is_bullet_only, is_upper_text, strip_bullet
from plantasks.parsers.column_aligned import HEADING_START, ends_range, goes_on, is_bare_head, takes_number
from plantasks.parsers.columns import ColumnMap, classify_header_cell, header_map
from plantasks.parsers.portal_markdown import SENTENCE_END, SourceLine, paragraph_spans, wrap_width
from plantasks.parsers.row_layout import cell_kind, fit, looks_like_row_number

_MAX_HEADER_CELLS = 12
_MAX_HEADER_PIECES = 30
_HEADER_PIECE_WORDS = 12
_SECTION_TITLE = re.compile(r"^([IVXLC]{1,6}|[A-ZĐ])[.)]\s+\S")
# "III.", "2.", "b)", "Điều 3." before their title
_MARKER_ONLY = re.compile(r"^(?:(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]|(?:Điều|Mục)\s+\d+[a-z]?[.:]?|Chương\s+[IVXLC\d]+\.?)$")
_RULE = re.compile(r"^([-_=*.–—])\1{2,}$")  # "-------", "_____": a rule under a letterhead stands alone
_DOCUMENT_HEADING = re.compile(r"^(Điều\s+\d+|Chương\s+[IVXLC\d]+|PHỤ LỤC|Phụ lục|Nơi nhận)\b")


@dataclass(frozen=True)
class _Piece:
    """A run of lines the layout keeps together: one cell's text, or a fragment of it."""

    lines: tuple[SourceLine, ...]
    gap: int  # blank lines before it

    @property
    def text(self) -> str:
        return " ".join(l.text.strip() for l in self.lines).strip()

    @property
    def prov(self) -> Provenance:
        return _prov(self.lines)


def _prov(lines) -> Provenance:
    return Provenance(page=lines[0].page, line_start=lines[0].number, line_end=lines[-1].number)


def _units(lines: list[SourceLine]) -> list[_Piece]:
    """Each non-blank line with the number of blank lines before it."""
    out, gap = [], 0
    for line in lines:
        if not line.text.strip():
            gap += 1
            continue
        out.append(_Piece((line,), gap))
        gap = 0
    return out


def _group(units: list[_Piece], cut: int, numbers_apart: bool = True) -> list[_Piece]:
    """Units joined into pieces: a gap of `cut` blank lines or more starts a new piece (cut 0: every
    line); a row number line is a piece of its own in a table."""
    out: list[_Piece] = []
    for u in units:
        if out and cut and u.gap < cut and not (numbers_apart and (
                looks_like_row_number(u.text) or looks_like_row_number(out[-1].text))):
            out[-1] = _Piece(out[-1].lines + u.lines, out[-1].gap)
        else:
            out.append(u)
    return out


def _header_cells(pieces: list[_Piece]) -> list[_Piece]:
    """A header line that starts in lower case or with "(" goes on in the header cell above it."""
    out: list[_Piece] = []
    for p in pieces:
        text = p.text
        if out and text and (text[0].islower() or text[0] == "(") and classify_header_cell(text).role is None:
            out[-1] = _Piece(out[-1].lines + p.lines, out[-1].gap)
        else:
            out.append(p)
    return out


@dataclass(frozen=True)
class _Header:
    end: int  # index of the first unit after it
    cut: int
    columns: ColumnMap
    cells: tuple[_Piece, ...]


def _row_start(text: str) -> bool:
    return looks_like_row_number(text) or bool(_SECTION_TITLE.match(text))


def _header_at(units: list[_Piece], i: int, cuts: list[int] | None = None) -> _Header | None:
    """A header run starting at unit i, directly followed by a row start."""
    first = units[i].text
    if not (classify_header_cell(first).role == "stt"
            or (len(first) <= 4 and not looks_like_row_number(first) and not any(c.isalpha() for c in first))):
        return None  # the number column comes first ("STT", "#"; a short word is the end of a line of text)
    window = units[i:i + _MAX_HEADER_PIECES]
    if cuts is None:
        cuts = sorted({u.gap for u in window[1:] if u.gap > 0}, reverse=True) + [0]
    for cut in cuts:
        pieces = _header_cells(_group(window, cut))
        for k in range(3, min(_MAX_HEADER_CELLS, len(pieces) - 1) + 1):  # the first row comes right after
            cells = pieces[:k]
            if not _row_start(pieces[k].text):
                continue
            if any(len(c.text.split()) > _HEADER_PIECE_WORDS or _row_start(c.text) for c in cells):
                break
            found = header_map([c.text for c in cells])
            if found and found[0].roles[0] == "stt":
                end = i + sum(len(c.lines) for c in cells)  # a unit is one line
                cells = _two_levels(cells, found[0].roles)
                if len(cells) < k:
                    found = header_map([c.text for c in cells]) or found
                return _Header(end, cut, found[0], tuple(cells))
    return None


def _two_levels(cells: list[_Piece], roles: tuple[str | None, ...]) -> list[_Piece]:
    """A header printed on two rows comes out as the first row's cells, then the second's: "Cơ quan
    thực hiện" over "Chủ trì" / "Phối hợp" gives … Cơ quan thực hiện, Thời gian, Chủ trì, Phối hợp.
    The sub-columns take the place of the cell over them."""
    if "performer" not in roles:
        return cells
    group = roles.index("performer")
    start = len(roles)
    while start - 1 > group and roles[start - 1] in ("lead", "support"):
        start -= 1
    if start == len(roles):
        return cells
    return cells[:group] + cells[start:] + cells[group + 1:start]


def read_flattened(lines: list[SourceLine]) -> list[Block]:
    units = _units(lines)
    parts: list[list[_Piece] | list[Block]] = []  # runs of text units and tables' rows, in order
    text_units: list[_Piece] = []
    i = 0
    while i < len(units):
        header = _header_at(units, i)
        if header is None:
            text_units.append(units[i])
            i += 1
            continue
        parts.append(text_units)
        text_units, rows = [], []
        i = _Table(units, header, rows).run()
        parts.append(rows)
    parts.append(text_units)
    para_gap = _paragraph_gap([u for part in parts[::2] for u in part])
    width = wrap_width([l.text for l in lines])
    blocks: list[Block] = []
    for n, part in enumerate(parts):
        blocks.extend(part if n % 2 else _paragraphs(part, para_gap, width))
    return blocks


def _paragraph_gap(units: list[_Piece]) -> int:
    """The blank lines that most often stand between paragraphs (0: the text has none)."""
    gaps = Counter(u.gap for u in units if u.gap > 0)
    return gaps.most_common(1)[0][0] if gaps else 0


def _paragraphs(units: list[_Piece], gap: int, width: int | None) -> list[TextLine]:
    """Text lines outside tables; a line closer to the one above than the paragraph gap goes on in it
    where the text says so (_goes_on_text). Where the text has no blank lines at all (a scraper that
    strips them), every line is that close, and only its words and the wrap width part paragraphs."""
    out: list[TextLine] = []
    above = ""  # the line above, as printed
    for u in units:
        line = u.lines[0]
        text = line.text.strip()
        prev = out[-1] if out else None
        indented = line.text[:1].isspace() and u.gap == 0  # the source's own wrap
        if prev is not None and (u.gap < gap or not gap) and (
                indented or _goes_on_text(prev.text, above, text, _close(prev, above, text, gap, u.gap, width))):
            out[-1] = TextLine(f"{prev.text} {text}", Provenance(
                page=prev.prov.page, line_start=prev.prov.line_start, line_end=line.number))
        else:
            out.append(TextLine(text, _prov((line,))))
        above = text
    return out


def _close(prev: TextLine, above: str, text: str, gap: int, own_gap: int, width: int | None) -> bool:
    """The layout keeps the line in the paragraph: no blank line where paragraphs have some, or the line
    above reaches the width the text is wrapped at. A numbered title may reach it too: after a numbered
    paragraph of up to two lines only an acronym goes on ("e) Cập nhật … đã được" / "UBND tỉnh công bố
    …"); a capitalised word starts the title's text ("2. Tổ chức Cuộc thi …" / "Sở Nội vụ chủ trì …")."""
    if gap:
        return own_gap == 0
    if width is None or len(above) < 0.85 * width:
        return False
    title = HEADING_START.match(prev.text) and len(prev.text) <= 2 * width
    return not title or _acronym(text.split()[0])


def _acronym(word: str) -> bool:
    """'CCHC', 'UBND': capitals only."""
    return len(word) >= 2 and word.isalpha() and word.isupper()


def _goes_on_text(prev: str, above: str, text: str, close: bool) -> bool:
    """The line `text` goes on in the paragraph `prev` (whose last line is `above`)?
    - never when it opens an item ("a)", "2. Title", "- …", "II. TITLE") or is a rule ("-----"), nor
      between a title in capitals and a line that is not ("… Tư pháp," / "QUYẾT NGHỊ:");
    - it does after a lone item marker ("III." / "MỤC TIÊU"), where a cell's line goes on (_continues:
      a word in lower case, after "của", a comma or a body's head noun), before a number or a mark,
      inside an open bracket, after a one-word paragraph of its case ("KẾ" / "HOẠCH", "Nguyễn" /
      "Ngọc Phúc"), in a numbered title in capitals ("III. MỘT SỐ …" / "TRONG NĂM …");
    - otherwise only where the layout keeps it `close`, below running text that has not ended its
      sentence. So a capital after a heading starts the heading's text ("1. Đối tượng" / "Cán bộ …")."""
    if _starts_item(text) and not ends_range(prev, text) or _RULE.match(text) or _RULE.match(above):
        return False
    if is_bullet_only(prev) or _MARKER_ONLY.match(prev):
        return True
    if (_capitalised(text) and not is_upper_text(above)
            or _capitalised(strip_bullet(above)) and any(c.islower() for c in text)):
        return False  # "… Tư pháp," / "QUYẾT NGHỊ:"; "… NĂM 2024" / "(Ban hành kèm theo …)"
    if _continues(strip_bullet(above) or above, text):
        return True
    if not text[:1].isalpha():
        return True
    if SENTENCE_END.search(prev):
        return False
    if prev.count("(") > prev.count(")"):
        return True
    if prev.isalpha() and is_upper_text(prev) == is_upper_text(text):
        return True  # no paragraph is one word: "KẾ" / "HOẠCH", "Đài" / "Phát thanh …"
    if is_upper_text(prev) and is_upper_text(text):
        return bool(HEADING_START.match(prev))  # a numbered title goes on: "III. MỘT SỐ …" / "TRONG NĂM …"
    return close and not is_upper_text(prev) and not is_upper_text(text)


def _capitalised(text: str) -> bool:
    """A title printed in capitals: more than one word, (nearly) all letters upper case."""
    return len(text.split()) > 1 and is_upper_text(text)


def _starts_item(text: str) -> bool:
    """The line opens an item: a marker alone or before its text ("a)", "2. Title", "- Bộ …"), a Roman title."""
    return bool(_MARKER_ONLY.match(text) or LEADING_BULLET.match(text) or HEADING_START.match(text))


def _joined(lines: tuple[SourceLine, ...]) -> list[TextLine]:
    """Lines of one cell, re-joined where the text goes on (paragraph_spans). A line indented right
    below another is the same run of text the page's source wrapped (Word-saved HTML)."""
    runs: list[list] = []  # [text, first line, last line]
    for line in lines:
        if runs and line.text[:1].isspace() and line.number == runs[-1][2].number + 1:
            runs[-1][0] += " " + line.text.strip()
            runs[-1][2] = line
        else:
            runs.append([line.text.strip(), line, line])
    spans = paragraph_spans([r[0] for r in runs])
    return [TextLine(text, _prov((runs[a][1], runs[b][2]))) for text, a, b in spans]


class _Table:
    def __init__(self, units: list[_Piece], header: _Header, blocks: list[Block]):
        self.units = units
        self.header = header
        self.blocks = blocks
        self.columns = header.columns
        self.roles = header.columns.roles
        # blank lines between the header's cells, and (the fewest seen) before a row number
        self.cell_gap = max((c.gap for c in header.cells[1:]), default=0)
        self.row_gap = 0

    def run(self) -> int:
        h = self.header
        self._header_row(h.cells)
        pieces = self._pieces(h.end)
        consumed = h.end
        k = 0
        numbers = _Numbering()
        while k < len(pieces) and _row_start(pieces[k].text) and numbers.follows(pieces[k].text):
            if h.cut:
                self.row_gap = min(self.row_gap or pieces[k].gap, pieces[k].gap)
            row = [pieces[k]]
            k += 1
            while k < len(pieces):
                at = consumed + sum(len(p.lines) for p in row)
                inside = next((m for m in range(1, len(pieces[k].lines))
                               if _header_at(self.units, at + m, [h.cut])), None)
                if inside:  # a header starts inside the piece: the piece ends before it
                    pieces[k:] = [_Piece(pieces[k].lines[:inside], pieces[k].gap)] + self._pieces(at + inside)
                if self._ends_row(pieces[k], row, at):
                    break
                row.append(pieces[k])
                k += 1
            after = consumed + sum(len(p.lines) for p in row)
            if not self._heads_rows(row, pieces[k] if k < len(pieces) else None, after, numbers):
                break  # a numbered heading after the table or over the next one ("b) Title:"), not a row
            self._emit(row)
            consumed = after
            repeated = _header_at(self.units, consumed, [h.cut]) if k < len(pieces) else None
            if repeated and repeated.columns.width == self.columns.width:
                self._header_row(repeated.cells)
                pieces = self._pieces(repeated.end)
                consumed, k = repeated.end, 0
        return consumed

    def _pieces(self, start: int) -> list[_Piece]:
        """The units from `start` as the table's pieces. Without blank lines to set cells apart, a line
        goes on in the piece above where the words say so (_continues; a time cell never goes on in an
        item: "Quý II/2025" / "a) Các cơ quan …" is the plan's text after the table), or where it is
        indented (the page's source wrapped the cell's text there: "CẢI CÁCH CHẾ ĐỘ" / "    CÔNG VỤ")."""
        pieces = _group(self.units[start:], self.header.cut)
        if self.header.cut:  # blank lines set cells apart; a body's head noun alone still goes on in its name
            out = []
            for p in pieces:
                if out and is_bare_head(out[-1].text) and not _row_start(p.text):
                    out[-1] = _Piece(out[-1].lines + p.lines, out[-1].gap)
                else:
                    out.append(p)
            return out
        out: list[_Piece] = []
        for p in pieces:
            if out and not looks_like_row_number(out[-1].text) and not _row_start(p.text) and (
                    p.lines[0].text[:1].isspace() or _continues(out[-1].text, p.text)
                    and not (HEADING_START.match(p.text) and cell_kind(out[-1].text) == "time")):
                out[-1] = _Piece(out[-1].lines + p.lines, out[-1].gap)
            else:
                out.append(p)
        return out

    def _heads_rows(self, row: list[_Piece], nxt: _Piece | None, after: int, numbers: "_Numbering") -> bool:
        """A row numbered I, II or a, b: a section row when its numbered rows follow it (a lettered row is
        no section of the next lettered one), a task when it carries an agency or a time besides its
        content; otherwise a numbered heading after the table, or over the next table ("b) Title:")."""
        if row[0].text.strip().rstrip(".)").isdigit():
            return True
        if after < len(self.units) and _header_at(self.units, after):
            return False
        if nxt is not None and _row_start(nxt.text) and numbers.accepts(nxt.text) \
                and not (row[0].text[:1].islower() and nxt.text[:1].islower()):
            return True
        return any(cell_kind(p.text) in ("agency", "time") for p in row[2:])  # besides its content

    def _header_row(self, cells: tuple[_Piece, ...]) -> None:
        self.blocks.append(TableRow(tuple(Cell(c.text, c.prov) for c in cells), _prov(
            [l for c in cells for l in c.lines])))

    def _ends_row(self, piece: _Piece, row: list[_Piece], at: int) -> bool:
        """The piece (its first line is unit `at`) is not in the row."""
        text = piece.text
        if _row_start(text) or _DOCUMENT_HEADING.match(text) or HEADING_START.match(text):
            return True
        if _header_at(self.units, at, [self.header.cut]):
            return True  # the header again (a new page)
        if self.row_gap and piece.gap >= self.row_gap and piece.gap > self.cell_gap:
            return True  # as far from the row as rows are from each other: text after the table
        return len(row) >= 3 * self.columns.width  # not a row any more

    def _emit(self, row: list[_Piece]) -> None:
        first = row[0]
        prov = _prov([l for p in row for l in p.lines])
        stt, title = first.text, ""
        m = _SECTION_TITLE.match(stt)
        if m and not looks_like_row_number(stt):
            stt, title = m.group(1), stt[m.end(1):].strip(" .)")
        cells = _layout(row[1:], self.roles[1:])
        texts = [_cell_text(run) for run in cells]
        if title:
            content = self.roles.index("content") - 1 if "content" in self.roles else 0
            texts[content] = "\n".join(filter(None, (title, texts[content])))
        out = [Cell(stt, first.prov)]
        for run, text in zip(cells, texts):
            out.append(Cell(text, _prov([l for p in run for l in p.lines]) if run else prov))
        self.blocks.append(TableRow(tuple(out), prov))


def _continues(above: str, text: str) -> bool:
    """A line that cannot start a cell: in lower case (a cell starts with a capital), after a word or
    mark a cell cannot end with ("của", ","), a number after the word it counts ("ngày" 10), the rest
    of a range broken before its dash ("… 15 phút" / "- 20 giờ"), the unit of a local body ("UBND" /
    "Thị xã Duy Tiên")."""
    first = text[:1]
    return first.islower() or goes_on(above) or (first.isdigit() and takes_number(above)) or ends_range(above, text) \
        or unit_after_body(above, text, load_rules().named_locality)


_NUMBER = re.compile(r"^(\d{1,3})(?:\.\d{1,2})*([.)]?)$")


class _Numbering:
    """The row numbers of a table go on in sequence and are written one way: 1, 2, 3 (again from 1
    under a section or lettered row), all with or all without a dot; a number out of sequence ("2."
    after "10") or written another way ("2." after "1") is a numbered paragraph after the table. A
    table's sections (I, II; A, B) head its numbered rows from the first: one coming after a table
    that opened with numbered rows is the plan's next heading ("III." / "TỔ CHỨC THỰC HIỆN")."""

    def __init__(self) -> None:
        self.last: int | None = None
        self.style: str | None = None
        self.numbered_first: bool | None = None

    def follows(self, text: str) -> bool:
        ok = self.accepts(text)
        number = _NUMBER.match(text.strip())
        if self.numbered_first is None:
            self.numbered_first = number is not None
        if number is None:
            self.last = None  # a section or lettered row: the numbers start again
        else:
            self.last, self.style = int(number.group(1)), number.group(2)
        return ok

    def accepts(self, text: str) -> bool:
        """`text` may start the next row (follows, without noting it)."""
        number = _NUMBER.match(text.strip())
        if number is None:
            return not (self.numbered_first and text.strip()[:1].isupper())
        n, style = int(number.group(1)), number.group(2)
        return (self.last is None or n in (self.last, self.last + 1, 1)) and self.style in (None, style)


def _cell_text(run: list[_Piece]) -> str:
    return "\n".join(t.text for t in _joined(tuple(l for p in run for l in p.lines))) if run else ""


def _layout(pieces: list[_Piece], roles: tuple[str | None, ...]) -> list[list[_Piece]]:
    """The pieces laid into the columns in order, each column a run of pieces (maybe none), the layout
    whose runs best fit their columns' roles (cell_kind); one piece per column is preferred."""
    n, w = len(pieces), len(roles)
    if w == 0:
        return []
    neg = float("-inf")
    best = [[neg] * (w + 1) for _ in range(n + 1)]
    back = [[0] * (w + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for c in range(1, w + 1):
        for j in range(n + 1):
            for s in range(j, -1, -1):  # on a tie the pieces stay in the leftmost columns
                if best[s][c - 1] == neg:
                    continue
                score = best[s][c - 1] + _run_score(pieces[s:j], roles[c - 1])
                if score > best[j][c]:
                    best[j][c], back[j][c] = score, s
    out, j = [], n
    for c in range(w, 0, -1):
        s = back[j][c]
        out.append(pieces[s:j])
        j = s
    return out[::-1]


def _run_score(run: list[_Piece], role: str | None) -> float:
    if not run:
        return -0.5
    return 1.0 + sum(fit(cell_kind(p.text), role) for p in run) - 0.75 * (len(run) - 1)
