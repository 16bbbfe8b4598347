"""Appendix labels and titles as printed, OCR-damaged or written in prose."""

import pytest

from plantasks.parsers.blocks import Cell, Provenance, TableRow, TextLine
from plantasks.pipeline.tables import appendix_label, assemble_tables


@pytest.mark.parametrize("line, expected", [
    ("PHỤ LỤC SỐ 01: ", ("PHỤ LỤC SỐ 01", "")),
    ("Phụ lục số 01: Các nhiệm vụ trọng tâm về Cải cách thể chế năm 2023",
     ("PHỤ LỤC SỐ 01", "Các nhiệm vụ trọng tâm về Cải cách thể chế năm 2023")),
    ("PHU LUC SÔ 02", ("PHỤ LỤC SỐ 02", "")),
    ("PHỤ LỤC", ("PHỤ LỤC", "")),
    ("Phụ lục I", ("PHỤ LỤC I", "")),
    ("PHỤ LỤC II: DANH MỤC NHIỆM VỤ", ("PHỤ LỤC II", "DANH MỤC NHIỆM VỤ")),
    ("Phụ lục 01: Nhiệm vụ chuyển đổi số", ("PHỤ LỤC 01", "Nhiệm vụ chuyển đổi số")),
    ("PHỤ LỤC (Kèm theo Quyết định số 12/QĐ-UBND)", ("PHỤ LỤC", "")),
    # the title's line run on into its note (a text tool joined the lines)
    ("PHỤ LỤC DANH MỤC NHIỆM VỤ (Kèm theo Kế hoạch số 125-KH/TU ngày 12/3/2025)", ("PHỤ LỤC", "DANH MỤC NHIỆM VỤ")),
    ("Phụ lục 02: Nhiệm vụ năm 2025 (Ban hành kèm theo Quyết định số 12/QĐ-UBND)", ("PHỤ LỤC 02", "Nhiệm vụ năm 2025")),
])
def test_appendix_labels(line, expected):
    assert appendix_label(line) == expected


@pytest.mark.parametrize("line", [
    "Phụ lục đính kèm kế hoạch này",
    "Nội dung các nhiệm vụ cụ thể (theo Phụ lục đính kèm).",
    "2. Phòng Tư pháp: chủ trì triển khai theo Phụ lục số 01;",
])
def test_prose_mentioning_an_appendix_is_not_a_label(line):
    assert appendix_label(line) is None


def _row(*texts: str, line: int = 1) -> TableRow:
    prov = Provenance(line_start=line, line_end=line)
    return TableRow(tuple(Cell(t, prov) for t in texts), prov)


def test_an_appendix_label_printed_in_a_row_opens_the_next_appendix():
    # two tables without rules read as one grid: the second label and title land in it as rows
    header = ("TT", "Nội dung", "Chủ trì", "Thời gian")
    blocks = [TextLine("PHỤ LỤC I", Provenance(line_start=1)), TextLine("Nhiệm vụ nhóm một", Provenance(line_start=2)),
              _row(*header, line=3), _row("1", "Việc A", "Sở Tư pháp", "Quý I/2031", line=4),
              _row("PHỤ LỤC", "II", "", "", line=5), _row("Nhiệm vụ", "nhóm hai", "", "", line=6),
              _row(*header, line=7), _row("1", "Việc B", "Sở Nội vụ", "Quý II/2031", line=8)]
    tables = assemble_tables(blocks).tables
    assert [(t.label, t.title, [r.cells["content"] for r in t.rows]) for t in tables] == [
        ("PHỤ LỤC I", "Nhiệm vụ nhóm một", ["Việc A"]), ("PHỤ LỤC II", "Nhiệm vụ nhóm hai", ["Việc B"])]


_TASK_HEADER = ("TT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian")


def _appendix(rows: list[tuple[str, ...]]) -> list:
    """An appendix label on line 1, then the rows on the lines after it."""
    return [TextLine("PHỤ LỤC", Provenance(line_start=1))] + [_row(*r, line=k + 2) for k, r in enumerate(rows)]


def _only_table(rows: list[tuple[str, ...]]):
    """The one task table the rows of an appendix make."""
    table, = assemble_tables(_appendix(rows)).tables
    return table


@pytest.mark.parametrize("after", [
    # a portal's related documents, with and without a number column, and the document's attributes
    [("STT", "Số hiệu", "Trích yếu", "Ngày ban hành"), ("1", "76/NQ-CP", "Nghị quyết về cải cách", "15/07/2021")],
    [("Số hiệu", "Trích yếu", "Ngày ban hành"), ("76/NQ-CP", "Nghị quyết về cải cách", "15/07/2021")],
    [("Số ký hiệu", "45/KH-UBND", "Ngày ban hành", "15/01/2025"), ("Loại văn bản", "Kế hoạch", "Người ký", "Hoàng Nam")],
])
def test_a_table_after_the_task_table_that_is_no_task_table_ends_it(after):
    rows = [_TASK_HEADER, ("1", "Việc A", "Sở Tư pháp", "Sở Nội vụ", "Quý I/2031"), *after]
    assembly = assemble_tables(_appendix(rows))
    assert [[r.cells["content"] for r in t.rows] for t in assembly.tables] == [["Việc A"]]
    assert [line.text for line in assembly.body_lines[-len(after):]] == [" ".join(r) for r in after]
    assert [(w.code, w.prov.line_start) for w in assembly.leftovers] == [("other_table_row", 4)]


def test_a_damaged_row_in_the_task_table_is_said_and_the_rows_after_it_are_tasks_again():
    rows = [_TASK_HEADER, ("1", "Việc A", "Sở Tư pháp", "Sở Nội vụ", "Quý I/2031"),
            ("Việc không số", "Sở Nội vụ", "Sở Tư pháp"), ("2", "Việc B", "Sở Nội vụ", "", "Quý II/2031")]
    assembly = assemble_tables(_appendix(rows))
    assert [[r.cells["content"] for r in t.rows] for t in assembly.tables] == [["Việc A", "Việc B"]]
    assert [(w.code, w.message) for w in assembly.leftovers] == [
        ("other_table_row", "read as text, not as a task: Việc không số Sở Nội vụ Sở Tư pháp")]


def test_rows_of_the_task_table_with_item_numbers_or_merged_cells_stay_in_it():
    rows = [_TASK_HEADER, ("I", "CẢI CÁCH THỂ CHẾ", "", "", ""), ("1.1", "Việc A", "Sở Tư pháp", "", "Quý I/2031"),
            ("a)", "Việc B", "Sở Nội vụ", "", "Quý II/2031"), ("", "tiếp theo của việc B", "", "", "")]
    table = _only_table(rows)
    assert [(r.stt, r.cells["content"]) for r in table.rows] == [("1.1", "Việc A"), ("a", "Việc B tiếp theo của việc B")]


def test_a_numbered_title_row_over_unnumbered_items_with_their_own_agencies_is_their_section():
    rows = [_TASK_HEADER, ("1", "Cải cách thủ tục hành chính:", "", "", ""),
            ("", "a) Rà soát thủ tục", "Sở Tư pháp", "Các sở, ngành", "Quý I/2031"),
            ("", "b) Công bố danh mục", "Văn phòng UBND tỉnh", "", "Quý II/2031"),
            ("2", "Kiểm tra công vụ", "Sở Nội vụ", "", "Quý III/2031"),
            ("3", "Hiện đại hóa hành chính", "", "", ""),
            ("", "- Số hóa hồ sơ", "Văn phòng UBND tỉnh", "", "Quý IV/2031"),
            # a row with only a title over a row that goes on with its text is one task
            ("4", "Tổng kết", "", "", ""), ("", "việc thực hiện kế hoạch", "Sở Nội vụ", "", "Tháng 12/2031"),
            # items with nothing of their own go on with the text of the task above
            ("5", "Rà soát các nội dung sau:", "Sở Tư pháp", "", "Quý I/2031"), ("", "a) văn bản;", "", "", ""),
            ("", "b) thủ tục.", "", "", "")]
    table = _only_table(rows)
    assert [(r.stt, r.section, r.cells["content"]) for r in table.rows] == [
        ("", "Cải cách thủ tục hành chính", "a) Rà soát thủ tục"),
        ("", "Cải cách thủ tục hành chính", "b) Công bố danh mục"),
        ("2", "", "Kiểm tra công vụ"),
        ("", "Hiện đại hóa hành chính", "- Số hóa hồ sơ"),
        ("4", "", "Tổng kết việc thực hiện kế hoạch"),
        ("5", "", "Rà soát các nội dung sau: a) văn bản; b) thủ tục."),
    ]


def test_a_title_row_whose_number_is_merged_down_over_its_items_is_their_section():
    # a cell merged over several rows belongs to each: the items carry the title row's number
    rows = [_TASK_HEADER, ("1", "Cải cách thủ tục hành chính", "", "", ""),
            ("1", "a) Rà soát thủ tục", "Sở Tư pháp", "", "Quý I/2031"),
            ("1", "b) Công bố danh mục", "Văn phòng UBND tỉnh", "", "Quý II/2031"),
            ("2", "Kiểm tra công vụ", "Sở Nội vụ", "", "Quý III/2031")]
    table = _only_table(rows)
    assert [(r.stt, r.section, r.cells["content"]) for r in table.rows] == [
        ("1", "Cải cách thủ tục hành chính", "a) Rà soát thủ tục"),
        ("1", "Cải cách thủ tục hành chính", "b) Công bố danh mục"),
        ("2", "", "Kiểm tra công vụ"),
    ]
