"""Bands of a page whose text stands at mixed heights are found in the ink, without reading it: a
table row whose cells are centred at heights of their own is cut into its cells; a line of text, a
paragraph and two blocks side by side (issuer beside motto) are left to the page pass."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from plantasks.parsers.ocr.strips import mixed_bands
from scan_conditions import FONT

DPI = 200


def ink_of(draw_on) -> np.ndarray:
    if FONT is None:
        pytest.skip("no TrueType font with Vietnamese glyphs (fonts-dejavu-core)")
    page = Image.new("L", (round(8.27 * DPI), round(3 * DPI)), 255)
    font = ImageFont.truetype(FONT, round(0.15 * DPI))
    draw_on(ImageDraw.Draw(page), font)
    return np.asarray(page) < 128


def lines(draw, font, x_in: float, texts: list[str], top_in: float) -> None:
    for i, text in enumerate(texts):
        draw.text((round(x_in * DPI), round((top_in + 0.22 * i) * DPI)), text, font=font, fill=0)


def test_a_row_of_cells_centred_at_their_own_heights_is_cut_into_its_cells():
    def row(draw, font):
        lines(draw, font, 0.5, ["1"], 0.83)
        lines(draw, font, 1.0, ["Xây dựng kế hoạch số hóa", "hồ sơ lưu trữ của các cơ", "quan hành chính cấp tỉnh",
                                "trong năm 2026"], 0.5)
        lines(draw, font, 4.0, ["Sở Nội vụ"], 0.83)
        lines(draw, font, 5.6, ["Văn phòng UBND", "tỉnh, Sở Tài chính"], 0.72)

    [band] = mixed_bands(ink_of(row), DPI)  # the lines where the number and the agencies stand
    assert round(band.box[1] / DPI, 1) == 0.7
    assert {round(x0 / DPI, 1) for x0, _, _, _ in band.blocks} >= {0.5, 4.0, 5.6}
    cell_edges = [round(x * DPI) for x in (0.9, 3.9, 5.5)]  # no block holds text of two cells
    assert not any(x0 < edge < x1 for x0, _, x1, _ in band.blocks for edge in cell_edges)


@pytest.mark.parametrize("texts", [
    [(0.5, ["Điều 3. Nghị quyết này có hiệu lực thi hành từ ngày ký."])],
    [(0.5, ["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02", "năm 2025; Căn cứ Nghị quyết số 12"])],
    [(0.5, ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"]), (4.0, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                     "Độc lập - Tự do - Hạnh phúc"])],
    [(0.5, ["TT"]), (1.0, ["Nội dung"]), (4.0, ["Chủ trì"]), (5.6, ["Thời gian"])],
])
def test_text_whose_lines_the_page_pass_reads_well_is_left_alone(texts):
    def text(draw, font):
        for x_in, block in texts:
            lines(draw, font, x_in, block, 0.5)

    assert mixed_bands(ink_of(text), DPI) == []
