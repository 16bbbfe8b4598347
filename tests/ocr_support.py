"""What OCR tests need: Tesseract with the Vietnamese model. Missing on a developer's machine, the
tests skip with the install hint; missing in CI (CI=true), they fail, so a broken install shows."""

from __future__ import annotations

import os
import shutil

import pytest

from plantasks.parsers.ocr.tesseract import installed_languages

TESSERACT = shutil.which("tesseract")
HAVE_TESSERACT = TESSERACT is not None and "vie" in installed_languages(TESSERACT)
MISSING = "Tesseract with the Vietnamese model is not installed (make system-deps)"


def require_tesseract() -> None:
    """Call at the start of an OCR test (or fixture)."""
    if HAVE_TESSERACT:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(MISSING + " but CI must run the OCR tests")
    pytest.skip(MISSING)


needs_tesseract = pytest.mark.usefixtures("tesseract")  # the fixture is in conftest.py
