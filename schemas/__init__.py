from plantasks.schemas.output import (
    Agency,
    Deadline,
    DeadlineItem,
    DocumentMeta,
    DocumentResult,
    Task,
    TaskSource,
    Warning,
    json_schema,
)

__all__ = [
    "Agency", "Deadline", "DeadlineItem", "DocumentMeta", "DocumentResult",
    "Task", "TaskSource", "Warning", "json_schema",
]
