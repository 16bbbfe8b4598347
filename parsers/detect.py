"""Which reader a file needs, judged by its bytes; the file name only breaks ties.

`detect_format` answers one of FORMATS. `decode_text` turns the bytes of a plain-text file into a
str, saying (as ReaderIssues) when the encoding had to be guessed.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from plantasks.normalizers.decoding import decode_bytes
from plantasks.parsers.blocks import ReaderIssue

FORMATS = ("text", "docx", "doc", "pdf", "html", "image", "unknown")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_SIGNATURES = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"II*\x00",  # TIFF little-endian
    b"MM\x00*",  # TIFF big-endian
    b"GIF87a",
    b"GIF89a",
    b"BM",  # BMP (checked last, only with an image name: two bytes are weak evidence)
)
_HTML_MARKERS = ("<!doctype html", "<html", "<head", "<body", "<table", "<meta ", "<div", "<p>", "<p ")
_TEXT_SNIFF_BYTES = 64 * 1024
_HTML_SNIFF_CHARS = 4096
_NAME_FORMATS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".docx": "docx", ".docm": "docx", ".dotx": "docx", ".dotm": "docx",
    ".doc": "doc", ".rtf": "doc", ".dot": "doc",
    ".pdf": "pdf",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".mht": "html", ".mhtml": "html",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
    ".gif": "image", ".bmp": "image", ".webp": "image",
    # known formats plantasks does not read: the name keeps them from being guessed as Word
    ".xls": "other", ".xlsx": "other", ".ppt": "other", ".pptx": "other", ".msg": "other", ".odt": "other",
}


def format_from_name(name: str) -> str:
    """The format the file name's extension suggests, 'other' for known unsupported ones, else 'unknown'."""
    return _NAME_FORMATS.get(PurePath(name).suffix.lower(), "unknown")


def detect_format(data: bytes, name: str = "") -> str:
    """One of FORMATS, decided by magic bytes and content; `name` only breaks ties."""
    by_name = format_from_name(name)
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_format(data, by_name)
    if data.startswith(_OLE2):
        # Word 97-2003, or a password-protected DOCX (an OLE2 "EncryptedPackage"): the .doc path says which
        return "doc" if _is_word_ole(data) or by_name in ("doc", "docx", "unknown") else "unknown"
    if data.lstrip()[:5] == b"{\\rtf":
        return "doc"
    image = _image_format(data, by_name)
    if image:
        return image
    return _textual_format(data, by_name)


def _zip_format(data: bytes, by_name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        # A damaged archive: trust the name so the DOCX reader can say "corrupt".
        return "docx" if by_name == "docx" else "unknown"
    if "word/document.xml" in members:
        return "docx"
    if "[Content_Types].xml" in members and any(m.startswith("word/") for m in members):
        return "docx"
    return "unknown"


def _is_word_ole(data: bytes) -> bool:
    return "WordDocument".encode("utf-16-le") in data[:1024 * 1024]


def _image_format(data: bytes, by_name: str) -> str | None:
    for signature in _IMAGE_SIGNATURES[:-1]:
        if data.startswith(signature):
            return "image"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image"
    if data.startswith(b"BM") and by_name == "image":
        return "image"
    return None


def _textual_format(data: bytes, by_name: str) -> str:
    sample = data[:_TEXT_SNIFF_BYTES]
    if _is_mhtml(sample):
        return "html"
    text, _ = decode_text(sample, partial=True)
    if text is None:
        # binary but no known signature: a damaged file; its name picks the reader that can say so
        return by_name if by_name in ("pdf", "docx", "doc") else "unknown"
    lowered = text[:_HTML_SNIFF_CHARS].lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith("<?xml") and "<w:worddocument" in text[:_TEXT_SNIFF_BYTES].lower():
        return "doc"  # Word 2003 XML: LibreOffice converts it
    if any(marker in lowered for marker in _HTML_MARKERS) and (
        lowered.startswith("<") or by_name == "html" or "<html" in lowered
    ):
        return "text" if _markdown_with_html(lowered, text, data) else "html"
    return "text"


# headings, bold lines, pipe rows, images; pandoc's table rules and escaped list numbers
_MARKDOWN_LINE = re.compile(r"^(?:#{1,6} |\*\*\S|\|.*\|\s*$|!\[| *-{3,}(?: +-{3,})+ *$|\+[-=:+]{3,}\+ *$|\d{1,3}\\\. )",
                            re.MULTILINE)
_PAGE_TAGS = ("<!doctype", "<html", "<head", "<body")


def _markdown_with_html(lowered: str, text: str, data: bytes) -> bool:
    """Markdown holding HTML fragments (pandoc gfm writes a table with paragraphs in its cells as raw
    HTML, and a saved page's markup it cannot express as raw HTML): no page around them, and markdown
    headings, bold lines, pipe rows or images of its own, looked for in the whole text when the first
    part is all markup (a page's menus and banners before the document)."""
    if any(tag in lowered for tag in _PAGE_TAGS):
        return False
    if len(_MARKDOWN_LINE.findall(text)) >= 3:
        return True
    if len(data) <= _TEXT_SNIFF_BYTES:  # (the sample was the whole text)
        return False
    whole, _ = decode_text(data)
    return whole is not None and len(_MARKDOWN_LINE.findall(whole)) >= 3


def _is_mhtml(sample: bytes) -> bool:
    head = sample[:2048].lower()
    return b"mime-version:" in head and b"multipart/related" in head


# ---------------------------------------------------------------- text decoding


def decode_text(data: bytes, partial: bool = False, declared: str | None = None) -> tuple[str | None, list[ReaderIssue]]:
    """Plain-text bytes -> (text, issues) through the one decoder (normalizers.decoding); (None, [])
    for bytes that are not text. `partial` allows a sample cut inside a multi-byte character;
    `declared` is the charset a web page names."""
    decoded = decode_bytes(data, partial, declared)
    return decoded.text, [ReaderIssue(i.code, i.message) for i in decoded.issues]
