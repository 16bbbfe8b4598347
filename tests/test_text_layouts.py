"""One purpose-written fixture per text layout feature; each asserts the exact task rows."""

from datetime import date
from pathlib import Path

import pytest

from plantasks.parsers.blocks import TextLine
from plantasks.parsers.text_reader import read_text
from plantasks.pipeline.extract import extract_bytes

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


def extract(name: str):
    path = LAYOUTS / name
    return extract_bytes(path.read_bytes(), str(path)).result


def rows(result, *fields):
    return [tuple(getattr(t, f) for f in fields) for t in result.tasks]


def test_cell_per_line_layout_with_blank_lines_inside_cells():
    result = extract("cells.txt")
    assert rows(result, "table", "stt", "content", "outputs") == [
        ("PHỤ LỤC SỐ 01", "1", "Rà soát văn bản quy phạm pháp luật.", ["Kế hoạch rà soát", "Báo cáo kết quả"]),
        ("PHỤ LỤC SỐ 01", "2", "Theo dõi thi hành pháp luật.", ["Báo cáo"]),
        ("PHỤ LỤC SỐ 02", "1", "Công bố thủ tục hành chính.", ["Quyết định công bố"]),
    ]
    first, second, third = result.tasks
    assert first.section == "Các nhiệm vụ về cải cách thể chế"
    assert third.section == "Các nhiệm vụ về cải cách thủ tục hành chính"
    assert first.deadline.raw == "Quý II/2024."
    assert second.support == []  # the empty cell stays empty
    assert second.deadline.raw == "- Kế hoạch: Tháng 01/2024. - Báo cáo: Định kỳ hằng Quý."
    assert [a.text for a in first.support] != []
    assert (first.source.line_start, first.source.line_end) == (10, 18)


def test_tsv_with_sections_repeated_headers_furniture_and_continuations():
    result = extract("tsv_sections.txt")
    assert rows(result, "section", "stt", "content") == [
        ("Công tác chỉ đạo, điều hành CCHC", "1", "Xây dựng Kế hoạch CCHC năm 2024"),
        ("Công tác chỉ đạo, điều hành CCHC", "2",
         "Kiểm tra công tác CCHC năm 2024 đối với các sở, ban, ngành trên địa bàn tỉnh."),
        ("Công tác chỉ đạo, điều hành CCHC", "", "Nhiệm vụ không đánh số có nội dung riêng."),
        ("Cải cách thể chế", "1", "Kế hoạch rà soát văn bản"),
        ("Cải cách thể chế", "1", "Kế hoạch theo dõi thi hành pháp luật"),
    ]
    assert all(t.table == "PHỤ LỤC" for t in result.tasks)
    first, second = result.tasks[:2]
    # continuation row after the page break, and text OCR put inside the repeated header
    assert "continued_over_page_break" in first.flags
    assert "continuation_in_header_row" in second.flags
    assert [a.text for a in first.support][-1].endswith("thành phố")


def test_pipe_table_with_rule_broken_row_and_funding_column():
    result = extract("pipe.txt")
    assert rows(result, "table", "stt", "content", "funding") == [
        ("PHỤ LỤC 01", "1", "Nâng cấp Cổng thông tin điện tử", "Ngân sách tỉnh"),
        ("PHỤ LỤC 01", "2", "Xây dựng cơ sở dữ liệu dùng chung phục vụ chỉ đạo điều hành", None),
        ("PHỤ LỤC 01", "3", "Số hóa hồ sơ", "Nguồn chi thường xuyên"),
    ]
    assert result.tasks[0].deadline.raw == "Quý III/2024"
    assert result.tasks[0].section == "Nhiệm vụ chuyển đổi số"


def test_columns_mapped_by_header_words_not_position():
    result = extract("pipe_reordered.txt")
    assert rows(result, "stt", "content", "outputs") == [
        ("1", "Ban hành Kế hoạch CCHC", ["Kế hoạch"]),
        ("2", "Báo cáo kết quả", ["Báo cáo"]),
    ]
    assert [t.deadline.raw for t in result.tasks] == ["Quý I/2024", "Tháng 11/2024"]


def test_html_remnants_become_items():
    result = extract("html_remnants.txt")
    first, second = result.tasks
    assert first.content == "Củng cố Bộ phận một cửa & một cửa liên thông."
    assert first.outputs == ["Các văn bản đôn đốc", "Báo cáo kết quả thực hiện"]
    assert first.deadline.raw == "Tổ chức thực hiện: thường xuyên. Báo cáo: định kỳ hàng quý"
    assert second.outputs == ["Văn bản triển khai", "Báo cáo kết quả"]


def test_document_without_task_table_gives_empty_list_and_warning():
    result = extract("no_table.txt")
    assert result.tasks == []
    assert "no_task_table" in [w.code for w in result.warnings]
    assert result.document.status == "partial"


def test_text_stopping_mid_table_is_truncated():
    result = extract("truncated.txt")
    assert [t.stt for t in result.tasks] == ["1", "2"]
    assert result.document.truncated is True
    assert "truncated" in [w.code for w in result.warnings]


@pytest.mark.parametrize("name", sorted(p.name for p in LAYOUTS.glob("*.txt")))
def test_task_ids_depend_on_the_bytes_not_the_path(name):
    """Same bytes under another name and folder: same ids; the ids of one document are all different."""
    data = (LAYOUTS / name).read_bytes()
    here = [t.id for t in extract_bytes(data, f"a/{name}").result.tasks]
    there = [t.id for t in extract_bytes(data, f"elsewhere/b/renamed-{name}").result.tasks]
    assert here == there and len(set(here)) == len(here)


def test_task_id_is_the_documented_hash():
    """id = first 16 hex of sha256('<file sha256>|<table index>|<table label>|<row position>')."""
    import hashlib

    data = (LAYOUTS / "cells.txt").read_bytes()
    first = extract_bytes(data, "cells.txt").result.tasks[0]
    key = f"{hashlib.sha256(data).hexdigest()}|0|PHỤ LỤC SỐ 01|0"
    assert first.id == hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def test_short_section_rows_in_cell_per_line_layout():
    result = extract("cells_sections.txt")
    assert rows(result, "section", "stt", "content") == [
        ("Cải cách thể chế", "1", "Rà soát văn bản."),
        ("Cải cách thủ tục hành chính", "1", "Công bố thủ tục hành chính."),
    ]


def test_tsv_row_broken_over_lines_and_a_later_cell_per_line_table():
    result = extract("tsv_broken_then_cells.txt")
    assert rows(result, "stt", "content", "outputs") == [
        ("1", "Nội dung dòng một và dòng hai của nhiệm vụ", ["Báo cáo"]),
        ("2", "Nhiệm vụ hai", ["Kế hoạch"]),
        ("1", "Nhiệm vụ bảng sau.", ["Báo cáo"]),
    ]
    assert result.tasks[0].deadline.raw == "Quý I/2024"


def test_two_level_header_and_column_number_row():
    result = extract("two_level_header.txt")
    assert rows(result, "stt", "content", "outputs") == [("1", "Nhiệm vụ một", ["Báo cáo"])]
    task = result.tasks[0]
    assert [a.text for a in task.lead] == ["Sở Nội vụ"]
    assert [a.text for a in task.support] == ["Sở Tư pháp"]


def test_a_time_in_start_and_end_columns_under_one_header_is_one_span():
    # the lower header line names the two columns the upper "Thời gian" spans
    result = extract("start_end_columns.md")
    assert [(t.stt, t.deadline.raw, [(i.kind, i.start, i.due) for i in t.deadline.items], t.extra)
            for t in result.tasks] == [
        ("1", "01/3/2031 - 30/11/2031", [("period", date(2031, 3, 1), date(2031, 11, 30))], {}),
        ("2", "01/4/2031 - 31/12/2031", [("period", date(2031, 4, 1), date(2031, 12, 31))], {"Ghi chú": "Ưu tiên"}),
        ("3", "Quý IV/2031", [("quarter", date(2031, 10, 1), date(2031, 12, 31))], {})]
    assert "unknown_column" not in [w.code for w in result.warnings]


def test_words_under_a_header_spanning_two_columns_name_its_sub_columns():
    result = extract("spanning_header_sub_columns.md")
    assert [(t.stt, t.funding, t.extra, t.deadline.raw) for t in result.tasks] == [
        ("1", "500", {"Kinh phí (triệu đồng): Nguồn khác": "120"}, "Quý III/2031"),
        ("2", "80", {}, "Năm 2031")]


def test_a_cell_printed_as_same_as_above_takes_the_cell_above():
    # "nt", "-nt-", "Như trên", a ditto mark: the column's text in the task row above, flagged
    result = extract("same_as_above.txt")
    assert [(t.stt, [a.name for a in t.lead], [a.name for a in t.support], t.deadline.raw, t.flags)
            for t in result.tasks] == [
        ("1", ["Phòng Văn hóa và Thông tin"], ["Phòng Nội vụ"], "Quý I/2031", []),
        ("2", ["Phòng Văn hóa và Thông tin"], ["Phòng Nội vụ"], "Quý I/2031", ["same_as_above"]),
        ("3", ["Phòng Nội vụ"], ["Phòng Nội vụ"], "Quý III/2031", ["same_as_above"]),
        ("4", ["Ủy ban nhân dân cấp xã"], ["Phòng Nội vụ"], "Quý III/2031", ["same_as_above"])]


def test_a_group_column_printed_once_is_the_section_of_the_rows_under_it():
    result = extract("group_column.md")
    assert [(t.stt, t.section, t.area, t.extra) for t in result.tasks] == [
        ("1", "Cải cách thể chế", "institutions", {}),
        ("2", "Cải cách thể chế", "institutions", {}),
        ("3", "Xây dựng chính quyền số", "digital_government", {})]


def test_unnumbered_rows_that_title_a_group_are_section_rows():
    # "Nhóm …", "Lĩnh vực …" or text ending in a colon, alone in an unnumbered row; other unnumbered rows stay tasks
    result = extract("unnumbered_group_rows.md")
    assert [(t.stt, t.section, t.area, t.content) for t in result.tasks] == [
        ("1", "Nhóm nhiệm vụ về cải cách thể chế", "institutions", "Rà soát văn bản quy phạm pháp luật"),
        ("2", "Nhóm nhiệm vụ về cải cách thể chế", "institutions", "Theo dõi thi hành pháp luật"),
        ("3", "Nhiệm vụ về cải cách thủ tục hành chính", "procedures", "Công bố thủ tục hành chính"),
        ("", "Nhiệm vụ về cải cách thủ tục hành chính", "procedures", "Tổ chức đối thoại với doanh nghiệp"),
        ("4", "Lĩnh vực chính quyền số", "digital_government", "Nâng cấp cổng dịch vụ công"),
        ("", "Lĩnh vực chính quyền số", "digital_government", "Tuyên truyền về cải cách hành chính")]


def test_a_lead_slash_support_column_divides_its_cells_at_the_slash():
    # "Cơ quan chủ trì/phối hợp" in one column, its cells written the same way
    result = extract("lead_slash_support.md")
    assert [(t.stt, [a.name for a in t.lead], [a.name for a in t.support]) for t in result.tasks] == [
        ("1", ["Sở Tư pháp"], ["Các sở, ban, ngành cấp tỉnh"]),
        ("2", ["Sở Nội vụ"], ["Thanh tra tỉnh", "Sở Tư pháp"]),
        ("3", ["Sở Nội vụ"], [])]


def test_table_outside_appendix_with_numbered_group_rows():
    result = extract("body_table_groups.txt")
    assert rows(result, "table", "section", "stt", "content") == [
        ("", "Cải cách thể chế", "1.1", "Rà soát văn bản"),
        ("", "Cải cách thể chế", "1.2", "Kiểm tra văn bản"),
        ("", "Nhiệm vụ cụ thể", "2", "Số hóa hồ sơ"),
    ]


def test_lettered_section_rows_and_other_header_words_in_cell_layout():
    result = extract("cells_ministry_lettered.txt")
    assert rows(result, "section", "area", "stt", "outputs") == [
        ("Cải cách thể chế", "institutions", "1", ["Hồ sơ dự án Luật"]),
        ("Cải cách thể chế", "institutions", "2", ["Báo cáo rà soát"]),
    ]
    assert [t.deadline.raw for t in result.tasks] == ["Tháng 10/2024", "Quý IV/2024"]
    assert result.document.level == "ministry"


def test_post_2025_plan_with_funding_and_new_agency_names():
    result = extract("pipe_post2025.txt")
    assert rows(result, "section", "stt", "funding") == [
        ("Hạ tầng số", "1", "Ngân sách tỉnh"),
        ("Hạ tầng số", "2", "Doanh nghiệp"),
        ("Chính quyền số", "1", None),
        ("Chính quyền số", "2", None),
    ]
    assert [a.name for a in result.tasks[1].lead] == ["Sở Khoa học và Công nghệ"]
    assert [a.name for a in result.tasks[3].support] == ["Sở Nội vụ", "Sở Nông nghiệp và Môi trường"]


def test_title_rows_are_sections_whatever_their_number_reads():
    result = extract("misread_section_numbers.txt")
    assert rows(result, "section", "stt", "content") == [
        ("Công tác chỉ đạo, điều hành", "1", "Ban hành kế hoạch"),
        ("Cải cách thể chế", "1", "Rà soát văn bản"),
        ("Cải cách thủ tục hành chính", "1", "Công bố thủ tục"),
    ]


def test_column_aligned_table_read_by_header_positions():
    """pdftotext -layout / OCR style: a wrapped two-line header, cells wrapped at their column,
    one-space-apart cells, a section row, a page break with a page number and a repeated header,
    and an unnumbered row that states its own work."""
    result = extract("column_aligned.txt")
    assert rows(result, "table", "section", "stt", "content", "outputs") == [
        ("PHỤ LỤC", "Hạ tầng số", "1", "Nâng cấp mạng truyền số liệu chuyên dùng cấp II đến 100% xã, phường",
         ["Mạng được nâng cấp"]),
        ("PHỤ LỤC", "Hạ tầng số", "2",
         "Triển khai nền tảng tích hợp chia sẻ dữ liệu theo Quyết định số 12/QĐ-UBND của tỉnh",
         ["Nền tảng LGSP", "Báo cáo kết quả"]),
        ("PHỤ LỤC", "Dữ liệu số", "1", "Xây dựng cơ sở dữ liệu đất đai", ["Cơ sở dữ liệu"]),
        ("PHỤ LỤC", "Dữ liệu số", "", "Số hóa hồ sơ hộ tịch", ["Dữ liệu hộ tịch"]),
    ]
    first, second, third, fourth = result.tasks
    assert [a.text for a in first.lead] == ["Sở Khoa học và Công nghệ"]
    assert [a.text for a in first.support] == ["Các sở, ban, ngành", "UBND cấp xã"]
    assert [(i.kind, i.due.isoformat()) for i in second.deadline.items] == [("month", "2025-06-30"), ("month", "2025-12-31")]
    assert [a.text for a in third.lead] == ["Sở Nông nghiệp và Môi trường"]
    assert (fourth.deadline.raw, [a.text for a in fourth.lead]) == ("Thường xuyên", ["Sở Tư pháp"])
    assert result.warnings == []


def test_one_file_mixing_pipe_tsv_and_column_aligned_tables():
    result = extract("mixed_layouts.txt")
    assert rows(result, "table", "stt", "content", "outputs") == [
        ("PHỤ LỤC SỐ 01", "1", "Lắp đặt mạng nội bộ tại Ủy ban nhân dân các xã", ["Mạng nội bộ"]),
        ("PHỤ LỤC SỐ 01", "2", "Trang bị máy tính cho bộ phận một cửa", ["Máy tính"]),
        ("PHỤ LỤC SỐ 02", "1", "Số hóa hồ sơ lưu trữ của huyện", ["Hồ sơ số hóa"]),
        ("PHỤ LỤC SỐ 02", "2", "Cập nhật dữ liệu dân cư", ["Dữ liệu được cập nhật"]),
        ("PHỤ LỤC SỐ 03", "1", "Tập huấn kỹ năng số cho cán bộ, công chức cấp xã", ["Lớp tập huấn"]),
    ]
    assert [[a.text for a in t.lead] for t in result.tasks][-1] == ["Phòng Văn hóa và Thông tin"]
    assert [t.deadline.raw for t in result.tasks] == ["Quý I/2025", "Quý II/2025", "Năm 2025", "Thường xuyên", "Tháng 3/2025"]


def test_second_content_like_column_is_kept_in_extra():
    """GOLD_SPEC: content is the Nội dung / Nhiệm vụ column and names no joining rule, so beside
    "Tên dự án, nhiệm vụ" a "Nội dung chính" column stays on the task under its header."""
    result = extract("two_content_columns.txt")
    assert [(t.stt, t.content, t.extra, t.outputs) for t in result.tasks] == [
        ("1", "Đề án phát triển sàn giao dịch công nghệ",
         {"Nội dung chính": "Xây dựng quy chế vận hành; kết nối các sàn địa phương"}, []),
        ("2", "Nhiệm vụ thống kê khoa học và công nghệ",
         {"Nội dung chính": "Điều tra nghiên cứu và phát triển năm 2025"}, []),
    ]


def test_markdown_pipe_tables_without_outer_bars_as_web_converters_write_them():
    """html2text and similar tools: 'a | b' rows under '---|---', emphasis, escapes and <br> in cells,
    headings hard-wrapped with adjacent emphasis spans, a layout table in the document header."""
    result = extract("markdown_bare_pipes.md")
    assert rows(result, "section", "stt", "content") == [
        ("Tổ chức hội nghị “Đối thoại với doanh nghiệp” về thủ tục hành chính", "1", "Đối thoại về thủ tục đất đai"),
        ("Tổ chức hội nghị “Đối thoại với doanh nghiệp” về thủ tục hành chính", "2",
         "Đối thoại về thuế và hải quan"),
        ("Kiểm tra công tác cải cách hành chính", "1", "Kiểm tra tại các xã | phường"),
    ]
    assert [[a.name for a in t.lead] for t in result.tasks] == [
        ["Sở Nông nghiệp và Môi trường"], ["Sở Tài chính"], ["Sở Nội vụ"]]
    assert [t.deadline.raw for t in result.tasks] == ["Quý II/2025", "Tháng 9/2025", "Quý IV/2025"]
    assert result.document.plan_number == "45/KH-UBND"
    assert result.document.title == "Kế hoạch cải cách hành chính năm 2025"
    assert result.document.signer == "Nguyễn Văn An"  # a layout table cell whose lines became spans


def test_prose_hard_wrapped_by_a_tool_is_joined_before_headings_are_read():
    """pdftotext or OCR text wraps paragraphs at a width: a numbered paragraph wrapped over three lines is
    not a heading (the section stays the heading above it), and a heading wrapped short goes on in its
    lower-case next line."""
    result = extract("wrapped_prose.txt")
    assert rows(result, "section", "stt", "content") == [
        ("Nội dung tuyên truyền", "1", "Tuyên truyền trên Báo Bắc Kạn"),
        ("Nội dung tuyên truyền", "2", "Tuyên truyền trên Cổng thông tin điện tử tỉnh"),
        ("Tổ chức chương trình “Đối thoại về cải cách hành chính” với người dân", "1",
         "Đối thoại trực tiếp với người dân tại xã"),
    ]


def test_a_date_wrapped_onto_the_line_above_the_documents_name_stays_apart_from_it():
    """Layout text wrapped at a width: the date's last words go on in the date line, but the name of
    the document in capitals under it is its own line (a line in capitals never goes on in one that
    is not)."""
    blocks = read_text((LAYOUTS / "date_wrapped_above_name.txt").read_bytes()).blocks
    texts = [b.text for b in blocks if isinstance(b, TextLine)]
    assert texts[texts.index("KẾ HOẠCH") - 1].endswith("Thanh Hóa, ngày 12 tháng 3 năm 2026")
    assert texts[texts.index("KẾ HOẠCH") + 1] == "TRIỂN KHAI CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2026"
    meta = extract_bytes((LAYOUTS / "date_wrapped_above_name.txt").read_bytes(), "plan.txt").result.document
    assert (meta.doc_type, meta.title, meta.plan_date) == (
        "plan", "Kế hoạch triển khai công tác cải cách hành chính năm 2026", date(2026, 3, 12))


def test_pdftotext_layout_of_a_browser_print_with_running_furniture():
    """pdftotext -layout of a page printed from a browser: each page opens with the print date and
    the site's title and ends with the page's address and "n/2" (form feeds between pages), the
    whole text sits two columns in from the left, the table's header ends page 1 and its rows,
    left-aligned and wider than their centred headers, follow on page 2."""
    result = extract("browser_printed_layout.txt")
    document = result.document
    assert (document.title, document.plan_number, str(document.plan_date)) == (
        "Kế hoạch triển khai chuyển đổi số trong cơ quan nhà nước năm 2031", "45/KH-UBND", "2031-03-20")
    assert [(t.section, t.stt, t.content, [a.name for a in t.lead], [a.name for a in t.support], t.deadline.raw)
            for t in result.tasks] == [
        ("Tổ chức thực hiện", "1", "Nâng cấp Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh",
         ["Sở Khoa học và Công nghệ"], ["Văn phòng Ủy ban nhân dân tỉnh"], "Quý II/2031"),
        ("Tổ chức thực hiện", "2", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực",
         ["Sở Nội vụ"], ["Các sở, ban, ngành cấp tỉnh"], "Tháng 9/2031"),
        ("Tổ chức thực hiện", "3", "Tập huấn kỹ năng số cho cán bộ, công chức cấp xã",
         ["Sở Nội vụ"], ["Sở Khoa học và Công nghệ"], "Quý IV/2031"),
    ]
    text = [b.text for b in read_text((LAYOUTS / "browser_printed_layout.txt").read_bytes()).blocks
            if isinstance(b, TextLine)]
    assert not [t for t in text if "example.vn" in t or "Cổng thông tin" in t]
    assert "1. Phân công các sở, ban, ngành và Ủy ban nhân dân các huyện chủ trì, phối hợp thực hiện các nhiệm vụ " \
           "chuyển đổi số trong cơ quan nhà nước năm 2031 theo đúng tiến độ được giao tại bảng dưới đây như sau:" in text


def test_reading_order_pdf_text_without_a_table_says_how_to_get_one():
    """pdftotext without -layout: a table's cells scattered one fragment per line, pages parted by
    form feeds; no table can be read, and the warning says which text would give it."""
    scattered = ("KẾ HOẠCH\nThực hiện nhiệm vụ năm 2031\n\nTT\n\nNội dung\n\n1\n\nRà soát thủ tục\nSở Nội vụ\n"
                 "hành chính\n\nQuý I/\n2031\n\f2\n\nCập nhật\nSở Tư pháp\ncơ sở dữ liệu\n\f")
    result = extract_bytes(scattered.encode(), "scattered.txt").result
    assert result.tasks == []
    [warning] = [w for w in result.warnings if w.code == "no_task_table"]
    assert "pdftotext -layout" in warning.message and "form feeds" in warning.message
    single = extract_bytes(scattered.replace("\f", "").encode(), "scattered.txt").result
    assert "form feeds" not in next(w.message for w in single.warnings if w.code == "no_task_table")
