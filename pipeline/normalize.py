"""Adapters from the pipeline to the normalizers (deadlines, agencies, reform areas)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TypeVar

from pydantic import BaseModel

from plantasks.normalizers.agencies import resolve_agencies
from plantasks.normalizers.areas import area_in_plan
from plantasks.normalizers.context import PlanContext
from plantasks.normalizers.deadlines import normalize_deadline
from plantasks.schemas import Agency, Deadline


# Cells repeat across rows and plans ("Thường xuyên", "Sở Nội vụ"): each distinct (cell, plan context)
# is normalised once per process; callers get fresh copies, never the cached objects.
_normalize_deadline = lru_cache(maxsize=1 << 15)(normalize_deadline)
_resolve_agencies = lru_cache(maxsize=1 << 15)(resolve_agencies)
M = TypeVar("M", bound=BaseModel)


def _fresh(record: M) -> M:
    """A shallow copy of a cached record, as `model_copy()` makes it (own fields, fields-set, extra
    and private), without its generic path: a task takes a few hundred of them per plan."""
    copy = object.__new__(type(record))
    object.__setattr__(copy, "__dict__", record.__dict__.copy())
    object.__setattr__(copy, "__pydantic_fields_set__", record.__pydantic_fields_set__.copy())
    extra, private = record.__pydantic_extra__, record.__pydantic_private__
    object.__setattr__(copy, "__pydantic_extra__", None if extra is None else dict(extra))
    object.__setattr__(copy, "__pydantic_private__", None if private is None else dict(private))
    return copy


def deadline_of(cell: str, ctx: PlanContext) -> tuple[Deadline, list[str]]:
    res = _normalize_deadline(cell, ctx)
    return Deadline(raw=res.raw, items=[_fresh(i) for i in res.items]), list(res.flags)


def agencies_of(cells: dict[str, str], ctx: PlanContext, as_of: date | None) -> tuple[list[Agency], list[Agency], list[str]]:
    lead: list[Agency] = []
    support: list[Agency] = []
    flags: list[str] = []
    for column in ("lead", "performer", "lead_support", "support"):
        cell = cells.get(column, "")
        if not cell.strip():
            continue
        res = _resolve_agencies(cell, column, ctx, as_of)
        lead += [_fresh(a) for a in res.lead]
        support += [_fresh(a) for a in res.support]
        flags += res.flags
    return _unique(lead), _unique(support), flags


def _unique(agencies: list[Agency]) -> list[Agency]:
    seen: set[str] = set()
    out = []
    for a in agencies:
        if a.name.casefold() not in seen:
            seen.add(a.name.casefold())
            out.append(a)
    return out


@lru_cache(maxsize=1 << 12)
def area_of(section: str, title: str | None) -> str:
    return area_in_plan(section, title)
