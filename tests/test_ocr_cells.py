"""Table cells whose lines do not share baselines across columns (scan_conditions.py: a Word table with
cells centred vertically, narrow agency and time columns): every cell must read as printed, and the
page must give exactly its three tasks with their agencies and times."""

from __future__ import annotations

import json

import pytest

from plantasks.parsers.blocks import TableRow
from plantasks.parsers.ocr import ocr_pdf
from plantasks.parsers.read import ReadOptions
from plantasks.pipeline.cli import main
from ocr_support import require_tesseract
from scan_conditions import CENTRED_EXPECTED, FONT, draw_centred_table_page, to_pdf

DPI = 200

EXPECTED_TASKS = [
    ("1", "Tổ chức đối thoại trực tuyến giữa lãnh đạo tỉnh với người dân, doanh nghiệp về thủ tục hành chính",
     ["Sở Nội vụ"], ["Văn phòng Ủy ban nhân dân tỉnh", "Sở Tư pháp"],
     "Từ 20 giờ 15 phút đến 20 giờ 45 phút ngày 12 tháng 3"),
    ("2", "Rà soát, công bố danh mục thủ tục hành chính tiếp nhận trực tuyến toàn trình",
     ["Trung tâm Phục vụ hành chính công tỉnh"], ["Các sở, ban, ngành cấp tỉnh"], "Tháng 6/2026"),
    ("3", "Kiểm tra việc thực hiện quy chế một cửa tại các xã, phường",
     ["Thanh tra tỉnh"], ["Công an tỉnh", "Sở Nội vụ"], "Trước ngày 30 tháng 9 năm 2026"),
]


@pytest.fixture(scope="module")
def scan() -> bytes:
    require_tesseract()
    if FONT is None:
        pytest.skip("no TrueType font with Vietnamese glyphs (fonts-dejavu-core)")
    return to_pdf(draw_centred_table_page(DPI), DPI, jpeg_quality=85)


def test_cells_centred_at_different_heights_read_as_printed(scan):
    doc = ocr_pdf(scan, [1], ReadOptions(ocr_workers=1))
    rows = [block.texts for block in doc.blocks if isinstance(block, TableRow)]
    assert rows == CENTRED_EXPECTED


def test_cells_shared_out_among_threads_read_the_same(scan):
    """With several OCR threads one page's cells are read in shares by each thread's own engine."""
    doc = ocr_pdf(scan, [1], ReadOptions(ocr_workers=3))
    rows = [block.texts for block in doc.blocks if isinstance(block, TableRow)]
    assert rows == CENTRED_EXPECTED


def test_the_tesseract_command_reads_the_cells_alike(scan, monkeypatch):
    """Without the Tesseract library the cells are read from one stacked image by the command."""
    monkeypatch.setenv("PLANTASKS_OCR_ENGINE", "cli")
    doc = ocr_pdf(scan, [1], ReadOptions(ocr_workers=1))
    rows = [block.texts for block in doc.blocks if isinstance(block, TableRow)]
    assert rows == CENTRED_EXPECTED


def test_cells_centred_at_different_heights_give_the_printed_tasks(scan, tmp_path):
    (tmp_path / "centred.pdf").write_bytes(scan)
    assert main(["extract", str(tmp_path / "centred.pdf"), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    doc = json.loads((tmp_path / "out" / "centred.pdf.json").read_text(encoding="utf-8"))
    tasks = [
        (t["stt"], t["content"], [a["name"] for a in t["lead"]], [a["name"] for a in t["support"]], t["deadline"]["raw"])
        for t in doc["tasks"]
    ]
    assert tasks == EXPECTED_TASKS
    assert {t["section"] for t in doc["tasks"]} == {"Công tác tuyên truyền, đối thoại"}
