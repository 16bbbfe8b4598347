"""OCR glyph-confusion repairs (confusions.yaml) and the row-number recheck's pure parts."""

from __future__ import annotations

import numpy as np
import pytest

from plantasks.parsers.ocr.layout import Reading
from plantasks.parsers.ocr.page import drop_noise
from plantasks.parsers.ocr.recheck import doubtful, is_row_number, reading_of, stack_crops
from plantasks.parsers.ocr.repair import ROMAN, confusions, repair_row_number, repair_text
from plantasks.parsers.ocr.tesseract import Word


def test_rules_file_is_consistent():
    rules = confusions()
    assert all(ROMAN.fullmatch(v) for v in rules.roman_glyphs.values())
    assert not set(rules.roman_glyphs) & set("IVX")
    keys = list(rules.characters)
    assert all(keys.index(k[0]) > keys.index(k) for k in keys if len(k) > 1 and k[0] in keys)  # longer first


@pytest.mark.parametrize("read, meant", [
    ("Ðơn vị sự nghiệp", "Đơn vị sự nghiệp"),  # the Icelandic eth for Đ
    ("các phòng, ban, ÐĐVSN trực thuộc", "các phòng, ban, ĐVSN trực thuộc"),  # one Đ read twice
    ("Đoàn ĐĐBQH tỉnh", "Đoàn ĐĐBQH tỉnh"),  # a real double Đ stays
])
def test_eth_read_for_d_with_stroke(read, meant):
    assert repair_text(read) == meant


@pytest.mark.parametrize("read, meant", [
    ("H", "II"), ("HI", "III"), ("IH", "III"), ("1V", "IV"), ("l", "I"), ("V1", "VI"), ("IV.", "IV."),
])
def test_row_numbers_read_as_confusable_glyphs(read, meant):
    assert repair_row_number(read) == meant


@pytest.mark.parametrize("text", ["11", "1", "12", "TT", "", "a)", "Sở", "Hìi"])
def test_row_numbers_left_alone(text):
    assert repair_row_number(text) == text


@pytest.mark.parametrize("read, meant", [
    ("Quý 1V/2024", "Quý IV/2024"),
    ("Quý 11/2024", "Quý II/2024"),
    ("quý II1/2024", "quý III/2024"),
    ("Chậm nhất trong Quý 12024", "Chậm nhất trong Quý I/2024"),  # slash lost
    ("Quý 112024", "Quý II/2024"),
    ("Quý I⁄2024", "Quý I/2024"),
    ("trong Quý 1V, năm 2024", "trong Quý IV, năm 2024"),
    ("~ Tổ chức thực hiện", "- Tổ chức thực hiện"),
    ("~- Kế hoạch", "- Kế hoạch"),
    ("Quý\n1V/2024", "Quý\nIV/2024"),  # cut by a line break in the cell
    ("~ Tố chức\n~- Kế hoạch kiếm tra", "- Tổ chức\n- Kế hoạch kiểm tra"),
    # marks misread, checked against the lexicon (test_ocr_lexicon.py has more)
    ("Tố chức triến khai thực hiện", "Tổ chức triển khai thực hiện"),
    ("sửa đối, bố sung", "sửa đổi, bổ sung"),
    ("Quý 1v/2024", "Quý IV/2024"),
    # specks
    ("“Thường xuyên", "Thường xuyên"),
    ("| Tháng 01/2024", "Tháng 01/2024"),
    ("Báo cáo. kết quả thực hiện", "Báo cáo kết quả thực hiện"),
    ("Quyết định của cơ quan có thấm quyền.", "Quyết định của cơ quan có thẩm quyền."),
    ("các văn bản triến khai,thực hiện", "các văn bản triển khai, thực hiện"),  # the space after a comma
    ("quyết định của _UBND tỉnh", "quyết định của UBND tỉnh"),
    ("thuộc thẩm quyền giải quyết của -UBND xã Hòa Ninh", "thuộc thẩm quyền giải quyết của UBND xã Hòa Ninh"),
    # a spaced dash of a range read without its spaces; a quote speck at a line's edge
    ("Từ 8 giờ 30 phút-10 giờ ngày 12 tháng 6", "Từ 8 giờ 30 phút - 10 giờ ngày 12 tháng 6"),
    ("Phiên họp tháng 9/2025'", "Phiên họp tháng 9/2025"),
    ("Quý III/2026’\nSở Tư pháp`", "Quý III/2026\nSở Tư pháp"),
    ("ỦY BAN NHÂN\nDÂN _\nTỈNH LÂM ĐỒNG", "ỦY BAN NHÂN\nDÂN\nTỈNH LÂM ĐỒNG"),  # a speck at a letterhead line's end
])
def test_line_repairs(read, meant):
    assert repair_text(read) == meant


@pytest.mark.parametrize("text", [
    "Quý 1/2024",  # an Arabic quarter is valid as printed
    "Quý 4/2024",
    "Quý 120245",
    "Thường xuyên",
    "Nghị định 11/2024/NĐ-CP",
    "_ tra, rà soát",  # a lone underscore is not a bullet
    "hàng quý và hằng năm",  # both spellings are words
    "hàng quý",
    "“Kế hoạch” của tỉnh",  # a real quote
    "v.v. các văn bản",
    "Thường xuyên. - Báo cáo",
    "Năm 2024. Các sở",
    "tố cáo, khiếu nại",  # a real word that only looks like a misread one
    "Sở Nội vụ, Sở Tư pháp",
    "tỷ lệ 1,5 lần; 2,3 triệu đồng",  # a decimal comma keeps no space
    "-UBND xã phối hợp",  # a dash opening a line is a bullet
    "Số 12/QĐ -UBND; Sở Lao động -Thương binh; giai đoạn 2021 -2025",  # a dash between codes, names, years
    "Nghị quyết 01/NQ-CP; phòng, chống Covid-19; tỷ lệ 95%-100%",  # dashes of codes and names stay
    "“Kế hoạch chuyển đổi số\nnăm 2025”",  # a quote closed on a later line
    "Báo cáo 'Quý I'",
])
def test_lines_left_alone(text):
    assert repair_text(text) == text


def test_what_is_a_row_number():
    assert all(is_row_number(t) for t in ["1", "12", "IV", "VII.", "TT", "STT", "3."])
    assert not any(is_row_number(t) for t in ["", "1r", "KT.", "Hii", "a)", "S7"])
    assert doubtful(Reading("7", 0.5)) and doubtful(Reading("T", 0.99)) and doubtful(Reading("", 1.0))
    assert not doubtful(Reading("7", 0.97))


def test_stacked_crops_keep_their_order_and_spans():
    crops = [np.zeros((10, 20), dtype=np.uint8), np.zeros((6, 30), dtype=np.uint8)]
    stack, spans = stack_crops(crops, 2.0, gap=8)
    assert stack.shape == (20 + 12 + 3 * 8, 60 + 16)
    assert spans == [(4, 32), (32, 52)]
    assert (stack[8:28, 8:48] == 0).all() and (stack[36:48, 8:68] == 0).all()
    assert (stack[:8] == 255).all()


def test_reading_of_joins_and_repairs_the_words():
    words = [Word("I", 90.0, (30, 0, 40, 20), (1, 1, 1)), Word("H", 70.0, (10, 0, 28, 20), (1, 1, 1))]
    assert reading_of(words) == Reading("III", 0.8)
    assert reading_of([Word("Sở", 95.0, (0, 0, 20, 20), (1, 1, 1))]) is None
    assert reading_of([]) is None


def test_an_underscore_taller_than_wide_is_a_line_remnant():
    """What an erased vertical ruling leaves is read as '_': dropped; a blank to fill is kept."""
    remnant = Word("_", 75.0, (1090, 595, 1099, 626), (1, 1, 1))
    blank = Word("____", 80.0, (300, 600, 360, 604), (1, 1, 1))
    assert drop_noise([remnant, blank]) == [blank]


def test_a_mark_of_a_few_pixels_is_a_speck_however_sure_tesseract_is():
    """Scanner grain at a line's end read as '-' or ':' with high confidence is dropped; a printed
    dash, a full stop or a bullet, several times that size next to the letters, is kept."""
    line = (1, 1, 1)
    letters = [Word(t, 96.0, (x, 100, x + 60, 128), line) for x, t in ((0, "Luật"), (70, "Xuất"), (300, "cảnh,"))]
    grain_dash = Word("-", 89.0, (140, 113, 142, 115), line)
    grain_colon = Word(":", 93.0, (150, 140, 151, 141), (1, 1, 2))
    dash = Word("-", 93.0, (200, 112, 209, 115), line)
    stop = Word(".", 90.0, (220, 123, 224, 128), line)
    kept = drop_noise([*letters, grain_dash, grain_colon, dash, stop])
    assert kept == [*letters, dash, stop]
