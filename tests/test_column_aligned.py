"""The column-aligned table reader's parts: header columns, placement of printed pieces, rows."""

from plantasks.parsers.column_aligned import header_at, pieces, read_aligned

HEADER = [
    "TT   Nội dung                       Sản phẩm         Cơ quan          Thời gian",
    "                                                     chủ trì          hoàn thành",
]


def test_a_wrapped_header_line_joins_the_columns_it_lies_under():
    columns, texts, height = header_at(HEADER, 0)
    assert texts == ["TT", "Nội dung", "Sản phẩm", "Cơ quan chủ trì", "Thời gian hoàn thành"]
    assert height == 2


def test_a_wrapped_row_line_is_not_taken_for_header_wording():
    lines = [HEADER[0], "                                                     Sở Nội vụ"]
    assert header_at(lines, 0) is None or header_at(lines, 0)[2] == 1


def test_pieces_split_at_runs_of_spaces_only():
    assert [(p.start, p.text) for p in pieces("1    Rà soát văn bản  Báo cáo")] == [
        (0, "1"), (5, "Rà soát văn bản"), (22, "Báo cáo")]


def test_rows_start_at_row_numbers_and_cells_wrap_at_their_offsets():
    lines = HEADER + [
        "1    Rà soát văn bản quy phạm       Báo cáo          Sở Tư pháp       Quý I/2025",
        "     pháp luật của tỉnh                                               - Báo cáo: Tháng 6",
        "2    Theo dõi thi hành pháp luật về Kế hoạch         Sở Tư pháp       Năm 2025",  # one space apart
        "3    Kiểm tra văn bản               Kế hoạch         Sở Tư pháp       Quý II/2025",
        "4    Công bố thủ tục                Quyết định       Sở Nội vụ        Quý III/2025",
        "",
        "Nơi nhận:",
    ]
    columns, _, height = header_at(lines, 0)
    rows, end = read_aligned(lines, height, columns)
    assert [r.texts() for r in rows] == [
        ["1", "Rà soát văn bản quy phạm pháp luật của tỉnh", "Báo cáo", "Sở Tư pháp",
         "Quý I/2025\n- Báo cáo: Tháng 6"],
        ["2", "Theo dõi thi hành pháp luật về", "Kế hoạch", "Sở Tư pháp", "Năm 2025"],
        ["3", "Kiểm tra văn bản", "Kế hoạch", "Sở Tư pháp", "Quý II/2025"],
        ["4", "Công bố thủ tục", "Quyết định", "Sở Nội vụ", "Quý III/2025"],
    ]
    assert lines[end] == "" and end == 7
