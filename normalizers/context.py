from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PlanContext:
    """What a normalizer may know about the plan a cell comes from."""

    level: str | None = None  # national / ministry / province / district / commune
    province: str | None = None
    district: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    reference_date: date | None = None  # the decision's (or plan's) date

    @property
    def single_year(self) -> int | None:
        if self.period_start is not None and self.period_start == self.period_end:
            return self.period_start
        return None


def plan_context(meta) -> PlanContext:
    """The context of a plan from its document record (a DocumentMeta or its JSON dict)."""
    if hasattr(meta, "model_dump"):
        meta = meta.model_dump()
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
