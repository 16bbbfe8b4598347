"""Reading an output folder of `plantasks extract` and the view an analyst reviews."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from plantasks.review.apply import Conflict, apply_with_conflicts, document_name, restore_extracted
from plantasks.review.store import CorrectionStore
from plantasks.schemas import DocumentResult

NOT_DOCUMENTS = {"run.json"}


def read_output(path: Path) -> DocumentResult | None:
    """One DOC.json, or None when the file is not a document result (run.json, a foreign JSON)."""
    if path.name in NOT_DOCUMENTS:
        return None
    try:
        return DocumentResult.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValidationError, ValueError, OSError):
        return None


def load_outputs(out_dir: Path) -> list[tuple[Path, DocumentResult]]:
    found = ((p, read_output(p)) for p in sorted(Path(out_dir).glob("*.json")))
    return [(p, r) for p, r in found if r is not None]


def extracted(result: DocumentResult, store: CorrectionStore) -> DocumentResult:
    """The result as extracted, with what an earlier run applied from the store undone."""
    meta = result.document
    history = store.for_document(meta.sha256, document_name(meta.source_file), statuses=None)
    return restore_extracted(result, history)


def review_view(extracted_result: DocumentResult, store: CorrectionStore) -> tuple[DocumentResult, list[Conflict]]:
    """What the analyst sees: the extracted result with the store's live corrections applied now."""
    meta = extracted_result.document
    live = store.for_document(meta.sha256, document_name(meta.source_file))
    return apply_with_conflicts(extracted_result, live)
