"""The issuing body: from the authority line or header, a body sentence, a "kèm theo" line or the number suffix."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from plantasks.normalizers.text import acronyms, loose_key
from plantasks.normalizers.vietnamese import match_key, unify_tone_placement
from plantasks.parsers.metadata.layout import DECISION_HEADINGS, SPACES, Layout, aligned_key, is_upper_line
from plantasks.parsers.metadata.numbers_dates import Attachment, DocNumber
from plantasks.parsers.metadata.places import is_city_province, match_province, name_tokens, title_case_name, unit_word
from plantasks.parsers.metadata.vocab import load_vocab

LOCAL_MENTION = re.compile(
    r"(?i:(?P<chair>chủ tịch\s+)?(?P<body>[ủu][ỷy] ban nhân dân|ubnd|hội đồng nhân dân|hđnd)\s+"
    r"(?P<unit>thành phố|tp\.?|thị xã|thị trấn|tỉnh|huyện|quận|phường|xã|đặc khu))(?=[\s,.;:)]|$)"
)


@dataclass(frozen=True)
class Issuer:
    body: str  # full body name: "Ủy ban nhân dân", "Bộ Nội vụ", "Thủ tướng Chính phủ"
    level: str
    unit: str | None = None  # "tỉnh", "huyện", ... for local bodies
    name: str | None = None  # place name, canonical spelling
    rule: str = ""
    full_name: str | None = None  # written out when it is not "<body> <unit> <name>"


def _local_issuer(m: re.Match, text: str, year: int | None, rule: str) -> Issuer:
    vocab = load_vocab()
    body = vocab.local_bodies.get(loose_key(m.group("body")), m.group("body"))
    unit, name, level = _place(m.group("unit"), text[m.end():], is_upper_line(text), year)
    return Issuer(body, level, unit, name, rule)


def _place(unit_text: str, rest: str, upper: bool, year: int | None) -> tuple[str, str | None, str]:
    """The unit, place name and level of a unit word ("tỉnh", "huyện" …) and the text after it."""
    vocab = load_vocab()
    unit = unit_word(unit_text)
    tokens = name_tokens(rest, upper)
    level = vocab.unit_levels.get(unit, "district")
    name = None
    if tokens:
        prov = match_province(tokens) if unit in ("tỉnh", "thành phố") else None
        if prov and (unit == "tỉnh" or is_city_province(prov[0], year)):
            name, level = prov[0].name, "province"
        else:
            name = title_case_name(" ".join(tokens))
    return unit, name, level


_UNIT_WORD = re.compile(r"(?i:(?<!\w)(?P<unit>thành phố|tp\.|thị xã|thị trấn|tỉnh|huyện|quận|phường|xã|đặc khu)\s+)")
_BODY_WRAP = 2  # lines a locality body's name may wrap onto


def locality_body_issuer(layout: Layout, i: int, end: int, year: int | None) -> Issuer | None:
    """A body of a locality printed before the locality, on one header line in capitals or wrapped
    onto the next ("BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH" / "TỈNH HÀ TĨNH" -> "Ban Chỉ đạo cải cách hành
    chính tỉnh Hà Tĩnh"): a head of the vocabulary's `locality_bodies`, its name up to the last unit word."""
    vocab = load_vocab()
    line = strip_motto_text(layout.lines[i])
    key = match_key(line)
    head = next((h for h in sorted(vocab.locality_bodies, key=len, reverse=True) if key.startswith(h + " ")), None)
    department = head is None and _department_heading(layout, i)
    if head is None and not department or not is_upper_line(line) \
            or any(loose_key(line).startswith(f) for f in vocab.local_bodies):
        return None
    text = line
    for k in range(i + 1, min(i + 1 + _BODY_WRAP, end)):
        if _last_unit(text):
            break
        nxt = strip_motto_text(layout.lines[k])
        if not nxt or not is_upper_line(nxt) or _motto_piece(layout.keys[k]):
            break
        if department and _department_head(layout.keys[k], alone=False):
            break  # another department's line: "BẢO HIỂM XÃ HỘI VIỆT NAM" / "BẢO HIỂM XÃ HỘI TỈNH X"
        text = f"{text} {nxt}"
    m = _last_unit(text)
    if m is None:
        return None
    unit, name, level = _place(m.group("unit"), text[m.end():], True, year)
    if name is None:
        return None
    if department:  # "SỞ TƯ PHÁP TỈNH NGHỆ AN" -> "Sở Tư pháp tỉnh Nghệ An"; "BAN TUYÊN GIÁO TỈNH ỦY" names no province
        rest = text[m.end():].split()
        tokens = name_tokens(" ".join(rest), True)
        if len(tokens) < len(rest) or unit == "tỉnh" and not match_province(tokens):
            return None  # the locality does not end the line ("… TỈNH THANH HÓA NĂM 2024": a title)
        body = official_case(text[:m.start()])
        return Issuer(body, level, unit, name, "department of the locality", f"{body} {unit} {name}")
    words = text[:m.start()].split()[len(head.split()):]
    body = " ".join([vocab.locality_bodies[head], *(w if w.strip(",.;:()") in acronyms() else w.lower() for w in words)])
    return Issuer(body, level, unit, name, "body of the locality", f"{body} {unit} {name}")


def party_committee_issuer(line: str, year: int | None) -> Issuer | None:
    """A Party committee heading its plan: "TỈNH ỦY THANH HÓA" -> "Tỉnh ủy Thanh Hóa" (the unit its
    word names), "ĐẢNG ỦY XÃ YÊN ĐỊNH" -> "Đảng ủy xã Yên Định" (the unit printed after it)."""
    key = match_key(line)
    for form, (written, unit) in load_vocab().party_committees.items():
        if not key.startswith(form + " "):
            continue
        rest = line.split(None, len(form.split()))[-1]
        printed = unit is None  # the unit printed after the committee, and in its name
        if printed:
            m = _UNIT_WORD.match(rest)
            if m is None:
                return None
            unit, rest = m.group("unit"), rest[m.end():]
        unit, name, level = _place(unit, rest, is_upper_line(line), year)
        if name is None:
            return None
        full = f"{written} {unit} {name}" if printed else f"{written} {name}"
        return Issuer(written, level, unit, name, "party committee", full)
    return None


def _last_unit(text: str) -> re.Match | None:
    """The last unit word followed by a name ("… XÃ HỘI TỈNH HÀ TĨNH": "TỈNH"; "xã hội" is no unit)."""
    found = [m for m in _UNIT_WORD.finditer(text)
             if not any(match_key(text[m.start():]).startswith(p) for p in load_vocab().not_units)
             and name_tokens(text[m.end():], True)]
    return found[-1] if found else None


def _strip_motto(key: str) -> str:
    for m in load_vocab().motto:
        key = key.replace(m, " ")
    return SPACES.sub(" ", key).strip()


def _strip_title_prefix(key: str) -> str:
    vocab = load_vocab()
    key = re.sub(r"^(kt|tm|q|tl|tuq)\s*\.\s*", "", key)
    for t in vocab.authority_titles:
        if key.startswith(t + " "):
            return key[len(t) + 1:]
    return key


def central_issuer(key: str) -> Issuer | None:
    """A national or ministry body named by a header/authority line key."""
    vocab = load_vocab()
    key = _strip_motto(key)
    if key in vocab.national or key.startswith("thủ tướng chính phủ"):
        name = vocab.national.get(key, "Thủ tướng Chính phủ")
        return Issuer(name, "national", rule="authority line")
    bare = _strip_title_prefix(key)
    for form, name in vocab.national.items():
        if bare == form:
            return Issuer(name, "national", rule="authority line")
    for form, name in sorted(vocab.ministries.items(), key=lambda kv: -len(kv[0])):
        if bare == form or key == form:
            return Issuer(name, "ministry", rule="authority line")
    return None


def ministry_department_issuer(line: str, ministry: Issuer) -> Issuer | None:
    """A ministry's department printed under it: 'BỘ TƯ PHÁP' / 'CỤC KIỂM SOÁT THỦ TỤC HÀNH CHÍNH'."""
    heads = load_vocab().ministry_department_heads
    if not is_upper_line(line) or _opening(match_key(line), heads) is None:
        return None
    department = official_case(line)
    return Issuer(f"{department} {ministry.body}", "ministry", rule="department under the ministry")


def _ministry_run_on(line: str) -> Issuer | None:
    """The ministry and its department joined on one header line by a text tool ('BỘ TƯ PHÁP CỤC …')."""
    if not is_upper_line(line):
        return None
    words = line.split()
    heads = load_vocab().ministry_department_heads
    for k in range(2, len(words)):
        if _opening(match_key(" ".join(words[k:])), heads) is None:
            continue
        ministry = central_issuer(match_key(" ".join(words[:k])))
        if ministry is not None and ministry.level == "ministry":
            return ministry_department_issuer(" ".join(words[k:]), ministry)
    return None


def conveys_national(issuer: str | None, title: str | None) -> bool:
    """A ministry-level office speaking for a national body: its title, the office's own name
    removed, names a national body ('Thông báo kết luận … của Ban Chỉ đạo của Chính phủ')."""
    vocab = load_vocab()
    if not issuer or not title or match_key(issuer) not in vocab.national_conveyors:
        return False
    rest = match_key(title).replace(match_key(issuer), " ")
    return any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", rest) for form in vocab.national)


def strip_motto_text(line: str) -> str:
    """The line without the national motto (PDF headers glue it to the issuing body)."""
    key = aligned_key(line)
    if len(key) != len(line):
        return line
    for motto in load_vocab().motto:
        pos = key.find(motto)
        if pos >= 0:
            line = line[:pos] + " " * len(motto) + line[pos + len(motto):]
            key = key[:pos] + " " * len(motto) + key[pos + len(motto):]
    return SPACES.sub(" ", line).strip()


_HEADER_LINE_MAX = 160  # header lines are short; a paragraph naming a body is body text


def header_issuer(layout: Layout, year: int | None) -> Issuer | None:
    """Issuer from the header block: authority line or the issuing-body header."""
    end = min(layout.body_start, 40)
    for i in range(end):
        line = strip_motto_text(layout.lines[i])
        if len(line) > _HEADER_LINE_MAX:
            continue  # a sentence of the body, not a header line
        joined, used = _wrapped_local_body(layout, line, i, end)
        key = _strip_motto(match_key(joined))
        central = central_issuer(key)
        if i + 1 < end and is_upper_line(line) and is_upper_line(layout.lines[i + 1]):
            # a central body's name wrapped over two header lines ("ỦY BAN THƯỜNG VỤ" / "QUỐC HỘI")
            nxt = strip_motto_text(layout.lines[i + 1])
            wrapped = central_issuer(_strip_motto(match_key(f"{line} {nxt}")))
            if wrapped and len(wrapped.body) > len(central.body if central else ""):
                return wrapped
        if central and central.level == "ministry" and i + 1 < end:
            central = ministry_department_issuer(_department_lines(layout, i + 1, end), central) or central
        if central is None:
            central = _ministry_run_on(line)
        if central:
            return central
        m = LOCAL_MENTION.search(joined)
        if m and _only_titles_before(joined[: m.start()]):
            run_on = _department_run_on(joined, m.end())
            parent = _local_issuer(m, joined[:run_on], year, "authority line")
            below = joined[run_on:] if run_on else _department_lines(layout, i + used, end) if i + used < end else ""
            return subordinate_issuer(below, parent) or parent
        if named := locality_body_issuer(layout, i, end, year) or party_committee_issuer(line, year):
            return named
    return None


def _wrapped_local_body(layout: Layout, line: str, i: int, end: int) -> tuple[str, int]:
    """The header line joined with the lines a local body's name wrapped onto in a narrow letterhead
    column ("ỦY BAN NHÂN DÂN" / "TỈNH THANH HÓA"; "ỦY BAN NHÂN" / "DÂN" / "TỈNH LÂM ĐỒNG"), and how many
    lines it took. Pieces of the motto between them (a scan read line by line across both columns) are
    passed over."""
    bodies = load_vocab().local_bodies
    joined, used = line, 1

    def take_next() -> bool:
        nonlocal joined, used
        k = i + used
        while k < end and _motto_piece(layout.keys[k]):
            k += 1
        if k >= end:
            return False
        joined, used = f"{joined} {strip_motto_text(layout.lines[k])}", k - i + 1
        return True

    while any(form.startswith(loose_key(joined) + " ") for form in bodies) and take_next():
        pass
    if loose_key(joined) in bodies:
        take_next()
    return joined, used


def _motto_piece(key: str) -> bool:
    """A line that is the national motto or a run of its words ('cộng hòa xã hội chủ nghĩa việt' / 'nam')."""
    return any(f" {key} " in f" {motto} " for motto in load_vocab().motto)


_NAME_GOES_ON = re.compile(r"(?:\s(?i:và)|[,\-–])$")
_NAME_WENT_ON = re.compile(r"^(?:(?i:và)\s|[,\-–])")


def _department_heading(layout: Layout, i: int) -> bool:
    """Is header line i a department's name ('SỞ TƯ PHÁP …', 'CÔNG AN …'): a department head of more
    than 'ban' ('BAN HÀNH KẾ HOẠCH …' is a title), above the document's heading ('KẾ HOẠCH')?"""
    headings = (*load_vocab().plan_title_heads, *DECISION_HEADINGS)
    return _department_head(layout.keys[i], alone=False) not in (None, "ban") \
        and not any(k.startswith(h) for k in layout.keys[:i] for h in headings)


def _department_lines(layout: Layout, k: int, end: int) -> str:
    """A department's header line, with the next when the name goes on there at 'VÀ', ',' or '-'
    ('SỞ THÔNG TIN VÀ' / 'TRUYỀN THÔNG'; 'SỞ VĂN HÓA, THỂ THAO' / 'VÀ DU LỊCH')."""
    line = strip_motto_text(layout.lines[k])
    nxt = strip_motto_text(layout.lines[k + 1]) if k + 1 < end else ""
    if nxt and (_NAME_GOES_ON.search(line.rstrip()) or _NAME_WENT_ON.match(nxt)) and is_upper_line(nxt) \
            and not _motto_piece(layout.keys[k + 1]):
        line = f"{line.rstrip()} {strip_motto_text(layout.lines[k + 1])}"
    return line


def _department_run_on(text: str, after: int) -> int | None:
    """Where a department's name starts on its parent body's header line, the two lines joined by a text
    tool ('UBND TỈNH QUẢNG TRỊ SỞ NỘI VỤ'): a department head after the place name's first word."""
    if not is_upper_line(text):
        return None
    words = list(re.finditer(r"\S+", text[after:]))
    for k in range(1, len(words)):
        if _department_head(match_key(text[after + words[k].start():])):
            return after + words[k].start()
    return None


def _department_head(key: str, alone: bool = True) -> str | None:
    """The department head a header line's key opens with ('sở', 'công an' …; the longest), if any;
    `alone`: the head may be the whole line ('VĂN PHÒNG' under its parent body)."""
    return _opening(key, load_vocab().subordinate_heads, alone)


def _opening(key: str, phrases: Iterable[str], alone: bool = True) -> str | None:
    """The first of `phrases` that `key` opens with as whole words (or, with `alone`, is)."""
    return next((p for p in phrases if alone and key == p or key.startswith(p + " ")), None)


def subordinate_issuer(line: str, parent: Issuer) -> Issuer | None:
    """A department printed under its parent body: 'UBND TỈNH X' / 'SỞ NỘI VỤ'."""
    key = match_key(line)
    if not is_upper_line(line) or _department_head(key) is None:
        return None
    department = official_case(line)
    if key == "văn phòng":  # the office of the body above it: "UBND TỈNH X" / "VĂN PHÒNG"
        department = f"Văn phòng {parent.body}"
    place = parent.name or ""
    if not key.endswith(f" {parent.unit}"):
        place = f"{parent.unit} {place}"
    full = f"{department} {place}".strip()
    return Issuer(department, parent.level, parent.unit, parent.name, "department under the issuing body", full)


def official_case(name: str) -> str:
    """'SỞ KẾ HOẠCH VÀ ĐẦU TƯ' -> 'Sở Kế hoạch và Đầu tư': each coordinated part capitalised (acronyms
    kept: 'BAN CHỈ ĐẠO CCHC' -> 'Ban Chỉ đạo CCHC')."""
    vocab = load_vocab()
    text = unify_tone_placement(" ".join(w if w.strip(",.;:()") in acronyms() else w.lower() for w in name.split()))
    parts = re.split(r"(\s+và\s+|,\s*|\s+-\s+|\s+–\s+)", text)
    out = []
    for i, part in enumerate(parts):
        words = part.split()
        if i % 2 == 0 and words:
            if i == 0 and len(words) > 1 and words[0] in vocab.subordinate_heads:
                words[1] = words[1][:1].upper() + words[1][1:]
            elif i == 0:  # 'Tổng cục Thuế', 'Vụ Cải cách hành chính': the word after a ministry department's head
                head = _opening(part, vocab.ministry_department_heads, alone=False)
                if head and not _opening(part[len(head) + 1:], vocab.unit_levels):
                    n = len(head.split())
                    words[n] = words[n][:1].upper() + words[n][1:]
            words[0] = words[0][:1].upper() + words[0][1:]
            part = " ".join(words)
        out.append(part)
    text = "".join(out)
    for fixed in vocab.official_names:
        text = re.sub(re.escape(fixed), fixed, text, flags=re.IGNORECASE)
    return text


def _only_titles_before(prefix: str) -> bool:
    key = _strip_motto(match_key(prefix))
    if not key:
        return True
    key = re.sub(r"^(kt|tm|q|tl|tuq)\s*\.\s*", "", key)
    return key in load_vocab().authority_titles


_ISSUING_PHRASE = re.compile(r"^\s*(ban hành|xây dựng|triển khai)\s+(kế hoạch|quyết định|chương trình)", re.IGNORECASE)


def body_issuer(layout: Layout, year: int | None) -> Issuer | None:
    """'Ủy ban nhân dân tỉnh ban hành Kế hoạch …' in the first body lines."""
    stop = layout.appendix_start if layout.appendix_start is not None else len(layout.lines)
    for i in range(layout.body_start, min(stop, layout.body_start + 25)):
        line = layout.lines[i]
        for m in LOCAL_MENTION.finditer(line):
            rest = line[m.end():]
            tokens = name_tokens(rest, False)
            after = " ".join(rest.split()[len(tokens):])
            if _ISSUING_PHRASE.match(after):
                return _local_issuer(m, line, year, "body sentence")
    return None


def attachment_issuer(atts: list[Attachment], year: int | None) -> Issuer | None:
    for att in atts:
        m = LOCAL_MENTION.search(att.issuer_text)
        if m:
            return _local_issuer(m, att.issuer_text, year, "attachment line")
        central = central_issuer(match_key(att.issuer_text))
        if central:
            return Issuer(central.body, central.level, rule="attachment line")
    return None


def number_issuer(number: DocNumber | None) -> Issuer | None:
    if number is None:
        return None
    vocab = load_vocab()
    code = match_key(number.issuer_code)
    if code in vocab.national_codes:
        return Issuer(vocab.national_codes[code], "national", rule="number suffix")
    if code in vocab.ministry_codes:
        return Issuer(vocab.ministry_codes[code], "ministry", rule="number suffix")
    return None


def find_issuer(layout: Layout, number: DocNumber | None, atts: list[Attachment], year: int | None) -> Issuer | None:
    """The issuing body by the first rule that finds one: header, body sentence, attachment line, number suffix."""
    return (header_issuer(layout, year) or body_issuer(layout, year)
            or attachment_issuer(atts, year) or number_issuer(number))
