"""Spreadsheet round trip: `plantasks export DIR --xlsx FILE` and `plantasks import FILE`.

The workbook has one visible sheet, one row per task (a hidden id column, frozen header, flagged
cells highlighted, dropdowns for area and deadline kind, "x" columns to accept or delete a task),
and hidden sheets holding what was exported (each task as JSON, each document's metadata), so
import compares every cell with its exported value and turns only changed cells into corrections.
A row with an empty id and some content is a missed task, added after the row above it.
"""

from __future__ import annotations

import functools
import json
import typing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from plantasks import __version__
from plantasks.data_files import load_yaml
from plantasks.review.apply import Conflict
from plantasks.review.edits import AREAS, Deletion, NewTask, TaskEdit, corrections_for
from plantasks.review.fields import ACCEPTED, CONFLICT_FLAG, flag_label, labels, norm_text, vi_date
from plantasks.review.normalize import normalize_deadline_text, plan_context
from plantasks.review.outputs import extracted, load_outputs, review_view
from plantasks.review.store import CorrectionStore, changing, default_store_path
from plantasks.schemas import DocumentMeta, DocumentResult, Task
from plantasks.schemas.output import DeadlineKind

SHEET = "Nhiệm vụ"
EXPORTED = "_exported"
DOCS = "_docs"
LISTS = "_lists"
META = "_meta"
FORMAT = 2  # 2: normalised start/due and source columns
JSON_CHUNK = 30_000  # a cell holds at most 32,767 characters
MARK = "x"

AREA_LABELS = labels()["areas"]
KIND_LABELS = labels()["deadline_kinds"]
DATED_KINDS = {"date", "month", "quarter", "half_year", "year", "period"}
KINDS: tuple[str, ...] = typing.get_args(DeadlineKind)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: float
    editable: bool = True


COLUMNS = (
    Column("id", "Mã nhiệm vụ (không sửa)", 18, editable=False),
    Column("doc", "Văn bản", 18, editable=False),
    Column("table", "Bảng", 14, editable=False),
    Column("section", "Mục", 24),
    Column("area", "Lĩnh vực", 22),
    Column("stt", "STT", 6),
    Column("content", "Nội dung", 60),
    Column("outputs", "Sản phẩm (mỗi dòng một sản phẩm)", 30),
    Column("lead", "Cơ quan chủ trì (mỗi dòng một cơ quan)", 30),
    Column("support", "Cơ quan phối hợp (mỗi dòng một cơ quan)", 30),
    Column("deadline", "Thời hạn", 22),
    Column("deadline_kind", "Loại thời hạn", 16),
    Column("start", "Bắt đầu (chuẩn hóa)", 12, editable=False),
    Column("due", "Hạn (chuẩn hóa)", 12, editable=False),
    Column("funding", "Kinh phí", 14),
    Column("source", "Nguồn (trang, dòng)", 14, editable=False),
    Column("flags", "Cần xem", 28, editable=False),
    Column("accepted", "Đã duyệt (x)", 9),
    Column("delete", "Xóa (x)", 7),
    Column("note", "Ghi chú", 24),
)
INDEX = {c.key: i + 1 for i, c in enumerate(COLUMNS)}
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
FLAG_FILL = PatternFill("solid", fgColor="FFE3B3")
CONFLICT_FILL = PatternFill("solid", fgColor="F8C9C4")


class WorkbookError(Exception):
    """The file is not a workbook written by `plantasks export`."""


@functools.cache
def flag_columns() -> dict[str, tuple[str, ...]]:
    data = load_yaml(Path(__file__).parent / "data" / "flag_columns.yaml")
    return {k: tuple(v) for k, v in data.items()}


def columns_for_flag(name: str) -> tuple[str, ...]:
    rules = flag_columns()
    if name in rules:
        return rules[name]
    for prefix, cols in rules.items():
        if prefix.endswith("_") and name.startswith(prefix):
            return cols
    return ("flags",)


# ---------------------------------------------------------------------------------------------- cells
def agency_cell(agencies: list[dict]) -> str:
    return "\n".join(a.get("name") or "" for a in agencies or [])


def kind_cell(items: list[dict]) -> str:
    kinds = list(dict.fromkeys(KIND_LABELS.get(i.get("kind"), i.get("kind")) for i in items or []))
    return "; ".join(kinds)


def date_cells(items: list[dict]) -> tuple[str, str]:
    """The normalised start and due of each dated item, one line per item (30/06/2025)."""
    dated = [i for i in items or [] if i.get("start") or i.get("due")]
    return ("\n".join(vi_date(i.get("start")) for i in dated), "\n".join(vi_date(i.get("due")) for i in dated))


def source_cell(source: dict) -> str:
    """Where the task is printed: page and line(s) of the source file."""
    parts = []
    if source.get("page"):
        parts.append(f"tr. {source['page']}")
    if source.get("line_start"):
        end = source.get("line_end") or source["line_start"]
        parts.append(f"dòng {source['line_start']}" + (f"–{end}" if end != source["line_start"] else ""))
    return ", ".join(parts)


def task_cells(task: dict, doc_label: str) -> dict[str, str]:
    """What the sheet shows for one task (also what import compares the edited sheet against)."""
    deadline = task.get("deadline") or {}
    start, due = date_cells(deadline.get("items"))
    return {
        "id": task["id"], "doc": doc_label, "table": task.get("table") or "", "section": task.get("section") or "",
        "area": AREA_LABELS.get(task.get("area"), task.get("area") or ""), "stt": task.get("stt") or "",
        "content": task.get("content") or "", "outputs": "\n".join(task.get("outputs") or []),
        "lead": agency_cell(task.get("lead")), "support": agency_cell(task.get("support")),
        "deadline": deadline.get("raw") or "", "deadline_kind": kind_cell(deadline.get("items")),
        "start": start, "due": due, "source": source_cell(task.get("source") or {}),
        "funding": task.get("funding") or "", "flags": "\n".join(flag_label(f) for f in task.get("flags") or []),
        "accepted": MARK if ACCEPTED in (task.get("corrected") or []) else "", "delete": "", "note": "",
    }


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.strip().split("\n"))


# ---------------------------------------------------------------------------------------------- export
def export_workbook(out_dir: Path, xlsx_path: Path, store_path: Path | None = None) -> int:
    """Write every task of the output folder (with live corrections applied); returns the task count."""
    store = CorrectionStore(store_path or default_store_path(out_dir))
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    exported, docs, lists, meta = (wb.create_sheet(n) for n in (EXPORTED, DOCS, LISTS, META))
    _write_lists(lists)
    _write_header(ws)
    row = 2
    for path, result in load_outputs(out_dir):
        view, conflicts = review_view(extracted(result, store), store)
        label = path.name.removesuffix(".json")
        append(docs, [view.document.id, label, view.document.model_dump_json()])
        for task in view.model_dump(mode="json")["tasks"]:
            _write_task_row(ws, row, task, label, conflicts)
            append(exported, [task["id"], view.document.id, *_chunks(json.dumps(task, ensure_ascii=False))])
            row += 1
    _add_validations(ws, row)
    append(meta, ["format", FORMAT])
    append(meta, ["plantasks", __version__])
    append(meta, ["out_dir", str(Path(out_dir).resolve())])  # shown in messages only; never where import writes
    append(meta, ["exported_at", datetime.now(timezone.utc).isoformat(timespec="seconds")])
    for sheet in (exported, docs, lists, meta):
        sheet.sheet_state = "hidden"
    xlsx_path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(xlsx_path)
    return row - 2


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def put(ws, row: int, col: int, value: Any):
    """Write a cell; a text a spreadsheet would run as a formula (OWASP's CSV-injection starts) is stored as text."""
    cell = ws.cell(row, col)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
    return cell


def append(ws, values: list[Any]) -> None:
    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for col, value in enumerate(values, start=1):
        put(ws, row, col, value)


def _chunks(text: str) -> list[str]:
    return [text[i:i + JSON_CHUNK] for i in range(0, len(text), JSON_CHUNK)] or [""]


def _write_lists(ws) -> None:
    for i, label in enumerate(AREA_LABELS.values(), start=1):
        put(ws, i, 1, label)
    for i, label in enumerate(KIND_LABELS.values(), start=1):
        put(ws, i, 2, label)
    put(ws, 1, 3, MARK)


def _write_header(ws) -> None:
    for col in COLUMNS:
        cell = put(ws, 1, INDEX[col.key], col.title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(INDEX[col.key])].width = col.width
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}1"


def _write_task_row(ws, row: int, task: dict, label: str, conflicts: list[Conflict]) -> None:
    cells = task_cells(task, label)
    for col in COLUMNS:
        cell = put(ws, row, INDEX[col.key], cells[col.key] or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[row].height = row_height(cells)
    for key in _flagged_columns(task):
        ws.cell(row, INDEX[key]).fill = FLAG_FILL
    for c in conflicts:
        if c.task_id == task["id"]:
            key = c.correction.field if c.correction.field in INDEX else "flags"
            ws.cell(row, INDEX[key]).fill = CONFLICT_FILL


LINE_POINTS = 15  # one wrapped line of the default 11 pt font
MAX_LINES = 12


def row_height(cells: dict[str, str]) -> float:
    """Points for a row tall enough to read its longest wrapped cell (at most MAX_LINES lines)."""
    lines = 1
    for col in COLUMNS:
        if col.key == "id":
            continue
        chars = max(1, int(col.width * 1.1))
        text = cells.get(col.key) or ""
        lines = max(lines, sum(-(-len(line) // chars) or 1 for line in text.split("\n")))
    return float(LINE_POINTS * min(lines, MAX_LINES))


def _flagged_columns(task: dict) -> set[str]:
    keys: set[str] = set()
    for name in task.get("flags") or []:
        if name == CONFLICT_FLAG:
            continue
        keys.add("flags")
        for key in columns_for_flag(name):
            if key in ("lead", "support") and name.startswith("agency_"):
                if any(a.get("match") in ("none", "fuzzy") for a in task.get(key) or []):
                    keys.add(key)
            else:
                keys.add(key)
    return keys


def _add_validations(ws, last_row: int) -> None:
    end = max(last_row + 500, 1000)  # room for rows an analyst adds
    rules = (
        ("area", f"{LISTS}!$A$1:$A${len(AREA_LABELS)}", "Chọn lĩnh vực trong danh sách"),
        ("deadline_kind", f"{LISTS}!$B$1:$B${len(KIND_LABELS)}", "Chọn loại thời hạn trong danh sách"),
        ("accepted", f"{LISTS}!$C$1:$C$1", "Gõ x để chấp nhận nhiệm vụ"),
        ("delete", f"{LISTS}!$C$1:$C$1", "Gõ x để xóa nhiệm vụ thừa"),
    )
    for key, formula, message in rules:
        dv = DataValidation(type="list", formula1=f"={formula}", allow_blank=True, showErrorMessage=True,
                            errorTitle="Giá trị không hợp lệ", error=message)
        letter = get_column_letter(INDEX[key])
        dv.add(f"{letter}2:{letter}{end}")
        ws.add_data_validation(dv)


# ---------------------------------------------------------------------------------------------- import
@dataclass
class ImportReport:
    store_path: Path
    saved: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class _DocEdits:
    view: DocumentResult
    label: str
    edits: list[TaskEdit] = field(default_factory=list)
    added: list[NewTask] = field(default_factory=list)
    deleted: list[Deletion] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def import_workbook(xlsx_path: Path, out_dir: Path | None = None, who: str = "",
                    store_path: Path | None = None) -> ImportReport:
    """Store the analyst's changed cells as corrections (one transaction); report rows that cannot be used."""
    try:
        wb = load_workbook(xlsx_path)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        raise WorkbookError(f"{xlsx_path}: cannot read it as an .xlsx workbook ({exc})") from exc
    missing = [n for n in (SHEET, EXPORTED, DOCS, META) if n not in wb.sheetnames]
    if missing:
        raise WorkbookError(f"{xlsx_path}: not written by `plantasks export` (no sheet {', '.join(missing)}); "
                            "export the folder again and edit that file")
    meta = {r[0]: r[1] for r in wb[META].iter_rows(values_only=True) if r and r[0]}
    if meta.get("format") != FORMAT:
        raise WorkbookError(f"{xlsx_path}: written by another plantasks version (sheet format {meta.get('format')}, "
                            f"this one reads {FORMAT}); export the folder again and edit that file")
    if out_dir is None and store_path is None:  # never where the file says: a sheet is not trusted with paths
        raise WorkbookError(f"{xlsx_path}: say which output folder the corrections belong to: --out DIR "
                            f"(this sheet says it was exported from {meta.get('out_dir') or 'an unknown folder'})")
    report = ImportReport(store_path=store_path or default_store_path(Path(out_dir)))
    docs = _read_docs(wb)
    exported = _read_exported(wb, docs)
    per_doc: dict[str, _DocEdits] = {}
    _read_rows(wb[SHEET], docs, exported, per_doc, report)
    corrections = []
    for doc_edits in per_doc.values():
        batch = corrections_for(doc_edits.view, who, doc_edits.edits, doc_edits.added, doc_edits.deleted)
        corrections += batch.corrections
        report.problems += [_with_row(p, doc_edits) for p in batch.problems]
    if corrections:
        corrections = changing(report.store_path, corrections)  # a sheet imported twice changes nothing the second time
    report.saved = len(CorrectionStore(report.store_path).save(corrections)) if corrections else 0
    return report


def _with_row(problem: str, doc_edits: _DocEdits) -> str:
    for task_id, row in doc_edits.rows.items():
        if task_id in problem:
            return f"row {row}: {problem}"
    return problem


def _read_docs(wb) -> dict[str, tuple[str, DocumentMeta]]:
    out = {}
    for doc_id, label, meta_json in wb[DOCS].iter_rows(values_only=True):
        out[str(doc_id)] = (str(label), DocumentMeta.model_validate_json(meta_json))
    return out


def _read_exported(wb, docs: dict) -> dict[str, tuple[str, dict]]:
    out = {}
    for row in wb[EXPORTED].iter_rows(values_only=True):
        task_id, doc_id, *chunks = row
        out[str(task_id)] = (str(doc_id), json.loads("".join(c or "" for c in chunks)))
    return out


def _doc_edits(per_doc: dict, docs: dict, exported: dict, doc_id: str) -> _DocEdits:
    if doc_id not in per_doc:
        label, meta = docs[doc_id]
        tasks = [Task.model_validate(t) for d, t in exported.values() if d == doc_id]
        per_doc[doc_id] = _DocEdits(DocumentResult(document=meta, tasks=tasks), label)
    return per_doc[doc_id]


def _read_rows(ws, docs: dict, exported: dict, per_doc: dict, report: ImportReport) -> None:
    by_label = {label: doc_id for doc_id, (label, _) in docs.items()}
    seen: set[str] = set()
    previous: tuple[str, str | None] | None = None  # (doc id, task id) of the row above
    for row_number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        cells = {c.key: cell_text(values[INDEX[c.key] - 1] if INDEX[c.key] <= len(values) else None) for c in COLUMNS}
        task_id = cells["id"]
        if not task_id:
            if cells["content"]:
                doc_id = by_label.get(cells["doc"]) or (previous[0] if previous else None)
                if doc_id is None:
                    report.problems.append(f"row {row_number}: a new task needs its document in column Văn bản")
                    continue
                after = previous[1] if previous and previous[0] == doc_id else None
                try:
                    fields = _new_task_fields(cells)
                except ValueError as exc:
                    report.problems.append(f"row {row_number}: {exc}")
                    continue
                _doc_edits(per_doc, docs, exported, doc_id).added.append(NewTask(after, fields, cells["note"]))
            continue
        if task_id not in exported:
            report.problems.append(f"row {row_number}: task id {task_id!r} is not in the exported sheet "
                                   "(was the id changed, or the row pasted from another export?)")
            continue
        seen.add(task_id)
        doc_id, task = exported[task_id]
        doc_edits = _doc_edits(per_doc, docs, exported, doc_id)
        doc_edits.rows[task_id] = row_number
        previous = (doc_id, task_id)
        _row_changes(doc_edits, task, cells, docs[doc_id][0], report, row_number)
    for task_id in exported:
        if task_id not in seen:
            report.problems.append(f"task {task_id} ({exported[task_id][1].get('stt')}) was removed from the sheet: "
                                   "nothing done; mark it with x in column Xóa to delete it")


def _row_changes(doc_edits: _DocEdits, task: dict, cells: dict, label: str, report: ImportReport, row: int) -> None:
    before = task_cells(task, label)
    changed = {k for k, col in INDEX.items() if _column(k).editable and cell_text(before[k]) != cells[k]}
    changed -= {"delete", "note", "accepted"}
    fields: dict[str, Any] = {}
    try:
        for key in changed - {"deadline", "deadline_kind"}:
            fields[key] = _field_value(key, cells[key], task)
        if changed & {"deadline", "deadline_kind"}:
            fields["deadline"] = _deadline_value(task, cells, "deadline" in changed, "deadline_kind" in changed,
                                                 doc_edits.view.document)
    except ValueError as exc:
        report.problems.append(f"row {row}: {exc}")
        return
    accepted = None
    if (cells["accepted"].lower() == MARK) != (before["accepted"] == MARK):
        accepted = cells["accepted"].lower() == MARK
    if fields or accepted is not None:
        doc_edits.edits.append(TaskEdit(task["id"], fields, accepted, cells["note"]))
    if cells["delete"].lower() == MARK:
        doc_edits.deleted.append(Deletion(task["id"], cells["note"]))


def _column(key: str) -> Column:
    return COLUMNS[INDEX[key] - 1]


def _field_value(key: str, text: str, task: dict) -> Any:
    if key == "area":
        return area_code(text)
    if key == "outputs":
        return [line for line in text.split("\n") if line]
    if key in ("lead", "support"):
        return agencies_from_cell(text, task.get(key) or [])
    if key == "funding":
        return text or None
    return text


def area_code(text: str) -> str:
    by_label = {norm_text(v).casefold(): k for k, v in AREA_LABELS.items()}
    code = by_label.get(norm_text(text).casefold(), norm_text(text) or "other")
    if code not in AREAS:
        raise ValueError(f"area {text!r} is not in the list ({', '.join(AREA_LABELS.values())})")
    return code


def kind_code(text: str) -> str:
    by_label = {norm_text(v).casefold(): k for k, v in KIND_LABELS.items()}
    code = by_label.get(norm_text(text).casefold(), norm_text(text))
    if code not in KINDS:
        raise ValueError(f"deadline kind {text!r} is not in the list ({', '.join(KIND_LABELS.values())})")
    return code


def agencies_from_cell(text: str, exported: list[dict]) -> list[Any]:
    """Names from the cell; an unchanged name keeps its exported record, a renamed line keeps the printed text."""
    names = [norm_text(p) for line in text.split("\n") for p in line.split(";") if norm_text(p)]
    kept = {a.get("name"): a for a in exported}
    same_shape = len(names) == len(exported)
    out: list[Any] = []
    for i, name in enumerate(names):
        if name in kept:
            out.append(kept[name])
        elif same_shape:
            out.append({"text": exported[i].get("text") or "", "name": name})
        else:
            out.append(name)
    return out


def _deadline_value(task: dict, cells: dict, raw_changed: bool, kind_changed: bool, meta: DocumentMeta) -> dict:
    current = task.get("deadline") or {"raw": "", "items": []}
    raw = cells["deadline"]
    if not kind_changed:
        return {"raw": raw}
    items = current.get("items") or []
    if raw_changed:
        items = normalize_deadline_text(raw, plan_context(meta.model_dump(mode="json"))) or items
    kind = kind_code(cells["deadline_kind"]) if cells["deadline_kind"] else "unspecified"
    if not items:
        items = [{"kind": kind, "raw": raw, "rule": "analyst"}]
    return {"raw": raw, "items": [_with_kind(i, kind) for i in items]}


def _with_kind(item: dict, kind: str) -> dict:
    out = {**item, "kind": kind, "rule": "analyst"}
    if kind not in DATED_KINDS:
        out.update(start=None, due=None)
    if kind != "recurring":
        out["recurrence"] = []
    return out


def _new_task_fields(cells: dict) -> dict[str, Any]:
    fields: dict[str, Any] = {"content": cells["content"], "stt": cells["stt"]}
    for key in ("section", "outputs", "lead", "support", "funding"):
        if cells[key]:
            fields[key] = _field_value(key, cells[key], {})
    if cells["area"]:
        fields["area"] = area_code(cells["area"])
    if cells["deadline"]:
        fields["deadline"] = {"raw": cells["deadline"]}
    if cells["table"]:
        fields["table"] = cells["table"]
    return fields
