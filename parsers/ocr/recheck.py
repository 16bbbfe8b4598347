"""A second, small Tesseract run over a page's doubtful row numbers.

The first column of a plan table (TT/STT) holds one short token per row: "1", "12", "IV", "TT". In a
whole-page pass such a lone token, far from the row's text and often bold, is easily misread
("7" -> "T", "TT" -> "1r"). Cropped, enlarged to 300 dpi and stacked one above the other, the same
cells read reliably. Only doubtful cells go (low confidence, or not a number, numeral or TT), and a
new reading replaces the old only when it is a row number and at least as confident.
"""

from __future__ import annotations

import re

import numpy as np
from PIL import Image

from plantasks.parsers.ocr.layout import Reading, Readings
from plantasks.parsers.ocr.repair import repair_row_number
from plantasks.parsers.ocr.tesseract import TesseractFailed, Word, tesseract_words

ROW_NUMBER = re.compile(r"(\d{1,3}|[IVXLC]{1,7}|S?TT)\.?", re.IGNORECASE)
TARGET_DPI = 300.0
SURE = 0.9  # a row number read at least this confidently is left alone


def is_row_number(text: str) -> bool:
    return bool(ROW_NUMBER.fullmatch(text))


def doubtful(reading: Reading) -> bool:
    """Worth a second look: unsure, not a row number, or empty (the crop decides whether ink is there)."""
    return reading.confidence < SURE or not is_row_number(reading.text)


def recheck_row_numbers(prepared, readings: Readings, dpi: float, settings, binary: str) -> Readings:
    """Readings with the doubtful first-column cells of `prepared` (a PreparedPage) read again."""
    keys = [key for key, reading in readings.items() if key[1].col == 0 and doubtful(reading)]
    paper = (prepared.ink_threshold + 255) // 2  # lighter than this is paper grain: made white
    crops = [cell_crop(prepared.gray, key[1].box, dpi, paper) for key in keys]
    chosen = [(key, crop) for key, crop in zip(keys, crops) if crop is not None]
    if not chosen:
        return readings
    factor = max(1.0, TARGET_DPI / dpi)
    stack, spans = stack_crops([crop for _, crop in chosen], factor, gap=round(0.12 * TARGET_DPI))
    try:
        words = tesseract_words(binary, stack, dpi * factor, settings.lang, 6, settings.timeout_s)
    except TesseractFailed:
        return readings
    updated = dict(readings)
    for (key, _), (top, bottom) in zip(chosen, spans):
        mine = [w for w in words if top <= w.center[1] < bottom]
        new = reading_of(mine)
        if new is not None and (not is_row_number(readings[key].text) or new.confidence >= readings[key].confidence):
            updated[key] = new
    return updated


def reading_of(words: list[Word]) -> Reading | None:
    if not words:
        return None
    text = repair_row_number("".join(w.text for w in sorted(words, key=lambda w: w.box[0])))
    if not is_row_number(text):
        return None
    return Reading(text, sum(w.confidence for w in words) / len(words) / 100.0)


def cell_crop(gray: np.ndarray, box: tuple[float, float, float, float], dpi: float, paper: int) -> np.ndarray | None:
    """The cell's inside, without its lines, cut down to the rows that hold ink (plus a margin), on
    clean white paper (levels above `paper` made white)."""
    inset = max(2, round(0.02 * dpi))
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    inside = gray[max(y0 + inset, 0):y1 - inset, max(x0 + inset, 0):x1 - inset]
    if inside.size == 0:
        return None
    rows = np.flatnonzero((inside < 128).any(axis=1))
    if len(rows) == 0:
        return None
    margin = max(2, round(0.03 * dpi))
    crop = inside[max(rows[0] - margin, 0):rows[-1] + margin + 1]
    return np.where(crop > paper, 255, crop).astype(np.uint8)


def from_stack(word: Word, origin: tuple[int, int], span_top: int, gap: int, factor: float) -> Word:
    """A word read in a stack made by `stack_crops`, back in page pixels: `origin` is where its crop
    was cut from the page, `span_top` the top of the crop's span in the stack."""
    left, top = gap, span_top + gap // 2  # where the crop starts in the stack
    x0, y0, x1, y1 = word.box
    box = (origin[0] + round((x0 - left) / factor), origin[1] + round((y0 - top) / factor),
           origin[0] + round((x1 - left) / factor), origin[1] + round((y1 - top) / factor))
    return Word(word.text, word.confidence, box, word.line)


def stack_crops(crops: list[np.ndarray], factor: float, gap: int) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Crops enlarged by `factor` and stacked with white gaps; each crop's [top, bottom) in the stack."""
    enlarged = [
        np.asarray(Image.fromarray(c).resize((max(1, round(c.shape[1] * factor)), max(1, round(c.shape[0] * factor))),
                                             Image.Resampling.BICUBIC))
        for c in crops
    ]
    width = max(e.shape[1] for e in enlarged) + 2 * gap
    height = sum(e.shape[0] for e in enlarged) + gap * (len(enlarged) + 1)
    stack = np.full((height, width), 255, dtype=np.uint8)
    spans, y = [], gap
    for e in enlarged:
        stack[y:y + e.shape[0], gap:gap + e.shape[1]] = e
        spans.append((y - gap // 2, y + e.shape[0] + gap // 2))
        y += e.shape[0] + gap
    return stack, spans
