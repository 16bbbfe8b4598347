"""Pandoc's own Markdown (`pandoc -t markdown`, not gfm) of a saved legal-portal page and of a Word
plan. The fixtures are invented pages and plans, printed by pandoc (checked in, so the tests need no
pandoc): a page's regions in fenced divs, its text in attribute spans, breadcrumbs as links, the task
table as a simple, a multiline or a grid table (pandoc picks by the cells and the column widths), and
a Word plan's narrow grid table whose words pandoc broke at the column width."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plantasks.parsers.blocks import TableRow, TextLine
from plantasks.parsers.pandoc_markdown import clean, grid_cell, is_pandoc_markdown, plain_lines
from plantasks.parsers.text_reader import read_text
from plantasks.pipeline.extract import extract_bytes

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
# the raw_spans page is what a pandoc without bracketed spans and fenced divs (before 2.0) writes: raw
# <span> and <div> tags, wrapped over lines like the text
PORTAL_PAGES = ["saved_page_pandoc_markdown_simple.md", "saved_page_pandoc_markdown_multiline.md",
                "saved_page_pandoc_markdown_grid.md", "saved_page_pandoc_markdown_raw_spans.md"]


def read(name: str):
    return read_text((LAYOUTS / name).read_bytes()).blocks


def extract(name: str):
    path = LAYOUTS / name
    return extract_bytes(path.read_bytes(), str(path)).result


def records(result):
    return [(t.stt, t.section, t.content, [a.name for a in t.lead], [a.name for a in t.support], t.deadline.raw)
            for t in result.tasks]


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_a_saved_page_in_pandoc_markdown_gives_its_task_rows(name):
    rows = [[c.text for c in b.cells] for b in read(name) if isinstance(b, TableRow)]
    # the grid table's cell held two paragraphs: they stay two lines
    partners = "Các sở, ban, ngành;\nỦy ban nhân dân cấp xã" if "grid" in name else \
        "Các sở, ban, ngành; Ủy ban nhân dân cấp xã"
    assert rows == [
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
        ["1.", "Xây dựng kho dữ liệu dùng chung của tỉnh, kết nối với Nền tảng tích hợp, chia sẻ dữ liệu quốc gia",
         "Sở Khoa học và Công nghệ", partners, "Quý III/2026"],
        ["2.", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực", "Văn phòng Ủy ban nhân dân tỉnh",
         "Sở Nội vụ", "Trước ngày 30/11/2026"],
    ]


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_a_saved_page_in_pandoc_markdown_becomes_tasks_and_its_letterhead_is_read(name):
    result = extract(name)
    section = "Các cơ quan thực hiện các nhiệm vụ sau"
    assert records(result) == [
        ("1", section, "Xây dựng kho dữ liệu dùng chung của tỉnh, kết nối với Nền tảng tích hợp, chia sẻ dữ liệu "
         "quốc gia", ["Sở Khoa học và Công nghệ"], ["Các sở, ban, ngành cấp tỉnh", "Ủy ban nhân dân cấp xã"],
         "Quý III/2026"),
        ("2", section, "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực",
         ["Văn phòng Ủy ban nhân dân tỉnh"], ["Sở Nội vụ"], "Trước ngày 30/11/2026"),
    ]
    doc = result.document
    assert (doc.issuer, doc.decision_number, str(doc.decision_date), doc.signer) == (
        "Ủy ban nhân dân tỉnh Lam Sơn", "45/QĐ-UBND", "2026-03-12", "Lê Văn Minh")
    assert not result.warnings


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_no_markup_is_left_in_the_text_of_a_saved_page(name):
    texts = [b.text for b in read(name) if isinstance(b, TextLine)]
    assert not [t for t in texts if any(mark in t for mark in ("{", "}", ":::", "](", "\\", "**", "<div", "<span"))]
    assert texts[:4] == [
        "1. Trang chủ", "2. >",  # the breadcrumb: links and nested spans (classes with brackets) are their text
        "3. Quyết định số 45/QĐ-UBND ban hành Kế hoạch chuyển đổi số năm 2026",
        "Quyết định số 45/QĐ-UBND ban hành Kế hoạch chuyển đổi số năm 2026",  # the heading, its attributes off
    ]
    assert texts[4].replace(": ", ":") == "Ngày có hiệu lực:12/03/2026"  # (raw spans are a line apart)
    # a paragraph is its lines up to a blank line, though a line of it starts with a number
    assert "Điều 2. Tổ chức thực hiện" in texts
    # the letterhead table's cells are lines of their own; an escaped straight quote stays straight
    assert "ỦY BAN NHÂN DÂN TỈNH LAM SƠN" in texts and "Lam Sơn, ngày 12 tháng 3 năm 2026" in texts
    assert 'Điều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số năm 2026 "bản thử" của tỉnh.' in texts


def test_a_word_plan_in_pandoc_markdown_glues_the_words_pandoc_broke_at_the_column_width():
    rows = [[c.text for c in b.cells] for b in read("word_pandoc_markdown.md") if isinstance(b, TableRow)]
    assert rows == [
        # '**TT**' printed a character a line, '**Thời' as '**' + 'Thời', 'thành**' as 'thà' + 'nh**'
        ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
        ["I", "CẢI CÁCH THỂ CHẾ", "", "", ""],
        ["1", "Rà soát văn bản quy phạm pháp luật do Hội đồng nhân dân huyện ban hành", "Phòng Tư pháp",
         "Văn phòng HĐND-UBND huyện", "Quý II/2026"],  # 'II/' + '2026'
        # pandoc's ASCII quotes and dash are the typographic ones again; 'T' + 'háng', '12/' + '2026'
        ["2", "Tổ chức đối thoại “Người dân hỏi – chính quyền trả lời”", "Phòng Nội vụ",
         "Các phòng, ban, ngành cấp huyện;\nỦy ban nhân dân cấp xã", "Tháng 12/2026"],
    ]
    texts = [b.text for b in read("word_pandoc_markdown.md") if isinstance(b, TextLine)]
    assert "1. Nâng cao chất lượng phục vụ người dân theo chương trình “Một cửa thân thiện”…" in texts
    assert "- Bảo đảm công khai, minh bạch." in texts


def test_a_word_plan_in_pandoc_markdown_becomes_tasks():
    result = extract("word_pandoc_markdown.md")
    assert records(result) == [
        ("1", "Cải cách thể chế", "Rà soát văn bản quy phạm pháp luật do Hội đồng nhân dân huyện ban hành",
         ["Phòng Tư pháp"], ["Văn phòng HĐND và UBND huyện"], "Quý II/2026"),
        ("2", "Cải cách thể chế", "Tổ chức đối thoại “Người dân hỏi – chính quyền trả lời”", ["Phòng Nội vụ"],
         ["Các phòng, ban, ngành cấp huyện", "Ủy ban nhân dân cấp xã"], "Tháng 12/2026"),
    ]
    doc = result.document
    assert (doc.issuer, doc.plan_number, str(doc.plan_date), doc.signer) == (
        "Ủy ban nhân dân huyện Sông Xanh", "12/KH-UBND", "2026-01-05", "Trần Văn Nam")


@pytest.mark.parametrize("name, expected", [
    ("saved_page_pandoc_markdown_simple.md", True),
    ("saved_page_pandoc_markdown_raw_spans.md", True),
    ("word_pandoc_markdown.md", True),
    ("saved_page_pandoc_gfm.md", False),  # gfm: pipe tables and raw HTML, no divs or attributes
    ("markdown_bare_pipes.md", False),
    ("pandoc_dashed_rule.txt", False),  # pandoc plain
    ("ruled_grid.txt", False),  # a grid table without markdown's escapes
])
def test_pandoc_markdown_is_told_from_other_markdown_and_plain_text(name, expected):
    texts = (LAYOUTS / name).read_text(encoding="utf-8").splitlines()
    assert is_pandoc_markdown(texts) is expected


@pytest.mark.parametrize("markdown, text", [
    ("[Ngày có hiệu\nlực:]{.label}[12/03/2026]{.value}", "Ngày có hiệu\nlực:12/03/2026"),
    ("[[Tên văn bản]{.inline-block .max-w-[400px] style=\"color: rgb(1, 2, 3);\"}]{.crumb}", "Tên văn bản"),
    ("[Trang chủ](https://example.vn/a_(b)){.link} và [mục](#muc \"tiêu đề\")", "Trang chủ và mục"),
    ("![banner](https://example.vn/x.png){.w-full\n.absolute width=\"10\"}Chữ", "\nChữ"),
    ("1\\. Mục \\- ý \\*không đậm\\* \\[1\\] a\\\\b", "1. Mục - ý *không đậm* [1] a\\b"),
    ("**Đậm** và *nghiêng* ~~gạch~~ m^2^ chú thích[^3]", "Đậm và nghiêng gạch m2 chú thích"),
    ("dòng một\\\ndòng hai\\", "dòng một\ndòng hai"),
    ("\"trích\" 'đơn' it's -- và --- ... \\\"thẳng\\\" \\...", "“trích” ‘đơn’ it’s – và — … \"thẳng\" ..."),
    ("*\"Đối thoại\"*", "“Đối thoại”"),
    ("xuống`<br>`{=html}dòng và `mã`", "xuốngdòng và mã"),
    ("[không phải liên kết] và [mở", "[không phải liên kết] và [mở"),
    ("------------------------------------------------------------------------", "-" * 72),
])
def test_inline_markup_out_text_kept(markdown, text):
    assert clean(markdown) == text


def test_grid_cell_glues_the_pieces_of_a_broken_word_but_not_two_words():
    def cell(*lines, width):
        return grid_cell([f" {line.ljust(width)} " for line in lines])

    assert cell("Quý", "I", "II/2026", width=7) == "Quý III/2026"  # 'III/2026' is 8 wide: 'I' + 'II/2026'
    assert cell("T", "háng", "12/", "2026", width=4) == "Tháng 12/2026"
    assert cell("*", "*", "T", "T", "*", "*", width=1) == "TT"
    assert cell("Văn", "phòng", "HĐ", "ND-UBND", width=7) == "Văn phòng HĐND-UBND"
    assert cell("h", "uyện; -", "UBND", width=7) == "huyện; - UBND"  # 'uyện;' would have fit after 'h'
    # words that happen to fill the column stay apart
    assert cell("Quyết", "định,", "ban,", "ngành,", width=5) == "Quyết định, ban, ngành,"
    assert cell("Năm", "2023-2025", width=9) == "Năm 2023-2025"
    assert cell("THỂ", "CHẾ", width=3) == "THỂ CHẾ"
    assert cell("[tư", "quốc", "tế]{s", "tyle=", "\"x: 1", ";\"}", width=5) == "tư quốc tế"  # a span from a full piece
    # a hard line break is a line break; the attributes of a span broken over lines go
    assert cell("**CHỦ TỊCH\\", "Trần Văn", "Nam**", width=10) == "CHỦ TỊCH\nTrần Văn Nam"
    assert cell("[Sở Nội", "vụ]{style", "=\"font-fa", "mily: x;\"}", width=9) == "Sở Nội vụ"


def test_a_simple_table_without_a_header_row_keeps_its_cells_under_their_dash_runs():
    page = [
        "  ------------------------------------------ ----------------------------------",
        "   [**STT**]{style=\"font-size: 14px;\"}        [**Nhiệm vụ**]{style=\"x: 1;\"}",
        "      [1]{style=\"font-size: 14px;\"}           [Lập kế hoạch]{.c} \\*",
        "  ------------------------------------------ ----------------------------------",
    ]
    plain = plain_lines(page)
    assert len(plain.lines) == len(page) and all(len(a) >= len(b) for a, b in zip(page, plain.lines))
    grid = plain.tables[0]
    assert [r.cells for r in grid.rows] == [["STT", "Nhiệm vụ"], ["1", "Lập kế hoạch *"]]
    assert grid.end == 4


def test_a_multiline_table_row_runs_to_the_blank_line():
    page = [
        "  -----------------------------------------------",
        "  STT   Nhiệm vụ              Thời hạn",
        "  ----- --------------------- -------------------",
        "  1\\.   Rà soát văn bản quy   Quý",
        "        phạm pháp luật        II/2026",
        "",
        "  2\\.   Báo cáo               Tháng 12/2026",
        "  -----------------------------------------------",
        "",
        "Sau bảng.",
    ]
    grid = plain_lines(page).tables[0]
    assert [r.cells for r in grid.rows] == [
        ["STT", "Nhiệm vụ", "Thời hạn"],
        ["1.", "Rà soát văn bản quy phạm pháp luật", "Quý II/2026"],
        ["2.", "Báo cáo", "Tháng 12/2026"],
    ]
    assert [(r.first, r.last) for r in grid.rows] == [(1, 1), (3, 4), (6, 6)]
    assert grid.end == 8


WORD = st.text(alphabet="abcdeghiklmnoprstuvxyàáảãạâầấđêềếôồốơờớưừứ", min_size=1, max_size=8)
PUNCTUATION = st.sampled_from(["", ".", ",", ";", ":", "*", "[", "]", "\\", "-", "(", ")", "#", "\"", "'"])


@settings(max_examples=80, deadline=None)
@given(words=st.lists(st.tuples(WORD, PUNCTUATION), min_size=1, max_size=12),
       classes=st.lists(st.sampled_from([".a", ".max-w-[40px]", "style=\"color: red;\"", "#x"]), min_size=1,
                        max_size=3))
def test_escaped_text_in_a_span_reads_back_as_written(words, classes):
    text = " ".join(w + p for w, p in words)
    escaped = "".join("\\" + ch if ch in "\\*[]-#\"'()" else ch for ch in text)
    assert clean(f"[{escaped}]{{{' '.join(classes)}}}") == text


def test_a_raw_html_table_in_pandoc_markdown_is_left_to_the_html_reader():
    page = "\n".join([
        "::: {.content}", "::: inner", "Trước bảng \\\"x\\\":", "",
        '<table style="width: 100%">',
        "<tr><th>STT</th><th>Nội dung</th><th>Cơ quan chủ trì</th><th>Thời gian</th></tr>",
        '<tr><td>1</td><td>Việc "một" -- hai</td><td>Sở Nội vụ</td><td>Quý I/2026</td></tr>',
        "</table>", ":::", ":::", "", "[Sau bảng]{.x}",
    ])
    found = read_text(page).blocks
    assert [[c.text for c in b.cells] for b in found if isinstance(b, TableRow)] == [
        ["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian"], ["1", 'Việc "một" -- hai', "Sở Nội vụ", "Quý I/2026"]]
    assert [b.text for b in found if isinstance(b, TextLine)] == ['Trước bảng "x":', "Sau bảng"]
