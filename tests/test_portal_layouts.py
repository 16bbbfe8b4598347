"""Real renderings of a plan, one invented fixture per family, each asserting the exact rows and cells:
portal markdown (cells between lone `|` lines), saved portal pages (HTML tables with rowspan/colspan),
columns by meaning (legislative programmes, columns kept as `extra`, unknown headers)."""

from pathlib import Path

import pytest

from plantasks.parsers.columns import header_map
from plantasks.parsers.portal_markdown import paragraphs, strip_markup
from plantasks.parsers.row_layout import cell_kind, place_short_row
from plantasks.pipeline.extract import extract_bytes

FIXTURES = Path(__file__).parent / "fixtures"


def extract(path: Path):
    return extract_bytes(path.read_bytes(), str(path)).result


def rows(result):
    return [(t.table, t.section, t.stt, t.content, [a.text for a in t.lead], [a.text for a in t.support],
             t.deadline.raw) for t in result.tasks]


def test_portal_markdown_rows_group_rows_short_rows_and_tables_under_headings():
    result = extract(FIXTURES / "layouts" / "portal_markdown.txt")
    assert rows(result) == [
        # an empty cell inside a row stays an empty cell; markup and hard wraps are gone
        ("PHỤ LỤC", "Nhiệm vụ về quy hoạch", "1", "Rà soát quy hoạch chung đô thị theo hướng dẫn mới",
         ["Phòng Quy hoạch"], [], "Tháng 6/2025"),
        ("PHỤ LỤC", "Nhiệm vụ về quy hoạch", "2", "Lập kế hoạch kiểm tra", ["Phòng Quy hoạch"], ["Thanh tra Sở"],
         "Quý III/2025"),
        # the row left out the two agency cells merged from the row above: its time phrase goes to the
        # time column and the agencies are those of the merged cells
        ("PHỤ LỤC", "Nhiệm vụ về quy hoạch", "3", "Tổng hợp báo cáo quý", ["Phòng Quy hoạch"], ["Thanh tra Sở"],
         "Quý IV/2025"),
        # a bold title row with bold empty cells is a section row
        ("PHỤ LỤC", "Nhiệm vụ giao các phòng chuyên môn", "4", "Cập nhật cơ sở dữ liệu", ["Văn phòng Sở"],
         ["Phòng Quy hoạch", "Thanh tra Sở"], "Thường xuyên"),
        # the heading glued to the last cell of the table above starts the next table
        ("PHỤ LỤC", "Nhiệm vụ về nhà ở", "1", "Điều tra nhu cầu nhà ở xã hội", ["Phòng Nhà ở"], ["Văn phòng Sở"],
         "Năm 2025"),
    ]
    meta = result.document
    assert (meta.doc_type, meta.decision_number, str(meta.decision_date)) == ("decision", "45/TB-SXD", "2025-03-02")
    assert meta.signer == "Trần Văn An"  # after a delegation mark and a title
    assert meta.title is None or "Số hiệu" not in meta.title and meta.title != "Thông báo"
    assert "no_task_table" not in [w.code for w in result.warnings]


def test_saved_portal_page_legislative_programme():
    result = extract(FIXTURES / "html" / "legislative_programme.html")
    assert rows(result) == [
        # table in the body: no appendix label; the colspan row across the table is the section;
        # the submitting body is the lead (no drafting column), both examining columns are support;
        # the rowspan cell belongs to both rows
        ("", "Các dự án luật", "1", "Luật Thư viện (sửa đổi)", ["Chính phủ"],
         ["Ủy ban Văn hóa và Xã hội", "Hội đồng Dân tộc"], "Phiên họp tháng 3/2030"),
        ("", "Các dự án luật", "2", "Luật Lưu trữ (sửa đổi)", ["Chính phủ"],
         ["Ủy ban Pháp luật và Tư pháp", "Hội đồng Dân tộc"], "Phiên họp tháng 8/2030"),
    ]
    assert [t.extra for t in result.tasks] == [{"Hồ sơ": "Tờ trình, dự thảo"}, {}]
    meta = result.document
    assert (meta.doc_type, meta.decision_number, str(meta.decision_date)) == (
        "decision", "12/2030/UBTVQH16", "2030-02-10")
    assert meta.title == "Nghị quyết điều chỉnh Chương trình lập pháp năm 2030"
    assert (meta.period_start, meta.period_end, meta.signer) == (2030, 2030, "Nguyễn Văn Bình")
    assert (meta.issuer, meta.level) == ("Ủy ban Thường vụ Quốc hội", "national")  # name wrapped over two lines
    assert not meta.truncated  # the signature layout table after the task table is not a task row


def test_saved_portal_page_with_tables_of_its_own_around_the_plan():
    # the page's attributes table before and after the plan, and its related documents beside it
    result = extract(FIXTURES / "html" / "portal_related_documents.html")
    assert rows(result) == [
        ("PHỤ LỤC", "Công tác chỉ đạo, điều hành", "1", "Ban hành Kế hoạch tuyên truyền cải cách hành chính",
         ["Sở Nội vụ"], ["Các sở, ban, ngành"], "Quý I/2025"),
        ("PHỤ LỤC", "Công tác chỉ đạo, điều hành", "2", "Kiểm tra công tác cải cách hành chính", ["Sở Nội vụ"],
         ["Văn phòng UBND tỉnh"], "Quý III/2025"),
        ("PHỤ LỤC", "Cải cách thể chế", "3", "Rà soát văn bản quy phạm pháp luật", ["Sở Tư pháp"],
         ["Các sở, ngành", "UBND các huyện"], "Tháng 11/2025"),
    ]
    assert (result.document.plan_number, result.document.issuer) == ("45/KH-UBND", "Ủy ban nhân dân tỉnh Quảng Trị")
    assert [(w.code, w.message) for w in result.warnings if w.code == "other_table_row"] == [
        ("other_table_row", "read as text, not as a task: Số ký hiệu 45/KH-UBND Ngày ban hành 15/01/2025")]


def test_unknown_header_keeps_the_table_and_the_column():
    result = extract(FIXTURES / "layouts" / "tsv_unknown_and_extra_columns.txt")
    assert [(t.stt, t.content, [a.text for a in t.lead], t.extra) for t in result.tasks] == [
        ("1", "Rà soát thủ tục", ["Sở Tư pháp"],
         {"Mã định danh": "TT-01", "Người đứng đầu chịu trách nhiệm": "Giám đốc Sở Tư pháp"}),
        ("2", "Số hóa hồ sơ", ["Sở Nội vụ"],
         {"Mã định danh": "TT-02", "Người đứng đầu chịu trách nhiệm": "Giám đốc Sở Nội vụ"}),
    ]
    unknown = [w.message for w in result.warnings if w.code == "unknown_column"]
    assert len(unknown) == 1 and "Mã định danh" in unknown[0]


def test_columns_by_meaning():
    def roles(*headers):
        return header_map(list(headers))[0].roles

    assert roles("STT", "Tên dự án", "Cơ quan trình", "Cơ quan chủ trì thẩm tra", "Cơ quan tham gia thẩm tra",
                 "Tiến độ trình") == ("stt", "content", "lead", "support", "support", "deadline")
    # beside a drafting column the submitting body feeds no field
    assert roles("STT", "Tên văn bản", "Cơ quan chủ trì soạn thảo", "Cơ quan trình", "Cơ quan chuẩn bị ý kiến",
                 "Thời gian") == ("stt", "content", "lead", "extra", "support", "deadline")
    # a follow-up table: Kết quả thực hiện beside a status column is a report, not a product
    assert roles("STT", "Tên nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả thực hiện", "Tiến độ") == (
        "stt", "content", "lead", "deadline", "extra", "extra")
    assert roles("STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Kết quả thực hiện", "Thời hạn hoàn thành") == (
        "stt", "content", "lead", "outputs", "deadline")
    assert roles("STT", "Nhiệm vụ", "Văn bản giao nhiệm vụ", "Cơ quan chủ trì thực hiện", "Thời hạn hoàn thành") == (
        "stt", "content", "extra", "lead", "deadline")
    # lead and support in one column, written as its cells are ("Sở A/Sở B"); "chủ trì, phối hợp" names a performer column
    assert roles("TT", "Nội dung", "Đơn vị chủ trì/phối hợp", "Thời gian") == ("stt", "content", "lead_support", "deadline")
    assert roles("TT", "Nội dung", "Đơn vị chủ trì, phối hợp", "Thời gian") == ("stt", "content", "performer", "deadline")


def test_markdown_markup_and_hard_wraps():
    assert strip_markup("**06 Quyết định,** văn* *hóa[1]") == "06 Quyết định, văn hóa"
    assert paragraphs(["Thủ", "tướng Chính phủ đã ban hành.", "**1. Nhiệm vụ về quy", "hoạch**", "-",
                       "Mục một;", "- Mục hai"]) == [
        "Thủ tướng Chính phủ đã ban hành.", "1. Nhiệm vụ về quy hoạch", "- Mục một;", "- Mục hai"]


def test_short_row_cells_go_where_they_fit():
    headers = ["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian", "Kinh phí"]
    above = ["1", "Việc một", "Sở Tư pháp", "Quý I/2030", "50 triệu đồng"]
    assert [cell_kind(t) for t in above] == ["number", "text", "agency", "time", "money"]
    # the agency and time cells were merged with the row above
    assert place_short_row(["2", "Việc hai", "20 triệu đồng"], headers, above) == [
        "2", "Việc hai", "Sở Tư pháp", "Quý I/2030", "20 triệu đồng"]
    # the number and task text were merged (one task, several performers)
    assert place_short_row(["Sở Nội vụ", "Quý II/2030", "10 triệu đồng"], headers, above) == [
        "1", "Việc một", "Sở Nội vụ", "Quý II/2030", "10 triệu đồng"]


@pytest.mark.parametrize("text, kind", [
    ("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "text"),  # not 'Sở'
    ("Bổ sung quy chế phối hợp", "text"), ("Bảo đảm an toàn thông tin", "text"),  # not 'Bộ', 'Báo'
    ("Bàn giao hồ sơ lưu trữ", "text"), ("Đại hội thi đua yêu nước", "text"), ("Viên chức các đơn vị", "text"),
    ("Sở Tư pháp; Bộ Nội vụ", "agency"), ("Uỷ ban nhân dân các xã", "agency"), ("HĐND tỉnh", "agency"),
    ("Đài Phát thanh và Truyền hình", "agency"), ("Viện Kiểm sát nhân dân tỉnh", "agency"),
    ("So Tu phap, Cong an tinh", "agency"),  # printed without marks: read folded
])
def test_an_agency_cell_is_told_by_its_first_word_with_its_marks(text, kind):
    assert cell_kind(text) == kind


def test_a_short_row_keeps_a_task_that_starts_like_an_agency_in_the_task_column():
    headers = ["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian"]
    above = ["1", "Việc một", "Sở Tư pháp", "Quý I/2026"]
    assert place_short_row(["2", "Số hóa hồ sơ lưu trữ", "Quý II/2026"], headers, above) == [
        "2", "Số hóa hồ sơ lưu trữ", "Sở Tư pháp", "Quý II/2026"]
