"""Bytes -> ParsedDocument: pick the reader by looking at the content, not the file name."""

from __future__ import annotations

from dataclasses import dataclass

from plantasks.parsers.blocks import ParsedDocument, ReaderError


@dataclass(frozen=True)
class ReadOptions:
    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 300
    max_unpacked_bytes: int = 500 * 1024 * 1024  # DOCX/zip members, against zip bombs
    ocr: bool = True
    ocr_workers: int | None = None  # None: one per core


def read_document(data: bytes, name: str = "", options: ReadOptions = ReadOptions()) -> ParsedDocument:
    if not data.strip():
        raise ReaderError("empty", "the file is empty")
    if len(data) > options.max_bytes:
        raise ReaderError("too_large", f"the file is {len(data)} bytes; raise --max-bytes to read it")
    from plantasks.parsers.text_reader import read_text

    return read_text(data)
