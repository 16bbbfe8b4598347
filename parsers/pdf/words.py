"""Characters -> words -> physical lines -> column segments, by geometry."""

from __future__ import annotations

import bisect
import statistics
import unicodedata
from dataclasses import dataclass
from typing import TypeVar

from plantasks.parsers.pdf.text_layer import Char


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Line:
    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


Placed = TypeVar("Placed", Char, Word)  # placed on the page by x0, top and bottom


def chars_to_words(chars: list[Char], walls: list[tuple[float, float, float]] = ()) -> list[Word]:
    """Characters -> words, by geometry, not content-stream order.

    Content order is unreliable (a fallback font's glyphs — often the Vietnamese letters — come
    in a separate text run), so characters are grouped into lines by their vertical extent,
    sorted left to right, and split into words at space characters, at gaps wider than a thin
    space and at `walls`, vertical rules (x, top, bottom) between two characters (the text of two
    cells may come within a point of their common rule). PDFium's generated spaces are ignored;
    combining marks stay with their base letter; a glyph drawn twice at almost the same place
    (fake bold) is kept once.
    """
    walls = sorted(walls)
    wall_xs = [w[0] for w in walls]
    words: list[Word] = []
    for line in rows_by_overlap(_clusters(chars), anchored=True):
        current: list[Char] = []
        for char in line:
            if current and _duplicate(current[-1], char):
                continue
            if char.text.isspace() or (current and (_breaks_word(current[-1], char)
                                                    or _walled(current[-1], char, walls, wall_xs))):
                _flush_word(current, words)
                current = []
            if not char.text.isspace():
                current.append(char)
        _flush_word(current, words)
    return words


def _clusters(chars: list[Char]) -> list[Char]:
    """Attach combining marks to the letter before them (in content order); drop generated spaces."""
    out: list[Char] = []
    for char in chars:
        if char.x1 <= char.x0 and char.text == " " and char.top == char.bottom == 0:
            continue  # PDFium's generated word break: positions decide instead
        if out and unicodedata.combining(char.text[0]) and not out[-1].text.isspace():
            base = out[-1]
            out[-1] = Char(base.text + char.text, base.x0, base.top, max(base.x1, char.x1), base.bottom)
        else:
            out.append(char)
    return out


def _duplicate(previous: Char, char: Char) -> bool:
    return char.text == previous.text and abs(char.x0 - previous.x0) < 1.0 and not char.text.isspace()


def _flush_word(chars: list[Char], words: list[Word]) -> None:
    if chars:
        text = unicodedata.normalize("NFC", "".join(c.text for c in chars))
        words.append(Word(text, chars[0].x0, max(c.x1 for c in chars),
                          min(c.top for c in chars), max(c.bottom for c in chars)))


def _walled(previous: Char, char: Char, walls: list[tuple[float, float, float]], xs: list[float]) -> bool:
    """Is there a vertical rule between the two characters' centres, along their height?"""
    middle = (char.top + char.bottom) / 2
    start = bisect.bisect_right(xs, (previous.x0 + previous.x1) / 2)
    end = bisect.bisect_left(xs, (char.x0 + char.x1) / 2)
    return any(walls[i][1] <= middle <= walls[i][2] for i in range(start, end))


def _breaks_word(previous: Char, char: Char) -> bool:
    height = max(previous.bottom - previous.top, 1.0)
    return char.x0 - previous.x1 > 0.15 * height  # font height = 1 em: a gap wider than a thin space


def words_to_lines(words: list[Word], anchored: bool = False) -> list[Line]:
    """Group words into physical lines (by vertical overlap, in order of their baselines), each sorted
    left to right; `anchored` as in rows_by_overlap (words of a text layer: each has its line's extent)."""
    return [Line(row) for row in rows_by_overlap(words, anchored)]


def rows_by_overlap(items: list[Placed], anchored: bool = False) -> list[list[Placed]]:
    """Group characters or words into rows: in order of their bottoms, an item joins the current row
    when they overlap vertically by more than half the lower height; each row sorted left to right.

    The row's extent grows with its items (a slanted line of words stays one row); `anchored`, it
    stays that of the row's first item: characters of one line share their extent, and a number
    centred between two lines of the next cell must not run those lines together.
    """
    rows: list[list[Placed]] = []
    extents: list[tuple[float, float]] = []
    for item in sorted(items, key=lambda i: (i.bottom, i.x0)):
        if rows:
            top, bottom = extents[-1]
            overlap = min(bottom, item.bottom) - max(top, item.top)
            if overlap > 0.5 * min(bottom - top, item.bottom - item.top):
                rows[-1].append(item)
                if not anchored:
                    extents[-1] = (min(top, item.top), max(bottom, item.bottom))
                continue
        rows.append([item])
        extents.append((item.top, item.bottom))
    return [sorted(row, key=lambda i: i.x0) for row in rows]


def split_segments(line: Line) -> list[Line]:
    """Split a physical line where a wide gap separates two columns of text."""
    gap_limit = max(2.5 * statistics.median(w.height for w in line.words), 20.0)
    segments = [Line([line.words[0]])]
    for word in line.words[1:]:
        if word.x0 - segments[-1].x1 > gap_limit:
            segments.append(Line([word]))
        else:
            segments[-1].words.append(word)
    return segments
