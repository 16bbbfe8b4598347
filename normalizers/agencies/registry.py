"""The agency registry (data/agencies.yaml): entries, per-plan-level lookup indexes, successors."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

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
    index: dict[str, dict[str, str]] = field(default_factory=dict)          # level -> key -> id
    folded: dict[str, dict[str, set[str]]] = field(default_factory=dict)    # level -> folded key -> ids
    conflicts: list[Conflict] = field(default_factory=list)
    fuzzy_tables: dict[str, tuple[list[str], list[frozenset[str]]]] = field(default_factory=dict)

    def lookup(self, key: str, level: str) -> Entry | None:
        entry_id = self.index.get(level, {}).get(key)
        return self.entries[entry_id] if entry_id else None

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
    return Alias(raw["text"], frozenset(raw["contexts"]))


def _entry(raw: dict) -> Entry:
    return Entry(
        id=raw["id"], name=raw["name"], kind=raw["kind"], level=raw["level"],
        contexts=frozenset(raw.get("contexts", LEVELS)),
        aliases=tuple(_alias(a) for a in raw.get("aliases", ())),
        valid_from=_date(raw.get("valid_from")), valid_to=_date(raw.get("valid_to")),
        successors=tuple(raw.get("successors", ())), parent=raw.get("parent"),
        class_name=raw.get("class_name"), source=raw.get("source"),
    )


def class_entry(base: Entry, entries: dict[str, Entry]) -> Entry:
    """The group 'all <office>s of a level' used by higher-level plans ('Phòng Tư pháp cấp huyện')."""
    tier = "cấp huyện" if base.level == "district" else "cấp xã"
    plain = [Alias(a.text) for a in base.names() if a.contexts is None]
    aliases = [Alias(f"{a.text} {tier}") for a in plain]
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
        registry.folded[level] = defaultdict(set)
    for entry in registry.entries.values():
        for alias in entry.names():
            key = key_of(alias.text)
            for level in sorted(alias.contexts or entry.contexts):
                known = registry.index[level].setdefault(key, entry.id)
                if known != entry.id:
                    registry.conflicts.append(Conflict(level, key, (known, entry.id)))
                registry.folded[level][fold(key)].add(entry.id)
    for level, table in registry.folded.items():
        items = sorted(table.items())
        registry.fuzzy_tables[level] = ([k for k, _ in items], [frozenset(v) for _, v in items])


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
    return build_registry(yaml.safe_load(path.read_text(encoding="utf-8")))
