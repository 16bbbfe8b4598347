"""Scanned task tables as printed, end to end: invented pages (scan_conditions.layout_pdf) with section
titles under a grid printed through them, a pale task-text column, a seal over empty cells, no column
lines (rules between rows only, also with numbers centred in tall rows, or none; continued on a page
without a header), and a table continued on a page whose lines split the columns differently. Each
must give exactly its tasks and sections; a repeated header is never a task."""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz

from scan_conditions import LAYOUTS, WEB_TASKS, extracted_scans, layout_pdf, result

SECTION = "Cải cách thủ tục hành chính"
TASK_1 = ("1", "Rà soát, đơn giản hóa thủ tục hành chính nội bộ", ["Sở Tư pháp"], "Quý II/2025")
TASK_2 = ("2", "Kiểm tra việc tiếp nhận hồ sơ trực tuyến", ["Văn phòng Ủy ban nhân dân tỉnh"], "Thường xuyên")
TASK_2_WRAPPED = (TASK_2[0], TASK_2[1] + " tại Trung tâm Phục vụ hành chính công tỉnh", *TASK_2[2:])
TASK_3 = ("3", "Tổ chức đối thoại với người dân, doanh nghiệp", ["Sở Nội vụ"], "Tháng 10/2025")
TASK_4 = ("4", "Công khai kết quả giải quyết hồ sơ trên cổng dịch vụ công", ["Sở Tư pháp"], "Quý IV/2025")

EXPECTED = {  # layout -> [(stt, content, lead, deadline, section)]
    "section_under_grid": [
        (*TASK_1, "Cải cách thủ tục hành chính và hiện đại hóa nền hành chính trên địa bàn tỉnh"),
        (*TASK_2, "Cải cách tổ chức bộ máy hành chính nhà nước và chế độ công vụ của tỉnh"),
        (*TASK_3, "Cải cách tổ chức bộ máy hành chính nhà nước và chế độ công vụ của tỉnh"),
    ],
    "pale_content": [(*TASK_1, SECTION), (*TASK_2, SECTION), (*TASK_3, SECTION)],
    "seal_over_empty_cells": [(*task[:3], "", SECTION) for task in (TASK_1, TASK_2, TASK_3)],
    "row_rules_only": [(*TASK_1, SECTION), (*TASK_2_WRAPPED, SECTION), (*TASK_3, SECTION)],
    "no_rules": [(*TASK_1, SECTION), (*TASK_2_WRAPPED, SECTION), (*TASK_3, SECTION)],
    "row_rules_centred_numbers": [(*TASK_1, SECTION), (*TASK_2_WRAPPED, SECTION), (*TASK_3, SECTION)],
    "continued_missing_line": [(*TASK_1, SECTION), (*TASK_2_WRAPPED, SECTION), (*TASK_3, SECTION)],
    "continued_stray_line": [(*TASK_1, SECTION), (*TASK_2, SECTION), (*TASK_3, SECTION)],
    "no_rules_continued": [(*TASK_1, SECTION), (*TASK_2_WRAPPED, SECTION), (*TASK_3, SECTION), (*TASK_4, SECTION)],
}
EXPECTED["new_table_after_text"] = [  # page 2's table keeps its own columns
    (*TASK_1, SECTION), (*TASK_2, SECTION), (*TASK_3, SECTION),
    ("4", "Công khai kết quả giải quyết hồ sơ", ["Sở Tư pháp"], "Quý IV/2025", SECTION),
    ("5", "Tập huấn công chức một cửa", ["Sở Nội vụ"], "Quý III/2026", SECTION),
]
STRUCTURE_ONLY = ("web_table_across_pages",)  # its letters are the OCR repair's to get right: see below


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    return extracted_scans(tmp_path_factory, {name: layout_pdf(name) for name in LAYOUTS})


@pytest.mark.parametrize("name", [name for name in LAYOUTS if name not in STRUCTURE_ONLY])
def test_layout_gives_the_printed_tasks_and_sections(extracted, name):
    doc = result(extracted, name)
    tasks = [(t["stt"], t["content"], [a["name"] for a in t["lead"]], t["deadline"]["raw"], t["section"])
             for t in doc["tasks"]]
    assert tasks == EXPECTED[name]


@pytest.mark.parametrize("name, pages", [
    ("continued_missing_line", [1, 1, 2]), ("continued_stray_line", [1, 2, 2]), ("no_rules_continued", [1, 1, 2, 2]),
    ("web_table_across_pages", [2, 2, 2]),
])
def test_a_continued_table_stays_one_table(extracted, name, pages):
    """The repeated header on page 2 is neither a task nor the start of a new table, and the row
    carried over the page break is one task."""
    doc = result(extracted, name)
    assert len({t["table"] for t in doc["tasks"]}) == 1
    assert not any(t["content"].startswith("Nội dung") for t in doc["tasks"])
    assert "no_task_table" not in [w["code"] for w in doc["warnings"]]
    assert [t["source"]["page"] for t in doc["tasks"]] == pages


def test_a_table_without_lines_whose_cells_are_centred_gives_every_cell_in_its_field(extracted):
    """Cells centred at heights of their own and no lines (a web page printed, 150 dpi, grain): each
    row's cells are read apart, not run together across the columns; the header alone at the foot of
    page 1 opens the table and page 2's rows (no header) go on in its columns. Every cell lands in its
    own field; the task text may keep an OCR slip (a speck read as a letter), never another cell's words."""
    tasks = result(extracted, "web_table_across_pages")["tasks"]
    assert [(t["stt"], t["deadline"]["raw"]) for t in tasks] == [(task[0], task[4]) for task in WEB_TASKS]
    assert [[a["name"] for a in t["lead"]] for t in tasks] == [
        ["Sở Nội vụ"], ["Trung tâm Phục vụ hành chính công tỉnh"], ["Thanh tra tỉnh"]]
    assert [len(t["support"]) for t in tasks] == [2, 1, 2]
    for task, printed in zip(tasks, WEB_TASKS):
        assert fuzz.ratio(task["content"], printed[1]) >= 95, task["content"]
