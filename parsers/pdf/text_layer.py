"""PDFium's characters of a page: read in bulk, their direction, and placed in reading space."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from plantasks.parsers.pdf.frame import Frame

GENERATED = None  # marks a word break PDFium inferred (not a character of the PDF)
_ANGLE_SAMPLE = 16  # every n-th character's direction is asked first; all of them only on mixed pages
_UNMAPPED_SAMPLE = 4  # every n-th visible character is checked for a missing Unicode mapping


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class TextLayer:
    """A page's characters as PDFium gives them, in user space, with what the page-level checks need.

    `chars` holds (code, left, bottom, right, top, origin_x, origin_y, font_size) tuples, or
    GENERATED; `angles` (text direction per character, degrees counter-clockwise) is filled
    only on pages whose sampled characters run in more than one direction.
    """

    chars: list
    dominant_angle: int
    angles: list[int] | None
    visible: int
    unmapped_share: float


def read_text_layer(textpage) -> TextLayer:
    import pypdfium2.raw as raw

    handle = textpage.raw  # the bare pointer: pypdfium2's wrapper costs a Python call per use
    chars, indexes = _bulk_chars(handle)
    dominant, angles = _directions(handle, chars, indexes)
    visible = [(c, i) for c, i in zip(chars, indexes) if c is not GENERATED and not chr(c[0]).isspace()]
    checked = visible[::_UNMAPPED_SAMPLE]
    unmapped = sum(1 for c, i in checked if c[0] == 0xFFFD or raw.FPDFText_HasUnicodeMapError(handle, i) == 1)
    return TextLayer(chars, dominant, angles, len(visible), unmapped / len(checked) if checked else 0.0)


def _bulk_chars(handle) -> tuple[list, list[int]]:
    """TextLayer.chars, and each one's PDFium character index; characters without a box are left out."""
    import ctypes

    import pypdfium2.raw as raw

    rect = raw.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    rect_ref, x_ref, y_ref = ctypes.byref(rect), ctypes.byref(x), ctypes.byref(y)
    get_unicode, get_box = raw.FPDFText_GetUnicode, raw.FPDFText_GetLooseCharBox
    get_origin, get_size, is_generated = raw.FPDFText_GetCharOrigin, raw.FPDFText_GetFontSize, raw.FPDFText_IsGenerated
    chars, indexes = [], []
    for index in range(raw.FPDFText_CountChars(handle)):
        code = get_unicode(handle, index)
        if code in (0, 0xFFFE, 0xFFFF):
            continue
        if code in (10, 13) or (code == 32 and is_generated(handle, index) == 1):
            chars.append(GENERATED)
            indexes.append(index)
            continue
        if not get_box(handle, index, rect_ref):
            continue
        if not get_origin(handle, index, x_ref, y_ref):
            x.value, y.value = rect.left, rect.bottom
        chars.append((code, rect.left, rect.bottom, rect.right, rect.top, x.value, y.value, get_size(handle, index)))
        indexes.append(index)
    return chars, indexes


def _directions(handle, chars: list, indexes: list[int]) -> tuple[int, list[int] | None]:
    """The page's dominant text direction, and every character's direction when the sample finds several."""
    sampled = [i for i, c in enumerate(chars) if c is not GENERATED and c[0] != 32][::_ANGLE_SAMPLE]
    sample_angles = {_char_angle(handle, indexes[i]) for i in sampled}
    if len(sample_angles) <= 1:
        return next(iter(sample_angles), 0), None
    angles = [_char_angle(handle, index) if c is not GENERATED else 0 for c, index in zip(chars, indexes)]
    return statistics.mode(a for a, c in zip(angles, chars) if c is not GENERATED and c[0] != 32), angles


def _char_angle(handle, index: int) -> int:
    import math

    import pypdfium2.raw as raw

    radians = raw.FPDFText_GetCharAngle(handle, index)  # PDFium measures it clockwise
    return (360 - round(math.degrees(radians) / 90) * 90) % 360 if radians >= 0 else 0


def page_chars(layer: TextLayer, frame: Frame) -> list[Char]:
    """Characters in reading space; characters running in another direction (stamps, margin notes) are left out.

    x extent from the character box; vertical extent from the baseline and the font size (the
    same for every character of a line, so commas and diacritics do not leave their line).
    """
    out = []
    upright = frame.rotation == 0
    left, top_edge = frame.left, frame.top
    for index, char in enumerate(layer.chars):
        if char is GENERATED:
            out.append(Char(" ", 0.0, 0.0, 0.0, 0.0))
            continue
        if layer.angles is not None and layer.angles[index] != frame.rotation:
            continue
        code, l, b, r, t, ox, oy, size = char
        text = "-" if code == 2 else chr(code)  # PDFium marks a hyphen that ends a line as U+0002
        if upright:
            x0, x1, top, bottom, baseline = l - left, r - left, top_edge - t, top_edge - b, top_edge - oy
        else:
            x0, top, x1, bottom = frame.box(l, b, r, t)
            baseline = frame.point(ox, oy)[1]
        if size >= 3:
            top, bottom = baseline - 0.8 * size, baseline + 0.2 * size
        out.append(Char(text, x0, top, x1, bottom))
    return out
