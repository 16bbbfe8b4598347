"""OCR on real scans cut from sample plans (tests/fixtures/scan/), and the reader's errors.

table-page-section-row.pdf: one 150-dpi landscape page, a task table continued from the previous
page (first row: empty TT), a Roman-numbered section row spanning five columns, 13 physical rows.
decision-page-1bit.png: a decision's first page as a 1-bit PNG, body text only.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from rapidfuzz import fuzz

from plantasks.parsers.blocks import ReaderError, TableRow, TextLine
from plantasks.parsers.ocr import ocr_pdf, ocr_pdf_pages, read_image
from plantasks.parsers.ocr import tesseract as tesseract_module

from plantasks.parsers.read import ReadOptions
from ocr_support import needs_tesseract, require_tesseract

SCANS = Path(__file__).parent / "fixtures" / "scan"


@pytest.fixture(scope="module")
def table_page():
    require_tesseract()
    data = (SCANS / "table-page-section-row.pdf").read_bytes()
    return ocr_pdf(data, [1], ReadOptions())


@needs_tesseract
def test_scanned_table_page_rows_and_columns(table_page):
    rows = [b for b in table_page.blocks if isinstance(b, TableRow)]
    assert len(rows) == 13
    assert {len(r.cells) for r in rows} == {6}
    header = rows[0].texts
    assert header[1:5] == ["Nội dung nhiệm vụ", "Sản phẩm, kết quả", "Cơ quan chủ trì", "Cơ quan phối hợp"]
    assert [r.cells[0].text for r in rows[1:]] == ["", "2", "3", "4", "5", "IV", "1", "2", "3", "4", "5", "6"]


def similar(a: str, b: str) -> bool:
    """OCR of a 150-dpi scan: a diacritic may be misread (TỔ -> TÔ), the words must be there."""
    return fuzz.ratio(a, b) >= 90


@needs_tesseract
def test_scanned_table_page_key_words(table_page):
    rows = [b.texts for b in table_page.blocks if isinstance(b, TableRow)]
    section = rows[6]
    assert similar(section[1], "CẢI CÁCH TỔ CHỨC BỘ MÁY") and section[2:] == ["", "", "", ""]
    assert rows[2][1].startswith("Công bố, công khai TTHC, quy định liên quan TTHC")
    assert rows[1][1:] == ["tỉnh", "", "tỉnh", "UBND các huyện, thành phố", ""]  # continued row, lines joined
    assert similar(rows[3][5], "- Kế hoạch ban hành trong tháng 01/2024\n- Báo cáo kết quả rà soát, đánh giá, trong quý IV/2024")
    assert rows[3][5].count("\n") == 1  # two bulleted items, each joined from its wrapped lines
    assert [rows[i][5] for i in (9, 11, 12)] == ["Quý II/2024", "Quý IV/2024", "Quý IV/2024"]
    assert rows[10][3] == "Thanh tra tỉnh" and rows[8][3] == "UBND thành phố Thái Bình"


@needs_tesseract
def test_scanned_page_provenance_in_pdf_points(table_page):
    rows = [b for b in table_page.blocks if isinstance(b, TableRow)]
    for row in rows:
        x0, top, x1, bottom = row.prov.bbox
        assert row.prov.page == 1
        assert 0 <= x0 < x1 <= 792 and 0 <= top < bottom <= 612  # landscape letter page
    tops = [r.prov.bbox[1] for r in rows]
    assert tops == sorted(tops)
    assert all(0.0 <= c.confidence <= 1.0 for r in rows for c in r.cells)
    assert table_page.issues == []


@needs_tesseract
def test_ocr_pdf_pages_returns_the_same_blocks(table_page):
    data = (SCANS / "table-page-section-row.pdf").read_bytes()
    assert ocr_pdf_pages(data, [1], ReadOptions(ocr_workers=1)) == table_page.blocks


@needs_tesseract
def test_scanned_decision_page_as_image():
    doc = read_image((SCANS / "decision-page-1bit.png").read_bytes(), ReadOptions())
    lines = [b.text for b in doc.blocks if isinstance(b, TextLine)]
    assert lines[0] == "QUYẾT ĐỊNH"
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA" in lines
    assert any(line.startswith("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch") for line in lines)
    assert not any(isinstance(b, TableRow) for b in doc.blocks)
    assert doc.page_count == 1 and doc.format == "image"


def test_missing_tesseract_is_a_clear_reader_error(monkeypatch):
    monkeypatch.setattr(tesseract_module.shutil, "which", lambda name: None)
    with pytest.raises(ReaderError) as err:
        read_image((SCANS / "decision-page-1bit.png").read_bytes(), ReadOptions())
    assert err.value.code == "ocr_unavailable"
    assert "tesseract-ocr-vie" in err.value.message and "make setup" in err.value.message


def test_missing_vietnamese_model_is_a_clear_reader_error(monkeypatch):
    monkeypatch.setattr(tesseract_module.shutil, "which", lambda name: "/usr/bin/tesseract")
    monkeypatch.setattr(tesseract_module, "installed_languages", lambda binary: frozenset({"eng", "osd"}))
    with pytest.raises(ReaderError) as err:
        ocr_pdf_pages((SCANS / "table-page-section-row.pdf").read_bytes(), [1], ReadOptions())
    assert err.value.code == "ocr_unavailable" and "vie" in err.value.message


@needs_tesseract
def test_page_limits():
    data = (SCANS / "table-page-section-row.pdf").read_bytes()
    with pytest.raises(ReaderError) as err:
        ocr_pdf_pages(data, [1, 1, 1], ReadOptions(max_pages=2))
    assert err.value.code == "too_many_pages"
    frames = [Image.new("L", (200, 100), 255) for _ in range(3)]
    tiff = io.BytesIO()
    frames[0].save(tiff, "TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(ReaderError) as err:
        read_image(tiff.getvalue(), ReadOptions(max_pages=2))
    assert err.value.code == "too_many_pages"


@needs_tesseract
def test_page_outside_the_pdf_is_an_error():
    with pytest.raises(ReaderError) as err:
        ocr_pdf_pages((SCANS / "table-page-section-row.pdf").read_bytes(), [2], ReadOptions())
    assert err.value.code == "bad_page"


@needs_tesseract
def test_corrupt_image_is_an_error():
    with pytest.raises(ReaderError) as err:
        read_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, ReadOptions())
    assert err.value.code == "corrupt"


@needs_tesseract
def test_blank_page_is_reported_not_silently_empty():
    blank = io.BytesIO()
    Image.new("L", (1240, 1754), 255).save(blank, "PNG", dpi=(150, 150))
    doc = read_image(blank.getvalue(), ReadOptions())
    assert doc.blocks == []
    assert [i.code for i in doc.issues] == ["ocr_empty_page"]
