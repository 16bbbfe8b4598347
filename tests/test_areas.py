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
