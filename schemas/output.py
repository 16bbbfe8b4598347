"""The output contract: one `DocumentResult` per input document (field meanings: GOLD_SPEC)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from plantasks import SCHEMA_VERSION
from plantasks.schemas.codes import flag_codes, warning_codes

Level = Literal["national", "ministry", "province", "district", "commune"]
Area = Literal[
    "direction", "institutions", "procedures", "organization",
    "civil_service", "public_finance", "digital_government", "other",
]
DeadlineKind = Literal[
    "date", "month", "quarter", "half_year", "year", "period",
    "recurring", "continuous", "event", "reference", "unspecified",
]
Recurrence = Literal["monthly", "quarterly", "half_yearly", "nine_months", "yearly", "ad_hoc"]


from plantasks.schemas.catalogue import CatalogueRow  # noqa: E402  (a line of documents.jsonl)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Agency(_Model):
    text: str = Field(description="the mention as printed")
    name: str = Field(description="canonical name (GOLD_SPEC); the printed text when unmatched")
    id: str | None = Field(default=None, description="registry id, null when unmatched")
    kind: Literal["agency", "group", "unknown"] = "unknown"
    match: Literal["exact", "alias", "fuzzy", "none"] = "none"
    score: float = Field(default=0.0, ge=0, le=100)
    successor: str | None = Field(default=None, description="canonical name of the body holding the function today")


class DeadlineItem(_Model):
    label: str | None = None
    kind: DeadlineKind = "unspecified"
    start: date | None = None
    due: date | None = None
    recurrence: list[Recurrence] = Field(default_factory=list)
    raw: str = ""
    rule: str | None = Field(default=None, description="name of the rule that produced the item")
    confidence: float = Field(default=1.0, ge=0, le=1)


class Deadline(_Model):
    raw: str = ""
    items: list[DeadlineItem] = Field(default_factory=list)


class TaskSource(_Model):
    file: str | None = None
    page: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    bbox: list[float] | None = Field(default=None, description="x0, top, x1, bottom in PDF points")


class Task(_Model):
    id: str
    table: str
    section: str = ""
    area: Area = "other"
    stt: str = ""
    content: str
    outputs: list[str] = Field(default_factory=list)
    lead: list[Agency] = Field(default_factory=list)
    support: list[Agency] = Field(default_factory=list)
    deadline: Deadline = Field(default_factory=Deadline)
    funding: str | None = None
    extra: dict[str, str] = Field(default_factory=dict, description="cells of columns that feed no field "
                                  "(Theo dõi, Người đứng đầu chịu trách nhiệm, Tình trạng …), keyed by the printed header")
    source: TaskSource = Field(default_factory=TaskSource)
    confidence: float = Field(default=1.0, ge=0, le=1)
    flags: list[str] = Field(default_factory=list, description="codes of the registry (schemas/codes.yaml)",
                             json_schema_extra={"items": {"type": "string", "enum": list(flag_codes())}})
    corrected: list[str] = Field(default_factory=list, description="fields a person corrected")


class DocumentMeta(_Model):
    id: str = Field(description="sha256 prefix of the source bytes")
    source_file: str
    sha256: str
    doc_type: Literal["decision", "plan"] | None = None
    issuer: str | None = None
    level: Level | None = None
    province: str | None = None
    district: str | None = None
    decision_number: str | None = None
    decision_date: date | None = None
    plan_number: str | None = None
    plan_date: date | None = None
    title: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    signer: str | None = None
    truncated: bool = False
    status: Literal["success", "partial", "failed"] = "success"
    format: str | None = Field(default=None, description="detected input format: text, docx, pdf, scanned_pdf, image, html")
    page_count: int | None = None


class Warning(_Model):
    code: str = Field(description="a code of the registry (schemas/codes.yaml)",
                      json_schema_extra={"enum": list(warning_codes())})
    message: str
    source: TaskSource | None = None


class DocumentResult(_Model):
    schema_version: str = SCHEMA_VERSION
    document: DocumentMeta
    tasks: list[Task] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)


class TaskLine(Task):
    """One line of `tasks.jsonl`: a task with the document it came from."""

    document_id: str = Field(description="id of the document (DocumentMeta.id)")
    source_file: str = Field(description="the source file as the run was given it")


class RunDocument(_Model):
    file: str = Field(description="the input as given")
    output: str = Field(description="name of its DOC.json in the output folder ('' for a duplicate)")
    status: str = Field(description="success, partial, failed, timeout; unchanged (skipped: same bytes, tool, "
                                    "vocabularies and corrections as the catalogue's record), duplicate")
    tasks: int
    warnings: list[dict]
    timings: dict[str, float] = Field(description="seconds per stage")
    unknown_agency_rate: float | None = None
    kept_previous_output: bool = False
    duplicate_of: str | None = Field(default=None, description="for a duplicate: the input with the same bytes")


class RunReport(_Model):
    """`run.json`: what ran, per-document status, warnings and timings."""

    plantasks_version: str
    schema_version: str
    vocab_version: str = Field(description="hash of the vocabulary and rule files used")
    started: str
    seconds: float
    argv: list[str]
    counts: dict[str, int]
    stage_seconds: dict[str, float]
    missing_inputs: list[str]
    input_problems: list[str] = Field(default_factory=list, description="unreadable folders, broken links, symlink loops")
    stopped: str | None = Field(default=None, description="why the run stopped before the end (disk full, interrupted)")
    documents: list[RunDocument]


SCHEMA_BASE = "urn:plantasks:schema"
OUTPUT_MODELS: dict[str, type[BaseModel]] = {"document": DocumentResult, "task": TaskLine, "run": RunReport,
                                             "catalogue": CatalogueRow}


def json_schema(name: str = "document") -> dict:
    """The published JSON Schema of one output file (document: DOC.json, task: a tasks.jsonl line, run: run.json)."""
    schema = OUTPUT_MODELS[name].model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{SCHEMA_BASE}:{name}:{SCHEMA_VERSION}", **schema}
