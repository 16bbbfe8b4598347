"""Document metadata of a Vietnamese plan decision (GOLD_SPEC "Document metadata").

`extract_metadata(lines)` reads the body text lines (outside tables, plus appendix titles) in
reading order and returns the metadata fields, notes on anything odd, and for every field the rule
that produced it. Vocabularies (provinces, ministries, titles, surnames...) live in
data/metadata_vocab.yaml.

The stages, each a small pure function over the cleaned lines:
  lines -> Layout (where the headings, header block and signature are)
        -> numbers and dates (own "Số:" line, place-date line, "(Ban hành kèm theo … số …)" lines)
        -> issuer (authority line, body sentence, "kèm theo … của …", number suffix, place line)
        -> title (plan heading or decision title, sentence case) -> period -> signer.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from plantasks.normalizers.vietnamese import match_key, nfc, unify_tone_placement

DATA = Path(__file__).parent / "data" / "metadata_vocab.yaml"
META_FIELDS = (
    "doc_type", "issuer", "level", "province", "district", "decision_number", "decision_date",
    "plan_number", "plan_date", "title", "period_start", "period_end", "signer",
)


@dataclass(frozen=True)
class MetadataResult:
    fields: dict
    notes: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # field -> rule that produced it


# ---------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Province:
    name: str
    kind: str  # "tỉnh" or "thành phố"
    city_since: int | None = None  # year it became a centrally-run city


@dataclass(frozen=True)
class Vocab:
    provinces: dict[str, Province]  # match_key of name/alias -> Province
    province_keys: tuple[str, ...]  # longest first
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
    keep_upper: frozenset[str]
    motto: tuple[str, ...]
    subordinate_heads: tuple[str, ...]
    official_names: tuple[str, ...]


@functools.cache
def load_vocab() -> Vocab:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    provinces: dict[str, Province] = {}
    for p in raw["provinces"]:
        prov = Province(p["name"], p["kind"], p.get("city_since"))
        for form in [p["name"], *p.get("aliases", [])]:
            provinces[match_key(form)] = prov
    national, national_codes = {}, {}
    for b in raw["national_bodies"]:
        for form in b["forms"]:
            national[match_key(form)] = b["name"]
        for code in b.get("codes", []):
            national_codes[match_key(code)] = b["name"]
    ministries, ministry_codes = {}, {}
    for m in raw["ministries"]:
        ministries[match_key(m["name"])] = m["name"]
        for code in m.get("codes", []):
            ministry_codes[match_key(code)] = m["name"]
    return Vocab(
        provinces=provinces,
        province_keys=tuple(sorted(provinces, key=len, reverse=True)),
        unit_levels={match_key(u["word"]): u["level"] for u in raw["units"]},
        local_bodies={match_key(f): b["name"] for b in raw["local_bodies"] for f in b["forms"]},
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
        keep_upper=frozenset(raw["keep_upper"]),
        motto=tuple(match_key(m) for m in raw["motto"]),
        subordinate_heads=tuple(sorted((match_key(h) for h in raw["subordinate_heads"]), key=len, reverse=True)),
        official_names=tuple(raw["official_names"]),
    )


# ---------------------------------------------------------------- lines and layout

_SPACES = re.compile(r"\s+")
_MARKUP = re.compile(r"\*\*|__|</?[a-zA-Z][^>]*>")


def clean_line(line: str) -> str:
    """NFC, single spaces, markup (**bold**, <tags>) removed, 'Ð' read as 'Đ'."""
    line = nfc(line).replace("\u00d0", "\u0110")
    line = _MARKUP.sub(" ", line)
    return _SPACES.sub(" ", line).strip()


def aligned_key(text: str) -> str:
    """match_key without whitespace collapsing, so offsets match `text` when lengths agree."""
    return unify_tone_placement(nfc(text).replace("\u00d0", "\u0110").casefold())


def _is_upper_line(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


_BODY_START = re.compile(r"^(căn cứ|thực hiện|điều 1\b|i\.\s|phần i\b|quyết định\s*:|theo đề nghị)")
_ROMAN_HEAD = re.compile(r"^(?:[ivxl]+|\d+)[.)]\s")


@dataclass(frozen=True)
class Layout:
    lines: tuple[str, ...]
    keys: tuple[str, ...]
    body_start: int  # first line of legal bases / body; lines before it are the header block
    decision_heading: int | None
    plan_heading: int | None
    appendix_start: int | None


def lines_to_layout(raw_lines: list[str]) -> Layout:
    # a layout-table row (header or signature block) arrives as one line with its cells' breaks
    pieces = (piece for raw in raw_lines for piece in raw.split("\n"))
    lines = tuple(l for l in (clean_line(x) for x in pieces) if l)
    keys = tuple(match_key(l) for l in lines)
    heads = load_vocab().plan_title_heads
    body_start = next(
        (i for i, k in enumerate(keys) if _BODY_START.match(k) and not (i and keys[i - 1] in heads)),
        len(lines),
    )
    decision = next((i for i, k in enumerate(keys) if k.rstrip(":") in ("quyết định", "nghị quyết") and i <= body_start), None)
    appendix = next((i for i, k in enumerate(keys) if _is_appendix_heading(lines[i], k)), None)
    plan = next(
        (i for i, k in enumerate(keys[: appendix if appendix is not None else len(keys)])
         if _is_plan_heading(lines[i], k)),
        None,
    )
    return Layout(lines, keys, body_start, decision, plan, appendix)


def _is_plan_heading(line: str, key: str) -> bool:
    heads = load_vocab().plan_title_heads
    if key in heads:
        return True
    return any(key.startswith(h + " ") for h in heads) and _is_upper_line(line) and len(line) < 250


def _is_appendix_heading(line: str, key: str) -> bool:
    return key.startswith("phụ lục") and len(line) < 300 and not key.startswith("phụ lục kèm theo")


# ---------------------------------------------------------------- numbers and dates

_NUMBER = re.compile(
    r"(?P<n>\d+[A-Za-z]?)?[\s.…_]*(?:/\s*(?P<y>(?:19|20)\d{2})\s*)?/\s*"
    r"(?P<code>[A-Za-zĐđ]{1,5})\s*[-–]\s*(?P<iss>[A-Za-zĐđ0-9]+(?:\s*[-–.]\s*[A-Za-zĐđ0-9]+)*)"
)
_OWN_NUMBER = re.compile(r"(?:^|(?<=\s))(?:Số|SỐ|Sô|SÔ|So)\s*[:.]?\s*(?=[\d\s.…_]*/)")
_ATTACHED = re.compile(
    r"kèm\s+theo\s+(?P<kind>quyết\s+định|kế\s+hoạch|nghị\s+quyết)\s+số\s*[:.]?\s*", re.IGNORECASE
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
    if not m:
        return None
    code, iss = m.group("code"), _SPACES.sub("", m.group("iss")).replace("–", "-")
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
        m = _OWN_NUMBER.search(layout.lines[i])
        if m and "kèm theo" not in layout.keys[i]:
            num = parse_number(layout.lines[i][m.end():])
            if num:
                return num, i
    return None, None


def own_place_date(layout: Layout) -> tuple[str | None, DocDate | None]:
    """The "<Place>, ngày … tháng … năm …" line of the header block."""
    for i in range(min(layout.body_start, 40)):
        line = layout.lines[i]
        m = _PLACE_DATE.search(line)
        if m:
            place = re.sub(r"^.*\b(?:S[ốô]\s*:?\s*\S+|UBND|NHÂN DÂN)\s+", "", m.group("place")).strip()
            return place or None, parse_date(line[m.start():])
    return None, None


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


# ---------------------------------------------------------------- issuing body

_LOCAL_MENTION = re.compile(
    r"(?i:(?P<chair>chủ tịch\s+)?(?P<body>[ủu][ỷy] ban nhân dân|ubnd|hội đồng nhân dân|hđnd)\s+"
    r"(?P<unit>thành phố|tp\.?|thị xã|thị trấn|tỉnh|huyện|quận|phường|xã|đặc khu))(?=[\s,.;:)]|$)"
)
_BARE_UNIT = re.compile(r"(?i:\b(?P<unit>tỉnh|thành phố|tp\.))\s+")
_NAME_STOP = frozenset(
    "năm giai đoạn về ban hành số ngày đến trên và của trong theo tại kế hoạch quyết định "
    "thực hiện cải cách hành chính chuyển đổi".split()
)


@dataclass(frozen=True)
class Issuer:
    body: str  # full body name: "Ủy ban nhân dân", "Bộ Nội vụ", "Thủ tướng Chính phủ"
    level: str
    unit: str | None = None  # "tỉnh", "huyện", ... for local bodies
    name: str | None = None  # place name, canonical spelling
    rule: str = ""
    full_name: str | None = None  # written out when it is not "<body> <unit> <name>"


def _unit_word(raw: str) -> str:
    key = match_key(raw).rstrip(".")
    return "thành phố" if key == "tp" else key


def _name_tokens(text: str, upper_line: bool) -> list[str]:
    """The place-name tokens at the start of `text`: capitalised words (or digits)."""
    out: list[str] = []
    for tok in text.split()[:6]:
        word = tok.strip(",.;:()“”\"'")
        if not word or not (word[0].isupper() or word.isdigit() or word in ("-", "–")):
            break
        if upper_line and match_key(word) in _NAME_STOP:
            break
        out.append(word)
        if tok != word and tok[-1] in ",.;:()":
            break
    while out and out[-1] in ("-", "–"):
        out.pop()
    return out


def title_case_name(name: str) -> str:
    """'HOÀNG HOÁ' -> 'Hoàng Hóa' (each word capitalised, classic tone placement)."""
    words = [w[:1].upper() + w[1:].lower() for w in name.split()]
    return unify_tone_placement(" ".join(words))


def match_province(tokens: list[str]) -> tuple[Province, int] | None:
    """The province named by the first tokens (longest match) and how many tokens it used."""
    vocab = load_vocab()
    for n in range(min(len(tokens), 4), 0, -1):
        prov = vocab.provinces.get(match_key(" ".join(tokens[:n])))
        if prov:
            return prov, n
    return None


def _is_city_province(prov: Province, year: int | None) -> bool:
    if prov.kind != "thành phố":
        return False
    return prov.city_since is None or year is None or year >= prov.city_since


def _local_issuer(m: re.Match, text: str, year: int | None, rule: str) -> Issuer:
    vocab = load_vocab()
    body = vocab.local_bodies[match_key(m.group("body"))]
    unit = _unit_word(m.group("unit"))
    tokens = _name_tokens(text[m.end():], _is_upper_line(text))
    level = vocab.unit_levels.get(unit, "district")
    name = None
    if tokens:
        prov = match_province(tokens) if unit in ("tỉnh", "thành phố") else None
        if prov and (unit == "tỉnh" or _is_city_province(prov[0], year)):
            name, level = prov[0].name, "province"
        else:
            name = title_case_name(" ".join(tokens))
    return Issuer(body, level, unit, name, rule)


def _strip_motto(key: str) -> str:
    for m in load_vocab().motto:
        key = key.replace(m, " ")
    return _SPACES.sub(" ", key).strip()


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
    return _SPACES.sub(" ", line).strip()


def header_issuer(layout: Layout, year: int | None) -> Issuer | None:
    """Issuer from the header block: authority line or the issuing-body header."""
    end = min(layout.body_start, 40)
    for i in range(end):
        line = strip_motto_text(layout.lines[i])
        joined = line
        if i + 1 < end and match_key(line) in load_vocab().local_bodies:
            # "ỦY BAN NHÂN DÂN" / "TỈNH THANH HÓA"
            joined = f"{line} {strip_motto_text(layout.lines[i + 1])}"
        key = _strip_motto(match_key(joined))
        central = central_issuer(key)
        if central:
            return central
        m = _LOCAL_MENTION.search(joined)
        if m and _only_titles_before(joined[: m.start()]):
            parent = _local_issuer(m, joined, year, "authority line")
            used = 2 if joined != line else 1
            below = strip_motto_text(layout.lines[i + used]) if i + used < end else ""
            return subordinate_issuer(below, parent) or parent
    return None


def subordinate_issuer(line: str, parent: Issuer) -> Issuer | None:
    """A department printed under its parent body: 'UBND TỈNH X' / 'SỞ NỘI VỤ'."""
    key = match_key(line)
    heads = load_vocab().subordinate_heads
    if not _is_upper_line(line) or not any(key == h or key.startswith(h + " ") for h in heads):
        return None
    department = official_case(line)
    place = parent.name or ""
    if not key.endswith(f" {parent.unit}"):
        place = f"{parent.unit} {place}"
    full = f"{department} {place}".strip()
    return Issuer(department, parent.level, parent.unit, parent.name, "department under the issuing body", full)


def official_case(name: str) -> str:
    """'SỞ KẾ HOẠCH VÀ ĐẦU TƯ' -> 'Sở Kế hoạch và Đầu tư': each coordinated part capitalised."""
    vocab = load_vocab()
    text = unify_tone_placement(name.lower())
    parts = re.split(r"(\s+và\s+|,\s*|\s+-\s+|\s+–\s+)", text)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0 and part:
            words = part.split()
            if i == 0 and len(words) > 1 and words[0] in vocab.subordinate_heads:
                words[1] = words[1][:1].upper() + words[1][1:]
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
    key = re.sub(r"^(kt|tm|q)\s*\.\s*", "", key)
    return key in load_vocab().authority_titles


_ISSUING_PHRASE = re.compile(r"^\s*(ban hành|xây dựng|triển khai)\s+(kế hoạch|quyết định|chương trình)", re.IGNORECASE)


def body_issuer(layout: Layout, year: int | None) -> Issuer | None:
    """'Ủy ban nhân dân tỉnh ban hành Kế hoạch …' in the first body lines."""
    stop = layout.appendix_start if layout.appendix_start is not None else len(layout.lines)
    for i in range(layout.body_start, min(stop, layout.body_start + 25)):
        line = layout.lines[i]
        for m in _LOCAL_MENTION.finditer(line):
            rest = line[m.end():]
            tokens = _name_tokens(rest, False)
            after = " ".join(rest.split()[len(tokens):])
            if _ISSUING_PHRASE.match(after):
                return _local_issuer(m, line, year, "body sentence")
    return None


def attachment_issuer(atts: list[Attachment], year: int | None) -> Issuer | None:
    for att in atts:
        m = _LOCAL_MENTION.search(att.issuer_text)
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


def province_mentions(layout: Layout, year: int | None) -> Counter:
    """How often each province is named as 'tỉnh X' / 'thành phố X' (a centrally-run city)."""
    counts: Counter = Counter()
    for line in layout.lines:
        for m in _BARE_UNIT.finditer(line):
            tokens = _name_tokens(line[m.end():], False)
            prov = match_province(tokens)
            if not prov:
                continue
            unit = _unit_word(m.group("unit"))
            if unit == "tỉnh" or _is_city_province(prov[0], year):
                counts[prov[0].name] += 1
    return counts


def named_unit_mentions(layout: Layout, unit: str) -> Counter:
    """How often each place is named after `unit` ('huyện Hoàng Hóa')."""
    counts: Counter = Counter()
    rx = re.compile(rf"(?i:\b{re.escape(unit)})\s+")
    for line in layout.lines:
        for m in rx.finditer(line):
            tokens = _name_tokens(line[m.end():], _is_upper_line(line))
            if tokens:
                counts[title_case_name(" ".join(tokens))] += 1
    return counts


def _most_common(counts: Counter) -> str | None:
    return counts.most_common(1)[0][0] if counts else None


# ---------------------------------------------------------------- title and period


def _strip_lead_in(key: str) -> int:
    """Length of the lead-in ('ban hành', 'về việc ban hành') at the start of a title key."""
    for lead in load_vocab().title_lead_ins:
        if key.startswith(lead + " "):
            return len(lead) + 1
    return 0


def _title_stop(key: str, line: str) -> bool:
    vocab = load_vocab()
    if _BODY_START.match(key) or key.startswith("(") or key.startswith("điều "):
        return True
    if _LOCAL_MENTION.match(line) or central_issuer(key):
        return True
    return any(key.startswith(t + " ") or key == t for t in vocab.authority_titles)


def decision_title(layout: Layout) -> str | None:
    if layout.decision_heading is None:
        return None
    parts = []
    for i in range(layout.decision_heading + 1, min(layout.decision_heading + 5, len(layout.lines))):
        if _title_stop(layout.keys[i], layout.lines[i]):
            break
        parts.append(layout.lines[i])
    return " ".join(parts) or None


def plan_heading_title(layout: Layout) -> str | None:
    i = layout.plan_heading
    if i is None:
        return None
    parts = [layout.lines[i]]
    single = layout.keys[i] in load_vocab().plan_title_heads
    for j in range(i + 1, min(i + 4, len(layout.lines))):
        key, line = layout.keys[j], layout.lines[j]
        first_after_bare = single and j == i + 1 and not key.startswith("(")
        if not first_after_bare and (_title_stop(key, line) or _ROMAN_HEAD.match(key) or len(line) > 250):
            break
        continues = line[:1].islower() and not parts[-1].rstrip().endswith((".", ";", ":"))
        if not single and not _is_upper_line(line) and not continues:
            break
        parts.append(line)
        single = False
    return " ".join(parts) if len(parts) > 1 or not single else None


def article_one_title(layout: Layout) -> str | None:
    """'Điều 1. Ban hành kèm theo Quyết định này Kế hoạch …'."""
    for key, line in zip(layout.keys, layout.lines):
        if key.startswith("điều 1"):
            m = re.search(r"(?i)quyết định này\s*:?\s*[“\"]?(.+?)[”\"]?\s*\.?$", line)
            if m:
                return m.group(1)
    return None


def split_title_head(title: str) -> tuple[str, str] | None:
    """('Kế hoạch', rest) when the title starts with a plan head word."""
    key = aligned_key(title)
    for head in load_vocab().plan_title_heads:
        if key.startswith(head) and (len(key) == len(head) or not key[len(head)].isalpha()):
            return head[:1].upper() + head[1:], title[len(head):].strip(" :-–")
    return None


def find_mixed_case(rest: str, layout: Layout) -> str | None:
    """The same words printed in mixed case somewhere in the document."""
    target = aligned_key(rest)
    if not target:
        return None
    for line in layout.lines:
        if _is_upper_line(line):
            continue
        key = aligned_key(line)
        if len(key) != len(line):
            continue
        pos = key.find(target)
        if pos >= 0 and (pos == 0 or not key[pos - 1].isalpha()):
            return line[pos:pos + len(target)]
    return None


def sentence_case(text: str, names: list[str]) -> str:
    """Upper-case text in sentence case; known names and abbreviations keep their capitals."""
    vocab = load_vocab()
    words = []
    for tok in text.split():
        core = tok.strip(",.;:()“”\"")
        words.append(tok if core in vocab.keep_upper else tok.lower())
    out = " ".join(words)
    for name in sorted(set(names), key=len, reverse=True):
        out = re.sub(rf"(?<!\w){re.escape(name.lower())}(?!\w)", name, out)
    return out


def compose_title(raw: str, layout: Layout, names: list[str]) -> str:
    raw = raw.strip(" .;:“”\"")
    split = split_title_head(raw)
    head, rest = split if split else ("", raw)
    if rest and _is_upper_line(rest):
        rest = find_mixed_case(rest, layout) or sentence_case(rest, names)
    first = rest.split()[0].strip(",.;:") if rest else ""
    if rest and not (first.isupper() and len(first) > 1) and first not in names:
        rest = rest[:1].lower() + rest[1:]
    title = f"{head} {rest}".strip() if head else rest[:1].upper() + rest[1:]
    return _SPACES.sub(" ", title)


def title_candidates(layout: Layout) -> list[tuple[str, str]]:
    """Raw plan titles in order of preference, with the rule that found each."""
    out = []
    heading = plan_heading_title(layout)
    if heading:
        out.append(("plan heading", heading))
    dec = decision_title(layout)
    if dec:
        lead = _strip_lead_in(aligned_key(dec))
        out.append(("decision title", dec[lead:]))
    art = article_one_title(layout)
    if art:
        out.append(("article 1", art))
    return out


_RANGE = re.compile(r"((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})")
_STAGE_RANGE = re.compile(r"giai đoạn\s*((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})")
_UNTIL = re.compile(r"đến năm\s*((?:19|20)\d{2})")
_YEAR_OF = re.compile(r"năm\s*((?:19|20)\d{2})")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_REFERENCES = re.compile(
    r"số\s*:?\s*\d[\w.]*(?:/[\w.]+)*(?:[-–][\wđĐ]+)*"  # document numbers: số 76/NQ-CP, số 12/2025/QĐ-UBND
    r"|ngày\s*\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}"  # ngày 15/7/2021
    r"|ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s*\d{4}"  # ngày 15 tháng 7 năm 2021
)


def period_from_text(text: str, issue_year: int | None) -> tuple[int, int] | None:
    """(first year, last year) a title covers: '… năm 2024', 'giai đoạn 2021-2025', '… đến năm 2030'.

    Dates and numbers of documents the title refers to are ignored; a trailing 'năm YYYY' names
    the plan's own year even when an earlier 'giai đoạn' names the programme it implements.
    """
    key = _REFERENCES.sub(" ", match_key(text)).strip(" .;:")
    trailing = re.search(r"(?<!đến )năm\s*((?:19|20)\d{2})$", key)
    if trailing:
        return int(trailing.group(1)), int(trailing.group(1))
    for rx in (_STAGE_RANGE, _RANGE):
        m = rx.search(key)
        if m and 0 <= int(m.group(2)) - int(m.group(1)) <= 20:
            return int(m.group(1)), int(m.group(2))
    m = _UNTIL.search(key)
    if m and issue_year is not None and issue_year <= int(m.group(1)):
        return issue_year, int(m.group(1))
    years = _YEAR_OF.findall(key) or _YEAR.findall(key)
    if years:
        return int(years[-1]), int(years[-1])
    return None


# ---------------------------------------------------------------- signer

_NAME_WORD = re.compile(r"^[^\W\d_]+$")


def _name_like(line: str, after_title: bool) -> str | None:
    vocab = load_vocab()
    tokens = line.split()
    if not 2 <= len(tokens) <= 5 or not all(_NAME_WORD.match(t) for t in tokens):
        return None
    upper = all(t.isupper() for t in tokens)
    titled = all(t[0].isupper() and (len(t) == 1 or t[1:].islower()) for t in tokens)
    has_surname = match_key(tokens[0]) in vocab.surnames
    if upper and has_surname:
        return title_case_name(line)
    if titled and (has_surname or after_title):
        return line
    return None


def _signature_anchor(layout: Layout) -> int | None:
    vocab = load_vocab()
    for i in range(layout.body_start, len(layout.lines)):
        key = layout.keys[i].rstrip(":")
        if key in vocab.signer_titles or key.startswith("nơi nhận"):
            return i
    return None


def find_signer(layout: Layout) -> str | None:
    """The signing official's name: the first name line of the first signature block."""
    vocab = load_vocab()
    anchor = _signature_anchor(layout)
    if anchor is None:
        return None
    after_title = False
    tails = []
    for i in range(anchor, min(anchor + 25, len(layout.lines))):
        line, key = layout.lines[i], layout.keys[i].rstrip(":")
        if i > anchor and (i == layout.plan_heading or i == layout.appendix_start):
            break
        if key in vocab.signer_titles:
            after_title = True
            continue
        if key in vocab.signature_noise or key.startswith("nơi nhận"):
            continue
        if line[:1] in "-+•*~–—·":
            tails.append(re.split(r"[.;:,]", line)[-1].strip())
            continue
        name = _name_like(re.sub(r"\((?:đã )?ký[^)]*\)", "", line).strip(), after_title)
        if name:
            return name
    for tail in tails:
        name = _name_like(tail, False)
        if name and match_key(name.split()[0]) in vocab.surnames:
            return name
    return None


# ---------------------------------------------------------------- assembly


def _doc_type(layout: Layout, number: DocNumber | None, atts: list[Attachment]) -> tuple[str, str]:
    vocab = load_vocab()
    if number is not None:
        kind = vocab.number_types.get(match_key(number.type_code))
        if kind:
            return kind, "own number type"
    if layout.decision_heading is not None:
        return "decision", "decision heading"
    if any(a.kind == "decision" and not a.in_appendix for a in atts):
        return "decision", "attached to a decision"
    return "plan", "plan heading"


def _pick_number(own: DocNumber | None, own_date: DocDate | None, atts: list[Attachment], kind: str,
                 notes: list[str], sources: dict, field_prefix: str) -> tuple[str | None, date | None]:
    """Own number/date win; attachment lines fill in when the own line is missing, and a
    disagreement between them is noted."""
    same_kind = [a for a in atts if a.kind == kind]
    number, when = None, None
    if own is not None:
        number, when = own.number, own_date.value if own_date else None
        sources[f"{field_prefix}_number"] = "own number line"
        sources[f"{field_prefix}_date"] = "own place-date line"
        if own.number is None:
            notes.append(f"{field_prefix} number blank in the source (unsigned draft)")
        if own_date is not None and own_date.value is None:
            notes.append(f"{field_prefix} date blank in the source (unsigned draft)")
    elif same_kind:
        first = same_kind[0]
        number, when = first.number.number, first.date.value if first.date else None
        sources[f"{field_prefix}_number"] = sources[f"{field_prefix}_date"] = "ban hành kèm theo line"
        notes.append(f"{field_prefix} number and date taken from the 'kèm theo' line (no own number line)")
    for att in same_kind:
        where = "appendix header" if att.in_appendix else "plan sub-heading"
        if att.number.number and number and att.number.number != number:
            notes.append(f"{field_prefix} number differs between {field_prefix} ({number}) and {where} "
                         f"({att.number.number}); the {field_prefix} body wins")
        if att.date and att.date.value and when and att.date.value != when:
            notes.append(f"{field_prefix} date differs between {field_prefix} ({when.isoformat()}) and {where} "
                         f"({att.date.value.isoformat()}); the {field_prefix} body wins")
    return number, when


def _resolve_issuer(layout: Layout, number: DocNumber | None, atts: list[Attachment], place: str | None,
                    year: int | None, notes: list[str], sources: dict) -> dict:
    issuer = (header_issuer(layout, year) or body_issuer(layout, year)
              or attachment_issuer(atts, year) or number_issuer(number))
    if issuer is None:
        notes.append("issuer not found")
        return {"issuer": None, "level": None, "province": None, "district": None}
    sources["issuer"] = sources["level"] = issuer.rule
    if issuer.level in ("national", "ministry"):
        return {"issuer": issuer.body, "level": issuer.level, "province": None, "district": None}
    name, level = issuer.name, issuer.level
    provinces = province_mentions(layout, year)
    province = name if level == "province" else None
    district = name if level == "district" else None
    if level == "province" and name is None:
        province = _province_from_place(place) or _most_common(provinces)
        name = province
        sources["province"] = "province mentions"
        notes.append(f"issuer name not printed with the body; province {province} inferred from the text")
    if level in ("district", "commune"):
        province = _most_common(provinces)
        sources["province"] = "province mentions (legal bases)"
        if name is None:
            name = _place_name(place) or _most_common(named_unit_mentions(layout, issuer.unit or ""))
            if level == "district":
                district = name
            notes.append(f"issuer name not printed with the body; {issuer.unit} {name} inferred")
        if level == "commune":
            parent = _most_common(named_unit_mentions(layout, "huyện"))
            if parent:
                notes.append(f"commune issuer; the text names huyện {parent}")
    issuer_text = issuer.full_name or (f"{issuer.body} {issuer.unit} {name}" if name else f"{issuer.body} {issuer.unit}")
    return {"issuer": issuer_text, "level": level, "province": province, "district": district}


def _province_from_place(place: str | None) -> str | None:
    if not place:
        return None
    prov = match_province(place.split())
    return prov[0].name if prov else None


def _place_name(place: str | None) -> str | None:
    return title_case_name(place) if place else None


def _title_and_period(layout: Layout, names: list[str], issue_year: int | None,
                      notes: list[str], sources: dict) -> dict:
    candidates = title_candidates(layout)
    title = None
    if candidates:
        rule, raw = candidates[0]
        title = compose_title(raw, layout, names)
        sources["title"] = rule
    else:
        notes.append("title not found")
    period = None
    for rule, raw in ([("title", title)] if title else []) + candidates:
        period = period_from_text(raw, issue_year)
        if period:
            sources["period_start"] = sources["period_end"] = rule
            break
    if period is None:
        notes.append("plan period not found")
    return {"title": title, "period_start": period[0] if period else None,
            "period_end": period[1] if period else None}


def extract_metadata(lines: list[str]) -> MetadataResult:
    """Metadata of one document from its body text lines (outside tables) in reading order."""
    layout = lines_to_layout(lines)
    notes: list[str] = []
    sources: dict[str, str] = {}
    number, _ = own_number(layout)
    place, own_date = own_place_date(layout)
    atts = attachments(layout)
    doc_type, sources["doc_type"] = _doc_type(layout, number, atts)

    fields: dict = {f: None for f in META_FIELDS}
    fields["doc_type"] = doc_type
    if doc_type == "plan":
        fields["plan_number"], fields["plan_date"] = _pick_number(
            number, own_date, atts, "plan", notes, sources, "plan")
    else:
        own = number if number is not None and load_vocab().number_types.get(match_key(number.type_code)) != "plan" else None
        fields["decision_number"], fields["decision_date"] = _pick_number(
            own, own_date if own is not None else None, atts, "decision", notes, sources, "decision")
    issue_date = fields["decision_date"] or fields["plan_date"]
    year = issue_date.year if issue_date else (own_date.year if own_date else None)
    fields.update(_resolve_issuer(layout, number, atts, place, year, notes, sources))
    names = [n for n in (fields["province"], fields["district"]) if n]
    names += sorted(set(province_mentions(layout, year)))
    fields.update(_title_and_period(layout, names, year, notes, sources))
    fields["signer"] = find_signer(layout)
    if fields["signer"]:
        sources["signer"] = "signature block"
    return MetadataResult(fields, notes, sources)
