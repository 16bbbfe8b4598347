"""Tables drawn with rules in plain text, as text browsers (`w3m -dump`: box-drawing characters, cells
centred vertically) and converters (pandoc `plain`: ASCII grid tables, `+===+` under the header) print
a web page's or a Word file's table. Fixtures are invented, with the exact rows and records."""

import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from plantasks.parsers.blocks import TableRow, TextLine
from plantasks.parsers.ruled_grid import is_rule, ruled_grid_at
from plantasks.parsers.text_reader import read_text
from plantasks.pipeline.extract import extract_bytes

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


def blocks(name: str):
    return read_text((LAYOUTS / name).read_bytes()).blocks


def test_box_drawn_table_cells_centred_vertically_wrapped_and_broken_at_a_slash():
    rows = [[c.text for c in b.cells] for b in blocks("ruled_box.txt") if isinstance(b, TableRow)]
    assert rows == [
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn hoàn thành"],
        # a blank line inside a cell (a paragraph break in the page) keeps a line break
        ["1.", "Xây dựng cơ sở dữ liệu hộ tịch điện tử toàn tỉnh", "Sở Tư pháp", "Ủy ban\nnhân dân các xã, phường",
         "Tháng 9/2026"],
        ["2.", "Rà soát thủ tục hành chính nội bộ", "Văn phòng UBND tỉnh", "Các sở, ban, ngành", "Quý IV/2026"],
        ["3.", "Báo cáo kết quả thực hiện", "Sở Nội vụ", "Sở Tài chính", "Trước ngày 15/12/2026"],
    ]


def test_text_around_a_box_table_and_the_signature_box_stay_text():
    found = blocks("ruled_box.txt")
    texts = [(b.text, b.prov.line_start, b.prov.line_end) for b in found if isinstance(b, TextLine)]
    assert texts == [
        ("ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH AN", 1, 1),
        ("Điều 2. Phân công thực hiện", 3, 3),
        ("1. Các cơ quan thực hiện các nhiệm vụ sau:", 5, 5),
        ("Điều 3. Hiệu lực thi hành", 24, 24),
        ("Kế hoạch này có hiệu lực kể từ ngày ký./.", 26, 26),
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", 29, 31),  # a two-column layout box, not a table
    ]
    rows = [(b.prov.line_start, b.prov.line_end) for b in found if isinstance(b, TableRow)]
    assert rows == [(8, 10), (12, 15), (17, 18), (20, 21)]


def test_grid_table_with_a_spanned_section_row_a_bar_inside_a_cell_and_list_cells():
    rows = [[c.text for c in b.cells] for b in blocks("ruled_grid.txt") if isinstance(b, TableRow)]
    assert rows == [
        ["TT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"],
        ["I", "NHIỆM VỤ CHUNG", "", "", ""],
        ["1", "Cập nhật dữ liệu dân cư vào hệ thống (giao diện A|B)", "Công an tỉnh", "Sở Khoa học và Công nghệ",
         "Hằng tháng"],
        ["2", "Tập huấn kỹ năng số cho cán bộ", "Sở Nội vụ", "- Sở Tài chính;\n- Các huyện", "Năm 2026"],
    ]


def test_ruled_tables_become_tasks():
    def tasks(name):
        path = LAYOUTS / name
        result = extract_bytes(path.read_bytes(), str(path)).result
        return [(t.stt, t.section, [a.name for a in t.lead], [a.name for a in t.support], t.deadline.raw)
                for t in result.tasks]

    assert tasks("ruled_box.txt") == [
        ("1", "Các cơ quan thực hiện các nhiệm vụ sau", ["Sở Tư pháp"], ["Ủy ban nhân dân cấp xã"], "Tháng 9/2026"),
        ("2", "Các cơ quan thực hiện các nhiệm vụ sau", ["Văn phòng Ủy ban nhân dân tỉnh"],
         ["Các sở, ban, ngành cấp tỉnh"], "Quý IV/2026"),
        ("3", "Các cơ quan thực hiện các nhiệm vụ sau", ["Sở Nội vụ"], ["Sở Tài chính"], "Trước ngày 15/12/2026"),
    ]
    assert tasks("ruled_grid.txt") == [
        ("1", "Nhiệm vụ chung", ["Công an tỉnh"], ["Sở Khoa học và Công nghệ"], "Hằng tháng"),
        ("2", "Nhiệm vụ chung", ["Sở Nội vụ"], ["Sở Tài chính", "Các huyện"], "Năm 2026"),
    ]


def test_a_dashed_line_or_a_heavy_horizontal_line_is_not_a_table_rule():
    assert not is_rule("-----------")
    assert not is_rule("━━━━━━━━━━━")
    assert not is_rule("+")
    assert is_rule("+----+:---:+")
    assert is_rule("╔════╦════╗")


WORDS = st.text(alphabet="abcdeghiklmnoprstuvxyàáảãạâầấđêềếôồốơờớưừứ", min_size=1, max_size=9)
CELL = st.lists(WORDS, min_size=0, max_size=8).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(rows=st.integers(2, 6).flatmap(lambda n: st.lists(st.lists(CELL, min_size=n, max_size=n), min_size=1,
                                                           max_size=5)),
       width=st.integers(10, 24), spelling=st.sampled_from(["box", "grid"]), centred=st.booleans())
def test_any_ruled_table_reads_back_its_cells(rows, width, spelling, centred):
    left, mid, right, fill, bar = ("├", "┼", "┤", "─", "│") if spelling == "box" else ("+", "+", "+", "-", "|")
    rule = left + mid.join(fill * (width + 2) for _ in rows[0]) + right
    lines = [rule]
    for row in rows:
        wrapped = [textwrap.wrap(cell, width) for cell in row]
        height = max(1, *(len(w) for w in wrapped))
        for k in range(height):
            parts = []
            for w in wrapped:
                k0 = k - (height - len(w)) // 2 if centred else k
                parts.append(f" {(w[k0] if 0 <= k0 < len(w) else '').ljust(width)} ")
            lines.append(bar + bar.join(parts) + bar)
        lines.append(rule)
    grid = ruled_grid_at(lines, 0)
    assert [r.cells for r in grid.rows] == rows
    assert grid.end == len(lines)


def test_pandoc_table_under_a_dashed_rule_takes_its_columns_from_the_dash_runs():
    """pandoc `plain` prints a table without a header row between dashed rules, one dash run per
    column; a non-breaking space in a cell comes out as two spaces, which must not split the cell."""
    rows = [[c.text for c in b.cells] for b in blocks("pandoc_dashed_rule.txt") if isinstance(b, TableRow)]
    assert rows == [
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"],
        ["1", "Xây dựng đề án phát triển du lịch cộng đồng", "Sở Văn hóa", "Ủy ban nhân dân các xã", "Quý II/2026"],
        ["2", "Tổng kết công tác phòng chống thiên tai", "Sở Nông nghiệp", "Ban Chỉ huy phòng thủ dân sự",
         "Tháng 12/2026"],
    ]
