"""Ink mask and page skew: a small rotation estimated from the horizontal projection profile.

Ruling lines and text lines both make the row histogram of ink pixels peaky when they are level;
the angle that maximizes the sum of squared row counts is the skew.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

MAX_SKEW_DEG = 5.0
COARSE_STEP_DEG = 0.25
FINE_STEP_DEG = 0.05
COARSE_POINTS = 30_000
FINE_POINTS = 50_000


def otsu_threshold(gray: np.ndarray) -> int:
    """The gray level that best separates ink from paper (Otsu's method)."""
    histogram = np.asarray(Image.fromarray(gray).histogram(), dtype=np.float64)
    total = histogram.sum()
    levels = np.arange(256, dtype=np.float64)
    weight_dark = np.cumsum(histogram)
    mass_dark = np.cumsum(histogram * levels)
    weight_light = total - weight_dark
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_dark = mass_dark / weight_dark
        mean_light = (mass_dark[-1] - mass_dark) / weight_light
        between = weight_dark * weight_light * (mean_dark - mean_light) ** 2
    between = np.nan_to_num(between)
    best = np.flatnonzero(between >= between.max() * (1 - 1e-9))
    return int((best[0] + best[-1]) // 2)  # the middle of a plateau (a clean two-tone image has one)


def ink_mask(gray: np.ndarray, threshold: int | None = None) -> np.ndarray:
    """True where the pixel is ink (not lighter than the threshold, Otsu's by default)."""
    return gray <= (otsu_threshold(gray) if threshold is None else threshold)


def estimate_skew(ink: np.ndarray) -> float:
    """Skew in degrees; positive when level lines descend to the right (y grows with x).
    Coarse search on every other row and column, fine search on full-resolution points."""
    coarse_points = _points(ink[::2, ::2], COARSE_POINTS)
    if len(coarse_points[0]) < 50:
        return 0.0
    coarse = np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 1e-9, COARSE_STEP_DEG)
    best = _best_angle(*coarse_points, coarse, _profile_sharpness_rounded)
    fine = np.arange(best - COARSE_STEP_DEG, best + COARSE_STEP_DEG + 1e-9, FINE_STEP_DEG)
    return round(float(_best_angle(*_points(ink, FINE_POINTS), fine, _profile_sharpness)), 3)


def _points(ink: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """At most about `count` ink pixels: their rows, and their columns centred on zero."""
    ys, xs = np.nonzero(ink)
    step = max(1, len(ys) // count)
    ys, xs = ys[::step].astype(np.float64), xs[::step].astype(np.float64)
    return ys, xs - (xs.mean() if len(xs) else 0.0)


def _best_angle(ys: np.ndarray, xs: np.ndarray, angles_deg: np.ndarray, sharpness) -> float:
    scores = [sharpness(ys, xs, angle) for angle in angles_deg]
    return float(angles_deg[int(np.argmax(scores))])


def _profile_sharpness_rounded(ys: np.ndarray, xs: np.ndarray, angle_deg: float) -> float:
    """Sum of squared row counts, each point in its nearest row (fast; fine for the coarse search)."""
    level = ys - xs * np.tan(np.radians(angle_deg))
    rows = np.bincount(np.round(level - level.min()).astype(np.int64))
    return float(np.dot(rows, rows))


def _profile_sharpness(ys: np.ndarray, xs: np.ndarray, angle_deg: float) -> float:
    """Sum of squared row counts; each point is shared between its two nearest rows (no aliasing)."""
    level = ys - xs * np.tan(np.radians(angle_deg))
    level -= level.min()
    below = np.floor(level)
    share = level - below
    index = below.astype(np.int64)
    rows = np.bincount(index, weights=1.0 - share, minlength=int(index.max()) + 2)
    rows += np.bincount(index + 1, weights=share, minlength=len(rows))
    return float(np.dot(rows, rows))


def rotate(gray: np.ndarray, skew_deg: float) -> np.ndarray:
    """Undo a skew measured by estimate_skew (paper-white fill at the corners)."""
    image = Image.fromarray(gray)
    level = image.rotate(skew_deg, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
    return np.asarray(level)
