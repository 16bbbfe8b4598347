"""The deadline and agency normalizers do work linear in the cell's length (a pasted 2 MB line must
not take minutes). Work is counted, not timed: every Python call and C call the normalizer makes,
through sys.setprofile, for a cell of 1 KB and for the same family at several times the length.
Wall-clock speed is measured in bench/ (bench_deadlines.py, bench_agencies.py: "scaling")."""

from __future__ import annotations

import sys
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plantasks.normalizers.agencies import resolve_agencies
from plantasks.normalizers.context import PlanContext
from plantasks.normalizers.deadlines import normalize_deadline

KB = 1024
BUDGET = 2.0  # calls(k KB) may be at most BUDGET * k * calls(1 KB)
CTX = PlanContext(level="province", province="Cần Thơ", period_start=2026, period_end=2026,
                  reference_date=date(2025, 12, 1))

TIME_UNITS = [
    "- Quý II/2026: báo cáo; tháng 5 và tháng 9/2026.\n",
    "Thường xuyên, hằng năm; ",
    "Trước ngày 15/3/2026 và tháng 10/2026. Sơ kết (nếu có). ",
    "- Tháng 3\n- Tháng 9\n",
    "theo kết quả kiểm tra của đoàn công tác liên ngành và các cơ quan ",
    "15/8/2026 - 30/8/2026, Tháng 3 - 4/2026, sau năm 2029 ",
]
AGENCY_UNITS = [
    "Sở Nội vụ, Sở Tư pháp và các cơ quan, địa phương liên quan; ",
    "vụ pháp chế, thanh tra, kiểm tra, giám sát, ",
    "UBND thành phố Cần Thơ, Thành phố Huế, cấp xã, ",
    "- Ban Chỉ huy Quân sự cấp tỉnh, cấp xã\n",
    "nhà đầu tư và hợp tác xã liên quan liên quan ",
]


def _calls(fn) -> int:
    count = 0

    def profile(frame, event, arg):  # noqa: ARG001
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return count


def _cell(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _ratio(run, unit: str, times: int) -> float:
    run(_cell(unit, KB))  # warm the loaders and caches
    base = _calls(lambda: run(_cell(unit, KB)))
    big = _calls(lambda: run(_cell(unit, times * KB)))
    return big / (times * base)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=st.sampled_from(TIME_UNITS), times=st.sampled_from([4, 16, 32]))
def test_deadline_work_grows_linearly(unit, times):
    assert _ratio(lambda c: normalize_deadline(c, CTX), unit, times) <= BUDGET


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=st.sampled_from(AGENCY_UNITS), times=st.sampled_from([4, 16, 32]))
def test_agency_work_grows_linearly(unit, times):
    assert _ratio(lambda c: resolve_agencies(c, "performer", CTX), unit, times) <= BUDGET


def test_a_quadratic_routine_would_fail_the_budget():
    """The measure itself: a routine that compares every pair is caught at 16 times the length."""
    def quadratic(cell: str) -> int:
        words = cell.split()
        return sum(1 for a in words for b in words if a is b)

    assert _ratio(quadratic, TIME_UNITS[0], 16) > BUDGET
