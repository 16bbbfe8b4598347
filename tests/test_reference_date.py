"""Output never depends on the day the program runs: time-dependent rules read the plan's own date
(else --as-of). The clock is replaced in every loaded plantasks module and the outputs compared."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from plantasks.normalizers.agencies import resolve_agencies
from plantasks.normalizers.context import PlanContext
from plantasks.pipeline.extract import ExtractOptions, extract_file

PLAN = Path(__file__).parent / "fixtures" / "dates" / "plan_after_july_2025.txt"


def _clock(day: dt.date):
    class FrozenDate(dt.date):
        @classmethod
        def today(cls):
            return cls(day.year, day.month, day.day)

    class FrozenDateTime(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(day.year, day.month, day.day, 12, 0, tzinfo=tz)

        @classmethod
        def today(cls):
            return cls(day.year, day.month, day.day, 12, 0)

    return FrozenDate, FrozenDateTime


def _clear_caches() -> None:
    for name, module in list(sys.modules.items()):
        if name.startswith("plantasks") and module is not None:
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def _run_at(monkeypatch, day: dt.date, as_of: dt.date | None = None) -> dict:
    frozen_date, frozen_datetime = _clock(day)
    _clear_caches()  # a result cached under the other clock must not hide a difference
    with monkeypatch.context() as m:
        for name, module in list(sys.modules.items()):
            if not name.startswith("plantasks") or module is None:
                continue
            if getattr(module, "date", None) is dt.date:
                m.setattr(module, "date", frozen_date)
            if getattr(module, "datetime", None) is dt.datetime:
                m.setattr(module, "datetime", frozen_datetime)
        assert dt.date.today() is not None
        outcome = extract_file(PLAN, ExtractOptions(as_of=as_of))
    data = json.loads(outcome.result.model_dump_json())
    return {"document": data["document"], "tasks": data["tasks"]}


def test_two_clocks_give_the_same_output(monkeypatch):
    early = _run_at(monkeypatch, dt.date(2024, 6, 1))
    late = _run_at(monkeypatch, dt.date(2031, 3, 1))
    assert early == late
    assert early["tasks"], "the fixture has tasks"


def test_post_july_2025_plan_has_no_district_level(monkeypatch):
    tasks = _run_at(monkeypatch, dt.date(2030, 1, 1))["tasks"]
    names = [a["name"] for t in tasks for a in t["lead"] + t["support"]]
    assert "Ủy ban nhân dân cấp xã" in names  # "địa phương", "Các địa phương"
    assert not any("cấp huyện" in n or n.endswith(" huyện") for n in names)
    # a body that no longer existed on the plan's date names its successor at that date
    khdt = next(a for t in tasks for a in t["lead"] if a["name"] == "Sở Kế hoạch và Đầu tư")
    assert khdt["successor"] == "Sở Tài chính"


@pytest.mark.parametrize("day, expected", [
    (dt.date(2024, 3, 1), "Ủy ban nhân dân cấp huyện"),
    (dt.date(2025, 7, 1), "Ủy ban nhân dân cấp xã"),
])
def test_local_level_word_follows_the_plan_date(day, expected):
    ctx = PlanContext(level="province", province="Hà Nam Xanh", reference_date=day)
    assert [a.name for a in resolve_agencies("Các địa phương", "lead", ctx).lead] == [expected]


def test_undated_draft_reads_its_period_and_asks_for_no_clock():
    ctx = PlanContext(level="province", period_start=2026, period_end=2026)
    assert [a.name for a in resolve_agencies("địa phương", "lead", ctx).lead] == ["Ủy ban nhân dân cấp xã"]
    undated = PlanContext(level="province")
    assert resolve_agencies("Sở Kế hoạch và Đầu tư", "lead", undated).lead[0].successor is None


def test_as_of_asks_for_the_holder_on_that_day():
    ctx = PlanContext(level="province", reference_date=dt.date(2024, 5, 1))
    plain = resolve_agencies("Sở Kế hoạch và Đầu tư", "lead", ctx).lead[0]
    later = resolve_agencies("Sở Kế hoạch và Đầu tư", "lead", ctx, as_of=dt.date(2026, 1, 1)).lead[0]
    assert (plain.successor, later.successor) == (None, "Sở Tài chính")
