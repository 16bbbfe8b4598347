"""The `plantasks` program: the pipeline's commands, the analysts' commands, and the corrections
store they share. The one place where the pipeline and the review tools meet."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from plantasks.pipeline import cli as pipeline_cli
from plantasks.review.apply import apply_corrections
from plantasks.review.cli import register as register_review_commands
from plantasks.schemas import DocumentResult


@dataclass(frozen=True)
class StoredCorrections:
    """The corrections store at `path` (review/store.py), as the pipeline's corrections stage uses it."""

    path: Path

    def apply(self, result: DocumentResult) -> DocumentResult:
        return apply_corrections(result, self.path)


def main(argv: list[str] | None = None) -> int:
    return pipeline_cli.main(argv, extra_commands=[register_review_commands], open_corrections=StoredCorrections)


def entry() -> None:
    sys.exit(main())
