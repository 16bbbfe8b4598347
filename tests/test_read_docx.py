"""DOCX reader: block stream, merged cells, bullets, nested tables, numbering, real sample plans."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn

from plantasks.parsers.blocks import ReaderError, TableRow, TextLine
from plantasks.parsers.read import ReadOptions, read_document
from plantasks.pipeline.extract import extract_bytes
from samples import SAMPLES

FIXTURES = Path(__file__).parent / "fixtures" / "docx"


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rows(parsed) -> list[list[str]]:
    return [block.texts for block in parsed.blocks if isinstance(block, TableRow)]


def _lines(parsed) -> list[str]:
    return [block.text for block in parsed.blocks if isinstance(block, TextLine)]


def _table(document, rows: list[list[str]]):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    return table


# ---------------------------------------------------------------- purpose-built documents


def test_paragraphs_and_table_come_in_document_order():
    document = docx.Document()
    document.add_paragraph("PHỤ LỤC SỐ 01")
    _table(document, [["TT", "Nội dung"], ["1", "Việc một"]])
    document.add_paragraph("PHỤ LỤC SỐ 02")
    parsed = read_document(_bytes(document), "plan.docx")

    kinds = [(type(b).__name__, b.text if isinstance(b, TextLine) else b.texts) for b in parsed.blocks]
    assert kinds == [
        ("TextLine", "PHỤ LỤC SỐ 01"),
        ("TableRow", ["TT", "Nội dung"]),
        ("TableRow", ["1", "Việc một"]),
        ("TextLine", "PHỤ LỤC SỐ 02"),
    ]
    assert parsed.format == "docx"
    assert parsed.page_count is None


def test_provenance_is_the_block_ordinal_in_the_body():
    document = docx.Document()
    document.add_paragraph("một")
    document.add_paragraph("")
    _table(document, [["a", "b"], ["c", "d"]])
    document.add_paragraph("hai")
    parsed = read_document(_bytes(document), "x.docx")
    ordinals = [(b.prov.line_start, b.prov.line_end, b.prov.page) for b in parsed.blocks]
    # the empty paragraph is counted (ordinal 2) but not emitted
    assert ordinals == [(1, 1, None), (3, 3, None), (4, 4, None), (5, 5, None)]
    row = parsed.blocks[1]
    assert all(cell.prov.line_start == 3 for cell in row.cells)


def test_vertical_merge_repeats_the_text_in_every_row_it_spans():
    document = docx.Document()
    table = _table(document, [["TT", "Nội dung", "Chủ trì"], ["1", "Việc một", "Sở Nội vụ"],
                              ["2", "Việc hai", ""], ["3", "Việc ba", ""]])
    merged = table.cell(1, 2).merge(table.cell(3, 2))
    merged.text = "Sở Nội vụ"
    parsed = read_document(_bytes(document), "x.docx")

    assert _rows(parsed) == [
        ["TT", "Nội dung", "Chủ trì"],
        ["1", "Việc một", "Sở Nội vụ"],
        ["2", "Việc hai", "Sở Nội vụ"],
        ["3", "Việc ba", "Sở Nội vụ"],
    ]
    rows = [b for b in parsed.blocks if isinstance(b, TableRow)]
    # the repeated cell points back at the row where the merge starts
    assert rows[3].cells[2].prov.line_start == rows[1].prov.line_start
    assert rows[3].cells[0].prov.line_start == rows[3].prov.line_start


def test_horizontal_merge_puts_the_text_leftmost_and_keeps_the_column_count():
    document = docx.Document()
    table = _table(document, [["TT", "Nội dung", "Sản phẩm", "Chủ trì"], ["I", "", "", ""],
                              ["1", "Việc một", "Báo cáo", "Sở Nội vụ"]])
    merged = table.cell(1, 1).merge(table.cell(1, 3))
    merged.text = "CẢI CÁCH THỂ CHẾ"
    parsed = read_document(_bytes(document), "x.docx")

    assert _rows(parsed) == [
        ["TT", "Nội dung", "Sản phẩm", "Chủ trì"],
        ["I", "CẢI CÁCH THỂ CHẾ", "", ""],
        ["1", "Việc một", "Báo cáo", "Sở Nội vụ"],
    ]


def test_block_merge_over_rows_and_columns():
    document = docx.Document()
    table = _table(document, [["1", "a", "b", "x"], ["2", "", "", "y"], ["3", "c", "d", "z"]])
    merged = table.cell(0, 1).merge(table.cell(1, 2))
    merged.text = "chung"
    parsed = read_document(_bytes(document), "x.docx")
    assert _rows(parsed) == [["1", "chung", "", "x"], ["2", "chung", "", "y"], ["3", "c", "d", "z"]]


def test_paragraphs_and_bullets_in_a_cell_are_lines():
    document = docx.Document()
    table = _table(document, [["TT", "Sản phẩm"], ["1", ""]])
    cell = table.cell(1, 1)
    cell.paragraphs[0].text = "Báo cáo kết quả"
    cell.add_paragraph("")  # empty paragraphs are dropped
    cell.add_paragraph("Kế hoạch năm", style="List Bullet")
    cell.add_paragraph("Quyết định", style="List Bullet")
    parsed = read_document(_bytes(document), "x.docx")
    assert _rows(parsed)[1] == ["1", "Báo cáo kết quả\n- Kế hoạch năm\n- Quyết định"]


def test_numbered_list_paragraphs_get_their_printed_numbers():
    document = docx.Document()
    document.add_paragraph("Mục đích", style="List Number")
    document.add_paragraph("Yêu cầu", style="List Number")
    parsed = read_document(_bytes(document), "x.docx")
    assert _lines(parsed) == ["1. Mục đích", "2. Yêu cầu"]


def test_soft_line_breaks_split_body_lines_and_stay_in_cells():
    document = docx.Document()
    paragraph = document.add_paragraph("ỦY BAN NHÂN DÂN")
    paragraph.add_run().add_break()
    paragraph.add_run("TỈNH THANH HÓA")
    table = _table(document, [["Thời gian"], [""]])
    run = table.cell(1, 0).paragraphs[0].add_run("Quý I/2024")
    run.add_break()
    table.cell(1, 0).paragraphs[0].add_run("Quý III/2024")
    parsed = read_document(_bytes(document), "x.docx")
    assert _lines(parsed) == ["ỦY BAN NHÂN DÂN", "TỈNH THANH HÓA"]
    assert _rows(parsed) == [["Thời gian"], ["Quý I/2024\nQuý III/2024"]]


def test_nested_table_is_flattened_into_its_cell():
    document = docx.Document()
    table = _table(document, [["TT", "Nội dung"], ["1", "Các việc:"]])
    inner = table.cell(1, 1).add_table(rows=2, cols=2)
    inner.cell(0, 0).text = "a) Việc A"
    inner.cell(0, 1).text = "Quý I"
    inner.cell(1, 0).text = "b) Việc B"
    inner.cell(1, 1).text = "Quý II"
    table.cell(1, 1).add_paragraph("Hết.")
    parsed = read_document(_bytes(document), "x.docx")
    assert _rows(parsed) == [["TT", "Nội dung"], ["1", "Các việc:\na) Việc A\nQuý I\nb) Việc B\nQuý II\nHết."]]


def test_a_task_table_inside_a_frame_is_read_as_a_table_and_the_frame_as_text():
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    frame = document.add_table(rows=2, cols=1)  # a border drawn round the appendix
    frame.cell(0, 0).text = "PHỤ LỤC"
    frame.cell(0, 0).add_paragraph("Nhiệm vụ năm 2031")
    inner = frame.cell(1, 0).add_table(rows=3, cols=4)
    for r, values in enumerate([["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
                                ["1", "Rà soát thủ tục", "Sở Tư pháp", "Quý II/2031"],
                                ["2", "Kiểm tra công vụ", "Sở Nội vụ", "Tháng 10/2031"]]):
        for c, value in enumerate(values):
            inner.cell(r, c).text = value
    frame.cell(1, 0).add_paragraph("Ghi chú: kinh phí tự chủ.")
    document.add_paragraph("Nơi nhận:")
    parsed = read_document(_bytes(document), "x.docx")
    assert _rows(parsed) == [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
                             ["1", "Rà soát thủ tục", "Sở Tư pháp", "Quý II/2031"],
                             ["2", "Kiểm tra công vụ", "Sở Nội vụ", "Tháng 10/2031"]]
    assert [(b.text if isinstance(b, TextLine) else b.texts[0]) for b in parsed.blocks] == [
        "KẾ HOẠCH", "PHỤ LỤC", "Nhiệm vụ năm 2031", "STT", "1", "2", "Ghi chú: kinh phí tự chủ.", "Nơi nhận:"]
    result = extract_bytes(_bytes(document), "framed.docx").result
    assert [(t.stt, t.content, [a.name for a in t.lead], t.deadline.raw) for t in result.tasks] == [
        ("1", "Rà soát thủ tục", ["Sở Tư pháp"], "Quý II/2031"), ("2", "Kiểm tra công vụ", ["Sở Nội vụ"], "Tháng 10/2031")]


def test_a_task_table_whose_cell_holds_a_table_with_a_header_like_row_keeps_it_in_the_cell():
    document = docx.Document()
    table = _table(document, [["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian"], ["1", "Các việc:", "Sở Nội vụ", "2031"]])
    inner = table.cell(1, 1).add_table(rows=1, cols=4)
    for c, value in enumerate(["TT", "Nội dung", "Chủ trì", "Thời gian"]):
        inner.cell(0, c).text = value
    parsed = read_document(_bytes(document), "x.docx")
    assert _rows(parsed)[1] == ["1", "Các việc:\nTT\nNội dung\nChủ trì\nThời gian", "Sở Nội vụ", "2031"]


def test_two_appendices_with_two_level_headers_keep_their_tables_and_know_every_column():
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    for k, label in enumerate(["PHỤ LỤC I", "PHỤ LỤC II"]):
        document.add_paragraph(label)
        table = document.add_table(rows=4, cols=5)  # "Cơ quan thực hiện" over "Chủ trì | Phối hợp", the rest merged down
        table.cell(0, 3).merge(table.cell(0, 4))
        for c in range(3):
            table.cell(0, c).merge(table.cell(1, c))
        for (r, c), text in {(0, 0): "TT", (0, 1): "Nội dung công việc", (0, 2): "Thời gian thực hiện",
                             (0, 3): "Cơ quan thực hiện", (1, 3): "Chủ trì", (1, 4): "Phối hợp"}.items():
            table.cell(r, c).text = text
        for r, values in enumerate([["1", f"Việc {k}A", "Quý I/2031", "Sở Tư pháp", "Sở Nội vụ"],
                                    ["2", f"Việc {k}B", "Quý III/2031", "Sở Nội vụ", "Thanh tra tỉnh"]], start=2):
            for c, value in enumerate(values):
                table.cell(r, c).text = value
    result = extract_bytes(_bytes(document), "two_levels.docx").result
    assert [(t.table, t.stt, t.content, [a.name for a in t.lead], [a.name for a in t.support], t.deadline.raw)
            for t in result.tasks] == [
        ("PHỤ LỤC I", "1", "Việc 0A", ["Sở Tư pháp"], ["Sở Nội vụ"], "Quý I/2031"),
        ("PHỤ LỤC I", "2", "Việc 0B", ["Sở Nội vụ"], ["Thanh tra tỉnh"], "Quý III/2031"),
        ("PHỤ LỤC II", "1", "Việc 1A", ["Sở Tư pháp"], ["Sở Nội vụ"], "Quý I/2031"),
        ("PHỤ LỤC II", "2", "Việc 1B", ["Sở Nội vụ"], ["Thanh tra tỉnh"], "Quý III/2031")]
    assert "unknown_column" not in [w.code for w in result.warnings]  # the lower header line names the fifth column


def test_a_time_printed_as_start_and_end_under_one_header_is_one_span():
    # "Thời gian thực hiện" over "Bắt đầu | Hoàn thành", the other headers merged down (Word repeats them)
    document = docx.Document()
    document.add_paragraph("PHỤ LỤC")
    table = document.add_table(rows=6, cols=6)
    table.cell(0, 3).merge(table.cell(0, 4))
    for c in (0, 1, 2, 5):
        table.cell(0, c).merge(table.cell(1, c))
    for (r, c), text in {(0, 0): "TT", (0, 1): "Nhiệm vụ", (0, 2): "Cơ quan chủ trì", (0, 3): "Thời gian thực hiện",
                         (1, 3): "Bắt đầu", (1, 4): "Hoàn thành", (0, 5): "Sản phẩm hoàn thành"}.items():
        table.cell(r, c).text = text
    table.cell(3, 3).merge(table.cell(3, 4))  # one time across both columns
    for r, values in enumerate([["1", "Rà soát thủ tục", "Sở Tư pháp", "Tháng 3/2031", "Tháng 11/2031", "Báo cáo"],
                                ["2", "Kiểm tra công vụ", "Sở Nội vụ", "Thường xuyên", "", "Kết luận"],
                                ["3", "Số hóa hồ sơ", "Sở Nội vụ", "", "31/12/2031", "Dữ liệu"],
                                ["4", "Tuyên truyền", "Sở Nội vụ", "", "", ""]], start=2):
        for c, value in enumerate(values):
            if value:  # (an empty value would blank the merged cell it falls in)
                table.cell(r, c).text = value
    result = extract_bytes(_bytes(document), "start_end.docx").result
    assert [(t.stt, t.deadline.raw, [(i.kind, i.start, i.due) for i in t.deadline.items], t.outputs, t.extra)
            for t in result.tasks] == [
        ("1", "Tháng 3/2031 - Tháng 11/2031", [("period", date(2031, 3, 1), date(2031, 11, 30))], ["Báo cáo"], {}),
        ("2", "Thường xuyên", [("continuous", None, None)], ["Kết luận"], {}),
        ("3", "31/12/2031", [("date", date(2031, 12, 31), date(2031, 12, 31))], ["Dữ liệu"], {}),
        ("4", "", [], [], {})]
    assert [w.code for w in result.warnings if w.code in ("unknown_column", "other_table_row")] == []


def test_unknown_words_under_a_header_spanning_columns_are_its_sub_columns():
    # "Kinh phí" over "Tổng số | NSTW | NSĐP", the other headers merged down: the lower line is header,
    # not another table (before: no task at all); the first sub-column is the funding, the others extra
    document = docx.Document()
    document.add_paragraph("PHỤ LỤC")
    table = document.add_table(rows=4, cols=6)
    table.cell(0, 3).merge(table.cell(0, 5))
    for c in (0, 1, 2):
        table.cell(0, c).merge(table.cell(1, c))
    for (r, c), text in {(0, 0): "TT", (0, 1): "Nhiệm vụ", (0, 2): "Cơ quan chủ trì", (0, 3): "Kinh phí (triệu đồng)",
                         (1, 3): "Tổng số", (1, 4): "NSTW", (1, 5): "NSĐP"}.items():
        table.cell(r, c).text = text
    for r, values in enumerate([["1", "Xây dựng kho dữ liệu", "Sở Nội vụ", "500", "300", "200"],
                                ["2", "Đào tạo kỹ năng số", "Sở Tư pháp", "100", "", "100"]], start=2):
        for c, value in enumerate(values):
            if value:
                table.cell(r, c).text = value
    result = extract_bytes(_bytes(document), "funding_split.docx").result
    assert [(t.stt, t.content, [a.name for a in t.lead], t.funding, t.extra) for t in result.tasks] == [
        ("1", "Xây dựng kho dữ liệu", ["Sở Nội vụ"], "500",
         {"Kinh phí (triệu đồng): NSTW": "300", "Kinh phí (triệu đồng): NSĐP": "200"}),
        ("2", "Đào tạo kỹ năng số", ["Sở Tư pháp"], "100", {"Kinh phí (triệu đồng): NSĐP": "100"})]
    assert [w.message for w in result.warnings if w.code == "unknown_column"] == [
        "the table has columns no header rule knows, kept on each task under `extra`: "
        "Kinh phí (triệu đồng): NSTW, Kinh phí (triệu đồng): NSĐP"]
    assert "other_table_row" not in [w.code for w in result.warnings]


def test_a_group_column_merged_down_over_its_rows_is_their_section():
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Cải cách hành chính năm 2031")
    document.add_paragraph("PHỤ LỤC")
    rows = [["Lĩnh vực", "TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
            ["Cải cách thể chế", "1", "Rà soát văn bản", "Sở Tư pháp", "Quý I/2031"],
            ["", "2", "Kiểm tra văn bản", "Sở Tư pháp", "Quý II/2031"],
            ["Cải cách thủ tục hành chính", "3", "Công bố thủ tục", "Sở Nội vụ", "Quý III/2031"]]
    table = _table(document, rows)
    table.cell(1, 0).merge(table.cell(2, 0))
    result = extract_bytes(_bytes(document), "group_column.docx").result
    assert [(t.stt, t.section, t.area, t.content, t.extra) for t in result.tasks] == [
        ("1", "Cải cách thể chế", "institutions", "Rà soát văn bản", {}),
        ("2", "Cải cách thể chế", "institutions", "Kiểm tra văn bản", {}),
        ("3", "Cải cách thủ tục hành chính", "procedures", "Công bố thủ tục", {})]
    assert "unknown_column" not in [w.code for w in result.warnings]


def test_a_title_row_merged_across_the_table_above_its_header_is_the_tables_title():
    document = docx.Document()
    document.add_paragraph("PHỤ LỤC")
    table = document.add_table(rows=4, cols=5)
    table.cell(0, 0).merge(table.cell(0, 4)).text = "DANH MỤC NHIỆM VỤ NĂM 2031"
    for r, values in enumerate([["STT", "Nhiệm vụ", "Chủ trì", "Thời gian", "Ghi chú"],
                                ["1", "Rà soát thủ tục", "Sở Tư pháp", "Quý I/2031", "Ưu tiên"],
                                ["2", "Kiểm tra công vụ", "Sở Nội vụ", "Quý III/2031", ""]], start=1):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    result = extract_bytes(_bytes(document), "title_row.docx").result
    assert [(t.table, t.section, t.stt, t.content, t.deadline.raw, t.extra) for t in result.tasks] == [
        ("PHỤ LỤC", "Danh mục nhiệm vụ năm 2031", "1", "Rà soát thủ tục", "Quý I/2031", {"Ghi chú": "Ưu tiên"}),
        ("PHỤ LỤC", "Danh mục nhiệm vụ năm 2031", "2", "Kiểm tra công vụ", "Quý III/2031", {})]


def test_text_is_nfc_and_whitespace_is_collapsed():
    document = docx.Document()
    decomposed = "Thanh Ho\u0301a  \t năm"  # "ó" written as o + combining acute
    document.add_paragraph(decomposed)
    parsed = read_document(_bytes(document), "x.docx")
    assert _lines(parsed) == ["Thanh Hóa năm"]


def test_row_with_grid_before_and_missing_cells_is_padded():
    document = docx.Document()
    table = _table(document, [["a", "b", "c"], ["d", "e", "f"]])
    row = table.rows[1]._tr
    row.remove(row.tc_lst[0])  # the row starts one grid column in
    tr_pr = row.get_or_add_trPr()
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    tr_pr.append(before)
    row.remove(row.tc_lst[-1])  # and stops one column short
    parsed = read_document(_bytes(document), "x.docx")
    assert _rows(parsed) == [["a", "b", "c"], ["", "e", ""]]


def test_sliver_grid_column_is_folded_into_its_neighbour():
    document = docx.Document()
    table = _table(document, [["TT", "x", "Nội dung"], ["1", "", "Việc một"]])
    grid = table._tbl.tblGrid
    widths = [700, 60, 4000]
    for col, width in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(width))
    # row 0: TT | sliver | content; row 1: TT spans the sliver
    tr = table.rows[1]._tr
    tr.remove(tr.tc_lst[1])
    tc_pr = tr.tc_lst[0].get_or_add_tcPr()
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), "2")
    tc_pr.append(span)
    parsed = read_document(_bytes(document), "x.docx")
    assert _rows(parsed) == [["TT\nx", "Nội dung"], ["1", "Việc một"]]


# ---------------------------------------------------------------- sample plans


@pytest.mark.parametrize(
    "stem, rows, first_task",
    [
        ("000_9ab0fe3c0e4fbaba", 54, "Tiếp tục xây dựng, sửa đổi, bổ sung"),
        ("001_5665434d914fd8e7", 41, None),
        ("002_45228b90b1913796", 48, "Triển khai thực hiện việc tự đánh giá"),
    ],
)
def test_sample_plans_read_every_table_row_with_stable_columns(stem, rows, first_task):
    parsed = read_document((SAMPLES / f"{stem}.docx").read_bytes(), f"{stem}.docx")
    table_rows = [b for b in parsed.blocks if isinstance(b, TableRow)]
    assert len(table_rows) == rows
    assert {len(r.cells) for r in table_rows} == {6}
    assert table_rows[0].texts[0] == "TT"
    if first_task:
        assert any(r.texts[1].startswith(first_task) for r in table_rows)
    assert any(line.startswith("PHỤ LỤC") for line in _lines(parsed))
    assert parsed.issues == []


def test_sample_plan_keeps_paragraph_breaks_inside_cells():
    parsed = read_document((SAMPLES / "000_9ab0fe3c0e4fbaba.docx").read_bytes(), "a.docx")
    row = next(r for r in parsed.blocks if isinstance(r, TableRow) and r.texts[0] == "2")
    assert row.texts[5] == ("- Kế hoạch kiểm tra, rà soát văn bản QPPL: Chậm nhất trong Quý I/2024\n"
                            "- Báo cáo kết quả rà soát: Định kỳ hằng Quý")


def test_section_row_of_a_single_appendix_plan():
    parsed = read_document((SAMPLES / "002_45228b90b1913796.docx").read_bytes(), "c.docx")
    rows = _rows(parsed)
    assert rows[1] == ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "", "", "", ""]


# ---------------------------------------------------------------- package parts


def _rezip(data: bytes, rename: dict[str, str] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    """The package with members renamed and contents replaced (bytes), every other member as it was."""
    rename, replace = rename or {}, replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = replace.get(info.filename, zin.read(info))
            for old, new in rename.items():
                body = body.replace(old.encode(), new.encode()) if info.filename.endswith((".rels", ".xml")) else body
            zout.writestr(rename.get(info.filename, info.filename), body)
    return out.getvalue()


def test_main_part_is_found_through_the_package_relationships():
    # Word Online and SharePoint save the body as word/document2.xml: the name comes from _rels/.rels
    document = docx.Document()
    document.add_paragraph("Kế hoạch chuyển đổi số", style="List Number")
    _table(document, [["TT", "Nội dung"], ["1", "Việc một"]])
    data = _rezip(_bytes(document), rename={"word/document.xml": "word/document2.xml",
                                            "word/_rels/document.xml.rels": "word/_rels/document2.xml.rels"})
    parsed = read_document(data, "plan.docx")
    assert _lines(parsed) == ["1. Kế hoạch chuyển đổi số"]
    assert _rows(parsed) == [["TT", "Nội dung"], ["1", "Việc một"]]


@pytest.mark.parametrize("name, kind", [
    ("plan.docm", "application/vnd.ms-word.document.macroEnabled.main+xml"),
    ("plan.dotx", "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"),
    ("plan.dotm", "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"),
])
def test_macro_enabled_documents_and_templates_are_read_as_word(name, kind):
    document = docx.Document()
    document.add_paragraph("Kế hoạch cải cách hành chính")
    _table(document, [["TT", "Nội dung"], ["1", "Rà soát thủ tục"]])
    data = _bytes(document)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    assert main in types
    parsed = read_document(_rezip(data, replace={"[Content_Types].xml": types.replace(main, kind).encode()}), name)
    assert _lines(parsed) == ["Kế hoạch cải cách hành chính"]
    assert _rows(parsed) == [["TT", "Nội dung"], ["1", "Rà soát thủ tục"]]


def test_a_package_whose_main_part_is_not_a_word_body_is_corrupt():
    document = docx.Document()
    document.add_paragraph("Kế hoạch")
    data = _bytes(document)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    spreadsheet = types.replace("wordprocessingml.document.main+xml", "spreadsheetml.sheet.main+xml")
    with pytest.raises(ReaderError) as err:
        read_document(_rezip(data, replace={"[Content_Types].xml": spreadsheet.encode()}), "plan.docx")
    assert err.value.code == "corrupt"


def test_a_damaged_part_the_text_does_not_need_does_not_stop_the_reading():
    document = docx.Document()
    document.add_paragraph("Kế hoạch năm 2025")
    data = _rezip(_bytes(document), replace={"word/settings.xml": b"<w:settings><broken", "word/theme/theme1.xml": b""})
    assert _lines(read_document(data, "plan.docx")) == ["Kế hoạch năm 2025"]


def test_a_damaged_numbering_part_is_corrupt_when_a_paragraph_needs_it():
    document = docx.Document()
    document.add_paragraph("Mục đích", style="List Number")
    with pytest.raises(ReaderError) as err:
        read_document(_rezip(_bytes(document), replace={"word/numbering.xml": b"<w:numbering"}), "plan.docx")
    assert err.value.code == "corrupt"


def test_fallback_content_is_not_read_twice():
    # a text box saved as mc:AlternateContent: the Choice (DrawingML) and the Fallback (VML) hold the same text
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = ('<w:r><mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="wps"><w:t>Hộp chữ</w:t></mc:Choice>'
           '<mc:Fallback><w:t>Hộp chữ</w:t></mc:Fallback></mc:AlternateContent></w:r>').format(mc=mc)
    document = docx.Document()
    paragraph = document.add_paragraph("Trước ")
    paragraph._p.append(docx.oxml.parse_xml(f'<w:wrap xmlns:w="{w}">{box}</w:wrap>')[0])
    paragraph.add_run(" sau")
    assert _lines(read_document(_bytes(document), "plan.docx")) == ["Trước Hộp chữ sau"]


def test_content_controls_and_tracked_insertions_are_read_through():
    # form templates wrap cells' paragraphs in content controls (w:sdt); tracked changes wrap rows
    # and paragraphs in w:ins
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = docx.Document()
    table = _table(document, [["TT", "Chủ trì"], ["1", ""]])
    cell = table.cell(1, 1)._tc
    cell.remove(cell.findall(qn("w:p"))[0])
    cell.append(docx.oxml.parse_xml(
        f'<w:sdt xmlns:w="{w}"><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Sở Nội vụ</w:t></w:r></w:p>'
        f'<w:p><w:r><w:t>Sở Tài chính</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    document.element.body.insert(0, docx.oxml.parse_xml(
        f'<w:ins xmlns:w="{w}" w:id="1" w:author="a"><w:p><w:r><w:t>Dòng thêm</w:t></w:r></w:p></w:ins>'))
    parsed = read_document(_bytes(document), "plan.docx")
    assert _lines(parsed) == ["Dòng thêm"]
    assert _rows(parsed) == [["TT", "Chủ trì"], ["1", "Sở Nội vụ\nSở Tài chính"]]


def _element(xml: str):
    """An element from WordprocessingML markup written without its namespace declaration."""
    return docx.oxml.parse_xml(xml.replace(">", f" {nsdecls('w')}>", 1))


def test_tracked_changes_are_read_as_if_accepted():
    # a draft passed round with Track Changes on: the row struck out, a phrase moved from one cell to
    # another, a word deleted and one inserted
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    table = _table(document, [["TT", "Nội dung", "Chủ trì"], ["1", "Rà soát thủ tục", "Sở Nội vụ"],
                              ["2", "Việc bỏ đi", "Sở Tư pháp"], ["3", "Số hóa hồ sơ", "Sở Tài chính"]])
    table.rows[2]._tr.insert(0, _element('<w:trPr><w:del w:id="1" w:author="a"/></w:trPr>'))
    first = table.cell(1, 1).paragraphs[0]._p
    first.append(_element('<w:moveFrom w:id="2" w:author="a"><w:r><w:t xml:space="preserve"> hành chính'
                                    '</w:t></w:r></w:moveFrom>'))
    first.append(_element('<w:del w:id="3" w:author="a"><w:r><w:delText xml:space="preserve"> cũ'
                                    '</w:delText></w:r></w:del>'))
    third = table.cell(3, 1).paragraphs[0]._p
    third.append(_element('<w:moveTo w:id="4" w:author="a"><w:r><w:t xml:space="preserve"> hành chính'
                                    '</w:t></w:r></w:moveTo>'))
    third.append(_element('<w:ins w:id="5" w:author="a"><w:r><w:t xml:space="preserve"> cấp tỉnh'
                                    '</w:t></w:r></w:ins>'))
    parsed = read_document(_bytes(document), "plan.docx")
    assert _rows(parsed) == [["TT", "Nội dung", "Chủ trì"], ["1", "Rà soát thủ tục", "Sở Nội vụ"],
                             ["3", "Số hóa hồ sơ hành chính cấp tỉnh", "Sở Tài chính"]]
    rows = [block for block in parsed.blocks if isinstance(block, TableRow)]
    assert [row.prov.line_start for row in rows] == [2, 3, 5]  # the deleted row keeps its place in the body
    assert [(issue.code, "table rows deleted: 1;" in issue.message) for issue in parsed.issues] == [("tracked_changes", True)]


def test_text_formatted_hidden_is_not_read_and_is_reported():
    document = docx.Document()
    paragraph = document.add_paragraph("Giao Sở Nội vụ chủ trì")
    paragraph.add_run(" (ghi chú ẩn)").font.hidden = True
    paragraph.add_run(" thực hiện").font.hidden = False  # w:vanish w:val="0": shown
    parsed = read_document(_bytes(document), "plan.docx")
    assert _lines(parsed) == ["Giao Sở Nội vụ chủ trì thực hiện"]
    assert [issue.code for issue in parsed.issues] == ["hidden_text"]


def test_a_document_without_changes_or_hidden_text_reports_neither():
    document = docx.Document()
    _table(document, [["TT", "Nội dung"], ["1", "Việc một"]])
    assert read_document(_bytes(document), "plan.docx").issues == []


# ---------------------------------------------------------------- bad DOCX


def test_docx_without_text_is_no_text():
    with pytest.raises(ReaderError) as err:
        read_document(_bytes(docx.Document()), "blank.docx")
    assert err.value.code == "no_text"


def test_truncated_docx_is_corrupt():
    data = (SAMPLES / "000_9ab0fe3c0e4fbaba.docx").read_bytes()
    with pytest.raises(ReaderError) as err:
        read_document(data[: len(data) // 2], "cut.docx")
    assert err.value.code == "corrupt"
    assert "again" in err.value.message


def test_zip_without_word_part_under_docx_name_is_corrupt_or_unsupported():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/other.xml", "<x/>")
    with pytest.raises(ReaderError) as err:
        read_document(buffer.getvalue(), "x.docx")
    assert err.value.code == "corrupt"


def test_unpacked_size_limit_is_a_zip_bomb():
    data = (SAMPLES / "000_9ab0fe3c0e4fbaba.docx").read_bytes()
    with pytest.raises(ReaderError) as err:
        read_document(data, "a.docx", ReadOptions(max_unpacked_bytes=100_000))
    assert err.value.code == "zip_bomb"


# ---------------------------------------------------------------- legacy font encodings


def test_text_typed_in_legacy_fonts_is_converted_and_reported():
    document = docx.Document()
    document.add_paragraph("KÕ ho¹ch c¶i c¸ch hµnh chÝnh n¨m 2024")  # TCVN3 (.VnTime) bytes shown as Latin-1
    _table(document, [["TT", "Chủ trì"], ["1", "Sôû Noäi vuï chuû trì"]])  # VNI-Times
    parsed = read_document(_bytes(document), "legacy.docx")
    assert _lines(parsed) == ["Kế hoạch cải cách hành chính năm 2024"]
    assert _rows(parsed) == [["TT", "Chủ trì"], ["1", "Sở Nội vụ chủ trì"]]
    assert [i.code for i in parsed.issues] == ["legacy_encoding"]
    assert parsed.issues[0].message.startswith("2 lines or cells")


def test_unicode_text_is_left_alone_by_the_legacy_repair():
    parsed = read_document((SAMPLES / "002_45228b90b1913796.docx").read_bytes(), "c.docx")
    assert parsed.issues == []
