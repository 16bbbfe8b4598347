"""read_pdf: open the PDF, read its pages, send pages without a text layer to OCR, report errors as data."""

from __future__ import annotations

from plantasks.parsers.blocks import Block, ParsedDocument, Provenance, ReaderError, ReaderIssue
from plantasks.parsers.page_furniture import furniture_note, running_lines
from plantasks.parsers.pdf.page import PageLayout, PageWords, TextColumns, lay_out, layout_blocks, read_page
from plantasks.parsers.pdf.words import words_to_lines
from plantasks.parsers.pdf.paragraphs import join_across_pages


def read_pdf(data: bytes, options) -> ParsedDocument:
    """Read a PDF (see the package docstring); scanned pages go to OCR when it is available."""
    pdf = _open(data)
    try:
        count = _page_count(pdf, options)
        read, no_text, issues = _read_pages(pdf, count)
    finally:
        pdf.close()
    _drop_furniture(read, issues)
    pages = _lay_out_pages(read, options, issues)
    margins = TextColumns()
    for layout in pages.values():
        margins.add(layout)
    blocks_by_page = {n: layout_blocks(layout, margins) for n, layout in pages.items()}
    if no_text:
        blocks_by_page.update(_ocr_pages(data, no_text, options, issues))
    blocks = join_across_pages([block for n in sorted(blocks_by_page) for block in blocks_by_page[n]])
    if not blocks:
        raise _nothing_read(issues)
    return ParsedDocument(format="pdf", blocks=blocks, page_count=count, issues=issues)


def _open(data: bytes):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        code = getattr(err, "err_code", None)
        if code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise ReaderError("encrypted", "the PDF is password-protected: open it with the password and save an "
                              "unprotected copy (Print to PDF)") from None
        raise ReaderError("corrupt", "the file is not a readable PDF (damaged or incomplete): download it "
                          "again") from None


def _page_count(pdf, options) -> int:
    count = len(pdf)
    if count == 0:
        raise ReaderError("empty", "the PDF has no pages: check that the file is complete")
    if count > options.max_pages:
        raise ReaderError("too_many_pages", f"the PDF has {count} pages, more than the limit of "
                          f"{options.max_pages}; raise --max-pages to read it")
    return count


def _read_pages(pdf, count: int) -> tuple[dict[int, PageWords], list[int], list[ReaderIssue]]:
    """Words of the pages with a text layer, the numbers of the pages without one, and the unreadable pages."""
    pages: dict[int, PageWords] = {}
    no_text: list[int] = []
    issues: list[ReaderIssue] = []
    for number in range(1, count + 1):
        try:
            page = read_page(pdf, number)
        except Exception as err:  # a broken page must not lose the others
            issues.append(ReaderIssue("page_unreadable", f"page {number} could not be read ({type(err).__name__})",
                                      Provenance(page=number)))
            continue
        if page is None:
            no_text.append(number)
        else:
            pages[number] = page
    return pages, no_text, issues


_EDGE_BAND = 0.1  # running headers and footers lie in this share of the page height at its top or bottom


def _drop_furniture(pages: dict[int, PageWords], issues: list[ReaderIssue]) -> None:
    """Running headers and footers (page_furniture) out of the pages' words, before tables are
    looked for, named in a `page_furniture` note: a line is looked at only in the page's top or
    bottom band, above or below every ruled table of its page."""
    lines = {n: words_to_lines(page.words, anchored=True) for n, page in pages.items()}
    numbers = range(1, max(pages, default=0) + 1)  # a page without text (OCR, unreadable) has no lines here
    drop = running_lines([_edge_texts(lines[n], pages[n]) if n in pages else [] for n in numbers])
    if note := furniture_note([(p + 1, lines[p + 1][i].text) for p, i in sorted(drop)]):
        issues.append(note)
    for n in pages:
        gone = {id(word) for i, line in enumerate(lines[n]) if (n - 1, i) in drop for word in line.words}
        if gone:
            pages[n].words = [word for word in pages[n].words if id(word) not in gone]


def _edge_texts(lines: list, page: PageWords) -> list[str | None]:
    """Each line's text when it may be page furniture (in the page's top or bottom band, outside its
    ruled tables), else None."""
    top = min([page.height * _EDGE_BAND] + [t.bbox[1] for t in page.ruled])
    bottom = max([page.height * (1 - _EDGE_BAND)] + [t.bbox[3] for t in page.ruled])
    return [line.text if line.bottom <= top or line.top >= bottom else None for line in lines]


def _lay_out_pages(read: dict[int, PageWords], options, issues: list[ReaderIssue]) -> dict[int, PageLayout]:
    pages: dict[int, PageLayout] = {}
    for number, page in read.items():
        try:
            pages[number] = lay_out(page, options)
        except Exception as err:  # a broken page must not lose the others
            issues.append(ReaderIssue("page_unreadable", f"page {number} could not be read ({type(err).__name__})",
                                      Provenance(page=number)))
    return pages


def _nothing_read(issues: list[ReaderIssue]) -> ReaderError:
    """Why a PDF gave no blocks at all: every page broken, or a scan that OCR did not read."""
    if issues and all(i.code == "page_unreadable" for i in issues):
        return ReaderError("corrupt", "no page of the PDF could be read: the file is damaged; download it again")
    if any(i.code == "ocr_pages" for i in issues):
        blank = [i.message for i in issues if i.code in ("ocr_empty_page", "ocr_noise_page")]
        return ReaderError("no_text", "the PDF is a scan and OCR found no text on any page"
                           + (f" ({'; '.join(blank[:3])})" if blank else "") + ": check that the right file was scanned")
    failed = next((i.message for i in issues if i.code == "ocr_failed"), "")
    if failed:
        return ReaderError("no_text", f"the PDF is a scan and OCR could not read it: {failed}")
    reason = next((i.message for i in issues if i.code.startswith("ocr")), "")
    return ReaderError("no_text", "the PDF has no text layer" + (f" ({reason})" if reason else "") +
                       ": it is a scan; enable OCR (install Tesseract) or use a text version")


# ---------------------------------------------------------------- OCR hand-off


def _ocr_pages(data: bytes, numbers: list[int], options, issues: list[ReaderIssue]) -> dict[int, list[Block]]:
    """Blocks of the pages without a text layer, by page, from the OCR module when it is there."""
    import importlib

    pages = ", ".join(map(str, numbers[:10])) + (" …" if len(numbers) > 10 else "")
    if not options.ocr:
        issues.append(ReaderIssue("ocr_disabled", f"OCR is switched off; pages without text were skipped: {pages}"))
        return {}
    try:
        ocr = importlib.import_module("plantasks.parsers.ocr")
    except ImportError:
        issues.append(ReaderIssue("ocr_unavailable", f"OCR is not available; pages without text were skipped: {pages}"))
        return {}
    try:
        found, more = _run_ocr(ocr, data, numbers, options)
    except ReaderError as err:
        if err.code != "ocr_unavailable":
            raise
        issues.append(ReaderIssue("ocr_unavailable", f"{err.message}; pages without text were skipped: {pages}"))
        return {}
    except MemoryError:
        raise ReaderError("out_of_memory", f"the machine ran out of memory while OCR read pages {pages}: run "
                          "with fewer --ocr-workers or --workers, or split the document") from None
    except Exception as err:  # a failing OCR engine must not lose the text pages
        issues.append(ReaderIssue("ocr_failed", f"OCR failed ({type(err).__name__}: {err}); pages skipped: {pages}"))
        return {}
    issues.append(ReaderIssue("ocr_pages", f"pages read by OCR: {pages}"))
    issues.extend(more)
    return _by_page(found, numbers)


def _run_ocr(ocr, data: bytes, numbers: list[int], options) -> tuple[list[Block], list[ReaderIssue]]:
    """The OCR module's blocks and issues (an older module without ocr_pdf gives blocks only)."""
    if hasattr(ocr, "ocr_pdf"):
        scanned = ocr.ocr_pdf(data, numbers, options)
        return scanned.blocks, scanned.issues
    return ocr.ocr_pdf_pages(data, numbers, options), []


def _by_page(blocks: list[Block], numbers: list[int]) -> dict[int, list[Block]]:
    """OCR blocks by page; a block without a known page goes to the first page sent."""
    out: dict[int, list[Block]] = {n: [] for n in numbers}
    for block in blocks:
        page = block.prov.page if block.prov.page in out else numbers[0]
        out[page].append(block)
    return out
