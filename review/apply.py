"""Re-apply stored corrections to a freshly extracted document.

Matching is by task id (a content hash of document, table and row position, stable across re-runs).
A correction applies when the extracted value still equals its `before`; when the extractor now
gives something else, the extracted value is kept, the task is flagged and a `correction_conflict`
warning names the task, field, before, stored after and the value extracted now. Nothing is dropped:
the correction stays in the store for the analyst to re-confirm or withdraw.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from plantasks.review.fields import (
    ACCEPTED, ADD_TASK, ADDED_MARK, AGENCY_FIELDS, CONFLICT_FLAG, DEADLINE_FIELD, DELETE_TASK, EDITABLE_FIELDS,
    fingerprint, flag, key_score, mark, norm_text, same_value, show, task_key, unmark,
)
from plantasks.review.normalize import normalize_deadline_text, plan_context, resolve_agency_list
from plantasks.review.store import Correction, CorrectionStore
from plantasks.schemas.output import DocumentResult

CONFLICT = "correction_conflict"
_CORRECTION_ID = re.compile(r"correction #(\d+)\b")


def document_name(source_file: str | None) -> str:
    """The source file's name, the key that lets corrections follow a document whose bytes changed."""
    return PurePath(source_file or "").name


def apply_corrections(result: DocumentResult, store_path: Path) -> DocumentResult:
    """A new result with the store's active corrections for this document applied (input untouched)."""
    path = Path(store_path)
    if not path.exists():
        return result.model_copy(deep=True)
    store = CorrectionStore(path, read_only=True)  # applying only reads: a read-only store works too
    corrections = store.for_document(result.document.sha256, document_name(result.document.source_file))
    return apply_correction_list(result, corrections)


def apply_correction_list(result: DocumentResult, corrections: Sequence[Correction]) -> DocumentResult:
    return apply_with_conflicts(result, corrections)[0]


def apply_with_conflicts(result: DocumentResult, corrections: Sequence[Correction]) -> tuple[DocumentResult, list[Conflict]]:
    """The corrected result and, for the review page, each correction that did not apply cleanly."""
    data = result.model_dump(mode="json")
    tasks: list[dict] = data["tasks"]
    for task in tasks:
        task["flags"] = [f for f in task.get("flags") or [] if f != CONFLICT_FLAG]
    warnings = [w for w in data.get("warnings") or [] if w.get("code") != CONFLICT]
    conflicts: list[Conflict] = []
    ordered = sorted(corrections, key=lambda c: (c.field == ACCEPTED, c.id or 0))
    for correction in ordered:
        handler = _HANDLERS.get(correction.field, _apply_field)
        problem = handler(tasks, correction, data["document"])
        if problem is None:
            continue
        task = _find(tasks, correction.task_id, correction.task_key)
        if task is not None:
            flag(task, CONFLICT_FLAG)
        warnings.append({"code": CONFLICT, "message": problem, "source": task.get("source") if task else None})
        conflicts.append(Conflict(correction, task["id"] if task else None, problem))
    data["warnings"] = warnings
    return DocumentResult.model_validate(data), conflicts


@dataclass(frozen=True)
class Conflict:
    correction: Correction
    task_id: str | None  # the task it now points at, None when no task matches
    message: str


def _index(tasks: list[dict], task_id: str | None, key: dict | None = None) -> int | None:
    """Position of the task with this id, else of the one task with the same table and stt and nearly the same content."""
    at = next((i for i, t in enumerate(tasks) if t.get("id") == task_id), None)
    if at is not None or not key:
        return at
    best, best_score = None, 0.0
    for i, task in enumerate(tasks):
        score = key_score(task, key)
        if score > best_score:
            best, best_score = i, score
    return best


def _find(tasks: list[dict], task_id: str, key: dict | None = None) -> dict | None:
    at = _index(tasks, task_id, key)
    return None if at is None else tasks[at]


def _label(c: Correction) -> str:
    who = f" by {c.who}" if c.who else ""
    return f"correction #{c.id}{who} ({c.at}) of task {c.task_id}, field {c.field}"


def _conflict(c: Correction, now: str) -> str:
    return (f"{_label(c)}: before {show(c.field, c.before)}, stored after {show(c.field, c.after)}, "
            f"extracted now {now}; the extracted value is kept until the correction is re-confirmed or withdrawn")


def _field_value(field: str, value: Any, meta: dict | None = None) -> Any:
    """A stored value as a task field value: plain agency names are resolved with the registry and a
    deadline given as text (or without items) is normalized, when those normalizers are installed."""
    if field in AGENCY_FIELDS and any(isinstance(a, str) for a in value or []):
        return resolve_agency_list(value, field, plan_context(meta or {}))
    if field == DEADLINE_FIELD and (isinstance(value, str) or (isinstance(value, dict) and "items" not in value)):
        raw = norm_text(value if isinstance(value, str) else value.get("raw"))
        items = normalize_deadline_text(raw, plan_context(meta or {})) if raw else []
        return {"raw": raw, "items": items or []}
    return value


def _apply_field(tasks: list[dict], c: Correction, meta: dict) -> str | None:
    if c.field not in EDITABLE_FIELDS:
        return f"{_label(c)}: unknown field, not applied"
    task = _find(tasks, c.task_id, c.task_key)
    if task is None:
        return _conflict(c, "nothing (the task is no longer extracted)")
    current = task.get(c.field)
    after = _field_value(c.field, c.after, meta)
    if same_value(c.field, current, after):
        mark(task, c.field)
        return None
    if not same_value(c.field, current, c.before):
        return _conflict(c, show(c.field, current))
    task[c.field] = after
    mark(task, c.field)
    return None


def _apply_add(tasks: list[dict], c: Correction, meta: dict) -> str | None:
    if not c.after:
        return None
    new = {**c.after, "id": c.task_id}
    mark(new, ADDED_MARK)
    existing = _index(tasks, c.task_id)
    if existing is not None:
        tasks[existing] = new
        return None
    anchor = (c.before or {}).get("insert_after")
    if anchor is None:
        tasks.insert(0, new)
        return None
    at = _index(tasks, anchor, (c.before or {}).get("after_key"))
    if at is None:
        tasks.append(new)
        return (f"{_label(c)}: before: placed after task {anchor}, stored after: the added task, extracted now: "
                f"task {anchor} is no longer extracted; the added task is placed at the end")
    tasks.insert(at + 1, new)
    return None


def _apply_delete(tasks: list[dict], c: Correction, meta: dict) -> str | None:
    snapshot = (c.before or {}).get("task") or {}
    at = _index(tasks, c.task_id, c.task_key or (task_key(snapshot) if snapshot else None))
    if at is None and c.doc_sha256 != meta.get("sha256"):
        return (f"{_label(c)}: before content {show('content', snapshot.get('content'))}, stored after: deleted, "
                f"extracted now: no task matches in the changed source; check that no such row is left")
    if at is None:
        return None
    now = norm_text(tasks[at].get("content"))
    if "content" in snapshot and norm_text(snapshot["content"]) != now:
        return (f"{_label(c)}: before content {show('content', snapshot['content'])}, stored after: deleted, "
                f"extracted now content {show('content', now)}; the task is kept")
    del tasks[at]
    return None


def _apply_accept(tasks: list[dict], c: Correction, meta: dict) -> str | None:
    task = _find(tasks, c.task_id, c.task_key)
    if task is None:
        return None if not c.after else _conflict(c, "nothing (the task is no longer extracted)")
    if not c.after:
        unmark(task, ACCEPTED)
        return None
    now = fingerprint(task)
    if now != c.before:
        return (f"{_label(c)}: before: task fingerprint {c.before}, stored after: accepted, extracted now: "
                f"fingerprint {now} (the task changed since it was accepted)")
    mark(task, ACCEPTED)
    return None


_HANDLERS: dict[str, Callable[[list[dict], Correction, dict], str | None]] = {
    ADD_TASK: _apply_add, DELETE_TASK: _apply_delete, ACCEPTED: _apply_accept,
}


def restore_extracted(result: DocumentResult, corrections: Sequence[Correction]) -> DocumentResult:
    """Undo corrections an earlier run applied (any status), giving back the result as extracted.

    The review server starts from the corrected JSON an earlier `extract` wrote; this recovers the
    extracted values so that withdrawing or reverting a correction shows what a re-run would give.
    """
    data = result.model_dump(mode="json")
    added = {c.task_id for c in corrections if c.field == ADD_TASK}
    tasks = [t for t in data["tasks"] if t.get("id") not in added]
    not_applied = conflicted_ids(data.get("warnings") or [])
    for c in sorted(corrections, key=lambda c: c.id or 0, reverse=True):
        if c.field == DELETE_TASK:
            if c.id not in not_applied:
                _restore_deleted(tasks, c)
            continue
        task = _find(tasks, c.task_id)
        if c.field in EDITABLE_FIELDS and task and c.field in (task.get("corrected") or []):
            if same_value(c.field, task.get(c.field), c.after):
                task[c.field] = _field_value(c.field, c.before)
    for task in tasks:
        task["corrected"] = []
        task["flags"] = [f for f in task.get("flags") or [] if f != CONFLICT_FLAG]
    data["tasks"] = tasks
    data["warnings"] = [w for w in data.get("warnings") or [] if w.get("code") != CONFLICT]
    return DocumentResult.model_validate(data)


def conflicted_ids(warnings: list[dict]) -> set[int]:
    """Ids of the corrections a run reported as conflicts (so did not apply)."""
    found = (_CORRECTION_ID.match(w.get("message") or "") for w in warnings if w.get("code") == CONFLICT)
    return {int(m.group(1)) for m in found if m}


def _restore_deleted(tasks: list[dict], c: Correction) -> None:
    snapshot = (c.before or {}).get("task")
    if not snapshot or _find(tasks, c.task_id) is not None:
        return
    anchor = _index(tasks, (c.before or {}).get("insert_after"))
    tasks.insert(0 if anchor is None else anchor + 1, dict(snapshot))
