"""Ruling lines of a binarized page: long straight runs of ink, horizontal and vertical.

Found on a half-resolution copy (each pixel the OR of a 2x2 block: four times less work, and
one-pixel dropouts in a scanned line close by themselves). Per axis: close small gaps along the
line, keep runs at least `min_length` long, then group the runs of neighbouring pixel rows into
segments. A segment's thickness is its ink area over its length, so a slightly tilted line (a
staircase of runs) still counts as thin. Positions are returned in full-resolution pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Ruling:
    """A line segment in pixels: `pos` is its centre across the line, [start, end) its extent along it."""

    horizontal: bool
    pos: float
    start: int
    end: int
    thickness: float
    runs: tuple[tuple[int, int, int], ...] = field(default=(), compare=False, repr=False)  # (across, start, end)

    @property
    def length(self) -> int:
        return self.end - self.start


POOL = 2


def find_rulings(ink: np.ndarray, min_length: int, max_gap: int, max_thickness: float) -> tuple[list[Ruling], list[Ruling]]:
    """Thin straight runs of ink at least `min_length` long: (horizontal, vertical), in full-size pixels."""
    small = pool_ink(ink, POOL)
    length, gap, thickness = max(2, min_length // POOL), max_gap // POOL, max_thickness / POOL
    h_mask = long_runs(close_gaps(small, gap), length)
    v_mask = long_runs(close_gaps(np.ascontiguousarray(small.T), gap), length)
    return _segments(h_mask, thickness, True, POOL), _segments(v_mask, thickness, False, POOL)


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


def _segments(mask: np.ndarray, max_thickness: float, horizontal: bool, scale: int) -> list[Ruling]:
    """Group the runs of a mask (rows run along the lines: transposed for vertical ones) into thin segments."""
    runs = _runs(mask)
    open_segments: list[dict] = []
    done: list[dict] = []
    for row, start, end in runs:
        still_open = []
        for seg in open_segments:
            (still_open if seg["last_row"] >= row - 2 else done).append(seg)
        open_segments = still_open
        target = next((s for s in open_segments if start <= s["end"] + 2 and end >= s["start"] - 2), None)
        if target is None:
            open_segments.append({"start": start, "end": end, "last_row": row, "area": 0, "moment": 0.0, "runs": []})
            target = open_segments[-1]
        target["start"], target["end"], target["last_row"] = min(target["start"], start), max(target["end"], end), row
        target["area"] += end - start
        target["moment"] += (row + 0.5) * (end - start)
        target["runs"].append((row, start, end))
    done.extend(open_segments)
    rulings = []
    for seg in done:
        thickness = seg["area"] / (seg["end"] - seg["start"])
        if thickness <= max_thickness:
            position = seg["moment"] / seg["area"] * scale
            runs = tuple(
                (row * scale + k, start * scale, end * scale) for row, start, end in seg["runs"] for k in range(scale)
            )
            rulings.append(
                Ruling(horizontal, position, seg["start"] * scale, seg["end"] * scale, thickness * scale, runs)
            )
    return sorted(rulings, key=lambda r: (r.pos, r.start))


def _runs(mask: np.ndarray) -> list[tuple[int, int, int]]:
    """(row, start, end) of every run of True, row by row."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    change = np.diff(padded, axis=1)
    starts = np.argwhere(change == 1)
    ends = np.argwhere(change == -1)
    return [(int(r), int(s), int(e)) for (r, s), (_, e) in zip(starts, ends)]


def erase_rulings(gray: np.ndarray, ink: np.ndarray, rulings: list[Ruling], halo: int) -> np.ndarray:
    """Paint ruling lines paper-white, `halo` pixels either side across the line; where a character
    stroke touches or crosses a line (ink just outside every band), that stretch of band is kept."""
    if not rulings:
        return gray
    h_band = _grow(_line_mask(ink, rulings, horizontal=True), halo, axis=0)
    v_band = _grow(_line_mask(ink, rulings, horizontal=False), halo, axis=1)
    strokes = ink & ~h_band & ~v_band
    protected = ((h_band & _grow(strokes, halo + 1, axis=0)) | (v_band & _grow(strokes, halo + 1, axis=1))) & ink
    erased = gray.copy()
    erased[(h_band | v_band) & ~protected] = 255
    return erased


def _line_mask(ink: np.ndarray, rulings: list[Ruling], horizontal: bool) -> np.ndarray:
    mask = np.zeros_like(ink)
    for ruling in rulings:
        if ruling.horizontal != horizontal:
            continue
        for across, start, end in ruling.runs:
            if horizontal:
                mask[across, start:end] = True
            else:
                mask[start:end, across] = True
    return mask & ink


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
