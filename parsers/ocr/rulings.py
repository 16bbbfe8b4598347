"""Ruling lines of a binarized page: long straight runs of ink, horizontal and vertical.

Found on a half-resolution copy (each pixel the OR of a 2x2 block: four times less work, and
one-pixel dropouts in a scanned line close by themselves). Per axis: close small gaps along the
line, keep runs at least `min_length` long, group the runs of neighbouring pixel rows, then fit a
straight line through each group, long runs weighing most. Runs far from the fitted line are text
touching it (bold serifs along a baseline make long runs too): they neither count towards the
line's thickness nor get erased. Positions are returned in full-resolution pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

POOL = 2
INLIER = 1.5  # pooled pixels from the fitted line: farther runs are something else touching it
MAX_SLOPE = 0.01  # pages are deskewed first: a line is level within about half a degree


@dataclass(frozen=True)
class Ruling:
    """A line segment in pixels: centre `pos` across the line at the middle of [start, end) along it,
    `slope` (across per along) for a line not quite level, `thickness` its ink across."""

    horizontal: bool
    pos: float
    start: int
    end: int
    thickness: float
    slope: float = 0.0

    @property
    def length(self) -> int:
        return self.end - self.start

    def across_at(self, along: np.ndarray) -> np.ndarray:
        return self.pos + self.slope * (along - (self.start + self.end) / 2)


def find_rulings(
    ink: np.ndarray, min_length: int, max_gap: int, max_thickness: float, min_height: int | None = None
) -> tuple[list[Ruling], list[Ruling]]:
    """Thin straight runs of ink, horizontal ones at least `min_length` long and vertical ones at least
    `min_height` (default: the same): (horizontal, vertical), in full-size pixels."""
    small = pool_ink(ink, POOL)
    length, height = max(2, min_length // POOL), max(2, (min_height or min_length) // POOL)
    gap, thickness = max_gap // POOL, max_thickness / POOL
    h_mask = long_runs(close_gaps(small, gap), length)
    v_mask = long_runs(close_gaps(np.ascontiguousarray(small.T), gap), height)
    return (
        _segments(h_mask, length, thickness, horizontal=True),
        _segments(v_mask, height, thickness, horizontal=False),
    )


def pool_ink(ink: np.ndarray, factor: int) -> np.ndarray:
    """Downscale a mask by `factor`: a pixel is ink when any pixel of its block is."""
    height, width = (ink.shape[0] // factor) * factor, (ink.shape[1] // factor) * factor
    pooled = ink[0:height:factor, 0:width:factor].copy()
    for dy in range(factor):
        for dx in range(factor):
            pooled |= ink[dy:height:factor, dx:width:factor]
    return pooled


def long_runs(mask: np.ndarray, length: int) -> np.ndarray:
    """Keep the True pixels that lie in a run of at least `length` along their row (a 1-D opening)."""
    rows, width = mask.shape
    if length > width:
        return np.zeros_like(mask)
    counts = np.zeros((rows, width + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, dtype=np.int32, out=counts[:, 1:])
    full = (counts[:, length:] - counts[:, :-length]) == length  # window [i, i+length) all ink
    padded = np.zeros((rows, width + length), dtype=np.int32)
    np.cumsum(full, axis=1, dtype=np.int32, out=padded[:, length:width + 1])
    padded[:, width + 1:] = padded[:, width:width + 1]
    return (padded[:, length:] - padded[:, :width]) > 0  # some full window starts in [j-length+1, j]


def close_gaps(mask: np.ndarray, max_gap: int) -> np.ndarray:
    """Fill gaps of at most `max_gap` pixels between ink along each row (a 1-D closing)."""
    if max_gap <= 0:
        return mask
    return ~long_runs(~mask, max_gap + 1)


def _segments(mask: np.ndarray, min_length: int, max_thickness: float, horizontal: bool) -> list[Ruling]:
    """Runs of a mask (rows run along the lines: transposed for vertical ones) -> thin straight segments."""
    rulings = []
    for group in _run_groups(_runs(mask)):
        if max(r[2] for r in group) - min(r[1] for r in group) < min_length:
            continue  # too short to hold a line: most groups are bits of text
        ruling = _fit(np.array(group, dtype=np.float64), min_length, max_thickness, horizontal)
        if ruling is not None:
            rulings.append(ruling)
    return sorted(rulings, key=lambda r: (r.pos, r.start))


def _run_groups(runs: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
    """Runs of neighbouring rows that overlap along the row, grouped."""
    open_groups: list[dict] = []
    done: list[list[tuple[int, int, int]]] = []
    for row, start, end in runs:
        still_open = []
        for group in open_groups:
            if group["last_row"] >= row - 2:
                still_open.append(group)
            else:
                done.append(group["runs"])
        open_groups = still_open
        target = next((g for g in open_groups if start <= g["end"] + 2 and end >= g["start"] - 2), None)
        if target is None:
            target = {"start": start, "end": end, "last_row": row, "runs": []}
            open_groups.append(target)
        target["start"], target["end"] = min(target["start"], start), max(target["end"], end)
        target["last_row"] = row
        target["runs"].append((row, start, end))
    return done + [g["runs"] for g in open_groups]


def _fit(runs: np.ndarray, min_length: int, max_thickness: float, horizontal: bool) -> Ruling | None:
    """Fit across = a + b * along through the pixels of the runs (each weighted by its run's length,
    so long runs lead), drop runs off the line, refit; extent and thickness come from the runs on it."""
    across, start, end = runs[:, 0] + 0.5, runs[:, 1], runs[:, 2]
    keep = np.ones(len(runs), dtype=bool)
    a, b = 0.0, 0.0
    for _ in range(2):
        a, b = _pixel_line(across[keep], start[keep], end[keep])
        keep = np.abs(across - (a + b * (start + end) / 2)) <= INLIER
        if not keep.any():
            return None
    lo, hi = start[keep].min(), end[keep].max()
    if hi - lo < min_length:
        return None
    thickness = float((end[keep] - start[keep]).sum() / (hi - lo))
    if thickness > max_thickness:
        return None
    centre = (lo + hi) / 2
    return Ruling(horizontal, (a + b * centre) * POOL, int(lo) * POOL, int(hi) * POOL, thickness * POOL, b)


def _pixel_line(across: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[float, float]:
    """Least squares through every pixel of the runs, each pixel weighted by its run's length."""
    n = end - start
    w = n  # per pixel
    sum_w = (w * n).sum()
    sum_x = (w * n * (start + end - 1) / 2).sum()
    sum_xx = (w * (_sum_squares(end - 1) - _sum_squares(start - 1))).sum()
    sum_y = (w * n * across).sum()
    sum_xy = (w * across * n * (start + end - 1) / 2).sum()
    spread = sum_w * sum_xx - sum_x**2
    slope = (sum_w * sum_xy - sum_x * sum_y) / spread if spread > 0 else 0.0
    slope = float(np.clip(slope, -MAX_SLOPE, MAX_SLOPE))
    return float((sum_y - slope * sum_x) / sum_w), slope


def _sum_squares(k: np.ndarray) -> np.ndarray:
    """0^2 + 1^2 + ... + k^2 (0 for k < 0)."""
    k = np.maximum(k, -1).astype(np.float64)
    return np.where(k < 0, 0.0, k * (k + 1) * (2 * k + 1) / 6)


def _runs(mask: np.ndarray) -> list[tuple[int, int, int]]:
    """(row, start, end) of every run of True, row by row."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    change = np.diff(padded, axis=1)
    starts = np.argwhere(change == 1)
    ends = np.argwhere(change == -1)
    return [(int(r), int(s), int(e)) for (r, s), (_, e) in zip(starts, ends)]


def erase_rulings(gray: np.ndarray, ink: np.ndarray, rulings: list[Ruling], halo: int) -> np.ndarray:
    """Paint each ruling's band (its fitted line, half its thickness plus `halo` either side) paper-white;
    where a character stroke touches or crosses a line (ink just outside every band), the band is kept."""
    if not rulings:
        return gray
    h_band = _band_mask(ink.shape, [r for r in rulings if r.horizontal], halo)
    v_band = _band_mask(ink.shape[::-1], [r for r in rulings if not r.horizontal], halo).T
    strokes = ink & ~h_band & ~v_band
    protected = ((h_band & _grow(strokes, halo + 1, axis=0)) | (v_band & _grow(strokes, halo + 1, axis=1))) & ink
    erased = gray.copy()
    erased[(h_band | v_band) & ~protected] = 255
    return erased


def _band_mask(shape: tuple[int, int], rulings: list[Ruling], halo: int) -> np.ndarray:
    """Rows x along-the-line mask of the bands around rulings (transpose for vertical ones)."""
    rows, width = shape
    mask = np.zeros((rows, width), dtype=bool)
    for ruling in rulings:
        along = np.arange(max(ruling.start, 0), min(ruling.end, width))
        if len(along) == 0:
            continue
        centre = ruling.across_at(along + 0.5)
        half = ruling.thickness / 2 + halo
        for offset in range(-int(np.ceil(half)), int(np.ceil(half)) + 1):
            across = np.floor(centre + offset).astype(np.int64)
            inside = (across >= 0) & (across < rows) & (np.abs(across + 0.5 - centre) <= half)
            mask[across[inside], along[inside]] = True
    return mask


def _grow(mask: np.ndarray, steps: int, axis: int) -> np.ndarray:
    """Dilate a mask by `steps` pixels along one axis (0: up/down, 1: left/right)."""
    grown = mask.copy()
    for step in range(1, steps + 1):
        if axis == 0:
            grown[step:, :] |= mask[:-step, :]
            grown[:-step, :] |= mask[step:, :]
        else:
            grown[:, step:] |= mask[:, :-step]
            grown[:, :-step] |= mask[:, step:]
    return grown
