"""One Tesseract run per page image: words with boxes, confidences and Tesseract's line ids.

Through Tesseract's C++ API (tesserocr) when it is installed: one engine per worker thread and
language, so the language model is loaded once per worker, not once per page. Otherwise (or with
PLANTASKS_OCR_ENGINE=cli) through the `tesseract` command: the image goes to its stdin as PGM (no
file, no compression), TSV comes back on stdout. Both give the same TSV, parsed once.
OMP_THREAD_LIMIT=1: Tesseract's own OpenMP threads make a page several times slower on a small
machine; pages and documents are parallelized by the callers instead.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import threading
import unicodedata
from dataclasses import dataclass

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
    engine = api_engine(binary, lang, psm)
    if engine is not None:
        return api_words(engine, gray, dpi)
    return command_words(binary, gray, dpi, lang, psm, timeout)


_engines = threading.local()


def api_engine(binary: str, lang: str, psm: int):
    """This thread's tesserocr engine for (lang, psm), made on first use; None without tesserocr."""
    if os.environ.get("PLANTASKS_OCR_ENGINE", "api") == "cli":
        return None
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # read when the library starts its threads
    try:
        import tesserocr
    except ImportError:
        return None
    cache = getattr(_engines, "by_key", None)
    if cache is None:
        cache = _engines.by_key = {}
    key = (lang, psm)
    if key not in cache:
        try:
            engine = tesserocr.PyTessBaseAPI(path=tessdata_dir(binary), lang=lang, psm=psm)
        except RuntimeError:
            cache[key] = None  # the library cannot load the model: the command still can
        else:
            engine.SetVariable("tessedit_do_invert", "0")
            cache[key] = engine
    return cache[key]


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
    engine = api_engine(binary, "osd", 0)
    try:
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
    except (RuntimeError, OSError, subprocess.SubprocessError, ValueError):
        return 0
    return degrees % 360 if confidence >= OSD_MIN_CONFIDENCE and degrees % 90 == 0 else 0
