"""OCR on synthetic scans: Pillow draws a ruled table with Vietnamese text, the reader must return
exactly its grid and texts (merged cells included), also tilted, and a multi-page TIFF page by page."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from plantasks.parsers.blocks import TableRow, TextLine
from plantasks.parsers.ocr import read_image
from plantasks.parsers.read import ReadOptions
from ocr_support import needs_tesseract, require_tesseract

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
)
FONT = next((p for p in FONT_CANDIDATES if Path(p).exists()), None)

pytestmark = [
    needs_tesseract,
    pytest.mark.skipif(FONT is None, reason="no TrueType font with Vietnamese glyphs (fonts-dejavu-core)"),
]

DPI = 200
FONT_PX = 30  # about 11 pt at 200 dpi
LINE_PX = 40


@dataclass(frozen=True)
class Span:
    row: int
    col: int
    rows: int = 1
    cols: int = 1


# TT | Nội dung | Cơ quan chủ trì | Thời gian, with the shapes real plan tables have: a section row whose
# title spans the three right columns, a two-paragraph cell, an agency cell merged over two task rows.
XS = (150, 260, 900, 1250, 1560)
YS = (300, 360, 420, 540, 620)
TEXTS = {
    (0, 0): "TT", (0, 1): "Nội dung nhiệm vụ", (0, 2): "Cơ quan chủ trì", (0, 3): "Thời gian",
    (1, 0): "I", (1, 1): "Cải cách thể chế",
    (2, 0): "1", (2, 1): "- Rà soát văn bản pháp luật;\n- Báo cáo kết quả", (2, 2): "Sở Tư pháp", (2, 3): "Quý II/2024",
    (3, 0): "2", (3, 1): "Kiểm tra công tác văn thư", (3, 3): "Thường xuyên",
}
SPANS = (Span(1, 1, cols=3), Span(2, 2, rows=2))
EXPECTED_ROWS = [  # merged columns give "", a cell merged over rows repeats its text
    ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
    ["I", "Cải cách thể chế", "", ""],
    ["1", "- Rà soát văn bản pháp luật;\n- Báo cáo kết quả", "Sở Tư pháp", "Quý II/2024"],
    ["2", "Kiểm tra công tác văn thư", "Sở Tư pháp", "Thường xuyên"],
]
TITLE = "PHỤ LỤC SỐ 01"
FOOTER = "Nơi nhận:"


def span_at(row: int, col: int) -> Span:
    return next((s for s in SPANS if s.row <= row < s.row + s.rows and s.col <= col < s.col + s.cols), Span(row, col))


def draw_page(size=(1700, 900)) -> Image.Image:
    font = ImageFont.truetype(FONT, FONT_PX)
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    draw.text((XS[0], YS[0] - 100), TITLE, font=font, fill=0)
    draw.text((XS[0], YS[-1] + 80), FOOTER, font=font, fill=0)
    for row in range(len(YS) - 1):
        for col in range(len(XS) - 1):
            x0, x1, y0, y1 = XS[col], XS[col + 1], YS[row], YS[row + 1]
            span = span_at(row, col)
            if row == span.row:
                draw.line([(x0, y0), (x1, y0)], fill=0, width=2)
            if col == span.col:
                draw.line([(x0, y0), (x0, y1)], fill=0, width=2)
            for i, line in enumerate(TEXTS.get((row, col), "").split("\n")):
                draw.text((x0 + 12, y0 + 10 + i * LINE_PX), line, font=font, fill=0)
    draw.line([(XS[0], YS[-1]), (XS[-1], YS[-1])], fill=0, width=2)
    draw.line([(XS[-1], YS[0]), (XS[-1], YS[-1])], fill=0, width=2)
    return page


def encoded(images: list[Image.Image], fmt: str) -> bytes:
    out = io.BytesIO()
    images[0].save(out, fmt, save_all=len(images) > 1, append_images=images[1:], dpi=(DPI, DPI))
    return out.getvalue()


def rows_of(doc) -> list[list[str]]:
    return [b.texts for b in doc.blocks if isinstance(b, TableRow)]


@pytest.fixture(scope="module")
def page_doc():
    require_tesseract()
    return read_image(encoded([draw_page()], "PNG"), ReadOptions(ocr_workers=1))


def test_synthetic_table_cells_exactly(page_doc):
    assert rows_of(page_doc) == EXPECTED_ROWS


def test_text_around_the_table_in_reading_order(page_doc):
    kinds = [type(b).__name__ for b in page_doc.blocks]
    assert kinds == ["TextLine"] + ["TableRow"] * 4 + ["TextLine"]
    assert page_doc.blocks[0].text == TITLE
    assert page_doc.blocks[-1].text == FOOTER
    assert page_doc.format == "image" and page_doc.page_count == 1 and page_doc.issues == []


def test_cell_boxes_are_the_drawn_cells_in_pixels(page_doc):
    rows = [b for b in page_doc.blocks if isinstance(b, TableRow)]
    section = rows[1]
    assert section.cells[1].prov.bbox == pytest.approx((XS[1], YS[1], XS[4], YS[2]), abs=3)
    merged = rows[2].cells[2]
    assert merged.prov.bbox == pytest.approx((XS[2], YS[2], XS[3], YS[4]), abs=3)
    assert rows[3].cells[2].prov.bbox == merged.prov.bbox
    assert rows[0].prov.bbox == pytest.approx((XS[0], YS[0], XS[4], YS[1]), abs=3)
    assert all(b.prov.page == 1 for b in page_doc.blocks)


def test_confidences_are_word_means(page_doc):
    rows = [b for b in page_doc.blocks if isinstance(b, TableRow)]
    read = [c.confidence for r in rows for c in r.cells if c.text]
    assert all(0.5 < c <= 1.0 for c in read)
    assert rows[1].cells[2].confidence == 1.0  # empty (merged) cell


def test_tilted_scan_reads_the_same():
    tilted = draw_page().rotate(1.2, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    doc = read_image(encoded([tilted], "PNG"), ReadOptions(ocr_workers=1))
    assert rows_of(doc) == EXPECTED_ROWS


def test_multipage_tiff_gives_pages_in_order():
    second = Image.new("L", (1700, 900), 255)
    ImageDraw.Draw(second).text((150, 200), "Trang hai: Sở Nội vụ", font=ImageFont.truetype(FONT, FONT_PX), fill=0)
    doc = read_image(encoded([draw_page(), second], "TIFF"), ReadOptions(ocr_workers=2))
    assert doc.page_count == 2
    assert rows_of(doc) == EXPECTED_ROWS
    assert [b.prov.page for b in doc.blocks] == [1] * 6 + [2]
    assert doc.blocks[-1].text == "Trang hai: Sở Nội vụ"
