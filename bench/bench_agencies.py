"""Agency resolution: speed (mentions per second) and what each optional part buys in accuracy.

run() -> {
  "mentions_per_second": median over runs of resolving every corpus and gold cell,
  "cells_per_second", "runs",
  "accuracy": {variant: {"corpus": share of corpus cases right, "gold_lead_f1", "gold_support_f1"}},
  "speed_ratio": {variant: mentions/second of the variant / full}
}
Variants switch off one part at a time: spaCy spotting, underthesea noun-phrase filter, fuzzy.
The baseline ("plain") has none of them: registry look-ups and cell splitting only.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scaling import scaling  # noqa: E402 - the shared long-cell measurement next to this file

from plantasks.normalizers.agencies import Options, resolve_agencies
from plantasks.normalizers.context import PlanContext

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "agencies.yaml"
GOLD = ROOT / "tests" / "corpus" / "agencies_gold.yaml"
RUNS = 5
VARIANTS = {
    "full": Options(),
    "no_spacy": Options(spot=False),
    "no_underthesea": Options(pos_filter=False),
    "no_fuzzy": Options(fuzzy=False),
    "plain": Options(spot=False, pos_filter=False, fuzzy=False),
}


def _corpus_cases():
    data = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    for section in data["sections"]:
        ctx = PlanContext(**section["context"])
        for case in section["cases"]:
            yield section, ctx, case


def _gold_cells():
    data = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    for doc in data["documents"]:
        c = doc["context"]
        ctx = PlanContext(level=c["level"], province=c["province"], district=c["district"],
                          period_start=c["period_start"], period_end=c["period_end"])
        for row in doc["rows"]:
            yield ctx, row


def corpus_accuracy(options: Options) -> float:
    right = total = 0
    for section, ctx, case in _corpus_cases():
        column = section.get("column", "lead")
        as_of = section.get("as_of") or date(2024, 6, 1)
        total += 1
        if isinstance(case, dict):
            res = resolve_agencies(case["text"], column, ctx, as_of, options)
            if "successor" in case:
                ok = [(a.name, a.successor) for a in res.lead] == [(case["name"], case["successor"])]
            else:
                ok = [a.name for a in res.lead] == case["lead"] and [a.name for a in res.support] == case["support"]
        else:
            text, expected = case
            expected = expected if isinstance(expected, list) else [expected]
            res = resolve_agencies(text, column, ctx, as_of, options)
            ok = [a.name for a in res.lead] == expected
            if ok and section.get("unknown"):
                ok = all(a.match == "none" for a in res.lead)
        right += ok
    return right / total


def gold_f1(options: Options) -> dict[str, float]:
    counts = {k: [0, 0, 0] for k in ("lead", "support")}
    for ctx, row in _gold_cells():
        if "performer" in row:
            res = resolve_agencies(row["performer"], "performer", ctx, None, options)
            got = {"lead": res.lead, "support": res.support}
        else:
            got = {
                "lead": resolve_agencies(row["lead_cell"], "lead", ctx, None, options).lead if row["lead_cell"] else [],
                "support": resolve_agencies(row["support_cell"], "support", ctx, None, options).support if row["support_cell"] else [],
            }
        for key in counts:
            g, e = {a.name for a in got[key]}, set(row[key])
            counts[key][0] += len(g & e)
            counts[key][1] += len(g - e)
            counts[key][2] += len(e - g)
    return {f"gold_{k}_f1": round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0 for k, (tp, fp, fn) in counts.items()}


def _workload() -> list[tuple[str, str, PlanContext]]:
    cells = []
    for section, ctx, case in _corpus_cases():
        cells.append((case["text"] if isinstance(case, dict) else case[0], section.get("column", "lead"), ctx))
    for ctx, row in _gold_cells():
        if "performer" in row:
            cells.append((row["performer"], "performer", ctx))
        else:
            cells += [(row[k], col, ctx) for k, col in (("lead_cell", "lead"), ("support_cell", "support")) if row[k]]
    return cells


def throughput(options: Options, cells, runs: int = RUNS) -> tuple[float, float]:
    """Median mentions/second and cells/second over `runs` passes (after one warm-up pass)."""
    as_of = date(2026, 1, 1)
    mentions = 0
    for text, column, ctx in cells:
        res = resolve_agencies(text, column, ctx, as_of, options)
        mentions += len(res.lead) + len(res.support)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for text, column, ctx in cells:
            resolve_agencies(text, column, ctx, as_of, options)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    return mentions / median, len(cells) / median


def run() -> dict:
    cells = _workload()
    speed = {name: throughput(opts, cells) for name, opts in VARIANTS.items()}
    accuracy = {
        name: {"corpus": round(corpus_accuracy(opts), 4), **gold_f1(opts)} for name, opts in VARIANTS.items()
    }
    full_mps, full_cps = speed["full"]
    return {
        "mentions_per_second": round(full_mps, 1),
        "cells_per_second": round(full_cps, 1),
        "runs": RUNS,
        "cells": len(cells),
        "accuracy": accuracy,
        "speed_ratio": {name: round(mps / full_mps, 3) for name, (mps, _) in speed.items()},
        "scaling": scaling(lambda cell: resolve_agencies(cell, "performer", SCALING_CTX), SCALING_UNIT),  # bench/scaling.py
    }


SCALING_CTX = PlanContext(level="province", period_start=2026, period_end=2026, reference_date=date(2025, 12, 1))
SCALING_UNIT = "Sở Nội vụ, Sở Tư pháp và các cơ quan, địa phương liên quan; vụ pháp chế, thanh tra, "


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))
