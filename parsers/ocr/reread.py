"""Table cells read empty although something is printed in them, read again on their own.

The whole-page pass can lose a cell's text: print paler than the rest of the page (faded toner, a
column printed in colour) falls on the paper side of the page's ink threshold. Every table cell that
came out empty but holds text-like ink (pixels clearly darker than the cell's own paper, covering a
share of it that text covers) is cut out with its contrast stretched (its paper white, its darkest
ink black), and all such cells are read in one small Tesseract run, stacked and enlarged (as the row
numbers in recheck.py). A reading is taken when the page's test says it is text, not marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from plantasks.parsers.ocr.layout import Geometry, Reading, Readings, cell_confidence, cell_text
from plantasks.parsers.ocr.recheck import TARGET_DPI, from_stack, stack_crops
from plantasks.parsers.ocr.tesseract import TesseractFailed, Word, tesseract_words

INK_STEP = 50  # a pixel this much darker than the cell's paper is ink
MIN_INK, MAX_INK = 0.003, 0.35  # share of a cell's inside that printed text covers
INSET_IN = 0.03  # a cell's lines and what their erasing left are this close to its sides


@dataclass(frozen=True)
class Crop:
    pixels: np.ndarray
    x0: int  # where the crop lies on the page
    y0: int


def reread_empty_cells(gray: np.ndarray, readings: Readings, dpi: float, geometry: Geometry, lang: str,
                       binary: str, timeout: float, is_text: Callable[[list[Word]], bool]) -> Readings:
    """`readings` with the empty cells that hold ink read again, where what they say is text."""
    crops = [(key, inked_crop(gray, key[1].box, dpi)) for key, reading in readings.items() if not reading.text]
    chosen = [(key, crop) for key, crop in crops if crop is not None]
    if not chosen:
        return readings
    factor = max(1.0, TARGET_DPI / dpi)
    gap = round(0.12 * TARGET_DPI)
    stack, spans = stack_crops([crop.pixels for _, crop in chosen], factor, gap)
    try:
        words = tesseract_words(binary, stack, dpi * factor, lang, 6, timeout)
    except TesseractFailed:
        return readings
    updated = dict(readings)
    for (key, crop), (top, bottom) in zip(chosen, spans):
        mine = [w for w in words if top <= w.center[1] < bottom]
        if mine and is_text(mine):
            placed = [from_stack(w, (crop.x0, crop.y0), top, gap, factor) for w in mine]
            updated[key] = Reading(cell_text(placed, key[1].box, geometry), cell_confidence(mine))
    return updated


def inked_crop(gray: np.ndarray, box: tuple[float, float, float, float], dpi: float) -> Crop | None:
    """The cell's inside cut down to the rows that hold ink, contrast stretched; None without text-like ink."""
    inset = max(2, round(INSET_IN * dpi))
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    x0, y0 = max(x0 + inset, 0), max(y0 + inset, 0)
    inside = gray[y0:y1 - inset, x0:x1 - inset]
    if inside.size == 0:
        return None
    paper = float(np.percentile(inside, 90))
    ink = inside < paper - INK_STEP
    if not MIN_INK <= ink.mean() <= MAX_INK:
        return None
    rows = np.flatnonzero(ink.any(axis=1))
    margin = max(2, round(0.03 * dpi))
    top = max(rows[0] - margin, 0)
    part = inside[top:rows[-1] + margin + 1].astype(np.float32)
    darkest = float(np.percentile(part[ink[top:rows[-1] + margin + 1]], 5))
    stretched = np.clip((part - darkest) * 255.0 / max(paper - darkest, 1.0), 0, 255).astype(np.uint8)
    return Crop(stretched, x0, y0 + top)
