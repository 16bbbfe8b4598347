"""Bridges to the agency registry and the deadline normalizer, imported lazily.

Both normalizers are optional here: without them an analyst's agency names are kept as typed and a
deadline text keeps the items the analyst gave. Nothing in this module raises for a missing or
failing normalizer; callers get None (or the input unchanged) and carry on.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable
from typing import Any

from plantasks.normalizers.context import PlanContext, plan_context  # noqa: F401  (re-exported)
from plantasks.normalizers.text import fold as fold_text
from plantasks.review.fields import norm_text


def optional_module(name: str):
    """The normalizer module (always installed with plantasks)."""
    return importlib.import_module(name)


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
    return fold_text(norm_text(text))


def registry_entries() -> list:
    """The agency registry's entries; [] when it cannot be loaded."""
    module = optional_module("plantasks.normalizers.agencies")
    load = getattr(module, "load_registry", None)
    if load is None:
        return []
    try:
        entries = load().entries
    except Exception:
        return []
    return list(entries.values() if isinstance(entries, dict) else entries)


def registry_forms() -> dict[str, list[str]]:
    """Canonical name -> the forms it is known by (name and aliases), from the agency registry; {} without one."""
    forms: dict[str, list[str]] = {}
    for entry in registry_entries():
        name = getattr(entry, "name", None)
        if name:
            aliases = [getattr(a, "text", a) for a in getattr(entry, "aliases", ()) or ()]
            forms.setdefault(name, [name]).extend(a for a in aliases if isinstance(a, str))
    return forms


def registry_names() -> list[str]:
    return list(registry_forms())


def _search_keys(text: str) -> set[str]:
    """Folded forms of a text: as written and, with the registry's rules, abbreviations expanded (UBND...)."""
    keys = {fold(text)}
    key_of = getattr(optional_module("plantasks.normalizers.agencies.normalize"), "key_of", None)
    if key_of is not None:
        try:
            keys.add(fold(key_of(text)))
        except Exception:
            pass
    return {k for k in keys if k}


def suggest_names(prefix: str, extra: Iterable[str] = (), limit: int = 15) -> list[str]:
    """Canonical names whose name or an alias starts with `prefix` (or has a word starting so), registry first."""
    return NameIndex(extra).suggest(prefix, limit)


@functools.cache
def _registry_keys() -> dict[str, frozenset[str]]:
    return {name: frozenset(k for form in forms for k in _search_keys(form)) for name, forms in registry_forms().items()}


@functools.lru_cache(maxsize=200_000)
def _name_keys(name: str) -> frozenset[str]:
    return frozenset(_search_keys(name))


class NameIndex:
    """The search keys of the registry's names and some extra names, computed once (suggestions as you type)."""

    def __init__(self, extra: Iterable[str] = ()):
        self.keys = dict(_registry_keys())
        for name in extra:
            if name not in self.keys:
                self.keys[name] = _name_keys(name)

    def suggest(self, prefix: str, limit: int = 15) -> list[str]:
        queries = _search_keys(prefix)
        if not queries:
            return []
        starts, words = [], []
        for name, keys in self.keys.items():
            if any(k.startswith(q) for k in keys for q in queries):
                starts.append(name)
            elif any(f" {q}" in f" {k}" for k in keys for q in queries):
                words.append(name)
        return (starts + words)[:limit]
