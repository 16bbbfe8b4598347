"""Table cells read one by one.

In real plans the cells of one table row rarely share baselines: Word centres each cell vertically,
so a three-line agency cell beside a seven-line task cell and a two-line deadline cell puts every
column's lines at different heights, and narrow columns wrap after two or three words. Read as one
uniform block, the page's text lines run across the columns and Tesseract's line finding mixes the
narrow columns' lines into garbage. Each cell is therefore its own block: the page image (rulings
erased) is given to Tesseract once, then every inked cell is recognised through a
rectangle (tesserocr SetRectangle, psm 6). Words outside the tables come from one pass over the page
with the tables blanked. Word boxes stay in the pixels of the page image, so provenance and the
placement of words in cells (layout.py) are unchanged.

Without the Tesseract API (the `tesseract` command only) the cells are cut out and stacked one above
the other with white gaps, and the stack is read in one run.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from plantasks.parsers.ocr.grid import TableGrid
from plantasks.parsers.ocr.recheck import stack_crops
from plantasks.parsers.ocr.tesseract import TesseractFailed, Word, api_engine, command_words, parse_tsv

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels

CELL_INSET_IN = 0.01  # kept off each side of a cell: what is left of its erased lines
MIN_INK_IN2 = 0.0003  # a cell with less ink than this (square inches) is empty: a speck, not a glyph
STACK_GAP_IN = 0.12  # white between stacked cells (command path)
LINE_BASE = 10_000  # cell words get Tesseract line ids from here up, apart from the page pass's


def read_cells(prepared, dpi: float, settings, binary: str) -> list[Word]:
    """The words of the tables of `prepared` (a PreparedPage), cell by cell, boxes in its pixels
    (read enlarged, like the page pass, when the scan is coarse)."""
    factor = enlargement(dpi, settings.ocr_dpi)
    boxes = cell_boxes(prepared.gray, prepared.tables, dpi, prepared.ink_threshold)
    if not boxes:
        return []
    scaled = [tuple(round(v * factor) for v in box) for box in boxes]
    words = cell_words(binary, enlarged(prepared.gray, factor), dpi * factor, scaled, settings.lang, settings.psm,
                       settings.timeout_s)
    return words if factor == 1.0 else [scaled_word(w, 1.0 / factor) for w in words]


def enlargement(dpi: float, ocr_dpi: float) -> float:
    """How much a page is enlarged for Tesseract: coarser scans than `ocr_dpi` are brought up to it."""
    return ocr_dpi / dpi if dpi < ocr_dpi * 0.95 else 1.0


def enlarged(gray: np.ndarray, factor: float) -> np.ndarray:
    if factor == 1.0:
        return gray
    size = (round(gray.shape[1] * factor), round(gray.shape[0] * factor))
    return np.asarray(Image.fromarray(gray).resize(size, Image.Resampling.BICUBIC))


def scaled_word(word: Word, factor: float) -> Word:
    x0, y0, x1, y1 = word.box
    box = (round(x0 * factor), round(y0 * factor), round(x1 * factor), round(y1 * factor))
    return Word(word.text, word.confidence, box, word.line)


def blank_tables(gray: np.ndarray, tables: list[TableGrid]) -> np.ndarray:
    """The page with every table's box made white: what the page pass reads."""
    if not tables:
        return gray
    out = gray.copy()
    for table in tables:
        x0, y0, x1, y1 = _pixels(table.box, gray.shape)
        out[y0:y1, x0:x1] = 255
    return out


def cell_boxes(gray: np.ndarray, tables: list[TableGrid], dpi: float, ink_threshold: int) -> list[Box]:
    """The inside of every cell that holds ink, tables top to bottom, cells in reading order."""
    inset = max(1, round(CELL_INSET_IN * dpi))
    min_ink = max(4, round(MIN_INK_IN2 * dpi * dpi))
    boxes = []
    for table in tables:
        for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
            x0, y0, x1, y1 = _pixels(cell.box, gray.shape)
            box = (x0 + inset, y0 + inset, x1 - inset, y1 - inset)
            if box[2] - box[0] < 2 or box[3] - box[1] < 2:
                continue
            if int((gray[box[1]:box[3], box[0]:box[2]] <= ink_threshold).sum()) >= min_ink:
                boxes.append(box)
    return boxes


def cell_words(binary: str, gray: np.ndarray, dpi: float, boxes: list[Box], lang: str, psm: int,
               timeout: float) -> list[Word]:
    """The words of each box read as its own block, boxes in the pixels of `gray`."""
    if not boxes:
        return []
    engine = api_engine(binary, lang, psm)
    if engine is not None:
        return _api_cell_words(engine, gray, dpi, boxes)
    return _stacked_cell_words(binary, gray, dpi, boxes, lang, psm, timeout)


def _api_cell_words(engine, gray: np.ndarray, dpi: float, boxes: list[Box]) -> list[Word]:
    words: list[Word] = []
    try:
        engine.SetImage(Image.fromarray(np.ascontiguousarray(gray)))
        engine.SetSourceResolution(max(1, round(dpi)))
        for index, (x0, y0, x1, y1) in enumerate(boxes):
            engine.SetRectangle(x0, y0, x1 - x0, y1 - y0)
            # TSV boxes are in the pixels of the whole image, whatever rectangle was read
            words += _as_cell(parse_tsv(engine.GetTSVText(0) or ""), index)
    except RuntimeError as exc:
        raise TesseractFailed(f"Tesseract failed: {exc}") from exc
    finally:
        engine.Clear()
    return words


def _stacked_cell_words(binary: str, gray: np.ndarray, dpi: float, boxes: list[Box], lang: str, psm: int,
                        timeout: float) -> list[Word]:
    gap = max(8, round(STACK_GAP_IN * dpi))
    crops = [gray[y0:y1, x0:x1] for x0, y0, x1, y1 in boxes]
    stack, spans = stack_crops(crops, 1.0, gap)
    read = command_words(binary, stack, dpi, lang, psm, timeout)
    words: list[Word] = []
    for index, ((x0, y0, _, _), (top, bottom)) in enumerate(zip(boxes, spans)):
        crop_top = top + gap // 2  # where the crop starts in the stack
        mine = [w for w in read if top <= w.center[1] < bottom]
        moved = [Word(w.text, w.confidence, _shifted(w.box, x0 - gap, y0 - crop_top), w.line) for w in mine]
        words += _as_cell(moved, index)
    return words


def _as_cell(words: list[Word], index: int) -> list[Word]:
    """The words with line ids of their own cell (no line of one cell continues in another)."""
    return [Word(w.text, w.confidence, w.box, (LINE_BASE + index, w.line[1], w.line[2])) for w in words]


def _shifted(box: Box, dx: int, dy: int) -> Box:
    return (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)


def _pixels(box: tuple[float, float, float, float], shape: tuple[int, ...]) -> Box:
    height, width = shape[:2]
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    return (max(x0, 0), max(y0, 0), min(x1, width), min(y1, height))
