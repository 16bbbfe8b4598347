"""Properties of agency cells that hold for every list (hypothesis): no printed word is lost, and
the two agency lists never repeat a name."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plantasks.normalizers.agencies import resolve_agencies
from plantasks.normalizers.agencies.rules import load_rules
from plantasks.normalizers.context import PlanContext

# Mentions an analyst meets: known bodies, groups, abbreviations, unknown names with commas and
# "và" inside, class-noun runs, bare tiers and localities, qualifiers, role words at the edges.
MENTIONS = [
    "Sở Nội vụ", "Sở KH&ĐT", "Sở Văn hóa, Thể thao và Du lịch", "UBND cấp xã", "UBND các huyện, thị xã",
    "Các sở, ngành", "địa phương", "các cơ quan, đơn vị liên quan", "Công an tỉnh", "Bộ Tài chính",
    "Ủy ban Khoa học, Công nghệ và Môi trường", "Hội đồng Dân tộc", "Viện, Trường", "Hội, Hiệp hội",
    "Ban Chỉ huy Quân sự cấp tỉnh", "cấp xã", "UBND thành phố Cần Thơ", "Thành phố Huế",
    "Vụ Pháp chế, Thanh tra", "Tổ công tác do Thủ tướng Chính phủ thành lập", "nhà đầu tư",
    "Hợp tác xã", "Trung tâm dữ liệu, cơ sở dữ liệu", "liên quan", "ở các cấp", "Người dân",
    "Sở Y tế chủ trì", "Giao Sở Tư pháp", "Theo phân công tại Quyết định số 45/QĐ-UBND",
    "Đài Truyền hình Việt Nam", "các đơn vị được giao chủ trì thủ tục hành chính",
]
LINKS = [", ", " và ", "; ", "\n- ", "\n", " , "]

_WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _removable() -> set[str]:
    """Words a reader may drop: role words at a mention's edge, list links, labels."""
    rules = load_rules()
    phrases = [*rules.role_words, *rules.leading_role_words, *rules.links, *rules.labels, "và", "các"]
    return set().union(*(_words(p) for p in phrases))


cells = st.lists(st.sampled_from(MENTIONS), min_size=1, max_size=8).flatmap(
    lambda ms: st.lists(st.sampled_from(LINKS), min_size=len(ms) - 1, max_size=len(ms) - 1).map(
        lambda links: ms[0] + "".join(link + m for link, m in zip(links, ms[1:]))))
contexts = st.sampled_from([
    PlanContext(level="province", province="Cần Thơ", reference_date=date(2024, 3, 1)),
    PlanContext(level="province", province="Cần Thơ", reference_date=date(2025, 9, 1)),
    PlanContext(level="national", reference_date=date(2025, 8, 1)),
    PlanContext(level="district", province="Cần Thơ", district="Phong Điền", reference_date=date(2023, 1, 5)),
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cell=cells, ctx=contexts, column=st.sampled_from(["lead", "support", "performer"]))
def test_every_printed_word_ends_in_an_entry_or_a_removed_role_word(cell, ctx, column):
    res = resolve_agencies(cell, column, ctx)
    kept = set().union(*(_words(a.text) | _words(a.name) for a in res.lead + res.support))
    lost = _words(cell) - kept - _removable()
    assert not lost, (cell, [a.text for a in res.lead + res.support])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cell=cells, ctx=contexts)
def test_a_list_never_repeats_a_name_and_every_unknown_is_flagged(cell, ctx):
    res = resolve_agencies(cell, "lead", ctx)
    names = [a.name.casefold() for a in res.lead]
    assert len(names) == len(set(names))
    if any(a.match == "none" for a in res.lead):
        assert "agency_unknown" in res.flags
