"""One document through the named stages: read -> tables -> metadata -> tasks -> corrections."""

from __future__ import annotations

import hashlib
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from plantasks.normalizers.context import PlanContext
from plantasks.parsers.metadata import extract_metadata
from plantasks.parsers.blocks import ParsedDocument, Provenance, ReaderError
from plantasks.parsers.read import ReadOptions, read_document
from plantasks.pipeline.tables import Assembly, assemble_tables
from plantasks.pipeline.tasks import build_tasks
from plantasks.schemas import DocumentMeta, DocumentResult, TaskSource, Warning


@dataclass(frozen=True)
class ExtractOptions:
    """How to extract: `read` (size/page limits, OCR), `as_of` (report each agency's successor valid on
    that date), `corrections` (a corrections store whose live corrections are re-applied, when it exists)."""

    read: ReadOptions = ReadOptions()
    as_of: date | None = None
    corrections: Path | None = None  # corrections store to re-apply, when it exists


@dataclass
class Outcome:
    result: DocumentResult
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.result.document.status == "failed"


class _Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(time.perf_counter() - start, 4)


def extract_file(path: Path, options: ExtractOptions = ExtractOptions()) -> Outcome:
    data = path.read_bytes()
    return extract_bytes(data, str(path), options)


def extract_bytes(data: bytes, source_file: str, options: ExtractOptions = ExtractOptions()) -> Outcome:
    timer = _Timer()
    sha = hashlib.sha256(data).hexdigest()
    base = DocumentMeta(id=sha[:16], source_file=source_file, sha256=sha)
    try:
        with timer.stage("read"):
            parsed = read_document(data, Path(source_file).name, options.read)
    except ReaderError as err:
        failed = base.model_copy(update={"status": "failed"})
        return Outcome(DocumentResult(document=failed, warnings=[Warning(code=err.code, message=err.message)]), timer.timings)
    with timer.stage("tables"):
        assembly = assemble_tables(parsed.blocks)
    with timer.stage("metadata"):
        meta, meta_warnings = document_meta(base, parsed, assembly)
    ctx = plan_context(meta, options.as_of)
    with timer.stage("tasks"):
        tasks = build_tasks(assembly.tables, sha, source_file, ctx, options.as_of)
    warnings = reader_warnings(parsed) + meta_warnings + assembly_warnings(assembly, tasks)
    meta = meta.model_copy(update={"status": document_status(tasks, warnings, assembly)})
    result = DocumentResult(document=meta, tasks=tasks, warnings=warnings)
    if options.corrections and options.corrections.exists():
        with timer.stage("corrections"):
            from plantasks.review.apply import apply_corrections

            result = apply_corrections(result, options.corrections)
    return Outcome(result, timer.timings)


def document_meta(base: DocumentMeta, parsed: ParsedDocument, assembly: Assembly) -> tuple[DocumentMeta, list[Warning]]:
    found = extract_metadata([line.text for line in assembly.body_lines])
    fields = {k: v for k, v in found.fields.items() if k in DocumentMeta.model_fields}
    meta = base.model_copy(update={**fields, "truncated": assembly.truncated,
                                   "format": parsed.format, "page_count": parsed.page_count})
    notes = [Warning(code="metadata_note", message=n) for n in found.notes]
    return DocumentMeta.model_validate(meta.model_dump()), notes


def plan_context(meta: DocumentMeta, as_of: date | None = None) -> PlanContext:
    """Time-dependent rules read the plan's own date, else the date the user gave (--as-of)."""
    return PlanContext(level=meta.level, province=meta.province, district=meta.district,
                       period_start=meta.period_start, period_end=meta.period_end,
                       reference_date=meta.decision_date or meta.plan_date or as_of)


def reader_warnings(parsed: ParsedDocument) -> list[Warning]:
    return [Warning(code=i.code, message=i.message, source=_source(i.prov)) for i in parsed.issues]


def assembly_warnings(assembly: Assembly, tasks) -> list[Warning]:
    out = [Warning(code=l.code, message=l.message, source=_source(l.prov)) for l in assembly.leftovers]
    if not assembly.tables:
        out.append(Warning(code="no_task_table", message="no task table found (no header row with TT / Nội dung / Chủ trì / Thời gian columns)"))
    elif not tasks:
        out.append(Warning(code="no_tasks", message="task tables were found but none of their rows is a task"))
    if assembly.truncated:
        out.append(Warning(code="truncated", message="the text stops inside a table: the last row is incomplete"))
    return out


def document_status(tasks, warnings: list[Warning], assembly: Assembly) -> str:
    if not tasks or assembly.truncated:
        return "partial"
    return "success"


def _source(prov: Provenance | None) -> TaskSource | None:
    if prov is None:
        return None
    return TaskSource(page=prov.page, line_start=prov.line_start, line_end=prov.line_end,
                      bbox=list(prov.bbox) if prov.bbox else None)
