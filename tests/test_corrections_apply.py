"""Corrections are re-applied on every extract; a changed source yields conflicts, never lost corrections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plantasks.cli import main as plantasks_main
from plantasks.review.apply import apply_corrections, restore_extracted
from plantasks.review.edits import Deletion, NewTask, TaskEdit, corrections_for
from plantasks.review.normalize import normalize_deadline_text, plan_context, resolve_one
from plantasks.review.store import ACTIVE, CorrectionStore, default_store_path
from plantasks.schemas import DocumentResult

from review_support import extract, sample_run


def by_stt(result: DocumentResult, stt: str):
    [task] = [t for t in result.tasks if t.stt == stt]
    return task


def names(agencies) -> list[str]:
    return [a.name for a in agencies]


@pytest.fixture
def run(tmp_path):
    return sample_run(tmp_path)


def save(out: Path, view: DocumentResult, **changes):
    batch = corrections_for(view, "analyst", **changes)
    assert batch.problems == []
    return CorrectionStore(default_store_path(out)).save(batch.corrections)


def test_only_changed_fields_become_corrections(run):
    _, out, first = run
    task = by_stt(first, "4")
    saved = save(out, first, edits=[TaskEdit(task.id, {"content": task.content, "lead": ["Sở Tư pháp"],
                                                       "outputs": list(task.outputs)})])
    assert [c.field for c in saved] == ["lead"]
    assert saved[0].before == [a.model_dump(mode="json") for a in task.lead]
    assert [a["name"] for a in saved[0].after] == ["Sở Tư pháp"]


def test_re_extract_carries_the_corrections_marked_as_corrected(run):
    source, out, first = run
    t1, t2 = by_stt(first, "1"), by_stt(first, "2")
    save(out, first, edits=[TaskEdit(t1.id, {"content": "Rà soát văn bản QPPL.", "area": "institutions"}),
                            TaskEdit(t2.id, {"outputs": ["Quyết định công bố"], "funding": "Ngân sách tỉnh"})])
    second = extract(source, out)
    r1, r2 = by_stt(second, "1"), by_stt(second, "2")
    assert r1.content == "Rà soát văn bản QPPL." and r1.area == "institutions"
    assert sorted(r1.corrected) == ["area", "content"]
    assert r2.outputs == ["Quyết định công bố"] and r2.funding == "Ngân sách tỉnh"
    assert sorted(r2.corrected) == ["funding", "outputs"]
    assert all(not t.corrected for t in second.tasks if t.stt not in ("1", "2"))
    assert not [w for w in second.warnings if w.code == "correction_conflict"]


def test_apply_never_mutates_its_input_and_is_idempotent(run):
    _, out, first = run
    t3 = by_stt(first, "3")
    save(out, first, edits=[TaskEdit(t3.id, {"stt": "3a"})], deleted=[Deletion(by_stt(first, "6").id)])
    before = first.model_dump_json()
    once = apply_corrections(first, default_store_path(out))
    assert first.model_dump_json() == before
    twice = apply_corrections(once, default_store_path(out))
    assert twice.model_dump_json() == once.model_dump_json()
    assert restore_extracted(once, CorrectionStore(default_store_path(out)).all()).model_dump_json() == before


def test_added_and_deleted_tasks_are_corrections(run):
    source, out, first = run
    t2, t5 = by_stt(first, "2"), by_stt(first, "5")
    saved = save(out, first, added=[NewTask(t2.id, {"stt": "2a", "content": "Số hóa hồ sơ thủ tục hành chính.",
                                                    "lead": ["Văn phòng UBND tỉnh"], "deadline": "Năm 2025"})],
                 deleted=[Deletion(t5.id)])
    new_id = saved[0].task_id
    assert new_id not in {t.id for t in first.tasks}
    second = extract(source, out)
    ids = [t.id for t in second.tasks]
    assert t5.id not in ids
    assert ids[ids.index(t2.id) + 1] == new_id
    added = second.tasks[ids.index(new_id)]
    assert added.content == "Số hóa hồ sơ thủ tục hành chính." and added.stt == "2a"
    assert added.corrected == ["added"] and added.table == t2.table
    expected = resolve_one("Văn phòng UBND tỉnh", "lead", plan_context(first.document.model_dump(mode="json")))
    assert names(added.lead) == [expected["name"]] and added.deadline.raw == "Năm 2025"
    assert len(second.tasks) == len(first.tasks)


def test_editing_an_added_task_replaces_it_and_deleting_it_withdraws_it(run):
    source, out, first = run
    [add] = save(out, first, added=[NewTask(None, {"content": "Nhiệm vụ bổ sung."})])
    view = extract(source, out)
    assert view.tasks[0].id == add.task_id
    save(out, view, edits=[TaskEdit(add.task_id, {"content": "Nhiệm vụ bổ sung (sửa)."})])
    view = extract(source, out)
    assert view.tasks[0].content == "Nhiệm vụ bổ sung (sửa)." and view.tasks[0].corrected == ["added"]
    save(out, view, deleted=[Deletion(add.task_id)])
    assert [t.id for t in extract(source, out).tasks] == [t.id for t in first.tasks]


def test_source_change_under_a_correction_is_a_conflict_not_a_loss(run):
    source, out, first = run
    t1, t4 = by_stt(first, "1"), by_stt(first, "4")
    [lead_fix] = save(out, first, edits=[TaskEdit(t4.id, {"lead": ["Sở Tư pháp"]})])
    save(out, first, edits=[TaskEdit(t1.id, {"funding": "Ngân sách tỉnh"})])
    # the source is re-issued: row 4's lead cell now says something else, the rest is unchanged
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("\tSở Nội vụ.\n\tHội đồng thi tuyển.", "\tSở Tài chính.\n\tHội đồng thi tuyển."),
                      encoding="utf-8")
    second = extract(source, out)
    assert second.document.sha256 != first.document.sha256
    r4 = by_stt(second, "4")
    assert names(r4.lead) == ["Sở Tài chính"], "the extracted value is kept, not overwritten"
    assert "lead" not in r4.corrected and "correction_conflict" in r4.flags
    [warning] = [w for w in second.warnings if w.code == "correction_conflict"]
    for part in (t4.id, "field lead", "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính"):
        assert part in warning.message
    assert warning.source is not None and warning.source.line_start == r4.source.line_start
    # the unchanged cell's correction still applies although task ids changed with the bytes
    assert by_stt(second, "1").funding == "Ngân sách tỉnh"
    kept = {c.id: c for c in CorrectionStore(default_store_path(out)).all()}
    assert kept[lead_fix.id].status == ACTIVE and kept[lead_fix.id].after[0]["name"] == "Sở Tư pháp"
    # re-confirming the stored value resolves the conflict
    save(out, second, edits=[TaskEdit(r4.id, {"lead": ["Sở Tư pháp"]})])
    third = extract(source, out)
    assert names(by_stt(third, "4").lead) == ["Sở Tư pháp"] and "lead" in by_stt(third, "4").corrected
    assert not [w for w in third.warnings if w.code == "correction_conflict"]


def test_an_accepted_task_that_changes_is_reported(run):
    source, out, first = run
    t3 = by_stt(first, "3")
    save(out, first, edits=[TaskEdit(t3.id, accepted=True)])
    assert "accepted" in by_stt(extract(source, out), "3").corrected
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("\tTrong năm 2025.", "\tQuý IV/2025."), encoding="utf-8")
    second = extract(source, out)
    assert "accepted" not in by_stt(second, "3").corrected
    assert any(w.code == "correction_conflict" and "accepted" in w.message for w in second.warnings)


def test_deleting_a_row_whose_content_changed_is_a_conflict(run):
    source, out, first = run
    t6 = by_stt(first, "6")
    save(out, first, deleted=[Deletion(t6.id)])
    assert "6" not in [t.stt for t in extract(source, out).tasks]
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Tổng hợp, báo cáo tình hình", "Sơ kết, đánh giá tình hình"), encoding="utf-8")
    second = extract(source, out)
    assert by_stt(second, "6").content.startswith("Sơ kết")
    assert any(w.code == "correction_conflict" and "delete_task" in w.message for w in second.warnings)


def test_problems_are_reported_not_stored(run):
    _, _, first = run
    batch = corrections_for(first, "x", edits=[TaskEdit("nope", {"stt": "1"}),
                                               TaskEdit(first.tasks[0].id, {"area": "space"}),
                                               TaskEdit(first.tasks[0].id, {"content": "  "})])
    assert batch.corrections == [] and len(batch.problems) == 3
    assert "không có nhiệm vụ này" in batch.problems[0] and "lĩnh vực" in batch.problems[1]


def test_an_edited_deadline_text_is_re_normalized(run):
    _, out, first = run
    t4 = by_stt(first, "4")
    [c] = save(out, first, edits=[TaskEdit(t4.id, {"deadline": {"raw": "Quý IV/2025"}})])
    assert c.after["raw"] == "Quý IV/2025"
    assert [(i["kind"], i["due"]) for i in c.after["items"]] == [("quarter", "2025-12-31")]


def test_deadline_items_the_analyst_gives_win(run):
    _, out, first = run
    t4 = by_stt(first, "4")
    item = {"kind": "month", "start": "2025-11-01", "due": "2025-11-30", "raw": "Tháng 11/2025"}
    [c] = save(out, first, edits=[TaskEdit(t4.id, {"deadline": {"raw": "Tháng 11/2025", "items": [item]}})])
    assert c.after["items"][0]["due"] == "2025-11-30" and c.after["items"][0]["kind"] == "month"


def test_typed_agency_names_are_resolved_with_the_registry(run):
    """Only the registry's own names and aliases replace what the analyst typed; a near miss stays as typed."""
    _, out, first = run
    t5 = by_stt(first, "5")
    [c] = save(out, first, edits=[TaskEdit(t5.id, {"support": ["Sở KH&ĐT", "Sở Nôi vụ", "Ban Dân tộc"]})])
    assert [(a["text"], a["name"], a["id"]) for a in c.after] == [
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư", "so_khdt"), ("Sở Nôi vụ", "Sở Nôi vụ", None),
        ("Ban Dân tộc", "Ban Dân tộc tỉnh", "ban_dan_toc_tinh")]
    # an agency row keeps its printed text when the analyst renames it
    printed = by_stt(first, "5").lead[0].text
    [c] = save(out, first, edits=[TaskEdit(t5.id, {"lead": [{"text": printed, "name": "Sở KH&ĐT"}]})])
    assert c.after[0]["text"] == printed and c.after[0]["name"] == "Sở Kế hoạch và Đầu tư"


def test_corrections_flag_is_passed_explicitly(run, tmp_path):
    source, out, first = run
    elsewhere = tmp_path / "store" / "corr.sqlite"
    batch = corrections_for(first, "a", edits=[TaskEdit(by_stt(first, "2").id, {"stt": "II"})])
    CorrectionStore(elsewhere).save(batch.corrections)
    out2 = tmp_path / "out2"
    assert plantasks_main(["extract", str(source), "--out", str(out2), "--corrections", str(elsewhere), "--quiet"]) == 0
    data = json.loads((out2 / f"{source.name}.json").read_text(encoding="utf-8"))
    assert [t["stt"] for t in data["tasks"]][1] == "II"


def test_plain_names_and_deadline_text_stored_directly_are_resolved_on_apply(run):
    source, out, first = run
    t5 = by_stt(first, "5")
    from plantasks.review.store import Correction

    CorrectionStore(default_store_path(out)).save([
        Correction(task_id=t5.id, doc_sha256=first.document.sha256, field="support",
                   before=[a.model_dump(mode="json") for a in t5.support], after=["Sở Nội vụ", "UBND cấp huyện"]),
        Correction(task_id=t5.id, doc_sha256=first.document.sha256, field="deadline",
                   before=t5.deadline.model_dump(mode="json"), after="Quý IV/2025"),
    ])
    ctx = plan_context(first.document.model_dump(mode="json"))
    second = extract(source, out)
    r5 = by_stt(second, "5")
    assert names(r5.support) == [resolve_one(n, "support", ctx)["name"] for n in ("Sở Nội vụ", "UBND cấp huyện")]
    assert r5.deadline.raw == "Quý IV/2025" and sorted(r5.corrected) == ["deadline", "support"]
    items = normalize_deadline_text("Quý IV/2025", ctx)
    assert [i.model_dump(mode="json") for i in r5.deadline.items] == (items or [])
    again = apply_corrections(second, default_store_path(out))
    assert again.model_dump_json() == second.model_dump_json()
