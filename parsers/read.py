"""Bytes -> ParsedDocument: pick the reader by looking at the content, not the file name.

Readers per format (each returns ParsedDocument with blocks in reading order):

| format | reader | notes |
|---|---|---|
| text  | text_reader.read_text | bytes re-encoded as UTF-8 first; a guessed encoding is an issue |
| docx  | docx_reader.read_docx | zip-bomb guard before parsing |
| doc   | docx_reader.read_doc  | converted with LibreOffice (`soffice`) when installed |
| pdf   | pdf.read_pdf          | pages without a text layer go to OCR (ocr.ocr_pdf_pages) |
| html  | html_reader.read_html | saved web pages, incl. MHTML |
| image | ocr.read_image        | needs the OCR module |
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from plantasks.parsers.blocks import Cell, ParsedDocument, ReaderError, ReaderIssue, TableRow, TextLine


@dataclass(frozen=True)
class ReadOptions:
    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 300
    max_unpacked_bytes: int = 500 * 1024 * 1024  # DOCX/zip members, against zip bombs
    max_xml_nodes: int = 1_500_000  # XML elements in a DOCX, counted before parsing (tiny file, huge tree)
    ocr: bool = True
    ocr_workers: int | None = None  # None: one per core
    max_zip_ratio: float = 200.0  # uncompressed/compressed size of one zip member, against zip bombs
    pdf_text_tables: bool = True  # on PDF pages without rules, find tables by their white-space columns
    convert_timeout_s: float = 120.0  # LibreOffice .doc -> .docx conversion


def read_limited(path: Path, options: ReadOptions = ReadOptions()) -> bytes:
    """The file's bytes, its size checked from stat before anything is read (and again while reading,
    for files that grow or lie about their size)."""
    size = path.stat().st_size
    if size > options.max_bytes:
        raise ReaderError("too_large", _too_large(size, options))
    with open(path, "rb") as fh:
        data = fh.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        raise ReaderError("too_large", _too_large(len(data), options))
    return data


def _too_large(size: int, options: ReadOptions) -> str:
    return f"the file is {_size(size)}, more than the limit of {_size(options.max_bytes)}; raise --max-mb to read it"


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**17 else f"{n} bytes"


def read_document(data: bytes, name: str = "", options: ReadOptions = ReadOptions()) -> ParsedDocument:
    if not data.strip():
        raise ReaderError("empty", "the file is empty: check that the download or copy finished")
    if len(data) > options.max_bytes:
        raise ReaderError("too_large", _too_large(len(data), options))
    from plantasks.parsers.detect import detect_format

    fmt = detect_format(data, name)
    reader = _READERS.get(fmt)
    if reader is None:
        raise ReaderError(
            "not_supported",
            "this is not a document plantasks can read (supported: PDF, DOCX, DOC, HTML, text, images)"
            + (f": {name}" if name else ""),
        )
    doc = reader(data, options)
    return repair_legacy_text(doc) if fmt in _LEGACY_FONT_FORMATS else doc


# ---------------------------------------------------------------- legacy Vietnamese encodings

_LEGACY_FONT_FORMATS = ("docx", "doc", "pdf", "html")  # formats whose text can be TCVN3/VNI typed in a legacy font


def repair_legacy_text(doc: ParsedDocument) -> ParsedDocument:
    """Text typed in TCVN3/VNI fonts converted to Unicode (normalizers.vietnamese.repair_legacy, when
    installed); every repaired or unrecoverable line becomes an issue, nothing is changed silently."""
    try:
        from plantasks.normalizers.vietnamese import needs_legacy_repair, repair_legacy
    except ImportError:
        return doc
    if not needs_legacy_repair("\n".join(_texts(doc.blocks))):  # the usual case, checked in one pass
        return doc
    blocks, issues, repaired = [], [], 0
    for block in doc.blocks:
        if isinstance(block, TextLine):
            text, warnings = repair_legacy(block.text)
            repaired += text != block.text
            issues += [ReaderIssue("legacy_encoding", w, block.prov) for w in warnings]
            blocks.append(block if text == block.text else TextLine(text, block.prov))
        else:
            cells = []
            for cell in block.cells:
                text, warnings = repair_legacy(cell.text)
                repaired += text != cell.text
                issues += [ReaderIssue("legacy_encoding", w, cell.prov) for w in warnings]
                cells.append(cell if text == cell.text else Cell(text, cell.prov, cell.confidence))
            blocks.append(TableRow(tuple(cells), block.prov))
    if repaired:
        issues.insert(0, ReaderIssue("legacy_encoding", f"{repaired} lines or cells were typed in a legacy "
                                     "Vietnamese font encoding (TCVN3/VNI) and were converted to Unicode; check them"))
    return replace(doc, blocks=blocks, issues=doc.issues + issues)


def _texts(blocks):
    for block in blocks:
        if isinstance(block, TextLine):
            yield block.text
        else:
            yield from (cell.text for cell in block.cells)


def _read_text(data: bytes, options: ReadOptions) -> ParsedDocument:
    from plantasks.parsers.detect import decode_text
    from plantasks.parsers.text_reader import read_text

    text, issues = decode_text(data)
    if text is None:
        raise ReaderError("corrupt", "the file is neither text nor a known document format")
    doc = read_text(text.encode("utf-8"))
    doc.issues[:0] = issues
    return doc


def _read_docx(data: bytes, options: ReadOptions) -> ParsedDocument:
    from plantasks.parsers.docx_reader import read_docx

    return read_docx(data, options)


def _read_doc(data: bytes, options: ReadOptions) -> ParsedDocument:
    from plantasks.parsers.docx_reader import read_doc

    return read_doc(data, options)


def _read_pdf(data: bytes, options: ReadOptions) -> ParsedDocument:
    from plantasks.parsers.pdf import read_pdf

    return read_pdf(data, options)


def _read_html(data: bytes, options: ReadOptions) -> ParsedDocument:
    from plantasks.parsers.html_reader import read_html

    return read_html(data, options)


def _read_image(data: bytes, options: ReadOptions) -> ParsedDocument:
    if not options.ocr:
        raise ReaderError("no_text", "the file is an image and OCR is switched off: turn OCR on to read it")
    try:
        from plantasks.parsers.ocr import read_image
    except ImportError:
        raise ReaderError(
            "no_text", "the file is an image and OCR is not available: install Tesseract (make system-deps)"
        ) from None
    return read_image(data, options)


_READERS = {
    "text": _read_text,
    "docx": _read_docx,
    "doc": _read_doc,
    "pdf": _read_pdf,
    "html": _read_html,
    "image": _read_image,
}
