from plantasks.schemas.catalogue import CatalogueRow
from plantasks.schemas.output import (
    Agency,
    Deadline,
    DeadlineItem,
    DocumentMeta,
    DocumentResult,
    RunReport,
    Task,
    TaskLine,
    TaskSource,
    Warning,
    OUTPUT_MODELS,
    json_schema,
)

__all__ = [
    "CatalogueRow",
    "Agency", "Deadline", "DeadlineItem", "DocumentMeta", "DocumentResult",
    "Task", "TaskLine", "TaskSource", "RunReport", "Warning", "OUTPUT_MODELS", "json_schema",
]
