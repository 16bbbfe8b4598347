"""Library entry points: one file or one byte string through the stages of `pipeline.stages`."""

from __future__ import annotations

from pathlib import Path

from plantasks.pipeline.stages import ExtractOptions, Outcome, Source, run_document

__all__ = ["ExtractOptions", "Outcome", "extract_bytes", "extract_file"]


def extract_file(path: Path, options: ExtractOptions = ExtractOptions()) -> Outcome:
    return extract_bytes(path.read_bytes(), str(path), options)


def extract_bytes(data: bytes, source_file: str, options: ExtractOptions = ExtractOptions()) -> Outcome:
    return run_document(Source.of(data, source_file), options)
