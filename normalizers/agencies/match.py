"""One candidate text -> one registry entry: exact / alias on keys, named localities, fuzzy."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from plantasks.normalizers.agencies.normalize import fold, key_of, keyed, nfc
from plantasks.normalizers.agencies.registry import Entry, Registry
from plantasks.normalizers.agencies.rules import AgencyRules
from plantasks.normalizers.agencies.split import trim
from plantasks.normalizers.context import PlanContext

How = Literal["exact", "alias", "fuzzy", "none"]
LOCALITY_TEMPLATE_ID = "template:ubnd_locality"


@dataclass(frozen=True)
class Hit:
    """How a printed mention resolved."""

    text: str
    entry: Entry | None
    how: How
    score: float
    name: str

    @property
    def known(self) -> bool:
        return self.entry is not None


def plan_level(ctx: PlanContext) -> str:
    return ctx.level or "province"


@functools.cache
def _qualifier_markers(rules: AgencyRules) -> tuple[str, ...]:
    return tuple(f" {key_of(w, rules)} " for w in rules.qualifier_words)


@functools.cache
def _locality_tokens(rules: AgencyRules) -> frozenset[str]:
    return frozenset(key_of(w, rules) for ws in rules.locality_words.values() for w in ws)


@functools.cache
def _locality_suffixes(rules: AgencyRules) -> tuple[tuple[str, str], ...]:
    return tuple((" " + key_of(w, rules), tier) for tier, ws in rules.locality_words.items() for w in ws)


def _locality_keys(key: str, ctx: PlanContext, rules: AgencyRules) -> list[str]:
    """The key with the plan's own province/district name cut after its locality word ('sở nội vụ tỉnh
    thanh hóa' -> 'sở nội vụ tỉnh'), or in its place when printed without one ('công an thanh hóa')."""
    out = []
    places = [("province", ctx.province), ("district", ctx.district)]
    for tier, name in places:
        if not name:
            continue
        words = list(rules.locality_words.get(tier, ()))
        if tier == "province" and name not in rules.named_locality.central_cities:
            words = [w for w in words if w != "thành phố"]
        name_key = key_of(name, rules)
        for word in words:
            suffix = f" {key_of(word, rules)} {name_key}"
            if key.endswith(suffix):
                out.append(key[: -len(name_key) - 1])
        if words and not out and key.endswith(f" {name_key}"):
            # the name without its locality word ('Đài PT-TH Nghệ An'), not another place's ('thành phố Vinh')
            before = key[: -len(name_key) - 1]
            if not any(before.endswith(" " + key_of(u, rules)) for u in rules.named_locality.units):
                word = "thành phố" if "thành phố" in words else words[0]  # a centrally-run city's bodies
                out.append(f"{before} {key_of(word, rules)}")
    return out


def _qualifier_keys(key: str, level: str, registry: Registry, rules: AgencyRules, day=None) -> list[str]:
    """'phòng tư pháp thuộc ủy ban nhân dân cấp huyện' -> 'phòng tư pháp' (the qualifier names a body)."""
    out = []
    locality = _locality_tokens(rules)
    for marker in _qualifier_markers(rules):
        pos = key.rfind(marker)
        if pos <= 0:
            continue
        tail = key[pos + len(marker):]
        if registry.lookup(tail, level, day) or tail in locality or tail.split(" ")[0] in locality:
            out.append(key[:pos])
    return out


def _trailing_locality_keys(key: str, level: str, registry: Registry, rules: AgencyRules) -> list[tuple[str, str]]:
    """'sở nội vụ tỉnh' -> ('sở nội vụ', 'province'): the bare word after a body's own name."""
    return [(key[: -len(suffix)], tier) for suffix, tier in _locality_suffixes(rules)
            if key.endswith(suffix) and len(key) > len(suffix)]


def candidate_keys(text: str, ctx: PlanContext, registry: Registry, rules: AgencyRules) -> list[tuple[str, str | None]]:
    """Keys to try in order, each with the body level it requires (None: any)."""
    level = plan_level(ctx)
    first = keyed(text, rules).key
    keys: list[tuple[str, str | None]] = [(first, None)]
    for key in [first, *_locality_keys(first, ctx, rules)]:
        if (key, None) not in keys:
            keys.append((key, None))
        for q in _qualifier_keys(key, level, registry, rules, ctx.vocabulary_date):
            keys.append((q, None))
    own, plain = (key_of(w, rules) for w in rules.own_tier)
    if level == "province" and first.endswith(" " + own):  # "ban an toàn giao thông cấp tỉnh"
        keys.append((first[: -len(own)] + plain, None))
    for key, _ in list(keys):
        keys.extend(_trailing_locality_keys(key, level, registry, rules))
    return keys


def match_exact(text: str, ctx: PlanContext, registry: Registry, rules: AgencyRules) -> Hit | None:
    level = plan_level(ctx)
    for key, body_level in candidate_keys(text, ctx, registry, rules):
        entry = registry.lookup(key, level, ctx.vocabulary_date)
        if entry is None or (body_level is not None and entry.level != body_level):
            continue
        how: How = "exact" if registry.is_canonical(entry, text) else "alias"
        return Hit(trim(text), entry, how, 100.0, entry.name)
    return _numbered(text, ctx, registry, rules) or _counted_group(text, ctx, registry, rules)


_NUMBER = re.compile(r"^(.*?\S)\s+(?:số\s+)?(\d{1,3}|[IVXLC]{1,7})$", re.I)


def _numbered(text: str, ctx: PlanContext, registry: Registry, rules: AgencyRules) -> Hit | None:
    """'Kho bạc Nhà nước khu vực XV': one of a class of bodies told apart by a number (a `numbered`
    entry), named with its number."""
    m = _NUMBER.match(trim(text))
    if m is None:
        return None
    hit = match_exact(m.group(1), ctx, registry, rules)
    if hit is None or hit.entry is None or not hit.entry.numbered:
        return None
    number = m.group(2).upper()
    return Hit(trim(text), hit.entry, hit.how, 100.0, f"{hit.entry.name} {number}")


def _counted_group(text: str, ctx: PlanContext, registry: Registry, rules: AgencyRules) -> Hit | None:
    """'UBND 06 thành phố trực thuộc trung ương': a class with a count is still the class (groups only)."""
    words = keyed(text, rules).key.split(" ")
    counted = [w for w in words if not w.isdigit()]
    if len(counted) == len(words) or not counted:
        return None
    entry = registry.lookup(" ".join(counted), plan_level(ctx), ctx.vocabulary_date)
    if entry is None or entry.kind != "group":
        return None
    return Hit(trim(text), entry, "alias", 100.0, entry.name)


_LOCALITY = re.compile(r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+(.+)$", re.I)


def match_named_locality(text: str, ctx: PlanContext, rules: AgencyRules) -> Hit | None:
    """'UBND thành phố Thái Bình' -> Ủy ban nhân dân thành phố Thái Bình (a named local government)."""
    m = _LOCALITY.match(nfc(trim(text)))
    if not m:
        return None
    rest = m.group(1)
    named = rules.named_locality
    for unit in named.units:
        if rest.lower().startswith(unit + " "):
            place = trim(rest[len(unit):])
            if not place or not place[0].isupper() or not re.fullmatch(r"[^\W\d_][\w ]*", place):
                return None
            level = named.unit_level[unit]
            if unit == "thành phố" and place in named.central_cities:
                level = "province"
            entry = _locality_entry(f"Ủy ban nhân dân {unit} {place}", level, rules)
            return Hit(trim(text), entry, "alias", 100.0, entry.name)
    return None


def _locality_entry(name: str, level: str, rules: AgencyRules) -> Entry:
    named = rules.named_locality
    ended = level == "district"
    return Entry(
        id=LOCALITY_TEMPLATE_ID, name=name, kind="agency", level=level, contexts=frozenset(),
        valid_to=named.district_valid_to if ended else None,
        successors=(named.district_successor,) if ended else (),
    )


def match_fuzzy(text: str, ctx: PlanContext, registry: Registry, rules: AgencyRules) -> Hit | None:
    """Best registry name within `score_cutoff` on diacritic-free keys; None when two bodies tie."""
    level = plan_level(ctx)
    choices, ids = registry.fuzzy_tables[level]
    dated = registry.dated.get(level, {})
    best: tuple[float, str, frozenset[str]] | None = None
    for key, body_level in candidate_keys(text, ctx, registry, rules):
        if key in dated and registry.lookup(key, level, ctx.vocabulary_date) is None:
            continue  # a name the registry gives only another time ("các phòng chuyên môn" before July 2025)
        query = fold(key)
        if len(query) < rules.fuzzy_min_length:
            continue
        found = process.extract(query, choices, scorer=fuzz.ratio, processor=None,
                                score_cutoff=rules.fuzzy_cutoff, limit=10)
        found = [f for f in found if _same_frame(query, f[0], rules)]
        if not found:
            continue
        top_score = found[0][1]
        top_ids = frozenset().union(*(ids[i] for _, s, i in found if s >= top_score - rules.fuzzy_margin))
        if len(top_ids) != 1:
            return None
        entry_id = next(iter(top_ids))
        if body_level is not None and registry.entries[entry_id].level != body_level:
            continue
        if best is None or top_score > best[0]:
            best = (top_score, entry_id, top_ids)
    if best is None:
        return None
    entry = registry.entries[best[1]]
    return Hit(trim(text), entry, "fuzzy", round(float(best[0]), 1), entry.name)


def _same_frame(query: str, choice: str, rules: AgencyRules) -> bool:
    """OCR damage may blur letters, not the kind or tier of a body: the head word ('sở' vs 'bộ') and
    the locality words ('tỉnh', 'huyện', 'xã', 'cấp') must agree."""
    q, c = query.split(" "), choice.split(" ")
    if q[0] != c[0]:
        return False
    tiers = rules.tier_words
    return sorted(w for w in q if w in tiers) == sorted(w for w in c if w in tiers)


_DOCUMENT_NUMBER = re.compile(r"\d[\w.]*/[\w./-]+|[\w.]+-[\w./-]*/[\w./-]+")


def display_name(text: str, rules: AgencyRules) -> str:
    """A mention kept as printed: abbreviations of `display_expansions` written out, first letter
    upper. A document number ('1234/QĐ-UBND', '02-KH/BCĐTW') is kept as printed."""
    out = " ".join(_expand_words(w, rules) for w in trim(nfc(text)).split())
    return out[:1].upper() + out[1:]


def _expand_words(word: str, rules: AgencyRules) -> str:
    if _DOCUMENT_NUMBER.search(word):
        return word
    for short, full in rules.display_expansions.items():
        word = re.sub(rf"(?<![^\W_]){re.escape(short)}(?![^\W_])", full, word)
    return word


def unknown(text: str, rules: AgencyRules) -> Hit:
    return Hit(trim(text), None, "none", 0.0, display_name(text, rules))
