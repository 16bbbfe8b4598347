"""Format detection by content (name only breaks ties) and plain-text decoding."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from PIL import Image

from plantasks.parsers.detect import decode_text, detect_format
from samples import SAMPLES

FIXTURES = Path(__file__).parent / "fixtures"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (4, 4), 255).save(buffer, "PNG")
    return buffer.getvalue()


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, fmt)
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Kế hoạch")
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data, name, expected",
    [
        (b"%PDF-1.7\n...", "plan.docx", "pdf"),  # content wins over the name
        (b"\xef\xbb\xbf%PDF-1.4 after a BOM", "", "pdf"),
        (_png(), "scan.pdf", "image"),
        (_image("JPEG"), "", "image"),
        (_image("TIFF"), "", "image"),
        (_docx(), "plan.pdf", "docx"),
        (_docx(), "", "docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 64, "x.bin", "doc"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "table.xls", "unknown"),
        (b"{\\rtf1\\ansi Ke hoach}", "", "doc"),
        ("<!DOCTYPE html><html><body><p>Kế hoạch</p></body></html>".encode(), "", "html"),
        ("<table><tr><td>1</td></tr></table>".encode(), "page.txt", "html"),
        ("Kế hoạch <b>không</b> phải HTML khi có chữ trước".encode(), "", "text"),
        # markdown holding a raw HTML table (pandoc gfm of a Word file): markdown of its own, no page around it
        ("<table>\n<tr><td>Số: 1/KH</td></tr>\n</table>\n\n**KẾ HOẠCH**\n\n# Tiêu đề\n\n**I. MỤC ĐÍCH**\n".encode(),
         "plan.md", "text"),
        ("<!DOCTYPE html><html><body>\n**I.** x\n# a\n**II.** y\n</body></html>".encode(), "", "html"),
        ("Content-Type: multipart/related; boundary=x\r\nMIME-Version: 1.0\r\n".encode(), "", "html"),
        ("QUYẾT ĐỊNH\nBan hành kế hoạch".encode("utf-8"), "", "text"),
        ("QUYẾT ĐỊNH".encode("utf-16"), "", "text"),
        ("Kế hoạch".encode("utf-8-sig"), "", "text"),
        (b"\x00\x01\x02\x03binary" * 50, "", "unknown"),
        (b"\x00\x01\x02\x03binary" * 50, "broken.pdf", "pdf"),  # damaged: the PDF reader will say so
    ],
)
def test_detect_format(data, name, expected):
    assert detect_format(data, name) == expected


def test_zip_that_is_not_word_is_unknown_unless_named_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<x/>")
    assert detect_format(buffer.getvalue(), "book.xlsx") == "unknown"


def test_truncated_zip_named_docx_goes_to_the_docx_reader():
    data = (SAMPLES / "000_9ab0fe3c0e4fbaba.docx").read_bytes()
    assert detect_format(data[:1000], "plan.docx") == "docx"
    assert detect_format(data[:1000], "") == "unknown"


def test_sample_files_are_recognised():
    assert detect_format((FIXTURES / "pdf" / "ruled_plan.pdf").read_bytes(), "") == "pdf"
    assert detect_format((FIXTURES / "docx" / "legacy_plan.doc").read_bytes(), "") == "doc"
    assert detect_format((FIXTURES / "html" / "portal_page.html").read_bytes(), "") == "html"


@pytest.mark.parametrize(
    "data, text, issues",
    [
        ("Kế hoạch".encode("utf-8"), "Kế hoạch", []),
        ("Kế hoạch".encode("utf-8-sig"), "Kế hoạch", []),
        ("Kế hoạch".encode("utf-16"), "Kế hoạch", []),
        ("Kê hoach".encode("cp1258"), "Kê hoach", ["encoding_guess"]),
        (b"\x00\x01\x02\x03" * 40, None, []),
    ],
)
def test_decode_text(data, text, issues):
    decoded, found = decode_text(data)
    assert decoded == text
    assert [i.code for i in found] == issues
