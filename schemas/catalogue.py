"""One row of an output folder's catalogue (`catalogue.sqlite`, table `documents`; one line of
`documents.jsonl`). Readers of the folder (the review service, downstream ingesters) validate against it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class CatalogueRow(BaseModel):
    source_path: str = Field(description="absolute path of the input; undecodable bytes escaped as \\xNN")
    sha256: str = Field(description="sha256 of the bytes the recorded output was made from")
    size: int = Field(description="file size in bytes when read (-1: unknown)")
    mtime_ns: int = Field(description="file modification time in ns when read (-1: unknown)")
    tool_version: str = Field(description="plantasks version that produced the output")
    vocab_version: str = Field(description="hash of the vocabulary and rule files that produced the output")
    corrections: str = Field(description="fingerprint of the analyst corrections applied to the output ('' for none)")
    status: Literal["success", "partial", "failed", "timeout", "duplicate"]
    duplicate_of: str | None = Field(None, description="for a duplicate: the source_path whose output it shares")
    output: str = Field(description="per-document JSON file inside the folder ('' for a duplicate)")
    document_id: str = Field(description="the document id inside that output ('' for a duplicate)")
    tasks: int = Field(description="number of tasks in the output")
    warnings: int = Field(description="number of warnings in the output")
    message: str = Field(description="first warning as 'code: message' (why it failed or is partial)")
    last_error: str = Field(description="a later failed attempt on changed bytes, as 'status: code: message'; "
                                        "the earlier good record was kept")
    updated: str = Field(description="UTC time of the last write (ISO 8601)")
    run_id: str = Field(description="the run that wrote the row")
