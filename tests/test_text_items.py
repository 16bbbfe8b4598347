"""Products cells -> items (GOLD_SPEC `outputs`): bullets, line breaks and ';' split; ',' and '/' never."""

import pytest

from plantasks.normalizers.text import clean_cell, split_items


@pytest.mark.parametrize("cell,items", [
    ("Kế hoạch; Báo cáo", ["Kế hoạch", "Báo cáo"]),
    ("- Kế hoạch\n- Báo cáo kết quả.", ["Kế hoạch", "Báo cáo kết quả"]),
    ("1. Kế hoạch\n2) Báo cáo", ["Kế hoạch", "Báo cáo"]),
    ("Kế hoạch, báo cáo", ["Kế hoạch, báo cáo"]),
    ("Quyết định phê duyệt/Kế hoạch", ["Quyết định phê duyệt/Kế hoạch"]),
    ("Kế hoạch - Báo cáo", ["Kế hoạch - Báo cáo"]),  # a dash between words is no bullet
    ("Kế hoạch. - Báo cáo", ["Kế hoạch", "Báo cáo"]),  # after a sentence end it is
    # a web page's list flattened into one line: round bullets are only ever bullets
    ("• Kế hoạch • Báo cáo", ["Kế hoạch", "Báo cáo"]),
    ("Kế hoạch ● Báo cáo; Tờ trình", ["Kế hoạch", "Báo cáo", "Tờ trình"]),
    ("Tờ trình ▪ Dự thảo Quyết định ► Quyết định", ["Tờ trình", "Dự thảo Quyết định", "Quyết định"]),
])
def test_products_cell_items(cell, items):
    assert split_items(cell) == items


def test_a_round_bullet_inside_a_line_starts_a_line_of_the_cell():
    assert clean_cell("Sở Nội vụ • Sở Tư pháp") == "Sở Nội vụ\n• Sở Tư pháp"
