"""Pages photographed rather than scanned: uneven light, the desk around the sheet, the sheet a
trapezoid (the camera not square above it).

A cheap test on a small copy of the page decides (photographed_page): the paper's brightness,
estimated everywhere by taking the brightest of each neighbourhood (text is thin, paper shows between
its lines), varies across a photographed page and barely across a flatbed scan. Only then:
- the light is flattened: every pixel divided by the paper's brightness around it, so a shadow or a
  dark corner is paper-white again and the page's one ink threshold holds everywhere;
- the desk (dark, reaching the image's border) is found; when it shows the sheet's edges, the sheet's
  four sides are fitted, and a sheet that is not a rectangle is warped to one (a homography solved
  from its corners); otherwise the desk is painted paper-white.
A flatbed scan is given back as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageFilter

from plantasks.parsers.ocr.raster import PageImage, PixelMap

SMALL_DPI = 25.0  # the test and the light map work at this resolution
PAPER_WINDOW_IN = 0.3  # the brightest pixel within this square is paper (text lines are closer)
UNEVEN_LIGHT = 0.12  # the paper's brightness varying more than this share: a photographed page
DESK_SHARE = 0.5  # darker than this share of the paper's brightness, reaching the border: the desk
MIN_DESK_SHARE = 0.01  # of the image: less desk than this is a dark scanner edge, not a desk
MIN_KEYSTONE_DEG = 0.4  # a sheet whose sides are this far from square is warped square
MAX_KEYSTONE_DEG = 12.0  # beyond this the sides found are not a sheet's
MIN_SHEET_SHARE = 0.3  # of the image: the sheet found is smaller than this, it is not the sheet
PAPER_LEVEL = 245  # the paper's brightness after flattening


@dataclass(frozen=True)
class LightMap:
    small: np.ndarray  # float32, the page's mean brightness over blocks
    paper: np.ndarray  # float32, the paper's brightness (text taken out)
    factor: int  # small pixel = factor x factor page pixels


def light_map(gray: np.ndarray, dpi: float) -> LightMap:
    """The paper's brightness on a small copy: mean over blocks, brightest over a window, smoothed."""
    factor = max(1, round(dpi / SMALL_DPI))
    small = Image.fromarray(gray).reduce(factor)
    window = max(3, round(PAPER_WINDOW_IN * dpi / factor) | 1)
    brightest = np.asarray(small.filter(ImageFilter.MaxFilter(window)), dtype=np.float32)
    paper = box_blur(box_blur(brightest, window // 2), window // 2)  # in floats: no banding
    return LightMap(np.asarray(small, dtype=np.float32), paper, factor)


def box_blur(values: np.ndarray, radius: int) -> np.ndarray:
    """Mean over the (2 radius + 1)-square around each pixel, the edges repeated."""
    if radius < 1:
        return values
    size = 2 * radius + 1
    for axis in (0, 1):
        padded = np.concatenate([np.repeat(values.take([0], axis), radius + 1, axis), values,
                                 np.repeat(values.take([-1], axis), radius, axis)], axis=axis)
        sums = np.cumsum(padded, axis=axis, dtype=np.float64)
        values = ((sums.take(range(size, sums.shape[axis]), axis) - sums.take(range(0, sums.shape[axis] - size), axis))
                  / size).astype(np.float32)
    return values


def photographed_page(image: PageImage) -> PageImage:
    """The page with its light flattened, its desk removed and its sheet made square when it was
    photographed (its paper unevenly lit, or its sheet a trapezoid on a desk); the page itself
    otherwise (a flatbed scan, a dark scanner edge along a square page)."""
    lights = light_map(image.gray, image.dpi)
    desk = desk_mask(lights)
    sheet = lights.paper[~desk]
    if sheet.size == 0:
        return image
    corners = sheet_corners(~desk) if desk.any() else None
    if corners is not None and quad_area(corners) < MIN_SHEET_SHARE * desk.size:
        corners = None  # not a sheet: a dark picture reaching the border
    keystone = corners is not None and side_angle(corners) >= MIN_KEYSTONE_DEG
    if not keystone and unevenness(sheet) < UNEVEN_LIGHT:
        return image
    flat = flattened(image.gray, lights)
    if corners is not None:
        return squared(image, flat, corners * lights.factor, edge=lights.factor)
    if desk.any():
        flat[full_size(desk, lights.factor, flat.shape)] = 255
    return replace(image, gray=flat)


def unevenness(paper: np.ndarray) -> float:
    """How far the paper's dimmest parts fall below its brightest (0: even light)."""
    bright = float(np.percentile(paper, 98))
    return 1.0 - float(np.percentile(paper, 5)) / bright if bright > 0 else 0.0


def flattened(gray: np.ndarray, lights: LightMap) -> np.ndarray:
    """Every pixel divided by the paper's brightness around it: the paper at PAPER_LEVEL everywhere."""
    height, width = gray.shape
    paper = Image.fromarray(lights.paper).resize((width, height), Image.Resampling.BILINEAR)
    scale = PAPER_LEVEL / np.maximum(np.asarray(paper, dtype=np.float32), 8.0)
    return np.clip(gray * scale, 0, 255).astype(np.uint8)


def desk_mask(lights: LightMap) -> np.ndarray:
    """Small pixels of the desk: much darker than the paper and connected to the image's border."""
    bright = float(np.percentile(lights.paper, 90))
    dark = lights.small < DESK_SHARE * bright
    if dark.mean() < MIN_DESK_SHARE:
        return np.zeros_like(dark)
    return border_connected(dark)


def border_connected(mask: np.ndarray) -> np.ndarray:
    """The part of `mask` connected (4-neighbours) to the image's border: grown from the border."""
    reach = np.zeros_like(mask)
    reach[0, :], reach[-1, :], reach[:, 0], reach[:, -1] = mask[0, :], mask[-1, :], mask[:, 0], mask[:, -1]
    while True:
        grown = reach.copy()
        grown[1:, :] |= reach[:-1, :]
        grown[:-1, :] |= reach[1:, :]
        grown[:, 1:] |= reach[:, :-1]
        grown[:, :-1] |= reach[:, 1:]
        grown &= mask
        if (grown == reach).all():
            return reach
        reach = grown


def sheet_corners(sheet: np.ndarray) -> np.ndarray | None:
    """The sheet's corners (top-left, top-right, bottom-right, bottom-left), as (x, y) in small pixels,
    from straight lines fitted to its four sides; None when a side is not straight."""
    height, width = sheet.shape
    rows = np.flatnonzero(sheet.any(axis=1))
    cols = np.flatnonzero(sheet.any(axis=0))
    if len(rows) < 8 or len(cols) < 8:
        return None
    # each side: the sheet's first pixel from that side, along the middle of the sheet's extent
    left = [(y, float(np.argmax(sheet[y]))) for y in _middle(rows)]
    right = [(y, float(width - np.argmax(sheet[y, ::-1]))) for y in _middle(rows)]
    top = [(x, float(np.argmax(sheet[:, x]))) for x in _middle(cols)]
    bottom = [(x, float(height - np.argmax(sheet[::-1, x]))) for x in _middle(cols)]
    lines = [_fit_side(side) for side in (left, top, right, bottom)]
    if any(line is None for line in lines):
        return None
    (la, lb), (ta, tb), (ra, rb), (ba, bb) = lines  # left/right: x = a + b*y; top/bottom: y = a + b*x
    corners = [_meet(la, lb, ta, tb), _meet(ra, rb, ta, tb), _meet(ra, rb, ba, bb), _meet(la, lb, ba, bb)]
    return np.array(corners, dtype=np.float64)


def _middle(index: np.ndarray) -> np.ndarray:
    """The inner 80 % of a run of indices (clear of the sheet's corners)."""
    lo, hi = index[0], index[-1]
    margin = (hi - lo) // 10
    return np.arange(lo + margin, hi - margin + 1)


def _fit_side(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """across = a + b * along through the side's points, the farthest fifth left out once."""
    along = np.array([p[0] for p in points], dtype=np.float64)
    across = np.array([p[1] for p in points], dtype=np.float64)
    keep = np.ones(len(along), dtype=bool)
    for _ in range(2):
        b, a = np.polyfit(along[keep], across[keep], 1)
        off = np.abs(across - (a + b * along))
        keep = off <= max(np.percentile(off, 80), 1.0)
    if np.degrees(np.arctan(abs(b))) > MAX_KEYSTONE_DEG or np.median(off[keep]) > 1.5:
        return None
    return float(a), float(b)


def _meet(va: float, vb: float, ha: float, hb: float) -> tuple[float, float]:
    """Where x = va + vb*y meets y = ha + hb*x."""
    y = (ha + hb * va) / (1 - hb * vb)
    return va + vb * y, y


def squared(image: PageImage, flat: np.ndarray, corners: np.ndarray, edge: int) -> PageImage:
    """The sheet inside `corners` (page pixels) warped to an upright rectangle, its outer `edge` pixels
    made paper (the corners are known to a small pixel: a sliver of desk would stand as a line along
    the border); the pixel map goes to the sheet's bounding box in the page (exact at its corners,
    near enough inside for provenance)."""
    tl, tr, br, bl = corners
    width = round((np.hypot(*(tr - tl)) + np.hypot(*(br - bl))) / 2)
    height = round((np.hypot(*(bl - tl)) + np.hypot(*(br - tr))) / 2)
    target = np.array([(0, 0), (width, 0), (width, height), (0, height)], dtype=np.float64)
    height_px, width_px = flat.shape
    x0, y0 = np.maximum(corners.min(axis=0), 0)
    x1, y1 = np.minimum(corners.max(axis=0), (width_px, height_px))
    if side_angle(corners) < MIN_KEYSTONE_DEG:  # square: cut out
        gray = flat[round(y0):round(y1), round(x0):round(x1)]
    else:
        coefficients = perspective_coefficients(target, corners)
        gray = np.asarray(Image.fromarray(flat).transform((width, height), Image.Transform.PERSPECTIVE,
                                                          coefficients, Image.Resampling.BILINEAR, fillcolor=255))
    gray = gray.copy()
    gray[:edge], gray[-edge:], gray[:, :edge], gray[:, -edge:] = 255, 255, 255, 255
    m = image.to_doc
    to_doc = PixelMap(m.x_offset + x0 * m.x_scale, m.y_offset + y0 * m.y_scale,
                      m.x_scale * (x1 - x0) / gray.shape[1], m.y_scale * (y1 - y0) / gray.shape[0])
    return PageImage(image.page, np.ascontiguousarray(gray), image.dpi, to_doc)


def quad_area(corners: np.ndarray) -> float:
    """Area of the quadrilateral (shoelace formula)."""
    x, y = corners[:, 0], corners[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


def side_angle(corners: np.ndarray) -> float:
    """The largest angle (degrees) by which a side of the quadrilateral leaves the upright rectangle."""
    tl, tr, br, bl = corners
    angles = []
    for (ax, ay), (bx, by), horizontal in ((tl, tr, True), (bl, br, True), (tl, bl, False), (tr, br, False)):
        dx, dy = bx - ax, by - ay
        angles.append(np.degrees(np.arctan2(abs(dy), abs(dx)) if horizontal else np.arctan2(abs(dx), abs(dy))))
    return float(max(angles))


def perspective_coefficients(target: np.ndarray, source: np.ndarray) -> tuple[float, ...]:
    """Pillow's PERSPECTIVE data taking each output point `target[i]` to input point `source[i]`."""
    rows, values = [], []
    for (x, y), (u, v) in zip(target, source):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values.extend((u, v))
    return tuple(float(c) for c in np.linalg.solve(np.array(rows), np.array(values)))


def full_size(mask: np.ndarray, factor: int, shape: tuple[int, int]) -> np.ndarray:
    """A small mask blown up to the page's pixels (each small pixel a factor x factor block)."""
    big = np.repeat(np.repeat(mask, factor, axis=0), factor, axis=1)
    out = np.zeros(shape, dtype=bool)
    h, w = min(shape[0], big.shape[0]), min(shape[1], big.shape[1])
    out[:h, :w] = big[:h, :w]
    if h < shape[0]:
        out[h:, :w] = big[h - 1:h, :w]
    if w < shape[1]:
        out[:, w:] = out[:, w - 1:w]
    return out
