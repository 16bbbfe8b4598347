"""Markdown holding raw HTML tables, as pandoc `-t gfm` writes a Word plan whose table cells hold
several paragraphs: the markdown around them is read as markdown (bold headings, hard-wrapped
paragraphs, escapes), each `<table>` as the web page reader reads one, a two-column layout table
(letterhead, signature) as lines of text. Invented fixture, exact rows and records."""

from pathlib import Path

from plantasks.parsers.blocks import TableRow, TextLine
from plantasks.parsers.read import read_document
from plantasks.pipeline.extract import extract_bytes

FIXTURE = Path(__file__).parent / "fixtures" / "layouts" / "markdown_html_tables.md"


def test_html_tables_in_markdown_are_rows_and_the_markdown_around_them_paragraphs():
    doc = read_document(FIXTURE.read_bytes(), FIXTURE.name)
    assert doc.format == "text"
    rows = [([c.text for c in b.cells], b.prov.line_start, b.prov.line_end) for b in doc.blocks
            if isinstance(b, TableRow)]
    assert rows == [
        (["TT", "Nội dung", "Cơ quan\nchủ trì", "Thời gian\n(Năm 2026)"], 39, 45),
        (["1", "Tổ chức hội thi tìm hiểu pháp luật về giao thông đường bộ cho học sinh trung học phổ thông",
          "Đoàn Thanh niên\nSở Giáo dục và Đào tạo", "Tháng 4"], 49, 55),
        (["2", "Biên soạn tài liệu hỏi đáp pháp luật về lao động", "Sở Tư pháp", "Quý III"], 57, 61),
        (["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian"], 70, 74),
        (["1", "Đăng tải video ngắn phổ biến pháp luật trên mạng xã hội", "Sở Văn hóa, Thể thao và Du lịch",
          "Hằng tháng"], 78, 82),
    ]
    texts = [b.text for b in doc.blocks if isinstance(b, TextLine)]
    assert texts == [
        "ỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        "Số: 45/KH-UBND", "Phú Thọ, ngày 12 tháng 3 năm 2026",
        "KẾ HOẠCH", "Phổ biến pháp luật cho thanh niên năm 2026", "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao hiểu biết pháp luật của đoàn viên, thanh niên trên địa bàn tỉnh, góp phần giữ vững an ninh, trật tự.",
        "II. NHIỆM VỤ CỤ THỂ", "a) Tổ chức các hoạt động tuyên truyền trực tiếp:",
        "b) Tuyên truyền trên môi trường số:",
        "Kế hoạch này được phổ biến đến các cơ quan, đơn vị có liên quan./.",
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn Bình",
    ]


def test_plan_in_markdown_with_html_tables_gives_its_tasks_and_metadata():
    result = extract_bytes(FIXTURE.read_bytes(), str(FIXTURE)).result
    doc = result.document
    assert (doc.plan_number, str(doc.plan_date), doc.signer) == ("45/KH-UBND", "2026-03-12", "Trần Văn Bình")
    assert [(t.section, t.stt, [a.name for a in t.lead], t.deadline.raw) for t in result.tasks] == [
        ("Tổ chức các hoạt động tuyên truyền trực tiếp", "1", ["Đoàn Thanh niên", "Sở Giáo dục và Đào tạo"], "Tháng 4"),
        ("Tổ chức các hoạt động tuyên truyền trực tiếp", "2", ["Sở Tư pháp"], "Quý III"),
        ("Tuyên truyền trên môi trường số", "1", ["Sở Văn hóa, Thể thao và Du lịch"], "Hằng tháng"),
    ]
    assert [str(i.due) for i in result.tasks[1].deadline.items] == ["2026-09-30"]  # the plan's year


def test_a_table_tag_never_closed_is_text():
    blocks = read_document("<table> mở mà không đóng\n\n**KẾ HOẠCH**\n\n# Tiêu đề\n\n**I. MỤC ĐÍCH**\n".encode(),
                           "note.md").blocks
    assert [b.text for b in blocks] == ["<table> mở mà không đóng", "KẾ HOẠCH", "Tiêu đề", "I. MỤC ĐÍCH"]


SAVED_PAGE = Path(__file__).parent / "fixtures" / "layouts" / "saved_page_pandoc_gfm.md"


def _page_chrome(items: int) -> str:
    """A saved page's menus as pandoc gfm keeps them: raw <div>s, nothing of markdown's own."""
    return "".join(f'<div class="menu-item flex items-center px-4 h-[60px]">\n\n<a href="https://portal.example/{k}" '
                   f'class="link">Mục {k}</a>\n\n</div>\n' for k in range(items))


def test_a_whole_saved_page_through_pandoc_gfm_is_read_as_markdown():
    # ~90 KB of menus before the document: more than the format sniffer reads; the document's
    # paragraphs and pipe-table cells wrapped in styled <span>s (over several lines)
    data = (_page_chrome(800) + SAVED_PAGE.read_text(encoding="utf-8")).encode("utf-8")
    assert len(data) > 80_000 and read_document(data, "page.md").format == "text"
    result = extract_bytes(data, "page.md").result
    assert [(t.section, t.stt, t.content, [a.name for a in t.lead], t.deadline.raw) for t in result.tasks] == [
        ("Phân công thực hiện", "1", "Nghị quyết về chính sách hỗ trợ chuyển đổi số cấp xã",
         ["Sở Khoa học và Công nghệ"], "Tháng 7/2026"),
        ("Phân công thực hiện", "2", "Nghị quyết quy định mức chi cho công tác phổ biến pháp luật",
         ["Sở Tư pháp"], "Quý IV/2026"),
    ]


def test_an_html_fragment_without_markdown_is_still_a_web_page():
    data = (_page_chrome(800) + "<table><tr><td>TT</td><td>Nội dung</td></tr></table>").encode("utf-8")
    assert read_document(data, "fragment.html").format == "html"
