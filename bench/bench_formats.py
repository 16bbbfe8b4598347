"""Readers for text PDF and DOCX: pages per second through read_document, against a bare pdfplumber
`extract_tables()` pass over the same PDFs measured side by side (interleaved runs, medians).

The target: the whole pipeline on a text PDF no slower than the bare pdfplumber pass
(`pipeline_pdf_speed_ratio` = bare seconds / our seconds >= 1). DOCX has no pages; its pages are counted as those of
the same plan's PDF rendering, so the two rates compare.
"""

from __future__ import annotations

import io
import resource
import statistics
import time
import tracemalloc
from pathlib import Path

import pdfplumber

from plantasks.parsers.read import read_document

SAMPLES = Path(__file__).parents[1] / "data" / "raw"
STEMS = ("000_9ab0fe3c0e4fbaba", "001_5665434d914fd8e7", "002_45228b90b1913796")
RUNS = 5


def bare_pdfplumber(data: bytes) -> int:
    """The baseline: open with pdfplumber and call extract_tables() on every page."""
    tables = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            tables += len(page.extract_tables())
            page.close()
    return tables


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _peak_python_mb(fn) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def run() -> dict:
    from plantasks.pipeline.extract import extract_bytes

    pdfs = [(SAMPLES / f"{s}.pdf").read_bytes() for s in STEMS]
    docxs = [(SAMPLES / f"{s}.docx").read_bytes() for s in STEMS]
    pages = sum(read_document(d, "x.pdf").page_count for d in pdfs)  # also warms imports and caches
    for data in docxs:
        read_document(data, "x.docx")
    for data in pdfs:
        extract_bytes(data, "x.pdf")
    bare_pdfplumber(pdfs[0])

    def read_pdfs():
        for data in pdfs:
            read_document(data, "x.pdf")

    def read_docxs():
        for data in docxs:
            read_document(data, "x.docx")

    def pipeline_pdfs():
        for data in pdfs:
            extract_bytes(data, "x.pdf")

    def bare():
        for data in pdfs:
            bare_pdfplumber(data)

    times: dict[str, list[float]] = {"bare": [], "pdf": [], "docx": [], "pipeline_pdf": []}
    for _ in range(RUNS):  # interleaved, so a noisy neighbour hits all alike
        times["bare"].append(_timed(bare))
        times["pdf"].append(_timed(read_pdfs))
        times["docx"].append(_timed(read_docxs))
        times["pipeline_pdf"].append(_timed(pipeline_pdfs))
    median = {k: statistics.median(v) for k, v in times.items()}
    return {
        "documents": len(STEMS),
        "pdf_pages": pages,
        "runs": RUNS,
        "bare_pdfplumber_pages_per_second": round(pages / median["bare"], 1),
        "read_pdf_pages_per_second": round(pages / median["pdf"], 1),
        "read_docx_pages_per_second": round(pages / median["docx"], 1),
        "pipeline_pdf_pages_per_second": round(pages / median["pipeline_pdf"], 1),
        "read_pdf_speed_ratio": round(median["bare"] / median["pdf"], 2),
        "pipeline_pdf_speed_ratio": round(median["bare"] / median["pipeline_pdf"], 2),
        "median_seconds": {k: round(v, 4) for k, v in median.items()},
        "peak_python_mb": {
            "read_pdf": _peak_python_mb(read_pdfs),
            "read_docx": _peak_python_mb(read_docxs),
            "bare_pdfplumber": _peak_python_mb(bare),
        },
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=1))
