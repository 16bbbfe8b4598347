"""Tests that need a system package (Tesseract, Chromium, LibreOffice): skipped on a developer's
machine that lacks it, FAILED in CI (env CI=true), where scripts/install-system-deps.sh must have
installed it. This module is the one place that decides."""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
HINT = "run scripts/install-system-deps.sh as root"


def require(available: bool, what: str) -> None:
    """Call at the start of a test or fixture that needs `what`."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing in CI: {HINT}", pytrace=False)
    pytest.skip(f"{what} is not installed ({HINT})")


def needs(available: bool, what: str):
    """The same as a mark: run when `what` is available; otherwise skip, or fail in CI."""
    if available:
        return pytest.mark.system_package(what)
    if IN_CI:
        return pytest.mark.system_package_missing(what)
    return pytest.mark.skip(reason=f"{what} is not installed ({HINT})")
