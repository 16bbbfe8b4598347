"""Request and response bodies of the HTTP service (`plantasks serve`); its OpenAPI is generated from these.

Requests are strict: a value of the wrong type is refused with 422 naming the field (`lead: [5, null]`
is an error, never an emptied lead), unknown fields are refused, and a deadline item starting after it
is due is refused.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, StringConstraints, model_validator

from plantasks.schemas.output import Area, DeadlineKind, Recurrence, TaskLine

Text = Annotated[StrictStr, StringConstraints(max_length=20_000)]
Short = Annotated[StrictStr, StringConstraints(max_length=500)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AgencyValue(_Strict):
    """An agency as the page holds it; only `name` (and the printed `text`) matter to a correction."""

    model_config = ConfigDict(extra="ignore")
    name: Short
    text: Short = ""
    id: Short | None = None
    kind: Literal["agency", "group", "unknown"] = "unknown"
    match: Literal["exact", "alias", "fuzzy", "none"] = "none"
    score: float = Field(default=0.0, ge=0, le=100)
    successor: Short | None = None


class DeadlineItemValue(_Strict):
    model_config = ConfigDict(extra="ignore")
    label: Short | None = None
    kind: DeadlineKind = "unspecified"
    start: date | None = None
    due: date | None = None
    recurrence: list[Recurrence] = Field(default_factory=list)
    raw: Text = ""

    @model_validator(mode="after")
    def _start_before_due(self):
        if self.start and self.due and self.start > self.due:
            raise ValueError(f"ngày bắt đầu {self.start} sau hạn {self.due}")
        return self


class DeadlineValue(_Strict):
    raw: Text = ""
    items: list[DeadlineItemValue] | None = None


class TaskFields(_Strict):
    """The fields of one task an analyst changed (only those given are stored)."""

    content: Text = None  # type: ignore[assignment]  # a given content must be a non-empty string
    outputs: list[Text] = None  # type: ignore[assignment]
    lead: list[AgencyValue | Short] = None  # type: ignore[assignment]
    support: list[AgencyValue | Short] = None  # type: ignore[assignment]
    deadline: DeadlineValue | Text = None  # type: ignore[assignment]
    stt: Short = None  # type: ignore[assignment]
    section: Text = None  # type: ignore[assignment]
    area: Area = None  # type: ignore[assignment]
    funding: Short | None = None
    table: Short = None  # type: ignore[assignment]  # an added task's table

    @model_validator(mode="after")
    def _content_not_empty(self):
        if "content" in self.model_fields_set and not self.content.strip():
            raise ValueError("nội dung không được để trống (muốn bỏ nhiệm vụ thì xóa nhiệm vụ)")
        return self

    def given(self) -> dict:
        data = self.model_dump(mode="json", exclude_unset=True)
        if isinstance(self.deadline, DeadlineValue) and self.deadline.items is None:
            data["deadline"] = {"raw": self.deadline.raw}
        return data


class TaskEditIn(_Strict):
    task: Annotated[StrictStr, StringConstraints(min_length=1, max_length=200)]
    version: Short | None = Field(default=None, description="the task's version when the analyst loaded it")
    fields: TaskFields = Field(default_factory=TaskFields)
    accepted: StrictBool | None = None


class DeletedTaskIn(_Strict):
    task: Annotated[StrictStr, StringConstraints(min_length=1, max_length=200)]
    version: Short | None = Field(default=None, description="the task's version when the analyst loaded it")


class AddedTaskIn(_Strict):
    after: Short | None = None
    fields: TaskFields


class SaveIn(_Strict):
    doc: Annotated[StrictStr, StringConstraints(min_length=1, max_length=200)]
    who: Short = ""
    note: Text = ""
    edits: list[TaskEditIn] = Field(default_factory=list, max_length=5000)
    added: list[AddedTaskIn] = Field(default_factory=list, max_length=1000)
    deleted: list[Short | DeletedTaskIn] = Field(
        default_factory=list, max_length=5000,
        description="tasks to delete: an id, or {task, version} so that a task changed meanwhile is refused (409)")


class WithdrawIn(_Strict):
    doc: Annotated[StrictStr, StringConstraints(min_length=1, max_length=200)]
    ids: list[StrictInt] = Field(min_length=1, max_length=5000)
    who: Short = ""


class ApiTask(TaskLine):
    """A task as the API serves it: corrections applied, with its version and when it last changed."""

    version: str = Field(description="changes whenever the task's content changes; send it back when saving")
    updated: str = Field(description="UTC time (ISO 8601) this version was first served")


class RemovedTask(_Strict):
    """A task the service served before and no longer has: deleted by an analyst, dropped by a new
    extraction of its document, or its document removed from the folder. Delete it downstream."""

    document_id: str
    id: str
    deleted: Literal[True] = True
    updated: str = Field(description="UTC time (ISO 8601) the service first saw the task gone")


class TaskPage(_Strict):
    tasks: list[ApiTask | RemovedTask] = Field(description="changed tasks, and removed ones marked `deleted: true`")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")
    sync_cursor: str | None = Field(description="on the last page, the position after the last task: pass it as "
                                                "`cursor` next time to get only the tasks changed since")


class DocumentSummary(_Strict):
    id: str
    label: str = Field(description="number and title, as people name the plan")
    title: str | None
    number: str | None
    date: str | None
    issuer: str | None
    file: str
    source_file: str
    format: str | None
    status: str
    tasks: int
    flagged: int
    accepted: int
    conflicts: int
    updated: str | None


class DocumentList(_Strict):
    documents: list[DocumentSummary]


class Job(_Strict):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    file: str
    document_id: str | None = None
    error: str | None = None


class ErrorBody(_Strict):
    error: str
    field: str | None = None
    detail: list | dict | None = None
