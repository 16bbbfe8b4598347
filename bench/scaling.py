"""Seconds per KB of one long cell at growing lengths, next to a linear baseline (one regex pass
over the same text) timed in the same process: a normalizer linear in the cell's length keeps a
flat seconds/KB column up to the 1-2 MB line a batch can meet; a quadratic one grows with size.
Used by bench_deadlines.py and bench_agencies.py (not a benchmark of its own)."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable

SIZES_KB = (16, 128, 1024)
RUNS_BY_SIZE = {16: 5, 128: 3, 1024: 1}
_BASELINE = re.compile(r"[^\W_]+")


def _seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def scaling(normalize: Callable[[str], object], unit: str, sizes_kb: tuple[int, ...] = SIZES_KB) -> dict:
    normalize(unit)  # loaders and caches warm
    rows = {}
    for kb in sizes_kb:
        cell = (unit * (kb * 1024 // len(unit) + 1))[: kb * 1024]
        runs = RUNS_BY_SIZE.get(kb, 1)
        ours = _seconds(lambda: normalize(cell), runs)
        base = _seconds(lambda: sum(1 for _ in _BASELINE.finditer(cell)), runs)
        rows[f"{kb}KB"] = {"seconds": round(ours, 3), "seconds_per_kb": round(ours / kb, 5),
                           "baseline_seconds_per_kb": round(base / kb, 7), "runs": runs}
    first, last = rows[f"{sizes_kb[0]}KB"], rows[f"{sizes_kb[-1]}KB"]
    rows["growth_of_seconds_per_kb"] = round(last["seconds_per_kb"] / max(first["seconds_per_kb"], 1e-9), 2)
    return rows
