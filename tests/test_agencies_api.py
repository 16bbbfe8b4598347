"""Behaviour of the agency normalizer's parts: keys, splitting, how a match is reported."""

from __future__ import annotations

from datetime import date

import pytest

from plantasks.normalizers.agencies import Options, resolve_agencies
from plantasks.normalizers.agencies import split
from plantasks.normalizers.agencies.normalize import fold, key_of, keyed, unify_tone
from plantasks.normalizers.agencies.rules import load_rules
from plantasks.normalizers.context import PlanContext
from plantasks.normalizers.text import clean_cell

PROVINCE = PlanContext(level="province", province="Thanh Hóa")
DISTRICT = PlanContext(level="district", province="Thanh Hóa", district="Hoàng Hóa")
RULES = load_rules()


@pytest.mark.parametrize("a,b", [
    ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
    ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
    ("VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hóa Thể thao Du lịch"),
    ("Uỷ ban nhân dân", "ỦY BAN NHÂN DÂN"),
    ("các sở, ban, ngành", "Sở, ban, ngành"),
])
def test_spellings_of_one_name_share_a_key(a, b):
    assert key_of(a) == key_of(b)


def test_tone_placement_is_unified_but_qu_keeps_its_tone():
    assert unify_tone("hoá") == "hóa"
    assert unify_tone("thuỷ") == "thủy"
    assert unify_tone("quý") == "quý"
    assert unify_tone("hoàn") == "hoàn"


def test_key_tokens_point_back_to_the_printed_text():
    text = keyed("Giám đốc Sở KH&ĐT tỉnh")
    words = text.key.split(" ")
    first, last = words.index("sở"), words.index("tỉnh")
    assert text.span_text(first, last) == "Sở KH&ĐT"


def test_fold_drops_diacritics_and_d_stroke():
    assert fold("sở đầu tư") == "so dau tu"


def test_clean_cell_strips_html_and_turns_inline_bullets_into_lines():
    cell = '<ul style="x"> - Sở Nội vụ; - UBND cấp xã. </ul>'
    assert clean_cell(cell) == "- Sở Nội vụ;\n- UBND cấp xã."


def test_repeated_words_from_ocr_are_removed():
    assert split.drop_repeats("Cơ quan, đơn vị có liên quan liên quan.") == "Cơ quan, đơn vị có liên quan."


def test_role_words_peel_from_both_ends_but_not_inside_names():
    assert split.role_word_variants("Giao Sở Y tế chủ trì", RULES)[-1] == "Sở Y tế"
    assert split.role_word_variants("Sở Xây dựng", RULES) == ["Sở Xây dựng"]


def test_support_opener_inside_parentheses_does_not_split():
    assert split.split_support_opener("Phòng Nội vụ (phối hợp)", RULES) == ("Phòng Nội vụ (phối hợp)", None)
    assert split.split_support_opener("Sở A chủ trì, phối hợp với Sở B", RULES)[1] == "Sở B"


def test_agency_reports_printed_text_canonical_name_id_and_how_it_matched():
    res = resolve_agencies("- Sở KH&ĐT;\n- So Noi vu;\n- Sở Tư pháp.", "lead", PROVINCE, date(2024, 1, 1))
    got = [(a.text, a.name, a.id, a.kind, a.match) for a in res.lead]
    assert got == [
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư", "so_khdt", "agency", "alias"),
        ("So Noi vu", "Sở Nội vụ", "so_noi_vu", "agency", "fuzzy"),
        ("Sở Tư pháp", "Sở Tư pháp", "so_tu_phap", "agency", "exact"),
    ]
    assert res.lead[1].score >= RULES.fuzzy_cutoff
    assert res.flags == ["agency_fuzzy"]


def test_unknown_mention_is_kept_as_printed_and_flagged():
    res = resolve_agencies("UBND phường Bắc Sơn; Hội Khuyến học tỉnh", "support", PROVINCE)
    assert [(a.name, a.kind, a.match, a.id) for a in res.support] == [
        ("Ủy ban nhân dân phường Bắc Sơn", "agency", "alias", "template:ubnd_locality"),
        ("Hội Khuyến học tỉnh", "unknown", "none", None),
    ]
    assert res.flags == ["agency_unknown"]


def test_column_decides_the_list():
    cell = "Sở Nội vụ phối hợp Sở Tư pháp"
    assert [a.name for a in resolve_agencies(cell, "lead", PROVINCE).lead] == ["Sở Nội vụ", "Sở Tư pháp"]
    assert [a.name for a in resolve_agencies(cell, "support", PROVINCE).support] == ["Sở Nội vụ", "Sở Tư pháp"]
    res = resolve_agencies(cell, "performer", PROVINCE)
    assert ([a.name for a in res.lead], [a.name for a in res.support]) == (["Sở Nội vụ"], ["Sở Tư pháp"])


def test_same_words_mean_different_bodies_by_plan_level():
    assert resolve_agencies("Phòng Tư pháp", "lead", DISTRICT).lead[0].name == "Phòng Tư pháp"
    assert resolve_agencies("Phòng Tư pháp", "lead", PROVINCE).lead[0].name == "Phòng Tư pháp cấp huyện"
    assert resolve_agencies("địa phương", "lead", PROVINCE).lead[0].name == "Ủy ban nhân dân cấp huyện"
    national = PlanContext(level="national")
    assert resolve_agencies("địa phương", "lead", national).lead[0].name == "Ủy ban nhân dân cấp tỉnh"


def test_successor_depends_on_the_date():
    before = resolve_agencies("Sở KH&ĐT", "lead", PROVINCE, date(2024, 12, 31)).lead[0]
    after = resolve_agencies("Sở KH&ĐT", "lead", PROVINCE, date(2025, 3, 1)).lead[0]
    assert (before.successor, after.successor) == (None, "Sở Tài chính")


def test_fuzzy_never_swaps_the_kind_or_tier_of_a_body():
    assert resolve_agencies("Sở Ngoại giao", "lead", PROVINCE).lead[0].match == "none"
    assert resolve_agencies("Thường trực HĐND xã", "lead", PROVINCE).lead[0].match == "none"


def test_switching_parts_off_changes_only_their_cases():
    cell = "Theo phân công"  # kept whole either way; underthesea tells a clause from a name
    assert [a.name for a in resolve_agencies(cell, "lead", PROVINCE).lead] == ["Theo phân công"]
    assert "agency_not_a_name" in resolve_agencies(cell, "lead", PROVINCE).flags
    assert "agency_not_a_name" not in resolve_agencies(cell, "lead", PROVINCE, options=Options(pos_filter=False)).flags
    assert resolve_agencies("Sở Tư phap", "lead", PROVINCE, options=Options(fuzzy=False)).lead[0].match == "none"


def test_empty_cell_gives_nothing():
    res = resolve_agencies("  \n - ", "lead", PROVINCE)
    assert (res.lead, res.support, res.flags) == ([], [], [])


def test_agencies_named_in_body_text_are_found_with_their_spans():
    from plantasks.normalizers.agencies.spot import find_agencies

    text = "Giao Sở Tư pháp chủ trì, phối hợp với UBND cấp xã; báo cáo Bộ Nội vụ. Thành lập Tổ công tác."
    found = find_agencies(text, PROVINCE)
    assert [(m.text, m.name) for m in found] == [
        ("Sở Tư pháp", "Sở Tư pháp"), ("UBND cấp xã", "Ủy ban nhân dân cấp xã"), ("Bộ Nội vụ", "Bộ Nội vụ")]
    assert all(text[m.start:m.end] == m.text for m in found)


NATIONAL = PlanContext(level="national")


@pytest.mark.parametrize("cell, names", [
    # a body's name wrapped in a narrow column, by a line break or by a speck read at the break
    ("Ủy ban Quốc phòng, An ninh và Đối\nngoại", ["Ủy ban Quốc phòng, An ninh và Đối ngoại"]),
    ("Ủy ban Quốc\nphòng, An ninh và Đối\nngoại", ["Ủy ban Quốc phòng, An ninh và Đối ngoại"]),
    ("Ủy ban Quốc phòng, An ninh và Đối\n:\nngoại", ["Ủy ban Quốc phòng, An ninh và Đối ngoại"]),
    ("Ủy ban Quốc phòng, An ninh và Đối.\nngoại", ["Ủy ban Quốc phòng, An ninh và Đối ngoại"]),
    ("Ủy ban Kinh tế và\nTài chính", ["Ủy ban Kinh tế và Tài chính"]),
    ("Ủy ban Khoa học, Công\nnghệ và Môi trường", ["Ủy ban Khoa học, Công nghệ và Môi trường"]),
    ("Ủy ban Văn hóa và Xã\nhội, Hội đồng Dân tộc", ["Ủy ban Văn hóa và Xã hội", "Hội đồng Dân tộc"]),
    ("Hội đồng\nDân tộc, các Ủy ban khác của Quốc hội", ["Hội đồng Dân tộc", "Các Ủy ban khác của Quốc hội"]),
])
def test_a_wrapped_body_name_is_one_agency(cell, names):
    res = resolve_agencies(cell, "support", NATIONAL)
    assert [a.name for a in res.support] == names and all(a.match != "none" for a in res.support)


@pytest.mark.parametrize("cell, names", [
    ("Sở Nội vụ\nSở Tư pháp", ["Sở Nội vụ", "Sở Tư pháp"]),  # one name a line stays a list
    ("Sở Nội vụ.\nSở Tư pháp", ["Sở Nội vụ", "Sở Tư pháp"]),
    ("Sở Văn hóa, Thể thao\nvà Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
    # a local body's name broken before its unit word, which a narrow column printed capitalised
    ("Lãnh đạo UBND\nXã Hoằng Đạt", ["Ủy ban nhân dân xã Hoằng Đạt"]),
    ("Ủy ban nhân dân\nThị xã Nghi Sơn", ["Ủy ban nhân dân thị xã Nghi Sơn"]),
    ("Sở Nội vụ\nUBND các huyện", ["Sở Nội vụ", "Ủy ban nhân dân cấp huyện"]),  # no unit right after the body
])
def test_names_a_line_and_wrapped_names_in_a_province(cell, names):
    assert [a.name for a in resolve_agencies(cell, "lead", PROVINCE).lead] == names


def test_a_list_whose_last_name_wraps_before_a_capitalised_word():
    res = resolve_agencies("Hội đồng Dân tộc, các Ủy ban khác của\nQuốc hội", "support", NATIONAL)
    assert [a.name for a in res.support] == ["Hội đồng Dân tộc", "Các Ủy ban khác của Quốc hội"]
