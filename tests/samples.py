"""The three sample plans, kept once: data/raw (what `make run` reads) as text, Word and PDF, with
their hand-checked gold in tests/fixtures/gold."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "raw"
GOLD = ROOT / "tests" / "fixtures" / "gold"
TEXT_SAMPLES = sorted(SAMPLES.glob("*.txt"))
