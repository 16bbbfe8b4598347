"""The time grammar: named rules over the match key, each giving Entities.

Every rule is a regex over the canonical key (lower case, no diacritics, masked; canonical.py)
built from vocab.yaml, and a builder that turns a match into entities. All rules run over the
text; overlapping candidates are resolved longest first, then by rule order (Duckling-style), so
"Quý IV/2024" is one quarter, not a quarter plus a year, and "2021 - 2025" is one span.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from plantasks.normalizers.deadlines.model import (
    CONTINUOUS,
    DATABLE,
    DAY,
    HALF,
    MONTH,
    NEXT_YEAR,
    NOW,
    OFFSET,
    ONWARDS,
    QUARTER,
    RECURRING,
    YEAR,
    Entity,
    Slot,
)
from plantasks.normalizers.deadlines.vocab import Vocab, alternation, fold, load_vocab

Builder = Callable[[re.Match[str], "Grammar"], list[Entity]]
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    build: Builder


@dataclass(frozen=True)
class Grammar:
    vocab: Vocab
    rules: tuple[Rule, ...]
    quarter_words: dict[str, int]
    month_words: dict[str, int]
    frequency_of: dict[str, str]
    quarter_item: re.Pattern[str]
    month_item: re.Pattern[str]
    freq_item: re.Pattern[str]
    offset_units: dict[str, str]
    part_of: dict[str, str]
    half_first: frozenset[str]

    def scan(self, key: str, repaired: frozenset[int] = frozenset(),
             barriers: frozenset[int] = frozenset()) -> list[Entity]:
        """All entities of the key, overlaps resolved: longest match first, then rule order. No
        entity spans a barrier (the start of a bulleted line: "- Tháng 3 / - Tháng 9" is two
        months, never the range "Tháng 3 - 9")."""
        candidates: list[tuple[int, int, int, list[Entity]]] = []
        walls = sorted(barriers)
        fixed = sorted(repaired)
        for order, rule in enumerate(self.rules):
            for m in rule.pattern.finditer(key):
                if m.end() <= m.start() or _any_between(walls, m.start(), m.end(), strict=True):
                    continue
                entities = rule.build(m, self)
                if entities:
                    candidates.append((m.start(), m.end(), order, entities))
        candidates.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
        taken = bytearray(len(key) + 1)  # positions already covered: linear in the key's length
        found: list[Entity] = []
        for start, end, _, entities in candidates:
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            for e in entities:
                ocr = e.ocr or _any_between(fixed, start, end)
                found.append(replace(e, ocr=ocr) if ocr != e.ocr else e)
        found.sort(key=lambda e: (e.start, e.end))
        return found

    # number readers -------------------------------------------------------------------------
    def quarter_number(self, token: str) -> tuple[int, bool] | None:
        """(quarter, read through OCR confusables) for 'iv', '1v', 'l', '11', '2', 'hai'."""
        token = " ".join(token.split())
        if token in self.quarter_words:
            return self.quarter_words[token], False
        if len(token) == 1 and token in "234":
            return int(token), False
        confusables: dict[str, str] = self.vocab.data["ocr"]["roman_confusables"]
        roman = "".join(confusables.get(c, c) for c in token)
        if roman not in ROMAN:
            return None
        repaired = roman != token and token != "1"
        return ROMAN[roman], repaired

    def month_number(self, token: str) -> int | None:
        token = " ".join(token.split())
        if token.isdigit():
            value = int(token)
            return value if 1 <= value <= 12 else None
        return self.month_words.get(token)


# ----------------------------------------------------------------------------------------- builders

def _any_between(sorted_positions: list[int], start: int, end: int, strict: bool = False) -> bool:
    """A position p with start <= p < end (strict: start < p < end), by bisection."""
    i = bisect.bisect_right(sorted_positions, start) if strict else bisect.bisect_left(sorted_positions, start)
    return i < len(sorted_positions) and sorted_positions[i] < end


def _year(m: re.Match[str], group: str = "y") -> int | None:
    value = m.groupdict().get(group)
    return int(value) if value else None


def _part(m: re.Match[str], grammar: Grammar) -> str | None:
    word = m.groupdict().get("part")
    return grammar.part_of.get("".join(word.split())) if word else None


def _datable(m: re.Match[str], rule: str, first: Slot, last: Slot | None = None, *, explicit: bool,
             part: str | None = None, ocr: bool = False, span: tuple[int, int] | None = None) -> Entity:
    start, end = span or m.span()
    return Entity(kind=DATABLE, start=start, end=end, rule=rule, first=first, last=last or first,
                  explicit_year=explicit, part=part, ocr=ocr)


def build_date(rule: str) -> Builder:
    def build(m: re.Match[str], g: Grammar) -> list[Entity]:
        month = g.month_number(m.group("m"))
        if month is None:
            return []
        year = _year(m)
        slot = Slot(DAY, year, month, int(m.group("d")))
        if not slot.with_year(year or 2024).is_valid():
            return [Entity(kind="invalid", start=m.start(), end=m.end(), rule=rule)]
        return [_datable(m, rule, slot, explicit=year is not None)]
    return build


def build_month(rule: str) -> Builder:
    def build(m: re.Match[str], g: Grammar) -> list[Entity]:
        month = g.month_number(m.group("m"))
        if month is None:
            return []
        year = _year(m)
        return [_datable(m, rule, Slot(MONTH, year, month), explicit=year is not None, part=_part(m, g))]
    return build


def build_quarter(rule: str) -> Builder:
    def build(m: re.Match[str], g: Grammar) -> list[Entity]:
        read = g.quarter_number(m.group("q"))
        if read is None:
            return []
        year = _year(m)
        return [_datable(m, rule, Slot(QUARTER, year, read[0]), explicit=year is not None,
                         part=_part(m, g), ocr=read[1])]
    return build


def build_list(rule: str, grain: str) -> Builder:
    """'Quý II, III/2024', 'tháng 6 và 12/2024': one entity per number, the year on the last."""
    def build(m: re.Match[str], g: Grammar) -> list[Entity]:
        item_re = g.quarter_item if grain == QUARTER else g.month_item
        items = list(item_re.finditer(m.string, m.start("items"), m.end("items")))
        if len(items) < 2:
            return []
        year = _year(m)
        out: list[Entity] = []
        for i, item in enumerate(items):
            if grain == QUARTER:
                read = g.quarter_number(item.group("n"))
                if read is None:
                    return []
                number, ocr = read
            else:
                number, ocr = g.month_number(item.group("n")), False
                if number is None:
                    return []
            last = i == len(items) - 1
            start = m.start() if i == 0 else item.start()
            end = m.end() if last else item.end()
            out.append(_datable(m, rule, Slot(grain, year if last else None, number),
                                explicit=last and year is not None, part=_part(m, g) if i == 0 else None,
                                ocr=ocr, span=(start, end)))
        return out
    return build


def build_range(rule: str, grain: str) -> Builder:
    """'tháng 6-8/2024', 'Quý III - IV/2024': one span."""
    def build(m: re.Match[str], g: Grammar) -> list[Entity]:
        if grain == QUARTER:
            a, b = g.quarter_number(m.group("a")), g.quarter_number(m.group("b"))
            if a is None or b is None:
                return []
            (first, ocr1), (last, ocr2) = a, b
            ocr = ocr1 or ocr2
        else:
            first_m, last_m = g.month_number(m.group("a")), g.month_number(m.group("b"))
            if first_m is None or last_m is None:
                return []
            first, last, ocr = first_m, last_m, False
        if last <= first:
            return []
        year = _year(m)
        return [_datable(m, rule, Slot(grain, year, first), Slot(grain, year, last), explicit=year is not None, ocr=ocr)]
    return build


def build_half(m: re.Match[str], g: Grammar) -> list[Entity]:
    half = 1 if "".join(m.group("h").split()) in g.half_first else 2
    year = _year(m)
    return [_datable(m, "half_year", Slot(HALF, year, half), explicit=year is not None)]


def build_nine_months(m: re.Match[str], g: Grammar) -> list[Entity]:
    year = _year(m)
    return [_datable(m, "nine_months", Slot(MONTH, year, 1), Slot(MONTH, year, 9), explicit=year is not None)]


def build_year_span(m: re.Match[str], g: Grammar) -> list[Entity]:
    first, last = int(m.group("y1")), int(m.group("y2"))
    if not first < last <= first + 50:
        return []
    return [_datable(m, "year_span", Slot(YEAR, first), Slot(YEAR, last), explicit=True)]


def build_year(rule: str) -> Builder:
    def build(m: re.Match[str], g: Grammar) -> list[Entity]:
        year = _year(m)
        return [_datable(m, rule, Slot(YEAR, year), explicit=year is not None, part=_part(m, g))]
    return build


def build_next_year(m: re.Match[str], g: Grammar) -> list[Entity]:
    return [Entity(kind=NEXT_YEAR, start=m.start(), end=m.end(), rule="next_year")]


def build_onwards(m: re.Match[str], g: Grammar) -> list[Entity]:
    return [Entity(kind=ONWARDS, start=m.start(), end=m.end(), rule="year_onwards",
                   first=Slot(YEAR, int(m.group("y"))), last=None, explicit_year=True)]


_BRACKETED = re.compile(r"\([^()]*\)")


def _frequencies(text: str, g: Grammar) -> tuple[str, ...]:
    found: list[str] = []
    for item in g.freq_item.finditer(_BRACKETED.sub(" ", text)):  # a bracketed note names no period of the list
        word = "".join(item.group("f").split())
        code = g.frequency_of.get(word)
        if code is None and word.startswith("nam"):
            code = "yearly"
        if code and code not in found:
            found.append(code)
    return tuple(found)


def build_recurring(rule: str) -> Builder:
    def build(m: re.Match[str], g: Grammar) -> list[Entity]:
        listed = m.groupdict().get("list")
        codes = _frequencies(listed, g) if listed else ()
        if listed and not codes:
            return []
        return [Entity(kind=RECURRING, start=m.start(), end=m.end(), rule=rule, recurrence=codes)]
    return build


def build_ad_hoc(m: re.Match[str], g: Grammar) -> list[Entity]:
    return [Entity(kind=RECURRING, start=m.start(), end=m.end(), rule="ad_hoc", recurrence=("ad_hoc",))]


def build_times(m: re.Match[str], g: Grammar) -> list[Entity]:
    words = {"mot": 1, "hai": 2, "ba": 3, "bon": 4}
    per = " ".join((m.group("per") or "").split())
    count_text = m.group("n")
    count = words.get(count_text) if count_text in words else int(count_text)
    table = g.vocab.lookup("times_per_period")
    code = (table.get(per) or {}).get(count)
    return [Entity(kind=RECURRING, start=m.start(), end=m.end(), rule="times_per_period",
                   recurrence=(code,) if code else ())]


def build_per_lan(m: re.Match[str], g: Grammar) -> list[Entity]:
    codes = _frequencies(m.group("list"), g)
    return [Entity(kind=RECURRING, start=m.start(), end=m.end(), rule="period_per_time", recurrence=codes)]


def build_day_of_period(rule: str) -> Builder:
    """'ngày 15 hàng tháng', 'trước ngày 05 của tháng sau', 'ngày 20 tháng cuối quý'."""
    period_code = {"thang": "monthly", "quy": "quarterly", "qui": "quarterly", "nam": "yearly", "tuan": ""}

    def build(m: re.Match[str], g: Grammar) -> list[Entity]:
        code = period_code.get(" ".join(m.group("per").split()), "")
        return [Entity(kind=RECURRING, start=m.start(), end=m.end(), rule=rule, recurrence=(code,) if code else ())]
    return build


def build_continuous(m: re.Match[str], g: Grammar) -> list[Entity]:
    return [Entity(kind=CONTINUOUS, start=m.start(), end=m.end(), rule="continuous")]


def build_now(m: re.Match[str], g: Grammar) -> list[Entity]:
    return [Entity(kind=NOW, start=m.start(), end=m.end(), rule="from_now")]


def build_offset(m: re.Match[str], g: Grammar) -> list[Entity]:
    amount = int(m.group("n"))
    unit = g.offset_units.get(" ".join(m.group("u").split()), "days")
    return [Entity(kind=OFFSET, start=m.start(), end=m.end(), rule="offset", offset=(amount, unit),
                   decision_anchor=bool(m.group("dec")))]


def build_invalid(m: re.Match[str], g: Grammar) -> list[Entity]:
    return [Entity(kind="invalid", start=m.start(), end=m.end(), rule="invalid_date")]


# ----------------------------------------------------------------------------------------- patterns

def _fill(template: str, parts: dict[str, str]) -> str:
    for name, value in parts.items():
        template = template.replace(f"«{name}»", value)
    if "«" in template:
        raise ValueError(f"unfilled placeholder in {template!r}")
    return template


def _parts(v: Vocab) -> dict[str, str]:
    qwords = alternation(list(v.data["quarter_number_words"]))
    mwords = alternation(list(v.data["month_number_words"]))
    freq_phrases = [p for phrases in v.data["frequencies"].values() for p in phrases]
    numlook = rf"(?:[ivxl1|!]{{1,4}}(?![0-9a-z])|\d|dinh|{mwords}(?![0-9a-z])|{qwords}(?![0-9a-z]))"
    parts = {
        "B": r"(?<![0-9a-z])",
        "E": r"(?![0-9a-z])",
        "Y": r"(?:19|20)\d\d",
        "M": r"(?:1[0-2]|0?[1-9])",
        "D": r"(?:3[01]|[12]\d|0?[1-9])",
        "MW": mwords,
        "QN": rf"(?:[ivxl1|!]{{1,4}}|[1-4]|{qwords})(?![0-9a-z])",
        "MONTH": v.alt("month_words"),
        "QUARTER": v.alt("quarter_words"),
        "YEARW": v.alt("year_words"),
        "DAYW": v.alt("day_words"),
        "PART": alternation([w for ws in v.data["part_of_period"].values() for w in ws]),
        "HALFHEAD": v.alt("half_year_heads"),
        "HALFWHICH": v.alt("half_year_first", "half_year_second"),
        "NINE": v.alt("nine_month_heads"),
        "SPANW": v.alt("span_words"),
        "ONWARDS": v.alt("onwards_tails"),
        "NEXTYEAR": v.alt("next_year_tails"),
        "RECHEAD": v.alt("recurrence_heads"),
        "RECLEAD": v.alt("recurrence_lead"),
        "REPORT": v.alt("report_words"),
        "NEXT": v.alt("next_period_words"),
        "CONT": v.alt("continuous"),
        "CONTTAIL": v.alt("continuous_tails"),
        "NOWW": v.alt("now_words"),
        "OFFHEAD": v.alt("offset_heads"),
        "OFFUNIT": alternation([w for ws in v.data["offset_units"].values() for w in ws]),
        "OFFANCHOR": v.alt("offset_anchors"),
        "DECISION": v.alt("decision_anchors"),
        "FREQALT": alternation(freq_phrases),
        "NUMLOOK": numlook,
    }
    # a number after "tuần thứ", "đợt" … is no day (one fixed-width lookbehind per phrase)
    counted = [" ".join(fold(f"{w} {o}").split())
               for w in ["", *v.data["counted_words"]] for o in ["", *v.data["counted_ordinal"]]]
    # the number of a month or quarter ("tháng 01 năm sau") or of a day/month ("31/01") counts no offset
    parts["NOTPERIODNUMBER"] = "".join(rf"(?<!{' '.join(fold(w).split())} )"
                                       for w in [*v.data["month_words"], *v.data["quarter_words"]])
    parts["NOTDAY"] = "".join(rf"(?<!{c} )" for c in counted if c)
    # after a day/month no year follows ('15/5/2024' is a full date), but a range may ('15/5 - 30/6/2024')
    parts["NOYEAR"] = r"(?!\s*[/.]\s*\d)(?!\s*-\s*(?:19|20)\d\d(?![0-9/]))"
    parts["YSEP"] = _fill(r"\s*(?:/|-|\.|,?\s*«YEARW»)\s*", parts)
    parts["FREQB"] = _fill(r"(?:«FREQALT»(?![0-9a-z])(?!\s*«NUMLOOK»))", parts)
    parts["FREQ"] = _fill(r"(?:«YEARW»\s*«Y»(?![0-9])|«FREQB»)", parts)
    parts["LSEP"] = r"\s*(?:,|va|hoac|hay|/)\s*"
    # a note in brackets after a list's period word ("6 thang (truoc 15/6) va nam"): the list goes on after it
    parts["NOTE"] = r"(?:\s*\([^()]{1,80}\))?"
    return parts


RULES: tuple[tuple[str, str, Callable[..., list[Entity]] | Builder], ...] = (
    ("date_dmy", r"«B»(?:«DAYW»\s*)?(?P<d>«D»)\s*(?P<s>[/.\-])\s*(?P<m>«M»)\s*(?P=s)\s*(?P<y>«Y»)(?![0-9])", build_date("date_dmy")),
    ("date_ymd", r"«B»(?P<y>«Y»)-(?P<m>1[0-2]|0[1-9])-(?P<d>3[01]|[12]\d|0[1-9])«E»", build_date("date_ymd")),
    ("date_words", r"«B»(?:«DAYW»\s*)?«NOTDAY»(?P<d>«D»)\s+«MONTH»\s*(?P<m>«M»|«MW»)\s*,?\s*(?:«YEARW»|/|-)\s*(?P<y>«Y»)(?![0-9])", build_date("date_words")),
    ("date_dm", r"«B»«DAYW»\s*(?P<d>«D»)\s*(?P<s>[/.\-])\s*(?P<m>«M»)«NOYEAR»(?![0-9])", build_date("date_dm")),
    ("date_dm_words", r"«B»«DAYW»\s*(?P<d>«D»)\s+«MONTH»\s*(?P<m>«M»|«MW»)(?!\s*,?\s*(?:«YEARW»|/|-|\.)\s*\d)«E»", build_date("date_dm_words")),
    ("date_dm_cued", r"(?:(?<=truoc )|(?<=den )|(?<=va )|(?<=, )|(?<=tu )|(?<=- )|(?<=het )|(?<=nhat )|^(?=«D»\s*/\s*«M»\s*-\s*«D»\s*/))(?P<d>«D»)\s*/\s*(?P<m>«M»)(?!\s+\d)«NOYEAR»(?![0-9])", build_date("date_dm")),
    ("date_invalid", r"«B»(?:«DAYW»\s*)?(?:3[2-9]|[4-9]\d)\s*/\s*(?:1[0-2]|0?[1-9])\s*/\s*«Y»(?![0-9])", build_invalid),
    ("month_year", r"«B»(?:(?P<part>«PART»)\s+)?«MONTH»\s*(?P<m>«M»|«MW»)«YSEP»(?P<y>«Y»)(?![0-9])(?!\s*/\s*[0-9a-z])", build_month("month_year")),
    ("month_abbr", r"«B»t\.?\s?(?P<m>«M»)\s*/\s*(?P<y>«Y»)(?![0-9])", build_month("month_abbr")),
    ("month_bare", r"(?<![0-9a-z/.\-#])(?P<m>«M»)\s*/\s*(?P<y>«Y»)(?![0-9])(?!\s*/)", build_month("month_bare")),
    ("month_list", r"«B»(?:(?P<part>«PART»)\s+)?«MONTH»\s*(?P<items>«M»(?:\s*(?:,|va|hoac|&|\+)\s*(?:«MONTH»\s*)?«M»)+)(?![0-9])(?:«YSEP»(?P<y>«Y»)(?![0-9]))?", build_list("month_list", MONTH)),
    ("month_range", r"«B»«MONTH»\s*(?P<a>«M»)\s*(?:-|den|toi)\s*(?:«MONTH»\s*)?(?P<b>«M»)(?![0-9])(?:«YSEP»(?P<y>«Y»)(?![0-9]))?", build_range("month_range", MONTH)),
    ("month", r"«B»(?:(?P<part>«PART»)\s+)?«MONTH»\s*(?P<m>«M»|«MW»)(?!\s*(?:[/.\-]|,?\s*«YEARW»)\s*\d)«E»", build_month("month")),
    ("quarter_year", r"«B»(?:(?P<part>«PART»)\s+)?«QUARTER»\s*(?P<q>«QN»)«YSEP»(?P<y>«Y»)(?![0-9])", build_quarter("quarter_year")),
    ("quarter_abbr", r"«B»q\.?\s?(?P<q>«QN»)\s*[/\-]\s*(?P<y>«Y»)(?![0-9])", build_quarter("quarter_abbr")),
    ("quarter_list", r"«B»(?:(?P<part>«PART»)\s+)?«QUARTER»\s*(?P<items>«QN»(?:\s*(?:,|va|hoac|&|\+)\s*(?:«QUARTER»\s*)?«QN»)+)(?:«YSEP»(?P<y>«Y»)(?![0-9]))?", build_list("quarter_list", QUARTER)),
    ("quarter_range", r"«B»«QUARTER»\s*(?P<a>«QN»)\s*(?:-|den|toi)\s*(?:«QUARTER»\s*)?(?P<b>«QN»)(?:«YSEP»(?P<y>«Y»)(?![0-9]))?", build_range("quarter_range", QUARTER)),
    ("quarter", r"«B»(?:(?P<part>«PART»)\s+)?«QUARTER»\s*(?P<q>«QN»)", build_quarter("quarter")),
    ("half_year", r"«B»«HALFHEAD»\s+(?P<h>«HALFWHICH»)\s+(?:cua\s+)?«YEARW»(?:\s*[/\-:]?\s*(?P<y>«Y»)(?![0-9]))?«E»", build_half),
    ("nine_months", r"«B»«NINE»\s+dau\s+(?:cua\s+)?«YEARW»(?:\s*[/\-:]?\s*(?P<y>«Y»)(?![0-9]))?«E»", build_nine_months),
    ("year_span", r"«B»(?:«SPANW»\s*:?\s*|«YEARW»\s*)?(?P<y1>«Y»)\s*(?:-|den|toi)\s*(?:«YEARW»\s*)?(?P<y2>«Y»)(?![0-9])", build_year_span),
    ("year_onwards", r"«B»(?:«YEARW»\s*)?(?P<y>«Y»)\s*,?\s*«ONWARDS»«E»", build_onwards),
    # (not "các năm tới": the years to come)
    ("next_year", r"«B»(?<!cac )(?<!nhung )(?:cua\s+)?«NEXTYEAR»«E»", build_next_year),
    ("year", r"«B»(?:(?P<part>«PART»)\s+)?«YEARW»\s*[:.]?\s*(?P<y>«Y»)(?![0-9])(?!\s*/\s*[0-9a-z])", build_year("year")),
    ("year_bare", r"(?<![0-9a-z/.#\-])(?P<y>«Y»)(?![0-9a-z])(?!\s*/)", build_year("year_bare")),
    ("year_context", r"«B»(?:(?P<part>«PART»)\s+|(?:trong\s+ca|trong\s+suot|trong|ca|suot)\s+)«YEARW»(?!\s*(?:[:.]?\s*\d|hoc|tai\s*chinh|tiep|sau|toi|truoc|nay|ke|nhuan))«E»", build_year("year_context")),
    ("this_year", r"«B»«YEARW»\s+nay«E»", build_year("this_year")),
    ("recurring_head", r"«B»(?:«RECLEAD»\s*:?\s*)?«RECHEAD»\s+(?P<list>«FREQ»(?:«NOTE»«LSEP»«FREQ»)*)", build_recurring("recurring")),
    ("recurring_lead", r"«B»«RECLEAD»(?:\s*[:,]?\s*(?P<list>«FREQ»(?:«NOTE»«LSEP»«FREQ»)*))?«E»", build_recurring("recurring")),
    ("recurring_list", r"«B»(?P<list>«FREQB»(?:«NOTE»«LSEP»«FREQB»)+)«E»", build_recurring("recurring_list")),
    ("recurring_report", r"«B»«REPORT»\s+(?P<list>«FREQB»(?:«LSEP»«FREQB»)*)«E»", build_recurring("recurring_report")),
    ("ad_hoc", r"«B»dot\s*xuat«E»", build_ad_hoc),
    ("times_per_period", r"«B»(?P<n>\d{1,2}|mot|hai|ba|bon)\s*lan\s*(?:/|trong\s+(?:1\s+|mot\s+)?|moi\s+|mot\s+|hang\s+)\s*(?P<per>«YEARW»|«QUARTER»|«MONTH»)«E»", build_times),
    ("period_per_time", r"«B»(?P<list>«FREQB»)\s*/\s*(?:1\s*|mot\s*)?lan«E»", build_per_lan),
    ("day_every_period", r"«B»(?:«DAYW»\s*)?«D»\s+(?:cua\s+)?«RECHEAD»\s+(?P<per>«MONTH»|«QUARTER»|«YEARW»|tuan)«E»", build_day_of_period("day_every_period")),
    ("day_next_period", r"«B»«DAYW»\s*«D»\s+(?:cua\s+)?(?P<per>«MONTH»|«QUARTER»|«YEARW»)\s+«NEXT»«E»", build_day_of_period("day_next_period")),
    ("day_in_period", r"«B»«DAYW»\s*«D»\s+(?:cua\s+)?«MONTH»\s+(?:dau|cuoi\s*cung|cuoi)\s+(?:cua\s+)?(?:moi\s+|hang\s+)?(?P<per>«QUARTER»|«YEARW»)(?:\s+«NEXT»)?«E»", build_day_of_period("day_in_period")),
    ("continuous", r"«B»«CONT»(?:\s*«CONTTAIL»(?:\s*«Y»(?:\s*(?:-|den)\s*«Y»)?(?![0-9]))?)?«E»", build_continuous),
    ("from_now", r"«B»(?:tu|ke\s*tu|tinh\s*tu)\s+«NOWW»«E»", build_now),
    ("offset", r"«B»(?<![/.\-])«NOTPERIODNUMBER»(?:«OFFHEAD»\s*)?(?P<n>\d{1,4})\s*(?P<u>«OFFUNIT»)\s*,?\s*«OFFANCHOR»(?P<dec>\s*«DECISION»)?«E»", build_offset),
)


@functools.cache
def load_grammar() -> Grammar:
    vocab = load_vocab()
    parts = _parts(vocab)
    rules = tuple(Rule(name, re.compile(_fill(pattern, parts)), build) for name, pattern, build in RULES)

    def folded(mapping: dict) -> dict[str, int]:
        return {" ".join(fold(str(k)).split()): int(v) for k, v in mapping.items()}

    frequency_of: dict[str, str] = {}
    for code, phrases in vocab.data["frequencies"].items():
        for phrase in phrases:
            frequency_of["".join(fold(phrase).split())] = code
    offset_units = {}
    for unit, phrases in vocab.data["offset_units"].items():
        for phrase in phrases:
            offset_units[" ".join(fold(phrase).split())] = unit
    if "ngay lam viec" in offset_units:
        offset_units["ngay lam viec"] = "workdays"
    return Grammar(
        vocab=vocab,
        rules=rules,
        quarter_words=folded(vocab.data["quarter_number_words"]),
        month_words=folded(vocab.data["month_number_words"]),
        frequency_of=frequency_of,
        quarter_item=re.compile(_fill(r"«B»(?:«QUARTER»\s*)?(?P<n>«QN»)", parts)),
        month_item=re.compile(_fill(r"«B»(?:«MONTH»\s*)?(?P<n>«M»)(?![0-9])", parts)),
        freq_item=re.compile(_fill(r"(?P<f>«FREQ»)", parts)),
        offset_units=offset_units,
        part_of={"".join(fold(w).split()): name for name, ws in vocab.data["part_of_period"].items() for w in ws},
        half_first=frozenset("".join(fold(w).split()) for w in vocab.data["half_year_first"]),
    )
