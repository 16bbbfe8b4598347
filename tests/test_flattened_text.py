"""Text whose tables were flattened to one cell per line (a scraped page's text, a PDF viewer's copy,
Word-saved HTML scraped the same way). Invented plans, exact expected records."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from plantasks.parsers.blocks import TableRow
from plantasks.parsers.text_reader import read_text
from plantasks.pipeline.extract import extract_bytes

FLAT = Path(__file__).parent / "fixtures" / "flattened"


def extract(name: str):
    path = FLAT / name
    return extract_bytes(path.read_bytes(), str(path)).result


def records(result):
    return [(t.section, t.stt, t.content, t.outputs, [a.name for a in t.lead], [a.name for a in t.support],
             t.deadline.raw if t.deadline else "") for t in result.tasks]


def test_scraped_page_with_sections_vanished_cells_and_a_repeated_header():
    result = extract("scraped_page.txt")
    assert records(result) == [
        ("Cải cách thể chế", "1", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật do tỉnh ban hành",
         ["Báo cáo kết quả rà soát"], ["Sở Tư pháp"], ["Các sở, ban, ngành cấp tỉnh"], "Quý II/2025"),
        # the empty Sản phẩm and phối hợp cells left nothing: the agency stays the lead, the time the deadline
        ("Cải cách thể chế", "2", "Theo dõi tình hình thi hành pháp luật", [], ["Sở Tư pháp"], [], "Tháng 11/2025"),
        # the empty time cell: the second agency is the cooperating body, not the deadline
        ("Cải cách thể chế", "3", "Kiểm tra việc thực hiện văn bản quy phạm pháp luật", ["Kết luận kiểm tra"],
         ["Sở Tư pháp"], ["Thanh tra tỉnh"], ""),
        ("Cải cách thủ tục hành chính", "1",
         "Triển khai dịch vụ công trực tuyến toàn trình đối với các thủ tục đủ điều kiện",
         ["Kế hoạch triển khai", "Báo cáo đánh giá"], ["Văn phòng Ủy ban nhân dân tỉnh"],
         ["Các sở, ban, ngành cấp tỉnh", "Ủy ban nhân dân cấp huyện"], "Năm 2025"),
        ("Cải cách thủ tục hành chính", "2", "Công bố danh mục thủ tục hành chính", ["Quyết định công bố"],
         ["Văn phòng Ủy ban nhân dân tỉnh"], [], "Thường xuyên"),
    ]
    assert {t.table for t in result.tasks} == {"PHỤ LỤC"}
    first = result.tasks[0]
    assert (first.source.line_start, first.source.line_end) == (83, 105)
    # the numbered section and paragraphs after the table stay text
    assert "no_task_table" not in [w.code for w in result.warnings]
    assert result.document.signer == "Hoàng Văn Nam"


def test_scraped_page_cells_keep_the_lines_they_came_from():
    doc = read_text((FLAT / "scraped_page.txt").read_bytes())
    rows = [b for b in doc.blocks if isinstance(b, TableRow)]
    header = rows[0]
    assert header.texts == ["STT", "Nội dung nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp",
                            "Thời gian hoàn thành"]
    assert (header.cells[4].prov.line_start, header.cells[4].prov.line_end) == (59, 61)
    assert rows[1].texts[:2] == ["I", "CẢI CÁCH THỂ CHẾ"]
    task = rows[2]
    content = task.cells[1]
    assert content.text == "Rà soát, hệ thống hóa văn bản quy phạm pháp luật do tỉnh ban hành"
    assert (content.prov.line_start, content.prov.line_end) == (87, 89)
    assert (task.cells[5].prov.line_start, task.cells[5].prov.line_end) == (105, 105)
    # the header printed again on the next page is a header row, not a task
    assert [r.texts[0] for r in rows] == ["STT", "I", "1", "2", "3", "STT", "II", "1", "2"]


def test_pdf_copy_without_blank_lines_and_header_words_broken_over_lines():
    result = extract("pdf_copy.txt")
    assert [r[1:] for r in records(result)] == [
        ("1", "Xây dựng cơ sở dữ liệu dùng chung của huyện phục vụ chỉ đạo, điều hành", [],
         ["Văn phòng HĐND và UBND huyện"], ["Các phòng, ban, ngành cấp huyện"], "Quý III/2025"),
        ("2", "Cập nhật Trang thông tin điện tử huyện", [], ["Phòng Văn hóa và Thông tin"], [], "Hằng tháng"),
        ("3", "Bồi dưỡng kỹ năng số cho cán bộ, công chức cấp xã", [], ["Phòng Nội vụ"],
         ["Ủy ban nhân dân cấp xã"], "Tháng 6/2025"),
        # "Phòng Tài chính -" / "Kế hoạch": a cell does not end with a dash, the next line goes on in it
        ("4", "Triển khai thanh toán trực tuyến phí, lệ phí", [], ["Phòng Tài chính - Kế hoạch"],
         ["Kho bạc Nhà nước huyện"], "Năm 2025"),
    ]
    assert [(t.source.line_start, t.source.line_end) for t in result.tasks] == [(14, 19), (20, 23), (24, 28), (29, 34)]


def test_scraped_text_without_blank_lines_keeps_names_and_times_broken_over_lines_in_their_cell():
    # "Sở" / "Tài chính", "Trung tâm" / "Phục vụ …": no body is named by its head noun alone; "Từ" / "01/3/2025 …":
    # a cell does not end with "từ". Without these, the halves were laid into two columns
    result = extract("scraped_no_blank_lines.txt")
    assert [r[1:] for r in records(result)] == [
        ("1", "Rà soát văn bản về đất đai", [], ["Sở Tư pháp"], ["Các sở, ban, ngành cấp tỉnh"], "Quý II/2025"),
        ("2", "Rà soát văn bản về đầu tư công", [], ["Sở Tài chính"], ["Sở Tư pháp"], "Từ 01/3/2025 đến 30/6/2025"),
        ("3", "Tổng hợp kết quả rà soát", [], ["Văn phòng Ủy ban nhân dân tỉnh"],
         ["Trung tâm Phục vụ hành chính công tỉnh"], "Tháng 12/2025"),
        # "Từ 8 giờ 00" / "- 10 giờ 30 …": a range broken before its dash; "UBND" / "Thị xã …": a body before its unit
        ("4", "Đối thoại trực tuyến với doanh nghiệp", [], ["Ủy ban nhân dân thị xã Duy Tiên"], [],
         "Từ 8 giờ 00 - 10 giờ 30 ngày 15 tháng 5"),
    ]


def test_word_html_fragments_indented_wraps_and_numbered_paragraphs_after_the_table():
    result = extract("word_html.txt")
    first = "Tổ chức chương trình “Đối thoại về Cải cách hành chính” với các sở, ngành"
    assert records(result) == [
        (first, "1", "Giải đáp kiến nghị về thủ tục hành chính thuộc thẩm quyền của Sở Y tế", [], ["Sở Y tế"], [],
         "Từ 20 giờ đến 20 giờ 30 ngày 14 tháng 2"),
        (first, "2", "Giải đáp kiến nghị về thủ tục hành chính thuộc thẩm quyền của Sở Xây dựng", [],
         ["Sở Xây dựng"], [], "Từ 20 giờ đến 20 giờ 30 ngày 14 tháng 3"),
        # "b) …:" over the second table is its heading, not a row of the first; "2." and "3." after it
        # (numbered unlike its rows) are paragraphs
        ("Tổ chức chương trình “Đối thoại” với các xã", "1", "Giải đáp kiến nghị của người dân xã Tân An", [],
         ["Ủy ban nhân dân xã Tân An"], [], "Từ 20 giờ đến 20 giờ 30 ngày 28 tháng 2"),
    ]
    doc = read_text((FLAT / "word_html.txt").read_bytes())
    lines = [b.text for b in doc.blocks if not isinstance(b, TableRow)]
    assert lines[:2] == ["KẾ HOẠCH", "Tuyên truyền cải cách hành chính năm 2025"]


def test_text_browser_page_cells_centred_with_a_head_noun_as_its_own_paragraph():
    """As `lynx -dump` prints a table: every cell (and every paragraph of a cell) on its own line, centred,
    a blank line after each; a cell whose name starts with its head noun alone ("Ủy ban" / "nhân dân
    các xã, phường") keeps both paragraphs, the cell before it is not lengthened."""
    assert records(extract("text_browser_centred.txt")) == [
        ("Tổ chức thực hiện", "1", "Đề án phát triển kinh tế ban đêm", [], ["Sở Công Thương"],
         ["Sở Văn hóa, Thể thao và Du lịch"], "Tháng 6/2026"),
        ("Tổ chức thực hiện", "2", "Đề án chuyển đổi số trong giáo dục", [], ["Sở Giáo dục và Đào tạo"],
         ["Ủy ban nhân dân cấp xã"], "Quý III/2026"),
        ("Tổ chức thực hiện", "3", "Đề án nâng cao năng lực phòng cháy", [], ["Công an tỉnh"],
         ["Ban Chỉ huy quân sự tỉnh"], "Tháng 10/2026"),
    ]


def test_header_printed_on_two_rows_puts_the_sub_columns_under_their_group():
    result = extract("two_level_header.txt")
    assert [r[1:] for r in records(result)] == [
        ("1", "Tổ chức hội nghị tập huấn nghiệp vụ", [], ["Sở Nội vụ"], ["Các sở, ban, ngành cấp tỉnh"],
         "Quý III/2025"),
        ("2", "Kiểm tra công tác cải cách hành chính", [], ["Sở Nội vụ"], [], "Tháng 10/2025"),
    ]


def test_prose_with_numbered_paragraphs_and_header_words_gives_no_rows():
    result = extract("prose_numbered.txt")
    assert result.tasks == []
    assert "no_task_table" in [w.code for w in result.warnings]
    doc = read_text((FLAT / "prose_numbered.txt").read_bytes())
    assert not any(isinstance(b, TableRow) for b in doc.blocks)


def text_lines(name: str) -> list[str]:
    doc = read_text((FLAT / name).read_bytes())
    return [b.text for b in doc.blocks if not isinstance(b, TableRow)]


def test_plan_scraped_without_blank_lines_takes_each_table_section_from_its_whole_heading():
    # every fragment on its own line and no blank line anywhere: headings broken over lines ("II. NHIỆM VỤ VÀ" /
    # "GIẢI PHÁP", "1." / "Tuyên truyền pháp luật" / "trong cơ quan nhà nước") are joined, items never glued on
    result = extract("stripped_plan.txt")
    agency = "Tuyên truyền pháp luật trong cơ quan nhà nước"
    radio = "Tổ chức chuyên mục “Pháp luật và Cuộc sống” trên Đài Phát thanh xã"
    commune = "Ủy ban nhân dân cấp xã"
    assert records(result) == [
        (agency, "1", "Tổ chức hội nghị phổ biến luật mới ban hành", [], ["Sở Tư pháp"],
         ["Các sở, ban, ngành cấp tỉnh"], "Quý II/2025"),
        (agency, "2", "Biên soạn tài liệu hỏi đáp pháp luật", [], ["Sở Tư pháp"], [], "Tháng 6/2025"),
        (radio, "1", "Giới thiệu Luật Đất đai", [], [commune], [], "Tháng 4/2025"),
        (radio, "2", "Giới thiệu Luật Hôn nhân và gia đình", [], [commune], [], "Tháng 5/2025"),
        # a heading right over the header: the header's first cell is not glued to it
        ("Phát hành tờ gấp pháp luật", "1", "In và phát tờ gấp về phòng, chống ma túy", [], [commune], [],
         "Quý III/2025"),
    ]
    # "III." after a table that opened with numbered rows is the plan's next heading, not a section row
    assert text_lines("stripped_plan.txt") == [
        "ỦY BAN NHÂN DÂN TỈNH KON TUM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "-------------",
        "Số: 37/KH-UBND",
        "Kon Tum, ngày 14 tháng 3 năm 2025",
        "KẾ HOẠCH",
        "Phổ biến, giáo dục pháp luật năm 2025",
        "Thực hiện Luật Phổ biến, giáo dục pháp luật, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "Nâng cao nhận thức pháp luật của cán bộ, công chức và Nhân dân trên địa bàn tỉnh.",
        "2. Yêu cầu",
        "a) Bảo đảm thiết thực, hiệu quả.",
        "b) Gắn với nhiệm vụ chính trị của địa phương.",
        "II. NHIỆM VỤ VÀ GIẢI PHÁP",
        # a line opening with a capital after a heading is the heading's text, not more of its title
        "1. " + agency,
        "Các sở, ban, ngành thực hiện các nhiệm vụ sau:",
        "2. Phổ biến pháp luật cho người dân",
        "Ủy ban nhân dân cấp xã chủ trì, phối hợp với Mặt trận Tổ quốc cùng cấp thực hiện:",
        "a) " + radio + ":",
        "Đài Phát thanh xã phát sóng hằng tuần các chuyên mục sau:",
        "b) Phát hành tờ gấp pháp luật",
        "III. TỔ CHỨC THỰC HIỆN",
        "Sở Tư pháp theo dõi, đôn đốc việc thực hiện Kế hoạch này (qua Phòng Phổ biến pháp luật) và báo cáo"
        " Ủy ban nhân dân tỉnh./.",
        "Nơi nhận:",
        "- Bộ Tư pháp;",
        "- Lưu: VT.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Văn Bình",
    ]
    doc = result.document
    assert (doc.title, doc.signer, doc.plan_number) == (
        "Kế hoạch phổ biến, giáo dục pháp luật năm 2025", "Trần Văn Bình", "37/KH-UBND")


def test_copy_wrapped_at_a_width_without_blank_lines_joins_wrapped_lines_but_not_a_heading_and_its_text():
    # a line reaching the wrap width goes on even before a capital ("… huyện và" / "Hệ thống …", "… đã được" /
    # "UBND tỉnh …"); a numbered title that reaches it is still followed by its own text ("2. Nâng cao …" /
    # "Văn phòng HĐND và UBND huyện chủ trì …")
    result = extract("stripped_wrapped_plan.txt")
    title = "Nâng cao chất lượng phục vụ của Bộ phận một cửa huyện"
    office = "Văn phòng HĐND và UBND huyện"
    assert records(result) == [
        (title, "1", "Khảo sát mức độ hài lòng của người dân", [], [office], ["Phòng Nội vụ"], "Quý III/2025"),
        (title, "2", "Lưu trữ điện tử hồ sơ thủ tục hành chính", [], [office], [], "Tháng 10/2025"),
    ]
    lines = text_lines("stripped_wrapped_plan.txt")
    assert lines[7:16] == [
        "Căn cứ Kế hoạch cải cách hành chính của tỉnh năm 2025, Ủy ban nhân dân huyện ban hành Kế hoạch cải cách"
        " hành chính năm 2025 trên địa bàn huyện như sau:",
        "I. MỤC TIÊU",
        "Nâng cao chất lượng giải quyết thủ tục hành chính, bảo đảm công khai, minh bạch; tăng cường trách nhiệm"
        " người đứng đầu các cơ quan, đơn vị trong chỉ đạo, điều hành công tác CCHC gắn với kỷ luật, kỷ cương"
        " hành chính trên địa bàn huyện.",
        "II. NHIỆM VỤ",
        "1. Công khai thủ tục hành chính trên môi trường điện tử",
        "Các thủ tục hành chính thuộc thẩm quyền giải quyết của huyện được công khai đầy đủ trên Trang thông tin"
        " điện tử huyện và Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh, bảo đảm người dân, doanh"
        " nghiệp dễ tra cứu, dễ thực hiện.",
        "a) Cập nhật kịp thời các thủ tục hành chính mới đã được UBND tỉnh công bố lên Cổng dịch vụ công trong"
        " ngày làm việc.",
        "2. " + title,
        office + " chủ trì thực hiện các nhiệm vụ:",
    ]


def test_appendix_scraped_without_blank_lines_keeps_its_title_and_section_rows_whole():
    # "CÁC NHIỆM VỤ" / "TRỌNG TÂM VỀ …": an appendix title in capitals over two lines is one title; a section
    # row's title and a cell's text the page's source wrapped (the indented line) stay one cell
    result = extract("stripped_appendix.txt")
    home, staff = "Sở Tư pháp", "Sở Nội vụ"
    assert records(result) == [
        ("Các nhiệm vụ trọng tâm về cải cách thể chế", "1", "Rà soát văn bản quy phạm pháp luật", [], [home],
         ["Các sở, ban, ngành cấp tỉnh"], "Quý II/2025"),
        ("Các nhiệm vụ trọng tâm về cải cách thể chế", "2", "Kiểm tra việc thi hành pháp luật", [], [home], [],
         "Tháng 10/2025"),
        ("Cải cách tổ chức bộ máy", "1", "Sắp xếp các đơn vị sự nghiệp công lập", [], [staff],
         ["Các sở, ban, ngành cấp tỉnh"], "Năm 2025"),
        ("Cải cách chế độ công vụ", "1", "Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức năm 2025", [], [staff],
         ["Các sở, ban, ngành cấp tỉnh", "Ủy ban nhân dân cấp huyện"], "Quý I/2025"),
        ("Cải cách chế độ công vụ", "2", "Tuyển dụng công chức", [], [staff], [], "Năm 2025"),
    ]
    assert [t.table for t in result.tasks] == ["PHỤ LỤC SỐ 01"] * 2 + ["PHỤ LỤC SỐ 02"] * 3


# -- any flattened plan: a vanished empty cell never moves a cell into another column ----------------
_CONTENTS = ["Rà soát thủ tục hành chính", "Kiểm tra công tác cải cách hành chính", "Nâng cấp hệ thống một cửa điện tử"]
_OUTPUTS = ["Báo cáo kết quả", "Kế hoạch triển khai", "Quyết định phê duyệt"]
_LEADS = ["Sở Nội vụ", "Sở Tư pháp", "Văn phòng UBND tỉnh"]
_SUPPORTS = ["Các sở, ban, ngành", "UBND cấp huyện", "Sở Tài chính"]
_TIMES = ["Quý II/2025", "Tháng 10/2025", "Thường xuyên", "Năm 2025"]
_HEADER = ["STT", "Nội dung", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn hoàn thành"]


@st.composite
def _plans(draw):
    rows = []
    for n in range(1, draw(st.integers(1, 5)) + 1):
        rows.append([str(n), draw(st.sampled_from(_CONTENTS)),
                     draw(st.sampled_from(_OUTPUTS + [""])), draw(st.sampled_from(_LEADS)),
                     draw(st.sampled_from(_SUPPORTS + [""])), draw(st.sampled_from(_TIMES + [""]))])
    cell_gap = draw(st.integers(0, 4))
    row_gap = cell_gap + draw(st.integers(0 if cell_gap == 0 else 1, 6))
    return rows, cell_gap, row_gap


def _render(rows, cell_gap, row_gap) -> str:
    def cells(texts):
        kept = [t for t in texts if t]  # an empty cell leaves nothing
        return ("\n" * (cell_gap + 1)).join(kept)
    parts = ["Ủy ban nhân dân tỉnh ban hành danh mục nhiệm vụ như sau:", cells(_HEADER)]
    parts += [cells(r) for r in rows]
    parts.append("Nơi nhận:")
    return ("\n" * (row_gap + 1)).join(parts) + "\n"


@settings(max_examples=60, deadline=None)
@given(_plans())
def test_any_flattened_plan_puts_each_cell_in_its_column(plan):
    rows, cell_gap, row_gap = plan
    doc = read_text(_render(rows, cell_gap, row_gap))
    table = [b.texts for b in doc.blocks if isinstance(b, TableRow)]
    assert table[0] == _HEADER
    assert table[1:] == rows


# -- any outline scraped without blank lines: headings whole, items and the table's header never glued on -----
_ROMAN_TITLES = ["MỤC ĐÍCH, YÊU CẦU", "NHIỆM VỤ VÀ GIẢI PHÁP", "TỔ CHỨC THỰC HIỆN"]
_TITLES = ["Tuyên truyền pháp luật trong cơ quan nhà nước", "Kiểm tra việc thực hiện kế hoạch",
           "Nâng cao chất lượng phục vụ người dân"]
_SENTENCES = ["Các cơ quan, đơn vị chủ động triển khai thực hiện.",
              "Cán bộ, công chức nâng cao tinh thần trách nhiệm trong thực thi công vụ.",
              "Kết quả thực hiện được báo cáo định kỳ hằng quý.", "Các sở, ngành thực hiện các nhiệm vụ sau:"]
_TABLE = [["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian"], ["1", "Rà soát thủ tục hành chính", "Sở Tư pháp", "Quý II/2025"]]


@st.composite
def _outlines(draw):
    """Paragraphs (marker, text) of a plan's outline, after which of them a small table stands, a random
    source for where lines break, and the blank lines between paragraphs (0: none at all)."""
    paragraphs = []
    for roman in ("I", "II", "III")[:draw(st.integers(1, 3))]:
        paragraphs.append((roman + ".", draw(st.sampled_from(_ROMAN_TITLES))))
        for n in range(1, draw(st.integers(1, 2)) + 1):
            paragraphs.append((f"{n}.", draw(st.sampled_from(_TITLES))))
            paragraphs.append(("", draw(st.sampled_from(_SENTENCES))))
            for letter in "ab"[:draw(st.integers(0, 2))]:
                paragraphs.append((letter + ")", draw(st.sampled_from(_SENTENCES))))
    # the table stands under a numbered title's paragraph, the next heading after it
    ends = [i for i in range(1, len(paragraphs)) if paragraphs[i - 1][0] in ("1.", "2.")
            and (i + 1 == len(paragraphs) or paragraphs[i + 1][0])]
    table_after = draw(st.sampled_from(ends))
    return paragraphs, table_after, draw(st.randoms(use_true_random=False)), draw(st.integers(0, 3))


def _fragments(marker: str, text: str, rng) -> list[str]:
    """A paragraph as a scraper prints it: its marker alone or on the first line, its words cut anywhere."""
    words = text.split()
    cuts = sorted(rng.sample(range(1, len(words)), rng.randint(0, min(3, len(words) - 1))))
    lines = [" ".join(words[a:b]) for a, b in zip([0] + cuts, cuts + [len(words)])]
    if marker and rng.random() < 0.5:
        return [marker] + lines
    return [f"{marker} {lines[0]}".strip()] + lines[1:]


@settings(max_examples=60, deadline=None)
@given(_outlines())
def test_any_outline_scraped_without_blank_lines_keeps_its_paragraphs(outline):
    paragraphs, table_after, rng, gap = outline
    parts = []
    for i, (marker, text) in enumerate(paragraphs):
        parts.append("\n".join(_fragments(marker, text, rng)))
        if i == table_after:
            parts.append("\n".join(cell for row in _TABLE for cell in row))
    doc = read_text(("\n" * (gap + 1)).join(parts) + "\n")
    assert [b.text for b in doc.blocks if not isinstance(b, TableRow)] == [f"{m} {t}".strip() for m, t in paragraphs]
    assert [b.texts for b in doc.blocks if isinstance(b, TableRow)] == _TABLE


def test_resolution_scraped_without_blank_lines_keeps_article_titles_with_their_label():
    text = "\n".join([
        "ỦY BAN THƯỜNG VỤ QUỐC HỘI", "-------", "Nghị quyết số: 12/2026/UBTVQH15", "NGHỊ QUYẾT",
        "Điều chỉnh Chương trình lập pháp năm 2026", "Căn cứ Luật Tổ chức Quốc hội;", "QUYẾT NGHỊ:",
        "Điều 1.", "Điều chỉnh Chương trình lập pháp năm 2026", "Bổ sung các dự án sau vào Chương trình:",
        "STT", "Tên dự án", "Cơ quan trình", "Thời gian trình", "1", "Luật Quy hoạch (sửa đổi)", "Chính phủ",
        "Tháng 5/2026", "Điều 2.", "Tổ chức thực hiện", "Chính phủ và các cơ quan hữu quan tổ chức thực hiện.",
        "CHỦ TỊCH", "(Đã ký)", "Trần Văn Minh"]) + "\n"
    doc = read_text(text)
    assert [b.texts for b in doc.blocks if isinstance(b, TableRow)] == [
        ["STT", "Tên dự án", "Cơ quan trình", "Thời gian trình"], ["1", "Luật Quy hoạch (sửa đổi)", "Chính phủ", "Tháng 5/2026"]]
    assert [b.text for b in doc.blocks if not isinstance(b, TableRow)] == [
        "ỦY BAN THƯỜNG VỤ QUỐC HỘI", "-------", "Nghị quyết số: 12/2026/UBTVQH15", "NGHỊ QUYẾT",
        "Điều chỉnh Chương trình lập pháp năm 2026", "Căn cứ Luật Tổ chức Quốc hội;", "QUYẾT NGHỊ:",
        "Điều 1. Điều chỉnh Chương trình lập pháp năm 2026", "Bổ sung các dự án sau vào Chương trình:",
        "Điều 2. Tổ chức thực hiện", "Chính phủ và các cơ quan hữu quan tổ chức thực hiện.",
        "CHỦ TỊCH", "(Đã ký)", "Trần Văn Minh"]
