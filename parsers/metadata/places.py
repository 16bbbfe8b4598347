"""Place names: the name after a unit word, provinces (and when a city became centrally run), mention counts."""

from __future__ import annotations

import re
from collections import Counter

from plantasks.normalizers.vietnamese import match_key, unify_tone_placement
from plantasks.parsers.metadata.layout import Layout, is_upper_line
from plantasks.parsers.metadata.vocab import Province, load_vocab

_BARE_UNIT = re.compile(r"(?i:\b(?P<unit>tỉnh|thành phố|tp\.)(?:\s+(?:ủy|uỷ))?)\s+")  # also the Party's "Tỉnh ủy X"


def unit_word(raw: str) -> str:
    key = match_key(raw).rstrip(".")
    return "thành phố" if key == "tp" else key


def name_tokens(text: str, upper_line: bool) -> list[str]:
    """The place-name tokens at the start of `text`: capitalised words (or digits); on a line in
    capitals, up to a phrase that follows names (the vocabulary's `place_name_stops`)."""
    out: list[str] = []
    tokens = text.split(None, _NAME_WORDS + _STOP_WORDS)[:_NAME_WORDS + _STOP_WORDS]  # (not the rest of a long line)
    for k, tok in enumerate(tokens[:_NAME_WORDS]):
        word = tok.strip(",.;:()“”\"'")
        if not word or not (word[0].isupper() or word.isdigit() or word in ("-", "–")):
            break
        if upper_line and _stop_phrase_at(tokens, k):
            break
        out.append(word)
        if tok != word and tok[-1] in ",.;:()":
            break
    while out and out[-1] in ("-", "–"):
        out.pop()
    return out


_NAME_WORDS = 6  # a place name is at most this many words
_STOP_WORDS = 3  # and a phrase that stops it at most this many


def _stop_phrase_at(tokens: list[str], k: int) -> bool:
    words = [match_key(t.strip(",.;:()“”\"'")) for t in tokens[k:k + _STOP_WORDS]]
    for phrase in load_vocab().place_name_stops:
        if len(words) >= len(phrase) and all(w == p or (p == "#" and w[:1].isdigit()) for w, p in zip(words, phrase)):
            return True
    return False


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


def is_city_province(prov: Province, year: int | None) -> bool:
    if prov.kind != "thành phố":
        return False
    return prov.city_since is None or year is None or year >= prov.city_since


def province_mentions(layout: Layout, year: int | None) -> Counter:
    """How often each province is named as 'tỉnh X' / 'thành phố X' (a centrally-run city)."""
    counts: Counter = Counter()
    for line in layout.lines:
        low = line.lower()
        if "tỉnh" not in low and "thành phố" not in low and "tp." not in low:
            continue  # (cheaper than the case-blind regex on every line)
        for m in _BARE_UNIT.finditer(line):
            tokens = name_tokens(line[m.end():], False)
            prov = match_province(tokens)
            if not prov:
                continue
            unit = unit_word(m.group("unit"))
            if unit == "tỉnh" or is_city_province(prov[0], year):
                counts[prov[0].name] += 1
    return counts


def named_unit_mentions(layout: Layout, unit: str) -> Counter:
    """How often each place is named after `unit` ('huyện Hoàng Hóa')."""
    counts: Counter = Counter()
    rx = re.compile(rf"(?i:\b{re.escape(unit)})\s+")
    for line in layout.lines:
        for m in rx.finditer(line):
            tokens = name_tokens(line[m.end():], is_upper_line(line))
            if tokens:
                counts[title_case_name(" ".join(tokens))] += 1
    return counts


def most_common(counts: Counter) -> str | None:
    return counts.most_common(1)[0][0] if counts else None
