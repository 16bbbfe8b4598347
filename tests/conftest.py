import pytest

from ocr_support import require_tesseract


@pytest.fixture
def tesseract() -> None:
    """Tesseract with the Vietnamese model: skip without it, fail without it in CI."""
    require_tesseract()
