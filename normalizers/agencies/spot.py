"""Finding registry names inside free text with a spaCy PhraseMatcher.

Used for pieces that are not a name on their own ("Giao Sở Tư pháp làm đầu mối"). The matcher
runs on key tokens (see normalize.py), so every abbreviation and spelling the registry knows is
found, and each span maps back to the printed characters. spaCy is imported lazily: a blank
multi-language pipeline, no model, no download.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from plantasks.normalizers.agencies.match import plan_level
from plantasks.normalizers.agencies.normalize import Keyed, key_of, keyed
from plantasks.normalizers.agencies.registry import Registry, load_registry, normalizers_fingerprint
from plantasks.normalizers.agencies.rules import AgencyRules, load_rules
from plantasks.normalizers.answers import Answers
from plantasks.normalizers.context import PlanContext

MIN_PATTERN_TOKENS = 3  # shorter keys ("cơ quan", "tỉnh ủy") are too common in running text


@dataclass(frozen=True)
class Spotted:
    first: int      # key token index
    last: int       # exclusive
    entry_id: str


@functools.cache
def _patterns(registry: Registry, level: str) -> tuple[frozenset[tuple[str, ...]], frozenset[int]]:
    """The matcher's patterns as token tuples, and their lengths: enough to tell, without spaCy,
    that a text holds none of them (most pieces), so spaCy is imported only when it has work."""
    keys = [tuple(key.split(" ")) for key in registry.keys(level)]
    found = frozenset(k for k in keys if len(k) >= MIN_PATTERN_TOKENS)
    return found, frozenset(map(len, found))


def _may_match(norms: list[str], registry: Registry, level: str) -> bool:
    patterns, lengths = _patterns(registry, level)
    return any(tuple(norms[i:i + n]) in patterns for n in lengths for i in range(len(norms) - n + 1))


def _model() -> str:
    """What decides the matcher's answers: spaCy, and the normalizers' code and data files (the
    registry, the rules that key its names) with the plantasks and Python versions."""
    from importlib.metadata import version

    return f"spacy {version('spacy')} phrase matcher; normalizers {normalizers_fingerprint()}"


ANSWERS = Answers("spot", _model)


@functools.cache
def _matcher(registry: Registry, level: str):
    import spacy
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    nlp = spacy.blank("xx")
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    by_id: dict[str, list] = {}
    for key, entry_id in registry.keys(level).items():
        words = key.split(" ")
        if len(words) >= MIN_PATTERN_TOKENS:
            by_id.setdefault(entry_id, []).append(Doc(nlp.vocab, words=words))
    for entry_id, docs in by_id.items():
        matcher.add(entry_id, docs)
    return nlp, matcher


def spot(text: Keyed, level: str, registry: Registry, rules: AgencyRules,
         keep_qualified: bool = False) -> list[Spotted]:
    """Registry names in `text`, longest first, not overlapping, in text order. Names right after
    a qualifier word ("của", "thuộc", ...) describe rather than act and are left out, unless
    `keep_qualified` (the text names a sub-unit: "Tổ giúp việc của Sở Nội vụ" counts as the Sở)."""
    norms = [t.norm for t in text.tokens]
    if not _may_match(norms, registry, level):
        return []
    qualifiers = [key_of(w, rules).split(" ") for w in rules.qualifier_words]
    out = []
    for start, end, entry_id in _matches(norms, registry, level):
        if not keep_qualified and any(q and norms[max(0, start - len(q)):start] == q for q in qualifiers):
            continue
        out.append(Spotted(start, end, entry_id))
    return out


def _matches(norms: list[str], registry: Registry, level: str) -> list[tuple[int, int, str]]:
    """The matcher's longest, non-overlapping spans (first, last, entry id) in text order."""
    remembered = registry is load_registry()  # (answers of another registry are not kept)
    key = f"{level} {' '.join(norms)}"
    if remembered and (answer := ANSWERS.get(key)) is not None:
        return [tuple(m) for m in json.loads(answer)]
    from spacy.tokens import Doc
    from spacy.util import filter_spans

    nlp, matcher = _matcher(registry, level)
    doc = Doc(nlp.vocab, words=norms)
    matches = matcher(doc)
    spans = filter_spans([doc[s:e] for _, s, e in matches])
    labels = {(s, e): nlp.vocab.strings[m] for m, s, e in matches}
    found = [(span.start, span.end, labels[(span.start, span.end)]) for span in sorted(spans, key=lambda sp: sp.start)]
    if remembered:
        ANSWERS.put(key, json.dumps(found, ensure_ascii=False))
    return found


@dataclass(frozen=True)
class Mention:
    """A registry body named in running text: where (characters of the text), which body."""

    start: int
    end: int
    text: str
    entry_id: str
    name: str


def find_agencies(text: str, ctx: PlanContext) -> list[Mention]:
    """Registry bodies named in body text ("… giao Sở Tư pháp chủ trì, phối hợp với UBND cấp xã …"),
    with their character spans: the same PhraseMatcher the cell reader uses on leftovers, over the
    registry names of the plan's level."""
    rules = load_rules()
    registry = load_registry()
    k = keyed(text, rules)
    out = []
    for s in spot(k, plan_level(ctx), registry, rules, keep_qualified=True):
        start, end = k.tokens[s.first].start, k.tokens[s.last - 1].end
        entry = registry.entries[s.entry_id]
        out.append(Mention(start, end, k.text[start:end], entry.id, entry.name))
    return out
