"""One page image -> blocks: deskew, find the table grid, erase the ruling lines, OCR the page outside
the tables and the table cells one by one (cells.py), place words."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image

from plantasks.parsers.blocks import Block, Provenance, ReaderIssue
from plantasks.parsers.ocr.aligned import aligned_tables
from plantasks.parsers.ocr.cells import blank_tables, clean_paper, enlargement, read_boxes, read_cells
from plantasks.parsers.ocr.deskew import estimate_skew, ink_mask, otsu_threshold, rotate
from plantasks.parsers.ocr.glyphs import checked_against_glyphs
from plantasks.parsers.ocr.grid import GridTuning, TableGrid, group_to_grid, table_groups
from plantasks.parsers.ocr.lexicon import key, lexicon
from plantasks.parsers.ocr.layout import Geometry, LaidOut, cell_readings, joined_by_text, place_words
from plantasks.parsers.ocr.photo import photographed_page
from plantasks.parsers.ocr.recheck import recheck_row_numbers
from plantasks.parsers.ocr.reread import reread_empty_cells
from plantasks.parsers.ocr.raster import PageImage
from plantasks.parsers.ocr.rulings import Ruling, erase_rulings, find_rulings
from plantasks.parsers.ocr.strips import mixed_bands
from plantasks.parsers.ocr.tesseract import TesseractFailed, Word, page_orientation, tesseract_words


@dataclass(frozen=True)
class OcrSettings:
    """OCR knobs; lengths in inches so they hold at any resolution."""

    lang: str = "vie"
    psm: int = 6  # one uniform block: finds lone numbers in narrow columns that psm 3 drops
    # Coarser scans are enlarged to this for Tesseract (not for line finding). On the 150-dpi sample
    # scans 175 reads a little better (deadline F1 0.968 vs 0.942) but costs about a tenth more CPU.
    ocr_dpi: float = 150.0
    timeout_s: float = 300.0
    min_skew_deg: float = 0.3  # rotate only beyond this
    ruling_min_length_in: float = 0.4  # horizontal: a narrow TT column is about half an inch
    ruling_min_height_in: float = 0.3  # vertical: shorter ones (one-line rows) are found in the image
    ruling_max_gap_in: float = 0.01
    ruling_max_thickness_in: float = 0.04
    ruling_halo_in: float = 0.015  # erased either side of a line's core pixels
    free_rule_min_length_in: float = 1.0  # a line outside any table is erased from this length on
    line_touch_in: float = 0.05
    line_merge_in: float = 0.06
    line_search_in: float = 0.015  # a cell side is searched this far either side for its line
    table_margin_in: float = 0.06
    column_gap_in: float = 0.5  # a wider gap inside a text line separates two columns
    wrap_slack_in: float = 0.04  # a line ending this close to the text width is full (wrapped)
    cell_padding_in: float = 0.07  # the most a cell's text is inset from its left line
    overrun_in: float = 0.03  # a word reaching further over a column line shows the line is not there
    low_confidence: float = 0.6  # a page whose mean word confidence is below this is reported
    # A page is noise (no rows, one warning) below any of these: mean word confidence, share of its
    # letter words that are Vietnamese syllables, share of its characters that are letters or digits.
    noise_confidence: float = 0.45
    noise_lexical_share: float = 0.5
    noise_alnum_share: float = 0.6


@dataclass(frozen=True)
class PageResult:
    page: int
    blocks: list[Block]
    issues: list[ReaderIssue] = field(default_factory=list)
    skew_deg: float = 0.0
    word_count: int = 0
    mean_confidence: float = 0.0
    layout: LaidOut | None = None  # what the blocks were made of (None: nothing was read)


@dataclass(frozen=True)
class PreparedPage:
    gray: np.ndarray  # deskewed, ruling lines erased: what Tesseract reads
    tables: list[TableGrid]
    skew_deg: float
    ink_threshold: int  # gray levels up to this are ink
    rules: list[Ruling] = field(default_factory=list)  # long horizontal lines outside ruled tables


def prepare_page(image: PageImage, settings: OcrSettings) -> PreparedPage:
    gray, ink, threshold, skew = level_page(image.gray, settings.min_skew_deg)
    tables, lines = find_tables(ink, image.dpi, settings)
    halo = max(1, round(settings.ruling_halo_in * image.dpi))
    rules = [] if tables else [line for line in lines if line.horizontal]
    return PreparedPage(erase_rulings(gray, ink, lines, halo), tables, skew, threshold, rules)


def level_page(gray: np.ndarray, min_skew_deg: float) -> tuple[np.ndarray, np.ndarray, int, float]:
    """(gray, ink mask, ink threshold, skew undone): rotated only when the skew is worth it."""
    threshold = otsu_threshold(gray)
    ink = ink_mask(gray, threshold)
    skew = estimate_skew(ink)
    if abs(skew) <= min_skew_deg:
        return gray, ink, threshold, 0.0
    level = rotate(gray, skew)
    return level, ink_mask(level, threshold), threshold, skew


def find_tables(ink: np.ndarray, dpi: float, settings: OcrSettings) -> tuple[list[TableGrid], list[Ruling]]:
    """The page's ruled tables (top to bottom) and the lines to erase: table lines, long free rules."""
    horizontal, vertical = find_rulings(
        ink,
        min_length=max(8, round(settings.ruling_min_length_in * dpi)),
        min_height=max(8, round(settings.ruling_min_height_in * dpi)),
        max_gap=max(1, round(settings.ruling_max_gap_in * dpi)),
        max_thickness=max(2.0, settings.ruling_max_thickness_in * dpi),
    )
    tuning = GridTuning(
        touch=settings.line_touch_in * dpi,
        merge=settings.line_merge_in * dpi,
        line_width=max(1.0, settings.line_search_in * dpi),
    )
    groups = table_groups(horizontal, vertical, tuning.touch)
    tables = sorted(filter(None, (group_to_grid(h, v, tuning, ink) for h, v in groups)), key=lambda g: g.ys[0])
    in_tables = [r for h, v in groups for r in (*h, *v)]
    free_rules = [r for r in (*horizontal, *vertical) if r.length >= settings.free_rule_min_length_in * dpi]
    return tables, in_tables + free_rules


def ocr_page(image: PageImage, settings: OcrSettings, binary: str) -> PageResult:
    """One page read; a page that reads as noise but holds ink is asked for its orientation (Tesseract
    OSD) and read again turned upright (pages scanned sideways or upside down). A photographed page
    is first given even light and a square sheet (photo.py)."""
    image = photographed_page(image)
    result, readable = read_page(image, settings, binary)
    if readable or ink_share(image.gray) < MIN_INK_SHARE:
        return result
    degrees = page_orientation(binary, image.gray, image.dpi, settings.timeout_s)
    if not degrees:
        return result
    turned, readable = read_page(turn(image, degrees // 90), settings, binary)
    if not readable:
        return result
    note = ReaderIssue("ocr_page_turned", f"page {image.page}: scanned turned by {degrees} degrees; read upright",
                       Provenance(page=image.page))
    return replace(turned, issues=[note, *turned.issues])


MIN_INK_SHARE = 0.003  # a page with less ink than this is blank: no orientation to look for


def ink_share(gray: np.ndarray) -> float:
    return float((gray < 128).mean())


def turn(image: PageImage, turns: int) -> PageImage:
    height, width = image.gray.shape
    return PageImage(image.page, np.ascontiguousarray(np.rot90(image.gray, turns)), image.dpi,
                     image.to_doc.turned(turns, width, height))


def read_page(image: PageImage, settings: OcrSettings, binary: str) -> tuple[PageResult, bool]:
    """The page's blocks and whether its text was readable (not empty, not noise)."""
    prepared = prepare_page(image, settings)
    where = Provenance(page=image.page)
    try:
        outside_tables = blank_tables(prepared.gray, prepared.tables, prepared.ink_threshold)
        words = read_words(outside_tables, image.dpi, settings, binary)
        if not prepared.tables:
            words = unruled_read_again(prepared, words, image.dpi, settings, binary)
        words = drop_noise(words + read_cells(prepared, image.dpi, settings, binary))
    except TesseractFailed as exc:
        issue = ReaderIssue("ocr_failed", f"page {image.page}: {exc}", where)
        return PageResult(image.page, [], [issue], prepared.skew_deg), True
    verdict = page_verdict(image.page, words, settings)
    if verdict is not None:  # nothing or noise read: no rows, one warning
        return PageResult(image.page, [], [verdict], prepared.skew_deg, len(words), mean_confidence(words)), False
    words = checked_against_glyphs(prepared.gray, words, prepared.ink_threshold)
    layout = geometry(settings, image.dpi)
    tables = prepared.tables or aligned_tables(words, image.dpi, prepared.rules)
    placement = place_words(words, tables, layout.table_margin)
    tables = joined_by_text(tables, placement, layout)
    readings = cell_readings(placement, tables, layout)
    readings = recheck_row_numbers(prepared, readings, image.dpi, settings, binary)
    readings = reread_empty_cells(prepared.gray, readings, image.dpi, layout, settings.lang, binary,
                                  settings.timeout_s, lambda found: is_text(found, settings))
    laid = LaidOut(tuple(words), tuple(tables), readings, image.page, image.to_doc, layout)
    return PageResult(
        image.page,
        laid.blocks(),
        page_issues(image.page, words, settings),
        prepared.skew_deg,
        len(words),
        mean_confidence(words),
        laid,
    ), True


def unruled_read_again(prepared: PreparedPage, words: list[Word], dpi: float, settings: OcrSettings,
                       binary: str) -> list[Word]:
    """The page pass's words with the bands whose text stands at mixed heights (a table printed
    without column lines, its cells centred in their rows) read again block by block (strips.py)."""
    gray = clean_paper(prepared.gray, prepared.ink_threshold)
    bands = mixed_bands(gray <= prepared.ink_threshold, dpi)
    if not bands:
        return words
    kept = [w for w in words if not any(band.box[1] <= w.center[1] < band.box[3] for band in bands)]
    return kept + read_boxes(gray, [block for band in bands for block in band.blocks], dpi, settings, binary)


def geometry(settings: OcrSettings, dpi: float) -> Geometry:
    return Geometry(
        table_margin=settings.table_margin_in * dpi,
        column_gap=settings.column_gap_in * dpi,
        wrap_slack=settings.wrap_slack_in * dpi,
        cell_padding=settings.cell_padding_in * dpi,
        overrun=settings.overrun_in * dpi,
        dpi=dpi,
    )


def read_words(gray: np.ndarray, dpi: float, settings: OcrSettings, binary: str) -> list[Word]:
    """Tesseract's words, boxes in the pixels of `gray` (upscaled first when the scan is coarse)."""
    factor = enlargement(dpi, settings.ocr_dpi)
    if factor == 1.0:
        return tesseract_words(binary, gray, dpi, settings.lang, settings.psm, settings.timeout_s)
    size = (round(gray.shape[1] * factor), round(gray.shape[0] * factor))
    larger = np.asarray(Image.fromarray(gray).resize(size, Image.Resampling.BICUBIC))
    words = tesseract_words(binary, larger, dpi * factor, settings.lang, settings.psm, settings.timeout_s)
    return [scaled_word(w, 1.0 / factor) for w in words]


def scaled_word(word: Word, factor: float) -> Word:
    x0, y0, x1, y1 = word.box
    box = (round(x0 * factor), round(y0 * factor), round(x1 * factor), round(y1 * factor))
    return Word(word.text, word.confidence, box, word.line)


MEANINGFUL_MARKS = frozenset("-+*•")
LINE_REMNANTS = frozenset({"|", "||", "¦"})  # bits of an erased ruling: plans print no bars


SPECK_SHARE = 0.1  # a mark no taller and no wider than this share of the page's letter height is a speck


def drop_noise(words: list[Word]) -> list[Word]:
    """Leave out specks Tesseract read as marks ('_', '`', '„') or lone letters, when it doubts them,
    and marks of a few pixels, however sure it is: a dot of scanner grain at a line's end read as '-'
    or ':' ('Luật Xuất -' / 'cảnh', 'và Đối' / ':' / 'ngoại'). Printed punctuation (a dash, a full
    stop) is several times that size next to the letters of its line."""
    heights = sorted(w.box[3] - w.box[1] for w in words if any(ch.isalnum() for ch in w.text))
    speck = SPECK_SHARE * heights[len(heights) // 2] if heights else 0.0
    return [w for w in words if not _is_noise(w, speck)]


def _is_noise(word: Word, speck: float) -> bool:
    if not any(ch.isalnum() and unicodedata.category(ch) != "Lm" for ch in word.text) \
            and max(word.box[2] - word.box[0], word.box[3] - word.box[1]) <= speck:
        return True
    if word.text in LINE_REMNANTS:
        return True
    if set(word.text) == {"_"}:  # taller than wide: left by an erased vertical line, not a blank to fill
        return word.box[3] - word.box[1] > word.box[2] - word.box[0]
    if not any(ch.isalnum() for ch in word.text):
        return word.text not in MEANINGFUL_MARKS and word.confidence < 60
    return len(word.text) == 1 and word.text.isalpha() and word.confidence < 30


def mean_confidence(words: list[Word]) -> float:
    return round(sum(w.confidence for w in words) / len(words) / 100.0, 3) if words else 0.0


def page_issues(page: int, words: list[Word], settings: OcrSettings) -> list[ReaderIssue]:
    """Warnings for a page that was read (a noise page is judged by page_verdict before)."""
    confidence = mean_confidence(words)
    if confidence < settings.low_confidence:
        where = Provenance(page=page)
        return [ReaderIssue("ocr_low_confidence", f"page {page}: mean OCR confidence {confidence:.2f}", where)]
    return []


def page_verdict(page: int, words: list[Word], settings: OcrSettings) -> ReaderIssue | None:
    """Why a page gives no blocks at all: no text, or text that is noise (scanner grain, a stamp, a
    photo, a blank page's shadow), else None. Noise: Tesseract doubts it, few of its letter words are
    Vietnamese syllables, or few of its characters are letters or digits."""
    where = Provenance(page=page)
    if not words:
        return ReaderIssue("ocr_empty_page", f"page {page}: OCR found no text", where)
    stats = text_stats(words)
    if (
        stats.confidence < settings.noise_confidence
        or stats.lexical_share < settings.noise_lexical_share
        or stats.alnum_share < settings.noise_alnum_share
    ):
        return ReaderIssue(
            "ocr_noise_page",
            f"page {page}: what OCR read is noise, not text (confidence {stats.confidence:.2f}, "
            f"{stats.lexical_share:.0%} of words Vietnamese, {stats.alnum_share:.0%} letters or digits); "
            "no rows taken from it",
            where,
        )
    return None


def is_text(words: list[Word], settings: OcrSettings) -> bool:
    """Words read from a cell on its own are text: read with confidence, and (when they hold letters)
    mostly Vietnamese syllables, mostly letters and digits."""
    stats = text_stats(words)
    has_letters = any(ch.isalpha() for w in words for ch in w.text)
    return (stats.confidence >= settings.low_confidence and stats.alnum_share >= settings.noise_alnum_share
            and (not has_letters or stats.lexical_share >= settings.noise_lexical_share))


@dataclass(frozen=True)
class TextStats:
    confidence: float  # mean word confidence, 0..1
    lexical_share: float  # share of letter words that are known syllables or abbreviations (not lone letters)
    alnum_share: float  # share of characters that are letters or digits


def text_stats(words: list[Word]) -> TextStats:
    lex = lexicon()
    letter_words = [core for core in (w.text.strip(EDGE_MARKS) for w in words) if core and core.isalpha()]
    known = sum(len(core) > 1 and (lex.is_syllable(key(core)) or (core.isupper() and len(core) <= 8))
                for core in letter_words)
    chars = "".join(w.text for w in words)
    return TextStats(
        mean_confidence(words),
        known / len(letter_words) if letter_words else 0.0,
        sum(ch.isalnum() for ch in chars) / len(chars) if chars else 0.0,
    )


EDGE_MARKS = "\"'“”‘’()[]{}.,;:!?…-–—/*•+"
