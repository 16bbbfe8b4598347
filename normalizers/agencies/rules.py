"""The reading rules of data/agency_rules.yaml, loaded once."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from plantasks.data_files import load_yaml
from plantasks.normalizers.text import strip_marks as _fold

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
RULES_FILE = DATA_DIR / "agency_rules.yaml"

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class NamedLocality:
    units: tuple[str, ...]
    bodies: tuple[str, ...]  # the local bodies a unit follows ("ubnd", "ủy ban nhân dân")
    unit_level: dict[str, str]
    central_cities: frozenset[str]
    district_successor: str
    district_valid_to: date


@dataclass(frozen=True, eq=False)  # hashed by identity: derived tables are cached per rules object
class AgencyRules:
    abbreviation_patterns: dict[tuple[str, ...], tuple[str, ...]]
    longest_abbreviation: int
    display_expansions: dict[str, str]
    head_words: tuple[str, ...]
    shared_heads: tuple[str, ...]
    subunit_heads: tuple[str, ...]
    labels: dict[str, str]                 # label text (lower) -> "lead" | "support"
    support_openers: tuple[str, ...]
    role_words: tuple[str, ...]            # after a name
    role_appositions: tuple[str, ...]      # "cơ quan thường trực", "là cơ quan": a role described after a name
    support_verbs: tuple[str, ...]         # "phối hợp", "tham gia" after bodies: they cooperate (performer column)
    leading_role_words: tuple[str, ...]    # before a name
    trailing_clauses: tuple[str, ...]      # "phụ trách …", "tham mưu UBND tỉnh" after a name: no part of it
    scope_phrases: tuple[str, ...]         # "theo chức năng, nhiệm vụ" after a name: dropped
    qualifier_words: tuple[str, ...]
    mention_qualifiers: tuple[str, ...]   # "liên quan", "ở các cấp": stay with the mention before
    subset_classes: dict[str, str]         # "các tỉnh" -> "các tỉnh, thành phố" (a narrowed class), longest first
    subset_openers: tuple[str, ...]        # "có", "ven", "vùng": start a narrowing phrase
    locality_lists: dict[str, frozenset[str]]  # "các huyện" -> kinds of its tier ("huyện", "thị xã" …)
    tiers: tuple[str, ...]                # "cấp tỉnh", "cấp xã": a lone tier repeats the mention before
    class_nouns: frozenset[str]           # bare class nouns: a run of them is one class ("Viện, Trường")
    links: frozenset[str]                 # words joining two names: "và", "với", "cùng"
    own_tier: tuple[str, str]             # ("cấp tỉnh", "tỉnh"): a provincial plan's own body
    ignored_parentheticals: frozenset[str]
    renamed_cues: tuple[str, ...]          # '(nay là …)': the present name follows
    locality_words: dict[str, tuple[str, ...]]
    named_locality: NamedLocality
    tier_words: frozenset[str]            # folded key words that name a tier ("tinh", "huyen")
    noun_tags: frozenset[str]
    fuzzy_cutoff: float
    fuzzy_min_length: int
    fuzzy_margin: float


def _words(text: str) -> tuple[str, ...]:
    from plantasks.normalizers.vietnamese import unify_tone_placement as unify_tone

    return tuple(unify_tone(w) for w in _WORD.findall(unicodedata.normalize("NFC", text).lower()) if w != "và")


def _abbreviations(raw: dict[str, str]) -> dict[tuple[str, ...], tuple[str, ...]]:
    patterns: dict[tuple[str, ...], tuple[str, ...]] = {}
    for pattern, expansion in raw.items():
        patterns[_words(pattern)] = _words(expansion)
    for pattern, expansion in list(patterns.items()):
        folded = tuple(_fold(w) for w in pattern)
        patterns.setdefault(folded, expansion)
    return patterns


def _phrases(items: list[str]) -> tuple[str, ...]:
    """Lowercase NFC phrases, longest first (so 'chi cục' is tried before 'cục')."""
    norm = {unicodedata.normalize("NFC", s).lower().strip() for s in items}
    return tuple(sorted(norm, key=lambda s: (-len(s), s)))


@functools.cache
def load_rules(path: Path = RULES_FILE) -> AgencyRules:
    data = load_yaml(path)
    labels = {unicodedata.normalize("NFC", text).lower(): role
              for role, texts in data["labels"].items() for text in texts}
    named = data["named_locality"]
    fuzzy = data["fuzzy"]
    abbreviations = _abbreviations(data["abbreviations"])
    return AgencyRules(
        abbreviation_patterns=abbreviations,
        longest_abbreviation=max(len(p) for p in abbreviations),
        display_expansions=dict(data["display_expansions"]),
        head_words=_phrases(data["head_words"]),
        shared_heads=_phrases(data["shared_heads"]),
        subunit_heads=_phrases(data["subunit_heads"]),
        labels=labels,
        support_openers=_phrases(data["support_openers"]),
        role_words=_phrases(data["role_words"] + data["support_verbs"]),  # (support verbs are role words too)
        role_appositions=_phrases(data["role_appositions"]),
        support_verbs=_phrases(data["support_verbs"]),
        leading_role_words=_phrases(data["leading_role_words"]),
        trailing_clauses=_phrases(data["charge_phrases"] + data["addressee_verbs"]),
        scope_phrases=_phrases(data["scope_phrases"]),
        qualifier_words=_phrases(data["qualifier_words"]),
        mention_qualifiers=_phrases(data["mention_qualifiers"]),
        subset_classes={unicodedata.normalize("NFC", k).lower(): v  # longest first
                        for k, v in sorted(data["locality_subsets"]["classes"].items(), key=lambda kv: -len(kv[0]))},
        subset_openers=_phrases(data["locality_subsets"]["openers"]),
        locality_lists={unicodedata.normalize("NFC", plural).lower(): frozenset(_phrases(kinds))
                        for plural, kinds in data["locality_lists"].items()},
        tiers=_phrases(data["tiers"]),
        class_nouns=frozenset(_phrases(data["class_nouns"])),
        links=frozenset(_phrases(data["links"])),
        own_tier=tuple(data["own_tier"]),
        ignored_parentheticals=frozenset(_phrases(data["ignored_parentheticals"])),
        renamed_cues=_phrases(data["renamed_cues"]),
        locality_words={k: _phrases(v) for k, v in data["locality_words"].items()},
        named_locality=NamedLocality(
            units=_phrases(named["units"]),
            bodies=_phrases(named["bodies"]),
            unit_level=dict(named["unit_level"]),
            central_cities=frozenset(named["central_cities"]),
            district_successor=named["district_successor"],
            district_valid_to=named["district_valid_to"],
        ),
        tier_words=frozenset(_fold(w) for t in fuzzy["tier_words"] for w in _words(t)),
        noun_tags=frozenset(data["noun_tags"]),
        fuzzy_cutoff=float(fuzzy["score_cutoff"]),
        fuzzy_min_length=int(fuzzy["min_key_length"]),
        fuzzy_margin=float(fuzzy["ambiguity_margin"]),
    )
