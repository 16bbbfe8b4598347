"""Adapters from the pipeline to the normalizers (deadlines, agencies, reform areas)."""

from __future__ import annotations

from datetime import date

from plantasks.normalizers.agencies import resolve_agencies
from plantasks.normalizers.areas import area_in_plan
from plantasks.normalizers.context import PlanContext
from plantasks.normalizers.deadlines import normalize_deadline
from plantasks.schemas import Agency, Deadline


def deadline_of(cell: str, ctx: PlanContext) -> tuple[Deadline, list[str]]:
    res = normalize_deadline(cell, ctx)
    return Deadline(raw=res.raw, items=res.items), list(res.flags)


def agencies_of(cells: dict[str, str], ctx: PlanContext, as_of: date | None) -> tuple[list[Agency], list[Agency], list[str]]:
    lead: list[Agency] = []
    support: list[Agency] = []
    flags: list[str] = []
    for column in ("lead", "performer", "support"):
        cell = cells.get(column, "")
        if not cell.strip():
            continue
        res = resolve_agencies(cell, column, ctx, as_of)
        lead += res.lead
        support += res.support
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


def area_of(section: str, ctx: PlanContext) -> str:
    return area_in_plan(section, ctx.title)
