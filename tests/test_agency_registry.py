"""Integrity of the agency registry (normalizers/data/agencies.yaml)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from plantasks.normalizers.agencies.normalize import key_of
from plantasks.normalizers.agencies.registry import LEVELS, REGISTRY_FILE, build_registry, load_registry

RAW = yaml.safe_load(Path(REGISTRY_FILE).read_text(encoding="utf-8"))
REGISTRY = load_registry()


def test_ids_are_unique_and_snake_case():
    ids = [e["id"] for e in RAW["entries"]]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)


def test_duplicate_id_is_refused():
    entry = {"id": "x", "name": "X", "kind": "agency", "level": "province"}
    with pytest.raises(ValueError, match="duplicate"):
        build_registry({"entries": [entry, dict(entry)]})


def test_every_alias_resolves_to_exactly_one_entry_per_plan_level():
    assert REGISTRY.conflicts == []
    for entry in REGISTRY.entries.values():
        for alias in entry.names():
            day = alias.since or alias.until  # a dated alias is checked inside its window
            for level in alias.contexts or entry.contexts:
                assert REGISTRY.lookup(key_of(alias.text), level, day) is entry, (alias.text, level)


def test_a_word_whose_meaning_changed_resolves_by_the_plan_date():
    before, after = date(2025, 6, 30), date(2025, 7, 1)
    assert REGISTRY.lookup(key_of("các địa phương"), "province", before).id == "ubnd_cap_huyen"
    assert REGISTRY.lookup(key_of("các địa phương"), "province", after).id == "ubnd_cap_xa"


def test_overlapping_dated_aliases_are_conflicts():
    a = {"id": "a", "name": "Sở A", "kind": "agency", "level": "province",
         "aliases": [{"text": "Sở chung", "until": "2025-06-30"}]}
    b = {"id": "b", "name": "Sở B", "kind": "agency", "level": "province",
         "aliases": [{"text": "Sở chung", "since": "2025-06-01"}]}
    assert build_registry({"entries": [a, b]}).conflicts
    b["aliases"][0]["since"] = "2025-07-01"
    assert not build_registry({"entries": [a, b]}).conflicts


def test_alias_conflicts_are_detected():
    a = {"id": "a", "name": "Sở A", "kind": "agency", "level": "province"}
    b = {"id": "b", "name": "Sở B", "kind": "agency", "level": "province", "aliases": ["Sở A"]}
    assert build_registry({"entries": [a, b]}).conflicts


def test_fields_have_known_values():
    for entry in REGISTRY.entries.values():
        assert entry.kind in ("agency", "group"), entry.id
        assert entry.level in LEVELS, entry.id
        assert entry.contexts <= set(LEVELS) and entry.contexts, entry.id
        for alias in entry.aliases:
            assert alias.contexts is None or alias.contexts <= set(LEVELS), (entry.id, alias)


def test_successors_and_parents_exist():
    for entry in REGISTRY.entries.values():
        for successor in entry.successors:
            assert successor in REGISTRY.entries, (entry.id, successor)
            assert successor != entry.id
        assert entry.parent is None or entry.parent in REGISTRY.entries, entry.id


def test_dates_are_ordered_and_successors_follow_on():
    for entry in REGISTRY.entries.values():
        if entry.valid_from and entry.valid_to:
            assert entry.valid_from <= entry.valid_to, entry.id
        for successor in entry.successors:
            nxt = REGISTRY.entries[successor]
            assert entry.valid_to is not None, f"{entry.id} has successors but no valid_to"
            assert nxt.valid_from is None or nxt.valid_from <= entry.valid_to.replace(year=entry.valid_to.year + 1)


def test_reorganization_facts_cite_a_source():
    sources = RAW["sources"]
    for entry in RAW["entries"]:
        if entry.get("successors") or entry.get("valid_from") or entry.get("valid_to"):
            assert entry.get("source") in sources, entry["id"]
    for key, source in sources.items():
        assert source["title"] and source["url"].startswith("http"), key


def test_successor_chains_end():
    from datetime import date
    for entry in REGISTRY.entries.values():
        REGISTRY.successor(entry, date(2100, 1, 1))  # must not loop


def test_gold_spec_canonical_names_are_registered():
    names = {e.name for e in REGISTRY.entries.values()}
    for name in [
        "Sở Kế hoạch và Đầu tư", "Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ",
        "Sở Văn hóa, Thể thao và Du lịch", "Sở Tài nguyên và Môi trường", "Sở Lao động - Thương binh và Xã hội",
        "Sở Nông nghiệp và Phát triển nông thôn", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Nội vụ", "Sở Tư pháp",
        "Sở Tài chính", "Sở Xây dựng", "Sở Công Thương", "Sở Giao thông vận tải", "Thanh tra tỉnh",
        "Văn phòng Ủy ban nhân dân tỉnh", "Ban Chỉ đạo cải cách hành chính tỉnh",
        "Trung tâm Phục vụ hành chính công tỉnh", "Công an tỉnh", "Cục Thuế tỉnh", "Kho bạc Nhà nước tỉnh",
        "Bảo hiểm xã hội tỉnh", "Bộ Nội vụ", "Văn phòng Chính phủ", "Phòng Nội vụ", "Phòng Tư pháp",
        "Phòng Tài chính - Kế hoạch", "Phòng Văn hóa và Thông tin", "Phòng Giáo dục và Đào tạo",
        "Phòng Nông nghiệp và Phát triển nông thôn", "Văn phòng HĐND và UBND huyện", "Thanh tra huyện",
        "Bộ phận tiếp nhận và trả kết quả huyện", "Trung tâm Văn hóa, Thông tin, Thể thao và Du lịch huyện",
        "Phòng Tư pháp cấp huyện", "Phòng Nội vụ cấp huyện",
        "Các sở, ban, ngành cấp tỉnh", "Ủy ban nhân dân cấp huyện", "Ủy ban nhân dân cấp xã",
        "Các phòng, ban, ngành cấp huyện", "Các cơ quan, đơn vị có liên quan", "Các đơn vị sự nghiệp công lập",
        "Các cơ quan thông tin, báo chí", "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
        "Ủy ban nhân dân cấp tỉnh", "Ủy ban nhân dân tỉnh", "Bộ Khoa học và Công nghệ",
        "Bộ Nông nghiệp và Môi trường", "Bộ Tài chính", "Bộ Xây dựng", "Bộ Công an", "Bộ Công Thương",
        "Bộ Tư pháp", "Bộ Y tế", "Bộ Giáo dục và Đào tạo", "Bộ Văn hóa, Thể thao và Du lịch",
        "Ngân hàng Nhà nước Việt Nam", "Sở Nông nghiệp và Môi trường", "Sở Dân tộc và Tôn giáo",
    ]:
        assert name in names, name
