"""Running page furniture (parsers/page_furniture): invented pages as lists of lines."""

from plantasks.parsers.page_furniture import furniture_note, running_lines
from plantasks.parsers.text_reader import read_text


def _page(n: int, body: list[str], total: int = 3) -> list[str]:
    return [f"0{n}/03/2031 09:1{n}   Cổng thông tin văn bản", "", *body, "",
            f"https://vanban.example.vn/nghi-quyet-{n}.html   {n}/{total}"]


def test_browser_header_and_footer_with_changing_digits_are_furniture():
    pages = [_page(1, ["KẾ HOẠCH", "Thẩm tra các dự án"]), _page(2, ["1. Luật A", "Sở Nội vụ"]),
             _page(3, ["2. Luật B", "Sở Nội vụ"])]
    assert running_lines(pages) == {(p, i) for p in range(3) for i in (0, 5)}


def test_bare_page_numbers_go_on_any_page_and_row_numbers_stay():
    pages = [["KẾ HOẠCH", "Nội dung", "1."], ["- 2 -", "1.", "Sở Nội vụ"], ["Trang 3", "2.", "Sở Nội vụ", "3"],
             ["11", "Sở Tư pháp", "12"], ["\t5", "Sở Tư pháp", "\t5"]]
    # page 4 opens and ends with row numbers, not its number; a TAB line is a table cell
    assert running_lines(pages) == {(1, 0), (2, 0), (2, 3)}


def test_body_lines_repeated_away_from_the_page_ends_stay():
    body = ["Sở Tài chính", "Sở Nội vụ", "Quý IV/2031", "Sở Tài chính"]
    pages = [["Tiêu đề một", *body, "Kết thúc một"], ["Tiêu đề hai", *body, "Kết thúc hai"]]
    assert running_lines(pages) == set()


def test_a_repeated_line_under_a_line_that_is_not_furniture_stays():
    pages = [["Sở Nội vụ", "Ghi chú chung"], ["Phần hai", "Ghi chú chung", "Sở Nội vụ"]]
    # "Sở Nội vụ" opens page 1 but page 2's top line differs: needs two pages at the same end
    assert running_lines(pages) == set()


def test_lines_marked_as_not_at_the_edge_are_never_taken():
    pages = [[None, "Cổng thông tin"], [None, "Cổng thông tin"]]
    assert running_lines(pages) == set()


def test_a_single_page_keeps_its_text_but_not_its_page_number():
    assert running_lines([["Cổng thông tin", "KẾ HOẠCH", "1/1"]]) == {(0, 2)}


def test_two_pages_opening_with_the_same_letterhead_keep_it():
    letterhead = "ỦY BAN NHÂN DÂN TỈNH HÀ NAM   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    pages = [[letterhead, "QUYẾT ĐỊNH", "Điều 1."], [letterhead, "KẾ HOẠCH", "1. Nhiệm vụ"]]
    assert running_lines(pages) == set()
    printed = [["9/3/31, 10:02 AM Cổng thông tin", *page] for page in pages]
    assert running_lines(printed) == {(0, 0), (1, 0)}


def test_reading_order_text_splits_the_furniture_and_may_move_a_footer():
    """pdftotext without -layout: the print date and the title on lines of their own, and on one
    page the address put among the page's text."""
    def page(n: int, body: list[str], address: bool = True) -> list[str]:
        bottom = ["https://vanban.example.vn/kh-45.html"] if address else []
        return ["3/9/31, 10:02 AM", "Văn bản | Cổng thông tin", *body, *bottom, f"{n}/4"]

    pages = [page(1, ["KẾ HOẠCH"]), page(2, ["Sở Nội vụ"]), page(3, ["Quý I/2031"], address=False),
             page(4, ["Nơi nhận:"])]
    assert running_lines(pages) == {(p, i) for p in range(4) for i in (0, 1, 3, 4)} - {(2, 4)} | {(2, 3)}


def test_what_is_left_out_is_named_once_per_line_with_its_pages():
    note = furniture_note([(1, "01/03/2031 09:11   Cổng thông tin"), (1, "1/3"), (2, "02/03/2031 09:12 Cổng thông tin"),
                           (2, "2/3"), (3, "03/03/2031  09:13 Cổng thông tin"), (3, "3/3"), (5, "Trang 5")])
    assert (note.code, note.prov.page) == ("page_furniture", 1)
    assert note.message == ("7 running header, footer and page-number line(s) on 4 page(s) were left out: "
                            "“01/03/2031 09:11 Cổng thông tin” (pages 1–3); “1/3” (pages 1–3); “Trang 5” (page 5)")
    assert furniture_note([]) is None


def test_a_long_list_of_running_lines_is_cut_short_and_counted():
    lines = [(p, f"Dòng lặp {chr(65 + k)} {'x' * 70}") for k in range(6) for p in (2, 4, 6)]
    message = furniture_note(lines).message
    assert message.startswith("18 running header, footer and page-number line(s) on 3 page(s) were left out: “Dòng lặp A xxx")
    assert message.count("(pages 2, 4, 6)") == 4 and message.endswith(" and 2 more")
    assert "x" * 60 not in message and "…” (pages 2, 4, 6)" in message


def test_text_split_at_form_feeds_says_what_it_left_out():  # (a form feed right after a page's last text too)
    pages = ["KẾ HOẠCH\nThẩm tra các dự án\n\nTrang 1", "1. Luật A\nSở Nội vụ\n\nTrang 2",
             "2. Luật B\nSở Tư pháp\n\nTrang 3"]
    parsed = read_text("\f".join(pages))
    assert [(i.code, i.message) for i in parsed.issues] == [
        ("page_furniture", "3 running header, footer and page-number line(s) on 3 page(s) were left out: "
                           "“Trang 1” (pages 1–3)")]
    texts = [getattr(b, "text", "") for b in parsed.blocks]
    assert "Trang 2" not in texts and "1. Luật A" in texts and "2. Luật B" in texts
    assert read_text("KẾ HOẠCH\nSở Nội vụ\n").issues == []  # one page, nothing left out: no note
