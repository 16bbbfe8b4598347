"""Fuzz: mutated sample plans through the whole pipeline, and mutated cells through the normalizers.

A few hundred cases in every test run; `make fuzz` (PLANTASKS_FUZZ=1) runs 10,000 plans and 50,000
normalizer calls and prints the counts, the slowest case and the peak memory.
"""

import os
import resource
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plantasks.normalizers.agencies import resolve_agencies
from plantasks.normalizers.context import PlanContext
from plantasks.normalizers.deadlines import normalize_deadline
from plantasks.pipeline.extract import extract_bytes
from samples import TEXT_SAMPLES

FULL = os.environ.get("PLANTASKS_FUZZ") == "1"
PLANS = 10_000 if FULL else 200
CALLS = 25_000 if FULL else 300  # per normalizer (two of them)
SEEDS = [p.read_text(encoding="utf-8") for p in TEXT_SAMPLES]
STATS = {"plans": 0, "normalizer_calls": 0, "slowest_s": 0.0, "slowest_case": ""}


def strip_marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def mutate(text: str, ops: list[tuple[str, float, str]]) -> str:
    """Line-level damage of the kinds OCR, copy-paste and editors cause."""
    lines = text.split("\n")
    for kind, where, payload in ops:
        i = int(where * (len(lines) - 1)) if lines else 0
        if not lines:
            lines = [payload]
        elif kind == "drop":
            del lines[i]
        elif kind == "repeat":
            lines.insert(i, lines[i])
        elif kind == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif kind == "marks":
            lines[i] = strip_marks(lines[i])
        elif kind == "insert":
            lines.insert(i, payload)
        elif kind == "splice":
            cut = int(where * len(lines[i]))
            lines[i] = lines[i][:cut] + payload + lines[i][cut:]
        elif kind == "tabs":
            lines[i] = lines[i].replace("\t", payload[:1] or " ")
        elif kind == "truncate":
            lines = lines[: i + 1]
        elif kind == "upper":
            lines[i] = lines[i].upper()
    return "\n".join(lines)


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
ops = st.lists(st.tuples(st.sampled_from(["drop", "repeat", "swap", "marks", "insert", "splice", "tabs", "truncate",
                                          "upper"]), st.floats(0, 1), texts), min_size=1, max_size=12)


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    if FULL:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\nfuzz: {STATS['plans']} plans, {STATS['normalizer_calls']} normalizer calls, 0 exceptions; "
              f"slowest {STATS['slowest_s']:.2f} s ({STATS['slowest_case']}); peak RSS {peak:.0f} MB")


def _timed(label: str, fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    spent = time.perf_counter() - start
    if spent > STATS["slowest_s"]:
        STATS["slowest_s"], STATS["slowest_case"] = spent, label
    return result


@settings(max_examples=PLANS, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(range(len(SEEDS))), ops)
def test_mutated_plans_never_raise(seed, mutations):
    text = mutate(SEEDS[seed], mutations)
    result = _timed(f"plan {seed} with {mutations[:3]}", extract_bytes, text.encode("utf-8"), "fuzz.txt").result
    STATS["plans"] += 1
    assert result.document.status in {"success", "partial", "failed"}
    assert all(t.content or "empty_content" in t.flags for t in result.tasks)  # nothing silently empty


CELLS = ["Quý II/2024", "Thường xuyên", "Trước ngày 30/6/2025", "Năm 2024-2025", "Sở Nội vụ; các sở, ngành",
         "UBND các huyện, thị xã, thành phố", "Sở Tư pháp (chủ trì), Sở Nội vụ", "Hằng năm", "Tháng 12 hàng năm"]
CTX = PlanContext(level="province", province="Quảng Nam", period_start=2024, period_end=2025)


@settings(max_examples=CALLS, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CELLS), st.sampled_from(CELLS), texts, st.integers(0, 3))
def test_mutated_cells_never_raise_in_the_normalizers(a, b, noise, how):
    cell = [a + noise + b, strip_marks(a) + "\n" + b, (a + " ") * (how + 1) + noise, noise][how]
    deadline = _timed(f"deadline {cell[:40]!r}", normalize_deadline, cell, CTX)
    agencies = _timed(f"agencies {cell[:40]!r}", resolve_agencies, cell, "lead", CTX)
    STATS["normalizer_calls"] += 2
    assert deadline.raw is not None and agencies is not None
