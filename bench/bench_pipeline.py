"""Whole pipeline in one process after start-up: text and Word plans per second per core.

Plans are the sample plans with a few words changed (bench_batch.text_plan / word_plan), so every
plan has its own bytes and tasks; most of their lines and cells repeat from plan to plan, so the
`*_fresh_lines` runs also empty the per-line and per-cell caches before each plan, as for a plan whose
text is all new (the per-word caches stay warm). Each run times the pipeline (extract_bytes) and, interleaved in
the same process, a baseline over the same plans, so a noisy machine hits both alike:
- Word: a bare python-docx `docx.Document()` open of each file (no text read at all);
- text: decoding the bytes and splitting them into lines.
Reported: medians over RUNS of plans/s per core (process CPU time, so other processes on the machine
do not count; wall-clock rates beside them), the baseline's rate, the ratio pipeline/baseline time,
and the median wall milliseconds per plan of each stage (pipeline.stages timings).
"""

from __future__ import annotations

import functools
import gc
import io
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from bench_batch import text_plan, word_plan
from plantasks.pipeline.extract import extract_bytes

SAMPLES = sorted((Path(__file__).parents[1] / "data" / "raw").glob("*.txt"))
RUNS = 7
PLANS = 30


def bare_document(data: bytes) -> None:
    import docx

    docx.Document(io.BytesIO(data))


def plain_lines(data: bytes) -> None:
    data.decode("utf-8").splitlines()


def line_caches() -> list:
    """The package's per-line and per-cell caches (match keys, cleaned cells, header cells, deadline and
    agency cells): what a plan whose every line and cell is new finds empty. Per-word and per-character
    caches stay, as a batch warms them within its first plans."""
    per_word = {"fold_char", "marks", "_place_tone_in_word", "_phrase_rx"}
    return [value for name, module in list(sys.modules.items()) if name.startswith("plantasks.")
            for value in vars(module).values()
            if isinstance(value, functools._lru_cache_wrapper) and (value.cache_parameters()["maxsize"] or 0) >= 1024
            and value.__wrapped__.__name__ not in per_word]


def per_core(make, baseline, fresh_lines: bool = False) -> dict:
    """Plans/s of one process: CPU seconds of the process (what one core does, whatever else the
    machine runs) and wall seconds, the pipeline and its baseline interleaved, medians of RUNS.
    `fresh_lines`: the line and cell caches are emptied before each plan (its text all new)."""
    for k in range(10_000, 10_003):  # start-up: imports, vocabularies, registry, matchers
        extract_bytes(make(k), f"warm{k}")
    plans = [make(k) for k in range(PLANS)]
    cpu = {"ours": [], "base": []}
    wall = {"ours": [], "base": []}
    stages: dict[str, list[float]] = {}
    caches = line_caches() if fresh_lines else []

    def ours() -> None:
        for k, data in enumerate(plans):
            for cache in caches:
                cache.cache_clear()
            for stage, seconds in extract_bytes(data, f"plan{k}").timings.items():
                stages.setdefault(stage, []).append(seconds)

    def base() -> None:
        for data in plans:
            baseline(data)

    collector = _GcTimer()
    for _ in range(RUNS):
        for name, fn in (("ours", ours), ("base", base)):
            collector.active = name == "ours"
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            cpu[name].append(time.process_time() - start_cpu)
            wall[name].append(time.perf_counter() - start)
    collector.close()
    t, b = statistics.median(cpu["ours"]), statistics.median(cpu["base"])
    return {
        "plans_per_s_per_core": round(PLANS / t, 1),
        "cpu_ms_per_plan": round(1000 * t / PLANS, 2),
        f"baseline_{baseline.__name__}_per_s": round(PLANS / b, 1),
        "time_ratio_to_baseline": round(t / b, 2),
        "wall_plans_per_s": round(PLANS / statistics.median(wall["ours"]), 1),
        f"wall_baseline_{baseline.__name__}_per_s": round(PLANS / statistics.median(wall["base"]), 1),
        "stage_wall_ms_per_plan": {s: round(1000 * statistics.median(v), 2) for s, v in stages.items()},
        # the cyclic garbage collector's passes during the pipeline runs (their wall time is inside the
        # rates above): full passes traverse every long-lived object, the vocabularies included
        "gc_wall_ms_per_plan": round(1000 * collector.seconds / (RUNS * PLANS), 2),
        "gc_full_passes": collector.full,
    }


class _GcTimer:
    """Wall time of the garbage collector's passes while `active`, counted through gc.callbacks."""

    def __init__(self) -> None:
        self.active, self.seconds, self.full, self._start = False, 0.0, 0, 0.0
        gc.callbacks.append(self)

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        elif self.active:
            self.seconds += time.perf_counter() - self._start
            self.full += info["generation"] == 2

    def close(self) -> None:
        gc.callbacks.remove(self)


def run() -> dict:
    docs = [(p.read_bytes(), str(p)) for p in SAMPLES]
    for data, name in docs:  # warm caches (vocabularies, registry) once, as a batch would
        extract_bytes(data, name)
    times = []
    tasks = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        tasks = sum(len(extract_bytes(data, name).result.tasks) for data, name in docs)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    for data, name in docs:
        extract_bytes(data, name)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    median = statistics.median(times)
    return {
        "documents": len(docs),
        "tasks": tasks,
        "median_seconds": round(median, 4),
        "documents_per_second": round(len(docs) / median, 2),
        "tasks_per_second": round(tasks / median, 1),
        "peak_python_mb": round(peak / 2**20, 1),
        "runs": RUNS,
        "plans_per_run": PLANS,
        "text": per_core(text_plan, plain_lines),
        "word": per_core(word_plan, bare_document),
        "text_fresh_lines": per_core(text_plan, plain_lines, fresh_lines=True),
        "word_fresh_lines": per_core(word_plan, bare_document, fresh_lines=True),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=1, ensure_ascii=False))
