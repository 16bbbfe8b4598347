"""PDF reader: ruled tables over pages, merged cells, line breaks, reading order, OCR hand-off, bad PDFs."""

from __future__ import annotations

import io
import sys
import types
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

import plantasks
from plantasks.parsers.blocks import Cell, Provenance, ReaderError, TableRow, TextLine
from plantasks.parsers.pdf.page import PageWords, TextColumns, lay_out, layout_blocks
from plantasks.parsers.pdf.words import Word
from plantasks.parsers.read import ReadOptions, read_document
from plantasks.pipeline.tables import assemble_tables
from samples import SAMPLES

PDF = Path(__file__).parent / "fixtures" / "pdf"
BAD = Path(__file__).parent / "fixtures" / "bad"
RULED = PDF / "ruled_plan.pdf"  # made by fixtures/pdf/make_fixtures.py (python-docx -> LibreOffice)
HEADER = ["TT", "Nội dung nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Thời gian"]
TASK = ("Rà soát, sửa đổi, bổ sung các quy định về phân cấp quản lý nhà nước theo ngành, lĩnh vực trên địa "
        "bàn tỉnh, bảo đảm đồng bộ, thống nhất với quy định của Trung ương.")


@pytest.fixture(scope="module")
def ruled():
    return read_document(RULED.read_bytes(), "ruled_plan.pdf")


def _rows(parsed, page: int | None = None) -> list[list[str]]:
    return [b.texts for b in parsed.blocks if isinstance(b, TableRow) and (page is None or b.prov.page == page)]


def _lines(parsed, page: int | None = None) -> list[str]:
    return [b.text for b in parsed.blocks if isinstance(b, TextLine) and (page is None or b.prov.page == page)]


def _pdf_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _image_page_pdf() -> bytes:
    """A one-page PDF holding only a picture (a scan without text layer)."""
    image = Image.new("L", (620, 877), 255)
    for x in range(60, 560):
        for y in (100, 101, 300, 301):
            image.putpixel((x, y), 0)
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=75)
    return buffer.getvalue()


# ---------------------------------------------------------------- a ruled plan over several pages


def test_every_page_of_the_table_gives_its_rows_in_order(ruled):
    assert ruled.format == "pdf"
    assert ruled.page_count == 7
    rows = _rows(ruled)
    assert all(len(row) == 5 for row in rows)
    # the header repeats on every table page (pages 2-7); the stage after the reader drops the repeats
    assert [b.prov.page for b in ruled.blocks if isinstance(b, TableRow) and b.texts == HEADER] == [2, 3, 4, 5, 6, 7]
    numbers = [row[0] for row in rows if row[0] not in ("", "TT", "I")]
    assert numbers == [str(n) for n in range(1, 25)]


def test_a_page_border_touching_the_table_is_not_a_cell():
    """The ruled plan with a Word page border on the text margins (bordered_plan.pdf)."""
    result = plantasks.extract_file(PDF / "bordered_plan.pdf")
    assert (result.document.issuer, result.document.plan_number) == ("Ủy ban nhân dân tỉnh Hà Nam", "12/KH-UBND")
    assert [(t.stt, t.content) for t in result.tasks] == [(str(n), f"Nhiệm vụ số {n}: {TASK}") for n in range(1, 25)]
    assert [a.name for t in result.tasks[:4] for a in t.lead] == ["Sở Nội vụ"] * 3 + ["Sở Tư pháp"]


def test_page_two_rows_exactly(ruled):
    assert _rows(ruled, page=2) == [
        HEADER,
        ["I", "CẢI CÁCH THỂ CHẾ", "", "", ""],  # section row: merged cell text in its leftmost column
        ["1", f"Nhiệm vụ số 1: {TASK}", "Báo cáo số 1", "Sở Nội vụ", "Quý 2/2024"],
        ["2", f"Nhiệm vụ số 2: {TASK}", "Báo cáo số 2", "Sở Nội vụ", "Quý 3/2024"],
        ["3", f"Nhiệm vụ số 3: {TASK}", "Báo cáo số 3", "Sở Nội vụ", "Quý 4/2024"],
        ["4", "Nhiệm vụ số 4: " + TASK[: TASK.index(" với quy định")], "- Kế hoạch thực hiện\n- Báo cáo kết quả",
         "Sở Tư pháp", "Quý 1/2024"],
    ]


def test_vertically_merged_cell_is_repeated_with_its_own_box(ruled):
    rows = [b for b in ruled.blocks if isinstance(b, TableRow) and b.prov.page == 2]
    merged = [row.cells[3] for row in rows[2:5]]
    assert {cell.text for cell in merged} == {"Sở Nội vụ"}
    assert len({cell.prov.bbox for cell in merged}) == 1  # one printed cell spanning three rows
    assert merged[0].prov.bbox[3] - merged[0].prov.bbox[1] > rows[2].prov.bbox[3] - rows[2].prov.bbox[1]


def test_row_cut_by_a_page_break_continues_on_the_next_page(ruled):
    page3 = _rows(ruled, page=3)
    assert page3[0] == HEADER
    assert page3[1] == ["", "với quy định của Trung ương.", "", "", ""]


def test_paragraphs_in_a_cell_keep_their_breaks_and_wrapped_lines_do_not(ruled):
    row5 = next(row for row in _rows(ruled) if row[0] == "5")
    assert row5[4] == "Tháng 6/2024\nTháng 12/2024"
    assert "\n" not in row5[1]


def test_text_outside_tables_reads_in_order_with_columns_apart(ruled):
    assert _lines(ruled, page=1) == [
        "ỦY BAN NHÂN DÂN",  # the header block reads column by column, as its table row would
        "TỈNH HÀ NAM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA",
        "VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/KH-UBND",
        "Hà Nam, ngày 05 tháng 01 năm 2024",
        "KẾ HOẠCH",
        "Cải cách hành chính năm 2024",
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể cải cách "
        "hành chính nhà nước giai đoạn 2021 - 2030, Ủy ban nhân dân tỉnh ban hành Kế hoạch cải cách hành "
        "chính năm 2024 như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
    ]
    page2 = [b for b in ruled.blocks if b.prov.page == 2]
    assert [type(b).__name__ for b in page2[:3]] == ["TextLine", "TextLine", "TableRow"]
    assert [b.text for b in page2[:2]] == ["PHỤ LỤC SỐ 01", "CÁC NHIỆM VỤ CẢI CÁCH THỂ CHẾ"]


def test_provenance_is_page_and_box(ruled):
    for block in ruled.blocks:
        assert block.prov.page is not None and block.prov.line_start is None
        x0, top, x1, bottom = block.prov.bbox
        assert 0 <= x0 < x1 <= 842 and 0 <= top < bottom <= 842
    row = next(b for b in ruled.blocks if isinstance(b, TableRow))
    assert all(c.prov.page == row.prov.page for c in row.cells)
    assert row.cells[0].prov.bbox[2] <= row.cells[1].prov.bbox[0] + 1


def _sideways_page(rotate: int) -> bytes:
    """Page 2 of the ruled plan with its content turned a quarter counter-clockwise (text running
    upwards, as scanners and some exporters store landscape pages) and /Rotate set to `rotate`."""
    document = pdfium.PdfDocument.new()
    document.import_pages(pdfium.PdfDocument(RULED.read_bytes()), [1])
    page = document[0]
    width, height = page.get_size()
    turn = pdfium.PdfMatrix().rotate(90, ccw=True).translate(height, 0)
    for obj in list(page.get_objects(max_depth=0)):
        obj.transform(turn)
    page.set_mediabox(0, 0, height, width)
    page.set_cropbox(0, 0, height, width)
    page.gen_content()
    page.set_rotation(rotate)
    return _pdf_bytes(document)


@pytest.mark.parametrize("rotate", [90, 0])
def test_sideways_landscape_page_reads_like_the_upright_one(ruled, rotate):
    # the text direction decides, with or without the /Rotate that shows the page upright
    turned = read_document(_sideways_page(rotate), "turned.pdf")
    assert _rows(turned, page=1) == _rows(ruled, page=2)
    assert _lines(turned, page=1) == ["PHỤ LỤC SỐ 01", "CÁC NHIỆM VỤ CẢI CÁCH THỂ CHẾ"]


def test_rotate_flag_on_upright_text_is_ignored(ruled):
    document = pdfium.PdfDocument(RULED.read_bytes())
    document[1].set_rotation(90)
    assert _rows(read_document(_pdf_bytes(document), "r.pdf"), page=2) == _rows(ruled, page=2)


# ---------------------------------------------------------------- the sample plans


@pytest.mark.parametrize("stem, rows", [("000_9ab0fe3c0e4fbaba", 64), ("001_5665434d914fd8e7", 43),
                                        ("002_45228b90b1913796", 54)])
def test_sample_plans(stem, rows):
    parsed = read_document((SAMPLES / f"{stem}.pdf").read_bytes(), f"{stem}.pdf")
    table_rows = [b for b in parsed.blocks if isinstance(b, TableRow)]
    assert len(table_rows) == rows
    assert {len(r.cells) for r in table_rows} == {6}
    assert parsed.issues == []


def test_line_end_hyphen_joins_without_a_space():
    parsed = read_document((SAMPLES / "000_9ab0fe3c0e4fbaba.pdf").read_bytes(), "a.pdf")
    cells = [c.text for b in parsed.blocks if isinstance(b, TableRow) for c in b.cells]
    assert any("Nghị quyết số 99/NQ-CP ngày 24/6/2020" in text for text in cells)


def test_wrapped_dash_in_a_cell_is_not_a_bullet():
    parsed = read_document((SAMPLES / "000_9ab0fe3c0e4fbaba.pdf").read_bytes(), "a.pdf")
    row = next(b.texts for b in parsed.blocks if isinstance(b, TableRow) and b.texts[0] == "6"
               and b.texts[1].startswith("Công bố"))
    assert row[1] == "Công bố kết quả hệ thống hóa văn bản QPPL kỳ 2019 - 2023"


# ---------------------------------------------------------------- pages without text: OCR hand-off


def _mixed_pdf() -> bytes:
    document = pdfium.PdfDocument.new()
    document.import_pages(pdfium.PdfDocument(RULED.read_bytes()), [0])
    document.import_pages(pdfium.PdfDocument(_image_page_pdf()))
    return _pdf_bytes(document)


def test_scanned_page_without_ocr_is_a_warning(monkeypatch):
    monkeypatch.setitem(sys.modules, "plantasks.parsers.ocr", None)  # import fails
    parsed = read_document(_mixed_pdf(), "mixed.pdf")
    assert parsed.page_count == 2
    assert {b.prov.page for b in parsed.blocks} == {1}
    assert [i.code for i in parsed.issues] == ["ocr_unavailable"]
    assert "2" in parsed.issues[0].message


def test_scanned_pages_go_to_the_ocr_module_in_page_order(monkeypatch):
    calls = []

    def ocr_pdf_pages(data, page_numbers, options):
        calls.append(list(page_numbers))
        return [TextLine("PHỤ LỤC (OCR)", Provenance(page=n)) for n in page_numbers]

    monkeypatch.setitem(sys.modules, "plantasks.parsers.ocr", types.SimpleNamespace(ocr_pdf_pages=ocr_pdf_pages))
    data = _pdf_bytes(_reordered(_mixed_pdf()))
    parsed = read_document(data, "mixed.pdf")
    assert calls == [[1]]
    assert parsed.blocks[0] == TextLine("PHỤ LỤC (OCR)", Provenance(page=1))
    assert all(b.prov.page == 2 for b in parsed.blocks[1:])
    assert [i.code for i in parsed.issues] == ["ocr_pages"]


def _reordered(data: bytes):
    """The scan first, the text page second."""
    source = pdfium.PdfDocument(data)
    document = pdfium.PdfDocument.new()
    document.import_pages(source, [1, 0])
    return document


def test_fully_scanned_pdf_without_ocr_is_no_text(monkeypatch):
    monkeypatch.setitem(sys.modules, "plantasks.parsers.ocr", None)
    with pytest.raises(ReaderError) as err:
        read_document(_image_page_pdf(), "scan.pdf")
    assert err.value.code == "no_text"
    assert "OCR" in err.value.message


def test_ocr_switched_off_is_said(monkeypatch):
    parsed = read_document(_mixed_pdf(), "mixed.pdf", ReadOptions(ocr=False))
    assert [i.code for i in parsed.issues] == ["ocr_disabled"]


def test_failing_ocr_keeps_the_text_pages(monkeypatch):
    def broken(data, page_numbers, options):
        raise RuntimeError("tesseract not found")

    monkeypatch.setitem(sys.modules, "plantasks.parsers.ocr", types.SimpleNamespace(ocr_pdf_pages=broken))
    parsed = read_document(_mixed_pdf(), "mixed.pdf")
    assert [i.code for i in parsed.issues] == ["ocr_failed"]
    assert parsed.blocks


def test_ocr_out_of_memory_is_said_as_such(monkeypatch):
    def exhausted(data, page_numbers, options):
        raise MemoryError()

    monkeypatch.setitem(sys.modules, "plantasks.parsers.ocr", types.SimpleNamespace(ocr_pdf_pages=exhausted))
    with pytest.raises(ReaderError) as err:
        read_document(_image_page_pdf(), "scan.pdf")
    assert err.value.code == "out_of_memory"
    assert "memory" in err.value.message and "Tesseract" not in err.value.message


def test_scan_that_ocr_cannot_read_does_not_ask_to_install_tesseract(monkeypatch):
    def broken(data, page_numbers, options):
        raise RuntimeError("engine crashed")

    monkeypatch.setitem(sys.modules, "plantasks.parsers.ocr", types.SimpleNamespace(ocr_pdf_pages=broken))
    with pytest.raises(ReaderError) as err:
        read_document(_image_page_pdf(), "scan.pdf")
    assert err.value.code == "no_text" and "engine crashed" in err.value.message
    assert "install" not in err.value.message


# ---------------------------------------------------------------- bad PDFs


def test_encrypted_pdf():
    with pytest.raises(ReaderError) as err:
        read_document((BAD / "encrypted.pdf").read_bytes(), "secret.pdf")
    assert err.value.code == "encrypted"
    assert "password" in err.value.message


def test_garbage_after_the_pdf_header_is_corrupt():
    with pytest.raises(ReaderError) as err:
        read_document(b"%PDF-1.7\n" + b"\x00garbage" * 200, "x.pdf")
    assert err.value.code == "corrupt"


def test_truncated_pdf_is_corrupt_or_read_in_part():
    data = RULED.read_bytes()
    try:
        parsed = read_document(data[: len(data) * 2 // 3], "cut.pdf")
    except ReaderError as err:
        assert err.code == "corrupt"
    else:
        assert parsed.page_count <= 7


def test_pdf_without_pages_is_empty():
    with pytest.raises(ReaderError) as err:
        read_document(_pdf_bytes(pdfium.PdfDocument.new()), "blank.pdf")
    assert err.value.code in ("empty", "corrupt")


def test_page_limit():
    with pytest.raises(ReaderError) as err:
        read_document(RULED.read_bytes(), "a.pdf", ReadOptions(max_pages=3))
    assert err.value.code == "too_many_pages"
    assert "--max-pages" in err.value.message


# ---------------------------------------------------------------- tables without rules


def test_borderless_table_is_found_by_its_white_space_columns():
    parsed = read_document((PDF / "borderless_plan.pdf").read_bytes(), "borderless.pdf")
    assert _lines(parsed) == ["PHỤ LỤC", "Nơi nhận: các sở, ban, ngành."]
    assert _rows(parsed) == [HEADER] + [
        [str(n), f"Nhiệm vụ số {n}", f"Báo cáo {n}", "Sở Nội vụ", f"Quý {1 + n % 4}/2024"] for n in range(1, 9)
    ]


def test_borderless_detection_can_be_switched_off():
    parsed = read_document((PDF / "borderless_plan.pdf").read_bytes(), "b.pdf", ReadOptions(pdf_text_tables=False))
    assert _rows(parsed) == []


def test_body_text_pages_give_no_tables(ruled):
    assert _rows(ruled, page=1) == []


def test_scan_carrying_a_typed_footer_still_goes_to_ocr(monkeypatch):
    # a picture over most of the page and one typed line: the text layer is not the page's content
    seen = []

    def ocr_pdf_pages(data, page_numbers, options):
        seen.extend(page_numbers)
        return [TableRow((Cell("1", Provenance(page=1)), Cell("Việc một", Provenance(page=1))), Provenance(page=1))]

    monkeypatch.setitem(sys.modules, "plantasks.parsers.ocr", types.SimpleNamespace(ocr_pdf_pages=ocr_pdf_pages))
    parsed = read_document((PDF / "scan_with_page_number.pdf").read_bytes(), "scan.pdf")
    assert seen == [1]
    assert _rows(parsed) == [["1", "Việc một"]]


# ---------------------------------------------------------------- words at a column rule


def _chars(text: str, x: float, top: float = 100.0, width: float = 6.5) -> list:
    from plantasks.parsers.pdf.text_layer import Char

    return [Char(ch, x + i * width, top, x + (i + 1) * width, top + 14.0) for i, ch in enumerate(text)]


def test_a_column_rule_parts_the_words_of_two_cells_that_touch_it():
    from plantasks.parsers.pdf.words import chars_to_words

    chars = _chars("ban", 458.0) + _chars("Phiên", 479.2)  # 1.7 points apart, less than a thin space
    assert [w.text for w in chars_to_words(chars)] == ["banPhiên"]
    rule = (478.5, 90.0, 130.0)
    assert [w.text for w in chars_to_words(chars, [rule])] == ["ban", "Phiên"]
    assert [w.text for w in chars_to_words(chars, [(478.5, 120.0, 160.0)])] == ["banPhiên"]  # the rule starts below their line


def test_running_header_and_page_numbers_of_an_office_document_stay_out():
    """running_header_plan.pdf is ruled_plan with a running header on every page but the first and
    "Trang N" at the foot of every page: the same plan, the same tasks, and no furniture in the text."""

    def records(path):
        result = plantasks.extract_file(path)
        return (result.document.title, result.document.plan_number,
                [(t.table, t.section, t.stt, t.content, t.outputs, [a.name for a in t.lead], t.deadline.raw)
                 for t in result.tasks])

    furnished = PDF / "running_header_plan.pdf"
    assert records(furnished) == records(RULED)
    assert [t[:3] for t in records(furnished)[2]][::8] == [
        ("PHỤ LỤC SỐ 01", "Cải cách thể chế", "1"), ("PHỤ LỤC SỐ 01", "Cải cách thể chế", "9"),
        ("PHỤ LỤC SỐ 01", "Cải cách thể chế", "17")]
    parsed = read_document(furnished.read_bytes(), furnished.name)
    texts = [b.text for b in parsed.blocks if isinstance(b, TextLine)] + [
        c for b in parsed.blocks if isinstance(b, TableRow) for c in b.texts]
    assert not [t for t in texts if t.startswith("Trang ") or "12/KH-UBND -" in t]


def _words_at(top: float, pieces: list[tuple[float, str]]):
    """Words of one printed line: each piece's words from its x, 6 points a letter, a space between."""
    words = []
    for x, text in pieces:
        for word in text.split():
            words.append(Word(word, x, x + 6 * len(word), top, top + 12))
            x += 6 * len(word) + 3.5
    return words


def test_a_two_level_header_without_rules_keeps_its_lower_columns_apart():
    """A table printed without rules whose header spans two columns ("Cơ quan thực hiện" over
    "Chủ trì" | "Phối hợp"): the spanning words cross the white space between the two columns."""
    words = (_words_at(100, [(90, "TT"), (176, "Nội dung"), (263, "Thời gian"), (349, "Cơ quan thực hiện")])
             + _words_at(115, [(176, "công việc"), (263, "thực hiện")])
             + _words_at(130, [(349, "Chủ trì"), (440, "Phối hợp")])
             + _words_at(155, [(90, "1"), (176, "Rà soát"), (263, "Quý I/2031"), (349, "Sở Tư pháp"), (440, "Sở Nội vụ")])
             + _words_at(170, [(176, "thủ tục")])
             + _words_at(195, [(90, "2"), (176, "Kiểm tra"), (263, "Quý III/2031"), (349, "Sở Nội vụ"), (440, "Thanh tra")])
             + _words_at(210, [(176, "công vụ"), (440, "tỉnh")]))
    layout = lay_out(PageWords(1, 595, 842, words, [], False), ReadOptions())
    rows = [b.texts for b in layout_blocks(layout, TextColumns()) if isinstance(b, TableRow)]
    assert rows == [["TT", "Nội dung công việc", "Thời gian thực hiện", "Cơ quan thực hiện", ""],
                    ["", "", "", "Chủ trì", "Phối hợp"],
                    ["1", "Rà soát thủ tục", "Quý I/2031", "Sở Tư pháp", "Sở Nội vụ"],
                    ["2", "Kiểm tra công vụ", "Quý III/2031", "Sở Nội vụ", "Thanh tra tỉnh"]]
    [table] = assemble_tables(layout_blocks(layout, TextColumns())).tables  # the second line names lead and support
    assert [(r.cells["lead"], r.cells["support"]) for r in table.rows] == [("Sở Tư pháp", "Sở Nội vụ"),
                                                                          ("Sở Nội vụ", "Thanh tra tỉnh")]
