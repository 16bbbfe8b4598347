"""Cutting an agency cell into parts: lines, labelled parts, ';' segments, comma pieces.

Pure text functions: nothing here knows the registry. Whether a comma separates two agencies or
sits inside one name ("Sở Văn hóa, Thể thao và Du lịch") is decided in resolve.py, which tries
the registry on joined pieces.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from plantasks.normalizers.agencies.rules import AgencyRules, NamedLocality
from plantasks.normalizers.text import strip_bullet  # noqa: F401  (callers use split.strip_bullet)

Role = Literal["lead", "support"]

_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
_PAREN = re.compile(r"\(([^()]*)\)")
_SEMICOLON = re.compile(r"\s*;\s*")
_EDGE = " \t-–—+•*.,;:/"


@dataclass(frozen=True)
class Part:
    """A ';'-free piece of a cell and the list its agencies go to."""

    text: str
    role: Role


def trim(text: str) -> str:
    return text.strip(_EDGE)


def starts_with_phrase(text: str, phrases: tuple[str, ...]) -> str | None:
    """The phrase (from a longest-first tuple) that `text` starts with as whole words."""
    low = text.lower()
    for phrase in phrases:
        if low.startswith(phrase) and (len(low) == len(phrase) or not low[len(phrase)].isalnum()):
            return phrase
    return None


def split_label(line: str, rules: AgencyRules) -> tuple[Role | None, str]:
    """'Cơ quan phối hợp: Sở A' -> ('support', 'Sở A'); a line without a label -> (None, line)."""
    head, sep, tail = line.partition(":")
    if not sep:
        return None, line
    label = " ".join(re.findall(r"[^\W_]+", head.lower()))
    role = rules.labels.get(label)
    if role is None:
        return None, line
    return role, tail.strip()  # type: ignore[return-value]


def split_semicolons(text: str) -> list[str]:
    return [s for s in (trim(p) for p in _SEMICOLON.split(text)) if s]


def split_support_opener(text: str, rules: AgencyRules) -> tuple[str, str | None]:
    """'Phòng Nội vụ chủ trì, phối hợp với các phòng' -> ('Phòng Nội vụ chủ trì,', 'các phòng')."""
    low = text.lower()
    for pattern in _opener_patterns(rules):
        for m in pattern.finditer(low):
            if low[:m.start()].count("(") > low[:m.start()].count(")"):
                continue  # inside a parenthesis: "Phòng Nội vụ (phối hợp)"
            return text[:m.start()].strip(), text[m.end():].strip()
    return text, None


def role_clauses(text: str, rules: AgencyRules) -> list[tuple[str, bool]]:
    """A performer cell's part cut after each role word that ends a comma piece, each clause with
    whether a support verb ends it: 'Sở Nội vụ chủ trì, các sở, ngành phối hợp' -> [('Sở Nội vụ chủ
    trì', False), ('các sở, ngành phối hợp', True)]. Without a support verb ending a clause the
    part stays whole."""
    ends = list(_role_end(rules).finditer(text.lower()))
    if not any(m.group("role") in rules.support_verbs for m in ends):
        return [(text, False)]
    clauses, start = [], 0
    for m in ends:
        clauses.append((text[start:m.end()].rstrip(" ,"), m.group("role") in rules.support_verbs))
        start = m.end()
    if text[start:].strip(_EDGE):
        clauses.append((text[start:], False))
    return clauses


@functools.cache
def _role_end(rules: AgencyRules) -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in rules.role_words)  # (longest first; support verbs among them)
    return re.compile(rf"(?<![^\W_])\(?(?P<role>{words})\)?\s*(?:,|$)")


def split_before_labels(text: str, rules: AgencyRules) -> str:
    """A label after a sentence end starts a new line: 'Cơ quan chủ trì: A. Cơ quan phối hợp: B'."""
    return _label_break(rules).sub("\n", text)


@functools.cache
def _label_break(rules: AgencyRules) -> re.Pattern[str]:
    labels = "|".join(re.escape(label) for label in sorted(rules.labels, key=len, reverse=True))
    return re.compile(rf"(?<=[.;])\s+(?=(?:{labels})\s*:)", re.I)


@functools.cache
def _opener_patterns(rules: AgencyRules) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"(?<![^\W_]){re.escape(o)}(?![^\W_])") for o in rules.support_openers)


def split_colon(text: str) -> tuple[str, str | None]:
    head, sep, tail = text.partition(":")
    return (head.strip(), tail.strip()) if sep else (text, None)


class Piece(str):
    """A piece of an agency list, remembering the link printed before it (', ' or ' và ')."""

    link: str = ", "

    @classmethod
    def after(cls, text: str, link: str) -> "Piece":
        piece = cls(text)
        piece.link = link
        return piece


_LINK = re.compile(r"\s*,\s*|\s+và\s+")


_SLASH = re.compile(r"\s*/\s*(?=[^\W\d_])")


def slashes_as_commas(text: str, rules: AgencyRules) -> str:
    """'Sở Giáo dục và Đào tạo/Sở Y tế' -> 'Sở Giáo dục và Đào tạo, Sở Y tế': a slash between two
    names that each open with a head word, or between two tiers ('UBND cấp huyện/cấp xã'), is a list
    link ('Văn phòng HĐND/UBND huyện' is joined back by the caller, which tries the registry on joined
    pieces)."""
    if "/" not in text:
        return text
    out, pos = "", 0
    for m, link in _slashes(text, rules):
        out += text[pos:m.start()] + (", " if link else "/")
        pos = m.end()
    return out + text[pos:]


def slash_links(text: str, rules: AgencyRules) -> list[int]:
    """Offsets of the slashes that link two names (see `slashes_as_commas`)."""
    return [m.start() + m.group().index("/") for m, link in _slashes(text, rules) if link] if "/" in text else []


def _slashes(text: str, rules: AgencyRules) -> Iterator[tuple[re.Match[str], bool]]:
    """Each slash before a letter, and whether it links two names or two tiers."""
    matches = list(_SLASH.finditer(text))
    for k, m in enumerate(matches):
        before = text[matches[k - 1].end() if k else 0:m.start()]
        part = text[m.end():matches[k + 1].start() if k + 1 < len(matches) else len(text)]
        last = re.split(r"[,;]", before)[-1].strip()
        names = starts_with_phrase(last, rules.head_words) and starts_with_phrase(part, rules.head_words) \
            and part[:1].isupper()
        tiers = part.lower().startswith("cấp ") and "cấp " in last.lower()  # 'UBND cấp huyện/cấp xã'
        yield m, bool(names or tiers)


def split_commas(text: str, rules: AgencyRules | None = None) -> list[str]:
    """List links: ',' and 'và' ('Sở A và Sở B'); a name with 'và' or ',' inside ('Sở Văn hóa, Thể
    thao và Du lịch') is joined back by the caller, which tries the registry on joined pieces. With
    the rules, the commas of a list of one tier's localities ('các huyện, thị xã, thành phố') are
    no links."""
    out: list[str] = []
    link = ", "
    pos = 0
    listed = rules is not None and ("," in text or " và " in text)
    inside = [m.span() for m in _locality_list(rules).finditer(text)] if listed else []
    links = [m for m in _LINK.finditer(text) if not any(a < m.start() < b for a, b in inside)]
    for m in [*links, None]:
        end = m.start() if m else len(text)
        piece = trim(text[pos:end])
        if piece:
            out.append(Piece.after(piece, link if out else ""))
        if m:
            link = ", " if "," in m.group() else " và "
            pos = m.end()
    return out


def locality_list_as_tier(text: str, rules: AgencyRules) -> str | None:
    """'Phòng Tư pháp các huyện, thị xã, thành phố' -> 'Phòng Tư pháp các huyện': a list of one tier's
    localities read as that tier's plural (None: the text holds no such list)."""
    if "," not in text and " và " not in text:
        return None
    matches = list(_locality_list(rules).finditer(text))
    plurals = list(rules.locality_lists)
    out = text
    for m in reversed(matches):  # (the group that matched is the tier's number)
        out = out[:m.start()] + plurals[int(m.lastgroup[1:])] + out[m.end():]
    return out if matches else None


@functools.cache
def _locality_list(rules: AgencyRules) -> re.Pattern[str]:
    """'các K, K và K' where every K is a kind of one tier's localities; group 't<n>': the n-th tier."""
    alternatives = []
    for n, kinds in enumerate(rules.locality_lists.values()):
        kind = "|".join(re.escape(k) for k in sorted(kinds, key=len, reverse=True))
        alternatives.append(rf"(?P<t{n}>các\s+(?:{kind})(?:\s*(?:,|và|hoặc)\s*(?:{kind}))+)")
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(alternatives)})(?![^\W_])", re.I)


def without_role_appositions(pieces: list[str], rules: AgencyRules) -> list[str]:
    """Comma pieces without the description of a named body's role that follows it ("Sở Nội vụ - cơ
    quan thường trực Ban Chỉ đạo", "…, cơ quan thường trực của Ban Chỉ đạo", "Sở Tư pháp là cơ quan
    đầu mối"): from the description to the end of its piece. A piece that is only a description
    goes unless it opens the list."""
    out = []
    for k, piece in enumerate(pieces):
        m = _apposition(rules).search(piece.lower())
        if m is None or m.start() == 0 and k == 0:
            out.append(piece)
        elif m.start() > 0:
            out.append(Piece.after(trim(piece[:m.start()]), getattr(piece, "link", ", ")))
    return out


@functools.cache
def _apposition(rules: AgencyRules) -> re.Pattern[str]:
    openers = "|".join(re.escape(o) for o in rules.role_appositions)
    return re.compile(rf"(?:^|\s+[-–—]\s+|\s+)(?:{openers})(?![^\W_])")


def join_pieces(pieces: list[str], i: int, j: int) -> str:
    """Pieces i..j-1 with the links printed between them."""
    return pieces[i] + "".join(getattr(p, "link", ", ") + p for p in pieces[i + 1:j])


def renaming(text: str, rules: AgencyRules) -> tuple[int, int, str] | None:
    """The first '(nay là Sở B)' group in `text`: its span and the present name it gives."""
    for m in _PAREN.finditer(text):
        inner = trim(m.group(1))
        cue = starts_with_phrase(inner, rules.renamed_cues)
        if cue and trim(inner[len(cue):]):
            return m.start(), m.end(), trim(inner[len(cue):])
    return None


def parentheticals(text: str) -> tuple[str, list[str]]:
    """Text without its (…) groups, and the groups' contents."""
    inner = [trim(m.group(1)) for m in _PAREN.finditer(text)]
    outer = _SPACES.sub(" ", _PAREN.sub(" ", text)).strip()
    return trim(outer), [i for i in inner if i]


def drop_repeats(text: str) -> str:
    """OCR doubling removed: 'có liên quan liên quan' -> 'có liên quan' (one pass per size)."""
    words = text.split()
    bare = [w.lower().strip(_EDGE) for w in words]
    for size in (3, 2, 1):
        out_w: list[str] = []
        out_b: list[str] = []
        i = 0
        while i < len(words):
            if i + 2 * size <= len(words) and bare[i:i + size] == bare[i + size:i + 2 * size] \
                    and any(c.isalpha() for c in "".join(bare[i:i + size])) \
                    and not any(w != b and w.rstrip(_EDGE) != w for w, b in zip(words[i:i + size], bare[i:i + size])):
                i += size  # keep the second copy: it carries the punctuation that follows
                continue
            out_w.append(words[i])
            out_b.append(bare[i])
            i += 1
        words, bare = out_w, out_b
    return " ".join(words)


def role_word_variants(text: str, rules: AgencyRules) -> list[str]:
    """`text` with role words peeled off one at a time, from either end, shortest last:
    'Giao Sở Y tế chủ trì' -> ['Giao Sở Y tế chủ trì', 'Giao Sở Y tế', 'Sở Y tế']."""
    variants = [trim(text)]
    while variants[-1]:
        current = variants[-1]
        low = current.lower()
        if low in rules.role_words or low in rules.leading_role_words:
            variants.append("")
            continue
        trailing = next((w for w in rules.role_words if low.endswith(" " + w)), None)
        leading = next((w for w in rules.leading_role_words if low.startswith(w + " ")), None)
        if trailing:
            variants.append(trim(current[: len(current) - len(trailing)]))
        elif leading:
            variants.append(trim(current[len(leading):]))
        else:
            break
    return variants


def is_role_only(text: str, rules: AgencyRules) -> bool:
    return role_word_variants(text, rules)[-1] == ""


def without_qualifier(text: str, rules: AgencyRules) -> str | None:
    """'địa phương liên quan' -> 'địa phương': a trailing qualifier ('liên quan', 'ở các cấp') off."""
    low = text.lower()
    for q in rules.mention_qualifiers:
        if low.endswith(" " + q):
            return trim(text[: len(text) - len(q)])
    return None


def without_clause(text: str, rules: AgencyRules) -> str | None:
    """'UBND tỉnh phụ trách lĩnh vực' -> 'UBND tỉnh', 'Sở Tư pháp tham mưu UBND tỉnh' -> 'Sở Tư pháp':
    what a body is in charge of, or the verb before the body its result goes to, off to the end of its
    comma piece (never the whole text, nor all but a bare head; a name in a later piece stays its own)."""
    m = _clause(rules).search(text.lower())
    if m is None or "," in text[m.end():] or text[:m.start()].strip().lower() in rules.head_words:
        return None
    return trim(text[:m.start()])


@functools.cache
def _clause(rules: AgencyRules) -> re.Pattern[str]:
    phrases = "|".join(re.escape(p) for p in sorted(rules.trailing_clauses, key=len, reverse=True))
    return re.compile(rf"(?<=[^\s,;])\s+(?:{phrases})(?![^\W_])")


def without_scope(text: str, rules: AgencyRules) -> str:
    """'Các sở, ngành theo chức năng, nhiệm vụ được giao' -> 'Các sở, ngành': the scope a body acts
    within, off wherever it follows a name (commas and spaces inside it printed either way)."""
    cut, found = _scope(rules).subn("", text)
    return _SPACES.sub(" ", cut).strip() if found else text


@functools.cache
def _scope(rules: AgencyRules) -> re.Pattern[str]:
    def pattern(phrase: str) -> str:
        return r"\s*,?\s*".join(r"\s+".join(map(re.escape, part.split())) for part in phrase.split(","))

    phrases = "|".join(pattern(p) for p in sorted(rules.scope_phrases, key=len, reverse=True))
    return re.compile(rf"(?<=[^\s,;])\s+(?:{phrases})(?![^\W_])", re.I)


def without_subset(text: str, rules: AgencyRules) -> str | None:
    """'Các địa phương có đảo' -> 'các địa phương', 'UBND các tỉnh vùng Tây Nguyên' -> 'các tỉnh,
    thành phố': a class of local governments narrowed by a restrictive phrase is the class."""
    low = trim(text).lower()
    for prefix in ("ubnd ", "ủy ban nhân dân ", "uỷ ban nhân dân "):
        low = low.removeprefix(prefix)
    for noun in rules.subset_classes:
        rest = low[len(noun) + 1:] if low.startswith(noun + " ") else ""
        if rest and starts_with_phrase(rest, rules.subset_openers):
            return rules.subset_classes[noun]
    return None


_SENTENCE_END = re.compile(r"(?<=[^\W\d_]{3})\.\s+(?=[^\W\d_])")


def split_sentences(text: str) -> list[str]:
    """'Các Cục: A; B. Vụ C' -> ['Các Cục: A; B', 'Vụ C'] (a period after a word, then a capital;
    'TP. Huế' is an abbreviation, not a sentence end)."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if text[m.end()].isupper():
            out.append(text[start:m.start()])
            start = m.end()
    out.append(text[start:])
    return [p for p in (trim(x) for x in out) if p]


def continues_line(previous: str, line: str, rules: AgencyRules) -> bool:
    """A line that carries on the name of the line before: it starts in lower case, it is one word
    hanging after a line with no closing punctuation ('… hồ sơ công bố' / 'TTHC'), or it opens with
    the unit of the local body the line before ends with ('Lãnh đạo UBND' / 'Phường 3 Bảo Lộc')."""
    if previous.rstrip()[-1:] in ";.:":
        return False
    return line[:1].islower() or (" " not in line.strip() and line[:1].isalpha()) \
        or unit_after_body(previous, line, rules.named_locality)


def unit_after_body(previous: str, line: str, named: NamedLocality) -> bool:
    """`line` opens with a unit word ('Phường 3 …') and `previous` ends with a local body ('… UBND')."""
    before = unicodedata.normalize("NFC", previous).lower().rstrip()
    after = unicodedata.normalize("NFC", line).lower().lstrip()
    return any(before == b or before.endswith(" " + b) for b in named.bodies) \
        and any(after == u or after.startswith(u + " ") for u in named.units)
