"""Text a web extractor made from a legal-portal page: markdown markup, hard-wrapped lines, and
tables printed one cell per line(s) between lines holding a lone `|`.

In that layout a row is its cells in order, each between lone `|` lines, and ends with one empty
cell; an empty cell inside a row looks the same. Cells a merged (row-spanned) cell covered above are
left out. The reader tokenises the whole text at the lone bars, finds header rows by what they say
(columns.header_map), and cuts the cells that follow into rows of the header's width:

- a row ends after as many cells as the header has, at the empty cell that closes it;
- a shorter row ends at an empty cell followed by what starts a row (a row number), and its cells
  are placed in the columns they look like (row_layout.place_short_row);
- a row whose only text is a bold cell (the others empty) is a group title across the table: it is
  emitted as a one-cell row, which the table stage reads as a section row;
- the table ends where cells stop looking like rows (text without a row number that does not fill a
  row); text glued to the last cell after a bold paragraph start is text again.

Outside tables each token's lines become text lines: markdown emphasis (`**`, `__`, `*`), heading
marks (`#`) and footnote marks (`[1]`) removed, hard-wrapped lines joined into paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plantasks.normalizers.text import is_bullet_only
from plantasks.parsers.blocks import Block, Cell, Provenance, TableRow, TextLine
from plantasks.parsers.columns import header_map
from plantasks.parsers.row_layout import looks_like_row_number, place_short_row

_LONE_BAR = re.compile(r"^\s*\|\s*$")
_MIN_BARS = 6
_NEW_ITEM = re.compile(r"^\s*([-+•–]\s|[-+•–]$|\d{1,2}[.)]\s|[a-zđ]\)\s|\(\d{1,2}\)\s|#|\*\s*\(|\*\*)")
SENTENCE_END = re.compile(r"[.;:!?]$")
_FOOTNOTE = re.compile(r"\[\d{1,3}\]")
_EMPHASIS = re.compile(r"\*\*|__|\*|(?<![\w\\])_(?=\S)|(?<=\S)_(?!\w)")
_SPAN_BOUNDARY = re.compile(r"(?<=\S)[*_]{3,}(?=\S)")
_HEADING_MARK = re.compile(r"^\s*#{1,6}\s*")
_MAX_HEADER_CELLS = 16
# the portal's own metadata block prints each label and its value as two cells; they are read as one
# line "Label: value", so a value ("Thông báo") is never taken for a heading of the document
_SITE_LABEL = re.compile(r"^(số hiệu|loại văn bản|nơi ban hành|người ký|ngày ban hành|ngày hiệu lực|tình trạng|"
                         r"ngày công báo|số công báo|lĩnh vực|cơ quan ban hành):$", re.IGNORECASE)


@dataclass(frozen=True)
class SourceLine:
    number: int
    page: int
    text: str


@dataclass
class _Token:
    """What stands between two lone bars: a cell, or a run of text."""

    lines: list[SourceLine]

    @property
    def paragraphs(self) -> list[str]:
        return paragraphs([l.text for l in self.lines])

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @property
    def bold(self) -> bool:
        raw = " ".join(l.text.strip() for l in self.lines).strip()
        return raw.startswith("**") and raw.endswith("**") and bool(strip_markup(raw).strip())

    @property
    def bold_blank(self) -> bool:
        """A bold empty cell ("** **"): how the portal prints the blank cells of a group title row."""
        raw = "".join(l.text.strip() for l in self.lines)
        return "**" in raw and not strip_markup(raw)

    @property
    def prov(self) -> Provenance:
        if not self.lines:
            return Provenance()
        return Provenance(page=self.lines[0].page, line_start=self.lines[0].number, line_end=self.lines[-1].number)


def is_portal_markdown(lines: list[SourceLine]) -> bool:
    bars = sum(1 for l in lines if _LONE_BAR.match(l.text))
    return bars >= _MIN_BARS and bars * 40 >= len(lines)


def strip_markup(text: str) -> str:
    """Markdown emphasis, heading and footnote marks removed. A run of marks that closes one span and
    opens the next between two words ('về**_****_**Cải', as web converters write adjacent spans whose
    space they dropped) stands for that space."""
    text = _HEADING_MARK.sub("", text)
    text = _SPAN_BOUNDARY.sub(" ", text)
    text = _EMPHASIS.sub("", _FOOTNOTE.sub("", text))
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def paragraphs(raw_lines: list[str]) -> list[str]:
    """Hard-wrapped lines joined (see paragraph_spans)."""
    return [text for text, _, _ in paragraph_spans(raw_lines)]


def paragraph_spans(raw_lines: list[str], starts: list[bool] | None = None) -> list[tuple[str, int, int]]:
    """Hard-wrapped lines joined, each paragraph with the indexes of its first and last line: a line
    starts a new paragraph only where the text says so (a bullet or number, a bold or italic span
    opening, after a closed bold line or a sentence end before a capital); inside an open `**` span
    lines always join. `starts` (a markup that says where its paragraphs start) replaces the guess."""
    out: list[list] = []
    prev_raw = ""
    in_bold = False
    for i, raw in enumerate(raw_lines):
        text = strip_markup(raw)
        if not raw.strip():
            prev_raw = ""
            continue
        if out and prev_raw and not (starts[i] if starts is not None
                                     else _starts_paragraph(prev_raw, raw, out[-1][0], text, in_bold)):
            out[-1][0] = f"{out[-1][0]} {text}".strip()
            out[-1][2] = i
        elif text or raw.strip().startswith("**"):
            out.append([text, i, i])
        in_bold ^= raw.count("**") % 2 == 1
        prev_raw = raw
    return [(text, first, last) for text, first, last in out if text]


PROSE = re.compile(r"^\S+(?: \S+)+$")  # words one space apart: no column runs, no indent


def wrap_width(texts: list[str]) -> int | None:
    """The width a tool hard-wrapped the body's prose at (pdftotext, OCR, a Word page's source lines):
    the length most long prose lines reach; None when the prose is not wrapped (a paragraph per line)."""
    lengths = sorted(len(t) for t in texts if PROSE.match(t) and len(t) >= 40)
    if len(lengths) < 8:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    near = sum(1 for n in lengths if n >= 0.85 * width)
    return width if near >= max(5, len(lengths) // 4) else None


def _starts_paragraph(prev_raw: str, raw: str, prev: str, text: str, in_bold: bool) -> bool:
    if in_bold:
        return False
    if is_bullet_only(prev):
        return False  # "-" alone on a line: its item follows
    if prev_raw.rstrip().endswith("**") and prev_raw.strip() != "**":
        return True
    if _NEW_ITEM.match(raw):
        return True
    first = text[:1]
    if not first or first.islower() or first.isdigit() or not first.isalpha():
        return False
    if SENTENCE_END.search(prev):
        return True
    return _is_upper(prev) != _is_upper(text)


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _tokens(lines: list[SourceLine]) -> list[_Token]:
    tokens, current = [], []
    for line in lines:
        if _LONE_BAR.match(line.text):
            tokens.append(_Token(current))
            current = []
        else:
            current.append(line)
    tokens.append(_Token(current))
    return tokens


def read_portal_markdown(lines: list[SourceLine]) -> list[Block]:
    return _Reader(_tokens(lines)).run()


class _Reader:
    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.blocks: list[Block] = []

    def run(self) -> list[Block]:
        i = 0
        while i < len(self.tokens):
            width = self._header_at(i)
            if width:
                i = self._table(i, width)
            elif _SITE_LABEL.match(self.tokens[i].text) and i + 1 < len(self.tokens):
                value = " ".join(self.tokens[i + 1].paragraphs)
                self.blocks.append(TextLine(f"{self.tokens[i].text} {value}".strip(), self.tokens[i].prov))
                i += 2
            else:
                self._text(self.tokens[i])
                i += 1
        return self.blocks

    def _text(self, token: _Token, paras: list[str] | None = None) -> None:
        for para in token.paragraphs if paras is None else paras:
            self.blocks.append(TextLine(para, token.prov))

    def _run(self, i: int) -> list[_Token]:
        """Tokens from i up to (not including) the next empty one."""
        out = []
        for token in self.tokens[i:i + _MAX_HEADER_CELLS]:
            if token.empty:
                break
            out.append(token)
        return out

    def _header_at(self, i: int) -> int:
        run = self._run(i)
        if len(run) < 3:
            return 0
        found = header_map([t.text for t in run])
        return found[0].width if found else 0

    def _table(self, i: int, width: int) -> int:
        header = self.tokens[i:i + width]
        self.blocks.append(TableRow(tuple(Cell(t.text, t.prov) for t in header), _span(header)))
        i += width
        if i < len(self.tokens) and self.tokens[i].empty:
            i += 1
        previous: list[str] | None = None
        while i < len(self.tokens):
            if self._header_at(i):
                return i
            if not self._row_starts(i, width):
                return i
            cells, i, short = self._cells(i, width)
            closed = short and self.tokens[i - 1].empty  # the empty cell that ended it was taken
            if all(t.empty for t in cells):
                continue  # empty cells before the end of the text or the next table
            texts = [t.text for t in cells]
            if short:
                texts = place_short_row(texts, [t.text for t in header], previous)
            if sum(1 for t in cells if not t.empty) == 1 and cells[0].empty and any(t.bold for t in cells):
                title = next(t for t in cells if not t.empty)
                self.blocks.append(TableRow((Cell(title.text, title.prov),), _span(cells)))
            else:
                prov = _span(cells)
                self.blocks.append(TableRow(tuple(Cell(t, prov) for t in texts), prov))
                previous = texts
            if closed:
                continue
            if i < len(self.tokens) and self.tokens[i].empty and not self.tokens[i].bold_blank:
                i += 1
            else:
                i = self._split_tail(i)
        return i

    def _row_starts(self, i: int, width: int) -> bool:
        token = self.tokens[i]
        if token.empty or looks_like_row_number(token.text):
            return True
        return len(self._run(i)) == width  # a row without a number that fills the table

    def _cells(self, i: int, width: int) -> tuple[list[_Token], int, bool]:
        """The cells of the row starting at i; (cells, next index, row is short)."""
        cells: list[_Token] = []
        while i < len(self.tokens) and len(cells) < width:
            token = self.tokens[i]
            if token.empty and cells and self._short_row_ends(i, cells):
                return cells, i + 1, True
            cells.append(token)
            i += 1
        return cells, i, len(cells) < width

    def _short_row_ends(self, i: int, cells: list[_Token]) -> bool:
        """An empty cell after a numbered row's cells ends the row when a numbered row follows it."""
        nxt = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
        if not looks_like_row_number(cells[0].text):
            return False
        return nxt is None or looks_like_row_number(nxt.text) or nxt.bold_blank

    def _split_tail(self, i: int) -> int:
        """The row had no closing empty cell: the text after its last cell (a heading, the next
        appendix) was glued to that cell; give it back as text lines."""
        last = self.blocks[-1]
        if not isinstance(last, TableRow) or i == 0:
            return i
        token = self.tokens[i - 1]
        raw = [l.text for l in token.lines]
        cut = next((k for k in range(1, len(raw)) if raw[k].lstrip().startswith(("**", "#"))), None)
        if cut is None:
            return i
        kept = paragraphs(raw[:cut])
        cells = list(last.cells)
        cells[-1] = Cell("\n".join(kept), cells[-1].prov)
        self.blocks[-1] = TableRow(tuple(cells), last.prov)
        self._text(token, paragraphs(raw[cut:]))
        return i


def _span(tokens: list[_Token]) -> Provenance:
    provs = [t.prov for t in tokens if t.lines]
    if not provs:
        return Provenance()
    return Provenance(page=provs[0].page, line_start=provs[0].line_start, line_end=provs[-1].line_end)
