"""Rows of a page whose cells stand at heights of their own, cut into the blocks Tesseract reads well.

Read as one uniform block (psm 6), a table printed without column lines whose cells are centred in
their rows (a web page printed, a Word table whose lines were not printed) is garbage: the lines of
one row sit at different heights from column to column, and Tesseract's line finding runs them
together across the columns ('Luật "nạ An An mn ninh'). The ink shows where this happens without
reading anything: the page falls into bands of ink between blank pixel rows (a table row, a
paragraph, a title); a band is cut where white at least MIN_RIVER_IN wide runs down it, and
side-by-side pieces whose text lines stand at the same heights are joined (one line of words read at
once is read well). A band left in three or more blocks, not all with as many lines, is a table
row with text at mixed heights: its blocks are read one by one (cells.read_boxes), and its words
replace the page pass's there. A paragraph, a title, a table row whose cells share their lines
stays one block and keeps the page pass's reading.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels

MIN_RIVER_IN = 0.04  # white this wide running down a band parts two of its cells
STRIP_PAD_IN = 0.02  # white kept around a block's ink (at most half the space to the next band)
ACCENT_GAP_IN = 0.025  # a gap this small parts an accent from its letter, not two lines
MIN_INK_IN2 = 0.0003  # a piece with less ink than this (square inches) is a speck, not a glyph
SPECK_SHARE = 0.002  # a pixel row with less ink than this share of the page's width is paper
LINE_SHARE = 0.3  # pixel rows with this share of a piece's densest row hold a line's letters
LINE_PART = 0.5  # a line body at least this share of the band's tallest counts as a line
# a band is read block by block from this many blocks on: a table row. Two blocks side by side (the
# issuer beside the motto, the number beside the date, the recipients beside the signer) are read
# well as the page pass reads them, and so are blocks of one line each (one line of text)
MIN_BLOCKS = 3


@dataclass(frozen=True)
class Band:
    box: Box
    blocks: list[Box]  # read one by one


def mixed_bands(ink: np.ndarray, dpi: float) -> list[Band]:
    """The bands of the page (ink mask) whose text stands at mixed heights, each with its blocks."""
    ink = solid(ink)
    height, width = ink.shape
    river = max(2, round(MIN_RIVER_IN * dpi))
    pad = max(1, round(STRIP_PAD_IN * dpi))  # the sparse tips of accents fall under the speck level
    least = max(4, round(MIN_INK_IN2 * dpi * dpi))
    accent = max(1, round(ACCENT_GAP_IN * dpi))
    bands: list[tuple[int, int]] = []
    for top, bottom in runs(ink.sum(axis=1) > max(2, SPECK_SHARE * width)):
        if bands and top - bands[-1][1] <= accent:  # an accent over a capital stands apart from it
            bands[-1] = (bands[-1][0], bottom)
        else:
            bands.append((top, bottom))
    found = []
    for i, (top, bottom) in enumerate(bands):
        top = max(top - pad, (bands[i - 1][1] + top) // 2 if i else 0)
        bottom = min(bottom + pad, (bottom + bands[i + 1][0]) // 2 if i + 1 < len(bands) else height)
        blocks = band_blocks(ink[top:bottom], dpi, river, least)
        counts = {count for _, _, count in blocks if count}
        if len(blocks) >= MIN_BLOCKS and len(counts) >= 2:
            found.append(Band((0, top, width, bottom),
                              [(max(0, a - pad), top, min(width, b + pad), bottom) for a, b, _ in blocks]))
    return found


def band_blocks(band: np.ndarray, dpi: float, river: int, least: int) -> list[tuple[int, int, int]]:
    """[x0, x1) and line count of the blocks of one band: pieces of ink between rivers, neighbours
    whose lines stand at the same heights joined."""
    pieces: list[list[int]] = []
    for a, b in runs(band.sum(axis=0) > 0):
        if pieces and a - pieces[-1][1] < river:
            pieces[-1][1] = b
        else:
            pieces.append([a, b])
    blocks: list[tuple[int, int, list[tuple[int, int]]]] = []
    for a, b in pieces:
        if int(band[:, a:b].sum()) < least:
            continue  # a speck of grain
        lines = text_lines(band[:, a:b], dpi)
        if blocks and same_lines(blocks[-1][2], lines):
            blocks[-1] = (blocks[-1][0], b, max(blocks[-1][2], lines, key=len))
        else:
            blocks.append((a, b, lines))
    tallest = max((bottom - top for _, _, lines in blocks for top, bottom in lines), default=0)
    # a sliver of a line's ink (the dense row of a few accents) is no line of its own
    return [(a, b, sum(1 for top, bottom in lines if bottom - top >= LINE_PART * tallest)) for a, b, lines in blocks]


def solid(ink: np.ndarray) -> np.ndarray:
    """The ink without isolated specks: a pixel with fewer than three inked pixels around it goes."""
    padded = np.pad(ink.astype(np.uint8), 1)
    around = sum(padded[1 + dy:padded.shape[0] - 1 + dy, 1 + dx:padded.shape[1] - 1 + dx]
                 for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)
    return ink & (around >= 3)


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))


def text_lines(piece: np.ndarray, dpi: float) -> list[tuple[int, int]]:
    """The bodies of a piece's text lines: pixel rows dense with ink (accents above and below are
    sparse), an accent's small gap closed."""
    counts = piece.sum(axis=1)
    close = max(1, round(ACCENT_GAP_IN * dpi))
    lines: list[tuple[int, int]] = []
    for top, bottom in runs(counts > LINE_SHARE * counts.max()):
        if lines and top - lines[-1][1] <= close:
            lines[-1] = (lines[-1][0], bottom)
        else:
            lines.append((top, bottom))
    return lines


def same_lines(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    """Every line of the piece with fewer lines stands at the height of one of the other's (a short
    centred line over a long one, the number beside the middle line of a cell): read together, the
    lines keep their baselines."""
    fewer, more = sorted((a, b), key=len)
    return bool(fewer) and all(any(min(p[1], q[1]) - max(p[0], q[0]) > 0.6 * max(p[1] - p[0], q[1] - q[0])
                                   for q in more) for p in fewer)
