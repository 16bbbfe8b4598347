"""Blocks -> appendix tables of logical task rows.

Works on the block stream of any reader: finds appendix labels and titles, header rows (mapped by
what they say), repeated headers at page breaks, section rows, and rows continued across a page
break, so one task printed over two pages becomes one row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from plantasks.parsers.blocks import Block, Provenance, TableRow, TextLine
from plantasks.parsers.columns import (EXTRA, ColumnMap, classify_header_cell, fold, header_map, is_group_title,
                                       is_same_as_above)
from plantasks.normalizers.text import LEADING_BULLET as _BULLET_START, clean_cell, collapse
from plantasks.normalizers.text import section_case as sentence_case_keep

_APPENDIX = re.compile(  # matched on fold(text): OCR may drop diacritics ("PHU LUC SO 01")
    r"^\s*(phu\s*luc)(?:\s+(so)\s*[:.]?)?(?:\s*([0-9]{1,3}[a-z]?|[ivxlc]{1,6}|[a-z])\b)?\s*[:.\-–]?\s*(.*)$"
)
_ANNEX_NOTE = re.compile(r"^\(?\s*(ban hành )?kèm theo", re.I)
# the note at the start of what follows a label, or in brackets after a title run on into it
_ANNEX_NOTE_IN = re.compile(r"(?:^\(?\s*(?:ban hành )?kèm theo|\s*\(\s*(?:ban hành\s+)?kèm theo\b).*$", re.I)
_ROMAN = re.compile(r"^[IVXLC]{1,6}$")
_LETTER = re.compile(r"^[A-ZĐ]$")
_INLINE_SECTION = re.compile(r"^([IVXLC]{1,6}|[A-ZĐ])[.)]\s+(\S.*)$")
_SENTENCE_END = re.compile(r"[.;:!?…)\"”]$")
_HEADING = re.compile(  # "III. Title", "1.2. Title", "a) Title", "Điều 2. Title", "MỤC TIÊU"
    r"^((?:Điều\s+\d{1,3}[a-z]?|Mục\s+\d{1,2}|[IVXLC]{1,6}|[0-9]{1,2}(?:\.[0-9]{1,2})*|[a-zđ])[.):]\s*)?([A-ZĐÀ-Ỹ“\"].*)$")
_LEADING_NUMBER = re.compile(r"^\s*([0-9]{1,3}|[IVXLC]{1,6})[.)]?\s+")
_GROUP_NUMBER = re.compile(r"^\s*([0-9]{1,3}(\.[0-9]{1,2})*|[IVXLC]{1,6}|[A-ZĐ])[.)]\s+")
_COLUMN_NUMBER = re.compile(r"^\(?[0-9]{1,2}\)?$")
_LETTER_ITEM = re.compile(r"^[a-zđ][).]\s")  # "a) Rà soát …": an item, not a row's lower-case continuation
# an item number as printed or read: looser than row_layout.looks_like_row_number (a letter section "A",
# "(1)", "1a", "iv" too), as only a cell that is plainly no number may end a table
_ITEM_NUMBER = re.compile(r"^[(\[]?(?:[0-9]{1,3}[a-z]?(?:[.,][0-9]{1,3})*|[IVXLCivxlc]{1,6}|[A-ZĐa-zđ])[.):\]]?$")
_NUMBER_AND_TASK = ("stt", "content")  # the columns that say which row it is: never repeated, never sub-headed
ATTRIBUTE_ROLES = ("outputs", "lead", "support", "performer", "lead_support", "start", "deadline", "funding")
EXTRA_PREFIX = "extra:"  # cells of columns that feed no field, keyed by their printed header


@dataclass
class TaskRow:
    """One logical task row: cell text by column role, with where it came from."""

    table: str
    appendix_title: str
    section: str
    stt: str
    cells: dict[str, str]
    prov: Provenance
    position: int
    confidence: float = 1.0
    flags: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # cell text per column of the table, as printed

    @property
    def time(self) -> str:
        """The time cell. A table that prints when the work starts beside when it ends gives one span
        ('Tháng 3/2024 - Tháng 11/2024'); a time in the start column alone is a cell merged across both
        ('Thường xuyên', 'Năm 2024': readers put a merged cell's text in its first column)."""
        start, end = self.cells.get("start", "").strip(), self.cells.get("deadline", "").strip()
        return f"{start} - {end}" if start and end else start or end

    def join_columns(self, texts: list[str], columns: ColumnMap) -> None:
        """The rest of this row from the next page: each column's piece joined to the same column
        (two columns feeding one field, as two agency columns, stay apart)."""
        for column, text in enumerate(texts):
            self.columns[column] = _joined(columns.roles[column] or "", self.columns[column], text)
        self.cells = _by_role(self.columns, columns)
        self.cells.pop("stt", None)


def _joined(role: str, before: str, text: str) -> str:
    """A cell's text continued by `text`: content runs on with a space, a list item starts a new line."""
    text = text.strip()
    if not text or not before:
        return before or text
    glue = " " if role == "content" or not (_BULLET_START.match(text) or before.endswith(";")) else "\n"
    return before + glue + text


@dataclass
class AppendixTable:
    label: str
    title: str
    columns: ColumnMap
    rows: list[TaskRow] = field(default_factory=list)
    has_sections: bool = False
    unknown_note: Leftover | None = None  # its unknown_column warning (a second header line may name the column)


@dataclass(frozen=True)
class Leftover:
    code: str
    message: str
    prov: Provenance | None


@dataclass
class Assembly:
    tables: list[AppendixTable]
    body_lines: list[TextLine]
    leftovers: list[Leftover]
    truncated: bool


def appendix_label(line: str) -> tuple[str, str] | None:
    """'Phụ lục số 01: Các nhiệm vụ …' -> ('PHỤ LỤC SỐ 01', 'Các nhiệm vụ …'); None for other lines."""
    if fold(line.lstrip()[:3]) != "phu":  # what _APPENDIX needs first; fold keeps one character per character
        return None
    m = _APPENDIX.match(fold(line))
    if not m:
        return None
    so, number = m.group(2), m.group(3)
    rest = line[m.start(4):].strip(" :.-–")
    rest = _ANNEX_NOTE_IN.sub("", rest)
    if rest and not number and not rest[0].isupper():
        return None  # "Phụ lục đính kèm…" style prose, not a heading
    parts = ["PHỤ LỤC"] + (["SỐ"] if so else []) + ([line[m.start(3):m.end(3)].upper()] if number else [])
    return " ".join(parts), rest


class _Assembler:
    def __init__(self) -> None:
        self.tables: list[AppendixTable] = []
        self.body: list[TextLine] = []
        self.leftovers: list[Leftover] = []
        self.label = ""  # a table outside any appendix has no label
        self.title_lines: list[str] = []
        self.collect_title = False
        self.label_since_table = False
        self.current: AppendixTable | None = None
        self.section = ""
        self.after_break = False
        self.last_row_block: TableRow | None = None
        self.heading = ""  # the last heading since the appendix label: title of the table under it
        self.heading_since_table = False

    # -- text lines -----------------------------------------------------------------------
    def text_line(self, line: TextLine) -> None:
        self.body.append(line)
        found = appendix_label(line.text)
        if found:
            self.label, rest = found
            self.title_lines = [rest] if rest else []
            self.collect_title = True
            self.label_since_table = True
            self.current = None
            self.heading = ""
            return
        heading = _heading(line.text)
        numbered = bool(heading) and bool(_HEADING.match(line.text.strip()).group(1))
        if self.collect_title and not _ANNEX_NOTE.match(line.text) and len(self.title_lines) < 3:
            # the title under the label, maybe in capitals over lines ("CÁC NHIỆM VỤ" / "TRỌNG TÂM VỀ …")
            if not numbered and (not self.title_lines or line.text.isupper() == self.title_lines[-1].isupper()):
                self.title_lines.append(line.text)
                return
            self.collect_title = False
        if self.current is not None:
            self.after_break = True
        if heading:
            self.heading = heading
        if numbered:
            # a numbered heading after a table closes it: rows after it belong to something else
            # (an upper-case line alone may be page furniture between a table's pages)
            self.heading_since_table = True
            self.current = None

    # -- table rows -------------------------------------------------------------------------
    def table_row(self, row: TableRow) -> None:
        texts = row.texts
        joined = " ".join(t for t in texts if t.strip())
        if appendix_label(joined):  # a label in a row: between two tables without rules, or inside one
            self.text_line(TextLine(joined, row.prov))
            return
        found = header_map(texts)
        if found:
            self._header(found[0], found[1], row)
            return
        if self.current is not None and self._header_detail(row):
            return
        other = _other_table(texts, self.current.columns.width) if self.current is not None else None
        if other:
            # the header or a row of a table that is no task table (a portal's related documents or the
            # document's attributes after the plan): the task table ends and that row is text. After
            # another table's header even rows as wide as the task table's stay text.
            self.current = None
            self.heading_since_table = other == "header"
            self.leftovers.append(Leftover("other_table_row", f"read as text, not as a task: {joined[:120]}", row.prov))
        if self.current is None and not self._reopen(row):
            # a row before any header is text: a title row merged across the table is the table's title
            self.text_line(TextLine(joined, row.prov))
            return
        if self.last_row_block is not None and row.prov.page != self.last_row_block.prov.page:
            self.after_break = True
        self.last_row_block = row
        self._data_row(row)

    def _header_detail(self, row: TableRow) -> bool:
        """Rows under a header that are still header: the lower line of a two-level header refines the
        columns (see `_lower_header`); a column-number row '(1) (2) (3)' is skipped."""
        table = self.current
        texts = [t.strip() for t in row.texts]
        filled = [t for t in texts if t]
        if table.rows or not filled:
            return False
        if len(filled) >= 3 and all(_COLUMN_NUMBER.match(t) for t in filled):
            return True
        lower = _lower_header(texts, table.columns) if len(texts) == table.columns.width else None
        if lower is None:
            return False
        table.columns = lower
        self._note_unknown(table, row.prov)
        return True

    def _note_unknown(self, table: AppendixTable, prov: Provenance) -> None:
        """The table's unknown_column warning for the columns as known now (none when all are)."""
        if table.unknown_note is not None:
            self.leftovers.remove(table.unknown_note)
        unknown = [table.columns.header(i) for i, role in enumerate(table.columns.roles) if role is None]
        table.unknown_note = Leftover("unknown_column", "the table has columns no header rule knows, kept on each "
                                      f"task under `extra`: {', '.join(unknown)}", prov) if unknown else None
        if table.unknown_note is not None:
            self.leftovers.append(table.unknown_note)

    def _header(self, columns: ColumnMap, leftovers: list[str], row: TableRow) -> None:
        upper, kept_title = self.current, None
        if upper is not None and not upper.rows and self.tables and self.tables[-1] is upper \
                and upper.columns.width == columns.width and upper.columns != columns:
            # a header right under a header: the lower line of a two-level header whose merged cells
            # repeat ("Cơ quan thực hiện" over "Chủ trì | Phối hợp") names the columns, the upper fills in
            self.tables.pop()
            kept_title = upper.title
            if upper.unknown_note is not None:
                self.leftovers.remove(upper.unknown_note)
            columns = ColumnMap(tuple(low or up for low, up in zip(columns.roles, upper.columns.roles)),
                                tuple(columns.headers[i] if i < len(columns.headers) and columns.headers[i]
                                      else upper.columns.header(i) for i in range(columns.width)))
        last = self.tables[-1] if self.tables and kept_title is None else None
        if last and not self.label_since_table and not self.heading_since_table and last.columns == columns:
            self.current = last
            self.after_break = True
            # text beside the header words is the row's continuation, unless the table's first
            # header printed it too ("Tiến độ trình UBTVQH" repeated on every page)
            pieces = [clean_cell(extra) if role and fold(extra) not in fold(last.columns.header(i)) else ""
                      for i, (role, extra) in enumerate(zip(columns.roles, leftovers))]
            if last.rows and any(pieces):
                last.rows[-1].join_columns(pieces + [""] * (columns.width - len(pieces)), columns)
                last.rows[-1].flags.append("continuation_in_header_row")
            return
        title = kept_title if kept_title is not None else \
            self.heading or " ".join(collapse(t) for t in self.title_lines if t.strip())
        self.current = AppendixTable(self.label, title, columns)
        self.tables.append(self.current)
        self._note_unknown(self.current, row.prov)
        self.label_since_table = False
        self.heading_since_table = False
        self.collect_title = False
        self.section = ""
        self.after_break = False

    def _reopen(self, row: TableRow) -> bool:
        last = self.tables[-1] if self.tables else None
        if last is None or self.label_since_table or self.heading_since_table:
            return False
        filled = [t for t in row.texts if t.strip()]
        if len(row.cells) != last.columns.width or len(filled) < 2:
            return False
        self.current = last
        self.after_break = True
        return True

    def _data_row(self, row: TableRow) -> None:
        table = self.current
        if len(row.cells) == 1 and table.columns.width >= 3 and row.cells[0].text.strip():
            # one cell across the whole table (a readers' colspan/group row): a section title
            self.section = sentence_case_keep(_GROUP_NUMBER.sub("", row.cells[0].text))
            table.has_sections = True
            self.after_break = False
            return
        texts = self._column_texts(row, table.columns.width)
        repeated = _as_above(texts, table)
        cells = _by_role(texts, table.columns)
        group = collapse(cells.pop("section", ""))
        if group:  # a group column (Lĩnh vực, Nhóm nhiệm vụ): its text is the section of the rows beside it
            self.section = sentence_case_keep(group)
            table.has_sections = True
        if not any(ch.isalnum() for text in cells.values() for ch in text):
            return  # blank or ruling line between rows
        stt = collapse(cells.pop("stt", "")).rstrip(".):").strip()
        content = collapse(cells.get("content", ""))
        attributes = _has_attributes(cells)
        section_title = self._section_title(stt, content, attributes, row)
        if section_title is not None:
            self.section = section_title
            table.has_sections = True
            self.after_break = False
            return
        prev = table.rows[-1] if table.rows else None
        if prev and not stt and self._continues(prev, content, attributes):
            prev.join_columns(texts, table.columns)
            prev.prov = prev.prov.span(row.prov)
            prev.confidence = min(prev.confidence, _row_confidence(row))
            if "continued_over_page_break" not in prev.flags:
                prev.flags.append("continued_over_page_break")
            self.after_break = False
            return
        if stt and _ROMAN.match(stt) and attributes:
            self.section = sentence_case_keep(content)
            table.has_sections = True
        flags = ["column_count_mismatch"] if len(row.cells) != table.columns.width else []
        if repeated:
            flags.append("same_as_above")
        table.rows.append(TaskRow(
            table=table.label, appendix_title=table.title, section=self.section, stt=stt, cells=cells,
            prov=row.prov, position=len(table.rows), confidence=_row_confidence(row), flags=flags, columns=texts,
        ))
        self.after_break = False

    def _section_title(self, stt: str, content: str, attributes: bool, row: TableRow) -> str | None:
        if attributes:
            return None
        if content and stt and (_ROMAN.match(stt) or _LETTER.match(stt)):
            return sentence_case_keep(content)
        title = content or " ".join(t for t in row.texts if t.strip())
        numbered = _INLINE_SECTION.match(title)
        if numbered and (_ROMAN.match(numbered.group(1)) or _is_upper(title)):
            return sentence_case_keep(numbered.group(2))
        if _is_upper(title) or (content and _spans_row(row)):
            # a title across the row, whatever its (maybe mis-read) number
            return sentence_case_keep(_LEADING_NUMBER.sub("", title))
        if not stt and content and not self.after_break and is_group_title(content):
            return sentence_case_keep(content.rstrip(" :"))  # (after a page break it may go on with the row above)
        return None

    def _continues(self, prev: TaskRow, content: str, attributes: bool) -> bool:
        """Does an unnumbered row go on with the row before? An item 'a) …' with agencies or a time of
        its own is a row of its own; without them it goes on with the text of the row before."""
        if not content or content[0] in ",;)":
            return True
        if content[0].islower() and not (attributes and _LETTER_ITEM.match(content)):
            return True
        return self.after_break and not _SENTENCE_END.search(prev.cells.get("content", "").strip())

    def _column_texts(self, row: TableRow, width: int) -> list[str]:
        """The row's cell texts, one per column of the table (extra cells joined to the last column)."""
        texts = list(row.texts)
        if len(texts) > width:
            extra = [t for t in texts[width:] if t.strip()]
            texts = texts[:width]
            if extra:
                texts[-1] = "\n".join([texts[-1], *extra]).strip()
                self.leftovers.append(Leftover(
                    "extra_cells", f"row has {len(row.cells)} cells for {width} columns; extra text joined to the last column", row.prov))
        return [clean_cell(t) for t in texts + [""] * (width - len(texts))]


def _as_above(texts: list[str], table: AppendixTable) -> bool:
    """Cells printed only as 'nt' / 'như trên' take the text of their column in the task row above
    (in place); True when one did. The number and task columns never repeat."""
    above = table.rows[-1].columns if table.rows else None
    repeated = False
    for i, (text, role) in enumerate(zip(texts, table.columns.roles)):
        if above and role not in _NUMBER_AND_TASK and text and is_same_as_above(text) and above[i].strip():
            texts[i], repeated = above[i], True
    return repeated


def _by_role(texts: list[str], columns: ColumnMap) -> dict[str, str]:
    """Column texts -> text by field; columns feeding one field are joined by a line break."""
    cells: dict[str, str] = {}
    for column, (role, text) in enumerate(zip(columns.roles, texts)):
        key = role if role not in (None, EXTRA) else EXTRA_PREFIX + columns.header(column)
        cells[key] = "\n".join(filter(None, (cells.get(key, ""), text)))
    return cells


def _lower_header(texts: list[str], columns: ColumnMap) -> ColumnMap | None:
    """The columns as the lower line of a two-level header names them; None when the row is no such
    line. A cell that is empty or repeats the header above (Word repeats the cells merged down) keeps
    its column; header words name theirs ('Chủ trì | Phối hợp' under 'Cơ quan thực hiện', 'Bắt đầu |
    Hoàn thành' under 'Thời gian'); other words are sub-headers only under a header spanning several
    columns ('Kinh phí' over 'Tổng số | NSTW | NSĐP'): the first keeps the spanning header's role, the
    others are its extra columns, each named with both lines. The number and task columns stay empty
    or repeat their header: a row with a task in them is data."""
    tops = [columns.headers[i] if i < len(columns.headers) else "" for i in range(columns.width)]
    roles, headers = list(columns.roles), list(tops)
    for i, text in enumerate(texts):
        if not text or fold(text) == fold(tops[i]):
            continue
        if roles[i] in _NUMBER_AND_TASK:
            return None
        role = classify_header_cell(text).role
        owner = next((k for k in range(i, -1, -1) if tops[k]), None)
        if role is None and (owner is None or owner == i and (i + 1 == len(tops) or tops[i + 1])):
            return None  # unknown words under a header of one column: no header line
        if role is not None:
            roles[i], headers[i] = role, text
        else:
            roles[i] = roles[i] if owner == i else None
            headers[i] = f"{tops[owner]}: {text}"
    return ColumnMap(tuple(roles), tuple(headers))


def _heading(text: str) -> str:
    """The title of a heading line (its number or "Điều N." dropped, trailing colon too); "" for other lines."""
    m = _HEADING.match(text.strip())
    if not m or len(text.split()) > 30 or _SENTENCE_END.search(text.strip().rstrip(":")):
        return ""
    if not (m.group(1) or (_is_upper(text) and len(text.split()) >= 2)):
        return ""
    return m.group(2).rstrip(" :")


def _other_table(texts: list[str], width: int) -> str | None:
    """Is the row one of another table than the task table open? "header": a header whose number column
    is headed as a task table's but which is no task header ('STT | Số hiệu | Trích yếu | Ngày ban hành':
    a task row is never numbered 'STT'); "row": a row of another width whose first cell holds words or
    a document number, no item number ('Số ký hiệu | 45/KH-UBND | …', '76/NQ-CP | Nghị quyết … |
    15/07/2021'). Readers give every row of one table the same width (merged cells repeated or empty)."""
    filled = [t.strip() for t in texts if t.strip()]
    if len(filled) < 2:
        return None
    if classify_header_cell(filled[0]).role == "stt":
        return "header"
    first = texts[0].strip()
    return "row" if len(texts) != width and first and not _ITEM_NUMBER.match(first) else None


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _spans_row(row: TableRow) -> bool:
    """The title cell is merged over the following columns: readers give them its box and no text."""
    boxes = [c.prov.bbox for c in row.cells[1:]]
    return len(boxes) > 1 and boxes[0] is not None and all(b == boxes[0] for b in boxes)


def _row_confidence(row: TableRow) -> float:
    return min((c.confidence for c in row.cells), default=1.0)


def assemble_tables(blocks: list[Block]) -> Assembly:
    asm = _Assembler()
    for block in blocks:
        if isinstance(block, TableRow):
            asm.table_row(block)
        else:
            asm.text_line(block)
    truncated = _ends_mid_table(blocks, asm)
    for table in asm.tables:
        _fold_group_rows(table)
    return Assembly(asm.tables, asm.body, asm.leftovers, truncated)


def _fold_group_rows(table: AppendixTable) -> None:
    """A numbered row with only a title whose sub-rows are numbered under it ('1' then '1.1', '1.2'),
    unnumbered, or under its number merged down over them, and state their own work ('a) …', '- …' with
    their own agencies or times) is a section row, not a task; its title becomes the section of its
    sub-rows when there is no other."""
    rows = table.rows
    keep: list[TaskRow] = []
    for i, row in enumerate(rows):
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        under = _sub_rows_of(row, nxt)
        if under is None:
            keep.append(row)
            continue
        title = sentence_case_keep(row.cells.get("content", ""))
        for sub in rows[i + 1:]:
            if not under(sub):
                break
            if not sub.section:
                sub.section = title
                table.has_sections = True
    for position, row in enumerate(keep):
        row.position = position
    table.rows = keep


def _sub_rows_of(row: TaskRow, nxt: TaskRow | None) -> Callable[[TaskRow], bool] | None:
    """Which rows after a numbered title-only row are its sub-rows (None: the row is a task itself)."""
    if nxt is None or not row.stt or _has_attributes(row.cells):
        return None
    if nxt.stt.startswith(row.stt + "."):
        return lambda sub: sub.stt.startswith(row.stt + ".")
    if not nxt.stt and _has_attributes(nxt.cells):
        return lambda sub: not sub.stt
    if nxt.stt == row.stt and _has_attributes(nxt.cells):  # the number merged down over its items
        return lambda sub: sub.stt == row.stt
    return None


def _has_attributes(cells: dict[str, str]) -> bool:
    """Does a row name outputs, agencies, a time or funding (not only its number and task)?"""
    return any(cells.get(r, "").strip() for r in ATTRIBUTE_ROLES)


def _ends_mid_table(blocks: list[Block], asm: _Assembler) -> bool:
    """The text stops inside a table: its last block is a task row missing cells."""
    tail = [b for b in blocks if not (isinstance(b, TextLine) and not b.text.strip())]
    if not tail or not isinstance(tail[-1], TableRow) or not asm.tables or asm.current is None:
        return False  # no table open at the end (a signature layout table is not a task table)
    last = tail[-1]
    width = asm.tables[-1].columns.width
    filled = sum(1 for t in last.texts if t.strip())
    return len(last.cells) < width or filled <= width // 2 and filled < len(last.cells)
