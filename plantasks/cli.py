"""The `plantasks` program: the pipeline's commands, the analysts' and the service's commands, and the
corrections store they share. The one place where the pipeline and the review tools meet."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from plantasks.pipeline import cli as pipeline_cli
from plantasks.pipeline.service_options import register as register_serve
from plantasks.review.cli import register as register_review_commands

if TYPE_CHECKING:
    from plantasks.schemas import DocumentResult


@dataclass(frozen=True)
class StoredCorrections:
    """The corrections store at `path` (review/store.py) as the pipeline's corrections stage uses it;
    created empty when it does not exist yet."""

    path: Path

    def __post_init__(self) -> None:
        if not self.path.exists():
            from plantasks.review.store import CorrectionStore

            CorrectionStore(self.path)

    def apply(self, result: DocumentResult) -> DocumentResult:
        from plantasks.review.apply import apply_corrections

        return apply_corrections(result, self.path)

    def fingerprint(self, sha256: str, source: str) -> str:
        from plantasks.review.apply import document_name
        from plantasks.review.store import CorrectionStore

        found = CorrectionStore(self.path, read_only=True).for_document(sha256, document_name(source))
        if not found:
            return ""
        return hashlib.sha1(json.dumps([(c.id, c.status, c.at) for c in found]).encode()).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    return pipeline_cli.main(argv, extra_commands=[register_review_commands, register_serve],
                             open_corrections=StoredCorrections)


def entry() -> None:
    try:
        code = main()
    except KeyboardInterrupt:
        print("plantasks: interrupted", file=sys.stderr)
        code = 130
    if sys.argv[1:2] == ["extract"]:
        _exit_now(code)
    sys.exit(code)


def _exit_now(code: int) -> None:
    """Exit without the interpreter's teardown, which frees every object of the loaded vocabularies
    and models one by one: about 0.1 s, a tenth of a re-run with a few changed plans. A batch has
    closed what it opened by now (workers ended, catalogue and files closed); only the printed text is
    still to be written out. (The service's commands exit as usual: a job in flight finishes first.)"""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader of the output went away (plantasks ... | head)
        code = code or 1
    os._exit(code)
