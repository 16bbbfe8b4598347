"""Readings checked against the glyphs on the page, where Tesseract's reading is known to slip.

Roman quarter numerals ("Quý II/2024" is not left as "Quý I/2024"). In a serif face at scan
resolutions the strokes of I, II and III stand so close that their serifs touch, and Tesseract reads
one stroke more or less ("II" -> "I", "1", "11"; "III" -> "II", "IIL"; "IV" -> "I1V"), which moves a
deadline by a quarter. A second Tesseract run does not help (it misreads the same strokes). The
glyphs themselves are unambiguous: an I is a vertical stem as tall as the numerals, and stems stand
side by side, joined only by serifs at the top and bottom, until the first stroke that crosses the
middle of the line (the slash, a V, a digit). So the word after a quarter word ("Quý") whose reading
is made of numeral-like glyphs gets as many I's as the image has stems, a V kept where Tesseract
read one ("IV" reads reliably: its strokes differ). The reading is kept where it already says so (an
Arabic "1" stays "1"), and wherever the strokes cannot be told apart (too small, merged into one blob).

Marks that are not there ("chống, lãng phí", "Lao. động", "ISO. 9001"). At the end of a line,
diacritics of the line below and the descender of a g make Tesseract add a comma or full stop that
the page does not print, and it is a little unsure of the word (confidence below SURE_MARK). A
printed comma or full stop is the word's last ink and sits low, on or below the baseline; a
semicolon or colon read as one ends in a small dot standing apart. Where the word's last columns of
ink reach up into the letters instead (the g's bowl, the o's side), the doubtful mark is dropped. A
word read confidently keeps its mark whatever its ink looks like.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from plantasks.parsers.ocr.repair import confusions
from plantasks.parsers.ocr.tesseract import Word

# the numeral as read (Roman glyphs and their look-alikes, an L where a stem ran into the slash),
# then what follows it: a year with or without its slash, closing punctuation
NUMERAL_CHARS = "IVXLHlvíìÌÍ1|!"
NUMERAL_WORD = re.compile(rf"([{NUMERAL_CHARS}]{{1,4}}?)((?:[/⁄∕]?20\d\d)?[,.;:)]*)")
STEM_SHARE = 0.8  # a column whose longest ink run is this share of the numeral height is a stem
MIDDLE = (0.3, 0.7)  # the middle band of the line, as shares of the numeral height
MAX_STEM_WIDTH = 0.3  # a wider run of stem columns is strokes merged into a blob: not counted
MIN_HEIGHT_PX = 8  # smaller numerals are not measured
MAX_GAP = 1.2  # the numeral follows the quarter word within this many word heights
MAX_WRAP = 12  # wrapped to the next line, it starts at most this many word heights further left

SURE_MARK = 97.0  # a word read at least this confidently keeps its closing mark
MARK_ZONE = 0.55  # a closing comma or full stop lies in this lowest share of the word's box (descenders in)
MARK_COLUMNS = 0.1  # the word's last columns of ink looked at, as a share of its height
DOT = 0.3  # the dot of a semicolon or colon is smaller than this share of the word's height


def checked_against_glyphs(gray: np.ndarray, words: list[Word], ink_threshold: int) -> list[Word]:
    """`words` with quarter numerals recounted and doubtful closing marks that no ink shows dropped."""
    words = [without_phantom_mark(gray, w, ink_threshold) for w in words]
    return recount_quarter_numerals(gray, words, ink_threshold)


def without_phantom_mark(gray: np.ndarray, word: Word, ink_threshold: int) -> Word:
    """The word without its closing comma or full stop when Tesseract doubts it and no ink shows one."""
    text = word.text
    if word.confidence >= SURE_MARK or len(text) < 3 or text[-1] not in ",." or not text[-2].isalpha():
        return word
    if mark_at_end(gray, word.box, ink_threshold) is not False:
        return word
    return replace(word, text=text[:-1])


def mark_at_end(gray: np.ndarray, box: tuple[int, int, int, int], ink_threshold: int) -> bool | None:
    """Does the word in `box` end in a mark: ink that lies low, as a comma or full stop does, or whose
    upper part is a dot standing apart, as the top of a semicolon or colon is (None: no ink)?"""
    x0, y0, x1, y1 = box
    reach = max(1, round(0.15 * (y1 - y0)))  # a faint mark may stand just outside the box
    ink = gray[max(y0, 0):y1 + 1, max(x0, 0):x1 + reach] <= ink_threshold
    columns = np.flatnonzero(ink.any(axis=0))
    if len(columns) == 0:
        return None
    height = ink.shape[0]
    last = columns[-1]
    first = max(last - max(2, round(MARK_COLUMNS * height)) + 1, 0)
    top = int(np.flatnonzero(ink[:, first:last + 1].any(axis=1))[0])
    if top >= (1 - MARK_ZONE) * height:
        return True
    ys, xs = connected(ink, [(top, first + int(c)) for c in np.flatnonzero(ink[top, first:last + 1])])
    return bool(np.ptp(xs) < DOT * height and np.ptp(ys) < DOT * height)


def connected(ink: np.ndarray, seeds: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of the ink pixels 8-connected to `seeds` (a word's crop: small)."""
    seen, stack = set(seeds), list(seeds)
    height, width = ink.shape
    while stack:
        y, x = stack.pop()
        for ny in (y - 1, y, y + 1):
            for nx in (x - 1, x, x + 1):
                if 0 <= ny < height and 0 <= nx < width and ink[ny, nx] and (ny, nx) not in seen:
                    seen.add((ny, nx))
                    stack.append((ny, nx))
    ys, xs = zip(*seen)
    return np.array(ys), np.array(xs)


def recount_quarter_numerals(gray: np.ndarray, words: list[Word], ink_threshold: int) -> list[Word]:
    """`words` with the Roman numeral after each quarter word read from its stems (module doc)."""
    quarter_words = {w.lower() for w in confusions().quarter_words}
    fixed = list(words)
    for i, (word, following) in enumerate(zip(words, words[1:])):
        if word.text.lower() in quarter_words and follows(word, following):
            text = numeral_text(following.text, stems_and_stop(gray, following.box, ink_threshold))
            fixed[i + 1] = replace(following, text=text)
    return fixed


def follows(word: Word, following: Word) -> bool:
    """Is `following` the word read after `word`: next on its line, or (`word` ending its line in
    Tesseract's order: the last column) first on the line below, further left but within a cell's
    width ('Quý' / 'IV/2024'; not the row number at the far left of the table)."""
    height = word.box[3] - word.box[1]
    if following.line == word.line:
        return 0 <= following.box[0] - word.box[2] <= MAX_GAP * height
    return (0 < word.box[0] - following.box[0] <= MAX_WRAP * height
            and 0 <= following.box[1] - word.box[3] <= height)


def numeral_text(read: str, stems: int | None) -> str:
    """The word as it should read given the count of stems that open it (None: unknown)."""
    match = NUMERAL_WORD.fullmatch(read)
    if match is None or not stems:
        return read
    numeral, rest = match.groups()
    with_v = "V" in numeral.upper()
    meant = "IV" if with_v and stems == 1 else "I" * stems if not with_v and stems <= 3 else None
    glyphs = confusions().roman_glyphs
    if meant is None or "".join(glyphs.get(ch, ch) for ch in numeral).upper() == meant:
        return read  # already says so ('1/2024' and 'I/2024' alike)
    if rest[:1].isdigit():
        rest = "/" + rest  # the slash ran into a stem ('IIL2024')
    return meant + rest


def stems_and_stop(gray: np.ndarray, box: tuple[int, int, int, int], ink_threshold: int) -> int | None:
    """How many vertical stems open the word in `box`, before the first stroke through the middle of
    the line; None when the glyphs are too small or a stem is too wide to be one stroke."""
    x0, y0, x1, y1 = box
    ink = gray[max(y0, 0):y1, max(x0, 0):x1] <= ink_threshold
    if ink.size == 0:
        return None
    runs = np.array([longest_run(column) for column in ink.T])
    height = int(runs.max())
    if height < MIN_HEIGHT_PX:
        return None
    tallest = int(np.argmax(runs))
    top = _run_top(ink[:, tallest], height)
    middle = ink[top + int(MIDDLE[0] * height):top + int(np.ceil(MIDDLE[1] * height))]
    stem = runs >= STEM_SHARE * height
    near_stem = stem.copy()  # a slanted stem leans into the columns either side
    near_stem[1:] |= stem[:-1]
    near_stem[:-1] |= stem[1:]
    stems, width = 0, 0
    for col in range(len(runs)):
        if stem[col]:
            stems += width == 0
            width += 1
            if width > max(2, MAX_STEM_WIDTH * height):
                return None
            continue
        width = 0
        if middle[:, col].any() and not near_stem[col]:
            break  # the slash, a V, a digit: the numeral's stems are behind
    return stems


def longest_run(column: np.ndarray) -> int:
    best = current = 0
    for value in column:
        current = current + 1 if value else 0
        best = max(best, current)
    return best


def _run_top(column: np.ndarray, length: int) -> int:
    """First row of the run of `length` ink pixels in `column`."""
    current = 0
    for row, value in enumerate(column):
        current = current + 1 if value else 0
        if current == length:
            return row - length + 1
    return 0
