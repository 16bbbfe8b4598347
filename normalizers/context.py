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
