"""Text PDF -> ParsedDocument, with pages lacking a text layer sent to OCR.

PDFium (pypdfium2, pdfplumber's own renderer dependency) parses the page: characters with their
boxes and the ruling lines of path objects, several times faster than pdfminer. The ruled tables
are then found by pdfplumber's table algorithm (edges -> intersections -> cells -> tables, its
"lines" strategy); on pages without any rules, tables are looked for by their columns of white
space (see whitespace_tables). Per page there is one pass of each kind: characters -> words once,
tables found once, and every word assigned to a table cell or to the text outside the tables by
its centre. No per-cell crops.

Blocks, in reading order on each page (by top coordinate; a table's rows stay together):
- TextLine: text outside tables. Physical lines are split where a wide gap separates two
  columns (the two-column header "ỦY BAN NHÂN DÂN ... | CỘNG HÒA ..."), and consecutive
  single-column lines are joined back into paragraphs when the line was full (the next word
  would not have fitted), as a text or DOCX file would have them.
- TableRow: one per grid row of a ruled table, one Cell per grid column (stable column count).
  A cell spanning columns has its text in its leftmost column and empty cells to its right; a
  cell spanning rows repeats its text (and its own bbox) in every row it spans (GOLD_SPEC: a
  merged cell belongs to each row). Inside a cell, wrapped lines are joined with a space and
  paragraph breaks (a short line, or a line starting with a bullet) are kept as '\\n', so '\\n'
  means the same as in a DOCX cell.

Provenance: page (1-based) and bbox (x0, top, x1, bottom) in PDF points from the page's top
left; line_start/line_end are None.
"""

from __future__ import annotations

import bisect
import re
import statistics
import unicodedata
from dataclasses import dataclass, field

from plantasks.parsers.blocks import Block, Cell, ParsedDocument, Provenance, ReaderError, ReaderIssue, TableRow, TextLine

_MIN_TEXT_CHARS = 20  # fewer visible characters than this: the page has no usable text layer
_SCAN_TEXT_CHARS = 200  # a page mostly covered by pictures needs this much text not to be treated as a scan
_SLIVER_COLUMN = 6.0  # points: grid columns narrower than this come from ruling jitter
_SLIVER_ROW = 3.0
_BULLET = re.compile(r"^([-+•●○▪–*]|\d{1,2}[.)]|[a-zđ][.)])\s")
_ITEM_START = re.compile(r"^(\d{1,2}|[IVXLC]{1,6}|[a-zđ])[.)]\s")


# ---------------------------------------------------------------- entry point


def read_pdf(data: bytes, options) -> ParsedDocument:
    """Read a PDF (see the module docstring); scanned pages go to OCR when it is available."""
    pdf = _open(data)
    try:
        count = len(pdf)
        if count == 0:
            raise ReaderError("empty", "the PDF has no pages: check that the file is complete")
        if count > options.max_pages:
            raise ReaderError("too_many_pages", f"the PDF has {count} pages, more than the limit of "
                              f"{options.max_pages}; raise --max-pages to read it")
        margins = _TextColumns()
        pages: dict[int, PageLayout] = {}
        issues: list[ReaderIssue] = []
        no_text: list[int] = []
        for number in range(1, count + 1):
            try:
                layout = read_page(pdf, number, options)
            except Exception as err:  # a broken page must not lose the others
                issues.append(ReaderIssue("page_unreadable", f"page {number} could not be read ({type(err).__name__})",
                                          Provenance(page=number)))
                continue
            if layout is None:
                no_text.append(number)
                continue
            margins.add(layout)
            pages[number] = layout
    finally:
        pdf.close()
    blocks_by_page = {n: layout_blocks(layout, margins) for n, layout in pages.items()}
    if no_text:
        blocks_by_page.update(_ocr_pages(data, no_text, options, issues))
    blocks = join_across_pages([block for n in sorted(blocks_by_page) for block in blocks_by_page[n]])
    if not blocks:
        if issues and all(i.code == "page_unreadable" for i in issues):
            raise ReaderError("corrupt", "no page of the PDF could be read: the file is damaged; download it again")
        reason = next((i.message for i in issues if i.code.startswith("ocr")), "")
        raise ReaderError("no_text", "the PDF has no text layer" + (f" ({reason})" if reason else "") +
                          ": it is a scan; enable OCR (install Tesseract) or use a text version")
    return ParsedDocument(format="pdf", blocks=blocks, page_count=count, issues=issues)


def join_across_pages(blocks: list[Block]) -> list[Block]:
    """A paragraph cut by a page break: the last text of a page without closing punctuation and
    the first text of the next page starting in lower case are one TextLine."""
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if (isinstance(block, TextLine) and isinstance(previous, TextLine)
                and previous.prov.page is not None and block.prov.page == previous.prov.page + 1
                and block.text[:1].islower() and previous.text[-1:] not in ".;:!?"
                and not _BULLET.match(block.text) and not _ITEM_START.match(block.text)):
            out[-1] = TextLine(previous.text + " " + block.text, previous.prov.span(block.prov))
        else:
            out.append(block)
    return out


def _open(data: bytes):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        code = getattr(err, "err_code", None)
        if code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise ReaderError("encrypted", "the PDF is password-protected: open it with the password and save an "
                              "unprotected copy (Print to PDF)") from None
        raise ReaderError("corrupt", "the file is not a readable PDF (damaged or incomplete): download it "
                          "again") from None


# ---------------------------------------------------------------- page layout


@dataclass(slots=True)
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class _Line:
    words: list[_Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class _Grid:
    """A table as a grid: boundaries, and which cell owns each grid slot."""

    bbox: tuple[float, float, float, float]
    xs: list[float]
    ys: list[float]
    cells: list[tuple[float, float, float, float]]
    owner: list[list[int]]  # [row][col] -> index into cells, -1 when no cell covers the slot
    words: dict[int, list[_Word]] = field(default_factory=dict)
    ruled: bool = True  # False: found by white space, the cell boxes are only the column's reach

    def slot_of(self, x: float, y: float) -> tuple[int, int]:
        col = min(max(bisect.bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        row = min(max(bisect.bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        return row, col


@dataclass
class PageLayout:
    number: int
    width: float
    height: float
    lines: list[_Line]  # text outside tables, in reading order
    tables: list[_Grid]


def read_page(pdf, number: int, options) -> PageLayout | None:
    """Words and tables of one page; None when the page has no usable text layer."""
    page = pdf[number - 1]
    try:
        textpage = page.get_textpage()
        try:
            layer = read_text_layer(textpage)
        finally:
            textpage.close()
        frame = _Frame.of(page, layer.dominant_angle)
        edges, image_area = page_objects(page, frame)
        if not _has_text_layer(layer, image_area / max(frame.width * frame.height, 1.0)):
            return None
        chars = page_chars(layer, frame)
    finally:
        page.close()
    words = chars_to_words(chars)
    tables = [grid for grid in map(_grid, edges_to_tables(edges)) if grid is not None]
    if not tables and options.pdf_text_tables and not edges:
        tables = whitespace_tables(words_to_lines(words))
    outside = []
    for word in words:
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        grid = next((g for g in tables if g.bbox[0] <= cx <= g.bbox[2] and g.bbox[1] <= cy <= g.bbox[3]), None)
        if grid is None:
            outside.append(word)
            continue
        row, col = grid.slot_of(cx, cy)
        owner = grid.owner[row][col]
        if owner < 0:
            outside.append(word)
        else:
            grid.words.setdefault(owner, []).append(word)
    return PageLayout(number, frame.width, frame.height, words_to_lines(outside), tables)


def _has_text_layer(layer: "TextLayer", image_share: float) -> bool:
    """Enough mapped characters, and not a scan carrying only a stamp or a page number as text."""
    if layer.visible < _MIN_TEXT_CHARS or layer.unmapped_share >= 0.3:
        return False
    return not (image_share > 0.5 and layer.visible < _SCAN_TEXT_CHARS)


# ---------------------------------------------------------------- PDFium objects -> chars and edges


@dataclass(frozen=True)
class _Frame:
    """Maps PDF user space (origin bottom left) to reading space: the text upright, origin top left.

    `rotation` is the direction the page's text runs in user space (degrees counter-clockwise,
    a multiple of 90), taken from the characters, not from /Rotate: a landscape table drawn
    sideways reads the same with or without a /Rotate that shows it upright.
    """

    left: float
    bottom: float
    right: float
    top: float
    rotation: int

    @classmethod
    def of(cls, page, rotation: int) -> "_Frame":
        left, bottom, right, top = page.get_cropbox()
        return cls(left, bottom, right, top, rotation)

    @property
    def width(self) -> float:
        return (self.top - self.bottom) if self.rotation in (90, 270) else (self.right - self.left)

    @property
    def height(self) -> float:
        return (self.right - self.left) if self.rotation in (90, 270) else (self.top - self.bottom)

    def point(self, x: float, y: float) -> tuple[float, float]:
        """(x, top) on the displayed page."""
        if self.rotation == 90:
            return y - self.bottom, x - self.left
        if self.rotation == 180:
            return self.right - x, y - self.bottom
        if self.rotation == 270:
            return self.top - y, self.right - x
        return x - self.left, self.top - y

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) on the displayed page."""
        xa, ya = self.point(left, bottom)
        xb, yb = self.point(right, top)
        return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


_GENERATED = None  # marks a word break PDFium inferred (not a character of the PDF)
_ANGLE_SAMPLE = 16  # every n-th character's direction is asked first; all of them only on mixed pages


@dataclass
class TextLayer:
    """A page's characters as PDFium gives them, in user space, with what the page-level checks need.

    `chars` holds (code, left, bottom, right, top, origin_x, origin_y, font_size) tuples, or
    _GENERATED; `angles` (text direction per character, degrees counter-clockwise) is filled
    only on pages whose sampled characters run in more than one direction.
    """

    chars: list
    dominant_angle: int
    angles: list[int] | None
    visible: int
    unmapped_share: float


def read_text_layer(textpage) -> TextLayer:
    import ctypes

    import pypdfium2.raw as raw

    handle = textpage.raw  # the bare pointer: pypdfium2's wrapper costs a Python call per use
    count = raw.FPDFText_CountChars(handle)
    rect = raw.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    rect_ref, x_ref, y_ref = ctypes.byref(rect), ctypes.byref(x), ctypes.byref(y)
    get_unicode, get_box = raw.FPDFText_GetUnicode, raw.FPDFText_GetLooseCharBox
    get_origin, get_size, is_generated = raw.FPDFText_GetCharOrigin, raw.FPDFText_GetFontSize, raw.FPDFText_IsGenerated
    chars, indexes = [], []
    for index in range(count):
        code = get_unicode(handle, index)
        if code in (0, 0xFFFE, 0xFFFF):
            continue
        if code in (10, 13) or (code == 32 and is_generated(handle, index) == 1):
            chars.append(_GENERATED)
            indexes.append(index)
            continue
        if not get_box(handle, index, rect_ref):
            continue
        if not get_origin(handle, index, x_ref, y_ref):
            x.value, y.value = rect.left, rect.bottom
        chars.append((code, rect.left, rect.bottom, rect.right, rect.top, x.value, y.value, get_size(handle, index)))
        indexes.append(index)
    sampled = [i for i, c in enumerate(chars) if c is not _GENERATED and c[0] != 32][::_ANGLE_SAMPLE]
    sample_angles = {_char_angle(handle, indexes[i]) for i in sampled}
    angles = None
    if len(sample_angles) > 1:
        angles = [_char_angle(handle, index) if c is not _GENERATED else 0 for c, index in zip(chars, indexes)]
        dominant = statistics.mode(a for a, c in zip(angles, chars) if c is not _GENERATED and c[0] != 32)
    else:
        dominant = next(iter(sample_angles), 0)
    visible = [(c, i) for c, i in zip(chars, indexes) if c is not _GENERATED and not chr(c[0]).isspace()]
    checked = visible[::_ANGLE_SAMPLE // 4]
    unmapped = sum(1 for c, i in checked if c[0] == 0xFFFD or raw.FPDFText_HasUnicodeMapError(handle, i) == 1)
    return TextLayer(chars, dominant, angles, len(visible), unmapped / len(checked) if checked else 0.0)


def _char_angle(handle, index: int) -> int:
    import math

    import pypdfium2.raw as raw

    radians = raw.FPDFText_GetCharAngle(handle, index)  # PDFium measures it clockwise
    return (360 - round(math.degrees(radians) / 90) * 90) % 360 if radians >= 0 else 0


def page_chars(layer: TextLayer, frame: _Frame) -> list[_Char]:
    """Characters in reading space; characters running in another direction (stamps, margin notes) are left out.

    x extent from the character box; vertical extent from the baseline and the font size (the
    same for every character of a line, so commas and diacritics do not leave their line).
    """
    out = []
    upright = frame.rotation == 0
    left, top_edge = frame.left, frame.top
    for index, char in enumerate(layer.chars):
        if char is _GENERATED:
            out.append(_Char(" ", 0.0, 0.0, 0.0, 0.0))
            continue
        if layer.angles is not None and layer.angles[index] != frame.rotation:
            continue
        code, l, b, r, t, ox, oy, size = char
        text = "-" if code == 2 else chr(code)  # PDFium marks a hyphen that ends a line as U+0002
        if upright:
            x0, x1, top, bottom, baseline = l - left, r - left, top_edge - t, top_edge - b, top_edge - oy
        else:
            x0, top, x1, bottom = frame.box(l, b, r, t)
            baseline = frame.point(ox, oy)[1]
        if size >= 3:
            top, bottom = baseline - 0.8 * size, baseline + 0.2 * size
        out.append(_Char(text, x0, top, x1, bottom))
    return out


def chars_to_words(chars: list[_Char]) -> list[_Word]:
    """Characters -> words, by geometry, not content-stream order.

    Content order is unreliable (a fallback font's glyphs — often the Vietnamese letters — come
    in a separate text run), so characters are grouped into lines by their vertical extent,
    sorted left to right, and split into words at space characters and at gaps wider than a thin
    space. PDFium's generated spaces are ignored; combining marks stay with their base letter;
    a glyph drawn twice at almost the same place (fake bold) is kept once.
    """
    glyphs = [c for c in _clusters(chars)]
    words: list[_Word] = []
    for line in _char_lines(glyphs):
        current: list[_Char] = []
        for char in line:
            if current and _duplicate(current[-1], char):
                continue
            if char.text.isspace() or (current and _breaks_word(current[-1], char)):
                _flush_word(current, words)
                current = []
            if not char.text.isspace():
                current.append(char)
        _flush_word(current, words)
    return words


def _clusters(chars: list[_Char]) -> list[_Char]:
    """Attach combining marks to the letter before them (in content order); drop generated spaces."""
    out: list[_Char] = []
    for char in chars:
        if char.x1 <= char.x0 and char.text == " " and char.top == char.bottom == 0:
            continue  # PDFium's generated word break: positions decide instead
        if out and unicodedata.combining(char.text[0]) and not out[-1].text.isspace():
            base = out[-1]
            out[-1] = _Char(base.text + char.text, base.x0, base.top, max(base.x1, char.x1), base.bottom)
        else:
            out.append(char)
    return out


def _char_lines(chars: list[_Char]) -> list[list[_Char]]:
    """Group characters into lines by vertical overlap, each sorted left to right."""
    lines: list[list[_Char]] = []
    extents: list[tuple[float, float]] = []
    for char in sorted(chars, key=lambda c: (c.bottom, c.x0)):
        if lines:
            top, bottom = extents[-1]
            overlap = min(bottom, char.bottom) - max(top, char.top)
            if overlap > 0.5 * min(bottom - top, char.bottom - char.top):
                lines[-1].append(char)
                extents[-1] = (min(top, char.top), max(bottom, char.bottom))
                continue
        lines.append([char])
        extents.append((char.top, char.bottom))
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def _duplicate(previous: _Char, char: _Char) -> bool:
    return char.text == previous.text and abs(char.x0 - previous.x0) < 1.0 and not char.text.isspace()


def _flush_word(chars: list[_Char], words: list[_Word]) -> None:
    if chars:
        text = unicodedata.normalize("NFC", "".join(c.text for c in chars))
        words.append(_Word(text, chars[0].x0, max(c.x1 for c in chars),
                           min(c.top for c in chars), max(c.bottom for c in chars)))


def _breaks_word(previous: _Char, char: _Char) -> bool:
    height = max(previous.bottom - previous.top, 1.0)
    return char.x0 - previous.x1 > 0.15 * height  # font height = 1 em: a gap wider than a thin space


def page_objects(page, frame: _Frame) -> tuple[list[dict], float]:
    """The page's ruling lines (straight horizontal/vertical segments of visible paths, as pdfplumber
    edges) and the area its pictures cover (square points)."""
    import pypdfium2.raw as raw

    edges: list[dict] = []
    images: list[float] = []
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    count = raw.FPDFPage_CountObjects(page)
    for index in range(count):
        _object_edges(raw.FPDFPage_GetObject(page, index), identity, frame, edges, images, depth=0)
    return edges, sum(images)


def _object_edges(obj, outer, frame: _Frame, edges: list[dict], images: list[float], depth: int) -> None:
    import pypdfium2.raw as raw

    kind = raw.FPDFPageObj_GetType(obj)
    if kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
        matrix = _compose(_matrix_of(obj), outer)
        for index in range(raw.FPDFFormObj_CountObjects(obj)):
            _object_edges(raw.FPDFFormObj_GetObject(obj, index), matrix, frame, edges, images, depth + 1)
    elif kind == raw.FPDF_PAGEOBJ_IMAGE:
        a, b, c, d, _, _ = _compose(_matrix_of(obj), outer)  # an image fills the unit square of its matrix
        images.append(abs(a * d - b * c))
    elif kind == raw.FPDF_PAGEOBJ_PATH and _is_drawn(obj):
        matrix = _compose(_matrix_of(obj), outer)
        for (xa, ya), (xb, yb) in _path_segments(obj):
            a = frame.point(*_apply(matrix, xa, ya))
            b = frame.point(*_apply(matrix, xb, yb))
            edge = _edge(a, b)
            if edge is not None:
                edges.append(edge)


def _is_drawn(obj) -> bool:
    import ctypes

    import pypdfium2.raw as raw

    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return True
    return bool(stroke.value) or fill.value != raw.FPDF_FILLMODE_NONE


def _matrix_of(obj) -> tuple[float, ...]:
    import ctypes

    import pypdfium2.raw as raw

    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying `inner` first, then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _path_segments(obj):
    """Straight segments (point pairs) of a path, closing subpaths; curves are skipped."""
    import ctypes

    import pypdfium2.raw as raw

    x, y = ctypes.c_float(), ctypes.c_float()
    start = previous = None
    for index in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, index)
        if not raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        point = (x.value, y.value)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = previous = point
            continue
        if kind == raw.FPDF_SEGMENT_LINETO and previous is not None:
            yield previous, point
        previous = point
        if raw.FPDFPathSegment_GetClose(segment) and start is not None and previous != start:
            yield previous, start
            previous = start


def _edge(a: tuple[float, float], b: tuple[float, float]) -> dict | None:
    (xa, ya), (xb, yb) = a, b
    if abs(ya - yb) < 0.5 and abs(xa - xb) >= 1.0:
        top = (ya + yb) / 2
        x0, x1 = min(xa, xb), max(xa, xb)
        return {"object_type": "line", "orientation": "h", "x0": x0, "x1": x1, "top": top, "bottom": top,
                "width": x1 - x0, "height": 0.0}
    if abs(xa - xb) < 0.5 and abs(ya - yb) >= 1.0:
        x = (xa + xb) / 2
        top, bottom = min(ya, yb), max(ya, yb)
        return {"object_type": "line", "orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom,
                "width": 0.0, "height": bottom - top}
    return None


# ---------------------------------------------------------------- edges -> tables (pdfplumber's algorithm)


def edges_to_tables(edges: list[dict]) -> list[list[tuple[float, float, float, float]]]:
    """pdfplumber's TableFinder on ready-made edges: merge, intersect, cells, tables (lists of cell bboxes)."""
    if not edges:
        return []
    from pdfplumber import table as plumber
    from pdfplumber.utils import filter_edges

    merged = merge_edges_default(edges)
    merged = filter_edges(merged, min_length=3)
    intersections = plumber.edges_to_intersections(merged, 3, 3)
    cells = plumber.intersections_to_cells(intersections)
    return plumber.cells_to_tables(cells)


def merge_edges_default(edges: list[dict]) -> list[dict]:
    from pdfplumber import table as plumber

    return plumber.merge_edges(edges, snap_x_tolerance=3, snap_y_tolerance=3, join_x_tolerance=3, join_y_tolerance=3)


def _grid(table_cells) -> _Grid | None:
    """pdfplumber's cells of one table -> a grid with sliver columns/rows folded; None for one-column boxes."""
    cells = [tuple(c) for c in table_cells]
    if not cells:
        return None
    xs = _boundaries([c[0] for c in cells] + [c[2] for c in cells], _SLIVER_COLUMN)
    ys = _boundaries([c[1] for c in cells] + [c[3] for c in cells], _SLIVER_ROW)
    if len(xs) < 3 or len(ys) < 2:
        return None  # a framed paragraph, not a table: its text is body text
    owner = [[-1] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for index, (x0, top, x1, bottom) in enumerate(cells):
        c0, c1 = _span(xs, x0, x1)
        r0, r1 = _span(ys, top, bottom)
        for r in range(r0, r1):
            for c in range(c0, c1):
                if owner[r][c] < 0:
                    owner[r][c] = index
    bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
    return _Grid(bbox, xs, ys, cells, owner)


def _boundaries(values: list[float], sliver: float) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] >= sliver:
            out.append(value)
    return out


def _span(bounds: list[float], start: float, end: float) -> tuple[int, int]:
    """Grid indexes [first, last) a cell covers, by nearest boundaries."""
    first = min(range(len(bounds)), key=lambda i: abs(bounds[i] - start))
    last = min(range(len(bounds)), key=lambda i: abs(bounds[i] - end))
    return first, max(last, first + 1)


# ---------------------------------------------------------------- borderless tables


_MIN_RIVER = 5.0  # points of white space, kept clear by every line of a block, that separate two columns
_LOOSE_GAP = 8.0  # a gap between two words wider than this (about two spaces) hints at columns


def whitespace_tables(lines: list["_Line"]) -> list[_Grid]:
    """Tables without rules, found by their columns of white space ("rivers").

    Blocks of consecutive lines that are not running text (each has a wide gap between words or
    is short) are candidates; a block whose words leave at least two vertical rivers clear from
    top to bottom is a table of 3+ columns. A row starts at each line with text in the first
    column (wrapped lines of a row leave it empty). Each grid slot is its own cell: spans cannot
    be seen without rules.
    """
    if not lines:
        return []
    width = max(l.x1 for l in lines) - min(l.x0 for l in lines)
    grids = []
    for block in _tabular_blocks(lines, width):
        grid = _river_grid(block)
        if grid is not None:
            grids.append(grid)
    return grids


def _tabular_blocks(lines: list["_Line"], width: float) -> list[list["_Line"]]:
    blocks: list[list[_Line]] = [[]]
    for line in lines:
        gaps = [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:])]
        tabular = any(g > _LOOSE_GAP for g in gaps) or (line.x1 - line.x0) < 0.4 * width
        previous = blocks[-1][-1] if blocks[-1] else None
        near = previous is None or line.top - previous.bottom < 2 * (previous.bottom - previous.top)
        if tabular and near:
            blocks[-1].append(line)
        else:
            blocks.append([line] if tabular else [])
    return [b for b in blocks if len(b) >= 3]


def _river_grid(block: list["_Line"]) -> _Grid | None:
    rivers = _rivers(block)
    while len(block) >= 3 and len(rivers) >= 2 and _columns_used(block[0], rivers) < 2:
        block = block[1:]  # a title above the table (one column wide) is not its first row
        rivers = _rivers(block)
    if len(block) < 3 or len(rivers) < 2:
        return None
    return _grid_from_rivers(block, rivers)


def _columns_used(line: "_Line", rivers: list[float]) -> int:
    return len({bisect.bisect_left(rivers, (w.x0 + w.x1) / 2) for w in line.words})


def _rivers(block: list["_Line"]) -> list[float]:
    """x positions of the white space no word of the block crosses."""
    spans = sorted((w.x0, w.x1) for line in block for w in line.words)
    rivers, reach = [], spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= _MIN_RIVER:
            rivers.append((reach + x0) / 2)
        reach = max(reach, x1)
    return rivers


def _grid_from_rivers(block: list["_Line"], rivers: list[float]) -> _Grid | None:
    spans = sorted((w.x0, w.x1) for line in block for w in line.words)
    xs = [spans[0][0] - 1.0] + rivers + [max(x1 for _, x1 in spans) + 1.0]
    starts = [line for line in block if line.words[0].x0 < rivers[0]]
    if len(starts) < 2 or block[0] not in starts:
        return None
    rows = [line.top - 1.0 for line in starts] + [block[-1].bottom + 1.0]
    columns, count = len(xs) - 1, len(rows) - 1
    cells = [(xs[c], rows[r], xs[c + 1], rows[r + 1]) for r in range(count) for c in range(columns)]
    owner = [[r * columns + c for c in range(columns)] for r in range(count)]
    filled = sum(1 for line in starts if sum(1 for r in rivers if line.x0 < r < line.x1) >= 1)
    if filled < len(starts) * 0.6:
        return None  # most rows must reach past the first river: a real table, not a list of short lines
    return _Grid((xs[0], rows[0], xs[-1], rows[-1]), xs, rows, cells, owner, ruled=False)


# ---------------------------------------------------------------- words -> lines


def words_to_lines(words: list[_Word]) -> list[_Line]:
    """Group words into physical lines (by vertical overlap, in order of their baselines), each sorted left to right."""
    groups: list[list[_Word]] = []
    extents: list[tuple[float, float]] = []
    for word in sorted(words, key=lambda w: (w.bottom, w.x0)):
        if groups:
            top, bottom = extents[-1]
            overlap = min(bottom, word.bottom) - max(top, word.top)
            if overlap > 0.5 * min(bottom - top, word.bottom - word.top):
                groups[-1].append(word)
                extents[-1] = (min(top, word.top), max(bottom, word.bottom))
                continue
        groups.append([word])
        extents.append((word.top, word.bottom))
    return [_Line(sorted(group, key=lambda w: w.x0)) for group in groups]


def split_segments(line: _Line) -> list[_Line]:
    """Split a physical line where a wide gap separates two columns of text."""
    gap_limit = max(2.5 * statistics.median(w.height for w in line.words), 20.0)
    segments = [_Line([line.words[0]])]
    for word in line.words[1:]:
        if word.x0 - segments[-1].x1 > gap_limit:
            segments.append(_Line([word]))
        else:
            segments[-1].words.append(word)
    return segments


# ---------------------------------------------------------------- paragraphs


@dataclass
class _TextColumns:
    """Left and right text margins per page size, learnt from all pages (for the line-was-full test)."""

    edges: dict[tuple[int, int], list[tuple[float, float]]] = field(default_factory=dict)

    def add(self, layout: PageLayout) -> None:
        key = (round(layout.width), round(layout.height))
        for line in layout.lines:
            for segment in split_segments(line):
                self.edges.setdefault(key, []).append((segment.x0, segment.x1))

    def margins(self, layout: PageLayout) -> tuple[float, float]:
        spans = self.edges.get((round(layout.width), round(layout.height)), [])
        if len(spans) >= 10:
            lefts = sorted(s[0] for s in spans)
            rights = sorted(s[1] for s in spans)
            return lefts[len(lefts) // 20], rights[len(rights) * 19 // 20]
        if layout.tables:
            return min(t.bbox[0] for t in layout.tables), max(t.bbox[2] for t in layout.tables)
        return layout.width * 0.1, layout.width * 0.9


def layout_blocks(layout: PageLayout, columns: _TextColumns) -> list[Block]:
    """One page's TextLines and TableRows in reading order."""
    left, right = columns.margins(layout)
    items: list[tuple[float, int, list[Block]]] = []
    for order, paragraph in enumerate(paragraphs(layout.lines, right - left)):
        items.append((paragraph[0], order, [paragraph[1]]))
    for grid in layout.tables:
        items.append((grid.bbox[1], -1, grid_rows(grid, layout.number)))
    items.sort(key=lambda item: (item[0], item[1]))
    blocks: list[Block] = []
    for _, _, part in items:
        for block in part:
            if isinstance(block, TextLine):
                blocks.append(TextLine(block.text, Provenance(page=layout.number, bbox=block.prov.bbox)))
            else:
                blocks.append(block)
    return blocks


def paragraphs(lines: list[_Line], text_width: float) -> list[tuple[float, TextLine]]:
    """Physical lines -> (top, TextLine) paragraphs: multi-column lines stay apart, full lines are joined."""
    out: list[tuple[float, TextLine]] = []
    current: list[_Line] = []
    for line in lines:
        segments = split_segments(line)
        if len(segments) > 1:
            out += _flush(current)
            current = []
            out += [(s.top, _text_line(s.text, [s])) for s in segments]
            continue
        if current and not _continues(current[-1], line, text_width, listed=False):
            out += _flush(current)
            current = []
        current.append(line)
    return out + _flush(current)


def _continues(previous: _Line, line: _Line, text_width: float, listed: bool = True) -> bool:
    """Is `line` the wrapped continuation of `previous` (which had no room for its first word)?

    A line starting with a bullet starts a new item, unless the text is not a list (`listed`
    False: its first line has no bullet) and the previous line was full without closing
    punctuation, as in "... kỳ 2019 / - 2023".
    """
    ends_item = previous.text[-1:] in ".;:"
    if _ITEM_START.match(line.text) and ends_item:
        return False
    if _BULLET.match(line.text) and (listed or ends_item):
        return False
    height = previous.bottom - previous.top
    if line.top - previous.bottom > 0.8 * height:
        return False
    space = 0.25 * height
    first = line.words[0]
    return (previous.x1 - previous.x0) + space + (first.x1 - first.x0) > text_width - 2.0


def _flush(lines: list[_Line]) -> list[tuple[float, TextLine]]:
    if not lines:
        return []
    text = lines[0].text
    for previous, line in zip(lines, lines[1:]):
        last = previous.words[-1].text
        text += ("" if last.endswith("-") and len(last) > 1 else " ") + line.text
    return [(lines[0].top, _text_line(text, lines))]


def _text_line(text: str, lines: list[_Line]) -> TextLine:
    bbox = (min(l.x0 for l in lines), min(l.top for l in lines), max(l.x1 for l in lines), max(l.bottom for l in lines))
    return TextLine(text, Provenance(bbox=_round(bbox)))


# ---------------------------------------------------------------- table rows


def grid_rows(grid: _Grid, page: int) -> list[TableRow]:
    """One TableRow per grid row; merged cells as described in the module docstring."""
    widths = {} if grid.ruled else _column_text_widths(grid)
    texts = {index: cell_text(grid.words.get(index, []), grid.cells[index], widths.get(index))
             for index in range(len(grid.cells))}
    rows = []
    for r in range(len(grid.ys) - 1):
        row_box = _round((grid.bbox[0], grid.ys[r], grid.bbox[2], grid.ys[r + 1]))
        row_prov = Provenance(page=page, bbox=row_box)
        cells = []
        for c in range(len(grid.xs) - 1):
            index = grid.owner[r][c]
            starts_here = index >= 0 and (c == 0 or grid.owner[r][c - 1] != index)
            if starts_here:
                cells.append(Cell(texts[index], Provenance(page=page, bbox=_round(grid.cells[index]))))
            else:
                slot = _round((grid.xs[c], grid.ys[r], grid.xs[c + 1], grid.ys[r + 1]))
                cells.append(Cell("", Provenance(page=page, bbox=slot)))
        rows.append(TableRow(tuple(cells), row_prov))
    return rows


def _column_text_widths(grid: _Grid) -> dict[int, float]:
    """Without rules a cell's width is unknown: take the widest line of its column (cell index -> width)."""
    widest: dict[int, float] = {}
    for index, words in grid.words.items():
        column = index % (len(grid.xs) - 1)
        for line in words_to_lines(words):
            widest[column] = max(widest.get(column, 0.0), line.x1 - line.x0)
    return {index: widest.get(index % (len(grid.xs) - 1), 0.0) + 2.0 for index in range(len(grid.cells))}


def cell_text(words: list[_Word], bbox: tuple[float, float, float, float], width: float | None = None) -> str:
    """Words of one cell -> text: wrapped lines joined by a space, paragraph breaks kept as '\\n'."""
    if not words:
        return ""
    lines = words_to_lines(words)
    if width is None:
        pad = min(max(min(l.x0 for l in lines) - bbox[0], 1.0), 10.0)
        width = bbox[2] - bbox[0] - 2 * pad
    listed = bool(_BULLET.match(lines[0].text))
    out = lines[0].text
    for previous, line in zip(lines, lines[1:]):
        out += _glue(previous, line, width, listed) + line.text
    return out


def _glue(previous: _Line, line: _Line, width: float, listed: bool) -> str:
    """What joins two physical lines of one cell or paragraph: '' after a line-end hyphen, ' ', or '\\n'."""
    if not _continues(previous, line, width, listed):
        return "\n"
    last = previous.words[-1].text
    return "" if last.endswith("-") and len(last) > 1 else " "


def _round(box) -> tuple[float, float, float, float]:
    return tuple(round(float(v), 2) for v in box)


# ---------------------------------------------------------------- OCR


def _ocr_pages(data: bytes, numbers: list[int], options, issues: list[ReaderIssue]) -> dict[int, list[Block]]:
    """Blocks of the pages without a text layer, by page, from the OCR module when it is there."""
    import importlib

    pages = ", ".join(map(str, numbers[:10])) + (" …" if len(numbers) > 10 else "")
    if not options.ocr:
        issues.append(ReaderIssue("ocr_disabled", f"OCR is switched off; pages without text were skipped: {pages}"))
        return {}
    try:
        ocr = importlib.import_module("plantasks.parsers.ocr")
    except ImportError:
        issues.append(ReaderIssue("ocr_unavailable", f"OCR is not available; pages without text were skipped: {pages}"))
        return {}
    try:
        if hasattr(ocr, "ocr_pdf"):
            scanned = ocr.ocr_pdf(data, numbers, options)
            found, more = scanned.blocks, scanned.issues
        else:
            found, more = ocr.ocr_pdf_pages(data, numbers, options), []
    except ReaderError as err:
        if err.code != "ocr_unavailable":
            raise
        issues.append(ReaderIssue("ocr_unavailable", f"{err.message}; pages without text were skipped: {pages}"))
        return {}
    except Exception as err:  # a failing OCR engine must not lose the text pages
        issues.append(ReaderIssue("ocr_failed", f"OCR failed ({type(err).__name__}: {err}); pages skipped: {pages}"))
        return {}
    out: dict[int, list[Block]] = {n: [] for n in numbers}
    for block in found:
        page = block.prov.page if block.prov.page in out else numbers[0]
        out[page].append(block)
    issues.append(ReaderIssue("ocr_pages", f"pages read by OCR: {pages}"))
    issues.extend(more)
    return out
