"""The vocabularies and rule files (YAML) as Python data: one reader for all of them.

libyaml's loader gives the same data as PyYAML's pure-Python one about ten times faster; the
vocabularies load in every process that extracts a plan (each worker, the first plan's wait). What is
compiled from them at length (the agency registry's indexes) is kept between processes (`compiled`)."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, TypeVar

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
T = TypeVar("T")


def load_yaml(path: Path) -> Any:
    """The data of one UTF-8 YAML file (safe subset: no Python objects)."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LOADER)


@lru_cache(maxsize=1)
def vocab_version() -> str:
    """One hash over every vocabulary and rule file the readers and normalizers load."""
    digest = hashlib.sha256()
    for folder in ("parsers", "normalizers"):
        base = Path(__import__(f"plantasks.{folder}", fromlist=["_"]).__file__).parent
        for path in _files(base, _DATA_SUFFIXES):
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _files(folder: Path, suffixes: frozenset[str]) -> list[Path]:
    """The files under `folder` with one of `suffixes`, in a fixed order."""
    return sorted(p for p in Path(folder).rglob("*") if p.suffix in suffixes and p.is_file())


CACHE_ENV = "PLANTASKS_CACHE_DIR"


def cache_folder() -> Path | None:
    """Where compiled vocabularies are kept: $PLANTASKS_CACHE_DIR ("off": nowhere), else the user's cache
    folder ($XDG_CACHE_HOME or ~/.cache, then plantasks)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "plantasks"


@lru_cache(maxsize=None)
def fingerprint(*folders: Path) -> str:
    """One hash over everything that decides what is compiled from the data files: the code and the data
    files under `folders`, the plantasks and Python versions."""
    from plantasks import __version__

    digest = hashlib.sha256(f"{__version__}\n{sys.version}\n{pickle.HIGHEST_PROTOCOL}\n".encode())
    for folder in folders:
        for path in _files(folder, _SOURCE_SUFFIXES):
            digest.update(f"\n{path.relative_to(folder)}\n{path.stat().st_size}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


_DATA_SUFFIXES = frozenset({".yaml", ".tsv", ".json"})
_SOURCE_SUFFIXES = _DATA_SUFFIXES | {".py", ".yml"}
KEPT_VERSIONS = 4  # compiled copies kept per name, newest first


def compiled(name: str, build: Callable[[], T], *folders: Path) -> T:
    """`build()` — a vocabulary compiled into lookup tables — kept pickled in `cache_folder()` under the
    `fingerprint` of `folders` (the code and data that decide it), so a new process loads it instead of
    compiling it again. A missing, stale, unreadable or unwritable cache only means building it here;
    a change to any file under `folders`, to plantasks or to Python makes a new one."""
    folder = cache_folder()
    if folder is None:
        return build()
    path = folder / f"{name}-{fingerprint(*folders)}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - absent, half-written by a crash, or written by something else
        pass
    value = build()
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
        others = sorted((p for p in folder.glob(f"{name}-*.pickle") if p != path), key=lambda p: p.stat().st_mtime_ns)
        for old in others[: max(0, len(others) - KEPT_VERSIONS + 1)]:  # the oldest (two installs may share the folder)
            old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is only not kept
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return value
