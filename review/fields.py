"""Which task fields an analyst may correct, and what "the same value" means for each.

Values travel as JSON (the shape `Task.model_dump(mode="json")` gives). Equality ignores what a
re-run may change without changing the meaning: whitespace, Unicode form, agency scores and ids,
deadline rule names and confidences.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from plantasks.data_files import load_yaml

TEXT_FIELDS = ("content", "stt", "section", "area", "funding")
LIST_FIELDS = ("outputs",)
AGENCY_FIELDS = ("lead", "support")
DEADLINE_FIELD = "deadline"
EDITABLE_FIELDS = ("content", "outputs", "lead", "support", "deadline", "stt", "section", "area", "funding")
ACCEPTED = "accepted"
ADD_TASK = "add_task"
DELETE_TASK = "delete_task"
ALL_FIELDS = EDITABLE_FIELDS + (ACCEPTED, ADD_TASK, DELETE_TASK)
CONFLICT_FLAG = "correction_conflict"
KEY_MATCH_MIN = 90.0  # content similarity (0-100) for following a task whose id changed
ADDED_MARK = "added"


def norm_text(value: Any) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    return re.sub(r"\s+", " ", text).strip()


def agency_names(value: Any) -> list[str]:
    """Canonical names from a list of Agency dicts or plain names."""
    names = []
    for item in value or []:
        if isinstance(item, str):
            names.append(norm_text(item))
        elif isinstance(item, dict):
            names.append(norm_text(item.get("name") or item.get("text")))
    return names


def deadline_key(value: Any) -> dict:
    value = {"raw": value} if isinstance(value, str) else value or {}
    items = []
    for item in value.get("items") or []:
        items.append([
            norm_text(item.get("label")) or None, item.get("kind") or "unspecified", item.get("start"),
            item.get("due"), sorted(item.get("recurrence") or []), norm_text(item.get("raw")),
        ])
    return {"raw": norm_text(value.get("raw")), "items": items}


def comparable(field: str, value: Any) -> Any:
    """The part of a field's value that a correction is about."""
    if field in AGENCY_FIELDS:
        return agency_names(value)
    if field in LIST_FIELDS:
        return [norm_text(x) for x in value or []]
    if field == DEADLINE_FIELD:
        return deadline_key(value)
    if field == "funding":
        return norm_text(value) or None
    if field in TEXT_FIELDS:
        return norm_text(value)
    return value


def same_value(field: str, a: Any, b: Any) -> bool:
    if field == DEADLINE_FIELD and (_raw_only(a) or _raw_only(b)):
        return norm_text(_raw(a)) == norm_text(_raw(b))  # a deadline given as text: its items are derived
    return comparable(field, a) == comparable(field, b)


def _raw_only(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, dict) and "items" not in value)


def _raw(value: Any) -> Any:
    return value if isinstance(value, str) else (value or {}).get("raw")


def get_value(task: dict, field: str) -> Any:
    return task.get(field)


def set_value(task: dict, field: str, value: Any) -> None:
    task[field] = value


def show(field: str, value: Any, limit: int = 160) -> str:
    """A short human-readable rendering for warning messages."""
    text = json.dumps(comparable(field, value), ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fingerprint(task: dict) -> str:
    """A hash of what an analyst sees of a task; an acceptance is tied to it."""
    seen = {f: comparable(f, task.get(f)) for f in EDITABLE_FIELDS}
    seen["table"] = norm_text(task.get("table"))
    blob = json.dumps(seen, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def mark(task: dict, field: str) -> None:
    corrected = task.setdefault("corrected", [])
    if field not in corrected:
        corrected.append(field)


def unmark(task: dict, field: str) -> None:
    task["corrected"] = [f for f in task.get("corrected") or [] if f != field]


def flag(task: dict, name: str) -> None:
    flags = task.setdefault("flags", [])
    if name not in flags:
        flags.append(name)


def task_key(task: dict) -> dict:
    """What identifies a task when its id changed because the source bytes changed."""
    return {"table": norm_text(task.get("table")), "stt": norm_text(task.get("stt")),
            "content": norm_text(task.get("content"))}


def key_score(task: dict, key: dict | None) -> float:
    """0-100: how surely `task` is the task `key` was taken from (same table and stt, nearly the same content)."""
    if not key or norm_text(task.get("table")) != key.get("table") or norm_text(task.get("stt")) != key.get("stt"):
        return 0.0
    return fuzz.ratio(norm_text(task.get("content")), key.get("content") or "", processor=None,
                      score_cutoff=KEY_MATCH_MIN)


@functools.cache
def labels() -> dict[str, dict[str, str]]:
    """Vietnamese labels for areas, deadline kinds and field names (data/labels.yaml); flags and
    warnings from the code registry (schemas/codes.yaml)."""
    from plantasks.schemas.codes import labels as code_labels

    path = Path(__file__).parent / "data" / "labels.yaml"
    data = load_yaml(path)
    return {**data, "flags": code_labels("flags"), "warnings": code_labels("warnings")}


def flag_label(code: str) -> str:
    """The Vietnamese label of a task flag; an unlisted code falls back to its family, then to "Cần xem"."""
    flags = labels()["flags"]
    if code in flags:
        return flags[code]
    family = {"agency_": "lead", "deadline_": "deadline"}
    for prefix, field_name in family.items():
        if code.startswith(prefix):
            return f"{labels()['fields'][field_name]}: cần xem ({code})"
    return f"Cần xem ({code})"


def describe_deadline(items: list[dict]) -> str:
    """Every normalized item in Vietnamese: kind, dates, recurrence and the words it was read from."""
    kinds, recurrences = labels()["deadline_kinds"], labels()["recurrences"]
    parts = []
    for item in items or []:
        text = kinds.get(item.get("kind"), item.get("kind") or "")
        rec = [recurrences.get(r, r) for r in item.get("recurrence") or []]
        if rec:
            text += " " + ", ".join(rec)
        if item.get("start") and item.get("due") and item["start"] != item["due"]:
            text += f" {vi_date(item['start'])} → {vi_date(item['due'])}"
        elif item.get("due"):
            text += f" {vi_date(item['due'])}"
        if item.get("label"):
            text += f" ({item['label']})"
        if item.get("raw"):
            text += f": «{item['raw']}»"
        parts.append(text)
    return "; ".join(parts)


def vi_date(value: Any) -> str:
    """2025-06-30 as Vietnamese write it: 30/06/2025."""
    text = str(value or "")
    parts = text.split("-")
    return f"{parts[2]}/{parts[1]}/{parts[0]}" if len(parts) == 3 else text
