"""OCR geometry without Tesseract: ink, skew, ruling lines, table grids, word placement."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from plantasks.parsers.blocks import TableRow, TextLine
from plantasks.parsers.ocr.deskew import estimate_skew, ink_mask, otsu_threshold, rotate
from plantasks.parsers.ocr.grid import GridTuning, cluster_positions, group_to_grid, table_groups
from plantasks.parsers.ocr.layout import (
    Geometry,
    cell_readings,
    page_blocks,
    place_words,
    split_at_gaps,
    visual_lines,
)
from plantasks.parsers.ocr.paragraphs import join_lines, make_line, paragraph_text, paragraphs
from plantasks.parsers.ocr.raster import PixelMap
from plantasks.parsers.ocr.rulings import close_gaps, erase_rulings, find_rulings, long_runs
from plantasks.parsers.ocr.tesseract import Word, parse_tsv, to_pgm


def tables_of(horizontal, vertical, tuning, ink=None):
    """The grids of the connected line groups, top to bottom, as the OCR page reader finds them."""
    grids = (group_to_grid(h, v, tuning, ink) for h, v in table_groups(horizontal, vertical, tuning.touch))
    return sorted(filter(None, grids), key=lambda g: g.ys[0])

TUNING = GridTuning(touch=8, merge=9)


def grid_image(xs, ys, missing_v=(), missing_h=(), size=(900, 700), width=2) -> np.ndarray:
    """Ink mask of a ruled grid; missing_v holds (row, x index) and missing_h (y index, col) edges left out."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    for r in range(len(ys) - 1):
        for j, x in enumerate(xs):
            if (r, j) not in missing_v:
                draw.line([(x, ys[r]), (x, ys[r + 1])], fill=0, width=width)
    for i, y in enumerate(ys):
        for c in range(len(xs) - 1):
            if (i, c) not in missing_h:
                draw.line([(xs[c], y), (xs[c + 1], y)], fill=0, width=width)
    return np.asarray(image) < 128


def word(text, box, line=(1, 1, 1), confidence=90.0) -> Word:
    return Word(text, confidence, box, line)


def test_long_runs_keeps_only_runs_of_the_length():
    row = np.array([[1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1]], dtype=bool)
    assert long_runs(row, 4).astype(int).tolist() == [[0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0]]
    assert long_runs(row, 12).sum() == 0


def test_close_gaps_fills_short_gaps_only():
    row = np.array([[1, 0, 1, 0, 0, 0, 1]], dtype=bool)
    assert close_gaps(row, 1).astype(int).tolist() == [[1, 1, 1, 0, 0, 0, 1]]


def test_otsu_separates_ink_from_grainy_paper():
    rng = np.random.default_rng(0)
    gray = np.clip(rng.normal(235, 8, (100, 100)), 0, 255).astype(np.uint8)
    gray[40:45, 10:90] = 30
    threshold = otsu_threshold(gray)
    assert 30 <= threshold < 200
    assert ink_mask(gray).sum() == 5 * 80


def test_rulings_found_at_the_drawn_positions():
    xs, ys = (100, 300, 700), (100, 200, 400)
    horizontal, vertical = find_rulings(grid_image(xs, ys), min_length=40, max_gap=2, max_thickness=6)
    assert [h.pos for h in horizontal] == pytest.approx(ys, abs=1.5)
    assert [v.pos for v in vertical] == pytest.approx(xs, abs=1.5)
    assert all(abs(h.start - 100) <= 2 and abs(h.end - 700) <= 3 for h in horizontal)


def test_text_like_blobs_are_not_rulings():
    image = Image.new("L", (600, 200), 255)
    ImageDraw.Draw(image).rectangle([50, 50, 400, 80], fill=0)  # a thick bar, e.g. a redaction
    horizontal, vertical = find_rulings(np.asarray(image) < 128, min_length=40, max_gap=2, max_thickness=6)
    assert horizontal == [] and vertical == []


def test_a_stray_short_line_does_not_split_rows():
    xs, ys = (100, 200, 500, 800), (100, 160, 300)
    ink = grid_image(xs, ys)
    ink[230:232, 120:170] = True  # a dash in the first column, crossing nothing
    ink[200:250, 640:642] = True  # a short vertical stroke touching nothing
    [table] = tables_of(*find_rulings(ink, min_length=40, max_gap=2, max_thickness=6), TUNING)
    assert (table.row_count, table.col_count) == (2, 3)


def test_grid_with_merged_cells():
    xs, ys = (100, 200, 500, 800), (100, 160, 220, 320, 420)
    # row 1 is a section row: no vertical line at x=500 (index 2) inside it -> cols 1..2 merged
    # column 2 is merged over rows 2 and 3: no horizontal line at y=320 (index 3) in column 2
    ink = grid_image(xs, ys, missing_v={(1, 2)}, missing_h={(3, 2)})
    horizontal, vertical = find_rulings(ink, min_length=40, max_gap=2, max_thickness=6)
    [table] = tables_of(horizontal, vertical, TUNING)
    assert list(table.xs) == pytest.approx(xs, abs=1.5)
    assert list(table.ys) == pytest.approx(ys, abs=1.5)
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in table.cells}
    assert spans[(1, 1)] == (1, 2)
    assert spans[(2, 2)] == (2, 1)
    assert len(table.cells) == 3 * 4 - 1 - 1
    assert table.cell_at(3, 2) == table.cell_at(2, 2)


def test_lines_that_do_not_cross_are_not_a_table():
    image = Image.new("L", (800, 400), 255)
    draw = ImageDraw.Draw(image)
    draw.line([(100, 100), (600, 100)], fill=0, width=2)  # an underline under a heading
    draw.line([(100, 300), (600, 300)], fill=0, width=2)
    horizontal, vertical = find_rulings(np.asarray(image) < 128, min_length=40, max_gap=2, max_thickness=6)
    assert len(horizontal) == 2
    assert tables_of(horizontal, vertical, TUNING) == []


def test_cluster_positions_merges_close_lines():
    assert cluster_positions([100, 103, 250, 251.5, 400], 5) == [101.5, 250.75, 400]


@pytest.mark.parametrize("angle", [-2.0, -0.7, 0.5, 1.5])
def test_skew_estimate_matches_the_rotation(angle):
    ink = grid_image((100, 300, 800), (100, 200, 300, 500, 600))
    gray = np.where(ink, 0, 255).astype(np.uint8)
    tilted = np.asarray(Image.fromarray(gray).rotate(-angle, resample=Image.Resampling.BILINEAR, fillcolor=255))
    skew = estimate_skew(ink_mask(tilted))
    assert skew == pytest.approx(angle, abs=0.1)
    level = rotate(tilted, skew)
    assert abs(estimate_skew(ink_mask(level))) <= 0.1


def test_erasing_rulings_keeps_a_stroke_that_crosses_the_line():
    gray = np.full((100, 300), 255, dtype=np.uint8)
    gray[50:52, 20:280] = 0  # a ruling
    gray[30:70, 150:153] = 0  # a character stroke through it
    ink = gray < 128
    horizontal, vertical = find_rulings(ink, min_length=60, max_gap=2, max_thickness=6)
    assert len(horizontal) == 1 and vertical == []
    erased = erase_rulings(gray, ink, horizontal + vertical, halo=2)
    assert (erased[50:52, 20:140] == 255).all()
    assert (erased[30:70, 150:153] == 0).all()


def test_parse_tsv_reads_words_and_skips_empty_ones():
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "4\t1\t1\t1\t1\t0\t10\t20\t100\t30\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t10\t20\t40\t30\t91.5\tQuy\u0301\n"
        "5\t1\t1\t1\t1\t2\t60\t20\t50\t30\t95\t \n"
    )
    [only] = parse_tsv(tsv)
    assert only.text == "Quý" and only.confidence == 91.5 and only.box == (10, 20, 50, 50) and only.line == (1, 1, 1)


def test_pgm_header_and_size():
    gray = np.zeros((3, 5), dtype=np.uint8)
    assert to_pgm(gray) == b"P5\n5 3\n255\n" + bytes(15)


def test_visual_lines_order_words_top_down_left_right():
    words = [word("b", (60, 12, 90, 30)), word("c", (10, 50, 40, 68)), word("a", (10, 10, 50, 30))]
    assert [[w.text for w in line] for line in visual_lines(words)] == [["a", "b"], ["c"]]


def test_two_heading_columns_on_one_line_are_two_text_lines():
    line = [word("ỦY", (10, 10, 40, 30)), word("BAN", (45, 10, 90, 30)), word("CỘNG", (500, 10, 560, 30))]
    assert [[w.text for w in part] for part in split_at_gaps(line, 100)] == [["ỦY", "BAN"], ["CỘNG"]]


def test_page_blocks_put_words_in_cells_and_lines_around():
    xs, ys = (100, 200, 500, 800), (100, 160, 220, 320, 420)
    ink = grid_image(xs, ys, missing_v={(1, 2)}, missing_h={(3, 2)})
    [table] = tables_of(*find_rulings(ink, min_length=40, max_gap=2, max_thickness=6), TUNING)
    words = [
        word("PHỤ", (100, 40, 150, 60), (1, 1, 1)), word("LỤC", (155, 40, 200, 60), (1, 1, 1)),
        word("TT", (110, 120, 140, 140), (2, 1, 1)), word("Nội", (210, 120, 250, 140), (2, 1, 1)),
        word("I", (110, 180, 120, 200), (2, 1, 2)), word("Mục", (210, 180, 260, 200), (2, 1, 2)),
        word("1", (110, 240, 120, 260), (2, 1, 3)), word("Việc", (210, 240, 260, 260), (2, 1, 3)),
        word("một", (210, 270, 260, 290), (2, 1, 4), confidence=50.0), word("Sở", (510, 300, 540, 320), (2, 1, 4)),
        word("2", (110, 340, 120, 360), (2, 1, 5)), word("Hai", (210, 340, 250, 360), (2, 1, 5)),
        word("Trang", (100, 500, 160, 520), (3, 1, 1)),
    ]
    geometry = Geometry(table_margin=5, column_gap=100, wrap_slack=6, cell_padding=10)
    placement = place_words(words, [table], geometry.table_margin)
    readings = cell_readings(placement, [table], geometry)
    blocks = page_blocks(placement, readings, [table], page=3, to_doc=PixelMap(x_scale=0.5, y_scale=0.5), geometry=geometry)
    assert isinstance(blocks[0], TextLine) and blocks[0].text == "PHỤ LỤC"
    assert isinstance(blocks[-1], TextLine) and blocks[-1].text == "Trang"
    rows = [b for b in blocks if isinstance(b, TableRow)]
    assert [r.texts for r in rows] == [
        ["TT", "Nội", ""],
        ["I", "Mục", ""],
        ["1", "Việc một", "Sở"],
        ["2", "Hai", "Sở"],
    ]
    assert rows[2].cells[1].confidence == pytest.approx(0.7)
    assert rows[0].cells[2].confidence == 1.0
    assert rows[2].prov.page == 3 and rows[2].prov.bbox == pytest.approx((50, 110, 400, 160), abs=1.5)
    assert rows[3].cells[2].prov.bbox == rows[2].cells[2].prov.bbox


def text_line(text: str, x0: int, top: int, char_px: int = 10, height: int = 20):
    """A line of words set at char_px per character, one space (char_px) between words."""
    words, x = [], x0
    for token in text.split(" "):
        words.append(word(token, (x, top, x + char_px * len(token), top + height)))
        x += char_px * (len(token) + 1)
    return make_line(words)


def test_cell_lines_wrapped_lines_join_and_bullets_break():
    lines = [
        text_line("- Tổ chức thực", 0, 0),       # 140 px: the widest line, the cell's text width
        text_line("hiện: thường", 0, 25),        # 120 px; 'xuyên' (50) would not fit after it
        text_line("xuyên", 0, 50),
        text_line("- Báo cáo kết", 0, 75),       # a bullet in a bulleted cell starts an item
        text_line("quả: Quý I/2024", 0, 100),
    ]
    assert join_lines(lines, 140, 6) == "- Tổ chức thực hiện: thường xuyên\n- Báo cáo kết quả: Quý I/2024"


def test_cell_short_line_keeps_its_break_and_hyphenated_words_rejoin():
    lines = [text_line("Nghị quyết số 99/NQ-", 0, 0), text_line("CP của Chính phủ", 0, 25)]
    assert join_lines(lines, 200, 6) == "Nghị quyết số 99/NQ-CP của Chính phủ"
    lines = [text_line("Sở Tư pháp", 0, 0), text_line("UBND cấp huyện quận", 0, 25)]  # 'UBND' fits after
    assert join_lines(lines, 190, 6) == "Sở Tư pháp\nUBND cấp huyện quận"


def test_paragraphs_split_at_blank_lines_and_short_lines():
    lines = [
        text_line("Căn cứ Luật Tổ chức chính quyền địa", 0, 0),
        text_line("phương ngày 19/6/2015;", 0, 25),
        text_line("Căn cứ Nghị quyết số 76/NQ-CP ngày", 0, 70),  # a blank line above
        text_line("15/7/2021;", 0, 95),
        text_line("QUYẾT ĐỊNH:", 0, 120),  # 'QUYẾT' would have fitted after '15/7/2021;'
    ]
    groups = paragraphs(lines, 350, 6)
    assert [paragraph_text(g) for g in groups] == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;",
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021;",
        "QUYẾT ĐỊNH:",
    ]


def test_lines_of_a_one_line_row_are_found_in_the_image():
    # row 1 is a section row (no inner verticals); under it, row 2's verticals are too short to be rulings
    xs, ys = (100, 200, 500, 800), (100, 200, 240, 262)
    ink = grid_image(xs, ys, missing_v={(1, 1), (1, 2)})
    horizontal, vertical = find_rulings(ink, min_length=40, max_gap=2, max_thickness=6)
    assert not any(v.start > 230 for v in vertical)
    [without_image] = tables_of(horizontal, vertical, TUNING)
    assert without_image.cell_at(2, 0).col_span == 3
    [table] = tables_of(horizontal, vertical, TUNING, ink)
    assert table.cell_at(1, 0).col_span == 3
    assert [table.cell_at(2, c).col_span for c in range(3)] == [1, 1, 1]


def test_a_tall_letter_touching_a_rule_is_not_a_column():
    xs, ys = (100, 200, 800), (100, 125, 300)
    ink = grid_image(xs, ys)
    ink[125:175, 400:402] = True  # a stroke hanging from the line under a one-line row, touching nothing else
    horizontal, vertical = find_rulings(ink, min_length=40, max_gap=2, max_thickness=6)
    assert any(abs(v.pos - 401) < 2 for v in vertical)
    [table] = tables_of(horizontal, vertical, TUNING, ink)
    assert list(table.xs) == pytest.approx(xs, abs=1.5)
