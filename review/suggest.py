"""Learning from corrections: agency fixes proposed as registry aliases.

An analyst who renames an agency row keeps its printed text (`Agency.text`) and sets the canonical
name; each (printed form -> canonical name) pair the registry does not already give is a candidate
alias. The output is YAML the registry maintainer can review and paste.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import yaml

from plantasks.normalizers.context import PlanContext
from plantasks.review.fields import AGENCY_FIELDS, norm_text
from plantasks.review.normalize import fold, registry_entries, resolve_one
from plantasks.review.store import Correction

HEADER = """\
# Agency aliases learned from analysts' corrections (plantasks corrections suggest-aliases).
# Each item: a canonical name, its registry id (null: not in the registry yet) and the printed
# forms analysts corrected to it, with how many corrections did so. Review each form, then add it
# to that entry's `aliases:` in the agency registry (or add a new entry).
"""


@dataclass(frozen=True)
class AliasSuggestion:
    text: str        # the form printed in the plan
    name: str        # the canonical name analysts chose
    column: str      # lead or support, where it was seen first
    count: int
    documents: int


def printed_to_canonical(correction: Correction) -> list[tuple[str, str]]:
    """(printed form, canonical name) pairs one agency correction teaches."""
    before = [a for a in correction.before or [] if isinstance(a, dict)]
    after = [a if isinstance(a, dict) else {"text": "", "name": a} for a in correction.after or []]
    unchanged = {(norm_text(a.get("text")), norm_text(a.get("name"))) for a in before}
    pairs = []
    for a in after:
        text, name = norm_text(a.get("text")), norm_text(a.get("name"))
        if text and name and fold(text) != fold(name) and (text, name) not in unchanged:
            pairs.append((text, name))
    after_names = {norm_text(a.get("name")) for a in after}
    removed = [a for a in before if norm_text(a.get("name")) not in after_names]
    typed = [a for a in after if not norm_text(a.get("text"))
             and norm_text(a.get("name")) not in {norm_text(b.get("name")) for b in before}]
    if removed and len(removed) == len(typed):
        pairs += [(norm_text(r.get("text") or r.get("name")), norm_text(t.get("name"))) for r, t in zip(removed, typed)
                  if fold(r.get("text") or r.get("name") or "") != fold(t.get("name") or "")]
    return pairs


def alias_suggestions(corrections: Iterable[Correction], min_count: int = 1) -> list[AliasSuggestion]:
    counts: Counter[tuple[str, str]] = Counter()
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    columns: dict[tuple[str, str], str] = {}
    for c in corrections:
        if c.field not in AGENCY_FIELDS:
            continue
        for pair in printed_to_canonical(c):
            counts[pair] += 1
            docs[pair].add(c.doc_sha256)
            columns.setdefault(pair, c.field)
    out = [AliasSuggestion(text, name, columns[(text, name)], n, len(docs[(text, name)]))
           for (text, name), n in counts.items() if n >= min_count and not _already_known(text, name, columns[(text, name)])]
    return sorted(out, key=lambda s: (-s.count, s.name, s.text))


def _already_known(text: str, name: str, column: str) -> bool:
    """True when the registry already reads `text` as `name` (nothing to add)."""
    found = resolve_one(text, column, PlanContext())
    return found.get("name") == name and found.get("match") in ("exact", "alias")


def registry_ids() -> dict[str, str]:
    return {e.name: e.id for e in registry_entries()}


def aliases_yaml(suggestions: list[AliasSuggestion]) -> str:
    ids = registry_ids()
    by_name: dict[str, list[AliasSuggestion]] = defaultdict(list)
    for s in suggestions:
        by_name[s.name].append(s)
    items = [{"name": name, "id": ids.get(name),
              "aliases": [{"text": s.text, "count": s.count, "documents": s.documents} for s in group]}
             for name, group in by_name.items()]
    body = yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=120) if items else "[]\n"
    return HEADER + body
