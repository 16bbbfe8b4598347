"""The registry of warning and flag codes (schemas/codes.yaml), loaded once."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from plantasks.data_files import load_yaml

REGISTRY_FILE = Path(__file__).with_name("codes.yaml")
Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Code:
    code: str
    kind: Literal["warning", "flag"]
    severity: Severity
    label: str  # Vietnamese, for analysts
    meaning: str  # English, for engineers


@functools.cache
def registry() -> dict[str, dict[str, Code]]:
    """{'warnings': {code: Code}, 'flags': {code: Code}}."""
    raw = load_yaml(REGISTRY_FILE)
    out: dict[str, dict[str, Code]] = {}
    for section, kind in (("warnings", "warning"), ("flags", "flag")):
        out[section] = {code: Code(code, kind, entry["severity"], entry["label"], entry["meaning"])
                        for code, entry in raw[section].items()}
    return out


def warning_codes() -> tuple[str, ...]:
    return tuple(registry()["warnings"])


def flag_codes() -> tuple[str, ...]:
    return tuple(registry()["flags"])


def labels(section: Literal["warnings", "flags"]) -> dict[str, str]:
    """Vietnamese label of each code of a section."""
    return {code: entry.label for code, entry in registry()[section].items()}
