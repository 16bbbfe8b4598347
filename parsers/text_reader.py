"""OCR'd or exported plan text -> blocks.

Table layouts recognised, each by the shape of its lines:
- cells: one cell per TAB-prefixed line, continuation lines without TAB, blank lines between rows;
- tsv: one row per line, cells separated by TABs (a row may start with TABs for empty cells);
- pipe: markdown/pipe tables, with or without |---| rules, rows broken over several lines; also the
  GitHub form without outer bars ("a | b" over "---|---", as html2text and other web tools write it),
  with markdown emphasis, escapes and <br> in cells;
- portal markdown: one cell per line(s) between lone `|` lines (parsers/portal_markdown.py);
- column-aligned: cells separated by runs of spaces under a header (parsers/column_aligned.py).
- ruled: tables drawn with box-drawing characters or ASCII grid rules, as text browsers and pandoc
  print them (parsers/ruled_grid.py).
- raw HTML: a `<table>` … `</table>` written into markdown (pandoc gfm writes a table with paragraphs
  or merged cells so), read by the web page reader (html_reader.read_fragment).
- pandoc's own Markdown (`pandoc -t markdown` of a saved page or a Word file): its fenced divs,
  attribute spans, links, escapes and typographic punctuation are made plain first, its simple and
  multiline tables are cut under their dash runs, a grid cell's broken words glued
  (parsers/pandoc_markdown.py).
- flattened: every cell on its own line(s), as scrapers and PDF copy leave a table, read when no
  other layout gives a header (parsers/flattened_cells.py).
The layout is decided per table, so one file may mix them. Everything else is a TextLine. A form feed starts a new page;
the running headers and footers of the pages (parsers/page_furniture) are left out, the blank lines around them
kept as one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from plantasks.parsers.blocks import Block, Cell, ParsedDocument, Provenance, ReaderError, ReaderIssue, TableRow, TextLine
from plantasks.parsers.column_aligned import HEADING_START, CentredTable, centred_table_at, header_at, read_aligned
from plantasks.parsers.columns import header_map
from plantasks.parsers.flattened_cells import read_flattened
from plantasks.parsers.page_furniture import furniture_note, running_lines
from plantasks.parsers.pandoc_markdown import PlainText, grid_cell, is_pandoc_markdown, plain_lines
from plantasks.parsers.ruled_grid import RuledGrid, ruled_grid_at
from plantasks.parsers.portal_markdown import (SENTENCE_END, SourceLine, is_portal_markdown, paragraph_spans,
                                               PROSE, read_portal_markdown, strip_markup, wrap_width)
from plantasks.parsers.detect import decode_text
from plantasks.normalizers.text import LEADING_BULLET as _BULLET, is_upper_text

_PIPE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_UNESCAPED_BAR = re.compile(r"(?<!\\)\|")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_UNDERLINE = re.compile(r"^\s*(=+|-{3,})\s*$")
_CELL_BREAK = re.compile(r"<br\s*/?>|(?<=[*_]) {2,}(?=[*_])", re.IGNORECASE)
_INLINE_TAG = re.compile(r"</?(?:span|font|strong|em|b|i|u|s|sup|sub|a|mark|small)\b[^<>]*>", re.IGNORECASE)
_STT = re.compile(r"^([0-9]{1,3}(\.[0-9]{1,2})*|[IVXLC]{1,6}|[a-zA-ZđĐ])[.)]?$")
_HTML_TABLE_OPEN = re.compile(r"^\s*<table\b", re.IGNORECASE)
_SECTION_CELL = re.compile(r"^([IVXLC]{1,6}|[A-ZĐ])[.)]\s+\S")


@dataclass
class _Line:
    number: int
    page: int
    text: str

    @property
    def prov(self) -> Provenance:
        return Provenance(page=self.page, line_start=self.number, line_end=self.number)


def _lines(text: str) -> list[_Line]:
    """The text's lines with their page: a form feed starts the next page, and ends its line there
    when text comes before it on the line."""
    out, page = [], 1
    for i, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        parts = raw.split("\f")
        for k, part in enumerate(parts):
            page += k > 0
            if k == len(parts) - 1 or part.strip(" \t\u00a0"):
                out.append(_Line(i, page, unicodedata.normalize("NFC", part).rstrip(" \r\u00a0")))
    return out


def _without_furniture(lines: list[_Line], issues: list[ReaderIssue]) -> list[_Line]:
    """The lines without the pages' running headers and footers (named in a `page_furniture` note);
    the blank lines that set them apart from the page's text are kept as one (a page of text then
    follows on from the page before, as a page break without furniture leaves it)."""
    if not lines or lines[-1].page == 1:
        return lines
    pages: list[list[_Line]] = [[] for _ in range(lines[-1].page)]
    for line in lines:
        pages[line.page - 1].append(line)
    drop = running_lines([[l.text for l in page] for page in pages])
    if note := furniture_note([(p + 1, pages[p][i].text) for p, i in sorted(drop)]):
        issues.append(note)
    out: list[_Line] = []
    for p, page in enumerate(pages):
        kept = [i for i, line in enumerate(page) if line.text.strip(" ") and (p, i) not in drop]  # "\t" is an empty cell
        first = kept[0] if kept and any(i < kept[0] for q, i in drop if q == p) else 0
        last = kept[-1] + 1 if kept and any(i > kept[-1] for q, i in drop if q == p) else len(page)
        out += _one_blank(page[:first]) + [line for i, line in enumerate(page[first:last], start=first)
                                           if (p, i) not in drop] + _one_blank(page[last:])
    return out


def _one_blank(lines: list[_Line]) -> list[_Line]:
    """The first blank line of a run of furniture and blank lines: the text on either side stays
    apart as the page break left it."""
    return next(([line] for line in lines if not line.text.strip(" ")), [])


def _margin_off(texts: list[str]) -> list[str]:
    """The lines without the left margin every non-blank line shares (pdftotext -layout of a page
    whose text starts in from its leftmost mark)."""
    margin = min((len(t) - len(t.lstrip(" ")) for t in texts if t.strip()), default=0)
    return [t[margin:] for t in texts]


def _kind(line: str, tsv_mode: bool) -> str:
    if line.startswith("\t") and line.count("\t") == 1 and not tsv_mode:
        return "cell"
    if not line.strip():
        return "blank"
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        return "pipe"
    tabs = line.count("\t")
    if tabs == 0:
        return "text"
    if line.startswith("\t") and tabs == 1 and not tsv_mode:
        return "cell"
    return "tsv"


@dataclass
class _CellRow:
    """A row of the one-cell-per-line layout being collected."""

    cells: list[list[_Line]] = field(default_factory=list)
    blank_since_cell: bool = False

    def add_cell(self, line: _Line) -> None:
        self.cells.append([_Line(line.number, line.page, line.text[1:])])
        self.blank_since_cell = False

    def extend(self, line: _Line) -> None:
        self.cells[-1].append(line)

    def to_row(self) -> TableRow:
        cells = tuple(
            Cell("\n".join(l.text.strip() for l in c if l.text.strip()), _span(c)) for c in self.cells
        )
        return TableRow(cells, _span([l for c in self.cells for l in c]))


def _span(lines: list[_Line]) -> Provenance:
    return Provenance(page=lines[0].page, line_start=lines[0].number, line_end=lines[-1].number)


class _TextReader:
    def __init__(self, lines: list[_Line], pandoc: PlainText | None = None):
        self.lines = lines
        self.texts = [l.text for l in lines]
        self.blocks: list[Block] = []
        self.width: int | None = None  # columns of the current table, from its header
        self.mode: str | None = None  # layout of the current table: cells / tsv / pipe
        self.row: _CellRow | None = None
        self.prev_kind = "blank"  # kind of the last non-blank line
        # markdown (a pipe table's '---|---' rule): lines outside tables are hard-wrapped paragraphs with markup
        # or raw HTML tables, which only markdown holds
        self.markdown = pandoc is not None or any(_PIPE_RULE.match(t.strip()) and "|" in t
                                                  or _HTML_TABLE_OPEN.match(t) for t in self.texts)
        self.pandoc = pandoc  # pandoc Markdown made plain: its tables read, its paragraphs' starts known
        self.in_layout_table = False  # rows of a pipe table that is not a task table (signature, letterhead)
        self.layout_lines: set[int] = set()  # ids of the text lines those rows became

    def run(self) -> list[Block]:
        i = 0
        while i < len(self.lines):
            i = self._step(i)
        self._flush_cells()
        if self.markdown:
            return _markdown_paragraphs(self.blocks, self.lines, self.layout_lines,
                                        self.pandoc.starts if self.pandoc else None)
        return _wrapped_paragraphs(self.blocks, wrap_width(_margin_off(self.texts)))

    def _step(self, i: int) -> int:
        line = self.lines[i]
        kind = _kind(line.text, self.mode == "tsv" and self.prev_kind == "tsv")
        if kind != "blank":
            self.prev_kind = kind
        if kind == "cell":
            self._cell_line(line)
            return i + 1
        if kind == "blank":
            self.in_layout_table = False
            if self.row:
                self.row.blank_since_cell = True
                if self.width is None or (len(self.row.cells) < self.width and self._short_row_ends(i)):
                    self._flush_cells()
            return i + 1
        if kind == "text" and self.row:
            if self._continues_cell(i):
                self.row.extend(line)
                return i + 1
        self._flush_cells()
        if kind == "tsv":
            return self._tsv_row(i)
        if kind == "pipe":
            return self._pipe_row(i)
        if kind == "text" and _HTML_TABLE_OPEN.match(line.text):
            return self._html_table(i)
        grid = None
        if kind == "text":
            grid = ruled_grid_at(self.texts, i, grid_cell if self.pandoc else None)  # (a cell's markup read with its lines)
            grid = grid or (self.pandoc.tables.get(i) if self.pandoc else None)
        if grid:
            return self._ruled_table(grid)
        if kind == "text" and self._bare_pipe_row(i):
            return self._pipe_row(i)
        if kind == "text":
            centred = centred_table_at(self.texts, i)
            if centred:
                return self._centred_table(centred)
            aligned = header_at(self.texts, i)
            if aligned:
                return self._aligned_table(i, *aligned)
        self.blocks.append(TextLine(line.text.strip(), line.prov))
        return i + 1

    # -- one cell per line ------------------------------------------------------------
    def _cell_line(self, line: _Line) -> None:
        if self.row and self.width and len(self.row.cells) >= self.width:
            self._flush_cells()
        if self.row is None:
            self.row = _CellRow()
        self.row.add_cell(line)

    def _continues_cell(self, i: int) -> bool:
        row = self.row
        if not row.blank_since_cell or (self.width and len(row.cells) < self.width):
            return True
        # after a blank line the row looked complete; a bullet line leading to the next row still belongs to it
        if not _BULLET.match(self.lines[i].text):
            return False
        for nxt in self.lines[i + 1:]:
            k = _kind(nxt.text, False)
            if k == "blank" or (k == "text" and _BULLET.match(nxt.text)):
                continue
            return k == "cell"
        return False

    def _short_row_ends(self, i: int) -> bool:
        """A row with fewer cells than the header (a section title row) ends where a numbered row starts."""
        first = self.row.cells[0][0].text.strip()
        if not (_STT.match(first) or _SECTION_CELL.match(first)):
            return False
        for nxt in self.lines[i + 1:]:
            if nxt.text.strip():
                return _kind(nxt.text, False) == "cell" and bool(_STT.match(nxt.text.strip()))
        return True

    def _flush_cells(self) -> None:
        if not self.row:
            return
        row = self.row.to_row()
        self.row = None
        self._emit_row(row, "cells")

    # -- TSV -------------------------------------------------------------------------------
    def _tsv_row(self, i: int) -> int:
        line = self.lines[i]
        cells = line.text.split("\t")
        end = i
        while self.mode == "tsv" and self.width and 1 < len(cells) < self.width and end + 1 < len(self.lines):
            nxt = self.lines[end + 1].text
            if not nxt.strip() or _STT.match(nxt.split("\t")[0].strip()) or header_map(nxt.split("\t")):
                break
            more = nxt.split("\t")
            cells = cells[:-1] + [cells[-1] + "\n" + more[0]] + more[1:]
            end += 1
        while cells and not cells[-1].strip() and self.width and len(cells) > self.width:
            cells.pop()
        prov = Provenance(page=line.page, line_start=line.number, line_end=self.lines[end].number)
        row = TableRow(tuple(Cell(c.strip(), prov) for c in cells), prov)
        self._emit_row(row, "tsv")
        return end + 1

    # -- pipe tables ---------------------------------------------------------------------
    def _bare_pipe_row(self, i: int) -> bool:
        """A row of a table without outer bars: a header over its '---|---' rule, or a row after one."""
        text = self.lines[i].text
        if not _UNESCAPED_BAR.search(text):
            return False
        if _PIPE_RULE.match(text.strip()):
            return self.mode == "pipe" or (i > 0 and bool(_UNESCAPED_BAR.search(self.lines[i - 1].text)))
        nxt = self.lines[i + 1].text.strip() if i + 1 < len(self.lines) else ""
        return bool(_PIPE_RULE.match(nxt)) and "|" in nxt or (self.mode == "pipe" and self.prev_kind in ("pipe", "text")
                                                             and self.blocks and isinstance(self.blocks[-1], TableRow))

    def _pipe_row(self, i: int) -> int:
        first = self.lines[i]
        if _PIPE_RULE.match(first.text.strip()):
            return i + 1
        text, end = first.text.strip(), i
        want = (self.width or 0) + 1
        outer = text.startswith("|")  # a row without outer bars is one line
        while outer and (not text.endswith("|") or (self.width and text.count("|") < want)) and end + 1 < len(self.lines):
            nxt = self.lines[end + 1]
            if not nxt.text.strip() or (nxt.text.strip().startswith("|") and text.endswith("|")):
                break
            text += "\n" + nxt.text.strip()
            end += 1
        inner = text.strip()
        inner = inner[1:] if inner.startswith("|") else inner
        inner = inner[:-1] if inner.endswith("|") else inner
        prov = Provenance(page=first.page, line_start=first.number, line_end=self.lines[end].number)
        cells = tuple(Cell(_markdown_cell(c), prov) for c in _UNESCAPED_BAR.split(inner))
        if self._starts_layout_table(end, cells):
            self.in_layout_table = True
        if self.in_layout_table:  # its cells are lines of the body, one per printed line
            line = TextLine("\n".join(c.text for c in cells if c.text), prov)
            self.layout_lines.add(id(line))
            self.blocks.append(line)
            return end + 1
        self._emit_row(TableRow(cells, prov), "pipe")
        return end + 1

    def _starts_layout_table(self, end: int, cells: tuple[Cell, ...]) -> bool:
        """A pipe table's header (its rule follows) that names no task columns, under an open task table of
        another width: a layout table after the task table (the signature block), not more task rows."""
        rule = self.lines[end + 1].text.strip() if end + 1 < len(self.lines) else ""
        if not (_PIPE_RULE.match(rule) and "|" in rule) or header_map([c.text for c in cells]):
            return False
        return self.width is not None and len(cells) != self.width

    # -- raw HTML tables -------------------------------------------------------------------
    def _html_table(self, i: int) -> int:
        from plantasks.parsers.html_reader import read_fragment

        depth, j = 0, i
        for j in range(i, len(self.lines)):
            text = self.texts[j].lower()
            depth += text.count("<table") - text.count("</table")
            if depth <= 0:
                break
        try:
            if depth > 0:
                raise ReaderError("corrupt", "the table is not closed")
            blocks = read_fragment("\n".join(self.texts[i:j + 1]), self.lines[i].number)
        except ReaderError:  # no closing tag, or markup lxml cannot parse: the line is text
            self.blocks.append(TextLine(self.lines[i].text.strip(), self.lines[i].prov))
            return i + 1
        page = self.lines[i].page
        rows: list[TableRow] = []
        for block in blocks + [None]:
            if isinstance(block, TableRow):
                block = TableRow(tuple(replace(c, prov=replace(c.prov, page=page)) for c in block.cells),
                                 replace(block.prov, page=page))
                rows.append(block)
                continue
            self._emit_table(rows, "html")
            rows = []
            if block:
                self._layout_line(replace(block, prov=replace(block.prov, page=page)))
        return j + 1

    def _layout_line(self, line: TextLine) -> None:
        """A line of text a table's cell gave, kept as it is (not a markdown paragraph's source lines)."""
        self.layout_lines.add(id(line))
        self.blocks.append(line)

    # -- ruled tables ------------------------------------------------------------------
    def _ruled_table(self, grid: RuledGrid) -> int:
        rows = []
        for r in grid.rows:
            prov = _span(self.lines[r.first:r.last + 1])
            rows.append(TableRow(tuple(Cell(c, prov) for c in r.cells), prov))
        self._emit_table(rows, "ruled")
        return grid.end

    def _emit_table(self, rows: list[TableRow], mode: str) -> None:
        """A whole table's rows; a table of one or two columns that neither has a task header nor goes on
        with the open task table is page layout (letterhead, signature): its cells are lines of text."""
        if not rows:
            return
        found = any(header_map(r.texts) for r in rows)
        used = {k for r in rows for k, c in enumerate(r.cells) if c.text}
        if not found and max(len(r.cells) for r in rows) != self.width and len(used) <= 2:
            for cell in (c for r in rows for c in r.cells if c.text):
                self._layout_line(TextLine(cell.text, cell.prov))
            return
        for row in rows:
            self._emit_row(row, mode)

    # -- column-aligned tables -----------------------------------------------------------
    def _aligned_table(self, i: int, columns, headers: list[str], height: int) -> int:
        rows, end = read_aligned(self.texts, i + height, columns)
        self._emit_aligned(headers, _span(self.lines[i:i + height]), rows)
        return end

    def _centred_table(self, table: CentredTable) -> int:
        self._emit_aligned(table.header, _span(self.lines[table.header_lines[0]:table.header_lines[1] + 1]), table.rows)
        return table.end

    def _emit_aligned(self, headers: list[str], head: Provenance, rows) -> None:
        """A column-aligned table's header and rows (each with .first, .last lines and .texts())."""
        self._emit_row(TableRow(tuple(Cell(h, head) for h in headers), head), "aligned")
        for row in rows:
            prov = _span(self.lines[row.first:row.last + 1])
            self._emit_row(TableRow(tuple(Cell(t, prov) for t in row.texts()), prov), "aligned")

    def _emit_row(self, row: TableRow, mode: str) -> None:
        found = header_map(row.texts)
        if found:
            self.width = found[0].width
            self.mode = mode
        elif self.mode != mode and mode != "tsv":
            self.mode = mode
        self.blocks.append(row)


def _wrapped_paragraphs(blocks: list[Block], width: int | None) -> list[Block]:
    """Prose lines the tool wrapped, joined: a line that does not end a sentence goes on in the next
    line when it reaches the wrap width or the next line starts in lower case (a bold heading wraps
    short), unless the next line starts an item ('1. Phân công … Ủy ban' + 'Thường vụ Quốc hội …'
    is one paragraph, not a heading) or one of the two is in capitals and the other is not (a date
    line, then the document's name: 'Hà Nội, ngày 10 tháng 7 năm 2025' / 'NGHỊ QUYẾT')."""
    if width is None:
        return blocks
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (isinstance(block, TextLine) and isinstance(prev, TextLine) and PROSE.match(block.text)
                and prev.prov.line_end is not None and block.prov.line_start == prev.prov.line_end + 1
                and (len(prev.text) >= 0.85 * width or block.text[0].islower())
                and not SENTENCE_END.search(prev.text) and not _BULLET.match(block.text)
                and not HEADING_START.match(block.text) and is_upper_text(prev.text) == is_upper_text(block.text)):
            out[-1] = TextLine(f"{prev.text} {block.text}", Provenance(
                page=prev.prov.page, line_start=prev.prov.line_start, line_end=block.prov.line_end))
            continue
        out.append(block)
    return out


def _markdown_paragraphs(blocks: list[Block], lines: list[_Line], layout_lines: set[int],
                         starts: set[int] | None = None) -> list[Block]:
    """Runs of text lines (between tables) as markdown paragraphs: markup and inline HTML off, hard
    wraps joined. The lines a layout table's rows became are kept as they are. `starts`: the indexes
    of the lines that start a paragraph, where the markdown says so (pandoc's)."""
    out: list[Block] = []
    run: list[TextLine] = []

    def flush() -> None:
        if not run:
            return
        first, last = run[0].prov.line_start, run[-1].prov.line_end
        # blank lines and a heading's underline ('=====', '-----') end paragraphs
        raw = ["" if _UNDERLINE.match(t) else _ESCAPE.sub(r"\1", t) for t in (l.text for l in lines[first - 1:last])]
        given = None if starts is None else [first - 1 + k in starts for k in range(len(raw))]
        for text, a, b in paragraph_spans(raw, given):
            text = " ".join(_INLINE_TAG.sub(" ", text).split())  # a converter's styled <span>s, wrapped over lines
            if text:
                out.append(TextLine(text, Provenance(page=lines[first - 1 + a].page, line_start=first + a,
                                                     line_end=first + b)))
        run.clear()

    for block in blocks:
        if isinstance(block, TextLine) and id(block) not in layout_lines:
            run.append(block)
        else:
            flush()
            out.append(block)
    flush()
    return out


def _markdown_cell(text: str) -> str:
    """A pipe-table cell as printed: emphasis, escapes and inline HTML (a converter's styled
    <span>s) off; <br>, and a gap of two spaces between emphasised spans (a line break a converter
    could not write inside a table), as line breaks."""
    lines = (strip_markup(_ESCAPE.sub(r"\1", _INLINE_TAG.sub("", part))) for part in _CELL_BREAK.split(text.strip()))
    return "\n".join(l for l in lines if l)


def read_text(data: bytes | str) -> ParsedDocument:
    if isinstance(data, bytes):
        text, issues = decode_text(data)
        if text is None:
            raise ReaderError("corrupt", "the file is neither text nor a known document format")
    else:
        text, issues = data, []
    lines = _without_furniture(_lines(text), issues)
    pandoc = None
    if is_pandoc_markdown([l.text for l in lines]):
        pandoc = plain_lines([l.text for l in lines])
        lines = [replace(l, text=t) for l, t in zip(lines, pandoc.lines)]
    source = [SourceLine(l.number, l.page, l.text) for l in lines]
    if is_portal_markdown(source):
        blocks = read_portal_markdown(source)
    else:
        blocks = _TextReader(lines, pandoc).run()
        if not any(isinstance(b, TableRow) and header_map(b.texts) for b in blocks):
            flat = read_flattened(source)  # tables flattened to one cell per line?
            if any(isinstance(b, TableRow) for b in flat):
                blocks = flat
    pages = lines[-1].page if lines else 0
    return ParsedDocument(format="text", blocks=blocks, page_count=pages, issues=issues)
