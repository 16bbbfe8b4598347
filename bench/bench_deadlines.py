"""Deadline normalizer: speed (phrases per second) and accuracy, against a naive regex baseline.

run() -> {
  "phrases_per_second": median over RUNS runs of normalizing every corpus cell (gold + phrases),
  "phrases", "runs", "seconds_per_run" (median),
  "gold_deadline_f1": the scorer's deadline F1 over the gold pairs,
  "phrase_accuracy": share of phrase-corpus cases whose items all match,
  "baseline": the same numbers for a one-regex extractor (dates, "Quý N/YYYY", "Tháng M/YYYY"),
  "speed_ratio": normalizer phrases/second / baseline phrases/second
}
Both are measured side by side in one process, so the ratio is stable on a noisy machine.
"""

from __future__ import annotations

import calendar
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scaling import scaling  # noqa: E402 - the shared long-cell measurement next to this file

from plantasks.normalizers.context import PlanContext
from plantasks.normalizers.deadlines import normalize_deadline
from plantasks.schemas import DeadlineItem

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
RUNS = 7

Normalizer = Callable[[str, PlanContext], list[DeadlineItem]]


def _date(value: Any) -> date | None:
    return value if value is None or isinstance(value, date) else date.fromisoformat(str(value))


def _contexts(data: dict[str, Any]) -> dict[str, PlanContext]:
    return {n: PlanContext(level=c.get("level"), period_start=c.get("period_start"), period_end=c.get("period_end"),
                           reference_date=_date(c.get("reference_date"))) for n, c in data["contexts"].items()}


def load_cases() -> tuple[list[tuple[str, PlanContext, list[dict[str, Any]]]], list[tuple[str, PlanContext, list[dict[str, Any]]]]]:
    gold = yaml.safe_load((CORPUS / "deadlines_gold.yaml").read_text(encoding="utf-8"))
    phrases = yaml.safe_load((CORPUS / "deadlines_phrases.yaml").read_text(encoding="utf-8"))
    gctx, pctx = _contexts(gold), _contexts(phrases)
    gold_cases = [(c["cell"], gctx[c["ctx"]], c["items"]) for c in gold["cases"]]
    phrase_cases = [(c["cell"], pctx[c["ctx"]], c["items"]) for cases in phrases["families"].values() for c in cases]
    return gold_cases, phrase_cases


def _key(kind: Any, start: Any, due: Any, recurrence: Any) -> tuple[Any, ...]:
    return (kind, _date(start), _date(due), tuple(sorted(recurrence or [])))


def gold_f1(normalize: Normalizer, cases: list[tuple[str, PlanContext, list[dict[str, Any]]]]) -> float:
    tp = fp = fn = 0
    for cell, ctx, items in cases:
        got = Counter(_key(i.kind, i.start, i.due, i.recurrence) for i in normalize(cell, ctx))
        want = Counter(_key(i["kind"], i.get("start"), i.get("due"), i.get("recurrence")) for i in items)
        tp += sum((got & want).values())
        fp += sum((got - want).values())
        fn += sum((want - got).values())
    return round(2 * tp / (2 * tp + fp + fn), 4) if tp + fp + fn else 1.0


def accuracy(normalize: Normalizer, cases: list[tuple[str, PlanContext, list[dict[str, Any]]]]) -> float:
    right = 0
    for cell, ctx, items in cases:
        got = [_key(i.kind, i.start, i.due, i.recurrence) for i in normalize(cell, ctx)]
        right += got == [_key(i["kind"], i.get("start"), i.get("due"), i.get("recurrence")) for i in items]
    return round(right / len(cases), 4)


def speed(normalize: Normalizer, cells: list[tuple[str, PlanContext]]) -> float:
    """Median seconds for one pass over the cells."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for cell, ctx in cells:
            normalize(cell, ctx)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def full(cell: str, ctx: PlanContext) -> list[DeadlineItem]:
    return normalize_deadline(cell, ctx).items


_NAIVE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})|[Qq]u[ýy]\s*(I{1,3}|IV)\s*/\s*(\d{4})|[Tt]háng\s*(\d{1,2})\s*/\s*(\d{4})")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def naive(cell: str, ctx: PlanContext) -> list[DeadlineItem]:
    """Baseline: one regex for full dates, quarters and months with a year; anything else unspecified."""
    items = []
    for m in _NAIVE.finditer(cell or ""):
        try:
            if m.group(1):
                day = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                items.append(DeadlineItem(kind="date", start=day, due=day, raw=m.group(0)))
            elif m.group(4):
                year, q = int(m.group(5)), _ROMAN[m.group(4)]
                last = date(year, 3 * q, calendar.monthrange(year, 3 * q)[1])
                items.append(DeadlineItem(kind="quarter", start=date(year, 3 * q - 2, 1), due=last, raw=m.group(0)))
            else:
                year, month = int(m.group(7)), int(m.group(6))
                last = date(year, month, calendar.monthrange(year, month)[1])
                items.append(DeadlineItem(kind="month", start=date(year, month, 1), due=last, raw=m.group(0)))
        except ValueError:
            continue
    if not items and (cell or "").strip():
        items.append(DeadlineItem(kind="unspecified", raw=" ".join(cell.split())))
    return items


def measure(normalize: Normalizer, gold_cases: list, phrase_cases: list) -> dict[str, Any]:
    cells = [(cell, ctx) for cell, ctx, _ in gold_cases + phrase_cases]
    normalize(*cells[0])  # load vocabularies and compile the grammar outside the timed runs
    seconds = speed(normalize, cells)
    return {
        "phrases_per_second": round(len(cells) / seconds, 1),
        "seconds_per_run": round(seconds, 4),
        "gold_deadline_f1": gold_f1(normalize, gold_cases),
        "phrase_accuracy": accuracy(normalize, phrase_cases),
    }


def run() -> dict[str, Any]:
    gold_cases, phrase_cases = load_cases()
    ours = measure(full, gold_cases, phrase_cases)
    base = measure(naive, gold_cases, phrase_cases)
    return {
        **ours,
        "phrases": len(gold_cases) + len(phrase_cases),
        "runs": RUNS,
        "baseline": base,
        "speed_ratio": round(ours["phrases_per_second"] / base["phrases_per_second"], 4),
        "scaling": scaling(lambda cell: normalize_deadline(cell, SCALING_CTX), SCALING_UNIT),  # bench/scaling.py
    }


SCALING_CTX = PlanContext(level="province", period_start=2026, period_end=2026, reference_date=date(2025, 12, 1))
SCALING_UNIT = "- Quý II/2026: báo cáo; tháng 5 và tháng 9/2026. Thường xuyên, hằng năm.\n"


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=1))
