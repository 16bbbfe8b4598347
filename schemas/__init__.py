from plantasks.schemas.catalogue import CatalogueRow, catalogue_schema
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
    "CatalogueRow", "catalogue_schema",
    "Agency", "Deadline", "DeadlineItem", "DocumentMeta", "DocumentResult",
    "Task", "TaskSource", "Warning", "json_schema",
]
