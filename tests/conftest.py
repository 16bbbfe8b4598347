import atexit
import os
import shutil
import tempfile

import pytest

from ocr_support import require_tesseract
from system_packages import HINT

# compiled vocabularies (plantasks.data_files.compiled) go to a folder of this session, not the user's cache
if "PLANTASKS_CACHE_DIR" not in os.environ:
    os.environ["PLANTASKS_CACHE_DIR"] = tempfile.mkdtemp(prefix="plantasks-cache-")
    atexit.register(shutil.rmtree, os.environ["PLANTASKS_CACHE_DIR"], True)


@pytest.fixture
def tesseract() -> None:
    """Tesseract with the Vietnamese model: skip without it, fail without it in CI."""
    require_tesseract()


def pytest_configure(config):
    config.addinivalue_line("markers", "system_package(what): the test needs this system package (present)")
    config.addinivalue_line("markers", "system_package_missing(what): a system package the test needs is missing")


def pytest_runtest_setup(item):
    mark = item.get_closest_marker("system_package_missing")
    if mark:
        pytest.fail(f"{mark.args[0]} is missing in CI: {HINT}", pytrace=False)
