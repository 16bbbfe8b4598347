"""Quality floor on the hand-checked gold (same metrics as the reference scorer), per input format.

The thresholds are the issues' acceptance levels; a change that drops below them fails here.
"""

import shutil
from pathlib import Path

import pytest

from plantasks.cli import main
from plantasks.review.evaluate import score_run
from samples import SAMPLES, TEXT_SAMPLES

FIXTURES = Path(__file__).parent / "fixtures"
GOLD = FIXTURES / "gold"

FLOORS = {
    "row_f1": 0.99, "content": 0.97, "stt": 0.98, "section": 0.98, "area": 0.98, "outputs_f1": 0.95,
    "lead_f1": 0.98, "support_f1": 0.96, "deadline_f1": 0.98,
}


def run_and_score(inputs: list[Path], tmp_path: Path) -> dict:
    out = tmp_path / "out"
    assert main(["extract", *map(str, inputs), "--out", str(out), "--quiet"]) == 0
    return score_run(GOLD, out)


def test_text_plans_meet_every_floor(tmp_path):
    report = run_and_score(TEXT_SAMPLES, tmp_path)
    total = report["total"]
    assert {k: total[k] for k in FLOORS if total[k] < FLOORS[k]} == {}
    assert total["deadline_raw"] >= 0.98
    assert all(doc["meta"] >= 0.9 for doc in report["docs"])


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_docx_and_text_pdf_score_like_text(fmt, tmp_path):
    inputs = sorted(SAMPLES.glob(f"*_*.{fmt}"))
    inputs = [p for p in inputs if (GOLD / f"{p.stem}.meta.json").exists()]
    if not inputs:
        pytest.fail(f"no sample plans as .{fmt} in data/raw")
    total = run_and_score(inputs, tmp_path)["total"]
    assert {k: total[k] for k in FLOORS if total[k] < FLOORS[k]} == {}
