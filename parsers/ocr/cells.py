"""Table cells read one by one.

In real plans the cells of one table row rarely share baselines: Word centres each cell vertically,
so a three-line agency cell beside a seven-line task cell and a two-line deadline cell puts every
column's lines at different heights, and narrow columns wrap after two or three words. Read as one
uniform block, the page's text lines run across the columns and Tesseract's line finding mixes the
narrow columns' lines into garbage. Each cell is therefore its own block:

- every cell that holds ink is cut out (rulings already erased, paper grain and light specks
  made white: clean_paper) and the cuts are stacked one above the other with white margins:
  Tesseract reads text that touches the edge of its image badly ('Quý IV' -> 'Quỹ 1V');
- the stack is given to Tesseract and each cell is recognised through its own rectangle (tesserocr
  SetRectangle, psm 6: its own threshold, its own lines), shares of the cells on the document's OCR
  threads at once; without the Tesseract API (the `tesseract` command only) the stack is read in one run;
- a cell holding a doubtful word (low confidence, or lower-case letters that make no Vietnamese
  syllable) is read again as sparse text (psm 11), which finds a short line standing apart (the last
  syllable of a centred cell, 'trì') that a uniform block cuts; the surer reading is kept;
- two side-by-side cells whose words run into the boundary between them (a line through the text)
  are read again as one block (cut_words).

Words outside the tables come from the page pass with the tables blanked (blank_tables). Word boxes
are mapped back to the pixels of the page image, so provenance and the placement of words in cells
(layout.py) are unchanged.
"""

from __future__ import annotations

import re

import numpy as np
from PIL import Image

from plantasks.normalizers.vietnamese import is_vietnamese_syllable
from plantasks.parsers.ocr.grid import TableGrid
from plantasks.parsers.ocr.recheck import from_stack, stack_crops
from plantasks.parsers.ocr.tesseract import (TesseractFailed, Word, api_engine, command_words, parse_tsv, reading_slot,
                                             share_out)

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels

# kept off a cell's sides, what is left of its erased lines: more at the left and right, where
# text keeps a padding from the line and a stub of it would read as a letter ('TThực')
CELL_INSET_IN = (0.03, 0.01)  # left and right, top and bottom
MIN_INK_IN2 = 0.0003  # a cell with less ink than this (square inches) is empty: a speck, not a glyph
# cells of coarser scans are enlarged to this: at 150 dpi the hook and grave of capitals in bold
# titles blur ('ĐIỀU' -> 'ĐIÊU', 'THỂ CHẾ' -> 'THẾ CHẺ'); a cut is small, so this costs little
CELL_DPI = 225.0
CUT_TOUCH_IN = 0.015  # a word ending this close to its cut's side runs into the cell boundary
MARGIN_IN = 0.1  # white around each cut in the stack
DOUBTFUL = 50.0  # a word read less confidently than this (0..100) has its cell read again
SPARSE_PSM = 11
LINE_BASE = 10_000  # cell words get Tesseract line ids from here up, apart from the page pass's
EDGES = re.compile(r"^[\W_]+|[\W_]+$")  # marks around a word's letters


def read_cells(prepared, dpi: float, settings, binary: str) -> list[Word]:
    """The words of the tables of `prepared` (a PreparedPage), cell by cell, boxes in its pixels
    (the cuts enlarged like the page pass when the scan is coarse)."""
    gray = clean_paper(prepared.gray, prepared.ink_threshold)
    return read_boxes(gray, cell_boxes(gray, prepared.tables, dpi, prepared.ink_threshold), dpi, settings, binary)


def read_boxes(gray: np.ndarray, boxes: list[Box], dpi: float, settings, binary: str) -> list[Word]:
    """The words of each box of `gray` (clean paper) read as a block of its own, in reading order."""
    if not boxes:
        return []
    factor = enlargement(dpi, max(settings.ocr_dpi, CELL_DPI))
    per_box = Cuts(gray, boxes, factor, dpi).words(binary, settings, settings.psm)
    doubtful = [i for i, words in enumerate(per_box) if any(map(_doubtful, words))]
    if doubtful:
        again = Cuts(gray, [boxes[i] for i in doubtful], factor, dpi)
        for i, words in zip(doubtful, again.words(binary, settings, SPARSE_PSM)):
            if _surer(words, per_box[i]):
                per_box[i] = words
    for i, j in cut_words(boxes, per_box, dpi):  # a line through the text (a stray or misplaced ruling)
        x0, y0, _, y1 = boxes[i]
        union = (x0, y0, boxes[j][2], y1)
        [per_box[i]] = Cuts(gray, [union], factor, dpi).words(binary, settings, settings.psm)
        per_box[j] = []  # the union's words go to the cells holding their centres (layout.py)
    return [_in_cell(w, i) for i, words in enumerate(per_box) for w in words]


def cut_words(boxes: list[Box], per_box: list[list[Word]], dpi: float) -> list[tuple[int, int]]:
    """Side-by-side cells (same rows, next column) whose words run into the boundary between them:
    a word cut in two by a line through it ('nghiệp' -> 'ngh' + 'ệp'). Printed text keeps a padding
    from its cell's sides."""
    touch = max(2, round(CUT_TOUCH_IN * dpi))
    pairs = []
    for i in range(len(boxes) - 1):
        left, right = boxes[i], boxes[i + 1]
        if (left[1], left[3]) != (right[1], right[3]) or right[0] - left[2] > 2 * touch + 2 * CELL_INSET_IN[0] * dpi:
            continue
        ends = [w for w in per_box[i] if w.box[2] >= left[2] - touch]
        starts = [w for w in per_box[i + 1] if w.box[0] <= right[0] + touch]
        if any(min(a.box[3], b.box[3]) > max(a.box[1], b.box[1]) for a in ends for b in starts):
            if not pairs or pairs[-1][1] != i:
                pairs.append((i, i + 1))
    return pairs


def cell_boxes(gray: np.ndarray, tables: list[TableGrid], dpi: float, ink_threshold: int) -> list[Box]:
    """The inside of every cell that holds ink, tables top to bottom, cells in reading order."""
    across, down = (max(1, round(inset * dpi)) for inset in CELL_INSET_IN)
    min_ink = max(4, round(MIN_INK_IN2 * dpi * dpi))
    boxes = []
    for table in tables:
        for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
            x0, y0, x1, y1 = _pixels(cell.box, gray.shape)
            box = (x0 + across, y0 + down, x1 - across, y1 - down)
            if box[2] - box[0] < 2 or box[3] - box[1] < 2:
                continue
            if int((gray[box[1]:box[3], box[0]:box[2]] <= ink_threshold).sum()) >= min_ink:
                boxes.append(box)
    return boxes


class Cuts:
    """Cells cut out of the page and stacked one above the other, each with white margins."""

    def __init__(self, gray: np.ndarray, boxes: list[Box], factor: float, dpi: float):
        self.boxes, self.factor, self.dpi = boxes, factor, dpi * factor
        self.gap = 2 * max(4, round(MARGIN_IN * self.dpi))
        stack, self.spans = stack_crops([gray[y0:y1, x0:x1] for x0, y0, x1, y1 in boxes], factor, self.gap)
        # one white column more on the right: Tesseract misreads a rectangle as wide as its image
        self.stack = np.pad(stack, ((0, 0), (0, 1)), constant_values=255)
        self.widths = [max(1, round((x1 - x0) * factor)) + 2 * self.gap for x0, _, x1, _ in boxes]

    def words(self, binary: str, settings, psm: int) -> list[list[Word]]:
        """Each cell's words, read in segmentation mode `psm`, boxes in the pixels of the page. Through
        the API each cell is a rectangle of its own, so the cells are shared out among the document's
        OCR threads, each reading with its engine for the page pass's mode switched to `psm`."""
        if api_engine(binary, settings.lang, settings.psm) is not None:
            weights = [(bottom - top) * width for (top, bottom), width in zip(self.spans, self.widths)]
            read = share_out(lambda cells: self._api_read(api_engine(binary, settings.lang, settings.psm), psm, cells),
                             list(range(len(self.spans))), weights)
        else:
            with reading_slot():
                words = command_words(binary, self.stack, self.dpi, settings.lang, psm, settings.timeout_s)
            read = [[w for w in words if top <= w.center[1] < bottom] for top, bottom in self.spans]
        return [[self._on_page(w, i) for w in words] for i, words in enumerate(read)]

    def _api_read(self, engine, psm: int, cells: list[int]) -> list[list[Word]]:
        read: list[list[Word]] = []
        mode = engine.GetPageSegMode()
        try:
            engine.SetPageSegMode(psm)
            engine.SetImage(Image.fromarray(self.stack))
            engine.SetSourceResolution(max(1, round(self.dpi)))
            for (top, bottom), width in ((self.spans[i], self.widths[i]) for i in cells):
                engine.SetRectangle(0, top, width, bottom - top)
                # TSV boxes are in the pixels of the whole stack, whatever rectangle was read
                read.append(parse_tsv(engine.GetTSVText(0) or ""))
        except RuntimeError as exc:
            raise TesseractFailed(f"Tesseract failed: {exc}") from exc
        finally:
            engine.Clear()
            engine.SetPageSegMode(mode)
        return read

    def _on_page(self, word: Word, index: int) -> Word:
        return from_stack(word, self.boxes[index][:2], self.spans[index][0], self.gap, self.factor)


def _doubtful(word: Word) -> bool:
    """Tesseract doubts the word, or it is lower-case letters that make no Vietnamese syllable ('tn')."""
    core = EDGES.sub("", word.text)
    unknown = core.isalpha() and core.islower() and not is_vietnamese_syllable(core)
    return word.confidence < DOUBTFUL or unknown


def _surer(new: list[Word], old: list[Word]) -> bool:
    """Is reading `new` of a cell better than `old`: no character fewer, and fewer doubtful words, or
    as many and a higher mean confidence."""
    def chars(words: list[Word]) -> int:
        return sum(ch.isalnum() for w in words for ch in w.text)

    def mean(words: list[Word]) -> float:
        return sum(w.confidence for w in words) / len(words) if words else 0.0

    if not new or chars(new) < chars(old):
        return False
    doubts_new, doubts_old = sum(map(_doubtful, new)), sum(map(_doubtful, old))
    return doubts_new < doubts_old or (doubts_new == doubts_old and mean(new) > mean(old))


def _in_cell(word: Word, index: int) -> Word:
    """The word with a line id of its own cell (no line of one cell continues in another)."""
    return Word(word.text, word.confidence, word.box, (LINE_BASE + index, word.line[1], word.line[2]))


def enlargement(dpi: float, ocr_dpi: float) -> float:
    """How much a page (page.read_words) or a cell is enlarged for Tesseract: coarser scans than
    `ocr_dpi` are brought up to it."""
    return ocr_dpi / dpi if dpi < ocr_dpi * 0.95 else 1.0


def blank_tables(gray: np.ndarray, tables: list[TableGrid], ink_threshold: int) -> np.ndarray:
    """What the page pass reads: the page with its paper made white (clean_paper) and every table's
    box white. The paper is cleaned because without the tables' ink Tesseract's own threshold would
    fall into the grain of a grey scan."""
    out = clean_paper(gray, ink_threshold)
    for table in tables:
        x0, y0, x1, y1 = _pixels(table.box, gray.shape)
        out[y0:y1, x0:x1] = 255
    return out


def clean_paper(gray: np.ndarray, ink_threshold: int) -> np.ndarray:
    """A copy of the page where only ink and the pixel ring around it (a glyph's soft edge) keep
    their levels; everything else, paper grain and light specks, is made white."""
    ink = gray <= ink_threshold
    near = ink.copy()
    near[1:, :] |= ink[:-1, :]
    near[:-1, :] |= ink[1:, :]
    rows = near.copy()
    near[:, 1:] |= rows[:, :-1]
    near[:, :-1] |= rows[:, 1:]
    return np.where(near, gray, 255).astype(np.uint8)


def _pixels(box: tuple[float, float, float, float], shape: tuple[int, ...]) -> Box:
    height, width = shape[:2]
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    return (max(x0, 0), max(y0, 0), min(x1, width), min(y1, height))
