"""Reform area per section title: corpus of printed titles, cue data integrity, and the tie rule."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from plantasks.normalizers.areas import AREAS, classify_area, classify_area_detail, load_cues

CORPUS = yaml.safe_load((Path(__file__).parent / "corpus" / "areas.yaml").read_text(encoding="utf-8"))
CASES = [(group, title, area) for group, items in CORPUS.items() for title, area in items.items()]


def test_corpus_is_big_enough_and_covers_every_area():
    assert len(CASES) >= 60
    assert {area for _, _, area in CASES} == set(AREAS)


@pytest.mark.parametrize("group, title, area", CASES, ids=[f"{g}:{t[:40]}" for g, t, _ in CASES])
def test_corpus_title(group, title, area):
    assert classify_area(title) == area


def test_every_cue_belongs_to_one_area():
    seen: dict[str, str] = {}
    for _, cue, area in load_cues().patterns:
        assert seen.setdefault(cue, area) == area, f"cue {cue!r} in {seen[cue]} and {area}"


def test_the_earliest_cue_decides():
    # "chỉ đạo" (direction) comes before "thủ tục hành chính" (procedures)
    assert classify_area("Chỉ đạo, điều hành cải cách thủ tục hành chính") == "direction"
    assert classify_area("Cải cách thủ tục hành chính gắn với chuyển đổi số") == "procedures"


def test_a_longer_cue_at_the_same_place_wins():
    detail = classify_area_detail("Kiểm tra công vụ năm 2024")
    assert (detail.area, detail.cue) == ("civil_service", "kiem tra cong vu")


def test_no_cue_is_other_with_no_cue_reported():
    detail = classify_area_detail("Mục đích, yêu cầu")
    assert (detail.area, detail.cue, detail.position) == ("other", None, None)


def test_abbreviations_are_expanded():
    assert classify_area("Tuyên truyền CCHC") == "direction"
    assert classify_area("Đào tạo CBCCVC") == "civil_service"


# Document first (GOLD_SPEC): only an administrative-reform plan has reform areas.
PLAN_CASES = [
    # a CCHC plan: the section decides
    ("Kế hoạch cải cách hành chính tỉnh Hà Giang năm 2025", "Cải cách thủ tục hành chính", "procedures"),
    ("Kế hoạch CCHC năm 2026 của Sở Y tế", "Xây dựng chính quyền số", "digital_government"),
    # a CCHC plan on one area: a section naming no area takes the area of the title
    ("Kế hoạch tuyên truyền cải cách hành chính năm 2026", "Tổ chức chương trình đối thoại với các sở", "direction"),
    ("Kế hoạch kiểm tra công tác cải cách hành chính năm 2025", "Đợt 1", "direction"),
    # any other plan: every row is "other", whatever its section is called
    ("Kế hoạch bảo vệ môi trường giai đoạn 2026-2030", "Cải cách thủ tục hành chính về môi trường", "other"),
    ("Kế hoạch chuyển đổi số tỉnh năm 2026", "Phát triển chính quyền số", "other"),
    ("Nghị quyết điều chỉnh Chương trình lập pháp năm 2026", "Các dự án luật trình Quốc hội", "other"),
    ("Kế hoạch phòng thủ dân sự năm 2026", "Công tác chỉ đạo, điều hành", "other"),
]


@pytest.mark.parametrize("title, section, area", PLAN_CASES, ids=[f"{t[:30]}|{s[:20]}" for t, s, _ in PLAN_CASES])
def test_area_is_decided_for_the_document_first(title, section, area):
    from plantasks.normalizers.areas import area_in_plan

    assert area_in_plan(section, title) == area


def test_without_a_title_the_section_alone_decides():
    from plantasks.normalizers.areas import area_in_plan

    assert area_in_plan("Cải cách thể chế", None) == "institutions"
