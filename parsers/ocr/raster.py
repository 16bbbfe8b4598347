"""PDF pages and image files -> grayscale page images with a known pixel -> document-unit mapping.

A scanned PDF page is usually one full-page image: then the embedded image is decoded as it is
(no resampling, fastest). Anything else is rendered by pdfium. pdfium is not thread-safe, so every
call into it goes through the caller's lock.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from typing import Iterator

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from plantasks.parsers.blocks import ReaderError

RENDER_DPI = 300.0          # pages that are not a single image
MIN_DPI, MAX_DPI = 100.0, 400.0  # beyond MAX_DPI an image is scaled down before OCR
FULL_PAGE_COVER = 0.95      # an embedded image covering this share of the page is the page
MAX_PAGE_PIXELS = 80_000_000  # one page image at most (A3 at 400 dpi is 31 million): about 80 MB gray
COLOUR_SPREAD = 60  # channels further apart than this: coloured ink (seal, signature), not black
ASSUMED_PAGE_INCHES = 11.69  # long side of A4, to guess the resolution of an image without dpi
MAX_PAGE_INCHES = 17.0  # long side of A3 and a little more: a declared resolution making a larger page is wrong


@dataclass(frozen=True)
class PixelMap:
    """Affine map from image pixels to document units: doc = offset + pixel * scale."""

    x_offset: float = 0.0
    y_offset: float = 0.0
    x_scale: float = 1.0
    y_scale: float = 1.0
    turns: int = 0  # quarter turns counter-clockwise the image was given to stand upright
    width: int = 0  # of the image before it was turned
    height: int = 0

    def turned(self, turns: int, width: int, height: int) -> "PixelMap":
        """The map for the image turned `turns` more quarter turns (width, height: before this turn)."""
        if self.turns:
            raise ValueError("a page image is turned once")
        return PixelMap(self.x_offset, self.y_offset, self.x_scale, self.y_scale, turns % 4, width, height)

    def unturned(self, x: float, y: float) -> tuple[float, float]:
        """Pixel (x, y) of the turned image -> the same point in the image as scanned."""
        w, h = self.width, self.height
        return {0: (x, y), 1: (w - y, x), 2: (w - x, h - y), 3: (y, h - x)}[self.turns]

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        if self.turns:
            (ax, ay), (bx, by) = self.unturned(x0, y0), self.unturned(x1, y1)
            x0, x1, y0, y1 = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
        return (
            round(float(self.x_offset + x0 * self.x_scale), 2),
            round(float(self.y_offset + y0 * self.y_scale), 2),
            round(float(self.x_offset + x1 * self.x_scale), 2),
            round(float(self.y_offset + y1 * self.y_scale), 2),
        )


@dataclass(frozen=True)
class PageImage:
    page: int  # 1-based
    gray: np.ndarray  # uint8, H x W, 0 = black
    dpi: float
    to_doc: PixelMap


def pdf_page_count(data: bytes, lock: threading.Lock) -> int:
    pdfium = _pdfium()
    with lock:
        pdf = _open_pdf(pdfium, data)
        try:
            return len(pdf)
        finally:
            pdf.close()


def pdf_page_images(data: bytes, page_numbers: list[int], lock: threading.Lock) -> Iterator[PageImage]:
    """Yield one PageImage per requested 1-based page, in the given order."""
    pdfium = _pdfium()
    with lock:
        pdf = _open_pdf(pdfium, data)
        count = len(pdf)
    try:
        for number in page_numbers:
            if not 1 <= number <= count:
                raise ReaderError("bad_page", f"page {number} is not in the document (it has {count} pages)")
            with lock:
                page = pdf[number - 1]
                try:
                    image = _embedded_page_image(pdfium, page, number) or _rendered_page_image(pdfium, page, number)
                finally:
                    page.close()
            yield image
    finally:
        with lock:
            pdf.close()


def image_pages(data: bytes, max_pages: int) -> list[PageImage]:
    """Decode a PNG/JPEG/TIFF (every frame of a multi-page TIFF is a page)."""
    try:
        image = Image.open(io.BytesIO(data))
        frame_count = getattr(image, "n_frames", 1)
        if frame_count > max_pages:
            raise ReaderError("too_many_pages", f"the image has {frame_count} pages; raise --max-pages to read it")
        return [_frame_page(frame, number) for number, frame in enumerate(ImageSequence.Iterator(image), start=1)]
    except Image.DecompressionBombError as exc:
        raise ReaderError("too_large", f"the image is too large to read safely ({exc})") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ReaderError("corrupt", f"the image cannot be decoded ({exc})") from exc


def _frame_page(frame: Image.Image, number: int) -> PageImage:
    upright = ImageOps.exif_transpose(frame) if number == 1 else frame
    gray = Image.fromarray(ink_gray(upright))
    dpi = _frame_dpi(upright)
    scale = 1.0
    if dpi > MAX_DPI:
        scale = MAX_DPI / dpi
        size = (max(1, round(gray.width * scale)), max(1, round(gray.height * scale)))
        gray = gray.resize(size, Image.Resampling.LANCZOS)
        dpi = MAX_DPI
    return PageImage(number, np.asarray(gray), dpi, PixelMap(x_scale=1 / scale, y_scale=1 / scale))


def _frame_dpi(frame: Image.Image) -> float:
    declared = frame.info.get("dpi")
    if declared and declared[0] and float(declared[0]) > 1:
        return plausible_dpi(float(min(max(float(declared[0]), 50.0), 1200.0)), frame.size)
    guessed = max(frame.size) / ASSUMED_PAGE_INCHES
    return float(min(max(guessed, MIN_DPI), 1200.0))


def plausible_dpi(declared: float, size_px: tuple[int, int]) -> float:
    """The declared resolution, unless it makes the page larger than any paper a plan is printed on:
    a phone photo (or a PDF made from one) declares 72 dpi for an image thousands of pixels wide. Then
    the image is taken to hold an A4 page, its long side ASSUMED_PAGE_INCHES."""
    if max(size_px) / declared <= MAX_PAGE_INCHES:
        return declared
    return float(min(max(max(size_px) / ASSUMED_PAGE_INCHES, MIN_DPI), 1200.0))


def ink_gray(image: Image.Image) -> np.ndarray:
    """The page as gray levels of its black ink. In colour, a coloured pixel takes the level of its
    brightest channel: a red seal or a blue signature over white paper fades to near white, while
    black text under a seal stays dark (a dark red pixel has no bright channel)."""
    if image.mode in ("1", "L", "LA", "I", "I;16", "F"):
        return np.asarray(image.convert("L"))
    rgb = np.asarray(image.convert("RGB")).astype(np.int16)
    luminance = np.asarray(image.convert("RGB").convert("L")).astype(np.int16)
    brightest, darkest = rgb.max(axis=2), rgb.min(axis=2)
    coloured = brightest - darkest > COLOUR_SPREAD
    return np.where(coloured, brightest, luminance).astype(np.uint8)


def _pdfium():
    import pypdfium2

    return pypdfium2


def _open_pdf(pdfium, data: bytes):
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ReaderError("corrupt", f"the PDF cannot be opened ({exc})") from exc


def _embedded_page_image(pdfium, page, number: int) -> PageImage | None:
    """The page's only object when it is an upright image covering the page, decoded as is."""
    if page.get_rotation() % 360:
        return None
    objects = list(page.get_objects(max_depth=4))
    images = [o for o in objects if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    others = [o for o in objects if o.type not in (pdfium.raw.FPDF_PAGEOBJ_IMAGE, pdfium.raw.FPDF_PAGEOBJ_FORM)]
    if len(images) != 1 or others:
        return None
    image = images[0]
    width_px, height_px = image.get_px_size()
    if width_px * height_px > MAX_PAGE_PIXELS:
        return None  # rendered instead, at a resolution that fits
    matrix = image.get_matrix()
    if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
        return None
    left, bottom, right, top = image.get_bounds()
    page_width, page_height = page.get_size()
    if (right - left) * (top - bottom) < FULL_PAGE_COVER * page_width * page_height:
        return None
    pixels = image.get_bitmap(render=False).to_pil()
    dpi = plausible_dpi(pixels.width / ((right - left) / 72.0), pixels.size)
    if not MIN_DPI / 2 <= dpi <= MAX_DPI:
        return None
    to_doc = PixelMap(left, page_height - top, (right - left) / pixels.width, (top - bottom) / pixels.height)
    return PageImage(number, ink_gray(pixels), dpi, to_doc)


def _rendered_page_image(pdfium, page, number: int) -> PageImage:
    dpi = render_dpi(page.get_size(), _native_dpi(pdfium, page) or RENDER_DPI, number)
    bitmap = page.render(scale=dpi / 72.0)
    return PageImage(number, ink_gray(bitmap.to_pil()), dpi, PixelMap(x_scale=72.0 / dpi, y_scale=72.0 / dpi))


def render_dpi(size_pt: tuple[float, float], wanted: float, number: int) -> float:
    """`wanted`, lowered so the page stays within MAX_PAGE_PIXELS; a page too large even at MIN_DPI
    (a 200-inch page in a 450-byte file) is refused before anything is rendered."""
    width_in, height_in = (max(v, 1.0) / 72.0 for v in size_pt)
    fitting = (MAX_PAGE_PIXELS / (width_in * height_in)) ** 0.5
    if fitting < MIN_DPI:
        raise ReaderError(
            "too_large",
            f"page {number} measures {width_in:.0f} x {height_in:.0f} inches: rendering it for OCR at "
            f"{MIN_DPI:.0f} dpi would take {width_in * height_in * MIN_DPI ** 2 / 1e6:.0f} million pixels "
            f"(limit {MAX_PAGE_PIXELS / 1e6:.0f} million); not a scanned paper page",
        )
    return min(wanted, fitting)


def _native_dpi(pdfium, page) -> float | None:
    """Resolution of the largest embedded image, clamped to what OCR needs."""
    best = None
    for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=4):
        left, bottom, right, top = obj.get_bounds()
        width_px, height_px = obj.get_px_size()
        extent = max(right - left, top - bottom)
        if extent <= 0:
            continue
        dpi = max(width_px, height_px) / (extent / 72.0)
        area = (right - left) * (top - bottom)
        if best is None or area > best[0]:
            best = (area, dpi)
    if best is None:
        return None
    return float(min(max(best[1], MIN_DPI * 1.5), RENDER_DPI))
