"""One Tesseract run per page image: words with boxes, confidences and Tesseract's line ids.

The image goes to Tesseract's stdin as PGM (no file, no compression); TSV comes back on stdout.
OMP_THREAD_LIMIT=1: Tesseract's own OpenMP threads make a page several times slower on a small
machine; pages are parallelized by the caller instead.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
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
    for row in tsv.splitlines()[1:]:
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
