"""The signing official: the first name line of the first signature block."""

from __future__ import annotations

import re

from plantasks.normalizers.text import BULLET_SYMBOLS
from plantasks.normalizers.vietnamese import match_key
from plantasks.parsers.metadata.layout import Layout
from plantasks.parsers.metadata.places import title_case_name
from plantasks.parsers.metadata.vocab import load_vocab

_NAME_WORD = re.compile(r"^[^\W\d_]+$")
_DELEGATION = re.compile(r"^(kt|tm|q|t/m|k/t)\.?\s+\S")
_SIGNED = re.compile(r"\(\s*(?:đã\s+)?k[ýí]\b[^)]*\)", re.IGNORECASE)  # "(Đã ký)", "( đã kí)", "(ký)"


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
    for start in (layout.body_start, 0):  # a letter may have no line the body start is known by
        for i in range(start, len(layout.lines)):
            key = layout.keys[i].rstrip(":")
            if _is_title(key) or key.startswith("nơi nhận"):
                return i
    return None


def _is_title(key: str) -> bool:
    """A signer's title line: a known title, or a delegation mark (KT., TM., Q.) before one."""
    return key in load_vocab().signer_titles or bool(_DELEGATION.match(key))


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
        if _is_title(key):
            after_title = True
            name = _name_after_title(line)
            if name:
                return name
            continue
        if key in vocab.signature_noise or key.startswith("nơi nhận"):
            continue
        if line[:1] in BULLET_SYMBOLS:
            tails.append(re.split(r"[.;:,]", line)[-1].strip())
            continue
        name = _name_like(_SIGNED.sub("", line).strip(), after_title)
        if name:
            return name
    return _name_in_tails(tails)


def _name_after_title(line: str) -> str | None:
    """A signature block a tool ran into one line: 'TM. ỦY BAN … CHỦ TỊCH (Đã ký) Trần Thanh Mẫn'. The name is
    what follows the signed mark, or else the title-cased words that end the capitalised title."""
    marked = _SIGNED.split(line)
    if len(marked) > 1:
        return _name_like(marked[-1].strip(), True)
    words = line.split()
    tail = len(words)
    while tail and not words[tail - 1].isupper():
        tail -= 1
    if tail and 2 <= len(words) - tail <= 5:
        name = _name_like(" ".join(words[tail:]), False)
        if name and match_key(name.split()[0]) in load_vocab().surnames:
            return name
    return None


def _name_in_tails(tails: list[str]) -> str | None:
    """No name line: a name with a known surname at the end of a list line (a 'Nơi nhận' item it was glued to)."""
    surnames = load_vocab().surnames
    for tail in tails:
        name = _name_like(tail, False)
        if name and match_key(name.split()[0]) in surnames:
            return name
    return None
