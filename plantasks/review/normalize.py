"""Bridges to the agency registry and the deadline normalizer, imported lazily.

Both normalizers are optional here: without them an analyst's agency names are kept as typed and a
deadline text keeps the items the analyst gave. Nothing in this module raises for a missing or
failing normalizer; callers get None (or the input unchanged) and carry on.
"""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Any

from plantasks.normalizers.context import PlanContext
from plantasks.review.fields import norm_text


def optional_module(name: str):
    """The module, or None when it is missing or fails to import (a sibling still being written)."""
    try:
        return importlib.import_module(name)
    except Exception:  # a half-written sibling module must not break review
        return None


def plan_context(meta: dict) -> PlanContext:
    ref = meta.get("decision_date") or meta.get("plan_date")
    if isinstance(ref, str):
        try:
            ref = date.fromisoformat(ref)
        except ValueError:
            ref = None
    return PlanContext(
        level=meta.get("level"), province=meta.get("province"), district=meta.get("district"),
        period_start=meta.get("period_start"), period_end=meta.get("period_end"), reference_date=ref,
    )


def _as_dict(obj: Any) -> dict | None:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return dict(obj)
    dump = getattr(obj, "model_dump", None)
    return dump(mode="json") if dump else None


def _agency(text: str, name: str, **extra: Any) -> dict:
    return {"text": text, "name": name, "id": None, "kind": "unknown", "match": "none", "score": 0.0,
            "successor": None, **extra}


def resolve_one(name: str, column: str, ctx: PlanContext, printed: str = "") -> dict:
    """The Agency record for a name an analyst typed; `printed` is the mention it replaces, if any.

    The analyst has the last word: a registry hit is used only when it is the typed name itself or a
    registry alias of it (exact/alias match); otherwise the typed name stands, unmatched.
    """
    typed = norm_text(name)
    text = printed or typed
    module = optional_module("plantasks.normalizers.agencies")
    resolve = getattr(module, "resolve_agencies", None)
    if resolve is None or not typed:
        return _agency(text, typed)
    try:
        found = [_as_dict(a) for a in _agencies_of(resolve(typed, column, ctx))]
    except Exception:
        return _agency(text, typed)
    found = [a for a in found if a]
    if len(found) == 1 and (found[0].get("name") == typed or found[0].get("match") in ("exact", "alias")):
        return {**_agency(text, typed), **found[0], "text": text}
    return _agency(text, typed)


def _agencies_of(result: Any) -> list:
    """resolve_agencies gives a list, or an object with .lead and .support lists."""
    if isinstance(result, list):
        return result
    return [*(getattr(result, "lead", None) or []), *(getattr(result, "support", None) or [])]


def resolve_agency_list(value: Iterable[Any], column: str, ctx: PlanContext) -> list[dict]:
    """Agency dicts for an edited lead/support list: items are names or {text, name} dicts."""
    out, seen = [], set()
    for item in value or []:
        if isinstance(item, str):
            agency = resolve_one(item, column, ctx)
        elif isinstance(item, dict):
            name = norm_text(item.get("name"))
            printed = norm_text(item.get("text"))
            if item.get("id") and item.get("match") and name:
                agency = {**_agency(printed or name, name), **item}
            else:
                agency = resolve_one(name or printed, column, ctx, printed)
        else:
            continue
        if agency["name"] and agency["name"] not in seen:
            seen.add(agency["name"])
            out.append(agency)
    return out


def normalize_deadline_text(text: str, ctx: PlanContext) -> list[dict] | None:
    """Deadline items for a time cell, or None when no normalizer is installed (or it failed)."""
    module = optional_module("plantasks.normalizers.deadlines")
    normalize = getattr(module, "normalize_deadline", None)
    if normalize is None:
        return None
    try:
        result = normalize(text, ctx)
    except Exception:
        return None
    items = getattr(result, "items", result)
    if isinstance(result, dict):
        items = result.get("items", [])
    try:
        return [d for d in (_as_dict(i) for i in items or []) if d is not None]
    except TypeError:
        return None


def fold(text: str) -> str:
    """Case- and accent-insensitive form for prefix search (đ counts as d)."""
    decomposed = unicodedata.normalize("NFD", norm_text(text).casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def registry_names() -> list[str]:
    """Canonical names from the agency registry, or [] when there is none."""
    module = optional_module("plantasks.normalizers.agencies")
    if module is None:
        return []
    for attr in ("canonical_names", "load_registry", "registry", "get_registry"):
        fn = getattr(module, attr, None)
        if callable(fn):
            try:
                names = _names_of(fn())
            except Exception:
                continue
            if names:
                return names
    return []


def _names_of(obj: Any) -> list[str]:
    if isinstance(obj, dict):
        named = [v for v in obj.values() if _entry_name(v)]
        obj = named if named and len(named) == len(obj) else list(obj)
    for attr in ("entries", "agencies", "records"):
        if hasattr(obj, attr):
            obj = getattr(obj, attr)
            obj = list(obj.values()) if isinstance(obj, dict) else obj
            break
    names = [entry if isinstance(entry, str) else _entry_name(entry) for entry in obj or []]
    return [n for n in dict.fromkeys(names) if n]


def _entry_name(entry: Any) -> str:
    if isinstance(entry, dict):
        return entry.get("name") or entry.get("canonical") or ""
    if isinstance(entry, str):
        return ""
    return getattr(entry, "name", None) or getattr(entry, "canonical", None) or ""


def suggest_names(prefix: str, extra: Iterable[str] = (), limit: int = 15) -> list[str]:
    """Canonical names starting with `prefix` (or with a word starting with it), registry first."""
    query = fold(prefix)
    if not query:
        return []
    pool = list(dict.fromkeys([*registry_names(), *extra]))
    starts, words = [], []
    for name in pool:
        folded = fold(name)
        if folded.startswith(query):
            starts.append(name)
        elif any(w.startswith(query) for w in folded.split()) or f" {query}" in f" {folded}":
            words.append(name)
    return (starts + words)[:limit]
