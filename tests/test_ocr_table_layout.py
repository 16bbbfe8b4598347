"""Scanned table structure without Tesseract: text running across a column line joins the cells,
a continued page takes the open table's columns (or not, when its header means other columns), and
tables without column lines are found by word alignment only under a header."""

from __future__ import annotations

from plantasks.parsers.ocr.aligned import aligned_tables, continued_rows
from plantasks.parsers.ocr.continuation import continue_tables
from plantasks.parsers.ocr.grid import TableGrid, join_slots, merged_cells, with_columns
from plantasks.parsers.ocr.layout import Geometry, LaidOut, cell_readings, joined_by_text, place_words
from plantasks.parsers.ocr.page import PageResult
from plantasks.parsers.ocr.raster import PixelMap
from plantasks.parsers.ocr.rulings import Ruling
from plantasks.parsers.ocr.tesseract import Word

GEOMETRY = Geometry(table_margin=5, column_gap=100, wrap_slack=6, cell_padding=10, overrun=4)


def word(text, x0, y0, x1, y1, line=(1, 1, 1)) -> Word:
    return Word(text, 95.0, (x0, y0, x1, y1), line)


def full_grid(xs, ys) -> TableGrid:
    rows, cols = len(ys) - 1, len(xs) - 1
    v = [[True] * (cols + 1) for _ in range(rows)]
    h = [[True] * (rows + 1) for _ in range(cols)]
    return TableGrid(tuple(xs), tuple(ys), tuple(merged_cells(list(xs), list(ys), v, h)))


def spans(grid: TableGrid) -> list[tuple[int, int, int, int]]:
    return sorted((c.row, c.col, c.row_span, c.col_span) for c in grid.cells)


XS = (100, 150, 500, 700, 850)  # TT | Nội dung | Chủ trì | Thời gian
YS = (100, 140, 180, 220)


def read(words: list[Word], tables: list[TableGrid], page: int = 1) -> LaidOut:
    placement = place_words(words, tables, GEOMETRY.table_margin)
    tables = joined_by_text(tables, placement, GEOMETRY)
    readings = cell_readings(placement, tables, GEOMETRY)
    return LaidOut(tuple(words), tuple(tables), readings, page, PixelMap(), GEOMETRY)


def table_rows(laid: LaidOut, index: int = 0) -> list[list[str]]:
    return [laid.row_texts(index, r) for r in range(laid.tables[index].row_count)]


HEADER_WORDS = [
    word("TT", 105, 110, 125, 130), word("Nội", 160, 110, 190, 130), word("dung", 195, 110, 240, 130),
    word("Chủ", 510, 110, 545, 130), word("trì", 550, 110, 580, 130),
    word("Thời", 710, 110, 750, 130), word("gian", 755, 110, 795, 130),
]


def test_join_slots_makes_one_cell_of_the_slots_text_runs_across():
    grid = join_slots(full_grid(XS, YS), {(1, 1), (1, 2)})
    single = [(r, c, 1, 1) for r in (0, 2) for c in range(4)]
    assert spans(grid) == sorted(single + [(1, 0, 1, 1), (1, 1, 1, 3)])
    assert grid.cell_at(1, 3).box == (XS[1], YS[1], XS[4], YS[2])


def test_a_title_running_over_the_column_lines_is_one_cell():
    """A section title printed under the grid: a word over the line at 500, words a space apart
    either side of the line at 700; the task row below keeps its four cells."""
    words = HEADER_WORDS + [
        word("I", 105, 150, 112, 170), word("CẢI", 160, 150, 200, 170), word("CÁCH", 205, 150, 480, 170),
        word("THỂ", 490, 150, 530, 170), word("CHẾ", 540, 150, 695, 170), word("MỚI", 703, 150, 740, 170),
        word("1", 105, 190, 112, 210), word("Rà", 160, 190, 190, 210), word("soát", 195, 190, 240, 210),
        word("Sở", 510, 190, 530, 210), word("Quý", 710, 190, 740, 210),
    ]
    laid = read(words, [full_grid(XS, YS)])
    assert table_rows(laid) == [
        ["TT", "Nội dung", "Chủ trì", "Thời gian"],
        ["I", "CẢI CÁCH THỂ CHẾ MỚI", "", ""],
        ["1", "Rà soát", "Sở", "Quý"],
    ]


def test_two_cells_whose_texts_touch_their_line_stay_two_cells():
    """Narrow cells with little padding: the agency text runs up to the line at 700 and the time,
    centred in its row, starts just after it, a word space away on the lines they share. The agency
    cell's other lines end short of the line: two texts, not one running across."""
    words = HEADER_WORDS + [
        word("1", 105, 190, 112, 210), word("Rà", 160, 150, 190, 170), word("soát", 195, 150, 240, 170),
        word("Hội", 510, 145, 550, 158), word("đồng", 556, 145, 600, 158),
        word("các", 510, 160, 545, 173), word("Ủy", 551, 160, 580, 173), word("ban", 586, 160, 696, 173),
        word("Phiên", 702, 160, 748, 173), word("họp", 754, 160, 790, 173),
        word("khác", 510, 175, 560, 188), word("tháng", 702, 175, 760, 188), word("9/2026", 766, 175, 830, 188),
    ]
    laid = read(words, [full_grid(XS, (100, 140, 220))])
    assert table_rows(laid) == [
        ["TT", "Nội dung", "Chủ trì", "Thời gian"],
        ["1", "Rà soát", "Hội đồng\ncác Ủy ban khác", "Phiên họp tháng 9/2026"],
    ]


def test_a_title_centred_in_another_column_of_a_roman_row_is_the_row_title():
    """The grid cuts a merged section row and the centred title falls in the agency column alone."""
    words = HEADER_WORDS + [
        word("II", 105, 150, 115, 170), word("CÔNG", 540, 150, 590, 170), word("TÁC", 595, 150, 630, 170),
        word("1", 105, 190, 112, 210), word("Rà", 160, 190, 190, 210), word("SỞ", 510, 190, 530, 210),
        word("NỘI", 535, 190, 560, 210), word("VỤ", 565, 190, 585, 210),
    ]
    laid = read(words, [full_grid(XS, YS)])
    assert table_rows(laid)[1:] == [["II", "CÔNG TÁC", "", ""], ["1", "Rà", "SỞ NỘI VỤ", ""]]


def test_cells_set_apart_by_their_padding_and_line_marks_stay_apart():
    """Text filling a cell up to its line, the next cell's text after its own padding, and an '_'
    left of an erased line between them: two cells."""
    words = HEADER_WORDS + [
        word("1", 105, 150, 112, 170), word("việc", 160, 150, 488, 170), word("_", 496, 148, 504, 172),
        word("Sở", 512, 150, 540, 170), word("Quý", 710, 150, 740, 170),
    ]
    laid = read(words, [full_grid(XS, YS[:3])])
    assert table_rows(laid)[1] == ["1", "việc", "_ Sở", "Quý"]
    assert [c.col_span for c in laid.tables[0].cells] == [1] * 8


def test_with_columns_drops_a_stray_line_and_adds_a_missing_one():
    # the page's own grid: the line at 500 missing, a stray one at 300, shifted right by 40 px
    own = full_grid((140, 190, 340, 740, 890), (100, 140, 180))
    shares = [(x - XS[0]) / (XS[-1] - XS[0]) for x in XS]
    moved = with_columns(own, shares, snap=8)
    assert moved.xs == (140, 190, 540, 740, 890)
    assert moved.ys == own.ys
    assert spans(moved) == [(r, c, 1, 1) for r in range(2) for c in range(4)]


def test_with_columns_keeps_cells_merged_over_rows():
    own = TableGrid((100, 150, 700, 850), YS, tuple(merged_cells(
        [100, 150, 700, 850], list(YS),
        [[True] * 4 for _ in range(3)],
        [[True, True, True, True], [True, True, False, True], [True, True, True, True]])))
    moved = with_columns(own, [(x - XS[0]) / (XS[-1] - XS[0]) for x in XS], snap=8)
    assert moved.xs == XS
    # the task text merged over rows 1-2 stays merged in both columns it now spans
    assert (1, 1, 2, 1) in spans(moved) and (1, 2, 2, 1) in spans(moved)


def page(laid: LaidOut) -> PageResult:
    return PageResult(laid.page, laid.blocks(), layout=laid)


def test_a_continued_page_is_read_in_the_open_tables_columns():
    first = read(HEADER_WORDS + [word("1", 105, 150, 112, 170), word("Rà", 160, 150, 190, 170),
                                 word("Sở", 510, 150, 530, 170), word("Quý", 710, 150, 740, 170)],
                 [full_grid(XS, YS[:3])])
    # page 2: the line between task text and agency lost: the grid has three columns
    second_words = HEADER_WORDS + [word("2", 105, 150, 112, 170), word("Kiểm", 160, 150, 210, 170),
                                   word("Sở", 510, 150, 530, 170), word("Năm", 710, 150, 750, 170)]
    second = read(second_words, [full_grid((100, 150, 700, 850), YS[:3])], page=2)
    assert table_rows(second)[0] == ["TT", "Nội dung Chủ trì", "Thời gian"]
    results = continue_tables([page(first), page(second)])
    assert [b.texts for b in results[1].blocks] == [
        ["TT", "Nội dung", "Chủ trì", "Thời gian"],
        ["2", "Kiểm", "Sở", "Năm"],
    ]


def test_a_header_of_other_meaning_on_the_next_page_is_a_new_table():
    first = read(HEADER_WORDS + [word("1", 105, 150, 112, 170), word("Rà", 160, 150, 190, 170)],
                 [full_grid(XS, YS[:3])])
    other = [word("STT", 105, 110, 140, 130), word("Tên", 160, 110, 190, 130), word("đề", 195, 110, 215, 130),
             word("án", 220, 110, 240, 130), word("Kinh", 710, 110, 750, 130), word("phí", 755, 110, 790, 130)]
    second = read(other, [full_grid((100, 150, 700, 850), YS[:2])], page=2)
    results = continue_tables([page(first), page(second)])
    assert results[1] == page(second)


def test_an_aligned_table_needs_a_header_row():
    rows = [
        [("TT", 100), ("Nội dung nhiệm vụ", 200), ("Cơ quan chủ trì", 700), ("Thời gian", 1000)],
        [("1", 100), ("Rà soát thủ tục", 200), ("Sở Tư pháp", 700), ("Quý II/2025", 1000)],
        [("2", 100), ("Kiểm tra hồ sơ", 200), ("Sở Nội vụ", 700), ("Năm 2025", 1000)],
    ]
    assert [t.col_count for t in aligned_tables(line_words(rows), dpi=144)] == [4]
    body = [  # the issuer and the motto side by side, then the number and the date: no header
        [("ỦY BAN NHÂN DÂN", 100), ("CỘNG HÒA XÃ HỘI", 600), ("CHỦ NGHĨA", 1000)],
        [("TỈNH THANH HÓA", 100), ("Độc lập - Tự do", 600), ("Hạnh phúc", 1000)],
        [("Số: 12/QĐ-UBND", 100), ("Thanh Hóa, ngày", 600), ("01 tháng 02", 1000)],
    ]
    assert aligned_tables(line_words(body), dpi=144) == []


def line_words(rows) -> list[Word]:
    """Words of printed pieces: 14 px per letter, a piece's words 6 px apart (a space), rows 60 px apart."""
    words = []
    for r, pieces in enumerate(rows):
        top = 100 + 60 * r
        for text, x in pieces:
            for part in text.split():
                words.append(word(part, x, top, x + 14 * len(part), top + 24, line=(1, 1, r + 1)))
                x += 14 * len(part) + 6
    return words


def test_rules_between_rows_divide_them_whatever_line_the_number_stands_on():
    """Rows ruled apart, no column lines; task 2's text runs over two lines and its number stands
    centred beside the second: the rules, not the number, start the row."""
    rows = [
        [("TT", 100), ("Nội dung nhiệm vụ", 200), ("Cơ quan chủ trì", 700), ("Thời gian", 1000)],
        [("1", 100), ("Rà soát thủ tục", 200), ("Sở Tư pháp", 700), ("Quý II/2025", 1000)],
        [("Kiểm tra hồ sơ", 200), ("Sở Nội vụ", 700), ("Năm 2025", 1000)],
        [("2", 100), ("tại Trung tâm", 200)],
    ]
    words = line_words(rows)
    rules = [Ruling(True, y, 90, 1200, 2.0) for y in (95, 150, 210, 300)]
    [table] = aligned_tables(words, dpi=144, rules=rules)
    assert table.ys == (95, 150, 210, 300) and table.col_count == 4
    laid = read(words, [table])
    assert table_rows(laid)[2] == ["2", "Kiểm tra hồ sơ\ntại Trung tâm", "Sở Nội vụ", "Năm 2025"]  # a short line: a break


TEXT_STARTS = [100, 190, 690, 990, 1300]  # where the open table's columns' text starts, its right edge


def test_a_page_going_on_without_header_is_read_in_the_open_columns():
    """Its page number is skipped, the rest of a row carried over is a row of its own (empty number),
    numbered rows follow."""
    rows = [
        [("12", 640)],
        [("tại Trung tâm", 200)],
        [("3", 100), ("Tổ chức đối thoại", 200), ("Sở Nội vụ", 700), ("Tháng 10", 1000)],
        [("4", 100), ("Công khai kết quả", 200), ("Sở Tư pháp", 700), ("Quý IV", 1000)],
    ]
    grid = continued_rows(line_words(rows), TEXT_STARTS)
    assert grid is not None and grid.col_count == 4
    laid = read(line_words(rows), [grid])
    assert table_rows(laid) == [["", "tại Trung tâm", "", ""], ["3", "Tổ chức đối thoại", "Sở Nội vụ", "Tháng 10"],
                                ["4", "Công khai kết quả", "Sở Tư pháp", "Quý IV"]]


def test_text_set_out_in_columns_without_row_numbers_is_no_continued_table():
    rows = [
        [("Nơi", 100), ("Bộ Nội vụ;", 200), ("TM. ỦY BAN", 1000)],
        [("Lưu", 100), ("VT, NC.", 200), ("CHỦ TỊCH", 1000)],
    ]
    assert continued_rows(line_words(rows), TEXT_STARTS) is None
