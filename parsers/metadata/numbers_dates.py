"""Document numbers and dates: the own "Số: …" and place-date lines, and "(Ban hành kèm theo … số …)" lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from plantasks.normalizers.vietnamese import match_key
from plantasks.parsers.metadata.layout import SPACES, Layout

_NUMBER = re.compile(
    r"(?P<n>\d+[A-Za-z]?)?[\s.…_]*(?:/\s*(?P<y>(?:19|20)\d{2})\s*)?/\s*"
    r"(?P<code>[A-Za-zĐđ]{1,8})\s*[-–]\s*(?P<iss>[A-Za-zĐđ0-9]+(?:\s*[-–.]\s*[A-Za-zĐđ0-9]+)*)"
)
# a Party committee's number: the type before the issuer ("125-KH/TU", "57-NQ/TW", a draft's "-KH/ĐU")
_PARTY_NUMBER = re.compile(
    r"(?P<n>\d+[A-Za-z]?)?[\s.…_]*[-–]\s*(?P<code>[A-Za-zĐđ]{1,8})\s*/\s*"
    r"(?P<iss>[A-Za-zĐđ]+(?:\s*[-–]\s*[A-Za-zĐđ0-9]+)*)\b"
)
_OWN_NUMBER = re.compile(
    r"(?:^|(?<=\s))(?:Số|SỐ|Sô|SÔ|So)\s*[:.]?\s*(?=[\d\s.…_]*(?:/|[-–]\s*[A-Za-zĐđ]{1,8}\s*/))")
# "Nghị quyết số: 119/2026/UBTVQH15" as the header's number line
_TYPED_OWN_NUMBER = re.compile(r"^\s*(?:nghị quyết|quyết định|thông báo|công văn|chỉ thị)\s+số\s*[:.]?\s*(?=\d)",
                               re.IGNORECASE)
# the portal's own metadata block ("Số hiệu: …", "Ngày ban hành: …"): used only when the text has no number line
_SITE_NUMBER = re.compile(r"^\s*số hiệu\s*:\s*", re.IGNORECASE)
_SITE_DATE = re.compile(r"^\s*ngày ban hành\s*:\s*(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})", re.IGNORECASE)
# a number whose issuer code carries no type ("119/2026/UBTVQH15": resolutions of Quốc hội bodies)
_NUMBER_YEAR_CODE = re.compile(r"(?P<n>\d+)\s*/\s*(?P<y>(?:19|20)\d{2})\s*/\s*(?P<code>[A-ZĐ]{2,}\d{0,3})\b")
_ADOPTED = re.compile(r"thông\s+qua\s+ngày", re.IGNORECASE)
_ATTACHED = re.compile(
    r"kèm\s+theo\s+(?P<kind>quyết\s+định|kế\s+hoạch|nghị\s+quyết|công\s+văn|thông\s+báo(?:\s+kết\s+luận)?)"
    r"\s+số\s*[:.]?\s*", re.IGNORECASE
)
_DATE_WORDS = re.compile(
    r"ngày\s*(?P<d>\d{1,2}|[\s.…_]*?)\s*tháng\s*(?P<m>\d{1,2}|[\s.…_]*?)\s*năm\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_DATE_NUMERIC = re.compile(r"ngày\s*(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})", re.IGNORECASE)
_PLACE_DATE = re.compile(r"(?P<place>[^\W\d_][^\d,;:()]{0,40}?)\s*,\s*ngày\b", re.IGNORECASE)


@dataclass(frozen=True)
class DocNumber:
    number: str | None  # None when blank in the source
    type_code: str
    issuer_code: str


@dataclass(frozen=True)
class DocDate:
    value: date | None  # None when the day (or month) is blank
    year: int | None


@dataclass(frozen=True)
class Attachment:
    """A "(Ban hành kèm theo Quyết định/Kế hoạch số … ngày … của …)" line."""

    kind: str  # "decision" or "plan"
    number: DocNumber
    date: DocDate | None
    issuer_text: str
    line: int
    in_appendix: bool


def parse_number(text: str) -> DocNumber | None:
    """The document number at the start of `text` ('175 /KH-UBND' -> '175/KH-UBND')."""
    m = _NUMBER.match(text.strip())
    if not m and (party := _PARTY_NUMBER.match(text.strip())):
        code, iss = party.group("code"), SPACES.sub("", party.group("iss")).replace("–", "-")
        return DocNumber(f"{party.group('n')}-{code}/{iss}" if party.group("n") else None, code, iss)
    if not m:
        m = _NUMBER_YEAR_CODE.match(text.strip())
        if m:
            return DocNumber(f"{m.group('n')}/{m.group('y')}/{m.group('code')}", "", m.group("code"))
        return None
    code, iss = m.group("code"), SPACES.sub("", m.group("iss")).replace("–", "-")
    if not m.group("n"):
        return DocNumber(None, code, iss)
    year = f"/{m.group('y')}" if m.group("y") else ""
    return DocNumber(f"{m.group('n')}{year}/{code}-{iss}", code, iss)


def parse_date(text: str) -> DocDate | None:
    """First Vietnamese date in `text`: 'ngày 25 tháng 12 năm 2023', 'ngày 25/12/2023'.

    A blank day or month ('ngày   tháng 12 năm 2022') gives value None with the year kept.
    """
    for rx in (_DATE_WORDS, _DATE_NUMERIC):
        m = rx.search(text)
        if m:
            return _date_from_parts(m.group("d"), m.group("m"), int(m.group("y")))
    return None


def _date_from_parts(d: str, m: str, y: int) -> DocDate:
    if not d.strip().isdigit() or not m.strip().isdigit():
        return DocDate(None, y)
    try:
        return DocDate(date(y, int(m), int(d)), y)
    except ValueError:
        return DocDate(None, y)


def own_number(layout: Layout) -> tuple[DocNumber | None, int | None]:
    """The document's own "Số: …" line in the header block, and its line index."""
    for i in range(min(layout.body_start, 40)):
        m = _OWN_NUMBER.search(layout.lines[i]) or _TYPED_OWN_NUMBER.match(layout.lines[i])
        if m and "kèm theo" not in layout.keys[i]:
            num = parse_number(layout.lines[i][m.end():])
            if num:
                return num, i
    for i, line in enumerate(layout.lines):
        m = _SITE_NUMBER.match(line)
        if m and parse_number(line[m.end():]):
            return parse_number(line[m.end():]), i
    return None, None


def own_place_date(layout: Layout) -> tuple[str | None, DocDate | None]:
    """The "<Place>, ngày … tháng … năm …" line of the header block."""
    place = None
    for i in range(min(layout.body_start, 40)):
        line = layout.lines[i]
        m = _PLACE_DATE.search(line)
        if m:
            place = re.sub(r"^.*\b(?:S[ốô]\s*:?\s*\S+|UBND|NHÂN DÂN)\s+", "", m.group("place")).strip() or None
            day = _date_from(layout.lines, i, m.start())
            if day is not None:
                return place, day
            break
    for i in range(layout.body_start, len(layout.lines)):  # a resolution dated by its adoption line
        m = _ADOPTED.search(layout.lines[i])
        if m:
            return place, _date_from(layout.lines, i, m.start())
    for line in layout.lines:
        m = _SITE_DATE.match(line)
        if m:
            return place, _date_from_parts(m.group("d"), m.group("m"), int(m.group("y")))
    return place, None


def _date_from(lines: list[str], i: int, start: int) -> DocDate | None:
    """The date written from `start` of line i, its year read on the next line when it wrapped there."""
    day = parse_date(lines[i][start:])
    if day is None and i + 1 < len(lines):
        day = parse_date(f"{lines[i][start:]} {lines[i + 1]}")
    return day


def attachments(layout: Layout) -> list[Attachment]:
    found = []
    for i, line in enumerate(layout.lines):
        m = _ATTACHED.search(line)
        if not m:
            continue
        number = parse_number(line[m.end():])
        if number is None:
            continue
        kind = "plan" if match_key(m.group("kind")) == "kế hoạch" else "decision"
        tail = line[m.end():]
        issuer = tail.split(" của ", 1)[1] if " của " in tail else ""
        in_app = layout.appendix_start is not None and i >= layout.appendix_start
        found.append(Attachment(kind, number, parse_date(tail), issuer.rstrip(") ."), i, in_app))
    return found
