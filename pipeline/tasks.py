"""Logical task rows -> validated Task records (normalizers applied)."""

from __future__ import annotations

import hashlib
from datetime import date

from plantasks.normalizers.context import PlanContext
from plantasks.normalizers.text import collapse, split_items
from plantasks.pipeline.normalize import agencies_of, area_of, deadline_of
from plantasks.pipeline.tables import EXTRA_PREFIX, AppendixTable, TaskRow, sentence_case_keep
from plantasks.schemas import Task, TaskSource

LOW_CONFIDENCE = 0.8  # mean Tesseract word confidence of the weakest cell


def task_id(sha256: str, table: AppendixTable, table_index: int, row: TaskRow) -> str:
    key = f"{sha256}|{table_index}|{table.label}|{row.position}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def build_task(row: TaskRow, table: AppendixTable, table_index: int, sha256: str, source_file: str,
               ctx: PlanContext, as_of: date | None) -> Task:
    cells = row.cells
    flags = list(row.flags)
    section = row.section if table.has_sections and row.section else _appendix_section(table)
    lead, support, agency_flags = agencies_of(cells, ctx, as_of)
    deadline, deadline_flags = deadline_of(row.time, ctx)
    flags += agency_flags + deadline_flags
    content = collapse(cells.get("content", ""))
    if not content:
        flags.append("empty_content")
    if row.confidence < LOW_CONFIDENCE:
        flags.append("low_ocr_confidence")
    funding = collapse(cells.get("funding", "")) or None
    return Task(
        id=task_id(sha256, table, table_index, row),
        table=table.label,
        section=section,
        area=area_of(section, ctx.title),
        stt=row.stt,
        content=content,
        outputs=split_items(cells.get("outputs", "")),
        lead=lead,
        support=support,
        deadline=deadline,
        funding=funding,
        extra={k[len(EXTRA_PREFIX):]: collapse(v) for k, v in cells.items() if k.startswith(EXTRA_PREFIX) and v.strip()},
        source=TaskSource(file=source_file, page=row.prov.page, line_start=row.prov.line_start,
                          line_end=row.prov.line_end, bbox=list(row.prov.bbox) if row.prov.bbox else None),
        confidence=round(row.confidence, 3),
        flags=list(dict.fromkeys(flags)),
    )


def _appendix_section(table: AppendixTable) -> str:
    return sentence_case_keep(table.title) if table.title else ""


