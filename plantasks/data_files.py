"""The vocabularies and rule files (YAML) as Python data: one reader for all of them.

libyaml's loader gives the same data as PyYAML's pure-Python one about ten times faster; the
vocabularies load in every process that extracts a plan (each worker, the first plan's wait)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """The data of one UTF-8 YAML file (safe subset: no Python objects)."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LOADER)


@lru_cache(maxsize=1)
def vocab_version() -> str:
    """One hash over every vocabulary and rule file the readers and normalizers load."""
    digest = hashlib.sha256()
    for folder in ("parsers", "normalizers"):
        base = Path(__import__(f"plantasks.{folder}", fromlist=["_"]).__file__).parent
        for path in sorted(p for p in base.rglob("*") if p.suffix in (".yaml", ".tsv", ".json") and p.is_file()):
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
