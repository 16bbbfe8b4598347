"""What every reader produces: the document as an ordered stream of text lines and table rows.

Readers (text, DOCX, PDF, OCR, HTML) differ only in how they find these blocks; stitching tables
across pages, metadata and normalization are shared stages downstream.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Provenance:
    page: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    bbox: tuple[float, float, float, float] | None = None

    def span(self, other: "Provenance") -> "Provenance":
        """The smallest provenance covering self and a later block."""
        return Provenance(
            page=self.page if self.page is not None else other.page,
            line_start=self.line_start if self.line_start is not None else other.line_start,
            line_end=other.line_end if other.line_end is not None else self.line_end,
            bbox=self.bbox if self.page != other.page else _union(self.bbox, other.bbox),
        )


def _union(a, b):
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


@dataclass(frozen=True)
class Cell:
    """One table cell; line breaks inside the cell are kept as '\\n'."""

    text: str
    prov: Provenance = Provenance()
    confidence: float = 1.0


@dataclass(frozen=True)
class TextLine:
    """A line (or paragraph) of body text outside any table."""

    text: str
    prov: Provenance = Provenance()


@dataclass(frozen=True)
class TableRow:
    """One physical table row as the reader saw it (before header/section/continuation logic)."""

    cells: tuple[Cell, ...]
    prov: Provenance = Provenance()

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


Block = TextLine | TableRow


@dataclass(frozen=True)
class ReaderIssue:
    code: str
    message: str
    prov: Provenance | None = None


@dataclass
class ParsedDocument:
    """The reader's output: blocks in reading order plus what the reader noticed."""

    format: str
    blocks: list[Block] = field(default_factory=list)
    page_count: int | None = None
    issues: list[ReaderIssue] = field(default_factory=list)

    @property
    def text_lines(self) -> list[TextLine]:
        return [b for b in self.blocks if isinstance(b, TextLine)]


class ReaderError(Exception):
    """A document that cannot be read at all (corrupt, encrypted, empty, too large)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
