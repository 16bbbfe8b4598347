"""The agency registry (data/agencies.yaml): entries, per-plan-level lookup indexes, successors."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import plantasks
from plantasks.data_files import compiled, fingerprint, load_yaml
from plantasks.normalizers.agencies.normalize import fold, key_of, light
from plantasks.normalizers.agencies.rules import DATA_DIR

REGISTRY_FILE = DATA_DIR / "agencies.yaml"
LEVELS = ("national", "ministry", "province", "district", "commune")
CLASS_CONTEXTS = frozenset({"national", "ministry", "province"})
CLASS_SUFFIX = "__class"


@dataclass(frozen=True)
class Alias:
    text: str
    contexts: frozenset[str] | None = None  # None: the entry's own contexts
    since: date | None = None   # the alias means this body only in plans dated from `since` ...
    until: date | None = None   # ... up to `until` (inclusive): "địa phương" before / after 1 July 2025

    def holds_at(self, day: date | None) -> bool:
        """Undated plans read an alias in its earliest meaning (no `since`)."""
        if day is None:
            return self.since is None
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    kind: str
    level: str
    contexts: frozenset[str]
    aliases: tuple[Alias, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None
    successors: tuple[str, ...] = ()
    parent: str | None = None
    class_name: str | None = None
    source: str | None = None
    numbered: bool = False  # one of a class told apart by a number printed after the name

    def valid_at(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def names(self) -> list[Alias]:
        return [Alias(self.name), *self.aliases]


@dataclass(frozen=True)
class Conflict:
    level: str
    key: str
    ids: tuple[str, str]


@dataclass(eq=False)  # hashed by identity: caches key on the loaded registry
class Registry:
    entries: dict[str, Entry]
    sources: dict[str, dict]
    index: dict[str, dict[str, str]] = field(default_factory=dict)          # level -> key -> id (undated alias)
    dated: dict[str, dict[str, list[tuple[Alias, str]]]] = field(default_factory=dict)  # level -> key -> windows
    folded: dict[str, dict[str, set[str]]] = field(default_factory=dict)    # level -> folded key -> ids
    conflicts: list[Conflict] = field(default_factory=list)
    fuzzy_tables: dict[str, tuple[list[str], list[frozenset[str]]]] = field(default_factory=dict)

    def lookup(self, key: str, level: str, day: date | None = None) -> Entry | None:
        """The body `key` names in a plan of `level` dated `day` (None: undated)."""
        for alias, entry_id in self.dated.get(level, {}).get(key, ()):
            if alias.holds_at(day):
                return self.entries[entry_id]
        entry_id = self.index.get(level, {}).get(key)
        return self.entries[entry_id] if entry_id else None

    def keys(self, level: str) -> dict[str, str]:
        """Every key of `level` with one body (dated aliases: their earliest meaning): for spotting."""
        out = dict(self.index.get(level, {}))
        for key, windows in self.dated.get(level, {}).items():
            out.setdefault(key, windows[0][1])
        return out

    def is_canonical(self, entry: Entry, text: str) -> bool:
        return light(text) == light(entry.name)

    def successor(self, entry: Entry, day: date) -> Entry | None:
        """The body holding `entry`'s function on `day`, when that is another body."""
        current, seen = entry, {entry.id}
        while current.valid_to is not None and day > current.valid_to and current.successors:
            nxt = self.entries[current.successors[0]]
            if nxt.id in seen:
                break
            seen.add(nxt.id)
            current = nxt
        return current if current.id != entry.id else None


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _alias(raw) -> Alias:
    if isinstance(raw, str):
        return Alias(raw)
    contexts = frozenset(raw["contexts"]) if "contexts" in raw else None
    return Alias(raw["text"], contexts, _date(raw.get("since")), _date(raw.get("until")))


def _entry(raw: dict) -> Entry:
    return Entry(
        id=raw["id"], name=raw["name"], kind=raw["kind"], level=raw["level"],
        contexts=frozenset(raw.get("contexts", LEVELS)),
        aliases=tuple(_alias(a) for a in raw.get("aliases", ())),
        valid_from=_date(raw.get("valid_from")), valid_to=_date(raw.get("valid_to")),
        successors=tuple(raw.get("successors", ())), parent=raw.get("parent"),
        class_name=raw.get("class_name"), source=raw.get("source"), numbered=bool(raw.get("numbered")),
    )


def class_entry(base: Entry, entries: dict[str, Entry]) -> Entry:
    """The group 'all <office>s of a level' used by higher-level plans ('Phòng Tư pháp cấp huyện')."""
    tier = "cấp huyện" if base.level == "district" else "cấp xã"
    plain = [Alias(a.text) for a in base.names() if a.contexts is None]
    plural = "các huyện" if base.level == "district" else "các xã"
    unit = tier.removeprefix("cấp")  # an office named with its unit ("Công an xã") names the class without it
    stems = dict.fromkeys(a.text.removesuffix(unit) for a in plain)
    aliases = [Alias(f"{stem} {t}") for stem in stems for t in (tier, plural)]
    if base.level == "district":  # bare office names in a provincial plan mean the district offices
        aliases += plain
    successors = tuple(
        f"{s}{CLASS_SUFFIX}" if entries[s].class_name else s for s in base.successors
    )
    return Entry(
        id=f"{base.id}{CLASS_SUFFIX}", name=base.class_name or f"{base.name} {tier}", kind="group",
        level=base.level, contexts=CLASS_CONTEXTS, aliases=tuple(aliases),
        valid_from=base.valid_from, valid_to=base.valid_to, successors=successors, source=base.source,
    )


def _index(registry: Registry) -> None:
    for level in LEVELS:
        registry.index[level] = {}
        registry.dated[level] = defaultdict(list)
        registry.folded[level] = defaultdict(set)
    for entry in registry.entries.values():
        for alias in entry.names():
            key = key_of(alias.text)
            for level in sorted(alias.contexts or entry.contexts):
                registry.folded[level][fold(key)].add(entry.id)
                if alias.since is not None or alias.until is not None:
                    _add_dated(registry, level, key, alias, entry.id)
                    continue
                known = registry.index[level].setdefault(key, entry.id)
                if known != entry.id:
                    registry.conflicts.append(Conflict(level, key, (known, entry.id)))
    for level, table in registry.folded.items():
        items = sorted(table.items())
        registry.fuzzy_tables[level] = ([k for k, _ in items], [frozenset(v) for _, v in items])


def _add_dated(registry: Registry, level: str, key: str, alias: Alias, entry_id: str) -> None:
    windows = registry.dated[level][key]
    for other, other_id in windows:
        overlap = (alias.since is None or other.until is None or alias.since <= other.until) and \
                  (other.since is None or alias.until is None or other.since <= alias.until)
        if overlap and other_id != entry_id:
            registry.conflicts.append(Conflict(level, key, (other_id, entry_id)))
    windows.append((alias, entry_id))
    windows.sort(key=lambda w: w[0].since or date.min)


def build_registry(data: dict) -> Registry:
    entries: dict[str, Entry] = {}
    for raw in data["entries"]:
        entry = _entry(raw)
        if entry.id in entries:
            raise ValueError(f"duplicate agency id {entry.id!r} in the registry")
        entries[entry.id] = entry
    for entry in list(entries.values()):
        if entry.class_name:
            derived = class_entry(entry, entries)
            entries[derived.id] = derived
    registry = Registry(entries=entries, sources=data.get("sources", {}))
    _index(registry)
    return registry


@functools.cache
def load_registry(path: Path = REGISTRY_FILE) -> Registry:
    """The registry of `path`; the data files' own one is compiled once and kept between processes."""
    if path != REGISTRY_FILE:
        return build_registry(load_yaml(path))
    return compiled("agency-registry", lambda: build_registry(load_yaml(path)), *_DECIDING)


def normalizers_fingerprint() -> str:
    """Changes with any code or data file the registry (and what is found with it) comes from."""
    return fingerprint(*_DECIDING)


_DECIDING = (DATA_DIR.parent, Path(plantasks.__file__).parent)  # the normalizers; data_files.py and the version
