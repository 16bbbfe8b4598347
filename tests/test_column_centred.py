"""Column-aligned tables whose cells are centred at their own heights, as `pdftotext -layout` prints
a table exported from a word processor: the row number mid-row, header cells spread over several
lines with words of several cells on one line, cells one space apart, rows with or without blank
lines between them, tables continued over pages. Fixtures are invented, with the exact rows."""

import textwrap
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from plantasks.parsers.blocks import TableRow, TextLine
from plantasks.parsers.column_aligned import Piece, _Grid
from plantasks.parsers.text_reader import read_text
from plantasks.pipeline.extract import extract_bytes

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
PROGRAMME_HEADER = ["STT", "Tên dự án", "Cơ quan trình", "Cơ quan chủ trì thẩm tra",
                    "Cơ quan tham gia thẩm tra", "Tiến độ trình UBTVQH"]
EXAMINERS = "Hội đồng Dân tộc, các Ủy ban khác của Quốc hội"


def table_rows(name: str) -> list[list[str]]:
    blocks = read_text((LAYOUTS / name).read_bytes()).blocks
    return [[c.text for c in b.cells] for b in blocks if isinstance(b, TableRow)]


def test_header_over_five_lines_rows_apart_cells_one_space_apart_and_a_page_break():
    assert table_rows("column_centred.txt") == [
        PROGRAMME_HEADER,
        ["1.", "Luật Quy hoạch đô thị và nông thôn (sửa đổi)", "Chính phủ", "Ủy ban Kinh tế và Tài chính",
         EXAMINERS, "Phiên họp tháng 10/2026"],
        ["2.", "Luật Thư viện (sửa đổi)", "Chính phủ", "Ủy ban Văn hóa và Xã hội", "Ủy ban Pháp luật và Tư pháp",
         "Phiên họp tháng 11/2026"],
        # continued after the page number, form feed and repeated header (printed one column to the left)
        ["3.", "Nghị quyết về thí điểm một số cơ chế, chính sách đặc thù phát triển vùng đồng bằng sông nước",
         "Chính phủ", "Ủy ban Kinh tế và Tài chính", EXAMINERS, "Phiên họp tháng 12/2026"],
        ["4.", "Luật Lưu trữ (sửa đổi)", "Tòa án nhân dân tối cao", "Ủy ban Pháp luật và Tư pháp", "Hội đồng Dân tộc",
         "Phiên họp tháng 12/2026"],
    ]


def test_text_around_the_table_stays_text():
    blocks = read_text((LAYOUTS / "column_centred.txt").read_bytes()).blocks
    texts = [b.text for b in blocks if isinstance(b, TextLine)]
    assert "Thường vụ Quốc hội cho ý kiến đối với các dự án như sau:" in texts
    assert texts[texts.index("Điều 3. Hiệu lực thi hành") - 1] == "Thường vụ Quốc hội cho ý kiến đối với các dự án như sau:"
    rows = [b.prov for b in blocks if isinstance(b, TableRow)]
    assert (rows[3].page, rows[3].line_start, rows[3].line_end) == (1, 32, 44)  # its lines on both pages
    assert (rows[4].page, rows[4].line_start, rows[4].line_end) == (2, 47, 48)


def test_legislative_programme_rows_become_tasks_with_lead_and_examiners():
    path = LAYOUTS / "column_centred.txt"
    result = extract_bytes(path.read_bytes(), str(path)).result
    assert [(t.stt, [a.name for a in t.lead], [a.name for a in t.support], t.deadline.raw) for t in result.tasks] == [
        ("1", ["Chính phủ"], ["Ủy ban Kinh tế và Tài chính", "Hội đồng Dân tộc", "Các Ủy ban khác của Quốc hội"],
         "Phiên họp tháng 10/2026"),
        ("2", ["Chính phủ"], ["Ủy ban Văn hóa và Xã hội", "Ủy ban Pháp luật và Tư pháp"], "Phiên họp tháng 11/2026"),
        ("3", ["Chính phủ"], ["Ủy ban Kinh tế và Tài chính", "Hội đồng Dân tộc", "Các Ủy ban khác của Quốc hội"],
         "Phiên họp tháng 12/2026"),
        ("4", ["Tòa án nhân dân tối cao"], ["Ủy ban Pháp luật và Tư pháp", "Hội đồng Dân tộc"], "Phiên họp tháng 12/2026"),
    ]


def test_rows_without_blank_lines_cut_where_cells_start_and_end():
    """The task column fills each row from its top; the number and the shorter cells sit mid-row,
    on lines of their own between the task column's lines; a row runs over a page break."""
    assert table_rows("column_centred_dense.txt") == [
        ["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành (năm 2026)"],
        ["1", "Tổ chức hội nghị tập huấn nghiệp vụ cải cách hành chính cho công chức cấp xã", "Sở Nội vụ",
         "Quý II/2026"],
        ["2", "Xây dựng chuyên mục về cải cách hành chính trên Cổng thông tin điện tử của tỉnh",
         "Văn phòng Ủy ban nhân dân tỉnh", "Tháng 6/2026"],
        ["3", "Khảo sát mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước",
         "Sở Nội vụ; Sở Khoa học và Công nghệ", "Trước ngày 15/11/2026"],
        ["4", "Tuyên truyền về Chỉ số cải cách hành chính trên Báo và Phát thanh, Truyền hình tỉnh",
         "Báo và Phát thanh, Truyền hình tỉnh", "Thường xuyên"],
    ]


def test_the_heading_after_a_dense_table_is_not_the_last_row():
    blocks = read_text((LAYOUTS / "column_centred_dense.txt").read_bytes()).blocks
    texts = [b.text for b in blocks if isinstance(b, TextLine)]
    assert "IV. TỔ CHỨC THỰC HIỆN" in texts


def centred(cells: list[str], widths: list[int], gap: int = 2) -> list[str]:
    """Cells wrapped in their columns and centred at the row's height and in their columns."""
    wrapped = [textwrap.wrap(c, w) for c, w in zip(cells, widths)]
    height = max(len(w) for w in wrapped)
    out = []
    for k in range(height):
        parts = []
        for lines, width in zip(wrapped, widths):
            k0 = k - (height - len(lines)) // 2
            parts.append(lines[k0].center(width) if 0 <= k0 < len(lines) else " " * width)
        out.append((" " * gap).join(parts).rstrip())
    return out


WORDS = st.sampled_from("rà soát văn bản quy phạm pháp luật kiểm tra công tác cải cách hành chính của tỉnh "
                        "xây dựng kế hoạch thực hiện năm các cơ quan đơn vị".split())
ENDING = st.sampled_from(["của tỉnh", "năm 2026", "hành chính", "văn bản"])  # a task ends on a noun, not on "của"
PHRASE = st.tuples(st.lists(WORDS, min_size=14, max_size=30), ENDING).map(lambda p: " ".join(p[0] + [p[1]]).capitalize())
AGENCY = st.sampled_from(["Sở Nội vụ", "Sở Tư pháp", "Văn phòng Ủy ban nhân dân tỉnh", "Ủy ban nhân dân cấp xã",
                          "Sở Khoa học và Công nghệ"])
TIME = st.sampled_from(["Quý II/2026", "Tháng 6/2026", "Thường xuyên", "Năm 2026", "Trước ngày 15/11/2026"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(PHRASE, AGENCY, TIME), min_size=2, max_size=6), st.booleans())
def test_any_centred_table_reads_back_its_cells(rows, apart):
    """Rows of three lines or more (the number below the row's first line), each cell centred, with
    or without a blank line between rows."""
    assume(all(len(textwrap.wrap(content, 26)) >= 3 for content, _, _ in rows))
    widths = [3, 26, 16, 12]
    lines = ["Các nhiệm vụ cụ thể như sau:", ""]
    lines += centred(["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian thực hiện"], widths)
    expected = []
    for n, (content, agency, time) in enumerate(rows, start=1):
        lines += [""] * apart + centred([str(n), content, agency, time], widths)
        expected.append([str(n), content, agency, time])
    lines += ["", "Nơi nhận:", "- Như trên;"]
    blocks = read_text("\n".join(lines)).blocks
    assert [b.texts for b in blocks if isinstance(b, TableRow)][1:] == expected
    assert [b.text for b in blocks if isinstance(b, TextLine)] == ["Các nhiệm vụ cụ thể như sau:", "Nơi nhận:", "- Như trên;"]


PROSE = st.lists(st.sampled_from(
    "STT TT Nội dung nhiệm vụ Cơ quan chủ trì phối hợp Thời gian hoàn thành Sản phẩm 1. 2. I. a) "
    "triển khai thực hiện kế hoạch năm 2026 các sở ban ngành".split()), min_size=5, max_size=60)


@settings(max_examples=60, deadline=None)
@given(st.lists(PROSE, min_size=1, max_size=5), st.integers(min_value=0, max_value=6))
def test_prose_with_header_words_is_never_a_table(paragraphs, indent):
    text = "\n\n".join("\n".join(" " * indent + w for w in textwrap.wrap(" ".join(p), 70)) for p in paragraphs)
    assert not [b for b in read_text(text).blocks if isinstance(b, TableRow)]


def test_a_line_printed_one_space_from_the_next_cell_is_cut_before_a_time_not_inside_it():
    """Two cells' lines one space apart across a gutter: the number stays with the word it follows
    ('tháng' 10/2026), and a capitalised word before a number ends its name ('Thể' | '15 giờ 30')."""
    grid = _Grid([(5, 8), (36, 37), (52, 52), (69, 70), (87, 88)])
    assert grid.place(Piece(72, 99, "các sở, ngành tháng 10/2026")) == [(4, "các sở, ngành"), (5, "tháng 10/2026")]
    grid = _Grid([(3, 5), (34, 34), (50, 51)])
    text = "và các kiến nghị của cử tri, Văn hóa và Thể 15 giờ 30"
    assert grid.place(Piece(6, 6 + len(text), text)) == [(1, "và các kiến nghị của cử tri,"), (2, "Văn hóa và Thể"),
                                                         (3, "15 giờ 30")]
    # a capitalised name across the gutter still stays whole
    text = "và các kiến nghị của cử tri, Văn hóa và Sở Công Thương"
    assert grid.place(Piece(6, 6 + len(text), text))[-1] == (3, "Sở Công Thương")


def test_number_header_one_space_before_the_next_and_a_date_wrapped_after_its_slash():
    """A narrow text browser (`w3m -dump -cols 80`) prints a borderless table with "STT" one space before
    "Tên dự án" and breaks "tháng 4/" before "2026"."""
    assert table_rows("column_centred_one_space.txt") == [
        PROGRAMME_HEADER,
        ["1.", "Luật Quản lý thuế (sửa đổi toàn diện Luật Quản lý thuế và Luật Thuế thu nhập cá nhân thành 01 luật)",
         "Chính phủ", "Ủy ban Kinh tế và Tài chính", EXAMINERS, "Phiên họp tháng 4/2026"],
        ["2.", "Luật Công chứng (sửa đổi)", "Chính phủ", "Ủy ban Pháp luật và Tư pháp", EXAMINERS,
         "Phiên họp tháng 5/2026"],
    ]
