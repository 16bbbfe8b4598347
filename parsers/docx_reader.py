"""DOCX (and, through LibreOffice, DOC/RTF) -> ParsedDocument.

Reads the body XML in document order: every body paragraph becomes TextLines, every table row a
TableRow. Cell XML is read here (not through python-docx's Table API) so that merged cells are
seen as Word stores them. Only the parts the text needs are unpacked and parsed, found through
python-docx's OPC relationships and parsed with its parser settings (`parse_xml`): the main document part always,
numbering and styles only when a paragraph is numbered (docx.Document() would parse every part).

Provenance: `line_start == line_end` is the block's ordinal in the document body, 1-based,
counting every body paragraph (empty ones too) and every table row of a top-level table in
order; a TextLine and a TableRow never share an ordinal. `page` and `bbox` are None (Word has
no fixed pages). A cell's prov is its row's ordinal, except a vertically merged cell repeated
in later rows: that carries the ordinal of the row where the merge starts.

Decisions (the downstream table stage relies on them):
- One Cell per logical grid column, so every row of a table has the same number of cells.
  A cell spanning columns (gridSpan) puts its text in its leftmost column and empty cells in
  the others (as a PDF renders it). Sliver grid columns (narrower than ~3.5 mm, which Word
  leaves when rows' column edges jitter) are folded into their left neighbour.
- A cell merged over several rows (vMerge) belongs to each row it spans (GOLD_SPEC): the
  continuation rows get the same text as the first cell.
- Several paragraphs in a cell are joined with '\\n'; empty paragraphs are dropped.
- Word list numbering is rendered as printed: bullets become "- " (or "+ "), numbered
  paragraphs get their number ("1.", "a)", "II.") in front.
- A table nested in a cell is flattened into that cell: its paragraphs, row by row and cell by
  cell, each on its own line. Except in a frame: a table drawn round the body or an appendix
  (a border, a layout grid) whose own rows are no task table while a table nested in it is one.
  A frame's cells are read as the body is, paragraph by paragraph, and the tables in them as
  tables (as a web page's layout tables are).
- Soft line breaks (w:br) split a body paragraph into several TextLines and are '\\n' in cells;
  tabs become a space.
- Tracked changes are read as if accepted (a draft's proposal): inserted text is read, deleted text
  and table rows deleted as a change are not, text moved away (w:moveFrom) is read only where it was
  moved to. Text formatted hidden (w:vanish) is not printed and is not read. Each is reported (a
  `tracked_changes` or `hidden_text` issue), never left out silently.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import threading
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice

from plantasks.parsers.blocks import Cell, ParsedDocument, Provenance, ReaderError, ReaderIssue, TableRow, TextLine
from plantasks.parsers.columns import header_map

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = "{%s}" % W_NS

_SLIVER_TWIPS = 200  # ~3.5 mm
_MIN_BOMB_MEMBER_BYTES = 1024 * 1024
_MAX_XML_NODES = 1_500_000
# The main part of a document, a template, and their macro-enabled kinds (.docx, .dotx, .docm, .dotm): the
# body is the same WordprocessingML; macros are never run, only the text is read.
_WORD_MAIN_CONTENT_TYPES = frozenset({
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
})
_XML_CHUNK = 1 << 20


# ---------------------------------------------------------------- entry points


def read_docx(data: bytes, options) -> ParsedDocument:
    """Read a DOCX file's body into TextLines and TableRows (see the module docstring)."""
    package = _Package(data, options)
    body = package.body()
    reader = _BodyReader(numbering=Numbering(source=lambda: _numbering_of(package)), present=_present_tags(body))
    reader.read_container(body)
    if not reader.blocks:
        raise ReaderError("no_text", "the Word document has no text: check that it is the right file")
    return ParsedDocument(format="docx", blocks=reader.blocks, page_count=None, issues=reader.issues + _unread(reader))


def _unread(reader: _BodyReader) -> list[ReaderIssue]:
    """What the document holds that was not read as text: tracked deletions and moves, hidden text."""
    issues = []
    if not reader.present.isdisjoint((_DEL, _MOVE_FROM)):
        rows = f"table rows deleted: {reader.deleted_rows}; " if reader.deleted_rows else ""
        issues.append(ReaderIssue("tracked_changes", f"the Word file holds tracked changes and was read as if they "
                                  f"were accepted ({rows}deleted text and text moved away not read); accept or reject "
                                  "them in Word if another version is meant"))
    if reader.hidden:
        issues.append(ReaderIssue("hidden_text", "text formatted as hidden in Word is not printed and was not read"))
    return issues


def read_doc(data: bytes, options) -> ParsedDocument:
    """Read a legacy Word file (.doc, RTF, Word 2003 XML) by converting it to DOCX with LibreOffice."""
    if _is_encrypted_ole(data):
        raise ReaderError("encrypted", "the Word file is password-protected: remove the password and save it again")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ReaderError(
            "not_supported",
            "this is an old Word file (.doc/.rtf); install LibreOffice (apt-get install libreoffice-writer-nogui) "
            "to read it, or save it as .docx in Word",
        )
    docx = convert_with_libreoffice(data, soffice, options.convert_timeout_s)
    doc = read_docx(docx, options)
    doc.format = "doc"
    doc.issues.insert(0, ReaderIssue("converted", "old Word format: converted to DOCX with LibreOffice"))
    return doc


def convert_with_libreoffice(data: bytes, soffice: str, timeout_s: float) -> bytes:
    """The DOCX bytes LibreOffice makes of a .doc/.rtf file; ReaderError when it cannot."""
    with tempfile.TemporaryDirectory(prefix="plantasks-doc-") as tmp:
        source = os.path.join(tmp, "input.doc")
        with open(source, "wb") as fh:
            fh.write(data)
        profile = "file://" + os.path.join(tmp, "profile")  # a private profile: parallel runs don't lock each other
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
                   "--outdir", tmp, source]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired:
            raise ReaderError("corrupt", "LibreOffice could not convert the Word file in time: open it in Word "
                              "and save it as .docx") from None
        target = os.path.join(tmp, "input.docx")
        if not os.path.exists(target):
            raise ReaderError("corrupt", "LibreOffice could not convert the Word file: it may be damaged; open "
                              "it in Word and save it as .docx")
        with open(target, "rb") as fh:
            return fh.read()


def _is_encrypted_ole(data: bytes) -> bool:
    return data.startswith(b"\xd0\xcf\x11\xe0") and "EncryptedPackage".encode("utf-16-le") in data[:4 * 1024 * 1024]


# ---------------------------------------------------------------- zip guard


def open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ReaderError("corrupt", "the Word file is damaged or incomplete (not a readable zip archive): "
                          "download it again or re-save it in Word") from None


def guard_zip(archive: zipfile.ZipFile, max_unpacked_bytes: int, max_ratio: float) -> None:
    """Refuse zip bombs and encrypted archives from their directory, before anything is decompressed."""
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if total > max_unpacked_bytes:
        raise ReaderError("zip_bomb", f"the Word file unpacks to {total} bytes, more than the limit of "
                          f"{max_unpacked_bytes // 2**20} MB; raise --max-unpacked-mb if you trust the file")
    for info in infos:
        if info.file_size > _MIN_BOMB_MEMBER_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
            raise ReaderError("zip_bomb", f"the Word file member {info.filename} is compressed {info.file_size // max(info.compress_size, 1)}:1, "
                              "which only archive bombs do; the file was not read")
    if any(info.flag_bits & 0x1 for info in infos):
        raise ReaderError("encrypted", "the Word file is encrypted: remove the password and save it again")


def guard_xml(data: bytes, max_unpacked_bytes: int, max_nodes: int) -> None:
    """Decompress every XML part in a stream (headers can lie) and count their elements: a small file
    that unpacks to millions of nodes is refused, not parsed."""
    guard = _Guard(max_unpacked_bytes, max_nodes)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                guard.read(archive, info)


class _Guard:
    """The parts decompressed so far, counted against the limits before any parser builds a tree."""

    def __init__(self, max_unpacked_bytes: int, max_nodes: int):
        self.max_unpacked_bytes, self.max_nodes = max_unpacked_bytes, max_nodes
        self.total = self.nodes = 0

    def read(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        chunks = []
        try:
            with archive.open(info) as member:
                while chunk := member.read(_XML_CHUNK):
                    self.total += len(chunk)
                    self.nodes += chunk.count(b"<") - chunk.count(b"</")
                    if self.total > self.max_unpacked_bytes:
                        raise ReaderError("zip_bomb", f"the Word file unpacks to more than the limit of "
                                          f"{self.max_unpacked_bytes // 2**20} MB; raise --max-unpacked-mb if you trust the file")
                    if self.nodes > self.max_nodes:
                        raise ReaderError("too_complex", f"the Word file holds more than {self.max_nodes} XML elements "
                                          f"(in {info.filename}); raise --max-xml-nodes if you trust the file")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
            raise ReaderError("corrupt", "the Word file is damaged or incomplete (a part cannot be unpacked): "
                              "download it again or re-save it in Word") from None
        return b"".join(chunks)


class _Package:
    """The parts of a Word package this reader needs, found through python-docx's OPC machinery
    (content types, relationships, part names) and parsed by `parse_xml`, each only when asked
    for: the body always, numbering and styles only when a paragraph carries list numbering.
    `docx.Document()` would unpack and parse every part (styles, theme, fonts, settings …)."""

    def __init__(self, data: bytes, options):
        self.data = data
        self.archive = open_zip(data)
        guard_zip(self.archive, options.max_unpacked_bytes, options.max_zip_ratio)
        self.guard = _Guard(options.max_unpacked_bytes, getattr(options, "max_xml_nodes", _MAX_XML_NODES))

    def blob(self, membername: str) -> bytes:
        """The part's bytes, counted against the limits (KeyError: no such part)."""
        return self.guard.read(self.archive, self.archive.getinfo(membername))

    def rels(self, source_uri):
        from docx.opc.pkgreader import _SerializedRelationships

        try:
            xml = self.blob(source_uri.rels_uri.membername)
        except KeyError:
            xml = None
        return _SerializedRelationships.load_from_xml(source_uri.baseURI, xml)

    def related(self, source_uri, reltype: str):
        """The part name the source's single relationship of `reltype` targets (KeyError: none,
        ValueError: several or external), as python-docx's part_related_by."""
        matching = [rel for rel in self.rels(source_uri) if rel.reltype == reltype]
        if not matching:
            raise KeyError(f"no relationship of type '{reltype}' in collection")
        if len(matching) > 1:
            raise ValueError(f"multiple relationships of type '{reltype}' in collection")
        return matching[0].target_partname

    def body(self):
        """The main document part's w:body; ReaderError when the package cannot be read as a Word document."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PACKAGE_URI
        from docx.opc.pkgreader import _ContentTypeMap

        try:
            self.content_types = _ContentTypeMap.from_xml(self.blob("[Content_Types].xml"))
            self.main = self.related(PACKAGE_URI, RT.OFFICE_DOCUMENT)
            content_type = self.content_types[self.main]
            if content_type not in _WORD_MAIN_CONTENT_TYPES:
                raise ValueError(f"not a Word file, content type is '{content_type}'")
            xml = self.blob(self.main.membername)
            element = parse_xml(xml)
        except ReaderError:
            raise
        except Exception as err:  # noqa: BLE001 - a bomb anywhere in a broken package is reported as such
            guard_xml(self.data, self.guard.max_unpacked_bytes, self.guard.max_nodes)
            raise _corrupt(err) from None
        return _child(element, W + "body")

    def part_element(self, reltype: str, content_type: str):
        """The parsed part the main document relates to by `reltype`; None when there is none or it
        is not of `content_type` (python-docx's default styles, used when a package has none, hold no
        list styles either)."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        try:
            partname = self.related(self.main, reltype)
            if self.content_types[partname] != content_type:
                return None
            xml = self.blob(partname.membername)
            if reltype == RT.STYLES and b"numPr" not in xml:
                return None  # no style carries list numbering: nothing to parse
            return parse_xml(xml)
        except ReaderError:
            raise
        except KeyError:
            return None
        except Exception as err:  # noqa: BLE001 - python-docx raises assorted errors on broken parts
            raise _corrupt(err) from None


def parse_xml(xml: bytes):
    """A part's XML as plain lxml elements, parsed as python-docx's oxml parser does (blank text
    removed, entities not resolved) but without its custom element classes: this reader uses only
    the lxml API, and a Python object per element of those classes cost about 7% of the CPU of
    reading a table-heavy plan."""
    from lxml import etree

    parser = getattr(_PARSERS, "parser", None)
    if parser is None:  # (an lxml parser is not shared between threads)
        parser = _PARSERS.parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
    return etree.fromstring(xml, parser)


_PARSERS = threading.local()


def _corrupt(err: Exception) -> ReaderError:
    from lxml.etree import XMLSyntaxError

    if isinstance(err, (KeyError, XMLSyntaxError, ValueError, zipfile.BadZipFile, EOFError, zipfile.LargeZipFile)):
        return ReaderError("corrupt", f"the Word file is damaged and cannot be read ({type(err).__name__}): "
                           "re-save it in Word or LibreOffice")
    return ReaderError("corrupt", f"the Word file cannot be read ({type(err).__name__}: {err}): re-save it "
                       "in Word or LibreOffice")


# ---------------------------------------------------------------- numbering


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int


@dataclass
class Numbering:
    """List definitions (numId -> ilvl -> level) and the running counters while reading."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    style_lists: dict[str, tuple[str, int]] = field(default_factory=dict)  # paragraph style id -> (numId, ilvl)
    counters: dict[str, list[int]] = field(default_factory=dict)
    source: Callable[[], tuple[dict, dict]] | None = None  # loads levels and style_lists on first use

    def load(self) -> None:
        if self.source is not None:
            self.levels, self.style_lists = self.source()
            self.source = None

    def marker(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        level = levels[ilvl]
        if level.fmt == "none":
            return ""
        if level.fmt == "bullet":
            return _bullet(level.text)
        counts = self.counters.setdefault(num_id, [0] * 9)
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else level.start
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        text = level.text
        for lvl in range(ilvl, -1, -1):
            value = counts[lvl] or (levels[lvl].start if lvl in levels else 1)
            fmt = levels[lvl].fmt if lvl in levels else "decimal"
            text = text.replace(f"%{lvl + 1}", _format_number(value, fmt))
        return text.strip() + " " if text.strip() else ""


def _bullet(symbol: str) -> str:
    return "+ " if symbol.strip() == "+" else "- "


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for number, numeral in numerals:
        while value >= number:
            out.append(numeral)
            value -= number
    return "".join(out)


def _numbering_of(package: _Package) -> tuple[dict[str, dict[int, _Level]], dict[str, tuple[str, int]]]:
    """The list levels of the numbering part and the list styles of the styles part (none without a
    numbering part)."""
    from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT

    root = package.part_element(RT.NUMBERING, CT.WML_NUMBERING)
    if root is None:
        return {}, {}
    styles = package.part_element(RT.STYLES, CT.WML_STYLES)
    return _list_levels(root), _style_lists(styles) if styles is not None else {}


def _style_lists(styles) -> dict[str, tuple[str, int]]:
    """Paragraph styles that carry list numbering (e.g. "List Bullet"), following basedOn."""
    own, based_on = {}, {}
    for style in styles.findall(W + "style"):
        style_id = style.get(W + "styleId")
        num_pr = style.find(f"{W}pPr/{W}numPr")
        if num_pr is not None and num_pr.find(W + "numId") is not None:
            own[style_id] = (num_pr.find(W + "numId").get(W + "val", ""), _int_val(num_pr.find(W + "ilvl"), 0))
        parent = style.find(W + "basedOn")
        if parent is not None:
            based_on[style_id] = parent.get(W + "val")
    out = {}
    for style_id in set(own) | set(based_on):
        seen, current = set(), style_id
        while current is not None and current not in own and current not in seen:
            seen.add(current)
            current = based_on.get(current)
        if current in own:
            out[style_id] = own[current]
    return out


def _list_levels(root) -> dict[str, dict[int, _Level]]:
    abstract = {}
    for node in root.findall(W + "abstractNum"):
        abstract[node.get(W + "abstractNumId")] = _levels_of(node)
    levels = {}
    for num in root.findall(W + "num"):
        ref = num.find(W + "abstractNumId")
        if ref is None:
            continue
        merged = dict(abstract.get(ref.get(W + "val"), {}))
        for override in num.findall(W + "lvlOverride"):
            ilvl = int(override.get(W + "ilvl", "0"))
            start = override.find(W + "startOverride")
            lvl = override.find(W + "lvl")
            if lvl is not None:
                merged.update(_levels_of_nodes([lvl]))
            elif start is not None and ilvl in merged:
                level = merged[ilvl]
                merged[ilvl] = _Level(level.fmt, level.text, int(start.get(W + "val", "1")))
        levels[num.get(W + "numId")] = merged
    return levels


def _levels_of(abstract_node) -> dict[int, _Level]:
    return _levels_of_nodes(abstract_node.findall(W + "lvl"))


def _levels_of_nodes(nodes) -> dict[int, _Level]:
    out = {}
    for lvl in nodes:
        fmt = lvl.find(W + "numFmt")
        text = lvl.find(W + "lvlText")
        start = lvl.find(W + "start")
        out[int(lvl.get(W + "ilvl", "0"))] = _Level(
            fmt=fmt.get(W + "val", "decimal") if fmt is not None else "decimal",
            text=text.get(W + "val", "") if text is not None else "",
            start=int(start.get(W + "val", "1")) if start is not None else 1,
        )
    return out


# ---------------------------------------------------------------- body


_P, _TBL, _TR, _TC, _T, _R = W + "p", W + "tbl", W + "tr", W + "tc", W + "t", W + "r"
_DEL, _MOVE_FROM, _VANISH = W + "del", W + "moveFrom", W + "vanish"
_PPR, _TRPR, _TCPR = W + "pPr", W + "trPr", W + "tcPr"
_FALLBACK = "{%s}Fallback" % MC_NS
_BREAKS = (W + "tab", W + "br", W + "cr", W + "noBreakHyphen")
_FEATURES = (*_BREAKS, W + "numPr", W + "pStyle", W + "vMerge", W + "gridSpan", W + "gridBefore", W + "gridAfter", _FALLBACK,
             _DEL, _MOVE_FROM, _VANISH)


def _present_tags(body) -> frozenset[str]:
    """Which of the optional elements (breaks, numbering, merges, grid offsets, mc:Fallback) the body
    holds at all: one pass in lxml, so the per-paragraph and per-cell work skips what is absent."""
    return frozenset(node.tag for node in body.iter(*_FEATURES))


def _child(node, tag: str):
    """The first child with `tag` (as node.find(tag), without its path machinery), or None."""
    return next(node.iterchildren(tag), None)


@dataclass
class _Merge:
    """An open vertical merge in one logical column."""

    text: str
    prov: Provenance


@dataclass
class _BodyReader:
    numbering: Numbering
    present: frozenset[str] = frozenset(_FEATURES)  # the optional elements the body holds (_present_tags)
    blocks: list = field(default_factory=list)
    issues: list = field(default_factory=list)
    ordinal: int = 0

    deleted_rows: int = 0

    def __post_init__(self) -> None:
        self.text_tags = (_T, *(tag for tag in _BREAKS if tag in self.present))
        self.hidden = _VANISH in self.present
        self.unshown = self.hidden or not self.present.isdisjoint((_FALLBACK, _MOVE_FROM))  # (text to pass over)
        self.plain = len(self.text_tags) == 1 and not self.unshown
        self.numbered = bool({W + "numPr", W + "pStyle"} & self.present)
        self.cell_props = not self.present.isdisjoint((W + "vMerge", W + "gridSpan"))
        self.grid_offsets = not self.present.isdisjoint((W + "gridBefore", W + "gridAfter"))

    def read_container(self, node) -> None:
        for child in _content_children(node):
            tag = child.tag
            if tag == _P:
                self.ordinal += 1
                prov = Provenance(line_start=self.ordinal, line_end=self.ordinal)
                for line in self.paragraph_text(child).split("\n"):
                    if line:  # already stripped
                        self.blocks.append(TextLine(line, prov))
            elif tag == _TBL:
                self.read_table(child)

    def read_table(self, tbl) -> None:
        if self.is_frame(tbl):
            for tr in _rows_of(tbl):
                if _DEL not in self.present or not _row_deleted(tr):
                    for tc in _cells_of(tr):
                        if self.tc_props(tc)[1] != "continue":
                            self.read_container(tc)
            return
        rows = [(self.grid_int(tr, "gridBefore"), self.grid_int(tr, "gridAfter"), [(tc, *self.tc_props(tc)) for tc in _cells_of(tr)])
                for tr in _rows_of(tbl)]
        deleted = [_row_deleted(tr) for tr in _rows_of(tbl)] if _DEL in self.present else [False] * len(rows)
        columns = _logical_columns(tbl, rows)
        ranges: dict[tuple[int, int], tuple[int, int]] = {}  # (grid column, span) -> logical range, per table
        width = columns.count
        merges: dict[int, _Merge] = {}
        for (before, _, cells_of_row), gone in zip(rows, deleted):
            self.ordinal += 1
            if gone:
                self.deleted_rows += 1
                continue
            prov = Provenance(line_start=self.ordinal, line_end=self.ordinal)
            empty = Cell("", prov)
            cells = self._row_cells(before, cells_of_row, columns, ranges, merges, prov, empty)
            width = max(width, len(cells))
            cells += [empty] * (width - len(cells))
            self.blocks.append(TableRow(tuple(cells), prov))

    def _row_cells(self, grid: int, cells_of_row, columns: _Columns, ranges: dict, merges: dict[int, _Merge],
                   prov: Provenance, empty: Cell) -> list[Cell]:
        cells: list[Cell] = []
        for tc, span, vmerge in cells_of_row:
            span = max(span, 1)
            where = ranges.get((grid, span))
            if where is None:
                where = ranges[grid, span] = columns.logical_range(grid, span)
            start, end = where
            grid += span
            if start > len(cells):
                cells += [empty] * (start - len(cells))
            if vmerge == "continue" and start in merges:
                cell = Cell(merges[start].text, merges[start].prov)
            else:
                cell = Cell(self.cell_text(tc), prov)
                if vmerge == "restart":
                    merges[start] = _Merge(cell.text, prov)
                else:
                    merges.pop(start, None)
            if len(cells) == start:
                cells.append(cell)
            else:  # two Word cells folded into one logical column: keep both texts
                cells[-1] = Cell(_join_lines(cells[-1].text, cell.text), cells[-1].prov)
            if end > len(cells):
                cells += [empty] * (end - len(cells))
        return cells

    def cell_text(self, tc) -> str:
        lines: list[str] = []  # each already stripped (paragraph_text collapses its lines' whitespace)
        for child in tc:
            tag = child.tag
            if tag == _P:  # the usual cell: paragraphs after its w:tcPr
                lines += self.paragraph_text(child).split("\n")
            elif tag == _TBL or tag in _WRAPPERS:
                for block in (child,) if tag == _TBL else _unwrapped(child):
                    lines += self.paragraph_text(block).split("\n") if block.tag == _P else self.nested_lines(block)
        return "\n".join(filter(None, lines))

    def is_frame(self, tbl) -> bool:
        """Does the table only frame the text around a task table nested in it (see the module doc)?"""
        inner = [t for t in tbl.iter(_TBL) if t is not tbl]
        return bool(inner) and not self.has_task_header(tbl) and any(self.has_task_header(t) for t in inner)

    def has_task_header(self, tbl) -> bool:
        """Is one of the table's first rows a task table's header (TT, Nội dung, Chủ trì, Thời gian …)?"""
        for tr in islice(_rows_of(tbl), _HEADER_ROWS):
            if header_map([self.cell_text(tc) for tc in _cells_of(tr)]):
                return True
        return False

    def nested_lines(self, tbl) -> list[str]:
        """A table nested in a cell, flattened: row by row, cell by cell."""
        lines: list[str] = []
        for tr in _rows_of(tbl):
            for inner in _cells_of(tr):
                if self.tc_props(inner)[1] != "continue":
                    lines += self.cell_text(inner).split("\n")
        return lines

    def tc_props(self, tc) -> tuple[int, str | None]:
        """A cell's gridSpan (1 when absent) and vMerge ("restart", "continue" or None)."""
        return _tc_props(tc) if self.cell_props else (1, None)

    def grid_int(self, tr, name: str) -> int:
        return _grid_int(tr, name) if self.grid_offsets else 0

    def paragraph_text(self, p) -> str:
        parts = [_numbering_marker(p, self.numbering) if self.numbered else ""]
        if self.plain:  # only w:t in this body (their texts gathered inside lxml, no element objects made)
            parts += p.itertext(_T, with_tail=False)
            text = unicodedata.normalize("NFC", "".join(parts))
            return " ".join(text.split()) if "\n" not in text else "\n".join(" ".join(line.split()) for line in text.split("\n"))
        for node in p.iter(*self.text_tags):
            if self.unshown and _not_shown(node, p, self.hidden):
                continue
            tag = node.tag
            if tag == _T:
                parts.append(node.text or "")
            elif tag == W + "tab":
                if node.getparent().tag == W + "r":
                    parts.append(" ")
            elif tag in (W + "br", W + "cr"):
                if node.get(W + "type") in (None, "textWrapping"):
                    parts.append("\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
        text = unicodedata.normalize("NFC", "".join(parts))
        return "\n".join(" ".join(line.split()) for line in text.split("\n"))


_HEADER_ROWS = 3  # a task table's header is among its first rows (under a title row, or a second header row)
_WRAPPERS = frozenset((W + "sdt", W + "customXml", W + "ins", W + "smartTag", "{%s}AlternateContent" % MC_NS))


def _content_children(node):
    """Block-level children, looking through content controls, tracked insertions and mc:AlternateContent."""
    for child in node:
        tag = child.tag
        if tag == _P or tag == _TBL:
            yield child
        elif tag in _WRAPPERS:
            yield from _unwrapped(child)


def _unwrapped(wrapper):
    """The block-level content of a content control, custom XML, insertion or mc:AlternateContent."""
    if wrapper.tag == W + "sdt":
        content = _child(wrapper, W + "sdtContent")
        if content is not None:
            yield from _content_children(content)
    elif wrapper.tag == "{%s}AlternateContent" % MC_NS:
        choice = _child(wrapper, "{%s}Choice" % MC_NS)
        if choice is not None:
            yield from _content_children(choice)
    else:
        yield from _content_children(wrapper)


def _rows_of(tbl):
    return _tagged_children(tbl, _TR)


def _cells_of(tr):
    return _tagged_children(tr, _TC)


def _tagged_children(node, tag: str):
    """Children with `tag`, looking through content controls, custom XML and tracked insertions."""
    for child in node:
        if child.tag == tag:
            yield child
        elif child.tag in (W + "sdt", W + "customXml", W + "ins"):
            inner = _child(child, W + "sdtContent") if child.tag == W + "sdt" else child
            if inner is not None:
                yield from _tagged_children(inner, tag)


@dataclass(frozen=True)
class _Columns:
    """The table grid folded into logical columns: sliver grid columns join their left neighbour."""

    logical: tuple[int, ...]  # grid column -> logical column
    sliver: tuple[bool, ...]

    @property
    def count(self) -> int:
        return max(self.logical, default=-1) + 1

    def logical_range(self, grid: int, span: int) -> tuple[int, int]:
        """[start, end) logical columns of a cell covering grid columns [grid, grid + span)."""
        inside = [g for g in range(grid, grid + span) if g < len(self.logical)]
        if not inside:  # a row wider than the grid: extra columns to the right
            extra = self.count + (grid - len(self.logical))
            return extra, extra + span
        solid = [g for g in inside if not self.sliver[g]] or inside[:1]
        return self.logical[solid[0]], self.logical[solid[-1]] + 1


def _logical_columns(tbl, rows) -> _Columns:
    """`rows`: the table's (gridBefore, gridAfter, [(w:tc, gridSpan, vMerge)]) per row, as read_table lists them."""
    grid = _child(tbl, W + "tblGrid")
    widths = []
    if grid is not None:
        for col in grid.iterchildren(W + "gridCol"):
            try:
                widths.append(int(float(col.get(W + "w", "0"))))
            except ValueError:
                widths.append(0)
    row_width = max((before + sum(span for _, span, _ in cells) + after for before, after, cells in rows), default=0)
    if not any(widths) or len(widths) < row_width:
        widths = [_SLIVER_TWIPS] * row_width  # no usable grid: every grid column counts
    logical, sliver, index = [], [], -1
    for width in widths:
        thin = width < _SLIVER_TWIPS and index >= 0
        index += 0 if thin else 1
        logical.append(index)
        sliver.append(thin)
    return _Columns(tuple(logical), tuple(sliver))


def _grid_int(tr, name: str) -> int:
    props = _child(tr, _TRPR)
    return _int_val(_child(props, W + name), 0) if props is not None else 0


def _tc_props(tc) -> tuple[int, str | None]:
    """A cell's gridSpan (1 when absent) and vMerge ("restart", "continue" or None)."""
    props = _child(tc, _TCPR)
    if props is None:
        return 1, None
    vmerge = _child(props, W + "vMerge")
    if vmerge is not None:
        vmerge = "restart" if vmerge.get(W + "val") == "restart" else "continue"
    return _int_val(_child(props, W + "gridSpan"), 1), vmerge


def _int_val(node, default: int) -> int:
    if node is None:
        return default
    try:
        return int(node.get(W + "val", default))
    except ValueError:
        return default


# ---------------------------------------------------------------- text


def _not_shown(node, paragraph, hidden: bool) -> bool:
    """Whether Word leaves out `node` (a text or break inside `paragraph`) of the document as it stands:
    the mc:Fallback twin of content it shows, text a tracked change moved away (it is read where it
    was moved to), a run formatted hidden (looked for when the body holds any, `hidden`)."""
    parent = node.getparent()
    while parent is not None and parent is not paragraph:
        tag = parent.tag
        if tag == _FALLBACK or tag == _MOVE_FROM or hidden and tag == _R and _run_hidden(parent):
            return True
        parent = parent.getparent()
    return False


def _run_hidden(run) -> bool:
    props = _child(run, W + "rPr")
    vanish = _child(props, _VANISH) if props is not None else None
    return vanish is not None and vanish.get(W + "val") not in ("0", "false", "off")


def _row_deleted(tr) -> bool:
    """A table row deleted as a tracked change (w:trPr/w:del)."""
    props = _child(tr, _TRPR)
    return props is not None and _child(props, _DEL) is not None


def _numbering_marker(p, numbering: Numbering) -> str:
    """The list marker Word prints before the paragraph (its own numPr, else its style's)."""
    props = _child(p, _PPR)
    if props is None:
        return ""
    num_pr = _child(props, W + "numPr")
    style = _child(props, W + "pStyle")
    if num_pr is None and style is None:
        return ""
    numbering.load()
    style_list = numbering.style_lists.get(style.get(W + "val")) if style is not None else None
    num_id = _child(num_pr, W + "numId") if num_pr is not None else None
    if num_id is not None:
        ilvl = _child(num_pr, W + "ilvl")
        default_level = style_list[1] if style_list else 0
        return numbering.marker(num_id.get(W + "val", ""), _int_val(ilvl, default_level))
    if style_list is None:
        return ""
    ilvl = _child(num_pr, W + "ilvl") if num_pr is not None else None
    return numbering.marker(style_list[0], _int_val(ilvl, style_list[1]))


def _join_lines(first: str, second: str) -> str:
    return "\n".join(part for part in (first, second) if part)
