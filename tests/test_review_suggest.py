"""Agency corrections proposed as registry aliases; `corrections list`."""

from __future__ import annotations

import json

import pytest
import yaml

from plantasks.review.cli import main as review_main
from plantasks.review.store import Correction, CorrectionStore, default_store_path
from plantasks.review.suggest import alias_suggestions, aliases_yaml, printed_to_canonical
from plantasks.schemas import Agency


def agency(text: str, name: str | None = None, match: str = "none") -> dict:
    return Agency(text=text, name=name or text, match=match).model_dump(mode="json")


def lead_fix(sha: str, before: list[dict], after: list, field: str = "lead") -> Correction:
    return Correction(task_id="t", doc_sha256=sha, field=field, before=before, after=after)


def test_a_renamed_row_teaches_its_printed_form():
    c = lead_fix("a", [agency("Sở KHĐT tỉnh"), agency("Sở Tài chính", match="exact")],
                 [agency("Sở KHĐT tỉnh", "Sở Kế hoạch và Đầu tư"), agency("Sở Tài chính", match="exact")])
    assert printed_to_canonical(c) == [("Sở KHĐT tỉnh", "Sở Kế hoạch và Đầu tư")]


def test_a_replaced_name_without_printed_text_pairs_by_position():
    c = lead_fix("a", [agency("P. Nội vụ"), agency("Sở Y tế", match="exact")], ["Sở Nội vụ", "Sở Y tế"])
    assert printed_to_canonical(c) == [("P. Nội vụ", "Sở Nội vụ")]


def test_case_or_accent_only_changes_and_added_agencies_teach_nothing():
    assert printed_to_canonical(lead_fix("a", [agency("sở nội vụ")], [agency("sở nội vụ", "Sở Nội vụ")])) == []
    assert printed_to_canonical(lead_fix("a", [agency("Sở Y tế")], [agency("Sở Y tế"), agency("Sở Nội vụ")])) == []


def test_suggestions_count_corrections_and_skip_known_aliases():
    """Against the shipped registry: 'Sở KH&ĐT' is already an alias, 'TT PVHCC tỉnh' and 'BQL dự án' are not."""
    corrections = [
        lead_fix("a", [agency("TT PVHCC tỉnh")], [agency("TT PVHCC tỉnh", "Trung tâm Phục vụ hành chính công tỉnh")]),
        lead_fix("b", [agency("TT PVHCC tỉnh")], [agency("TT PVHCC tỉnh", "Trung tâm Phục vụ hành chính công tỉnh")], field="support"),
        lead_fix("b", [agency("Sở KH&ĐT")], [agency("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư")]),
        lead_fix("c", [agency("BQL dự án")], [agency("BQL dự án", "Ban Quản lý dự án đầu tư xây dựng tỉnh")]),
        Correction(task_id="t", doc_sha256="c", field="content", before="x", after="y"),
    ]
    found = alias_suggestions(corrections)
    assert [(s.text, s.name, s.count, s.documents) for s in found] == [
        ("TT PVHCC tỉnh", "Trung tâm Phục vụ hành chính công tỉnh", 2, 2),
        ("BQL dự án", "Ban Quản lý dự án đầu tư xây dựng tỉnh", 1, 1)]
    assert [s.text for s in alias_suggestions(corrections, min_count=2)] == ["TT PVHCC tỉnh"]
    text = aliases_yaml(found)
    assert text.startswith("# Agency aliases")
    assert yaml.safe_load(text) == [
        {"name": "Trung tâm Phục vụ hành chính công tỉnh", "id": "tt_phvhcc_tinh",
         "aliases": [{"text": "TT PVHCC tỉnh", "count": 2, "documents": 2}]},
        {"name": "Ban Quản lý dự án đầu tư xây dựng tỉnh", "id": None,
         "aliases": [{"text": "BQL dự án", "count": 1, "documents": 1}]}]


def test_cli_suggest_aliases_and_list(tmp_path, capsys):
    store = CorrectionStore(default_store_path(tmp_path))
    store.save([lead_fix("a" * 64, [agency("TT PVHCC tỉnh")], [agency("TT PVHCC tỉnh", "Trung tâm Phục vụ hành chính công tỉnh")]),
                Correction(task_id="t2", doc_sha256="a" * 64, field="stt", before="1", after="2", who="an")])
    assert review_main(["corrections", "suggest-aliases", str(tmp_path)]) == 0
    assert yaml.safe_load(capsys.readouterr().out)[0]["aliases"][0]["text"] == "TT PVHCC tỉnh"
    assert review_main(["corrections", "list", str(tmp_path), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["id"], r["field"], r["status"]) for r in rows] == [(1, "lead", "active"), (2, "stt", "active")]
    assert review_main(["corrections", "list", str(tmp_path)]) == 0
    assert "\tstt\t" in capsys.readouterr().out
    assert review_main(["corrections", "list", str(tmp_path / "nowhere")]) == 2
