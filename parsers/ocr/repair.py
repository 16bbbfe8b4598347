"""Repairs of typical Tesseract glyph confusions: glyph rules from confusions.yaml (Roman numerals,
bullets, specks) and word repairs checked against a Vietnamese lexicon (lexicon.py).

Each repair applies only where its context makes the reading certain; a word is changed only when
the change turns a non-word into a word or an unattested syllable pair into a dictionary word, or,
for a real word misread as another real one, when the run of words around it reads far likelier
with the change (_by_segmentation), so correctly spelled text passes unchanged. Everything else is
left exactly as recognized.
repair_text works on a whole cell or paragraph, so a pattern cut by a line break ("Quý" /
"1V/2024") is still seen.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

from plantasks.data_files import load_yaml
from plantasks.normalizers.text import strip_marks
from plantasks.parsers.ocr.lexicon import (HOOK, HOOK_MISREAD_AS, MAX_WORD, PLACE_UNITS, is_letters, key, lexicon, place_names,
                                          tone_of, toneless, with_tone)

RULES_FILE = Path(__file__).with_name("confusions.yaml")
LETTERS = re.compile(r"[^\W\d_]+")
EDGE_PUNCTUATION = re.compile(r"^([^\w]*)(.*?)([^\w]*)$", re.DOTALL)
ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
ARABIC = re.compile(r"\d{1,3}")
MIN_PAIR_SUPPORT = 2  # sightings of a syllable pair in running text that make it attested
# Upper case: tone read -> tones it may stand for. A mark is lost (TỔ -> TÔ, ĐIỀU -> ĐIÊU), huyền
# read as ngã (HÀNH -> HÃNH). A mark read where there is none, or huyền for hỏi, is not repaired in
# upper case; hỏi and sắc for each other only with strong evidence (_retoned_capitals).
CAPITAL_MISREADS = {
    None: frozenset("\u0300\u0301\u0303\u0309\u0323"),
    "\u0303": frozenset("\u0300\u0309"),
    "\u0301": frozenset(),
    "\u0309": frozenset(),
    "\u0300": frozenset(),
    "\u0323": frozenset(),
}
DICTIONARY_PAIR = 100  # Lexicon.pair_support of two syllables of one dictionary word
WELL_ATTESTED = DICTIONARY_PAIR + 10  # a dictionary word also seen this often in running text
SWAPPED_TONES = frozenset("\u0301\u0309")  # sắc, hỏi
SEEN_OFTEN = 5  # sightings in running text that outweigh a dictionary word never seen there
ORPHAN_MIN_COUNT = 20  # sightings of a syllable in running text that tell whether it stands alone
ORPHAN_SHARE = 0.1  # standing alone less often than this: half of a word, never a word by itself
COMMON_FACTOR = 30  # a hỏi form this many times more common than the unattested word as read wins


@dataclass(frozen=True)
class Confusions:
    roman_glyphs: dict[str, str]
    quarter_pattern: re.Pattern
    characters: dict[str, str]
    bullet_pattern: re.Pattern
    stray_opener_pattern: re.Pattern
    quote_closers: tuple[str, ...]
    inner_full_stop: re.Pattern | None
    inner_comma: re.Pattern | None = None
    quarter_words: tuple[str, ...] = ()


@functools.cache
def confusions() -> Confusions:
    data = load_yaml(RULES_FILE)
    glyphs = {str(k): str(v) for k, v in data["roman_glyphs"].items()}
    numeral_chars = re.escape("".join(sorted(set(glyphs) | set("IVX"))))
    words = "|".join(re.escape(w) for w in data["quarter_words"])
    quarter = re.compile(
        rf"(?<!\w)((?:{words})\.?\s+)([{numeral_chars}]{{1,4}}?)(?:(20\d\d)(?!\d)|(?=\s*(?:/|$|[\s,;.)])))"
    )
    marks = "|".join(re.escape(m) for m in sorted(data["bullet_marks"], key=len, reverse=True))
    bullet = re.compile(rf"^(?:{marks})[ \t]*(?=\S)", re.MULTILINE)
    openers = "".join(re.escape(m) for m in data["stray_openers"])
    stray = re.compile(rf"^[{openers}][ \t]*(?=\w)", re.MULTILINE)
    full_stop = re.compile(r"(?<=[^\W\d_]{2})\.(?= ([^\W\d_]))") if data["drop_inner_full_stops"] else None
    characters = {str(k): str(v) for k, v in data["characters"].items()}
    comma = re.compile(r"(?<=[^\W\d_]),(?=[^\W\d_])") if data["space_after_inner_commas"] else None
    return Confusions(glyphs, quarter, characters, bullet, stray, tuple(data["quote_closers"]), full_stop, comma,
                      tuple(data["quarter_words"]))


def as_roman(token: str) -> str | None:
    """The Roman numeral a confusable token stands for, or None when it is not one (or is a number)."""
    if not token or ARABIC.fullmatch(token) and token not in ("11", "111"):
        return None
    glyphs = confusions().roman_glyphs
    mapped = "".join(glyphs.get(ch, ch) for ch in token)
    if mapped and ROMAN.fullmatch(mapped):
        return mapped
    return None


def repair_marks(text: str) -> str:
    """Misread characters, bullets and specks: enough for one physical line (before lines are joined)."""
    rules = confusions()
    for wrong, right in rules.characters.items():
        text = text.replace(wrong, right)
    text = rules.bullet_pattern.sub("- ", text)
    if not any(closer in text[1:] for closer in rules.quote_closers):
        text = rules.stray_opener_pattern.sub("", text)
    if rules.inner_full_stop is not None:
        text = rules.inner_full_stop.sub(lambda m: "" if m.group(1).islower() else ".", text)
    if rules.inner_comma is not None:
        text = rules.inner_comma.sub(", ", text)
    return text


def repair_text(text: str) -> str:
    """All repairs on a cell's or paragraph's text (line breaks kept)."""
    text = confusions().quarter_pattern.sub(_quarter, _spaced_ranges(_stray_closers(repair_marks(text))))
    return repair_place_names(repair_words(text))


STRAY_CLOSER = re.compile(r"(?<=\w)([\"'’”`])(?=[ \t]*(?:\n|$))")
OPENERS = "\"'‘“`"


def _stray_closers(text: str) -> str:
    """A quote mark stuck to a line's last word with no quote opened before it in the cell: a speck
    at the line's edge ('Phiên họp tháng 9/2025\''). A quote closed on a later line than it opened
    stays ('“Kế hoạch' / 'năm 2025”')."""
    return STRAY_CLOSER.sub(lambda m: m.group(0) if any(ch in text[:m.start()] for ch in OPENERS) else "", text)


RANGE_DASH = re.compile(r"(?<![\w-])([^\W\d_]+)-(?=\d)")


def _spaced_ranges(text: str) -> str:
    """A spaced dash between a Vietnamese word and a number read without its spaces: 'Từ 20 giờ 15
    phút-20 giờ 45 phút' -> 'phút - 20 giờ'. Only after a lower-case Vietnamese syllable (with a mark,
    or seen in running text), so codes ('NQ-CP', 'QĐ-UBND') and names with numbers ('Covid-19',
    'post-2025') keep their dash."""
    lex = lexicon()

    def vietnamese(word: str) -> bool:
        return word.islower() and lex.is_syllable(key(word)) and (not word.isascii() or lex.counts[key(word)] > 0)

    return RANGE_DASH.sub(lambda m: f"{m.group(1)} - " if vietnamese(m.group(1)) else m.group(0), text)


PLACE_WORD = r"(?:[^\W\d_]*[^\W\d_a-zđ][^\W\d_]*|\d{1,2}|-)"  # a capitalized word, a ward number, a dash
PROVINCE = "tỉnh"
PROVINCE_READ = "t[iìíỉĩị]nh"  # 'TÍNH LÂM ĐÔNG': the unit word itself in any tone, before a province's name
PLACE = re.compile(rf"(?<!\w)({'|'.join(PLACE_UNITS)}|{PROVINCE_READ})([ \t]+{PLACE_WORD}(?:[ \t\n]+{PLACE_WORD}){{0,5}})",
                   re.IGNORECASE)


def repair_place_names(text: str) -> str:
    """A commune, district or province name after its unit word ('xã Định Văn Lâm Hà') that the
    gazetteer (lexicon.place_names) does not know, put right where exactly one name of that unit
    differs from it only in tone marks ('xã Đinh Văn Lâm Hà'); a name that differs in a vowel mark
    or in d/đ may be printed so ('huyện Hoàng Hóa' stays). The longest run of capitalized words that
    the gazetteer knows in any marks is taken; a name it knows as printed is never changed, nor one
    it knows in several spellings. 'tỉnh' misread in its tone is put right before a province's name
    ('TÍNH LÂM ĐÔNG' -> 'TỈNH LÂM ĐỒNG')."""
    places = place_names()

    def fix(m: re.Match) -> str:
        unit = key(m.group(1))
        names = places.get(unit if unit in PLACE_UNITS else PROVINCE, {})
        pieces = re.split(r"(\s+)", m.group(2))  # ['', ' ', word, ' ', word, ...]
        words = pieces[2::2]
        for size in range(len(words), 0, -1):
            found = names.get(strip_marks(key(" ".join(words[:size]))))
            if not found:
                continue
            read = key(" ".join(words[:size]))
            if len(found) > 1 or toneless(read) != toneless(key(found[0])):
                return m.group(0)  # ambiguous, or more than tone marks differ
            if read != key(found[0]):  # known as printed: left as it is
                pieces[2:2 * size + 1:2] = [w if key(w) == key(n) else _same_case(n, w) if w.isupper() else n
                                            for w, n in zip(words, found[0].split(" "))]
            return (m.group(1) if unit in PLACE_UNITS else _same_case(PROVINCE, m.group(1))) + "".join(pieces)
        return m.group(0)

    return PLACE.sub(fix, text)


def repair_words(text: str) -> str:
    """Syllables misread in their tone mark, and two syllables read without the space between them,
    put right where the lexicon (lexicon.py) says the change turns a non-word into a word, or an
    unattested syllable pair into an attested one. A syllable that is a known word and forms a known
    pair with a neighbour is never changed, so correctly spelled text passes unchanged. A second pass
    then puts right real words misread as other real words (_by_segmentation)."""
    parts = re.split(r"(\s+)", _unpunctuated(text))  # words at even indexes, the spaces between at odd ones
    for i in range(0, len(parts), 2):
        edges = _split_edges(parts[i])
        if edges is None:
            continue
        left = _neighbour(parts, i - 2, edges, before=True)
        right = _neighbour(parts, i + 2, edges, before=False)
        core = edges[1]
        outer = (_beyond(parts, i, left, -1), _beyond(parts, i, right, 1))
        fixed = _unglued(core, left, right) or _orphaned(core, left, right, outer) or _retoned(core, left, right) \
            or _in_context(core, left, right, _neighbour(parts, i + 2, edges, before=False, names=True)) \
            or _by_margin(core, left, right) \
            or _by_running_text(core, left, right, outer)
        if fixed:
            parts[i] = edges[0] + fixed + edges[2]
    words = [_split_edges(part) for part in parts[::2]]  # then real words misread as other real words,
    for k, edges in enumerate(words):  # among repaired neighbours
        fixed = edges and _by_segmentation(edges[1], words, k)
        if fixed:
            words[k] = (edges[0], fixed, edges[2])
            parts[2 * k] = "".join(words[k])
    return "".join(parts)


RUN_REACH = 3  # syllables on each side of a word that its context repair reads
MISREAD_ODDS = math.log(100)  # how much likelier the context must make a variant than the word as read
WORD_ODDS = math.log(300)  # the same where the variant makes a word with a neighbour
VOWEL_MARK_ODDS = math.log(10)  # more again where a vowel mark changes too ('lăng' -> 'lãng' is a tone)
RARELY_ALONE = 2  # a syllable running text shows alone at most this often is hardly a word of its own
UNSEEN = 0.5  # occurrences in running text granted to a word or syllable it never shows


def _run(words: list[tuple[str, str, str] | None], k: int, step: int) -> tuple[list[str], bool]:
    """Up to RUN_REACH syllables beside word k (words: _split_edges of each word) on one side (step
    -1: left, nearest last), lower case or capitalized ('Báo cáo'), up to punctuation, a number, an
    acronym or a non-word; and whether the run is open at its far end (a syllable beyond it may make
    a word with its last one: the reach was reached, an acronym or a non-word stands there, or the
    text ends: a cell's line may be cut there), not closed by punctuation or a number."""
    found: list[str] = []
    while True:
        near, k = words[k], k + step
        if near is None or (near[0] if step < 0 else near[2]):
            break  # punctuation: closed
        if not 0 <= k < len(words):
            return (found[::-1] if step < 0 else found), True  # the text's edge: a line of a cell may be cut there
        far = words[k]
        if far is None or (far[2] if step < 0 else far[0]):
            break  # punctuation or a number: closed
        syllable = key(far[1])
        if len(found) == RUN_REACH or far[1][1:] != far[1][1:].lower() or not lexicon().is_syllable(syllable):
            return (found[::-1] if step < 0 else found), True
        found.append(syllable)
    return (found[::-1] if step < 0 else found), False


def _by_segmentation(core: str, words: list[tuple[str, str, str] | None], k: int) -> str | None:
    """A real lower-case syllable misread as another real one ('tỉnh giản' for 'tinh giản', 'lăng
    phí' for 'lãng phí', 'đế' for 'để'), told by the words around it, in a second pass over text
    whose non-words are already repaired ('thi tuyến cạnh tranh đế bố nhiệm'). The run of syllables
    around word k (_run: no punctuation between) is split into words the likeliest way (_segmented:
    words of the dictionary or of the product's phrases, or syllables standing alone, each as likely
    as running text shows it). The word as read must stand alone in that split ('hoàng đế', 'đế
    quốc', 'chỉ tiêu kinh tế' stay), and a variant in its marks wins only

    - where it makes a word with neighbours that stand alone as read, running text shows that word
      (or it is a phrase of the product's vocabulary), the word as read or a neighbour it joins seldom
      stands alone ('giản', 'phí', 'lưu'), and the run reads WORD_ODDS likelier ('tinh giản biên
      chế', 'lưu trữ hồ sơ'; 'trong tỉnh thông qua' stays: 'thông qua' outweighs 'tinh thông'); or
    - where it stands alone too: the word as read is seen in running text but hardly ever alone, the
      variant stands alone e**MISREAD_ODDS times as often, running text shows it beside each
      neighbour, and a word follows ('cạnh tranh đế bổ nhiệm'; 'mã định danh' stays).

    A vowel mark changed as well as the tone costs VOWEL_MARK_ODDS more; with two such variants the
    best must lead by MISREAD_ODDS."""
    lex = lexicon()
    syllable = key(core)
    if core != syllable or not lex.is_syllable(syllable):
        return None
    variants = lex.mark_variants(syllable)
    near = [key(w[1]) for w in (words[k - 1] if k else None, words[k + 1] if k + 1 < len(words) else None) if w]
    hardly_alone = lex.alone[syllable] <= RARELY_ALONE and lex.counts[syllable] >= SEEN_OFTEN
    if not hardly_alone and not any(
            (n, v) in lex.word_pairs or (v, n) in lex.word_pairs for v in variants for n in near):
        return None  # no look-alike makes a word with a neighbour, and the word as read stands alone often
    (left, open_left), (right, open_right) = _run(words, k, -1), _run(words, k, 1)
    if not (left or right):
        return None
    at = len(left)
    as_read, read_words = _segmented(lex, [*left, syllable, *right], open_left, open_right)
    if read_words[at] != (at, at + 1):
        return None  # the word as read makes a word with a neighbour ('hoàng đế', 'chỉ tiêu')
    found = []
    for v in variants:
        text = [*left, v, *right]
        score, spans = _segmented(lex, text, open_left, open_right)
        gain = score - as_read - (0 if toneless(v) == toneless(syllable) else VOWEL_MARK_ODDS)
        start, end = spans[at]
        if end - start > 1:  # the variant makes a word, seen in running text, with a neighbour left alone as read
            word, joined = tuple(text[start:end]), [text[j] for j in range(start, end) if j != at]
            if gain >= WORD_ODDS and (lex.word_counts.get(word) or all(p in lex.phrase_pairs for p in zip(word, word[1:]))) \
                    and all(start <= k0 and k1 <= end for k0, k1 in read_words[start:end]) \
                    and any(_rarely_alone(lex, n, SEEN_OFTEN) for n in (syllable, *joined)):
                found.append((gain, v))
        elif gain > 0 and hardly_alone and right and (left or not open_left) \
                and lex.alone[v] >= math.exp(MISREAD_ODDS) * (lex.alone[syllable] + 1) \
                and all(lex.bigrams.get(p, 0) for p in (tuple(left[-1:] + [v]), tuple([v] + right[:1])) if len(p) == 2):
            found.append((gain, v))  # a common free word for a look-alike running text hardly shows alone
    found.sort(reverse=True)
    if not found or len(found) > 1 and found[1][0] > found[0][0] - MISREAD_ODDS:
        return None
    return found[0][1]


def _segmented(lex, syllables: list[str], open_left: bool = False,
               open_right: bool = False) -> tuple[float, list[tuple[int, int]]]:
    """The best split of syllables into words (lexicon words of 2..MAX_WORD syllables, or one
    syllable standing alone), each weighted by its occurrences in running text: its log-likelihood,
    and for each syllable the (start, end) of its word. A syllable at an open end may make a word
    with what lies beyond: there it counts as often as running text shows it at all."""
    total = math.log(max(lex.running_words, 1))
    best: list[tuple[float, int]] = [(0.0, 0)] + [(-math.inf, 0)] * len(syllables)
    for end in range(1, len(syllables) + 1):
        for size in range(1, min(MAX_WORD, end) + 1):
            word = tuple(syllables[end - size:end])
            if size == 1:
                edge = open_left and end == 1 or open_right and end == len(syllables)
                seen = lex.counts[word[0]] if edge else lex.alone[word[0]]
            elif word in lex.words or lex.word_counts.get(word):
                seen = lex.word_counts.get(word, 0)
            else:
                continue
            score = best[end - size][0] + math.log(seen + UNSEEN) - total
            if score > best[end][0]:
                best[end] = (score, size)
    spans = [(0, 0)] * len(syllables)
    end = len(syllables)
    while end:
        start = end - best[end][1]
        spans[start:end] = [(start, end)] * (end - start)
        end = start
    return best[-1][0], spans


def _beyond(parts: list[str], i: int, neighbour: str | None, step: int) -> str | None:
    """The syllable next to word i's neighbour on the far side (step -1: left), where no
    punctuation stands between."""
    j = i + 2 * step
    if neighbour is None or not 0 <= j < len(parts):
        return None
    edges = _split_edges(parts[j])
    return _neighbour(parts, j + 2 * step, edges, before=step < 0) if edges else None


STRAY_MARK = re.compile(r"([^\W\d_]+)(?:([,.:])|[ \t]+([-_])) (?=([^\W\d_]+)(?:[ \t]+([^\W\d_]+))?)")


# A dash stuck to an acronym after a lower-case word of the same line ('của -UBND xã'): a speck; a
# dash opening a line is a bullet, one between names is spaced ('Lao động - Thương binh').
GLUED_DASH = re.compile(r"(?<=[^\W\d_])([ \t])-([^\W\d_]{2,})(?![\w-])")


def _unpunctuated(text: str) -> str:
    """A speck read as a mark inside a word of two syllables: 'công, nghệ', 'thực. hiện', 'sự:
    nghiệp', 'TÀI - CHỈNH' (a dash only between capitals, where a misread mark of the second may
    hide the word), 'mức _ độ'. Only where running text writes the two syllables as one word with a
    syllable that rarely stands alone (Lexicon.bound_pair): 'phòng, ban, ngành' keeps its commas.
    An underscore stuck to a word ('TTHC_', '_UBND') is a speck too, and so is a dash stuck to an
    acronym in mid-line (GLUED_DASH)."""
    lex = lexicon()

    def fix(m: re.Match) -> str:
        first, second = m.group(1), m.group(4)
        a, b = key(first), key(second)
        if m.group(3) == "_":
            return f"{first} "
        if m.group(3) == "-":
            bound = first.isupper() and second.isupper() and any(lex.bound_pair(a, v) for v in (b, *lex.mark_variants(b)))
        else:
            bound = second.islower() and lex.bound_pair(a, b) \
                or second.istitle() and m.group(2) == "," and (a, b) in lex.phrase_pairs \
                and not _names_a_body(second, m.group(5))  # 'hằng, Quý'; not 'Sở Nội vụ, Công an tỉnh'
        after = key(m.group(5) or "")
        if bound and after and not lex.compounds.get((a, b, after)) \
                and any(lex.compounds.get((v, after), 0) for v in (b, *lex.tone_variants(b))):
            return m.group(0)  # the second syllable starts a word of its own: 'cá nhân, tố chức'
        return f"{first} " if bound else m.group(0)

    text = re.sub(r"(?<=[^\W\d_])[ \t]*_(?=[ \t]*(?:\n|$))", "", text)  # 'TTHC_', 'ỦY BAN NHÂN DÂN _' at a line's end
    text = re.sub(r"(?<=[^\W\d_])_(?=\s)", "", text)  # 'TTHC_ công khai'
    text = re.sub(r"(?:^|(?<=\s))_(?=[^\W\d_])", "", text)  # '_UBND'
    text = GLUED_DASH.sub(lambda m: m.group(1) + m.group(2) if text[m.start() - 1].islower() and m.group(2).isupper()
                          else m.group(0), text)  # 'của -UBND'
    return STRAY_MARK.sub(fix, text)


def _names_a_body(word: str, after: str | None) -> bool:
    """A capitalised word after a comma that starts an agency's name ('Công an', 'Sở', 'Ban'): the comma
    separates two names of a list, it is no speck."""
    from plantasks.normalizers.agencies.rules import load_rules

    phrase = f"{word} {after or ''}".strip().lower()
    return any(phrase == h or phrase.startswith(h + " ") for h in load_rules().head_words)


def _neighbour(parts: list[str], j: int, edges: tuple[str, str, str], before: bool, names: bool = False) -> str | None:
    """The lower-case syllable next to a word when no punctuation stands between them (with `names`,
    also a capitalized word that follows)."""
    if not 0 <= j < len(parts) or (edges[0] if before else edges[2]):
        return None
    other = _split_edges(parts[j])
    if other is None or (other[2] if before else other[0]):
        return None
    if not before and not names and other[1][:1].isupper() and not other[1].isupper():
        return None  # a name starts here ('tỉnh Thái Bình'): no pair with it is evidence
    word = key(other[1]).split(" ")
    return word[-1] if before else word[0]


def _retoned(core: str, left: str | None, right: str | None) -> str | None:
    """The syllable a word stands for when only its tone mark was misread, or None to keep it.

    A non-word ('chuấn') becomes the variant in its marks best attested next to its neighbours, a
    tone variant first where they are equal ('chuãn', 'gản với', 'theo đõi' -> 'theo dõi', not the
    dictionary's 'theo đòi' that running text never shows); attested with neither, its only tone
    variant ('đạt chuấn tiếp cận'). A real
    syllable is changed only the way Tesseract misreads the small hook above (hỏi) at scan
    resolutions: read as sắc or ngã ('tố chức', 'kiếm tra', 'đế xác định'); and only when the hỏi
    form is attested with a neighbour (a dictionary word, or a pair seen in running text) while the
    word as read is attested with neither. The left neighbour is already repaired; the right one is
    tried as read and with a hỏi of its own ('chuyến đối số' -> 'chuyển đổi số'). With no pair
    either way between two neighbours, a hỏi form far more common than the word as read wins ('đế'
    for 'để')."""
    lex = lexicon()
    syllable = key(core)
    if not is_letters(core):
        return None
    if lex.is_syllable(syllable):
        hook = _rehooked(syllable, left, right)
        if hook is None and core.isupper() and len(core) > 1:
            return _retoned_capitals(core, syllable, left, right)
        return _same_case(hook, core) if hook else None
    tones = lex.tone_variants(syllable)
    ranked = sorted(((support(lex, left, v, right), v in tones, lex.counts[v], v) for v in lex.mark_variants(syllable)),
                    reverse=True)
    if ranked and ranked[0][0] > 0:
        return None if len(ranked) > 1 and ranked[1][:3] == ranked[0][:3] else _same_case(ranked[0][3], core)
    return _same_case(tones[0], core) if len(tones) == 1 and (left or right) else None  # the only reading


def _in_context(core: str, left: str | None, right: str | None, name: str | None) -> str | None:
    """A real lower-case syllable misread in any of its marks (tone, vowel mark, d for đ: 'định kỳ
    hãng quý', 'cụ thế cho'), put right only when the word as read makes no attested pair with a
    neighbour (nor with any reading of it), both neighbours present are known syllables, a variant
    makes a pair seen in running text (or a phrase of the product's vocabulary) with one of them,
    and that variant is far more common in running text than the word as read, which is no word of
    the product's own phrases. A capitalized word that
    follows (`name`: 'hằng Quý') counts only through a phrase of the product's vocabulary."""
    lex = lexicon()
    syllable = key(core)
    if core != syllable or not (left or right or name) or not lex.is_syllable(syllable) \
            or syllable in lex.phrase_syllables:
        return None  # a word of the product's own phrases ('quý', 'phường') is printed on purpose
    if any(n and not lex.is_syllable(n) for n in (left, right)):
        return None  # next to an acronym or a number-like token: no evidence
    readings = lambda n: (n, *lex.mark_variants(n)) if n else (None,)  # noqa: E731
    own = max([_pair(lex, v, syllable) for v in readings(left)] + [_pair(lex, syllable, v) for v in readings(right)])
    if own >= MIN_PAIR_SUPPORT or name and (syllable, name) in lex.phrase_pairs:
        return None

    def evidence(v: str) -> int:
        """Pairs seen in running text or in the product's phrases; a bare dictionary entry
        ('bàn tính' for 'địa bàn tỉnh') is not enough."""
        pairs = [(left, v), (v, right), (v, name)]
        return max((lex.bigrams.get(p, 0) + (DICTIONARY_PAIR if p in lex.phrase_pairs else 0) for p in pairs
                    if p[0] and p[1] and (p[1] != name or p in lex.phrase_pairs)), default=0)

    ranked = sorted(((evidence(v), support(lex, left, v, right), lex.counts[v], v) for v in lex.mark_variants(syllable)),
                    reverse=True)
    if not ranked or ranked[0][0] < MIN_PAIR_SUPPORT:
        return None
    variant = ranked[0][3]
    return variant if lex.counts[variant] >= COMMON_FACTOR * (lex.counts[syllable] + 1) else None


def _by_margin(core: str, left: str | None, right: str | None) -> str | None:
    """A real lower-case syllable misread in one of its marks whose pair with one neighbour is
    unattested while a variant's pair there is well attested (a dictionary word seen in running text
    or a phrase of the product's vocabulary), and the variant is at least as well attested with the
    other neighbour: 'chuyển đối số' -> 'chuyển đổi
    số' ('đối số' is a word, but so is 'đổi số' in the product's phrases), 'cụ thế cho' -> 'cụ thể
    cho'. Both neighbours must be there and the variant attested with both ('kỳ thi theo' stays;
    with one neighbour, 'tỉnh năm' would become 'tỉnh nam')."""
    lex = lexicon()
    syllable = key(core)
    if core != syllable or not (left and right) or not lex.is_syllable(syllable):
        return None
    own = (_pair(lex, left, syllable, phrases=True), _pair(lex, syllable, right, phrases=True))
    found = []
    for v in lex.mark_variants(syllable):
        new = (_pair(lex, left, v, phrases=True), _pair(lex, v, right, phrases=True))
        for side in (0, 1):
            if own[side] == 0 and new[side] >= WELL_ATTESTED and new[1 - side] >= max(own[1 - side], 1):
                found.append((sum(new), v))
                break
    if len(found) != 1 and not (found and max(found)[0] > sorted(found)[-2][0]):
        return None
    return max(found)[1]


def _by_running_text(core: str, left: str | None, right: str | None,
                     outer: tuple[str | None, str | None] = (None, None)) -> str | None:
    """A real lower-case syllable that running text never shows next to either neighbour (nor a
    phrase of the product's vocabulary), while one variant in its marks forms with a neighbour a
    dictionary word that running text attests: 'theo đòi' -> 'theo dõi', 'có thế giám sát' -> 'có
    thể giám sát', 'lăng phí' -> 'lãng phí', 'chỉ phí tuân thủ' -> 'chi phí'. The variant's word
    must be seen more often than the neighbour's own word with the syllable beyond it (`outer`:
    'dữ liệu đã số hóa' stays, though 'đa số' is a word). Where the word as read is a dictionary
    word with a neighbour, the variant's word must be seen SEEN_OFTEN times on that side ('theo
    đòi', 'kỳ thi theo' stays) and as often as a dictionary entry counts on the other ('cụ thế
    cho', 'thí nghiệm trọng' stays). Where it is none, read as printed the neighbour would stand
    alone, which running text never shows it doing ('phí', not 'với'). Both neighbours must be
    there. One best variant."""
    lex = lexicon()
    syllable = key(core)
    if core != syllable or not (left and right) or not lex.is_syllable(syllable):
        return None  # at a line's edge the word beyond is unknown ('cơ | quan chủ' is not 'quân chủ')
    if any(n and not lex.is_syllable(n) for n in (left, right)):
        return None  # next to an acronym or a number-like token: no evidence
    own = [p for p in ((left, syllable), (syllable, right)) if p[0] and p[1]]
    if any(lex.bigrams.get(p, 0) or p in lex.phrase_pairs for p in own):
        return None
    words_as_read = [p in lex.word_pairs for p in ((left, syllable), (syllable, right))]
    beyond = [lex.pair_support(*p) if all(p) else 0 for p in ((outer[0], left), (right, outer[1]))]
    bound = [all(p) and _rarely_alone(lex, n) and _word(lex, p, o)  # half of a word, its word beyond
             for p, n, o in (((outer[0], left), left, outer[0]), ((right, outer[1]), right, outer[1]))]

    def evidence(variant: str) -> int:
        found = 0
        for side, pair in enumerate(((left, variant), (variant, right))):
            seen = lex.bigrams.get(pair, 0)
            if not all(pair) or pair not in lex.word_pairs or seen <= beyond[side] or bound[side]:
                continue  # no word, or its neighbour belongs to a word beyond ('đã số hóa', 'phỏng vấn để')
            if words_as_read[1 - side] and seen < DICTIONARY_PAIR:
                continue  # the word as read is a word with the other neighbour ('thí nghiệm trọng')
            if words_as_read[side] and seen < SEEN_OFTEN:
                continue  # the word as read is a word on this side too ('kỳ thi theo')
            if not any(words_as_read) and lex.alone[pair[1 - side]] > 0:
                continue  # the neighbour may stand alone as printed: running text shows it so ('số với')
            found = max(found, seen)
        return found

    ranked = sorted(((evidence(v), v) for v in lex.mark_variants(syllable)), reverse=True)
    if not ranked or ranked[0][0] == 0 or len(ranked) > 1 and ranked[1][0] == ranked[0][0]:
        return None
    return ranked[0][1]


def _orphaned(core: str, left: str | None, right: str | None,
              outer: tuple[str | None, str | None]) -> str | None:
    """A real lower-case syllable next to one that running text almost never shows standing alone
    ('vấn', 'phận': half of a word) and that makes no word with its own other neighbour (`outer`),
    while the pair as read is never seen in running text and a tone variant makes with it a word
    that running text writes often: 'các vấn để mà' -> 'các vấn đề mà', 'các bộ phân chuyên môn'
    -> 'bộ phận'. Where the dictionary lists the pair as read, the variant's word must be seen as
    often as a dictionary entry counts. 'tư vấn để' stays: 'vấn' has its word on the left. One best
    variant."""
    lex = lexicon()
    syllable = key(core)
    if core != syllable or not lex.is_syllable(syllable):
        return None
    if left and right and _rarely_alone(lex, syllable) and not _word(lex, (left, syllable), left) \
            and not _word(lex, (syllable, right), right) and not lex.bigrams.get((left, syllable)) \
            and not lex.bigrams.get((syllable, right)):
        # the syllable as read is half of a word with neither neighbour: 'các bộ phân chuyên môn'
        found = sorted((lex.compounds.get(p, 0), v) for v in lex.tone_variants(syllable)
                       for p in ((left, v), (v, right)) if lex.compounds.get(p, 0) >= SEEN_OFTEN)
        if found and (len(found) == 1 or found[-2][0] < found[-1][0]):
            return found[-1][1]
    found = []
    for side, (bound, far) in enumerate(((left, outer[0]), (right, outer[1]))):
        if not (bound and far) or not lex.is_syllable(far) or not _rarely_alone(lex, bound):
            continue
        pair = (lambda v: (bound, v)) if side == 0 else (lambda v: (v, bound))  # noqa: E731
        other = (far, bound) if side == 0 else (bound, far)
        if lex.bigrams.get(pair(syllable), 0) or pair(syllable) in lex.phrase_pairs or _word(lex, other, far):
            continue  # seen as read, or the neighbour has its word on its other side
        needed = DICTIONARY_PAIR if pair(syllable) in lex.word_pairs else SEEN_OFTEN
        found += [(lex.compounds.get(pair(v), 0), v) for v in lex.tone_variants(syllable)
                  if lex.compounds.get(pair(v), 0) >= needed]
    found.sort(reverse=True)
    if not found or len(found) > 1 and found[1][0] == found[0][0]:
        return None
    return found[0][1]


def _word(lex, pair: tuple[str, str], far: str) -> bool:
    """Do two syllables make a word: written as one in running text, or two adjacent syllables of
    the dictionary or of the product's phrases whose other syllable is no free word either ('thẩm
    vấn'; 'các vấn' of the word list and of 'các vấn đề an ninh' is not)."""
    return bool(lex.compounds.get(pair, 0)) \
        or (pair in lex.word_pairs or pair in lex.phrase_pairs) and lex.alone[far] < ORPHAN_SHARE * max(lex.counts[far], 1)


def _rarely_alone(lex, syllable: str, seen: int = ORPHAN_MIN_COUNT) -> bool:
    """A syllable running text shows at least `seen` times and almost never as a word of its own
    ('vấn', 'phận', 'giản', 'phí')."""
    return lex.counts[syllable] >= seen and lex.alone[syllable] < ORPHAN_SHARE * lex.counts[syllable]


def _pair(lex, left: str | None, right: str | None, phrases: bool = False) -> int:
    """pair_support of two syllables (0 without one); with `phrases`, a phrase of the product's
    vocabulary counts as a second dictionary."""
    if not (left and right):
        return 0
    bonus = DICTIONARY_PAIR if phrases and (left, right) in lex.phrase_pairs else 0
    return lex.pair_support(left, right) + bonus


def _rehooked(syllable: str, left: str | None, right: str | None) -> str | None:
    """The hỏi form of a real syllable read with sắc or ngã, when the context asks for it (_retoned)."""
    lex = lexicon()
    hook = hooked(syllable)
    if hook is None or not lex.is_syllable(hook) or support(lex, left, syllable, right):
        return None
    attested = max(support(lex, left, hook, r) for r in (right, hooked(right))) >= MIN_PAIR_SUPPORT
    common = left and right and lex.counts[hook] >= COMMON_FACTOR * (lex.counts[syllable] + 1)
    return hook if attested or common else None


def _retoned_capitals(core: str, syllable: str, left: str | None, right: str | None) -> str | None:
    """A real syllable in upper case (section titles, 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH'), where marks
    squeezed above capitals are misread in more ways (CAPITAL_MISREADS): such a tone variant that
    makes a dictionary word with a neighbour (the right one as read or misread the same ways), when
    the word as read makes none with either; the best attested one when several do; not for the last
    word of a run. Hỏi and sắc read for each other (CHỈNH for CHÍNH) only where the dictionary word
    is also common in running text ('HÀNH CHÍNH', not 'BÀN TÍNH' for 'BÀN TỈNH'); then also over a
    word as read that only the dictionary knows ('CHÍ ĐẠO' -> 'CHỈ ĐẠO', 'CÁCH THẾ CHẾ' ->
    'CÁCH THỂ CHẾ')."""
    lex = lexicon()
    own = support(lex, left, syllable, right)
    if own >= DICTIONARY_PAIR + MIN_PAIR_SUPPORT:
        return None  # a word as read that running text attests stays
    rights = (right, *(v for v in lex.tone_variants(right) if tone_of(v) in CAPITAL_MISREADS[tone_of(right)])) \
        if right else (None,)

    def evidence(variant: str) -> int:
        found = max(support(lex, left, variant, r) for r in rights)
        if tone_of(variant) in CAPITAL_MISREADS[tone_of(syllable)]:
            # not for the last word, which may be cut from what follows ('TỈNH THANH' | 'HÓA')
            return found if right and not own else 0
        swapped = {tone_of(variant), tone_of(syllable)} == SWAPPED_TONES
        return found if swapped and found >= WELL_ATTESTED else 0

    ranked = sorted(((evidence(v), lex.counts[v], v) for v in lex.tone_variants(syllable)), reverse=True)
    if not ranked or ranked[0][0] < DICTIONARY_PAIR or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
        return None
    return ranked[0][2].upper()


def hooked(syllable: str | None) -> str | None:
    """The hỏi form of a syllable read with sắc or ngã, else None."""
    if syllable is None or tone_of(syllable) not in HOOK_MISREAD_AS:
        return None
    return with_tone(syllable, HOOK)


def support(lex, left: str | None, syllable: str, right: str | None) -> int:
    return (lex.pair_support(left, syllable) if left else 0) + (lex.pair_support(syllable, right) if right else 0)


def _unglued(core: str, left: str | None, right: str | None) -> str | None:
    """'khicó' -> 'khi có': a non-word that is two known syllables forming an attested pair, or each
    forming one with its neighbour ('xử lýhồ sơ'), in exactly one way (not an upper-case acronym:
    'PAPI')."""
    lex = lexicon()
    syllable = key(core)
    if len(syllable) != len(core) or len(syllable) < 3 or core.isupper() or lex.is_syllable(syllable):
        return None
    splits = []
    for cut in range(1, len(syllable)):
        first, second = syllable[:cut], syllable[cut:]
        if lex.is_syllable(first) and lex.is_syllable(second):
            support = lex.pair_support(first, second)
            # or each half a dictionary word seen in running text with its neighbour ('xử lýhồ sơ')
            around = min(_pair(lex, left, first), _pair(lex, second, right))
            if support >= MIN_PAIR_SUPPORT or around >= DICTIONARY_PAIR:
                splits.append((support, cut))
    if len(splits) != 1:
        return None
    cut = splits[0][1]
    return core[:cut] + " " + core[cut:]


def _split_edges(token: str) -> tuple[str, str, str] | None:
    """(leading marks, letters, trailing marks) of a word made of letters only, else None."""
    match = EDGE_PUNCTUATION.match(token)
    core = match.group(2)
    if not core or not LETTERS.fullmatch(core):
        return None
    return match.group(1), core, match.group(3)


def _same_case(word: str, model: str) -> str:
    if model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _quarter(match: re.Match) -> str:
    """'Quý 1V' -> 'Quý IV'; a year glued on where the slash was lost: 'Quý 12024' -> 'Quý I/2024';
    a speck between word and numeral dropped: 'Quý. 1V/2023' -> 'Quý IV/2023'."""
    token, year = match.group(2), match.group(3)
    if token == "1" and not year:
        return match.group(0)
    roman = "I" if token == "1" else as_roman(token)
    if roman is None or roman not in ("I", "II", "III", "IV"):
        return match.group(0)
    return match.group(1).replace(".", "") + roman + (f"/{year}" if year else "")


def repair_row_number(text: str) -> str:
    """A first-column cell (TT/STT) read as confusable glyphs of a Roman numeral: 'H' -> 'II'."""
    token, dot = (text[:-1], ".") if text.endswith(".") else (text, "")
    if ARABIC.fullmatch(token) or not token:
        return text
    roman = as_roman(token)
    return roman + dot if roman else text
