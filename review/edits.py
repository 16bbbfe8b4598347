"""Turn what an analyst changed (in the review page or a spreadsheet) into corrections.

Input is the task as the analyst saw it and the values they left; output is one Correction per
changed field, nothing for unchanged ones. Agency names are resolved with the registry and an
edited deadline text is re-normalized here, once, so the store holds the values a re-run applies.
"""

from __future__ import annotations

import hashlib
import typing
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from plantasks.review.apply import document_name
from plantasks.review.fields import (
    ACCEPTED, ADD_TASK, ADDED_MARK, AGENCY_FIELDS, DELETE_TASK, EDITABLE_FIELDS,
    fingerprint, labels, norm_text, same_value, task_key,
)
from plantasks.review.normalize import normalize_deadline_text, plan_context, resolve_agency_list
from plantasks.review.store import Correction
from plantasks.schemas.output import Area, DeadlineItem, DocumentResult, Task

AREAS: tuple[str, ...] = typing.get_args(Area)


@dataclass(frozen=True)
class TaskEdit:
    task_id: str
    fields: dict[str, Any] = field(default_factory=dict)
    accepted: bool | None = None  # None: leave as it is (re-accepted if it was accepted and fields changed)
    note: str = ""


@dataclass(frozen=True)
class NewTask:
    insert_after: str | None
    fields: dict[str, Any]
    note: str = ""


@dataclass(frozen=True)
class Deletion:
    task_id: str
    note: str = ""


@dataclass
class EditBatch:
    corrections: list[Correction] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class EditError(ValueError):
    """A value an analyst gave that cannot be stored (unknown area, empty content, bad date)."""


def corrections_for(view: DocumentResult, who: str, edits: list[TaskEdit] = (), added: list[NewTask] = (),
                    deleted: list[Deletion] = ()) -> EditBatch:
    """Corrections for one document's changes; `view` is what the analyst was shown."""
    batch = EditBatch()
    meta = view.document.model_dump(mode="json")
    tasks = _Shown([t.model_dump(mode="json") for t in view.tasks])
    base = Correction(task_id="", doc_sha256=view.document.sha256, field="", before=None, after=None,
                      who=who, document=document_name(view.document.source_file))
    for edit in edits:
        _collect(batch, lambda: _edit_corrections(tasks, meta, edit, base), edit.task_id)
    for new in added:
        _collect(batch, lambda: [_add_correction(tasks, meta, new, base)], "(new)")
    for gone in deleted:
        _collect(batch, lambda: [_delete_correction(tasks, gone, base)], gone.task_id)
    return batch


def _collect(batch: EditBatch, make, task_id: str) -> None:
    try:
        batch.corrections.extend(c for c in make() if c is not None)
    except EditError as exc:
        batch.problems.append(f"nhiệm vụ {task_id}: {exc}")


class _Shown:
    """The tasks the analyst saw, in order, found by id in constant time (a sheet of 4,000 rows stays linear)."""

    def __init__(self, tasks: list[dict]):
        self.order = tasks
        self.at = {t["id"]: i for i, t in enumerate(tasks)}


def _task(tasks: _Shown, task_id: str) -> dict:
    at = tasks.at.get(task_id)
    if at is None:
        raise EditError("không có nhiệm vụ này trong văn bản (văn bản vừa được trích xuất lại?)")
    return tasks.order[at]


def _edit_corrections(tasks: _Shown, meta: dict, edit: TaskEdit, base: Correction) -> list[Correction]:
    task = _task(tasks, edit.task_id)
    updated = dict(task)
    changed = []
    for name, raw_value in edit.fields.items():
        if name not in EDITABLE_FIELDS:
            raise EditError(f"không sửa được trường {name!r}; chỉ sửa: {', '.join(EDITABLE_FIELDS)}")
        value = prepare_value(name, raw_value, task, meta)
        if not same_value(name, task.get(name), value):
            updated[name] = value
            changed.append(name)
    note = edit.note
    base = replace(base, task_key=task_key(task))
    out: list[Correction] = []
    if ADDED_MARK in (task.get("corrected") or []):
        if changed:
            out.append(_replace(base, task_id=task["id"], field=ADD_TASK, before=None, after=_clean(updated), note=note))
    else:
        out += [_replace(base, task_id=task["id"], field=n, before=task.get(n), after=updated[n], note=note)
                for n in changed]
    was_accepted = ACCEPTED in (task.get("corrected") or [])
    accept = edit.accepted if edit.accepted is not None else (was_accepted or None)
    if accept and (changed or not was_accepted):
        out.append(_replace(base, task_id=task["id"], field=ACCEPTED, before=fingerprint(updated), after=True, note=note))
    elif accept is False and was_accepted:
        out.append(_replace(base, task_id=task["id"], field=ACCEPTED, before=fingerprint(updated), after=False, note=note))
    return out


def _replace(base: Correction, **changes: Any) -> Correction:
    return replace(base, **changes)


def _clean(task: dict) -> dict:
    """An added task as stored: no review marks (they are recomputed on every apply)."""
    return {k: v for k, v in task.items() if k not in ("corrected",)} | {"flags": []}


def prepare_value(name: str, value: Any, task: dict, meta: dict) -> Any:
    """The stored form of an analyst's value for one field."""
    if name in AGENCY_FIELDS:
        items = value if isinstance(value, list) else _split_names(str(value or ""))
        return resolve_agency_list(items, name, plan_context(meta))
    if name == "outputs":
        items = value if isinstance(value, list) else str(value or "").splitlines()
        return [norm_text(x) for x in items if norm_text(x)]
    if name == "deadline":
        return _deadline(value, task.get("deadline") or {}, meta)
    if name == "area":
        area = norm_text(value) or "other"
        if area not in AREAS:
            raise EditError(f"lĩnh vực {area!r} không có trong danh sách ({', '.join(AREAS)})")
        return area
    if name == "funding":
        return norm_text(value) or None
    if name == "content" and not norm_text(value):
        raise EditError(f"{labels()['errors']['empty_content']} (muốn bỏ nhiệm vụ thì xóa nhiệm vụ)")
    return norm_text(value)


def _split_names(cell: str) -> list[str]:
    parts = [p for line in cell.splitlines() for p in line.split(";")]
    return [norm_text(p) for p in parts if norm_text(p)]


def _deadline(value: Any, current: dict, meta: dict) -> dict:
    """An edited deadline: a new text is re-normalized unless the analyst also gave items."""
    if isinstance(value, str):
        value = {"raw": value}
    raw = norm_text(value.get("raw", current.get("raw")))
    given = value.get("items")
    raw_changed = raw != norm_text(current.get("raw"))
    items_changed = given is not None and not same_value("deadline", {"items": given}, {"items": current.get("items")})
    if raw_changed and not items_changed:
        normalized = normalize_deadline_text(raw, plan_context(meta)) if raw else []
        items = normalized if normalized is not None else current.get("items") or []
    else:
        items = given if given is not None else current.get("items") or []
    try:
        items = [DeadlineItem.model_validate(_blank_to_none(i)).model_dump(mode="json") for i in items]
    except ValidationError as exc:
        raise EditError(f"mốc thời hạn không hợp lệ: {exc.errors()[0]['msg']}") from exc
    for item in items:
        if item["start"] and item["due"] and item["start"] > item["due"]:
            raise EditError(f"{labels()['errors']['start_after_due']} ({item['start']} > {item['due']})")
    return {"raw": raw, "items": items}


def _blank_to_none(item: dict) -> dict:
    return {k: (None if v == "" and k in ("start", "due", "label") else v) for k, v in item.items()}


def new_task_id(sha256: str, insert_after: str | None, content: str) -> str:
    """The same added task (document, place, content) gets the same id, so importing a sheet twice adds it once."""
    seed = f"{sha256}|{insert_after}|{content}"
    return "manual-" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]


def _add_correction(tasks: _Shown, meta: dict, new: NewTask, base: Correction) -> Correction:
    anchor = _task(tasks, new.insert_after) if new.insert_after else (tasks.order[0] if tasks.order else {})
    task: dict[str, Any] = {
        "table": anchor.get("table", ""), "section": anchor.get("section", ""), "area": anchor.get("area", "other"),
        "stt": "", "content": "", "source": {"file": (anchor.get("source") or {}).get("file")},
        "confidence": 1.0, "flags": [], "corrected": [],
    }
    for name, value in new.fields.items():
        if name == "table":
            task["table"] = norm_text(value)
        elif name in EDITABLE_FIELDS:
            task[name] = prepare_value(name, value, task, meta)
    if not norm_text(task["content"]):
        raise EditError("nhiệm vụ thêm mới cần có nội dung")
    task["id"] = new_task_id(base.doc_sha256, new.insert_after, task["content"])
    try:
        task = Task.model_validate(task).model_dump(mode="json")
    except ValidationError as exc:
        raise EditError(f"nhiệm vụ thêm mới không hợp lệ: {exc.errors()[0]['msg']}") from exc
    after_key = task_key(anchor) if new.insert_after else None
    return _replace(base, task_id=task["id"], field=ADD_TASK, after=_clean(task), note=new.note,
                    before={"insert_after": new.insert_after, "after_key": after_key})


def _delete_correction(tasks: _Shown, gone: Deletion, base: Correction) -> Correction:
    task = _task(tasks, gone.task_id)
    if ADDED_MARK in (task.get("corrected") or []):
        return _replace(base, task_id=task["id"], field=ADD_TASK, before=None, after=None, note=gone.note)
    at = tasks.at[task["id"]]
    previous = tasks.order[at - 1]["id"] if at else None
    return _replace(base, task_id=task["id"], task_key=task_key(task), field=DELETE_TASK,
                    before={"task": task, "insert_after": previous}, after=None, note=gone.note)
