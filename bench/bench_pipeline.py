"""Whole pipeline on the text samples: documents and tasks per second (median of runs)."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from pathlib import Path

from plantasks.pipeline.extract import extract_bytes

SAMPLES = sorted((Path(__file__).parents[1] / "data" / "raw").glob("*.txt"))
RUNS = 7


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
    }
