"""The normalizers as the review tools use them: an analyst's typed agency names and deadline texts,
and the registry's names for suggestions as the analyst types."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from plantasks.normalizers.agencies import load_registry, resolve_agencies
from plantasks.normalizers.agencies.normalize import key_of
from plantasks.normalizers.context import PlanContext, plan_context  # noqa: F401  (re-exported)
from plantasks.normalizers.deadlines import normalize_deadline
from plantasks.normalizers.text import fold as fold_text
from plantasks.review.fields import norm_text


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
    if not typed:
        return _agency(text, typed)
    result = resolve_agencies(typed, column, ctx)
    found = [a.model_dump(mode="json") for a in (*result.lead, *result.support)]
    if len(found) == 1 and (found[0]["name"] == typed or found[0]["match"] in ("exact", "alias")):
        return {**_agency(text, typed), **found[0], "text": text}
    return _agency(text, typed)


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


def normalize_deadline_text(text: str, ctx: PlanContext) -> list[dict]:
    """Deadline items for a time cell an analyst typed."""
    return [item.model_dump(mode="json") for item in normalize_deadline(text, ctx).items]


def fold(text: str) -> str:
    """Case- and accent-insensitive form for prefix search (đ counts as d)."""
    return fold_text(norm_text(text))


def registry_entries() -> list:
    """The agency registry's entries."""
    return list(load_registry().entries.values())


def registry_forms() -> dict[str, list[str]]:
    """Canonical name -> the forms it is known by (name and aliases), from the agency registry."""
    forms: dict[str, list[str]] = {}
    for entry in registry_entries():
        forms.setdefault(entry.name, [entry.name]).extend(a.text for a in entry.aliases)
    return forms


def registry_names() -> list[str]:
    return list(registry_forms())


def _search_keys(text: str) -> set[str]:
    """Folded forms of a text: as written and, with the registry's rules, abbreviations expanded (UBND...)."""
    return {k for k in (fold(text), fold(key_of(text))) if k}


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
