"""Properties of normalize_deadline that hold for every input (hypothesis)."""

from __future__ import annotations

import unicodedata
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plantasks.normalizers.context import PlanContext
from plantasks.normalizers.deadlines import (
    OUTSIDE_PERIOD,
    UNPARSED,
    DeadlineResult,
    normalize_deadline,
)

# Pieces plan time cells are made of, so generated cells hit the grammar, the cuts and the OCR paths.
FRAGMENTS = [
    "Quý", "Qúy", "Quy", "QUÝ", "quí", "I", "II", "III", "IV", "1V", "l", "11", "/", "/ ", " - ", "-", "–",
    "2019", "2023", "2024", "2025", "2O24", "2030", "tháng", "Tháng", "thang", "01", "1", "6", "7", "12", "13",
    "ngày", "15", "30", "31", "31/02/2024", "15/11/2023", "15-11-2023", "15.11.2023", "01/4", "trước", "Trước",
    "chậm nhất", "Chậm nhất trong", "trong", "vào", "từ", "Từ", "đến", "đến hết", "năm", "Năm", "hàng", "hằng",
    "định kỳ", "Định kỳ", "đột xuất", "6 tháng", "9 tháng", "6 tháng đầu năm", "cuối năm", "đầu", "giữa",
    "Thường xuyên", "Thuong xuyen", "liên tục", "sau khi", "Ngay sau khi", "khi có yêu cầu", "kể từ",
    "05 ngày kể từ ngày ký", "theo quy định", "Theo hướng dẫn của", "Bộ Nội vụ", "Chính phủ", "UBND tỉnh",
    "Báo cáo", "Báo cáo kết quả:", "Kế hoạch", ":", ";", ",", ".", ". - ", "; - ", "\n", "\n- ", "\n+ ", "• ",
    "và", "hoặc", "các năm tiếp theo", "trở đi", "giai đoạn", "nay", "12/2025/QĐ-UBND", "Nghị định 30/2024",
    "số", "thăng hạng", "Quỹ", "(", ")", " ", "  ", "\t", "1.", "a)", "hàng tuần", "lần/năm", "2 lần/năm",
    "29/02", "29", "30/02", "Từ 29/02 đến", "Quy\u0301", "\u0301", "\u0300", "\u200b", "x", "…",
]

contexts = st.one_of(
    st.builds(PlanContext),
    st.integers(2019, 2030).flatmap(
        lambda start: st.builds(
            PlanContext,
            period_start=st.just(start),
            period_end=st.integers(start, start + 5),
            reference_date=st.one_of(st.none(), st.dates(date(start - 1, 6, 1), date(start, 12, 31))),
        )
    ),
)
plan_like = st.lists(st.sampled_from(FRAGMENTS), max_size=14).map(lambda parts: " ".join(parts))
mixed = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=10).map("".join)
cells = st.one_of(st.text(max_size=80), plan_like, mixed)

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(cell: str, ctx: PlanContext) -> DeadlineResult:
    res = normalize_deadline(cell, ctx)
    assert "deadline_error" not in res.flags, "an internal error was caught: the normalizer has a bug"
    assert isinstance(res.raw, str)
    assert res.raw == res.raw.strip() and "  " not in res.raw and "\n" not in res.raw
    return res


@SETTINGS
@given(cell=cells, ctx=contexts)
def test_never_raises_and_raw_is_collapsed(cell: str, ctx: PlanContext) -> None:
    _check(cell, ctx)


@SETTINGS
@given(cell=cells, ctx=contexts)
def test_start_never_after_due(cell: str, ctx: PlanContext) -> None:
    for item in _check(cell, ctx).items:
        if item.start is not None and item.due is not None:
            assert item.start <= item.due, item


@SETTINGS
@given(cell=cells, ctx=contexts)
def test_item_raw_is_a_substring_of_the_cell(cell: str, ctx: PlanContext) -> None:
    res = _check(cell, ctx)
    for item in res.items:
        assert item.raw and item.raw in res.raw, (item.raw, res.raw)


@SETTINGS
@given(cell=cells, ctx=contexts)
def test_due_inside_plan_period_or_flagged(cell: str, ctx: PlanContext) -> None:
    res = _check(cell, ctx)
    if ctx.period_start is None:
        return
    for item in res.items:
        if item.due is not None and not (ctx.period_start <= item.due.year <= ctx.period_end):  # type: ignore[operator]
            assert OUTSIDE_PERIOD in res.flags, (item, res.flags)


@SETTINGS
@given(cell=cells, ctx=contexts)
def test_items_obey_their_kind(cell: str, ctx: PlanContext) -> None:
    res = _check(cell, ctx)
    for item in res.items:
        if item.kind in ("recurring", "continuous", "event", "reference", "unspecified"):
            assert item.start is None and item.due is None, item
        if item.kind != "recurring":
            assert item.recurrence == [], item
        if item.kind == "unspecified":
            assert UNPARSED in res.flags or "deadline_invalid_date" in res.flags or "deadline_inverted_range" in res.flags
        assert item.rule
        assert 0 <= item.confidence <= 1


@SETTINGS
@given(cell=st.text(alphabet=st.characters(blacklist_categories=("Nd",), blacklist_characters="oOlIi|!"), max_size=60), ctx=contexts)
def test_no_date_without_digits_or_context(cell: str, ctx: PlanContext) -> None:
    """Without a digit in the cell, a single-year plan or a reference date, nothing can be dated."""
    bare = PlanContext(period_start=ctx.period_start, period_end=None if ctx.single_year else ctx.period_end)
    if bare.single_year is not None:
        return
    for item in normalize_deadline(cell, bare).items:
        assert item.start is None and item.due is None, item


@SETTINGS
@given(cell=plan_like, ctx=contexts)
def test_nfd_and_nfc_read_alike(cell: str, ctx: PlanContext) -> None:
    nfc = normalize_deadline(unicodedata.normalize("NFC", cell), ctx)
    nfd = normalize_deadline(unicodedata.normalize("NFD", cell), ctx)
    assert nfd.raw == nfc.raw
    assert [i.model_dump() for i in nfd.items] == [i.model_dump() for i in nfc.items]


def test_empty_and_blank_cells_give_no_items() -> None:
    for cell in ("", "   ", "\n\n", "-", " ; ", None):
        res = normalize_deadline(cell, PlanContext())  # type: ignore[arg-type]
        assert res.items == [] and UNPARSED not in res.flags
