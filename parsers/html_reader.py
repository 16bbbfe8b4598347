"""Saved web pages (HTML, MHTML, Word's "Web page" export) -> ParsedDocument.

The page is parsed with lxml. The portal's furniture is dropped first: script/style, nav,
header, footer, aside, forms, menus and breadcrumbs (by tag, role, class or id) and lists of
links. What remains is walked in document order:

- TextLine: each block of text outside data tables (a paragraph, heading, list item, or a line
  of text ended by <br>), whitespace collapsed as a browser would. List items get "- " or their
  number in front, as printed.
- TableRow: one per <tr> of a data table, one Cell per grid column. colspan puts the text in the
  leftmost column and empty cells after it, except a row whose one cell spans the whole table (a
  section title), which is a one-cell row; rowspan repeats the cell's text in every row it
  spans (GOLD_SPEC: a merged cell belongs to each row), as the DOCX and PDF readers do. Inside a
  cell, <br>, paragraphs, divs and list items are '\\n'.
- Layout tables are not data: a table that holds another table, or has a single column, is read
  as ordinary text flow (its inner tables are then data tables in their own right).

Provenance: line_start/line_end are 1-based line numbers of the HTML source (the element where
the text or row starts / ends); page and bbox are None.
"""

from __future__ import annotations

import email
import email.policy
import re
import unicodedata
from dataclasses import dataclass, field

from plantasks.parsers.blocks import Cell, ParsedDocument, Provenance, ReaderError, ReaderIssue, TableRow, TextLine
from plantasks.parsers.detect import decode_text

_DROP_TAGS = {"script", "style", "noscript", "nav", "footer", "aside", "form", "iframe", "select",
              "button", "template", "svg", "canvas", "object", "embed", "input", "textarea", "head", "title"}
_SHORT_TEXT = 40  # a container named like furniture is dropped only when it is short or mostly links
_FURNITURE = re.compile(r"(^|[\s_-])(menu|nav|navbar|breadcrumbs?|footer|header|sidebar|banner|share|social|"
                        r"search|login|comment|related|tags|pagination|toolbar|cookie|advert|ads)($|[\s_-])", re.I)
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
               "dl", "dt", "dd", "blockquote", "pre", "address", "center", "table", "tr", "hr", "figure",
               "figcaption", "caption", "body", "html", "tbody", "thead", "tfoot", "fieldset"}
_CELL_TAGS = ("td", "th")
_SPACE = re.compile(r"[ \t\r\n\f\u00a0\u200b]+")


def read_html(data: bytes, options) -> ParsedDocument:
    """Read a saved web page (see the module docstring)."""
    text, issues = _html_text(data)
    root = _parse(text)
    _drop_furniture(root)
    walker = _Walker()
    walker.flow(root)
    walker.end_line()
    if not walker.blocks:
        raise ReaderError("no_text", "the web page has no readable text: save the page again with its content, "
                          "or download the attached document")
    return ParsedDocument(format="html", blocks=walker.blocks, page_count=None, issues=issues + walker.issues)


def read_fragment(text: str, first_line: int = 1) -> list:
    """Blocks of an HTML fragment written into a text document (a markdown converter writes a table it
    cannot draw as a pipe table, one with paragraphs or merged cells, as raw HTML): read as a page is,
    with the text document's line numbers."""
    walker = _Walker()
    walker.flow(_parse("\n" * (first_line - 1) + text))
    walker.end_line()
    return walker.blocks


# ---------------------------------------------------------------- bytes -> markup


def _html_text(data: bytes) -> tuple[str, list[ReaderIssue]]:
    if _is_mhtml(data):
        data = _mhtml_html_part(data)
    text, issues = decode_text(data, declared=_declared_charset(data[:4096]))
    if text is None:
        raise ReaderError("corrupt", "the web page is not text: it may be damaged; save it again from the browser")
    return text, issues


def _is_mhtml(data: bytes) -> bool:
    head = data[:2048].lower()
    return b"mime-version:" in head and b"multipart/related" in head


def _mhtml_html_part(data: bytes) -> bytes:
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and b"charset" not in payload[:4096].lower():
                payload = f'<meta charset="{charset}">'.encode("ascii") + payload
            return payload
    raise ReaderError("corrupt", "the saved web archive (MHTML) holds no HTML page: save the page again")


def _declared_charset(head: bytes) -> str | None:
    match = re.search(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", head, re.I)
    return match.group(1).decode("ascii") if match else None


def _parse(text: str):
    import lxml.html
    from lxml import etree

    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text.lstrip("\ufeff"))
    if not text.strip():
        raise ReaderError("empty", "the web page is empty")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as err:
        raise ReaderError("corrupt", f"the web page cannot be parsed ({err}); save it again from the browser") from None


# ---------------------------------------------------------------- furniture


def _drop_furniture(root) -> None:
    doomed = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            doomed.append(element)  # comments, processing instructions
            continue
        tag = element.tag.lower()
        if (tag in _DROP_TAGS or _is_page_header(element) or _is_furniture(element)
                or (tag in ("ul", "ol", "div") and _is_link_list(element))):
            doomed.append(element)
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            tail = element.tail
            parent.remove(element)
            if tail and tail.strip():
                _append_text(parent, tail)


def _append_text(parent, text: str) -> None:
    children = list(parent)
    if children:
        last = children[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _is_page_header(element) -> bool:
    """<header> of the page (the portal's banner), not the heading of an <article> or <main>."""
    return element.tag.lower() == "header" and not element.xpath("ancestor::article | ancestor::main")


def _is_furniture(element) -> bool:
    if element.get("role") in ("navigation", "banner", "contentinfo", "search", "menu", "menubar"):
        return True
    if element.tag.lower() in ("table", "tr", "td", "th", "tbody", "p"):
        return False  # only containers are judged by their names: a table is content
    names = " ".join(filter(None, (element.get("class"), element.get("id"))))
    if not names or not _FURNITURE.search(names) or element.xpath(".//table"):
        return False
    # a document's own heading block can be named "header" too: keep long text that is not links
    return _text_length(element) < _SHORT_TEXT or _link_share(element) >= 0.3


def _is_link_list(element) -> bool:
    """A menu or list of related links: nearly all of its text sits in links, and there are several."""
    if element.xpath(".//table"):
        return False
    return len(element.xpath(".//a")) >= 3 and _link_share(element) > 0.8


def _text_length(element) -> int:
    return len(_SPACE.sub("", element.text_content()))


def _link_share(element) -> float:
    total = _text_length(element)
    linked = sum(_text_length(a) for a in element.xpath(".//a"))
    return linked / total if total else 0.0


# ---------------------------------------------------------------- the walk


@dataclass
class _Walker:
    blocks: list = field(default_factory=list)
    issues: list = field(default_factory=list)
    parts: list = field(default_factory=list)
    first_line: int | None = None
    last_line: int | None = None

    def flow(self, element) -> None:
        """Text flow of an element's content, tables as rows."""
        self.text(element.text, element)
        for child in element:
            if isinstance(child.tag, str):
                self.child(child)
            self.text(child.tail, child)

    def child(self, element) -> None:
        tag = element.tag.lower()
        if tag == "br":
            self.end_line()
        elif tag == "table" and _is_data_table(element):
            self.end_line()
            self.table(element)
        elif tag in _BLOCK_TAGS:
            self.end_line()
            if tag == "li":
                self.text(_list_marker(element), element)
            self.flow(element)
            self.end_line()
        elif tag in _CELL_TAGS:  # a cell of a layout table
            self.end_line()
            self.flow(element)
            self.end_line()
        else:
            self.flow(element)

    def text(self, text: str | None, element) -> None:
        if not text:
            return
        line = getattr(element, "sourceline", None)
        if text.strip():
            if self.first_line is None:
                self.first_line = line
            self.last_line = line + text.rstrip().count("\n") if line is not None else None
        self.parts.append(text)

    def end_line(self) -> None:
        text = _clean("".join(self.parts))
        if text:
            prov = Provenance(line_start=self.first_line, line_end=self.last_line)
            self.blocks.append(TextLine(text, prov))
        self.parts, self.first_line, self.last_line = [], None, None

    def table(self, table) -> None:
        for caption in (c for c in table if isinstance(c.tag, str) and c.tag.lower() == "caption"):
            self.flow(caption)  # the table's title ("PHỤ LỤC: NHIỆM VỤ …") is text before its rows
            self.end_line()
        for row in table_rows(table):
            self.blocks.append(row)


def _is_data_table(table) -> bool:
    if table.xpath(".//table"):
        return False  # a layout table: its inner tables are the data
    rows = _own_rows(table)
    return bool(rows) and max(_row_width(tr) for tr in rows) >= 2


def _own_rows(table) -> list:
    """The table's rows, not those of tables nested in its cells."""
    rows = []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows += [tr for tr in child if isinstance(tr.tag, str) and tr.tag.lower() == "tr"]
    return rows


def _own_cells(tr) -> list:
    return [td for td in tr if isinstance(td.tag, str) and td.tag.lower() in _CELL_TAGS]


def _row_width(tr) -> int:
    return sum(_span(td, "colspan") for td in _own_cells(tr))


def _span(td, name: str) -> int:
    try:
        return max(1, min(int(re.sub(r"[^0-9]", "", td.get(name, "1")) or 1), 1000))
    except ValueError:
        return 1


def table_rows(table) -> list[TableRow]:
    """HTML table model: rowspan/colspan laid out on a grid, merged cells as the module docstring says."""
    rows = _own_rows(table)
    pending: dict[int, tuple[Cell, int]] = {}  # column -> (cell, rows still to cover)
    grid_rows: list[list[Cell]] = []
    provs: list[Provenance] = []
    for tr in rows:
        line = getattr(tr, "sourceline", None)
        prov = Provenance(line_start=line, line_end=_last_line(tr) or line)
        cells: dict[int, Cell] = {}
        column = 0
        for td in _own_cells(tr):
            column = _take_pending(pending, cells, column)
            cell = Cell(cell_text(td), Provenance(line_start=getattr(td, "sourceline", line), line_end=_last_line(td)))
            colspan, rowspan = _span(td, "colspan"), _span(td, "rowspan")
            cells[column] = cell
            for extra in range(1, colspan):
                cells[column + extra] = Cell("", cell.prov)
            if rowspan > 1:
                pending[column] = (cell, rowspan - 1)
                for extra in range(1, colspan):
                    pending[column + extra] = (Cell("", cell.prov), rowspan - 1)
            column += colspan
        _take_pending(pending, cells, column, to_end=True)
        grid_rows.append([cells.get(c, Cell("", prov)) for c in range(max(cells, default=-1) + 1)])
        provs.append(prov)
    width = max((len(r) for r in grid_rows), default=0)
    out = []
    for tr, cells, prov in zip(rows, grid_rows, provs):
        own = _own_cells(tr)
        if width >= 3 and len(own) == 1 and _span(own[0], "colspan") >= width:
            out.append(TableRow((cells[0],), prov))  # one cell across the table: a section title row
        else:
            out.append(TableRow(tuple(cells + [Cell("", prov)] * (width - len(cells))), prov))
    return out


def _take_pending(pending: dict[int, tuple[Cell, int]], cells: dict[int, Cell], column: int, to_end: bool = False) -> int:
    """Fill slots held by rowspans from rows above; return the first free column at or after `column`."""
    for held in sorted(pending):
        if held < column and held not in cells:
            cells[held] = _consume(pending, held)
    while column in pending:
        cells[column] = _consume(pending, column)
        column += 1
    if to_end:
        for held in sorted(pending):
            if held >= column and held not in cells:
                cells[held] = _consume(pending, held)
    return column


def _consume(pending: dict[int, tuple[Cell, int]], column: int) -> Cell:
    cell, left = pending[column]
    if left <= 1:
        del pending[column]
    else:
        pending[column] = (cell, left - 1)
    return cell


def _last_line(element) -> int | None:
    lines = [e.sourceline for e in element.iter() if isinstance(e.tag, str) and e.sourceline]
    return max(lines) if lines else None


def cell_text(td) -> str:
    """A cell's text: <br>, paragraphs, divs and list items (and nested tables' cells) on their own lines."""
    walker = _Walker()
    walker.flow(td)
    walker.end_line()
    lines = []
    for block in walker.blocks:
        if isinstance(block, TextLine):
            lines.append(block.text)
        else:  # a table nested in a data cell cannot happen (see _is_data_table), but keep its text
            lines += [c.text for c in block.cells if c.text]
    return "\n".join(lines)


def _list_marker(li) -> str:
    parent = li.getparent()
    if parent is not None and isinstance(parent.tag, str) and parent.tag.lower() == "ol":
        items = [e for e in parent if isinstance(e.tag, str) and e.tag.lower() == "li"]
        try:
            start = int(parent.get("start", "1"))
        except ValueError:
            start = 1
        return f"{start + items.index(li)}. "
    return "- "


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", _SPACE.sub(" ", text)).strip()
