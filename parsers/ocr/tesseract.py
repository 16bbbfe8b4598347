"""One Tesseract run per page image: words with boxes, confidences and Tesseract's line ids.

Through Tesseract's C++ API (tesserocr) when it is installed: a thread holds one engine per language
and mode while it reads a page, then gives it back to the process's spare engines for the next page
or document, so the language model is loaded once per worker, not once per page. Otherwise (or with
PLANTASKS_OCR_ENGINE=cli) through the `tesseract` command: the image goes to its stdin as PGM (no
file, no compression), TSV comes back on stdout. Both give the same TSV, parsed once.
OMP_THREAD_LIMIT=1: Tesseract's own OpenMP threads make a page several times slower on a small
machine; pages and documents are parallelized by the callers instead, and a long run of rectangles
(a page's table cells) is shared out among the document's OCR threads (`Readers`).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import threading
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from plantasks.parsers.blocks import ReaderError

# Tesseract re-reads doubtful words as white-on-black by default; plans print none, and it costs time.
SPEED_OPTIONS = ("-c", "tessedit_do_invert=0")
INSTALL_HINT = "run `make setup` (scripts/install-system-deps.sh) or `apt-get install tesseract-ocr tesseract-ocr-vie`"


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0..100 as Tesseract reports it
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the image given to Tesseract
    line: tuple[int, int, int]  # Tesseract's (block, paragraph, line) numbers

    @property
    def center(self) -> tuple[float, float]:
        return ((self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2)


class TesseractFailed(Exception):
    pass


def require_tesseract(lang: str) -> str:
    """Path of the tesseract binary, or ReaderError('ocr_unavailable') saying how to install it."""
    binary = shutil.which("tesseract")
    if binary is None:
        raise ReaderError("ocr_unavailable", f"scanned pages need Tesseract OCR, which is not installed: {INSTALL_HINT}")
    missing = [code for code in lang.split("+") if code not in installed_languages(binary)]
    if missing:
        raise ReaderError(
            "ocr_unavailable",
            f"Tesseract has no model for {', '.join(missing)} (installed: "
            f"{', '.join(sorted(installed_languages(binary))) or 'none'}): {INSTALL_HINT}",
        )
    return binary


@functools.cache
def installed_languages(binary: str) -> frozenset[str]:
    try:
        listing = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = (listing.stdout + "\n" + listing.stderr).splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and " " not in line.strip())


def tesseract_words(binary: str, gray: np.ndarray, dpi: float, lang: str, psm: int, timeout: float) -> list[Word]:
    with reading_slot():
        engine = api_engine(binary, lang, psm)
        if engine is not None:
            return api_words(engine, gray, dpi)
        return command_words(binary, gray, dpi, lang, psm, timeout)


_held = threading.local()  # this thread's engines, by (lang, psm)
_spare: dict[tuple[str, int], list] = {}  # engines no thread holds: loaded models waiting for the next page
_spare_lock = threading.Lock()


def api_engine(binary: str, lang: str, psm: int):
    """This thread's tesserocr engine for (lang, psm): a spare one, else made; None without tesserocr."""
    if os.environ.get("PLANTASKS_OCR_ENGINE", "api") == "cli":
        return None
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # read when the library starts its threads
    try:
        import tesserocr
    except ImportError:
        return None
    held = _held.__dict__.setdefault("by_key", {})
    key = (lang, psm)
    if key not in held:
        with _spare_lock:
            engine = _spare[key].pop() if _spare.get(key) else None
        if engine is None:
            try:
                engine = tesserocr.PyTessBaseAPI(path=tessdata_dir(binary), lang=lang, psm=psm)
            except RuntimeError:
                engine = None  # the library cannot load the model: the command still can
            else:
                engine.SetVariable("tessedit_do_invert", "0")
        held[key] = engine
    return held[key]


def give_back_engines() -> None:
    """This thread's engines to the spares (its page or its share of cells is read)."""
    held = _held.__dict__.get("by_key") or {}
    with _spare_lock:
        for key, engine in held.items():
            if engine is not None:
                _spare.setdefault(key, []).append(engine)
    held.clear()


def _forget_spares() -> None:
    """In a forked process: its own engines, made when it first reads (none shared with the parent)."""
    global _spare_lock
    _spare_lock = threading.Lock()
    _spare.clear()
    _held.__dict__.clear()


os.register_at_fork(after_in_child=_forget_spares)


T = TypeVar("T")
R = TypeVar("R")


class Readers:
    """The OCR threads of one document: at most `count` Tesseract runs at once (`reading_slot`), and
    `count` threads that take shares of a long run of rectangles (`share_out`) while the page that
    asked for it waits, so one page of many table cells does not keep the other cores idle."""

    def __init__(self, count: int):
        self.count = count
        self.slots = threading.BoundedSemaphore(count)
        self.pool = ThreadPoolExecutor(max_workers=count, thread_name_prefix="ocr-cells")

    def close(self) -> None:
        self.pool.shutdown(wait=True)


_readers: ContextVar[Readers | None] = ContextVar("ocr_readers", default=None)


@contextmanager
def shared_readers(count: int) -> Iterator[None]:
    """Within this, OCR in this context (and in threads started with it) is spread over `count` readers."""
    if count <= 1:
        yield
        return
    readers = Readers(count)
    token = _readers.set(readers)
    try:
        yield
    finally:
        _readers.reset(token)
        readers.close()


def reading_slot():
    """One of the document's Tesseract runs at once (nothing to wait for with one reader)."""
    readers = _readers.get()
    return readers.slots if readers is not None else nullcontext()


def share_out(read: Callable[[list[T]], list[R]], items: list[T], weights: list[float]) -> list[R]:
    """read(items) done in shares by the document's readers, results in the order of `items`; with
    one reader, or few items, in one piece here. Each item must be read on its own (a rectangle of its
    own), so the result does not depend on how the items are shared."""
    readers = _readers.get()
    if readers is None or len(items) < 2:
        with reading_slot():
            return read(items)
    shares = _shares(weights, 2 * readers.count)

    def one(share: range) -> list[R]:
        try:
            with readers.slots:
                return read([items[i] for i in share])
        finally:
            give_back_engines()

    return [r for part in readers.pool.map(one, shares) for r in part]


def _shares(weights: list[float], count: int) -> list[range]:
    """Consecutive ranges of about equal total weight, at most `count` of them."""
    total = sum(weights) or 1.0
    shares, start, load = [], 0, 0.0
    for i, weight in enumerate(weights):
        load += weight
        if load >= total * (len(shares) + 1) / count and i + 1 < len(weights):
            shares.append(range(start, i + 1))
            start = i + 1
    shares.append(range(start, len(weights)))
    return shares


def api_words(engine, gray: np.ndarray, dpi: float) -> list[Word]:
    from PIL import Image

    try:
        engine.SetImage(Image.fromarray(np.ascontiguousarray(gray, dtype=np.uint8)))
        engine.SetSourceResolution(max(1, round(dpi)))
        tsv = engine.GetTSVText(0)
    except RuntimeError as exc:
        raise TesseractFailed(f"Tesseract failed: {exc}") from exc
    finally:
        engine.Clear()
    return parse_tsv(tsv or "")


@functools.cache
def tessdata_dir(binary: str) -> str:
    """Where the `tesseract` command finds its models (TESSDATA_PREFIX first): the library uses the same."""
    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    try:
        listing = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    found = re.search(r'"([^"]+)"', listing.stdout + listing.stderr)
    return found.group(1) if found else ""


def command_words(binary: str, gray: np.ndarray, dpi: float, lang: str, psm: int, timeout: float) -> list[Word]:
    command = [binary, "stdin", "stdout", "-l", lang, "--psm", str(psm), "--dpi", str(round(dpi)), *SPEED_OPTIONS, "tsv"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(command, input=to_pgm(gray), capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as exc:
        raise TesseractFailed(f"Tesseract took longer than {timeout:.0f} s") from exc
    except OSError as exc:
        raise TesseractFailed(f"Tesseract could not be started ({exc})") from exc
    if done.returncode != 0:
        raise TesseractFailed(f"Tesseract failed: {done.stderr.decode('utf-8', 'replace').strip()[-300:]}")
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


def to_pgm(gray: np.ndarray) -> bytes:
    height, width = gray.shape
    return b"P5\n%d %d\n255\n" % (width, height) + np.ascontiguousarray(gray, dtype=np.uint8).tobytes()


def parse_tsv(tsv: str) -> list[Word]:
    """Word rows (level 5) of Tesseract's TSV output; empty and unrecognized words dropped."""
    words = []
    for row in tsv.splitlines():
        fields = row.split("\t")
        if len(fields) < 12 or fields[0] != "5":
            continue
        text = unicodedata.normalize("NFC", fields[11]).strip()
        confidence = float(fields[10])
        if not text or confidence < 0:
            continue
        left, top, width, height = (int(v) for v in fields[6:10])
        line = (int(fields[2]), int(fields[3]), int(fields[4]))
        words.append(Word(text, confidence, (left, top, left + width, top + height), line))
    return words


OSD_MIN_CONFIDENCE = 2.0  # Tesseract's orientation confidence below which a page is left as it is


def page_orientation(binary: str, gray: np.ndarray, dpi: float, timeout: float) -> int:
    """Tesseract's orientation and script detection (the `osd` model): how many degrees the page
    must be turned counter-clockwise to stand upright (0, 90, 180 or 270); 0 when unsure or when
    the osd model is not installed."""
    if "osd" not in installed_languages(binary):
        return 0
    try:
        with reading_slot():
            return _orientation(binary, gray, dpi, timeout)
    except (RuntimeError, OSError, subprocess.SubprocessError, ValueError):
        return 0


def _orientation(binary: str, gray: np.ndarray, dpi: float, timeout: float) -> int:
    engine = api_engine(binary, "osd", 0)
    if engine is not None:
        from PIL import Image

        engine.SetImage(Image.fromarray(np.ascontiguousarray(gray, dtype=np.uint8)))
        engine.SetSourceResolution(max(1, round(dpi)))
        found = engine.DetectOrientationScript() or {}
        engine.Clear()
        degrees, confidence = found.get("orient_deg", 0), found.get("orient_conf", 0.0)
    else:
        command = [binary, "stdin", "stdout", "--psm", "0", "-l", "osd", "--dpi", str(round(dpi))]
        done = subprocess.run(command, input=to_pgm(gray), capture_output=True, timeout=timeout,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        text = done.stdout.decode("utf-8", "replace")
        degrees = int((re.search(r"Orientation in degrees: (\d+)", text) or [0, 0])[1])
        confidence = float((re.search(r"Orientation confidence: ([\d.]+)", text) or [0, 0.0])[1])
    return degrees % 360 if confidence >= OSD_MIN_CONFIDENCE and degrees % 90 == 0 else 0
