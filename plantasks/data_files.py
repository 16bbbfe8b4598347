"""The vocabularies and rule files (YAML) as Python data: one reader for all of them.

libyaml's loader gives the same data as PyYAML's pure-Python one about ten times faster; the
vocabularies load in every process that extracts a plan (each worker, the first plan's wait)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """The data of one UTF-8 YAML file (safe subset: no Python objects)."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LOADER)
