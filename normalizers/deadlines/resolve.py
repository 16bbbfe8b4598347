"""Entities of one piece -> units -> dates: the steps read_piece (reading.py) runs in order.

Turn the entities of the body into units (a period, a range of two periods, a recurrence,
"thường xuyên"); give each unit the cue in front of it ("trước", "chậm nhất", "trong", "từ",
"đến"), shared along a list ("Trước tháng 7 và tháng 11/2024"); fill missing years from the
list, then from a single-year plan; fold periods without a year into a recurrence of the same
piece ("Tháng 1 hàng năm"); drop years that only describe a thing ("Báo cáo năm 2024 trước
15/12"); compute kind, start and due under the cue. Also: the label split at ':'.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from plantasks.normalizers.context import PlanContext
from plantasks.normalizers.deadlines.canonical import Canonical
from plantasks.normalizers.deadlines.model import (
    CONTINUOUS,
    DATABLE,
    NEXT_YEAR,
    NOW,
    OFFSET,
    ONWARDS,
    RECURRING,
    YEAR,
    Entity,
    Slot,
    add_offset,
)
from plantasks.normalizers.deadlines.vocab import alternation, fold, load_vocab
from plantasks.normalizers.text import BULLET_SYMBOLS

UNIT_KINDS = (DATABLE, RECURRING, CONTINUOUS, ONWARDS, "invalid")
TRAILING = " .;,:…-–—/"
LEADING = " .;,:"

# flags
UNPARSED = "deadline_unparsed"
YEAR_UNRESOLVED = "deadline_year_unresolved"
INVALID_DATE = "deadline_invalid_date"
INVERTED = "deadline_inverted_range"
OCR_REPAIRED = "deadline_ocr_repaired"


@dataclass(frozen=True)
class Cues:
    """Regexes over keys for the cue words of vocab.yaml."""

    cue_at_end: re.Pattern[str]
    cue_class: dict[str, str]
    list_link: re.Pattern[str]
    range_link: re.Pattern[str]
    connector: re.Pattern[str]
    event_anywhere: re.Pattern[str]
    event_leading: re.Pattern[str]
    reference_anywhere: re.Pattern[str]
    reference_leading: re.Pattern[str]
    generic_labels: frozenset[str]
    printed: dict[str, str]  # squashed key -> the vocabulary phrase, for readable rule names


def squash(text: str) -> str:
    return "".join(text.split())


@functools.cache
def load_cues() -> Cues:
    vocab = load_vocab()
    cue_class: dict[str, str] = {}
    phrases: list[str] = []
    for name, words in vocab.data["cues"].items():
        for word in words:
            cue_class[squash(fold(word))] = name
            phrases.append(word)
    b, e = r"(?<![0-9a-z])", r"(?![0-9a-z])"
    ev, ref = vocab.data["event_cues"], vocab.data["reference_cues"]
    return Cues(
        cue_at_end=re.compile(rf"{b}(?P<cue>{alternation(phrases)})\s*[:,]?\s*$"),
        cue_class=cue_class,
        list_link=re.compile(r"\s*(?:(?:,|;|&|\+|/|va|hoac|hay)\s*)*(?:(?:trong|vao)\s*)?"),
        range_link=re.compile(r"\s*(?:-|den\s*het|den\s*cuoi|den|toi\s*het|toi|cho\s*den(?:\s*het)?)\s*"),
        connector=re.compile(r"[\s,;&+/\-•–—*·]*(?:(?:va|hoac|hay)(?![0-9a-z])\s*)?"),
        event_anywhere=re.compile(rf"{b}(?P<cue>{alternation(ev['anywhere'])}){e}"),
        event_leading=re.compile(rf"^[\W_]*(?P<cue>{alternation(ev['leading'])}){e}"),
        reference_anywhere=re.compile(rf"{b}(?P<cue>{alternation(ref['anywhere'])}){e}"),
        reference_leading=re.compile(rf"^[\W_]*(?P<cue>{alternation(ref['leading'])}){e}"),
        generic_labels=frozenset(squash(fold(w)) for w in vocab.data["generic_labels"]),
        printed={squash(fold(p)): p for group in (ev, ref) for words in group.values() for p in words},
    )


@dataclass
class Unit:
    """One future item: a period, a range of two, a recurrence or 'thường xuyên'."""

    kind: str
    start: int
    end: int
    rule: str
    first: Slot | None = None
    last: Slot | None = None
    recurrence: tuple[str, ...] = ()
    cue: str | None = None
    from_now: bool = False
    explicit_year: bool = False
    part: str | None = None
    ocr: bool = False
    offset: tuple[int, str] | None = None
    year_source: str | None = None  # explicit / list / plan / None
    group: int = 0
    years_after: int | None = None  # "Tháng 12 năm nay": 0, "Tháng 01 năm sau": 1 (years after the plan's)

    @property
    def needs_year(self) -> bool:
        return any(s is not None and s.year is None for s in (self.first, self.last))

    @property
    def year(self) -> int | None:
        for slot in (self.last, self.first):
            if slot is not None and slot.year is not None:
                return slot.year
        return None

    def set_year(self, year: int, source: str) -> None:
        if self.first is not None and self.first.year is None:
            self.first = self.first.with_year(year)
        if self.last is not None and self.last.year is None:
            self.last = self.last.with_year(year)
        self.year_source = source


# ------------------------------------------------------------------------------------------ label

def split_label(canon: Canonical, start: int, end: int, entities: list[Entity], cues: Cues) -> tuple[str | None, int]:
    """(label, body start): the text before a ':' when the text after it carries the time."""
    raw, key = canon.raw, canon.key
    for colon in (i for i in range(start, end) if raw[i] == ":"):
        if 0 < colon < len(raw) - 1 and raw[colon - 1].isdigit() and raw[colon + 1].isdigit():
            continue  # 8:30
        after = [e for e in entities if e.start > colon and e.end <= end]
        if not (any(e.kind in UNIT_KINDS or e.kind == OFFSET for e in after) or has_cue(key[colon + 1:end], cues)):
            continue
        label = raw[start:colon].strip(LEADING + BULLET_SYMBOLS)
        folded = squash(key[start:colon]).strip(".;,:-")
        if folded in cues.cue_class:
            return None, start  # "Chậm nhất: 15/12/2024": the cue is part of the time
        if not label or folded in cues.generic_labels:
            return None, colon + 1  # "Thời gian thực hiện: Quý II/2024"
        return label, colon + 1
    return None, start


def has_cue(key: str, cues: Cues) -> bool:
    return bool(cues.event_anywhere.search(key) or cues.event_leading.search(key)
                or cues.reference_anywhere.search(key) or cues.reference_leading.search(key))


# ------------------------------------------------------------------------------------------ units

def to_units(entities: list[Entity], key: str, body_start: int, cues: Cues) -> list[Unit]:
    """Units in text order, each with the cue in front of it and its list group; ranges merged.

    Markers (an offset "05 ngày kể từ", "từ nay") are no units; they shape the unit after them.
    """
    units: list[Unit] = []
    group = 0
    prev: Entity | None = None
    for e in entities:
        gap = key[(prev.end if prev else body_start):e.start]
        if (e.kind == NEXT_YEAR or e.rule == "this_year") and units and prev is not None and prev.kind == DATABLE \
                and units[-1].needs_year and not gap.strip(" ,/"):  # the year of the period before it
            units[-1].years_after = 1 if e.kind == NEXT_YEAR else 0
            prev = e
            continue
        if e.kind == NEXT_YEAR:  # after no period: itself the year after the plan's ("Năm sau", "Đầu năm tới")
            e = Entity(kind=DATABLE, start=e.start, end=e.end, rule="next_year", first=Slot(YEAR, None),
                       last=Slot(YEAR, None))
        if e.kind not in UNIT_KINDS:
            prev = e
            continue
        is_range = prev is not None and cues.range_link.fullmatch(gap) is not None
        linked = prev is not None and (is_range or cues.list_link.fullmatch(gap) is not None)
        group += 0 if linked else 1
        if prev is not None and prev.kind == NOW and is_range and e.kind == DATABLE:
            units.append(_from_now(prev, e, group))
        elif is_range and _extends_range(units, prev, e, group):
            _merge_range(units[-1], e)
        else:
            unit = _unit(e, group, _cue(gap, cues))
            if e.rule == "next_year":
                unit.years_after = 1
            if prev is not None and prev.kind == OFFSET and e.first is not None and e.first.grain == "day":
                unit.offset, unit.rule, unit.start = prev.offset, "offset_from_date", prev.start
            units.append(unit)
        prev = e
    return units


def _from_now(now: Entity, e: Entity, group: int) -> Unit:
    """'từ nay đến hết năm 2024': from the decision date to the end of the period."""
    unit = _unit(e, group, None)
    unit.start, unit.from_now, unit.rule = now.start, True, "range_from_now"
    return unit


def _extends_range(units: list[Unit], prev: Entity | None, e: Entity, group: int) -> bool:
    return (bool(units) and prev is not None and prev.kind == DATABLE and e.kind == DATABLE
            and units[-1].kind == DATABLE and units[-1].group == group and not units[-1].from_now)


def _unit(e: Entity, group: int, cue: str | None) -> Unit:
    return Unit(kind=e.kind, start=e.start, end=e.end, rule=e.rule, first=e.first, last=e.last,
                recurrence=e.recurrence, cue=cue, explicit_year=e.explicit_year, part=e.part, ocr=e.ocr,
                year_source="explicit" if e.explicit_year else None, group=group)


def _merge_range(unit: Unit, e: Entity) -> None:
    """'từ tháng 3 đến tháng 6/2024', 'Quý I - Quý II/2024': unit becomes the span."""
    first, last = unit.first, e.last
    if first is not None and last is not None:
        if first.year is None and last.year is not None:
            first = first.with_year(last.year)
            if _after(first, last):
                first = first.with_year(last.year - 1)
        elif last.year is None and first.year is not None:
            last = last.with_year(first.year)
            if _after(first, last):
                last = last.with_year(first.year + 1)
    unit.first, unit.last, unit.end = first, last, e.end
    unit.rule = "range"
    unit.cue = None if unit.cue in ("from", "within") else unit.cue
    unit.explicit_year = unit.explicit_year or e.explicit_year
    unit.year_source = "explicit" if unit.explicit_year else None
    unit.ocr = unit.ocr or e.ocr


def _after(first: Slot, last: Slot) -> bool:
    """True when `first` starts after `last` ends (both with years; invalid days compare False)."""
    if not (first.is_valid() and last.is_valid()):
        return False
    return first.first_day() > last.last_day()


def _cue(gap: str, cues: Cues) -> str | None:
    m = cues.cue_at_end.search(gap)
    return cues.cue_class.get(squash(m.group("cue"))) if m else None


def share_cues(units: list[Unit]) -> None:
    """A cue governs the units listed after it: 'Trước tháng 7 và tháng 11/2024'."""
    for prev, unit in zip(units, units[1:]):
        if unit.cue is None and prev.cue is not None and prev.group == unit.group and unit.kind == DATABLE:
            unit.cue = prev.cue


def fill_years_from_list(units: list[Unit]) -> None:
    """'Quý II, Quý III/2024': a unit without a year takes the next listed year, else the previous."""
    for unit in units:
        if unit.kind != DATABLE or not unit.needs_year:
            continue
        listed = [u for u in units if u.group == unit.group and u.year_source == "explicit"]
        after = next((u for u in listed if u.start > unit.start), None)
        before = next((u for u in reversed(listed) if u.start < unit.start), None)
        if after is not None and after.first is not None and after.first.year is not None:
            unit.set_year(after.first.year, "list")
        elif before is not None and before.year is not None:
            unit.set_year(before.year, "list")


DAY_OF_PERIOD_RULES = ("day_every_period", "day_next_period", "day_in_period")


def absorb_into_recurrence(units: list[Unit]) -> list[Unit]:
    """Fold into the recurrence of the piece what only details it.

    'Tháng 1 hàng năm', 'Hằng năm, trước ngày 15/12': periods without a year;
    'Hàng quý (trước ngày 20 của tháng cuối quý)': a day inside the same repeating period;
    'Định kỳ trước ngày 10 hằng tháng': a bare 'định kỳ' whose period the day names;
    'Báo cáo năm: ...' style report words when the piece names a real time as well.
    """
    recurring = [u for u in units if u.kind == RECURRING and u.rule != "recurring_report"]
    if not recurring:
        return _drop_report_words(units)
    kept = [u for u in units if not (u.kind == DATABLE and u.needs_year)]
    main = [u for u in kept if u.kind == RECURRING and u.rule not in DAY_OF_PERIOD_RULES]
    if any(u.rule in DAY_OF_PERIOD_RULES and u.recurrence for u in kept):
        kept = [u for u in kept if not (u in main and not u.recurrence)]
        main = [u for u in main if u.recurrence]
    if main:
        covered = {code for u in main for code in u.recurrence}
        kept = [u for u in kept if not (u.rule in DAY_OF_PERIOD_RULES and (not u.recurrence or set(u.recurrence) <= covered))]
    return _drop_report_words(kept)


def _drop_report_words(units: list[Unit]) -> list[Unit]:
    """'Báo cáo năm', 'báo cáo 6 tháng' name a report; they are the time only when nothing else is."""
    if any(u.rule != "recurring_report" for u in units):
        return [u for u in units if u.rule != "recurring_report"]
    return units


def event_governs(units: list[Unit], key: str, body_start: int, cues: Cues) -> bool:
    """'Trước kỳ họp HĐND tỉnh cuối năm', 'Sau khi Bộ ban hành hướng dẫn năm 2024': an event whose
    words only mention a year; a cued or finer period ('..., trong Quý III/2024') still wins."""
    if not units or any(u.cue is not None or u.kind != DATABLE or u.first is None or u.first.grain != YEAR for u in units):
        return False
    body = key[body_start:units[0].start]
    m = cues.event_anywhere.search(body) or cues.event_leading.search(body)
    return m is not None and re.search(r"[a-z_]{2,}", body[m.end():]) is not None


def drop_describing_years(units: list[Unit], key: str, has_cue: bool) -> list[Unit]:
    """'Báo cáo kết quả năm 2024 trước 15/12/2024': a bare year after a noun names the thing, not the time."""
    if len(units) < 2 and not has_cue:
        return units
    kept = []
    for unit in units:
        alone = sum(1 for u in units if u.group == unit.group) == 1
        k = unit.start
        while k > 0 and key[k - 1].isspace():  # the character before the unit (no copy of the key)
            k -= 1
        last = key[k - 1] if k > 0 else ""
        if (unit.kind == DATABLE and unit.rule in ("year", "year_bare") and unit.cue is None and alone
                and last and (last.isalpha() or last == "_") and (len(units) > 1 or has_cue)):
            continue
        kept.append(unit)
    return kept if kept or has_cue else units


def drop_notes_in_parentheses(units: list[Unit], key: str) -> list[Unit]:
    """'Tháng 10/2026 (trình HĐND tỉnh tại kỳ họp cuối năm)': a period printed without any number
    inside a parenthesis after another time names what that time is for (a session, a report), not
    a deadline of its own."""
    kept = [units[0]] if units else []
    for unit in units[1:]:
        opened = key.rfind("(", 0, unit.start)
        inside = opened > kept[-1].end and key.rfind(")", opened, unit.start) < 0 and ")" in key[unit.end:]
        if inside and unit.kind == DATABLE and unit.year is None and not any(c.isdigit() for c in key[unit.start:unit.end]):
            continue
        kept.append(unit)
    return kept


def fill_years_from_plan(units: list[Unit], ctx: PlanContext) -> None:
    for unit in units:
        if unit.kind != DATABLE or not unit.needs_year:
            continue
        year = ctx.single_year
        if unit.years_after == 1:  # (in a plan of several years it stays open)
            year = year + 1 if year is not None else None
        if (unit.rule == "this_year" or unit.years_after == 0) and year is None and ctx.reference_date is not None:
            year = ctx.reference_date.year
        if year is not None:
            unit.set_year(year, "plan")


# ------------------------------------------------------------------------------------------ dates

def unit_dates(unit: Unit, ctx: PlanContext) -> tuple[str, date | None, date | None, list[str]]:
    """(kind, start, due, flags) of a unit under its cue."""
    if unit.kind == "invalid":
        return "unspecified", None, None, [INVALID_DATE]
    if unit.kind in (RECURRING, CONTINUOUS):
        return unit.kind, None, None, []
    if unit.kind == ONWARDS:
        assert unit.first is not None
        return "period", unit.first.first_day(), None, []
    assert unit.first is not None and unit.last is not None
    span = unit.first != unit.last or unit.from_now
    kind = "period" if span else {"day": "date", "month": "month", "quarter": "quarter", "half": "half_year", "year": "year"}[unit.first.grain]
    if unit.needs_year:
        return kind, None, None, [YEAR_UNRESOLVED]
    if not (unit.first.is_valid() and unit.last.is_valid()):
        return "unspecified", None, None, [INVALID_DATE]  # "29/02" in a year that has no 29 February
    first_day, last_day = unit.first.first_day(), unit.last.last_day()
    if unit.from_now:
        first_day = ctx.reference_date  # type: ignore[assignment]
    if unit.offset is not None:
        due = add_offset(last_day, *unit.offset) if unit.offset[1] != "workdays" else None
        return ("date", None, due, []) if due else ("event", None, None, [])
    cue = unit.cue
    if cue == "before" and unit.part in ("late", "end_by"):
        cue = "by"
    if unit.part == "end_by" and cue in (None, "within") and not span:
        cue = "by"
    if cue == "before":
        due = last_day if unit.first.grain == "day" and not span else _day_before(first_day)
        return kind, None, due, []
    if cue in ("by", "until"):
        return kind, None, last_day, []
    if cue == "from" and not span:
        return "period", first_day, None, []
    if cue == "after":
        return "period", _day_after(last_day), None, []
    return kind, first_day, last_day, []


def _day_after(day: date) -> date | None:
    try:
        return date.fromordinal(day.toordinal() + 1)
    except (ValueError, OverflowError):
        return None


def _day_before(day: date) -> date | None:
    try:
        return date.fromordinal(day.toordinal() - 1)
    except ValueError:
        return None


def unit_confidence(unit: Unit, kind: str) -> float:
    if kind == "unspecified":
        return 0.2
    score = 1.0
    if unit.ocr:
        score *= 0.85
    if unit.year_source == "plan":
        score *= 0.9
    if unit.needs_year:
        score *= 0.6
    if unit.part in ("early", "mid"):
        score *= 0.9
    if kind == "recurring" and not unit.recurrence:
        score *= 0.9
    return round(score, 3)


def unit_rule(unit: Unit) -> str:
    parts = [unit.rule]
    if unit.cue and unit.cue != "within":
        parts.append(unit.cue)
    if unit.part:
        parts.append(unit.part)
    if unit.offset:
        parts.append(f"+{unit.offset[0]}{unit.offset[1]}")
    return "/".join(parts)


def sort_recurrence(codes: tuple[str, ...], order: list[str]) -> list[str]:
    return sorted((c for c in set(codes) if c in order), key=order.index)
