"""What a caller can set for an extraction (`ExtractOptions`) and what a corrections store provides
(`Corrections`), apart from the stages themselves: the batch decides what to redo, and a re-run with
nothing to redo finishes, without loading the readers, normalizers and vocabularies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from plantasks.parsers.read import ReadOptions

if TYPE_CHECKING:
    from plantasks.schemas import DocumentResult


class Corrections(Protocol):
    """A corrections store: gives back the result with the analysts' corrections for its document."""

    def apply(self, result: DocumentResult) -> DocumentResult: ...

    def fingerprint(self, sha256: str, source: str) -> str:
        """A digest of the live corrections for one document ("" when none): a new or withdrawn correction
        makes an otherwise unchanged file worth redoing."""
        ...


@dataclass(frozen=True)
class ExtractOptions:
    """How to extract: `read` (size/page limits, OCR), `as_of` (the reference date of plans that carry
    none of their own), `corrections` (a store whose live corrections are re-applied; none by default)."""

    read: ReadOptions = ReadOptions()
    as_of: date | None = None
    corrections: Corrections | None = None
