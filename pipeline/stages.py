"""One document through the named stages, in this order:

    read -> tables -> metadata -> tasks -> corrections -> write

Each stage is a small function over typed values (`STAGES` lists them). `run_document` runs them
with a `Runner`, which records each stage's time and turns an unexpected exception inside a stage
into a warning on the document that names the stage (code `stage_failed`): the document goes on
with what the earlier stages produced, and a batch never stops for one document. A `ReaderError`
(a file that cannot be read, said in the user's terms) and running out of memory fail the document
instead; the batch's time limit is not an Exception and passes through.

Inputs are explicit: the plan's own date is the reference for every time-dependent rule, and
corrections are applied only from a store the caller passes in (`Corrections`); this package knows
nothing of how or where corrections are kept.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from plantasks.normalizers.context import PlanContext, plan_context
from plantasks.parsers.blocks import ParsedDocument, Provenance, ReaderError
from plantasks.parsers.metadata import extract_metadata
from plantasks.parsers.read import ReadOptions, read_document
from plantasks.pipeline.options import Corrections, ExtractOptions
from plantasks.pipeline.tables import Assembly, assemble_tables
from plantasks.pipeline.tasks import build_task
from plantasks.schemas import DocumentMeta, DocumentResult, Task, TaskSource, Warning

T = TypeVar("T")


@dataclass(frozen=True)
class Source:
    """The bytes of one input and where they came from."""

    data: bytes
    name: str  # the source file as the user gave it
    sha256: str

    @classmethod
    def of(cls, data: bytes, name: str) -> Source:
        return cls(data, name, hashlib.sha256(data).hexdigest())


@dataclass
class Outcome:
    result: DocumentResult
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.result.document.status == "failed"


# ---------------------------------------------------------------- the stages


def read(source: Source, options: ReadOptions) -> ParsedDocument:
    """Bytes -> blocks (text lines and table rows) with provenance, by the reader of the format."""
    return read_document(source.data, Path(source.name).name, options)


def tables(parsed: ParsedDocument) -> Assembly:
    """Blocks -> task tables (logical rows, sections) and the lines outside them."""
    return assemble_tables(parsed.blocks)


def metadata(source: Source, parsed: ParsedDocument, assembly: Assembly) -> tuple[DocumentMeta, list[Warning]]:
    """The plan's number, dates, issuer, place, period and title, from the lines outside tables."""
    times = [row.time for table in assembly.tables for row in table.rows]
    found = extract_metadata([line.text for line in assembly.body_lines], times)
    fields = {k: v for k, v in found.fields.items() if k in DocumentMeta.model_fields}
    meta = base_meta(source).model_copy(update={**fields, "truncated": assembly.truncated,
                                                "format": parsed.format, "page_count": parsed.page_count})
    notes = [Warning(code="metadata_note", message=n) for n in found.notes]
    return DocumentMeta.model_validate(meta.model_dump()), notes


def tasks(assembly: Assembly, source: Source, ctx: PlanContext, as_of: date | None) -> tuple[list[Task], list[Warning]]:
    """Task rows -> Task records. A row whose normalisation fails becomes a warning naming the row."""
    out: list[Task] = []
    warnings: list[Warning] = []
    for ti, table in enumerate(assembly.tables):
        for row in table.rows:
            try:
                out.append(build_task(row, table, ti, source.sha256, source.name, ctx, as_of))
            except MemoryError:
                raise
            except Exception as err:  # noqa: BLE001 - one row never costs the document its other tasks
                warnings.append(Warning(
                    code="stage_failed", source=_source(row.prov),
                    message=f"tasks: row {row.stt or row.position} of table {ti + 1} was not "
                            f"turned into a task ({type(err).__name__}: {err}); check it in the source"))
    return out, warnings


def corrections(result: DocumentResult, store: Corrections | None) -> DocumentResult:
    """The analysts' corrections for this document, from the store given (none: unchanged)."""
    return store.apply(result) if store is not None else result


def write(result: DocumentResult) -> str:
    """The document's JSON record (the file the batch writes as NAME.EXT.json)."""
    return result.model_dump_json(indent=1)


STAGES: tuple[Callable, ...] = (read, tables, metadata, tasks, corrections, write)


# ---------------------------------------------------------------- running them


class Runner:
    """Runs stages, timing each; an unexpected exception becomes a `stage_failed` warning."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.warnings: list[Warning] = []

    def run(self, stage: Callable[..., T], *args, fallback: T) -> T:
        name = stage.__name__
        start = time.perf_counter()
        try:
            return stage(*args)
        except (ReaderError, MemoryError):
            raise
        except Exception as err:  # noqa: BLE001 - a failing stage is reported on its document
            self.warnings.append(Warning(code="stage_failed", message=f"{name}: {type(err).__name__}: {err}; "
                                         "the document was finished without this stage's work"))
            return fallback
        finally:
            self.timings[name] = round(time.perf_counter() - start, 4)


def run_document(source: Source, options: ExtractOptions = ExtractOptions()) -> Outcome:
    runner = Runner()
    try:
        parsed = runner.run(read, source, options.read, fallback=None)
    except ReaderError as err:
        return Outcome(_failed(source, Warning(code=err.code, message=err.message)), runner.timings)
    if parsed is None:
        return Outcome(_failed(source, *runner.warnings), runner.timings)
    assembly = runner.run(tables, parsed, fallback=Assembly([], [], [], False))
    meta, meta_warnings = runner.run(metadata, source, parsed, assembly, fallback=(base_meta(source), []))
    found, task_warnings = runner.run(tasks, assembly, source, plan_context(meta, options.as_of), options.as_of, fallback=([], []))
    warnings = (reader_warnings(parsed) + runner.warnings + meta_warnings + task_warnings
                + assembly_warnings(assembly, found, parsed))
    meta = meta.model_copy(update={"status": document_status(found, assembly)})
    result = DocumentResult(document=meta, tasks=found, warnings=warnings)
    before = len(runner.warnings)
    result = runner.run(corrections, result, options.corrections, fallback=result)
    if len(runner.warnings) > before:
        result = result.model_copy(update={"warnings": result.warnings + runner.warnings[before:]})
    return Outcome(result, runner.timings)


def base_meta(source: Source) -> DocumentMeta:
    return DocumentMeta(id=source.sha256[:16], source_file=source.name, sha256=source.sha256)


def reader_warnings(parsed: ParsedDocument) -> list[Warning]:
    return [Warning(code=i.code, message=i.message, source=_source(i.prov)) for i in parsed.issues]


_PAGED_TEXT_HINT = ("; the text has page breaks (form feeds), as PDF-to-text tools write it: their reading order "
                    "(pdftotext without -layout, or -raw) scatters a table's cells, so read the PDF itself or text "
                    "made with pdftotext -layout")


def assembly_warnings(assembly: Assembly, found: list[Task], parsed: ParsedDocument | None = None) -> list[Warning]:
    out = [Warning(code=l.code, message=l.message, source=_source(l.prov)) for l in assembly.leftovers]
    if not assembly.tables:
        paged_text = parsed is not None and parsed.format == "text" and parsed.page_count > 1
        out.append(Warning(code="no_task_table", message="no task table found (no header row with TT / Nội dung / "
                           "Chủ trì / Thời gian columns)" + (_PAGED_TEXT_HINT if paged_text else "")))
    elif not found:
        out.append(Warning(code="no_tasks", message="task tables were found but none of their rows is a task"))
    if assembly.truncated:
        out.append(Warning(code="truncated", message="the text stops inside a table: the last row is incomplete"))
    return out


def document_status(found: list[Task], assembly: Assembly) -> str:
    return "partial" if not found or assembly.truncated else "success"


def _failed(source: Source, *warnings: Warning) -> DocumentResult:
    meta = base_meta(source).model_copy(update={"status": "failed"})
    return DocumentResult(document=meta, warnings=list(warnings))


def _source(prov: Provenance | None) -> TaskSource | None:
    if prov is None:
        return None
    return TaskSource(page=prov.page, line_start=prov.line_start, line_end=prov.line_end,
                      bbox=list(prov.bbox) if prov.bbox else None)
