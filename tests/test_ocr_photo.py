"""Photographed pages without Tesseract: a page shot by a phone (uneven light, grey-yellow paper, the
sheet a trapezoid on a dark desk) is given even light and a square sheet, so that its ruled table is
found with every row and column; an evenly lit scan is left exactly as it is. The end-to-end reading
of the same pages is in test_ocr_conditions.py (conditions photo_*)."""

from __future__ import annotations

import io
import threading

import numpy as np
import pytest
from PIL import Image

from plantasks.parsers.ocr.page import OcrSettings, prepare_page
from plantasks.parsers.ocr.photo import (
    desk_mask, light_map, perspective_coefficients, photographed_page, sheet_corners, side_angle)
from plantasks.parsers.ocr.raster import PageImage, PixelMap, image_pages, ink_gray, pdf_page_images
from scan_conditions import EXPECTED, FONT, add_noise, draw_table_page, perspective, photographed

pytestmark = pytest.mark.skipif(FONT is None, reason="no TrueType font with Vietnamese glyphs (fonts-dejavu-core)")

DPI = 200


def page_image(picture: Image.Image) -> PageImage:
    return PageImage(1, ink_gray(picture), DPI, PixelMap())


def grid_shape(image: PageImage) -> list[tuple[int, int]]:
    """(rows, columns) of every ruled table the reader finds on the page."""
    return [(t.row_count, t.col_count) for t in prepare_page(image, OcrSettings()).tables]


TABLE = (len(EXPECTED), 4)


def test_an_evenly_lit_scan_is_left_as_it_is():
    for picture in (draw_table_page(DPI), add_noise(draw_table_page(DPI), 0.002)):
        image = page_image(picture)
        assert photographed_page(image) is image


def test_a_dark_scanner_edge_along_a_square_page_is_left_as_it_is():
    picture = draw_table_page(DPI)
    picture.paste((60, 60, 60), (0, 0, round(0.2 * DPI), picture.height))
    image = page_image(picture)
    assert photographed_page(image) is image


def test_a_scan_with_a_dark_picture_is_left_as_it_is():
    """A black-filled box of an inch and a half (a logo, a photo printed in the plan) darkens the paper
    estimate only where it stands: not the page's light."""
    picture = draw_table_page(DPI)
    picture.paste((20, 20, 20), (round(10.0 * DPI), round(0.3 * DPI), round(11.5 * DPI), round(1.2 * DPI)))
    image = page_image(picture)
    assert photographed_page(image) is image


@pytest.mark.parametrize("keystone_deg, desk_in", [(0.0, 0.0), (2.5, 0.0), (5.0, 0.6)])
def test_a_photographed_table_is_found_with_its_rows_and_columns(keystone_deg, desk_in):
    image = page_image(photographed(draw_table_page(DPI), DPI, keystone_deg, desk_in))
    assert grid_shape(image) != [TABLE]  # as shot, the reader misses the table
    square = photographed_page(image)
    assert grid_shape(square) == [TABLE]
    border = np.concatenate([square.gray[:5].ravel(), square.gray[-5:].ravel(),
                             square.gray[:, :5].ravel(), square.gray[:, -5:].ravel()])
    assert np.median(border) > 200  # no desk left around the sheet


def test_the_sheet_corners_are_found_on_the_desk():
    """The sheet drawn on the desk at known corners: found within a tenth of an inch of each."""
    width, height = draw_table_page(DPI).size
    desk = round(0.6 * DPI)
    inset = np.tan(np.radians(5.0)) * height
    truth = np.array([(desk + inset, desk), (desk + width - inset, desk), (desk + width, desk + height),
                      (desk, desk + height)])
    image = page_image(photographed(draw_table_page(DPI), DPI, 5.0, 0.6))
    lights = light_map(image.gray, image.dpi)
    corners = sheet_corners(~desk_mask(lights)) * lights.factor
    assert np.abs(corners - truth).max() < 0.1 * DPI
    assert side_angle(truth) == pytest.approx(5.0, abs=0.01)


def test_perspective_coefficients_agree_with_an_independent_solution():
    target = [(0, 0), (100, 0), (100, 140), (0, 140)]
    source = [(12.5, 3.0), (90.0, 8.0), (104.0, 150.0), (-4.0, 139.0)]
    assert perspective_coefficients(np.array(target, float), np.array(source, float)) == pytest.approx(
        perspective(target, source), abs=1e-9)


@pytest.mark.parametrize("as_pdf", [False, True])
def test_a_phone_photo_declaring_72_dpi_is_read_at_its_page_resolution(as_pdf):
    """A phone writes 72 dpi into a photo thousands of pixels wide (a 32-inch page at that resolution):
    the image is taken to hold an A4 page, so lengths in inches (line lengths, gaps) keep their meaning.
    A scan's own resolution is kept."""
    def first_page(picture: Image.Image, dpi: float) -> PageImage:
        out = io.BytesIO()
        picture.save(out, "PDF" if as_pdf else "JPEG", resolution=dpi, dpi=(dpi, dpi), quality=80)
        if as_pdf:
            return next(pdf_page_images(out.getvalue(), [1], threading.Lock()))
        return image_pages(out.getvalue(), 1)[0]

    photo = photographed(draw_table_page(DPI), DPI)
    assert first_page(photo, 72.0).dpi == pytest.approx(max(photo.size) / 11.69, rel=0.01)
    assert first_page(photo, float(DPI)).dpi == pytest.approx(DPI, rel=0.01)
