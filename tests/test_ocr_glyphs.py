"""Readings checked against the glyphs (parsers/ocr/glyphs.py): invented lines ("Quý II/2024", a word
without the comma Tesseract adds) drawn in a serif face at scan resolutions, given its misreadings."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from plantasks.parsers.ocr.glyphs import (checked_against_glyphs, follows, numeral_text, recount_quarter_numerals,
                                         stems_and_stop)
from plantasks.parsers.ocr.tesseract import Word
from scan_conditions import FONT

BOLD = FONT.replace("Serif.ttf", "Serif-Bold.ttf") if FONT and FONT.endswith("DejaVuSerif.ttf") else FONT
INK = 128


def drawn_line(words: list[str], dpi: int, font_path: str, blur: float = 0.6) -> tuple[np.ndarray, list[tuple]]:
    """A line of words at 13 pt, slightly blurred like a scan; each word's ink box (x0, y0, x1, y1)."""
    font = ImageFont.truetype(font_path, round(13 / 72 * dpi))
    image = Image.new("L", (round(4 * dpi), round(0.5 * dpi)), 255)
    draw = ImageDraw.Draw(image)
    x, boxes = round(0.1 * dpi), []
    for word in words:
        draw.text((x, round(0.1 * dpi)), word, font=font, fill=0)
        boxes.append(draw.textbbox((x, round(0.1 * dpi)), word, font=font))
        x = boxes[-1][2] + round(0.06 * dpi)
    return np.asarray(image.filter(ImageFilter.GaussianBlur(blur))), boxes


def words_of(texts: list[str], boxes: list[tuple]) -> list[Word]:
    return [Word(t, 60.0, tuple(int(v) for v in b), (1, 1, 1)) for t, b in zip(texts, boxes)]


@pytest.mark.skipif(FONT is None, reason="no TrueType font with Vietnamese glyphs (fonts-dejavu-core)")
@pytest.mark.parametrize("dpi", [150, 200, 300])
@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize("printed, read", [
    ("I/2024", "1/2024"),  # the same quarter: the reading is kept
    ("II/2024", "I/2024"),
    ("II/2024", "1/2024"),
    ("III/2024", "II/2024"),
    ("III/2024", "IIL2024"),  # the last stem ran into the slash
    ("IV/2024", "I1V/2024"),
    ("II,", "I,"),
    ("III", "11"),
])
def test_misread_numerals_take_the_count_of_their_stems(dpi, bold, printed, read):
    gray, boxes = drawn_line(["Quý", printed], dpi, BOLD if bold else FONT)
    fixed = recount_quarter_numerals(gray, words_of(["Quý", read], boxes), INK)
    expected = read if printed == "I/2024" else printed
    assert [w.text for w in fixed] == ["Quý", expected]


@pytest.mark.skipif(FONT is None, reason="no TrueType font with Vietnamese glyphs (fonts-dejavu-core)")
def test_only_the_word_after_a_quarter_word_is_counted():
    gray, boxes = drawn_line(["Tháng", "II/2024", "số", "II"], 150, FONT)
    words = words_of(["Tháng", "I/2024", "số", "I"], boxes)
    assert recount_quarter_numerals(gray, words, INK) == words


@pytest.mark.skipif(FONT is None, reason="no TrueType font with Vietnamese glyphs (fonts-dejavu-core)")
def test_digits_and_v_stop_the_count():
    gray, boxes = drawn_line(["2/2024", "V/2024", "IV"], 200, FONT)
    assert [stems_and_stop(gray, box, INK) for box in boxes] == [0, 0, 1]


def test_strokes_too_small_or_merged_are_not_counted():
    tiny = np.full((6, 12), 255, dtype=np.uint8)
    tiny[:, 2] = 0
    assert stems_and_stop(tiny, (0, 0, 12, 6), INK) is None
    blob = np.full((20, 30), 255, dtype=np.uint8)
    blob[2:18, 2:14] = 0  # one solid block, not stems
    assert stems_and_stop(blob, (0, 0, 30, 20), INK) is None


@pytest.mark.parametrize("read, stems, meant", [
    ("I/2024", 2, "II/2024"),
    ("1/2024", 1, "1/2024"),
    ("11/2024", 2, "11/2024"),  # agrees once glyphs are mapped; the text repair writes II
    ("IIL2024", 3, "III/2024"),
    ("I1V/2024", 1, "IV/2024"),
    ("I/2024", None, "I/2024"),
    ("I/2024", 0, "I/2024"),
    ("I/2024", 4, "I/2024"),  # no quarter has four stems
    ("2/2024", 2, "2/2024"),
    ("hàng", 1, "hàng"),
])
def test_numeral_text(read, stems, meant):
    assert numeral_text(read, stems) == meant


@pytest.mark.skipif(FONT is None, reason="no TrueType font with Vietnamese glyphs (fonts-dejavu-core)")
@pytest.mark.parametrize("dpi", [150, 300])
@pytest.mark.parametrize("printed, read, confidence, meant", [
    ("chống", "chống,", 79.0, "chống"),  # a comma read after the g of a line end
    ("ISO", "ISO.", 65.0, "ISO"),
    ("Lao", "Lao.", 72.0, "Lao"),
    ("chống,", "chống,", 79.0, "chống,"),  # printed: kept
    ("ương.", "ương.", 86.0, "ương."),
    ("kiệm,", "kiệm,", 70.0, "kiệm,"),
    ("trong", "trong,", 96.0, "trong"),
    ("cấp;", "cấp,", 93.0, "cấp,"),  # a semicolon read as a comma: its dot stands apart, kept
    ("chống", "chống,", 98.0, "chống,"),  # read confidently: kept whatever the ink
])
def test_closing_marks_that_no_ink_shows_are_dropped(dpi, printed, read, confidence, meant):
    gray, boxes = drawn_line([printed], dpi, FONT)
    [word] = checked_against_glyphs(gray, [Word(read, confidence, tuple(int(v) for v in boxes[0]), (1, 1, 1))], INK)
    assert word.text == meant


def test_a_numeral_wrapped_to_the_next_line_is_counted_but_not_a_row_number_far_left():
    quarter = Word("Quý", 90.0, (1360, 400, 1391, 420), (1, 1, 1))  # the last word of its line
    assert follows(quarter, Word("IV/2024", 50.0, (1312, 424, 1380, 440), (1, 1, 2)))  # first on the next
    assert not follows(quarter, Word("1", 90.0, (160, 424, 170, 440), (1, 1, 2)))  # the table's TT column
    assert follows(quarter, Word("II/2024", 50.0, (1398, 401, 1458, 418), (1, 1, 1)))
    assert not follows(quarter, Word("II/2024", 50.0, (1498, 401, 1558, 418), (1, 1, 1)))  # another column
