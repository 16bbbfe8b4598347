"""Appendix labels and titles as printed, OCR-damaged or written in prose."""

import pytest

from plantasks.pipeline.tables import appendix_label


@pytest.mark.parametrize("line, expected", [
    ("PHỤ LỤC SỐ 01: ", ("PHỤ LỤC SỐ 01", "")),
    ("Phụ lục số 01: Các nhiệm vụ trọng tâm về Cải cách thể chế năm 2023",
     ("PHỤ LỤC SỐ 01", "Các nhiệm vụ trọng tâm về Cải cách thể chế năm 2023")),
    ("PHU LUC SÔ 02", ("PHỤ LỤC SỐ 02", "")),
    ("PHỤ LỤC", ("PHỤ LỤC", "")),
    ("Phụ lục I", ("PHỤ LỤC I", "")),
    ("PHỤ LỤC II: DANH MỤC NHIỆM VỤ", ("PHỤ LỤC II", "DANH MỤC NHIỆM VỤ")),
    ("Phụ lục 01: Nhiệm vụ chuyển đổi số", ("PHỤ LỤC 01", "Nhiệm vụ chuyển đổi số")),
    ("PHỤ LỤC (Kèm theo Quyết định số 12/QĐ-UBND)", ("PHỤ LỤC", "")),
])
def test_appendix_labels(line, expected):
    assert appendix_label(line) == expected


@pytest.mark.parametrize("line", [
    "Phụ lục đính kèm kế hoạch này",
    "Nội dung các nhiệm vụ cụ thể (theo Phụ lục đính kèm).",
    "2. Phòng Tư pháp: chủ trì triển khai theo Phụ lục số 01;",
])
def test_prose_mentioning_an_appendix_is_not_a_label(line):
    assert appendix_label(line) is None
