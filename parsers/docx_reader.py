"""DOCX (and, through LibreOffice, DOC/RTF) -> ParsedDocument.

Reads the body XML in document order: every body paragraph becomes TextLines, every table row a
TableRow. Cell XML is read here (not through python-docx's Table API) so that merged cells are
seen as Word stores them.

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
  cell, each on its own line.
- Soft line breaks (w:br) split a body paragraph into several TextLines and are '\\n' in cells;
  tabs become a space.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field

from plantasks.parsers.blocks import Cell, ParsedDocument, Provenance, ReaderError, ReaderIssue, TableRow, TextLine

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = "{%s}" % W_NS

_SLIVER_TWIPS = 200  # ~3.5 mm
_MIN_BOMB_MEMBER_BYTES = 1024 * 1024
_MAX_XML_NODES = 1_500_000
_XML_CHUNK = 1 << 20


# ---------------------------------------------------------------- entry points


def read_docx(data: bytes, options) -> ParsedDocument:
    """Read a DOCX file's body into TextLines and TableRows (see the module docstring)."""
    guard_zip(data, options.max_unpacked_bytes, options.max_zip_ratio)
    guard_xml(data, options.max_unpacked_bytes, getattr(options, "max_xml_nodes", _MAX_XML_NODES))
    body, numbering = _load_body(data)
    reader = _BodyReader(numbering=numbering)
    reader.read_container(body)
    if not reader.blocks:
        raise ReaderError("no_text", "the Word document has no text: check that it is the right file")
    return ParsedDocument(format="docx", blocks=reader.blocks, page_count=None, issues=reader.issues)


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


def guard_zip(data: bytes, max_unpacked_bytes: int, max_ratio: float) -> None:
    """Refuse damaged archives and zip bombs before anything is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ReaderError("corrupt", "the Word file is damaged or incomplete (not a readable zip archive): "
                          "download it again or re-save it in Word") from None
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
    """Decompress the XML parts in a stream (headers can lie) and count their elements before any
    parser builds a tree: a small file that unpacks to millions of nodes is refused, not parsed."""
    total = nodes = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(info) as member:
                    while chunk := member.read(_XML_CHUNK):
                        total += len(chunk)
                        nodes += chunk.count(b"<") - chunk.count(b"</")
                        if total > max_unpacked_bytes:
                            raise ReaderError("zip_bomb", f"the Word file unpacks to more than the limit of "
                                              f"{max_unpacked_bytes // 2**20} MB; raise --max-unpacked-mb if you trust the file")
                        if nodes > max_nodes:
                            raise ReaderError("too_complex", f"the Word file holds more than {max_nodes} XML elements "
                                              f"(in {info.filename}); raise --max-xml-nodes if you trust the file")
            except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
                raise ReaderError("corrupt", "the Word file is damaged or incomplete (a part cannot be unpacked): "
                                  "download it again or re-save it in Word") from None


def _load_body(data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, XMLSyntaxError, ValueError, zipfile.BadZipFile, EOFError,
            zipfile.LargeZipFile) as err:
        raise ReaderError("corrupt", f"the Word file is damaged and cannot be read ({type(err).__name__}): "
                          "re-save it in Word or LibreOffice") from None
    except Exception as err:  # python-docx raises assorted errors on broken parts
        raise ReaderError("corrupt", f"the Word file cannot be read ({type(err).__name__}: {err}): re-save it "
                          "in Word or LibreOffice") from None
    return document.element.body, _numbering_of(document)


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


def _numbering_of(document) -> Numbering:
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return Numbering()
    return Numbering(levels=_list_levels(root), style_lists=_style_lists(document))


def _style_lists(document) -> dict[str, tuple[str, int]]:
    """Paragraph styles that carry list numbering (e.g. "List Bullet"), following basedOn."""
    try:
        styles = document.styles.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
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


@dataclass
class _Merge:
    """An open vertical merge in one logical column."""

    text: str
    prov: Provenance


@dataclass
class _BodyReader:
    numbering: Numbering
    blocks: list = field(default_factory=list)
    issues: list = field(default_factory=list)
    ordinal: int = 0

    def read_container(self, node) -> None:
        for child in _content_children(node):
            tag = child.tag
            if tag == W + "p":
                self.ordinal += 1
                prov = Provenance(line_start=self.ordinal, line_end=self.ordinal)
                for line in _paragraph_text(child, self.numbering).split("\n"):
                    line = line.strip()
                    if line:
                        self.blocks.append(TextLine(line, prov))
            elif tag == W + "tbl":
                self.read_table(child)

    def read_table(self, tbl) -> None:
        columns = _logical_columns(tbl)
        width = columns.count
        merges: dict[int, _Merge] = {}
        for tr in _rows_of(tbl):
            self.ordinal += 1
            prov = Provenance(line_start=self.ordinal, line_end=self.ordinal)
            cells = self._row_cells(tr, columns, merges, prov)
            width = max(width, len(cells))
            cells += [Cell("", prov)] * (width - len(cells))
            self.blocks.append(TableRow(tuple(cells), prov))

    def _row_cells(self, tr, columns: "_Columns", merges: dict[int, "_Merge"], prov: Provenance) -> list[Cell]:
        cells: list[Cell] = []
        grid = _grid_int(tr, "gridBefore")
        for tc in _cells_of(tr):
            span = max(_tc_int(tc, "gridSpan", 1), 1)
            start, end = columns.logical_range(grid, span)
            grid += span
            cells += [Cell("", prov)] * (start - len(cells))
            vmerge = _vmerge(tc)
            if vmerge == "continue" and start in merges:
                cell = Cell(merges[start].text, merges[start].prov)
            else:
                cell = Cell(_cell_text(tc, self.numbering), prov)
                if vmerge == "restart":
                    merges[start] = _Merge(cell.text, prov)
                else:
                    merges.pop(start, None)
            if len(cells) == start:
                cells.append(cell)
            else:  # two Word cells folded into one logical column: keep both texts
                cells[-1] = Cell(_join_lines(cells[-1].text, cell.text), cells[-1].prov)
            cells += [Cell("", prov)] * (end - len(cells))
        return cells


def _content_children(node):
    """Block-level children, looking through content controls, tracked insertions and mc:AlternateContent."""
    for child in node:
        tag = child.tag
        if tag in (W + "p", W + "tbl"):
            yield child
        elif tag in (W + "sdt",):
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _content_children(content)
        elif tag in (W + "customXml", W + "ins", W + "smartTag"):
            yield from _content_children(child)
        elif tag == "{%s}AlternateContent" % MC_NS:
            choice = child.find("{%s}Choice" % MC_NS)
            if choice is not None:
                yield from _content_children(choice)


def _rows_of(tbl):
    return _tagged_children(tbl, W + "tr")


def _cells_of(tr):
    return _tagged_children(tr, W + "tc")


def _tagged_children(node, tag: str):
    """Children with `tag`, looking through content controls, custom XML and tracked insertions."""
    for child in node:
        if child.tag == tag:
            yield child
        elif child.tag in (W + "sdt", W + "customXml", W + "ins"):
            inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
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


def _logical_columns(tbl) -> _Columns:
    grid = tbl.find(W + "tblGrid")
    widths = []
    if grid is not None:
        for col in grid.findall(W + "gridCol"):
            try:
                widths.append(int(float(col.get(W + "w", "0"))))
            except ValueError:
                widths.append(0)
    row_width = max((_grid_width_of_row(tr) for tr in _rows_of(tbl)), default=0)
    if not any(widths) or len(widths) < row_width:
        widths = [_SLIVER_TWIPS] * row_width  # no usable grid: every grid column counts
    logical, sliver, index = [], [], -1
    for width in widths:
        thin = width < _SLIVER_TWIPS and index >= 0
        index += 0 if thin else 1
        logical.append(index)
        sliver.append(thin)
    return _Columns(tuple(logical), tuple(sliver))


def _grid_width_of_row(tr) -> int:
    return _grid_int(tr, "gridBefore") + sum(_tc_int(tc, "gridSpan", 1) for tc in _cells_of(tr)) + _grid_int(tr, "gridAfter")


def _grid_int(tr, name: str) -> int:
    node = tr.find(f"{W}trPr/{W}{name}")
    return _int_val(node, 0)


def _tc_int(tc, name: str, default: int) -> int:
    node = tc.find(f"{W}tcPr/{W}{name}")
    return _int_val(node, default)


def _int_val(node, default: int) -> int:
    if node is None:
        return default
    try:
        return int(node.get(W + "val", default))
    except ValueError:
        return default


def _vmerge(tc) -> str | None:
    node = tc.find(f"{W}tcPr/{W}vMerge")
    if node is None:
        return None
    return "restart" if node.get(W + "val") == "restart" else "continue"


# ---------------------------------------------------------------- text


def _cell_text(tc, numbering: Numbering) -> str:
    lines: list[str] = []
    for child in _content_children(tc):
        if child.tag == W + "p":
            lines += _paragraph_text(child, numbering).split("\n")
        elif child.tag == W + "tbl":  # nested table: flattened, row by row, cell by cell
            for tr in _rows_of(child):
                for inner in _cells_of(tr):
                    if _vmerge(inner) != "continue":
                        lines += _cell_text(inner, numbering).split("\n")
    return "\n".join(line.strip() for line in lines if line.strip())


def _paragraph_text(p, numbering: Numbering) -> str:
    parts = [_numbering_marker(p, numbering)]
    for node in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen"):
        tag = node.tag
        if _inside_fallback(node, p):
            continue
        if tag == W + "t":
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


def _inside_fallback(node, stop) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == "{%s}Fallback" % MC_NS:
            return True
        parent = parent.getparent()
    return False


def _numbering_marker(p, numbering: Numbering) -> str:
    """The list marker Word prints before the paragraph (its own numPr, else its style's)."""
    num_pr = p.find(f"{W}pPr/{W}numPr")
    style = p.find(f"{W}pPr/{W}pStyle")
    style_list = numbering.style_lists.get(style.get(W + "val")) if style is not None else None
    num_id = num_pr.find(W + "numId") if num_pr is not None else None
    if num_id is not None:
        ilvl = num_pr.find(W + "ilvl")
        default_level = style_list[1] if style_list else 0
        return numbering.marker(num_id.get(W + "val", ""), _int_val(ilvl, default_level))
    if style_list is None:
        return ""
    ilvl = num_pr.find(W + "ilvl") if num_pr is not None else None
    return numbering.marker(style_list[0], _int_val(ilvl, style_list[1]))


def _join_lines(first: str, second: str) -> str:
    return "\n".join(part for part in (first, second) if part)
