"""OCR speed: ocr_pdf_pages vs bare single-threaded `tesseract` over the same page images.

run() -> dict of medians over RUNS runs (runs interleaved, so a busy machine hits both sides alike):
- ocr_pages_per_s_1worker / ocr_pages_per_s_parallel: the whole scanned path (rasterize, deskew,
  rulings, one Tesseract run per page, cell assignment) with 1 worker and with one per core;
- bare_tesseract_pages_per_s: `tesseract IMG stdout -l vie` (defaults, OMP_THREAD_LIMIT=1) over
  the page images as embedded in the PDF, one after another;
- time_ratio_1worker_vs_bare and time_ratio_parallel_vs_bare: our seconds / bare seconds (lower is
  better; the targets are <= 1.05 with one worker and <= 0.55 with two), cpu_time_ratio_1worker_vs_bare
  the same in CPU seconds (steadier when other jobs share the machine);
- engine: "api" when Tesseract is called through tesserocr (model loaded once per worker thread),
  "cli" for one `tesseract` process per page (PLANTASKS_OCR_ENGINE=cli);
- peak memory: Python heap (tracemalloc) of one parallel run and the largest Tesseract process.

Pages: BENCH_OCR_PDF / BENCH_OCR_PAGES if set, else 4 pages of the scanned sample plan in data/raw.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from plantasks.parsers.ocr import ocr_pdf_pages  # noqa: E402
from plantasks.parsers.ocr.raster import pdf_page_images  # noqa: E402
from plantasks.parsers.ocr.tesseract import api_engine  # noqa: E402
from plantasks.parsers.read import ReadOptions  # noqa: E402

RUNS = 3
SAMPLE = ROOT / "data" / "raw" / "001_5665434d914fd8e7.scanned.pdf"
SAMPLE_PAGES = [1, 2, 5, 9]


def bench_input() -> tuple[bytes, list[int]]:
    if os.environ.get("BENCH_OCR_PDF"):
        pages = [int(p) for p in os.environ.get("BENCH_OCR_PAGES", "1").split(",")]
        return Path(os.environ["BENCH_OCR_PDF"]).read_bytes(), pages
    return SAMPLE.read_bytes(), SAMPLE_PAGES


def page_image_files(data: bytes, pages: list[int], folder: Path) -> list[Path]:
    """The page images as Tesseract would get them from a user: PNG files at native resolution."""
    from PIL import Image

    files = []
    for index, image in enumerate(pdf_page_images(data, pages, threading.Lock())):
        path = folder / f"page-{index}.png"
        Image.fromarray(image.gray).save(path, dpi=(image.dpi, image.dpi))
        files.append(path)
    return files


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (Tesseract runs), user + system."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_bare_tesseract(files: list[Path]) -> tuple[float, float]:
    """(wall, cpu) seconds of plain `tesseract IMG stdout -l vie`, one page after the other."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    start, cpu = time.perf_counter(), cpu_seconds()
    for path in files:
        subprocess.run(["tesseract", str(path), "stdout", "-l", "vie"], capture_output=True, check=True, env=env)
    return time.perf_counter() - start, cpu_seconds() - cpu


def time_pipeline(data: bytes, pages: list[int], workers: int) -> tuple[float, float]:
    """(wall, cpu) seconds of ocr_pdf_pages over the pages."""
    start, cpu = time.perf_counter(), cpu_seconds()
    blocks = ocr_pdf_pages(data, pages, ReadOptions(ocr_workers=workers))
    elapsed = time.perf_counter() - start, cpu_seconds() - cpu
    if not blocks:
        raise RuntimeError("OCR produced no blocks")
    return elapsed


def python_peak_mb(data: bytes, pages: list[int]) -> float:
    tracemalloc.start()
    ocr_pdf_pages(data, pages, ReadOptions())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def run() -> dict:
    data, pages = bench_input()
    cores = os.cpu_count() or 1
    bare, one, parallel = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        files = page_image_files(data, pages, Path(tmp))
        for _ in range(RUNS):
            bare.append(time_bare_tesseract(files))
            one.append(time_pipeline(data, pages, 1))
            parallel.append(time_pipeline(data, pages, cores))
    t_bare, t_one, t_par = (statistics.median(w for w, _ in runs) for runs in (bare, one, parallel))
    c_bare, c_one = (statistics.median(c for _, c in runs) for runs in (bare, one))
    return {
        "engine": "api" if api_engine(shutil.which("tesseract") or "tesseract", "vie", 6) is not None else "cli",
        "pages": len(pages),
        "runs": RUNS,
        "cores": cores,
        "bare_tesseract_pages_per_s": round(len(pages) / t_bare, 3),
        "ocr_pages_per_s_1worker": round(len(pages) / t_one, 3),
        "ocr_pages_per_s_parallel": round(len(pages) / t_par, 3),
        "time_ratio_1worker_vs_bare": round(t_one / t_bare, 3),
        "time_ratio_parallel_vs_bare": round(t_par / t_bare, 3),
        "cpu_s_per_page_bare": round(c_bare / len(pages), 3),
        "cpu_s_per_page_1worker": round(c_one / len(pages), 3),
        "cpu_time_ratio_1worker_vs_bare": round(c_one / c_bare, 3),  # robust when other jobs share the machine
        "python_peak_mb": python_peak_mb(data, pages),
        "tesseract_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name}: {value}")
