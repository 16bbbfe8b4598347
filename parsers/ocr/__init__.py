"""OCR reader for scanned PDF pages and images (PNG, JPEG, TIFF).

Public API (imported lazily by the PDF reader and the dispatcher):

    ocr_pdf_pages(data, page_numbers, options) -> list[Block]      # 1-based pages, in the given order
    ocr_pdf(data, page_numbers, options) -> ParsedDocument        # the same blocks plus reader issues
    read_image(data, options) -> ParsedDocument                   # multi-page TIFF: one page per frame

Per page (page.py): the page image (raster.py: a scan's embedded image as is, else rendered by
pdfium; a photographed page given even light and a square sheet first, photo.py) is levelled
(deskew.py), its ruling lines found and fitted (rulings.py) and turned into table grids with merged
cells (grid.py), the lines erased, then Tesseract (tesseract.py, psm 6, native
resolution but at least 150 dpi) reads the page outside the tables in one run and every table cell
as a block of its own (cells.py: cells centred at their own heights, narrow columns), giving words
with boxes in page pixels and confidences, checked against
the glyphs where Tesseract is known to slip (glyphs.py: Roman quarter numerals counted on their
stems, closing marks no ink shows dropped). A page without a ruled table may hold one printed
without column lines: its rows whose cells stand at heights of their own are read again cut into
their cells (strips.py), and the table is found by word alignment under a header (aligned.py). Words go to grid cells
by their centres or form paragraphs outside tables (layout.py, paragraphs.py); text running across
a column line joins the cells it crosses (a section title under a grid printed through it);
doubtful row numbers (TT column) are read again in one small run over enlarged crops (recheck.py),
and so are cells read empty that hold ink (reread.py: pale print). A table continued on the next
page keeps its columns there: that page is laid out again in the open table's columns
(continuation.py). Typical glyph confusions are repaired (repair.py: confusions.yaml, and words
checked against lexicon.py).

Provenance boxes are (x0, top, x1, bottom): PDF points from the page's top-left corner for PDFs,
pixels of the original image for images. Cell.confidence is the cell's mean Tesseract word
confidence / 100 (1.0 for an empty cell). Pages run in parallel (options.ocr_workers, default one
per core), each with single-threaded Tesseract (OMP_THREAD_LIMIT=1); a page's table cells are shared
out among the same number of threads (tesseract.Readers), never more Tesseract runs at once.
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Iterable, TypeVar

from plantasks.parsers.blocks import Block, ParsedDocument, ReaderError, ReaderIssue
from plantasks.parsers.ocr.continuation import continue_tables
from plantasks.parsers.ocr.page import OcrSettings, PageResult, ocr_page
from plantasks.parsers.ocr.raster import PageImage, image_pages, pdf_page_images
from plantasks.parsers.ocr.tesseract import give_back_engines, require_tesseract, shared_readers

__all__ = ["OcrSettings", "ocr_pdf", "ocr_pdf_pages", "read_image", "ocr_page_images"]

T = TypeVar("T")
R = TypeVar("R")


def ocr_pdf_pages(data: bytes, page_numbers: list[int], options, settings: OcrSettings = OcrSettings()) -> list[Block]:
    return ocr_pdf(data, page_numbers, options, settings).blocks


def ocr_pdf(data: bytes, page_numbers: list[int], options, settings: OcrSettings = OcrSettings()) -> ParsedDocument:
    _check_page_limit(len(page_numbers), options)
    binary = require_tesseract(settings.lang)
    lock = threading.Lock()
    results = ocr_page_images(pdf_page_images(data, list(page_numbers), lock), options, settings, binary)
    return _document("pdf", results, page_count=None)


def read_image(data: bytes, options, settings: OcrSettings = OcrSettings()) -> ParsedDocument:
    binary = require_tesseract(settings.lang)
    pages = image_pages(data, options.max_pages)
    results = ocr_page_images(pages, options, settings, binary)
    return _document("image", results, page_count=len(pages))


def ocr_page_images(
    pages: Iterable[PageImage], options, settings: OcrSettings, binary: str | None = None
) -> list[PageResult]:
    binary = binary or require_tesseract(settings.lang)
    workers = options.ocr_workers or os.cpu_count() or 1

    def page(image: PageImage) -> PageResult:
        try:
            return ocr_page(image, settings, binary)
        finally:
            give_back_engines()

    with shared_readers(workers):
        return bounded_map(page, pages, workers)


def bounded_map(fn: Callable[[T], R], items: Iterable[T], workers: int) -> list[R]:
    """fn over items in `workers` threads (in the caller's context), results in input order, at most
    2*workers items in flight (so a 300-page PDF is not rasterized into memory all at once)."""
    results: list[R] = []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pending: deque[Future] = deque()
        for item in items:
            pending.append(pool.submit(contextvars.copy_context().run, fn, item))
            while len(pending) >= 2 * workers:
                results.append(pending.popleft().result())
        while pending:
            results.append(pending.popleft().result())
    return results


def _check_page_limit(count: int, options) -> None:
    if count > options.max_pages:
        raise ReaderError("too_many_pages", f"{count} pages to OCR; raise --max-pages (now {options.max_pages}) to read them")


def _document(format_name: str, results: list[PageResult], page_count: int | None) -> ParsedDocument:
    results = continue_tables(results)
    blocks: list[Block] = [b for r in results for b in r.blocks]
    issues: list[ReaderIssue] = [i for r in results for i in r.issues]
    return ParsedDocument(format=format_name, blocks=blocks, page_count=page_count, issues=issues)
