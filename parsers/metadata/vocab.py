"""The metadata vocabulary (provinces, bodies, titles, surnames, …) from data/metadata_vocab.yaml, loaded once."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from plantasks.data_files import load_yaml
from plantasks.normalizers.text import loose_key
from plantasks.normalizers.vietnamese import match_key

DATA = Path(__file__).parent.parent / "data" / "metadata_vocab.yaml"


@dataclass(frozen=True)
class Province:
    name: str
    kind: str  # "tỉnh" or "thành phố"
    city_since: int | None = None  # year it became a centrally-run city


@dataclass(frozen=True)
class Vocab:
    provinces: dict[str, Province]  # match_key of name/alias -> Province
    unit_levels: dict[str, str]  # "tỉnh" -> "province"
    local_bodies: dict[str, str]  # printed form key -> full name
    national: dict[str, str]  # form key -> name
    national_codes: dict[str, str]
    ministries: dict[str, str]  # name key -> name
    ministry_codes: dict[str, str]
    authority_titles: tuple[str, ...]
    signer_titles: frozenset[str]
    signature_noise: frozenset[str]
    surnames: frozenset[str]  # match_key
    number_types: dict[str, str]  # match_key(code) -> doc_type
    title_lead_ins: tuple[str, ...]
    plan_title_heads: tuple[str, ...]
    place_name_stops: tuple[tuple[str, ...], ...]  # match_key words of each phrase ("#": a number)
    motto: tuple[str, ...]
    subordinate_heads: tuple[str, ...]
    ministry_department_heads: tuple[str, ...]  # match_key, longest first
    locality_bodies: dict[str, str]  # match_key of a head -> the head as written ("ban chỉ đạo" -> "Ban Chỉ đạo")
    not_units: tuple[str, ...]  # match_key
    party_committees: dict[str, tuple[str, str | None]]  # match_key -> (as written, unit of its locality)
    official_names: tuple[str, ...]
    national_conveyors: frozenset[str]  # match_key of ministry-level offices speaking for national bodies


@functools.cache
def load_vocab() -> Vocab:
    raw = load_yaml(DATA)
    national, national_codes = _national_bodies(raw["national_bodies"])
    ministries, ministry_codes = _ministries(raw["ministries"])
    return Vocab(
        provinces=_provinces(raw["provinces"]),
        unit_levels={match_key(u["word"]): u["level"] for u in raw["units"]},
        local_bodies={loose_key(f): b["name"] for b in raw["local_bodies"] for f in b["forms"]},
        national=national,
        national_codes=national_codes,
        ministries=ministries,
        ministry_codes=ministry_codes,
        authority_titles=tuple(match_key(t) for t in raw["authority_titles"]),
        signer_titles=frozenset(match_key(t) for t in raw["signer_titles"]),
        signature_noise=frozenset(match_key(t) for t in raw["signature_noise"]),
        surnames=frozenset(match_key(s) for s in raw["surnames"]),
        number_types={match_key(k): v for k, v in raw["number_types"].items()},
        title_lead_ins=tuple(sorted((match_key(t) for t in raw["title_lead_ins"]), key=len, reverse=True)),
        plan_title_heads=tuple(match_key(t) for t in raw["plan_title_heads"]),
        place_name_stops=tuple(tuple(match_key(p).split()) for p in raw["place_name_stops"]),
        motto=tuple(match_key(m) for m in raw["motto"]),
        subordinate_heads=tuple(sorted((match_key(h) for h in raw["subordinate_heads"]), key=len, reverse=True)),
        ministry_department_heads=tuple(sorted((match_key(h) for h in raw["ministry_department_heads"]),
                                               key=len, reverse=True)),
        locality_bodies={match_key(h): h for h in raw["locality_bodies"]},
        not_units=tuple(match_key(p) for p in raw["not_units"]),
        party_committees={match_key(c["name"]): (c["name"], c.get("unit")) for c in raw["party_committees"]},
        official_names=tuple(raw["official_names"]),
        national_conveyors=frozenset(match_key(n) for n in raw.get("national_conveyors", [])),
    )


def _provinces(entries: list[dict]) -> dict[str, Province]:
    """match_key of each name and alias -> its Province."""
    provinces: dict[str, Province] = {}
    for p in entries:
        prov = Province(p["name"], p["kind"], p.get("city_since"))
        for form in [p["name"], *p.get("aliases", [])]:
            provinces[match_key(form)] = prov
    return provinces


def _national_bodies(entries: list[dict]) -> tuple[dict[str, str], dict[str, str]]:
    """(form key -> name, number code key -> name) of the national bodies."""
    national, national_codes = {}, {}
    for b in entries:
        for form in b["forms"]:
            national[match_key(form)] = b["name"]
        for code in b.get("codes", []):
            national_codes[match_key(code)] = b["name"]
    return national, national_codes


def _ministries(entries: list[dict]) -> tuple[dict[str, str], dict[str, str]]:
    """(name key -> name, number code key -> name) of the ministries."""
    ministries, ministry_codes = {}, {}
    for m in entries:
        ministries[match_key(m["name"])] = m["name"]
        for code in m.get("codes", []):
            ministry_codes[match_key(code)] = m["name"]
    return ministries, ministry_codes
