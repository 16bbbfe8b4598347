"""One piece of a time cell -> its label and deadline items (GOLD_SPEC "Deadline items").

read_piece runs the unit steps of resolve.py in order, turns each unit into a DeadlineItem with
its own raw span, and reads a piece without any period as an offset, an event, a reference or
unspecified.
"""

from __future__ import annotations

import bisect

import re
from dataclasses import dataclass, field

from plantasks.normalizers.context import PlanContext
from plantasks.normalizers.deadlines.canonical import Canonical
from plantasks.normalizers.deadlines.grammar import Grammar
from plantasks.normalizers.deadlines.model import NOW, OFFSET, Entity, add_offset
from plantasks.normalizers.deadlines.resolve import (
    INVALID_DATE,
    INVERTED,
    LEADING,
    OCR_REPAIRED,
    TRAILING,
    UNPARSED,
    Cues,
    absorb_into_recurrence,
    drop_describing_years,
    drop_notes_in_parentheses,
    event_governs,
    fill_years_from_list,
    fill_years_from_plan,
    has_cue,
    load_cues,
    share_cues,
    sort_recurrence,
    split_label,
    squash,
    to_units,
    unit_confidence,
    unit_dates,
    unit_rule,
)
from plantasks.schemas import DeadlineItem
from plantasks.normalizers.text import BULLET_SYMBOLS


@dataclass
class PieceReading:
    label: str | None
    items: list[DeadlineItem] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    temporal: bool = False



def read_piece(canon: Canonical, start: int, end: int, entities: list[Entity], ctx: PlanContext,
               grammar: Grammar, inherited_label: str | None = None) -> PieceReading:
    """The label and items of raw[start:end]; `entities` are those of the whole cell."""
    cues = load_cues()
    inside = []
    for k in range(bisect.bisect_left(entities, start, key=lambda x: x.start), len(entities)):  # sorted by start
        e = entities[k]
        if e.start >= end:
            break
        if e.end <= end:
            inside.append(e)
    label, body_start = split_label(canon, start, end, inside, cues)
    if label is None:
        label = inherited_label
    body = [e for e in inside if e.start >= body_start]
    key = canon.key
    body_key = key[body_start:end]
    cued = has_cue(body_key, cues)
    units = to_units(body, key, body_start, cues)
    share_cues(units)
    fill_years_from_list(units)
    units = absorb_into_recurrence(units)
    units = drop_describing_years(units, key, cued)
    units = drop_notes_in_parentheses(units, key)
    fill_years_from_plan(units, ctx)
    if event_governs(units, key, body_start, cues):
        units = []
    reading = PieceReading(label=label)
    order = list(grammar.vocab.data["recurrence_order"])
    if units:
        spans = item_spans(canon, start, end, [(u.start, u.end) for u in units], cues)
        labels = unit_labels(canon, spans, [u.start for u in units], label, cues)
        for unit, (s, e), label in zip(units, spans, labels):
            kind, first, due, flags = unit_dates(unit, ctx)
            if first is not None and due is not None and first > due:
                kind, first, due, flags = "unspecified", None, None, flags + [INVERTED]
            reading.items.append(DeadlineItem(
                label=label, kind=kind, start=first, due=due,  # type: ignore[arg-type]
                recurrence=sort_recurrence(unit.recurrence, order) if kind == "recurring" else [],  # type: ignore[arg-type]
                raw=canon.raw[s:e], rule=unit_rule(unit), confidence=unit_confidence(unit, kind),
            ))
            reading.flags += flags
            if unit.ocr:
                reading.flags.append(OCR_REPAIRED)
        reading.temporal = any(i.kind != "unspecified" for i in reading.items) or INVALID_DATE in reading.flags
        return reading
    item = untimed_item(canon, start, end, body_start, body, ctx, cues, label)
    reading.items.append(item)
    reading.temporal = item.kind != "unspecified"
    if item.kind == "unspecified":
        reading.flags.append(UNPARSED)
    return reading


def unit_labels(canon: Canonical, spans: list[tuple[int, int]], unit_starts: list[int], first: str | None,
                cues: Cues) -> list[str | None]:
    """'Kế hoạch: Quý I/2024 Báo cáo: Quý IV/2024': a later 'X:' in the piece labels the units after it."""
    labels: list[str | None] = []
    current = first
    for i, ((s, _), u_start) in enumerate(zip(spans, unit_starts)):
        colon = canon.raw.rfind(":", s, u_start) if i > 0 else -1
        if colon > s:
            text = canon.raw[s:colon].strip(LEADING + BULLET_SYMBOLS)
            current = None if squash(canon.key[s:colon]).strip(".;,:-") in cues.generic_labels else (text or None)
        labels.append(current)
    return labels


def untimed_item(canon: Canonical, start: int, end: int, body_start: int, body: list[Entity],
                 ctx: PlanContext, cues: Cues, label: str | None) -> DeadlineItem:
    """A piece without a period: an offset, an event, a reference, or unspecified."""
    raw = trim(canon.raw, start, end)
    key = canon.key[body_start:end]
    offset = next((e for e in body if e.kind == OFFSET), None)
    if offset is not None and offset.offset is not None:
        amount, unit = offset.offset
        if offset.decision_anchor and ctx.reference_date is not None and unit != "workdays":
            due = add_offset(ctx.reference_date, amount, unit)
            if due is not None:
                return DeadlineItem(label=label, kind="date", start=None, due=due, raw=raw,
                                    rule=f"offset_from_decision/+{amount}{unit}", confidence=0.8)
        return DeadlineItem(label=label, kind="event", raw=raw, rule=f"event/offset+{amount}{unit}", confidence=0.9)
    for pattern, kind, confidence in (
        (cues.event_anywhere, "event", 1.0),
        (cues.reference_anywhere, "reference", 1.0),
        (cues.event_leading, "event", 0.8),
        (cues.reference_leading, "reference", 0.8),
    ):
        m = pattern.search(key)
        if m:
            cue = cues.printed.get(squash(m.group("cue")), m.group("cue"))
            return DeadlineItem(label=label, kind=kind, raw=raw, rule=f"{kind}/{cue}", confidence=confidence)
    if any(e.kind == NOW for e in body):
        return DeadlineItem(label=label, kind="event", raw=raw, rule="event/from_now", confidence=0.7)
    return DeadlineItem(label=label, kind="unspecified", raw=raw, rule="unspecified", confidence=0.2)


_SEPARATOR = re.compile(r"\s*(?:[,;•]|(?<![0-9a-z])(?:va|hoac|hay)(?![0-9a-z])|\s-\s)\s*")


def item_spans(canon: Canonical, start: int, end: int, units: list[tuple[int, int]], cues: Cues) -> list[tuple[int, int]]:
    """One raw span per unit, cut at the last separator between two units.

    'Tháng 6/2024 (sơ kết), tháng 12/2024 (tổng kết)' -> 'Tháng 6/2024 (sơ kết)' | 'tháng 12/2024 (tổng kết)';
    the first span starts at the piece start (label included), the last ends at the piece end.
    """
    cuts = [start]
    for (_, prev_end), (next_start, _) in zip(units, units[1:]):
        separators = list(_SEPARATOR.finditer(canon.key, prev_end, next_start))
        if separators:
            cuts += [separators[-1].start(), separators[-1].end()]
        else:
            m = cues.connector.match(canon.key, prev_end)
            cuts += [prev_end, min(m.end() if m else prev_end, next_start)]
    cuts.append(end)
    return [trim_span(canon.raw, cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]


def trim_span(raw: str, start: int, end: int) -> tuple[int, int]:
    while start < end and raw[start] in LEADING:
        start += 1
    while end > start and raw[end - 1] in TRAILING:
        end -= 1
    return start, end


def trim(raw: str, start: int, end: int) -> str:
    s, e = trim_span(raw, start, end)
    return raw[s:e]
