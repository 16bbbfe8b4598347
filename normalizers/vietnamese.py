"""Vietnamese text repair: Unicode normal form, tone placement, legacy encodings.

Printed text is kept as printed; these functions give (a) keys for matching (`match_key`),
(b) a canonical tone placement for names (`unify_tone_placement`), and (c) recovery of text typed in
the legacy TCVN3 (ABC, .VnTime fonts) and VNI (VNI-Times fonts) encodings (`repair_legacy`).
Folding (marks removed) is `normalizers.text.strip_marks` / `fold`.

Tone placement: Vietnamese writes the tone of an open "oa", "oe", "uy" either on the first vowel
("hòa", "thủy", the style of the GOLD files, called "classic" here) or on the second ("hoà",
"thuỷ", "new"). Both are correct Unicode; only the placement differs. A misplaced tone after
"qu"/"gi" ("qúy") is always moved to the vowel that carries it ("quý").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from plantasks.normalizers.text import strip_marks as strip_diacritics  # noqa: F401  (re-exported)

DATA_DIR = Path(__file__).parent / "data"

# Combining tone marks (NFD): huyền, sắc, ngã, hỏi, nặng.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS = frozenset("aăâeêioôơuưy")
_MODIFIED_VOWELS = frozenset("ăâêôơư")
_ONSETS = frozenset(
    "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split()
)
_CODAS = frozenset(["", "c", "ch", "m", "n", "ng", "nh", "p", "t"])
_STOP_CODAS = frozenset(["c", "ch", "p", "t"])
# Vowel nuclei (toneless) that can stand without a final consonant, and those that need one.
_OPEN_NUCLEI = frozenset(
    "a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu oa oe oi ôi ơi ua ui uy uê ưa ưi ưu "
    "oai oay oeo uây uôi ươi ươu uya uyu iêu yêu".split()
)
_CLOSED_NUCLEI = frozenset(
    "a ă â e ê i o ô ơ u ư y oa oă oe uâ uê uy iê yê uô ươ uyê oo".split()
)
_WORD_RE = re.compile(r"[^\W\d_]+")
_SPACE_RE = re.compile(r"\s+")


def nfc(text: str) -> str:
    """The text in Unicode NFC (precomposed) form."""
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """Key for comparing Vietnamese strings: NFC, casefolded, one tone placement, single spaces.

    'Uỷ ban  nhân dân' and 'Ủy ban nhân dân' give the same key; so do 'hoà'/'hòa' and 'qúy'/'quý'.
    The Icelandic eth 'Ð' that some PDFs emit for 'Đ' is read as 'Đ'.
    """
    text = nfc(text).replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")
    text = unify_tone_placement(text.casefold())
    return _SPACE_RE.sub(" ", text).strip()


# ---------------------------------------------------------------- syllables and tone placement


@dataclass(frozen=True)
class Syllable:
    """A parsed Vietnamese syllable (lower case, toneless parts) and its tone mark."""

    onset: str
    nucleus: str
    coda: str
    tone: str | None  # combining mark or None (thanh ngang)


def _split_tone(word: str) -> tuple[list[str], str | None] | None:
    """Each character without its tone mark, and the (single) tone mark; None if two tones."""
    chars: list[str] = []
    tone: str | None = None
    for ch in word:
        parts = unicodedata.normalize("NFD", ch)
        marks = [m for m in parts if m in TONE_MARKS]
        if marks:
            if tone is not None or len(marks) > 1:
                return None
            tone = marks[0]
        chars.append(nfc("".join(p for p in parts if p not in TONE_MARKS)))
    return chars, tone


def _parse_toneless(lower: str) -> tuple[str, str, str] | None:
    """(onset, nucleus, coda) of a toneless lower-case syllable, or None if not Vietnamese."""
    onset = ""
    for size in (3, 2, 1):
        head = lower[:size]
        if head in _ONSETS and len(lower) > size:
            onset = head
            break
    if onset in ("qu", "gi") and lower[len(onset)] not in _VOWELS:
        onset = onset[0]  # "gìn": gi + n has no vowel after gi, so i is the vowel
    rest = lower[len(onset):]
    end = 0
    while end < len(rest) and rest[end] in _VOWELS:
        end += 1
    nucleus, coda = rest[:end], rest[end:]
    if not nucleus or coda not in _CODAS:
        return None
    if onset == "" and lower[:1] not in _VOWELS:
        return None
    return onset, nucleus, coda


def _split_and_parse(word: str) -> tuple[list[str], str | None, tuple[str, str, str]] | None:
    """The word's characters without the tone, its tone, and (onset, nucleus, coda); None when the
    word is no Vietnamese syllable."""
    split = _split_tone(word)
    if split is None:
        return None
    chars, tone = split
    lower = "".join(c.lower() for c in chars)
    if len(lower) != len(chars):
        return None
    parts = _parse_toneless(lower)
    return None if parts is None else (chars, tone, parts)


def parse_syllable(word: str) -> Syllable | None:
    """Parse one word as a Vietnamese syllable; None for anything else (English, numbers...)."""
    parsed = _split_and_parse(nfc(word))
    if parsed is None:
        return None
    _, tone, (onset, nucleus, coda) = parsed
    return Syllable(onset, nucleus, coda, tone)


def is_vietnamese_syllable(word: str) -> bool:
    """True when the word is a well-formed Vietnamese syllable (onset, rhyme and tone agree)."""
    syl = parse_syllable(word)
    if syl is None:
        return False
    allowed = _CLOSED_NUCLEI if syl.coda else _OPEN_NUCLEI
    if syl.nucleus not in allowed:
        return False
    if syl.nucleus in ("ă", "â") and not syl.coda:
        return False
    if syl.coda in _STOP_CODAS and syl.tone not in ("\u0301", "\u0323"):
        return False
    return True


def _tone_position(nucleus: str, coda: str, style: str) -> int:
    """Index inside the nucleus of the vowel that carries the tone."""
    if len(nucleus) == 1:
        return 0
    modified = [i for i, c in enumerate(nucleus) if c in _MODIFIED_VOWELS]
    if modified:
        return modified[-1]
    if coda or len(nucleus) >= 3:
        return len(nucleus) - 1 if coda else 1
    if nucleus in ("oa", "oe", "uy") and style == "new":
        return 1
    return 0


@functools.lru_cache(maxsize=1 << 16)  # a plan repeats the same few thousand words: place each word's tone once
def _place_tone_in_word(word: str, style: str) -> str:
    parsed = _split_and_parse(word)
    if parsed is None or parsed[1] is None or len(parsed[2][1]) > 3:
        return word
    chars, tone, (onset, nucleus, coda) = parsed
    target = len(onset) + _tone_position(nucleus, coda, style)
    out = list(chars)
    out[target] = nfc(out[target] + tone)
    return "".join(out)


def unify_tone_placement(text: str, style: str = "classic") -> str:
    """Move each word's tone mark to the vowel the chosen style puts it on.

    style "classic" (GOLD): hòa, thủy, khỏe, quý; style "new": hoà, thuỷ, khoẻ, quý.
    Words that are not Vietnamese syllables are left alone.
    """
    if style not in ("classic", "new"):
        raise ValueError(f"unknown tone style {style!r}: use 'classic' or 'new'")
    text = nfc(text)
    if _WORD_RE.fullmatch(text):  # one word (callers key word by word): no substitution pass
        return _place_tone_in_word(text, style)
    return _WORD_RE.sub(lambda m: _place_tone_in_word(m.group(0), style), text)


# ---------------------------------------------------------------- legacy encodings (TCVN3, VNI)

def toneless(syllable: str) -> str:
    """The syllable without its tone mark; vowel marks (â ă ê ô ơ ư) and đ stay: 'để' -> 'đê'."""
    decomposed = unicodedata.normalize("NFD", syllable)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))


def tone_of(syllable: str) -> str | None:
    """The combining tone mark of a syllable, None for the level tone (ngang)."""
    return next((ch for ch in unicodedata.normalize("NFD", syllable) if ch in TONE_MARKS), None)


def with_tone(syllable: str, tone: str) -> str | None:
    """The syllable with `tone` instead of its own, tone placed where the syllable had its own."""
    if tone_of(syllable) is None:
        return None
    decomposed = unicodedata.normalize("NFD", syllable)
    return unicodedata.normalize("NFC", "".join(tone if ch in TONE_MARKS else ch for ch in decomposed))


LEGACY_ENCODINGS = ("tcvn3", "vni")
# Vietnamese letters outside Latin-1: a line holding any of them is Unicode already.
_UNICODE_VIETNAMESE = re.compile(r"[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
_TOKEN_EDGE = "\"'“”‘’()[]{}.,;:!?…-–—/*"


@dataclass(frozen=True)
class LegacyTable:
    name: str
    decode_map: dict[str, str]  # legacy sequence (1 or 2 chars) -> Unicode letter
    longest: int


def _read_tsv(path: Path) -> list[dict[str, str]]:
    rows = [l for l in path.read_text(encoding="utf-8").split("\n") if l and not l.startswith("#")]
    header = rows[0].split("\t")
    return [dict(zip(header, r.split("\t"))) for r in rows[1:]]


@functools.cache
def legacy_table(name: str) -> LegacyTable:
    """The mapping table of one legacy encoding, from data/legacy_<name>.tsv."""
    if name not in LEGACY_ENCODINGS:
        raise ValueError(f"unknown legacy encoding {name!r}: use one of {LEGACY_ENCODINGS}")
    rows = _read_tsv(DATA_DIR / f"legacy_{name}.tsv")
    decode = {r["legacy"]: nfc(r["unicode"]) for r in rows}
    return LegacyTable(name, decode, max(len(k) for k in decode))


def decode_legacy(text: str, encoding: str) -> str:
    """Convert text typed in a legacy encoding (read as cp1252/latin-1) to Unicode, unconditionally."""
    table = legacy_table(encoding)
    out: list[str] = []
    i = 0
    while i < len(text):
        for size in range(table.longest, 0, -1):
            piece = text[i:i + size]
            if len(piece) == size and piece in table.decode_map:
                out.append(table.decode_map[piece])
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _token_core(token: str) -> str:
    return token.strip(_TOKEN_EDGE)


def _restore_upper_case(original: str, decoded: str, line_is_upper: bool) -> str:
    """.VnTimeH headings store capitals as lower-case codes: 'QUYÕT' decodes to 'QUYếT'."""
    if decoded == original:
        return decoded
    cased = [c for c in original if c.isascii() and c.isalpha()]
    all_upper = all(c.isupper() for c in cased)
    if (len(cased) >= 2 and all_upper) or (line_is_upper and all_upper):
        return decoded.upper()
    return decoded


def _decode_line(line: str, encoding: str) -> str:
    ascii_letters = [c for c in line if c.isascii() and c.isalpha()]
    line_is_upper = bool(ascii_letters) and sum(c.isupper() for c in ascii_letters) >= 0.8 * len(ascii_letters)
    parts = re.split(r"(\s+)", line)
    out = []
    for part in parts:
        if not part or part.isspace():
            out.append(part)
            continue
        decoded = decode_legacy(part, encoding)
        out.append(_restore_upper_case(part, decoded, line_is_upper) if encoding == "tcvn3" else decoded)
    return "".join(out)


def _valid_word(token: str) -> bool:
    core = _token_core(token)
    return bool(core) and all(
        (w.isalpha() and is_vietnamese_syllable(w)) for w in re.split(r"[-/]", core) if w
    )


@dataclass(frozen=True)
class LegacyVerdict:
    encoding: str | None
    text: str
    changed: int  # words the conversion changes
    gained: int  # of those, how many more are Vietnamese syllables after it than before
    unrecovered: tuple[str, ...]  # changed words still not Vietnamese after conversion


def _plainly_unicode(line: str) -> bool:
    """Blank, ASCII, or holding a letter only Unicode Vietnamese has: not a legacy-encoded line."""
    return not line.strip() or line.isascii() or _UNICODE_VIETNAMESE.search(line) is not None


# a line (between newlines) that is not _plainly_unicode: something visible, something non-ASCII,
# no letter only Unicode Vietnamese has
_MAYBE_LEGACY_LINE = re.compile(r"(?m)^(?![^\n]*%s)(?=[^\n]*\S)(?=[^\n]*[^\x00-\x7f])[^\n]*" % _UNICODE_VIETNAMESE.pattern)


def may_hold_legacy(text: str) -> bool:
    """Whether any line of the text could be TCVN3/VNI (repair_legacy leaves the text alone otherwise):
    one regex pass instead of judging each line."""
    return _MAYBE_LEGACY_LINE.search(text) is not None


def needs_legacy_repair(text: str) -> bool:
    """Whether repair_legacy would convert or report any line of the text: the lines that could be
    legacy-encoded are found in one regex pass and each distinct one is judged (judge_line is cached),
    so a whole document is checked at once."""
    return any(judge_line(line).encoding for line in {m.group() for m in _MAYBE_LEGACY_LINE.finditer(text)})


@functools.lru_cache(maxsize=8192)
def judge_line(line: str) -> LegacyVerdict:
    """Whether a line is TCVN3 or VNI text, by how many words become Vietnamese syllables (cached:
    time cells and agency names recur from plan to plan)."""
    none = LegacyVerdict(None, line, 0, 0, ())
    if _plainly_unicode(line):
        return none
    best = none
    for encoding in LEGACY_ENCODINGS:
        decoded = _decode_line(line, encoding)
        before, after = line.split(), decoded.split()
        if len(before) != len(after):
            continue
        pairs = [(b, a) for b, a in zip(before, after) if b != a]
        if not pairs:
            continue
        valid_before = sum(_valid_word(b) for b, _ in pairs)
        valid_after = sum(_valid_word(a) for _, a in pairs)
        gained = valid_after - valid_before
        if gained <= 0 or valid_after < 0.6 * len(pairs):
            continue
        if gained > best.gained:
            bad = tuple(a for _, a in pairs if not _valid_word(a))
            best = LegacyVerdict(encoding, decoded, len(pairs), gained, bad)
    return best


def detect_legacy(text: str) -> str | None:
    """'tcvn3', 'vni' or None: the legacy encoding most lines of the text are in."""
    counts: dict[str, int] = {}
    for line in text.splitlines():
        verdict = judge_line(line)
        if verdict.encoding:
            counts[verdict.encoding] = counts.get(verdict.encoding, 0) + verdict.changed
    return max(counts, key=counts.get) if counts else None


def repair_legacy(text: str) -> tuple[str, list[str]]:
    """Convert the lines typed in TCVN3 or VNI (as read from PDF/DOCX) to Unicode.

    Lines already in Unicode Vietnamese, English, or anything the conversion does not make more
    Vietnamese are returned unchanged. Warnings name the words that stayed unreadable.
    """
    if not may_hold_legacy(text):  # the usual case: nothing to judge
        return text, []
    out, warnings = [], []
    for number, line in enumerate(text.split("\n"), start=1):
        verdict = judge_line(line)
        out.append(verdict.text)
        if verdict.encoding and verdict.unrecovered:
            words = ", ".join(verdict.unrecovered[:5])
            warnings.append(f"line {number}: {verdict.encoding.upper()} text, not recovered: {words}")
        if verdict.encoding and re.search(r"[\u0080-\u009f]", verdict.text):
            warnings.append(f"line {number}: {verdict.encoding.upper()} text has control bytes 0x80-0x9F left unmapped")
    return "\n".join(out), warnings
