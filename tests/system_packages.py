"""Tests that need a system package (Tesseract, Chromium, LibreOffice): skipped on a developer's
machine that lacks it, FAILED in CI (env CI=true), where scripts/install-system-deps.sh must have
installed it."""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def needs(available: bool, what: str):
    """A mark: run when `what` is available; otherwise skip, or fail in CI."""
    if available:
        return pytest.mark.system_package(what)
    if IN_CI:
        return pytest.mark.system_package_missing(what)
    return pytest.mark.skip(reason=f"{what} is not installed (make system-deps)")
