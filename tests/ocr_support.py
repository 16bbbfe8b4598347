"""What OCR tests need: Tesseract with the Vietnamese model (skip or fail: tests/system_packages.py)."""

from __future__ import annotations

import shutil

import pytest

from plantasks.parsers.ocr.tesseract import installed_languages
from system_packages import require

TESSERACT = shutil.which("tesseract")
HAVE_TESSERACT = TESSERACT is not None and "vie" in installed_languages(TESSERACT)


def require_tesseract() -> None:
    """Call at the start of an OCR test (or fixture)."""
    require(HAVE_TESSERACT, "Tesseract with the Vietnamese model")


needs_tesseract = pytest.mark.usefixtures("tesseract")  # the fixture is in conftest.py
