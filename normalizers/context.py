from __future__ import annotations

from dataclasses import dataclass
from datetime import date

LEVELS = ("national", "ministry", "province", "district", "commune")


@dataclass(frozen=True)
class PlanContext:
    """What a normalizer may know about the plan a cell comes from."""

    level: str | None = None  # national / ministry / province / district / commune
    province: str | None = None
    district: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    reference_date: date | None = None  # the decision's (or plan's) date, else the user's --as-of
    title: str | None = None  # the plan's title (decides whether reform areas apply at all)

    def __post_init__(self) -> None:
        if self.level is not None and self.level not in LEVELS:
            raise ValueError(f"unknown plan level {self.level!r}: one of {', '.join(LEVELS)}")

    @property
    def vocabulary_date(self) -> date | None:
        """The day whose names and levels a cell is read in: the reference date, else (undated
        draft) the first day of the plan's period. Never the day the program runs."""
        if self.reference_date is not None:
            return self.reference_date
        if self.period_start is not None:
            return date(self.period_start, 1, 1)
        return None

    @property
    def single_year(self) -> int | None:
        if self.period_start is not None and self.period_start == self.period_end:
            return self.period_start
        return None


def plan_context(meta, as_of: date | None = None) -> PlanContext:
    """The context of a plan from its document record (a DocumentMeta or its JSON dict): time-dependent
    rules read the plan's own date, else the date the user gave (--as-of)."""
    if hasattr(meta, "model_dump"):
        meta = meta.model_dump()
    ref = meta.get("decision_date") or meta.get("plan_date") or as_of
    if isinstance(ref, str):
        try:
            ref = date.fromisoformat(ref)
        except ValueError:
            ref = None
    return PlanContext(
        level=meta.get("level"), province=meta.get("province"), district=meta.get("district"),
        period_start=meta.get("period_start"), period_end=meta.get("period_end"), reference_date=ref,
        title=meta.get("title"),
    )
