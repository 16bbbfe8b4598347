"""What the grammar finds (Entity, Slot) and the calendar arithmetic on it."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

# grains of a Slot: a day, a month, a quarter, a half year, a year
DAY, MONTH, QUARTER, HALF, YEAR = "day", "month", "quarter", "half", "year"
GRAIN_KIND = {DAY: "date", MONTH: "month", QUARTER: "quarter", HALF: "half_year", YEAR: "year"}

# entity kinds
DATABLE = "datable"  # one slot (first == last) or a span of slots
RECURRING = "recurring"
CONTINUOUS = "continuous"
ONWARDS = "onwards"  # "năm 2025 và các năm tiếp theo": from a slot, open end
NOW = "now"  # "từ nay": the decision date
OFFSET = "offset"  # "05 ngày kể từ ..."
NEXT_YEAR = "next_year"  # "Tháng 01 năm sau": the period before it falls in the year after the plan's


@dataclass(frozen=True)
class Slot:
    """One calendar period; `year` None until the context gives it."""

    grain: str
    year: int | None
    index: int = 1  # month 1-12, quarter 1-4, half 1-2; 1 for a year
    day: int = 1  # for grain day

    def with_year(self, year: int) -> Slot:
        return replace(self, year=year)

    def first_day(self) -> date:
        assert self.year is not None
        if self.grain == DAY:
            return date(self.year, self.index, self.day)
        month = {MONTH: self.index, QUARTER: 3 * self.index - 2, HALF: 6 * self.index - 5, YEAR: 1}[self.grain]
        return date(self.year, month, 1)

    def last_day(self) -> date:
        assert self.year is not None
        if self.grain == DAY:
            return self.first_day()
        month = {MONTH: self.index, QUARTER: 3 * self.index, HALF: 6 * self.index, YEAR: 12}[self.grain]
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def is_valid(self) -> bool:
        if self.year is None:
            return True
        try:
            self.first_day()
        except ValueError:
            return False
        return True


@dataclass(frozen=True)
class Entity:
    """A time expression found in the key: where it is, what it names, and the rule that found it."""

    kind: str
    start: int
    end: int
    rule: str
    first: Slot | None = None
    last: Slot | None = None
    explicit_year: bool = False
    part: str | None = None  # early / mid / late ("đầu / giữa / cuối tháng 3")
    recurrence: tuple[str, ...] = ()
    offset: tuple[int, str] | None = None  # (amount, unit) for OFFSET
    decision_anchor: bool = False  # OFFSET counted from the decision itself
    ocr: bool = False

    @property
    def is_span(self) -> bool:
        return self.first is not None and self.last is not None and self.first != self.last

    @property
    def year(self) -> int | None:
        if self.last is not None and self.last.year is not None:
            return self.last.year
        return self.first.year if self.first is not None else None

    @property
    def needs_year(self) -> bool:
        return any(s is not None and s.year is None for s in (self.first, self.last))

    def with_year(self, year: int) -> Entity:
        first = self.first.with_year(year) if self.first and self.first.year is None else self.first
        last = self.last.with_year(year) if self.last and self.last.year is None else self.last
        return replace(self, first=first, last=last)

    def output_kind(self) -> str:
        if self.kind == DATABLE and self.first is not None:
            return "period" if self.is_span else GRAIN_KIND[self.first.grain]
        return {RECURRING: "recurring", CONTINUOUS: "continuous", ONWARDS: "period"}.get(self.kind, "unspecified")


def add_offset(day: date, amount: int, unit: str) -> date | None:
    """day + amount units; None when the result is out of range or the unit cannot be counted."""
    try:
        if unit == "days":
            return day + timedelta(days=amount)
        if unit == "weeks":
            return day + timedelta(weeks=amount)
        months = amount * (12 if unit == "years" else 1) if unit in ("months", "years") else None
        if months is None:
            return None
        total = day.month - 1 + months
        year, month = day.year + total // 12, total % 12 + 1
        return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    except (OverflowError, ValueError):
        return None
