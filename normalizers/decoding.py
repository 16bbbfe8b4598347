"""Bytes of a text or web-page file -> text: the one decoder of the product.

Nothing is lost and nothing is repaired silently:
- a byte-order mark decides (UTF-8, UTF-16, UTF-32);
- UTF-16 without a mark is recognised by its zero bytes;
- NUL bytes inside text are dropped, with a warning naming the lines;
- UTF-8 is decoded line by line: a line with a bad byte gets U+FFFD in its place and a warning names
  the line; the rest of the file is never re-read in another encoding because of it;
- a file that is not UTF-8 is read in the Vietnamese legacy encoding (cp1258, or TCVN3/VNI typed
  text) that turns most of its words into Vietnamese syllables, or in charset-normalizer's best guess,
  with the confidence in the warning.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

_SNIFF = 64 * 1024
_MAX_NAMED_LINES = 10
_WORD = re.compile(r"[^\W\d_]+")
# Bytes 0x80-0x9F as cp1252 reads them; the five bytes cp1252 leaves undefined stay latin-1.
_CP1252_HIGH = {b: bytes([b]).decode("cp1252", errors="replace") for b in range(0x80, 0xA0)}
_AS_TYPED = str.maketrans({b: (ch if ch != "\ufffd" else chr(b)) for b, ch in _CP1252_HIGH.items()})
# A legacy reading is taken when at least this share of its non-ASCII words are Vietnamese syllables.
LEGACY_MIN_CONFIDENCE = 0.6


@dataclass(frozen=True)
class DecodeIssue:
    code: str  # a code of the warning registry
    message: str


@dataclass(frozen=True)
class Decoded:
    text: str | None  # None: the bytes are not text
    encoding: str
    confidence: float  # 1.0 when a mark or valid UTF-8 decided
    issues: tuple[DecodeIssue, ...] = ()


# charsets web pages declare, as Python names them
_DECLARED = {"windows-1258": "cp1258", "windows-1252": "cp1252", "x-user-defined": "cp1252"}


def decode_bytes(data: bytes, partial: bool = False, declared: str | None = None) -> Decoded:
    """Decode a whole file; `partial` for a sample that may be cut inside a character (sniffing);
    `declared`: the charset the file names (a web page's meta charset), used when the bytes fit it."""
    if declared and declared.replace("-", "").lower() != "utf8" and not partial:
        codec = _DECLARED.get(declared.lower(), declared.lower())
        try:
            return Decoded(unicodedata.normalize("NFC", data.decode(codec)), codec, 1.0)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: the bytes decide
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"),
                       (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            body = data[len(bom):]
            if codec == "utf-8":
                return _utf8(body, partial) or _legacy(body, partial)
            return _wide(body, codec, 1.0, [])
    wide = _utf16_without_bom(data)
    if wide:
        return _wide(data, wide[0], wide[1], [DecodeIssue(
            "encoding_guess", f"the text is UTF-16 without a byte-order mark (read as {wide[0]}, "
            f"confidence {wide[1]:.2f}); check letters that look wrong")])
    if _looks_binary(data):
        return Decoded(None, "binary", 1.0)
    data, nul_issues = _drop_nuls(data)
    decoded = _utf8(data, partial) or _legacy(data, partial)
    return Decoded(decoded.text, decoded.encoding, decoded.confidence, tuple(nul_issues) + decoded.issues)


# ---------------------------------------------------------------- UTF-8, line by line


def _utf8(data: bytes, partial: bool) -> Decoded | None:
    """UTF-8 with each bad line repaired; None when the file is not UTF-8 at all."""
    try:
        return Decoded(data.decode("utf-8"), "utf-8", 1.0)
    except UnicodeDecodeError:
        pass
    raw_lines = data.split(b"\n")
    if partial:  # a sample may end inside a character
        raw_lines[-1] = _cut_incomplete(raw_lines[-1])
    lines, bad, good_wide = [], [], 0
    for number, raw in enumerate(raw_lines, start=1):
        try:
            lines.append(raw.decode("utf-8"))
            good_wide += not raw.isascii()
        except UnicodeDecodeError:
            lines.append(raw.decode("utf-8", errors="replace"))
            bad.append(number)
    if not bad:
        return Decoded("\n".join(lines), "utf-8", 1.0)
    if good_wide < len(bad):
        return None  # most non-ASCII lines are not UTF-8: another encoding
    issue = DecodeIssue("encoding_damage", f"bytes that are not valid UTF-8 were replaced by '\ufffd' on "
                        f"{_lines_named(bad)}; the rest of the file was read as UTF-8")
    return Decoded("\n".join(lines), "utf-8", good_wide / (good_wide + len(bad)), (issue,))


def _cut_incomplete(raw: bytes) -> bytes:
    for cut in range(1, 4):
        try:
            raw[:-cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
        try:
            raw.decode("utf-8")
            return raw
        except UnicodeDecodeError:
            return raw[:-cut]
    return raw


# ---------------------------------------------------------------- other encodings


def _legacy(data: bytes, partial: bool) -> Decoded:
    """The reading that makes the most Vietnamese syllables: cp1258, TCVN3/VNI, or charset-normalizer's."""
    if partial:  # sniffing only needs to know it is text
        return Decoded(data.decode("latin-1"), "latin-1", 0.0)
    candidates = []
    cp1258 = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    candidates.append((vietnamese_share(cp1258), "cp1258", cp1258, []))
    typed = data.decode("latin-1").translate(_AS_TYPED)
    from plantasks.normalizers.vietnamese import detect_legacy, repair_legacy

    font = detect_legacy(typed)
    if font:
        repaired, notes = repair_legacy(typed)
        candidates.append((vietnamese_share(repaired), font, repaired, notes))
    share, encoding, text, notes = max(candidates, key=lambda c: c[0])
    if share >= LEGACY_MIN_CONFIDENCE:
        what = {"cp1258": "Windows-1258", "tcvn3": "TCVN3 (ABC)", "vni": "VNI"}[encoding]
        issues = [DecodeIssue("encoding_guess", f"the text is not UTF-8: read as {what} (confidence {share:.2f}); "
                              "if letters look wrong, save the file as UTF-8")]
        issues += [DecodeIssue("legacy_encoding", n) for n in notes]
        return Decoded(text, encoding, share, tuple(issues))
    return _guessed(data)


def _guessed(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        text = data.decode("utf-8", errors="replace")
        return Decoded(text, "utf-8", 0.0, (DecodeIssue(
            "encoding_damage", "the text encoding is unknown: read as UTF-8 with unreadable bytes replaced"),))
    confidence = round(1.0 - best.chaos, 2)
    return Decoded(str(best), best.encoding, confidence, (DecodeIssue(
        "encoding_guess", f"the text is not UTF-8: read as {best.encoding} (confidence {confidence:.2f}); "
        "if letters look wrong, save the file as UTF-8"),))


def vietnamese_share(text: str, sample_words: int = 3000) -> float:
    """Share of the non-ASCII words that are well-formed Vietnamese syllables (0 when there are none)."""
    from plantasks.normalizers.vietnamese import is_vietnamese_syllable

    words = [w for w in _WORD.findall(text[: sample_words * 8]) if not w.isascii()][:sample_words]
    if not words:
        return 0.0
    return sum(is_vietnamese_syllable(w) for w in words) / len(words)


def _utf16_without_bom(data: bytes) -> tuple[str, float] | None:
    """('utf-16-le'|'utf-16-be', confidence) when every other byte is mostly zero."""
    sample = data[: min(len(data), _SNIFF) // 2 * 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zero_odd > 0.3 and zero_even < 0.02:
        codec, share = "utf-16-le", zero_odd
    elif zero_even > 0.3 and zero_odd < 0.02:
        codec, share = "utf-16-be", zero_even
    else:
        return None
    text = sample.decode(codec, errors="replace")
    printable = sum(ch.isprintable() or ch in "\t\n\r\f" for ch in text) / max(1, len(text))
    return (codec, round(min(1.0, printable * (0.5 + share)), 2)) if printable > 0.95 else None


def _wide(data: bytes, codec: str, confidence: float, issues: list[DecodeIssue]) -> Decoded:
    width = 4 if "32" in codec else 2
    body = data[: len(data) // width * width]
    try:
        return Decoded(body.decode(codec), codec, confidence, tuple(issues))
    except UnicodeDecodeError:
        text = body.decode(codec, errors="replace")
        bad = [n for n, line in enumerate(text.split("\n"), start=1) if "\ufffd" in line]
        issues = issues + [DecodeIssue("encoding_damage", f"bytes that are not valid {codec} were replaced on "
                                       f"{_lines_named(bad)}")]
        return Decoded(text, codec, confidence, tuple(issues))


# ---------------------------------------------------------------- binary and NUL bytes


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _looks_binary(data: bytes) -> bool:
    """More than 5% control bytes (NUL included) in the first 64 KB: not a text file."""
    sample = data[:_SNIFF]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) * 0.05


def _drop_nuls(data: bytes) -> tuple[bytes, list[DecodeIssue]]:
    if b"\x00" not in data:
        return data, []
    lines = [n for n, line in enumerate(data.split(b"\n"), start=1) if b"\x00" in line]
    count = data.count(b"\x00")
    issue = DecodeIssue("nul_bytes", f"{count} NUL byte(s) were dropped on {_lines_named(lines)}")
    return data.replace(b"\x00", b""), [issue]


def _lines_named(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:_MAX_NAMED_LINES])
    more = f" and {len(numbers) - _MAX_NAMED_LINES} more" if len(numbers) > _MAX_NAMED_LINES else ""
    return f"line{'s' if len(numbers) > 1 else ''} {shown}{more}"
