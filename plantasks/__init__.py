"""plantasks: task records from Vietnamese government plan decisions.

The Python API (the `plantasks` command is a thin layer over it)::

    from plantasks import ExtractOptions, ReadOptions, extract_bytes, extract_file

    result = extract_file("plan.pdf")                       # a plantasks.schemas.DocumentResult
    for task in result.tasks:
        print(task.stt, task.content, [a.name for a in task.lead], task.deadline.raw)

    options = ExtractOptions(read=ReadOptions(ocr=False))   # e.g. no OCR of scanned pages
    result = extract_bytes(data, "plan.docx", options)      # bytes from anywhere (an upload, a queue)

Neither function raises on a bad document: a corrupt, encrypted, empty or unsupported input gives a
result with `document.status == "failed"` and a warning saying why.
"""

from __future__ import annotations

from os import PathLike
from typing import TYPE_CHECKING

__version__ = "0.1.0"
SCHEMA_VERSION = "1.0"

if TYPE_CHECKING:  # imported on first use, so `plantasks --version` stays quick
    from plantasks.parsers.read import ReadOptions
    from plantasks.pipeline.extract import ExtractOptions
    from plantasks.schemas import DocumentResult

__all__ = ["ExtractOptions", "ReadOptions", "extract_bytes", "extract_file", "__version__", "SCHEMA_VERSION"]


def extract_file(path: str | PathLike, options: ExtractOptions | None = None) -> DocumentResult:
    """Extract the task records of one plan document (PDF, scanned PDF, DOCX/DOC, HTML, text, image).

    `path` is read once; the format is recognised from the content, not the name. `options` sets the
    reader limits, OCR, the date for agency successors (`as_of`) and a corrections store to re-apply.
    Returns the validated `DocumentResult` (document metadata, tasks, warnings), the same record
    `plantasks extract` writes as DIR/NAME.json.
    """
    from pathlib import Path

    from plantasks.pipeline.extract import ExtractOptions, extract_file as run

    return run(Path(path), options or ExtractOptions()).result


def extract_bytes(data: bytes, name: str = "document", options: ExtractOptions | None = None) -> DocumentResult:
    """Like `extract_file` for bytes already in memory; `name` is recorded as the source file."""
    from plantasks.pipeline.extract import ExtractOptions, extract_bytes as run

    return run(data, name, options or ExtractOptions()).result


def __getattr__(name: str):
    if name == "ExtractOptions":
        from plantasks.pipeline.extract import ExtractOptions

        return ExtractOptions
    if name == "ReadOptions":
        from plantasks.parsers.read import ReadOptions

        return ReadOptions
    raise AttributeError(f"module 'plantasks' has no attribute {name!r}")
