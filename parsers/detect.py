"""Which reader a file needs, judged by its bytes; the file name only breaks ties.

`detect_format` answers one of FORMATS. `decode_text` turns the bytes of a plain-text file into a
str, saying (as ReaderIssues) when the encoding had to be guessed.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

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
    ".docx": "docx", ".docm": "docx", ".dotx": "docx",
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
        return "html"
    return "text"


def _is_mhtml(sample: bytes) -> bool:
    head = sample[:2048].lower()
    return b"mime-version:" in head and b"multipart/related" in head


# ---------------------------------------------------------------- text decoding


def decode_text(data: bytes, partial: bool = False) -> tuple[str | None, list[ReaderIssue]]:
    """Decode plain text: UTF-8 (BOM or not), UTF-16 with BOM, else cp1258/cp1252 (flagged).

    Returns (None, []) for bytes that are not text at all (binary). `partial` allows a sample
    cut in the middle of a multi-byte character.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _utf8(data[3:], partial), []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _utf16(data, partial), []
    text = _utf8(data, partial)
    if text is not None:
        return (text, []) if _looks_textual(text) else (None, [])
    if _looks_binary(data):
        return None, []
    for encoding in ("cp1258", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        issue = ReaderIssue(
            "encoding_guess",
            f"the text is not UTF-8; read it as {encoding}. If letters look wrong, save the file as UTF-8.",
        )
        return text, [issue]
    return data.decode("latin-1"), [ReaderIssue("encoding_guess", "unknown text encoding; read it as latin-1")]


def _utf8(data: bytes, partial: bool) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        if partial and err.start >= len(data) - 3:
            return data[: err.start].decode("utf-8", errors="strict")
        return None


def _utf16(data: bytes, partial: bool) -> str | None:
    body = data[: len(data) - (len(data) % 2)] if partial else data
    try:
        return body.decode("utf-16")
    except UnicodeDecodeError:
        return body.decode("utf-16", errors="replace") if partial else None


_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _looks_binary(data: bytes) -> bool:
    sample = data[:_TEXT_SNIFF_BYTES]
    if b"\x00" in sample:
        return True
    controls = len(_CONTROL_BYTES.findall(sample))
    return controls > len(sample) * 0.05


def _looks_textual(text: str) -> bool:
    sample = text[:_TEXT_SNIFF_BYTES]
    if "\x00" in sample:
        return False
    controls = len(_CONTROL_CHARS.findall(sample))
    return controls <= len(sample) * 0.05
