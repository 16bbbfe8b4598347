"""HTML reader: portal furniture dropped, tables with rowspan/colspan, line breaks, encodings, MHTML."""

from __future__ import annotations

from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
import unicodedata
from pathlib import Path

import pytest

from plantasks.parsers.blocks import ReaderError, TableRow, TextLine
from plantasks.parsers.read import read_document

PORTAL = Path(__file__).parent / "fixtures" / "html" / "portal_page.html"


def _rows(parsed) -> list[list[str]]:
    return [b.texts for b in parsed.blocks if isinstance(b, TableRow)]


def _lines(parsed) -> list[str]:
    return [b.text for b in parsed.blocks if isinstance(b, TextLine)]


@pytest.fixture(scope="module")
def portal():
    return read_document(PORTAL.read_bytes(), "portal_page.html")


def test_portal_furniture_is_dropped_and_text_kept_in_order(portal):
    assert portal.format == "html"
    assert _lines(portal) == [
        "KẾ HOẠCH",
        "Cải cách hành chính năm 2024",
        "Căn cứ Nghị quyết số 76/NQ-CP",
        "ngày 15/7/2021 của Chính phủ;",
        "PHỤ LỤC SỐ 01",
        "Nơi nhận:",
    ]
    everything = " ".join(_lines(portal) + [c for row in _rows(portal) for c in row])
    for furniture in ("Trang chủ", "Giới thiệu", "Tin liên quan", "Liên kết", "Tìm kiếm", "Bản quyền", "tracking"):
        assert furniture not in everything


def test_table_rows_with_spans_and_breaks(portal):
    assert _rows(portal) == [
        ["TT", "Nội dung", "Sản phẩm", "Chủ trì", "Thời gian"],
        ["I", "CẢI CÁCH THỂ CHẾ", "", "", ""],
        ["1", "Rà soát văn bản", "Báo cáo\nKế hoạch", "Sở Tư pháp", "Quý I/2024"],
        ["2", "Kiểm tra văn bản\ntheo quy định", "- Báo cáo\n- Thông báo", "Sở Tư pháp", "Quý II/2024"],
        ["3", "Công bố", "1. Quyết định\n2. Danh mục", "Sở Nội vụ", ""],
    ]


def test_provenance_is_source_lines(portal):
    first = portal.blocks[0]
    assert (first.prov.line_start, first.prov.page, first.prov.bbox) == (14, None, None)
    two_lines = portal.blocks[1]
    assert (two_lines.prov.line_start, two_lines.prov.line_end) == (15, 16)
    rows = [b for b in portal.blocks if isinstance(b, TableRow)]
    assert [r.prov.line_start for r in rows] == [21, 24, 25, 26, 27]
    assert rows[3].cells[3].prov.line_start == 25  # the rowspan cell points where it is written


def test_rowspan_over_a_middle_column_and_ragged_rows():
    html = """<table>
    <tr><td rowspan="3">A</td><td>b1</td><td rowspan="2">C</td></tr>
    <tr><td>b2</td></tr>
    <tr><td>b3</td><td>c3</td><td>extra</td></tr>
    </table>""".encode()
    assert _rows(read_document(html, "t.html")) == [
        ["A", "b1", "C", ""],
        ["A", "b2", "C", ""],
        ["A", "b3", "c3", "extra"],
    ]


def test_layout_table_is_text_flow_and_its_inner_table_is_data():
    html = """<html><body><table><tr><td>
      <p>ỦY BAN NHÂN DÂN</p>
      <table border=1><tr><th>TT</th><th>Nội dung</th></tr><tr><td>1</td><td>Việc một</td></tr></table>
    </td><td>Cột phải</td></tr></table></body></html>""".encode()
    parsed = read_document(html, "layout.html")
    kinds = [(type(b).__name__, getattr(b, "text", None) or b.texts) for b in parsed.blocks]
    assert kinds == [
        ("TextLine", "ỦY BAN NHÂN DÂN"),
        ("TableRow", ["TT", "Nội dung"]),
        ("TableRow", ["1", "Việc một"]),
        ("TextLine", "Cột phải"),
    ]


def test_a_table_caption_is_the_text_before_its_rows():
    html = """<html><body><p>KẾ HOẠCH</p><table border=1><caption>PHỤ LỤC<br>Nhiệm vụ năm 2031</caption>
      <tr><th>TT</th><th>Nội dung</th></tr><tr><td>1</td><td>Việc một</td></tr></table></body></html>""".encode()
    parsed = read_document(html, "caption.html")
    kinds = [(type(b).__name__, getattr(b, "text", None) or b.texts) for b in parsed.blocks]
    assert kinds == [("TextLine", "KẾ HOẠCH"), ("TextLine", "PHỤ LỤC"), ("TextLine", "Nhiệm vụ năm 2031"),
                     ("TableRow", ["TT", "Nội dung"]), ("TableRow", ["1", "Việc một"])]


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """Windows-1258 spells Vietnamese with a base letter plus a combining tone mark."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
        out.append(base + "".join(p for p in parts if p in _TONES))
    return "".join(out).encode("cp1258")


def test_declared_windows_1258_page():
    html = '<html><head><meta charset="windows-1258"></head><body><p>Kế hoạch năm</p></body></html>'
    parsed = read_document(_cp1258(html), "old.htm")
    assert _lines(parsed) == ["Kế hoạch năm"]
    assert parsed.issues == []


def test_undeclared_legacy_encoding_is_guessed_and_said():
    html = _cp1258("<html><body><p>Kế hoạch cải cách</p></body></html>")
    parsed = read_document(html, "old.html")
    assert _lines(parsed) == ["Kế hoạch cải cách"]
    assert [i.code for i in parsed.issues] == ["encoding_guess"]


def test_mhtml_web_archive():
    archive = MIMEMultipart("related")
    archive.attach(MIMEText("<html><body><p>Kế hoạch số 5</p><table><tr><td>1</td><td>Việc</td></tr></table></body></html>",
                            "html", "utf-8"))
    parsed = read_document(archive.as_bytes(), "page.mht")
    assert parsed.format == "html"
    assert _lines(parsed) == ["Kế hoạch số 5"]
    assert _rows(parsed) == [["1", "Việc"]]


def test_page_with_nothing_but_furniture_is_no_text():
    html = b"<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>"
    with pytest.raises(ReaderError) as err:
        read_document(html, "empty.html")
    assert err.value.code == "no_text"


def test_document_heading_named_header_is_kept_but_the_portal_banner_is_not():
    html = """<html><body>
    <header><a href="/">Cổng thông tin</a></header>
    <div class="header-vanban">ỦY BAN NHÂN DÂN TỈNH HÀ NAM. Số: 12/KH-UBND. Hà Nam, ngày 05 tháng 01 năm 2024</div>
    <article><header><h1>KẾ HOẠCH cải cách hành chính</h1></header><p>Nội dung.</p></article>
    </body></html>""".encode()
    parsed = read_document(html, "page.html")
    assert _lines(parsed) == [
        "ỦY BAN NHÂN DÂN TỈNH HÀ NAM. Số: 12/KH-UBND. Hà Nam, ngày 05 tháng 01 năm 2024",
        "KẾ HOẠCH cải cách hành chính",
        "Nội dung.",
    ]
