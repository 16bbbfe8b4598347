"""The sample plan the review tests correct, extracted through the real CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

from plantasks.cli import main as plantasks_main
from plantasks.review.store import default_store_path
from plantasks.schemas import DocumentResult

REVIEW_PLAN = Path(__file__).parent / "fixtures" / "review" / "ke_hoach_mau.txt"


def extract(source: Path, out: Path) -> DocumentResult:
    """`plantasks extract`, re-applying the folder's corrections store (named explicitly) once there is one."""
    store = default_store_path(out)
    given = ["--corrections", str(store)] if store.exists() else []
    assert plantasks_main(["extract", str(source), "--out", str(out), *given, "--quiet"]) == 0
    return DocumentResult.model_validate_json((out / f"{source.name}.json").read_text(encoding="utf-8"))


def sample_run(tmp_path: Path) -> tuple[Path, Path, DocumentResult]:
    """A copy of the sample plan (so tests may change it) and its first extraction."""
    source = tmp_path / "src" / REVIEW_PLAN.name
    source.parent.mkdir()
    shutil.copy(REVIEW_PLAN, source)
    out = tmp_path / "out"
    return source, out, extract(source, out)
