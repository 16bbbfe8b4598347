"""Saved legal-portal pages printed to PDF (headless Chromium, as a user's "Print to PDF" does).

Two invented resolutions, made by fixtures/pdf/make_fixtures.py:
- framed_programme.pdf: the content inside a ruled layout box on a white background, a floating
  box in the page corner over the table, the header block in a table with white rules, a ruled
  task table cut by the page end inside a row (no rule closes the row on either page) whose
  cells sit at different heights (the number centred, the other cells top-aligned with
  different padding), and a repeated header on page 2 with words beyond the header vocabulary;
- spaced_programme.pdf: a task table without any rule, rows set apart by cell padding, cells
  centred both ways, its header row alone at the end of page 1; a header block whose narrow
  columns wrap the issuing body and the date;
- close_cells.pdf: the same kind of table on a landscape page, two columns set flush right and
  flush left so that their texts come a space apart in the body lines (the header keeps them apart);
- browser_furniture.pdf: the spaced programme printed with the browser's own header and footer
  (print date and page title at the top of each page, web address and "n/N" at the bottom).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import plantasks
from fixtures.pdf.make_fixtures import PROGRAMME_HEADER as HEADER, PROJECTS  # the rows as printed
from plantasks.parsers.blocks import TableRow, TextLine
from plantasks.parsers.read import read_document

PDF = Path(__file__).parent / "fixtures" / "pdf"
KHCN = "Ủy ban Khoa học, Công nghệ và Môi trường"
DAN_TOC, OTHER_COMMITTEES = "Hội đồng Dân tộc", "Các Ủy ban khác của Quốc hội"
SUPPORT = [  # examining bodies as GOLD_SPEC keys them: one entry per body, in order of mention
    ["Ủy ban Văn hóa và Xã hội", DAN_TOC, OTHER_COMMITTEES],
    ["Ủy ban Kinh tế và Tài chính", KHCN, DAN_TOC, "Ủy ban Pháp luật và Tư pháp", "Ủy ban Văn hóa và Xã hội",
     OTHER_COMMITTEES],
    [KHCN, DAN_TOC, "Ủy ban Pháp luật và Tư pháp", "Ủy ban Kinh tế và Tài chính", OTHER_COMMITTEES],
    ["Ủy ban Văn hóa và Xã hội", DAN_TOC, OTHER_COMMITTEES],
    [KHCN, DAN_TOC, OTHER_COMMITTEES],
]


def _printed(number: int, project: tuple[str, ...]) -> list[str]:
    return [f"{number}.", *project]


@pytest.fixture(scope="module")
def framed():
    return read_document((PDF / "framed_programme.pdf").read_bytes(), "framed_programme.pdf")


@pytest.fixture(scope="module")
def spaced():
    return read_document((PDF / "spaced_programme.pdf").read_bytes(), "spaced_programme.pdf")


def _task_rows(parsed, page: int) -> list[list[str]]:
    return [b.texts for b in parsed.blocks if isinstance(b, TableRow) and b.prov.page == page and len(b.cells) == 6]


# ---------------------------------------------------------------- a ruled table inside a layout box


def test_a_frame_around_the_page_is_not_a_cell_and_the_table_inside_keeps_its_columns(framed):
    page1 = _task_rows(framed, 1)
    assert page1 == [HEADER, _printed(1, PROJECTS[0]), page1[2]]
    assert page1[2][:3] == ["2.", PROJECTS[1][0][:len(page1[2][1])], "Chính phủ"]
    assert all(len(b.cells) in (2, 6) for b in framed.blocks if isinstance(b, TableRow))  # no column of the floating box
    assert next(b for b in framed.blocks if isinstance(b, TextLine)).text.startswith("Trang chủ")


def test_a_row_cut_by_the_page_end_continues_on_the_next_page_column_by_column(framed):
    first = _task_rows(framed, 1)[2]
    repeated, rest, *others = _task_rows(framed, 2)
    assert repeated == HEADER
    assert rest[0] == rest[2] == rest[5] == "" and rest[1] and rest[3] and rest[4]
    for column in (1, 3, 4):  # name, examining body, other examining bodies each run on in their own column
        assert f"{first[column]} {rest[column]}" == _printed(2, PROJECTS[1])[column]
    assert others == [_printed(n, p) for n, p in enumerate(PROJECTS[2:], start=3)]


def test_cells_whose_lines_sit_at_other_heights_keep_their_letters_apart(framed):
    rows = _task_rows(framed, 2)[2:]
    assert [row[1] for row in rows] == [p[0] for p in PROJECTS[2:]]  # not "LLuuậật" from two lines run together


def test_the_programme_gives_each_project_once_with_its_bodies():
    result = plantasks.extract_file(PDF / "framed_programme.pdf")
    document = result.document
    assert (document.issuer, document.decision_number, str(document.decision_date)) == (
        "Ủy ban Thường vụ Quốc hội", "301/2031/UBTVQH17", "2031-03-12")
    assert [t.stt for t in result.tasks] == ["1", "2", "3", "4", "5"]
    assert [t.content for t in result.tasks] == [p[0] for p in PROJECTS]
    assert all([a.name for a in t.lead] == ["Chính phủ"] for t in result.tasks)
    assert [[a.name for a in t.support] for t in result.tasks] == SUPPORT
    # the repeated header's "trình Ủy ban Thường vụ Quốc hội" is header wording, not the continued row's
    assert [t.deadline.raw for t in result.tasks] == [p[4] for p in PROJECTS]


# ---------------------------------------------------------------- a table without rules, rows set apart


def test_a_header_alone_at_the_page_end_and_padded_rows_on_the_next_page(spaced):
    assert _task_rows(spaced, 1) == [HEADER]
    assert _task_rows(spaced, 2) == [_printed(n, p) for n, p in enumerate(PROJECTS[:4], start=1)]
    page2 = [b.text for b in spaced.blocks if isinstance(b, TextLine) and b.prov.page == 2]
    assert page2 == ["Điều 3. Hiệu lực thi hành", "Kế hoạch này có hiệu lực thi hành từ ngày ký./."]


def test_a_header_block_in_narrow_columns_reads_column_by_column(spaced):
    lines = [b.text for b in spaced.blocks if isinstance(b, TextLine)][:6]
    assert lines == [
        "ỦY BAN NHÂN DÂN",  # wrapped in its narrow column
        "TỈNH THANH HÓA",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 45/KH-UBND",
        "Thanh Hóa, ngày 20 tháng 3 năm 2031",  # set in from the left, wrapped under itself
    ]


def test_the_spaced_plan_gives_its_issuer_and_tasks():
    result = plantasks.extract_file(PDF / "spaced_programme.pdf")
    document = result.document
    assert (document.issuer, document.plan_number, str(document.plan_date)) == (
        "Ủy ban nhân dân tỉnh Thanh Hóa", "45/KH-UBND", "2031-03-20")
    assert [(t.stt, t.content, t.deadline.raw) for t in result.tasks] == [
        (str(n), p[0], p[4]) for n, p in enumerate(PROJECTS[:4], start=1)]
    assert [[a.name for a in t.support] for t in result.tasks] == SUPPORT[:4]


def test_the_browser_header_and_footer_stay_out_of_the_text_and_the_split_table():
    parsed = read_document((PDF / "browser_furniture.pdf").read_bytes(), "browser_furniture.pdf")
    assert _task_rows(parsed, 1) == [HEADER]
    assert _task_rows(parsed, 2) == [_printed(n, p) for n, p in enumerate(PROJECTS[:4], start=1)]
    lines = [b.text for b in parsed.blocks if isinstance(b, TextLine)]
    assert lines[:3] == ["ỦY BAN NHÂN DÂN", "TỈNH THANH HÓA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert lines[-2:] == ["Điều 3. Hiệu lực thi hành", "Kế hoạch này có hiệu lực thi hành từ ngày ký./."]
    assert not [text for text in lines if "http" in text or "Cổng thông tin" in text or "/2" == text[-2:]]
    [note] = [issue for issue in parsed.issues if issue.code == "page_furniture"]  # what was left out is named
    assert note.message.startswith("4 running header, footer and page-number line(s) on 2 page(s) were left out: “")
    assert "Văn bản pháp luật | Cổng thông tin điện tử” (pages 1–2); “http://127.0.0.1:" in note.message
    assert note.message.endswith("/van-ban/nghi-quyet.html 1/2” (pages 1–2)")
    result = plantasks.extract_file(PDF / "browser_furniture.pdf")
    assert "page_furniture" in [w.code for w in result.warnings]
    assert (result.document.title, result.document.plan_number) == ("Kế hoạch thẩm tra các dự án luật năm 2031", "45/KH-UBND")
    assert [(t.stt, t.content, t.deadline.raw) for t in result.tasks] == [
        (str(n), p[0], p[4]) for n, p in enumerate(PROJECTS[:4], start=1)]


def test_two_cells_a_space_apart_stay_apart_where_the_header_parts_them():
    parsed = read_document((PDF / "close_cells.pdf").read_bytes(), "close_cells.pdf")
    assert _task_rows(parsed, 1) == [HEADER] + [_printed(n, p) for n, p in enumerate(PROJECTS[:4], start=1)]
