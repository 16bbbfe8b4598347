"""The Vietnamese lexicon the OCR repairs check their changes against.

Both sources ship inside underthesea (Apache-2.0), a prescribed dependency, and are read from its
installed data files without importing the package (which loads models):

- corpus/data/Viet74K.txt: Hồ Ngọc Đức's Vietnamese word list (74 000 words, one a line). Every
  syllable of it is a known syllable; every two adjacent syllables of one word are a known pair
  ("hồ sơ", "sơ công" is not one); its words of two to MAX_WORD syllables are kept whole too.
- the word-segmented VLSP 2013 POS test text that ships with its tagger
  (pipeline/pos_tag/models/pos_crf_vlsp2013_*/test_output.txt, about 100 000 syllables of news and
  legal prose): syllable counts and counts of syllables that follow each other in running text, so
  that a function word ("để") is known to be far more common than its look-alike ("đế"); and how
  often each word of its segmentation occurs, one syllable alone ("để": 300 times, "đế": once) or
  several as one word ("lãng phí"), which the context repair splits runs of text with.

Keys are lower case, NFC, tone marks placed in the classic style (normalizers.vietnamese: "hòa",
"thủy", "quý"), whichever style the source or the scan uses. When a source is missing (another underthesea version) the lexicon is
smaller, never wrong: the repairs then change fewer words.

Place names come from the gazetteer of Vietnam's administrative units that underthesea ships
(address/data/mapping.json, built from the vietnamadminunits package: provinces, districts and
communes before and after the 2025 merger, about 9 000 names such as "Xã Đinh Văn Lâm Hà").

A third source is the product's own vocabulary of plans, shipped in its data files: agency names
(normalizers/data/agencies.yaml), reform areas (areas.yaml) and time phrases
(normalizers/deadlines/vocab.yaml, without its OCR section). Adjacent syllables of one of their
phrases count as a dictionary pair ("hằng quý", "chuyển đổi số"), which the general word list and
the news text miss.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from plantasks.data_files import load_yaml
from plantasks import normalizers
from plantasks.normalizers.text import strip_marks
from plantasks.normalizers.vietnamese import tone_of, toneless, unify_tone_placement, with_tone  # noqa: F401  (re-exported)

NORMALIZERS = Path(normalizers.__file__).parent
DOMAIN_FILES = (NORMALIZERS / "data" / "agencies.yaml", NORMALIZERS / "data" / "areas.yaml",
                NORMALIZERS / "deadlines" / "vocab.yaml")
LETTER_RUN = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")
MAX_WORD = 4  # the longest word (in syllables) the context repairs look for
BOUND_SHARE = 0.3  # a syllable standing alone less often than this is bound to its neighbour
HOOK = "\u0309"  # hỏi
HOOK_MISREAD_AS = frozenset("\u0301\u0303")  # sắc, ngã: what a small hook above becomes in a coarse scan


@dataclass(frozen=True)
class Lexicon:
    syllables: frozenset[str]
    word_pairs: frozenset[tuple[str, str]]  # adjacent syllables inside one dictionary word
    counts: Counter  # syllable -> occurrences in the running text
    bigrams: Counter  # (syllable, next syllable) -> occurrences in the running text
    by_toneless: dict[str, tuple[str, ...]]  # toneless form -> the known syllables with that form
    by_bare: dict[str, tuple[str, ...]]  # form without any mark ('chuan') -> the known syllables
    phrase_pairs: frozenset[tuple[str, str]] = frozenset()  # adjacent syllables of the product's phrases
    phrase_syllables: frozenset[str] = frozenset()  # every syllable of the product's phrases
    compounds: Counter = field(default_factory=Counter)  # 2 or 3 syllables in a row -> occurrences inside one segmented word
    alone: Counter = field(default_factory=Counter)  # syllable -> occurrences as a one-syllable word of the running text
    words: frozenset[tuple[str, ...]] = frozenset()  # dictionary words and product phrases of 2..MAX_WORD syllables
    word_counts: Counter = field(default_factory=Counter)  # syllables of one word -> its occurrences in the running text
    running_words: int = 0  # words of the running text (one syllable or several)

    def bound_pair(self, left: str, right: str) -> bool:
        """Two syllables that running text writes as one word ('công nghệ', 'thường xuyên'), one of
        them rarely a word on its own: no punctuation stands between them in correct text."""
        if self.compounds.get((left, right), 0) < 2:
            return False
        return min(self.alone[s] / max(self.counts[s], 1) for s in (left, right)) < BOUND_SHARE

    def is_syllable(self, syllable: str) -> bool:
        """`syllable`: a key() of the text's word."""
        return syllable in self.syllables

    def tone_variants(self, syllable: str) -> tuple[str, ...]:
        """Known syllables differing from `syllable` only in the tone mark ('đế' -> 'để', 'đề', ...)."""
        return tuple(v for v in self.by_toneless.get(toneless(syllable), ()) if v != syllable)

    def mark_variants(self, syllable: str) -> tuple[str, ...]:
        """Known syllables differing from `syllable` in any mark ('chuãn' -> 'chuẩn', 'chuấn', ...)."""
        return tuple(v for v in self.by_bare.get(strip_marks(syllable), ()) if v != syllable)

    def pair_support(self, left: str, right: str) -> int:
        """How well two adjacent syllables are attested: a dictionary word counts as 100 sightings."""
        return (100 if (left, right) in self.word_pairs else 0) + self.bigrams.get((left, right), 0)


def key(word: str) -> str:
    """The lexicon's form of a word: lower case, NFC, classic tone placement."""
    return unify_tone_placement(word.lower())


def is_letters(token: str) -> bool:
    return bool(token) and all(ch.isalpha() for ch in token)


def underthesea_dir() -> Path | None:
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def word_list_file(root: Path) -> Path | None:
    path = root / "corpus" / "data" / "Viet74K.txt"
    return path if path.is_file() else None


def running_text_file(root: Path) -> Path | None:
    found = sorted((root / "pipeline" / "pos_tag" / "models").glob("pos_crf_vlsp2013_*/test_output.txt"))
    return found[-1] if found else None


@functools.cache
def lexicon() -> Lexicon:
    root = underthesea_dir()
    words = read_lines(word_list_file(root)) if root else []
    tokens = read_tokens(running_text_file(root)) if root else []
    return build_lexicon(words, tokens, domain_phrases())


def domain_phrases() -> list[str]:
    """Runs of words from the strings of the product's vocabulary files (DOMAIN_FILES)."""
    runs: list[str] = []
    for path in DOMAIN_FILES:
        if path.is_file():
            data = load_yaml(path)
            if isinstance(data, dict):
                data.pop("ocr", None)  # glyph confusions, not words
            runs.extend(run for text in _strings(data) for run in LETTER_RUN.findall(key(text)))
    return runs


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in _strings(k) + _strings(v)]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return []


def read_lines(path: Path | None) -> list[str]:
    if path is None:
        return []
    return key(path.read_text(encoding="utf-8")).splitlines()


def read_tokens(path: Path | None) -> list[str]:
    """First column of a CoNLL-style file; an empty line ends a sentence (kept as '')."""
    return [line.split("\t", 1)[0] for line in read_lines(path)]


def build_lexicon(words: list[str], running_tokens: list[str], phrases: list[str] = ()) -> Lexicon:
    syllables: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    whole: set[tuple[str, ...]] = set()
    phrase_pairs = {pair for phrase in phrases for pair in zip(phrase.split(), phrase.split()[1:])}
    for word in [*words, *phrases]:
        parts = word.replace("-", " ").split()
        if all(is_letters(p) for p in parts):
            syllables.update(parts)
            pairs.update(zip(parts, parts[1:]))
            if 1 < len(parts) <= MAX_WORD:
                whole.add(tuple(parts))
    counts: Counter = Counter()
    bigrams: Counter = Counter()
    compounds: Counter = Counter()
    alone: Counter = Counter()
    word_counts: Counter = Counter()
    previous = None
    for token in running_tokens:
        parts = token.replace("_", " ").split()
        if not parts or not all(is_letters(p) for p in parts):
            previous = None  # a sentence end, a number or punctuation breaks the sequence
            continue
        counts.update(parts)
        syllables.update(parts)
        compounds.update(zip(parts, parts[1:]))
        compounds.update(zip(parts, parts[1:], parts[2:]))
        if len(parts) == 1:
            alone[parts[0]] += 1
        elif len(parts) <= MAX_WORD:
            word_counts[tuple(parts)] += 1
        if previous is not None:
            bigrams[(previous, parts[0])] += 1
        bigrams.update(zip(parts, parts[1:]))
        previous = parts[-1]
    by_toneless: dict[str, list[str]] = {}
    by_bare: dict[str, list[str]] = {}
    for syllable in sorted(syllables):
        by_toneless.setdefault(toneless(syllable), []).append(syllable)
        by_bare.setdefault(strip_marks(syllable), []).append(syllable)
    return Lexicon(frozenset(syllables), frozenset(pairs), counts, bigrams,
                   {k: tuple(v) for k, v in by_toneless.items()}, {k: tuple(v) for k, v in by_bare.items()}, frozenset(phrase_pairs),
                   frozenset(s for phrase in phrases for s in phrase.split()), compounds, alone,
                   frozenset(whole), word_counts, sum(alone.values()) + sum(word_counts.values()))


PLACE_UNITS = ("thành phố", "thị trấn", "thị xã", "phường", "huyện", "quận", "tỉnh", "xã")  # longest first


def gazetteer_file(root: Path) -> Path | None:
    path = root / "address" / "data" / "mapping.json"
    return path if path.is_file() else None


@functools.cache
def place_names() -> dict[str, dict[str, tuple[str, ...]]]:
    """Unit word ('xã') -> name without any mark, lower case ('dinh van lam ha') -> the names
    written so in the gazetteer ('Đinh Văn Lâm Hà'); empty when the gazetteer is missing."""
    root = underthesea_dir()
    path = gazetteer_file(root) if root else None
    if path is None:
        return {}
    records = json.loads(path.read_text(encoding="utf-8"))
    full = {r[k] for r in records.get("ward_mapping", []) for k in
            ("old_ward", "old_district", "new_ward", "old_province", "new_province") if r.get(k)}
    return index_places(full)


def index_places(full_names) -> dict[str, dict[str, tuple[str, ...]]]:
    """Full names with their unit ('Xã Đinh Văn Lâm Hà') indexed as place_names() gives them."""
    found: dict[str, dict[str, set[str]]] = {}
    for full in full_names:
        text = unify_tone_placement(" ".join(full.split()))
        unit = next((u for u in PLACE_UNITS if text.lower().startswith(u + " ")), None)
        if unit is not None:
            name = text[len(unit) + 1:]
            found.setdefault(unit, {}).setdefault(strip_marks(name.lower()), set()).add(name)
    return {u: {bare: tuple(sorted(names)) for bare, names in by.items()} for u, by in found.items()}
