"""Physical OCR lines -> paragraphs: wrapped lines are joined with a space, real breaks kept.

A line continues the one before when the previous line was full (its width, a space and the next
line's first word would not fit in the text width) and nothing marks a new item: a bullet or an
item number after a line that closed with . ; : (or any bullet in a bulleted list), or a vertical
gap of a blank line. The same rules as the text-layer PDF reader, so OCR and text PDFs agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plantasks.normalizers.text import LEADING_BULLET as BULLET
from plantasks.parsers.ocr.repair import repair_marks, repair_text
from plantasks.parsers.ocr.tesseract import Word

ITEM_START = re.compile(r"^(\d{1,2}|[IVXLC]{1,6}|[a-zđ])[.)]\s")
ITEM_END = ".;:"
PARAGRAPH_GAP = 0.8  # a vertical gap above this share of the line height breaks the paragraph
SPACE = 0.25  # a space is about this share of the line height


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]
    text: str

    @property
    def x0(self) -> int:
        return self.words[0].box[0]

    @property
    def x1(self) -> int:
        return max(w.box[2] for w in self.words)

    @property
    def top(self) -> int:
        return min(w.box[1] for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.box[3] for w in self.words)

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (min(w.box[0] for w in self.words), self.top, self.x1, self.bottom)


def make_line(words: list[Word]) -> Line:
    ordered = tuple(sorted(words, key=lambda w: w.box[0]))
    return Line(ordered, repair_marks(" ".join(w.text for w in ordered)))


def continues(previous: Line, line: Line, width: float, slack: float, listed: bool) -> bool:
    """Is `line` the wrapped continuation of `previous` (which had no room for its first word)?"""
    ends_item = previous.text[-1:] in ITEM_END
    if ITEM_START.match(line.text) and ends_item:
        return False
    if BULLET.match(line.text) and (listed or ends_item):
        return False
    height = previous.bottom - previous.top
    if line.top - previous.bottom > PARAGRAPH_GAP * height:
        return False
    first = line.words[0]
    return (previous.x1 - previous.x0) + SPACE * height + (first.box[2] - first.box[0]) > width - slack


def glue(previous: Line, line: Line) -> str:
    """'' after a word broken with a hyphen at the line end ("NQ-" / "CP"), else ' '."""
    last = previous.words[-1].text
    return "" if last.endswith("-") and len(last) > 1 else " "


def join_lines(lines: list[Line], width: float, slack: float) -> str:
    """Lines of one cell -> its text, paragraph breaks as '\\n', glyph confusions repaired."""
    if not lines:
        return ""
    listed = bool(BULLET.match(lines[0].text))
    text = lines[0].text
    for previous, line in zip(lines, lines[1:]):
        text += (glue(previous, line) if continues(previous, line, width, slack, listed) else "\n") + line.text
    return repair_text(text)


def paragraphs(lines: list[Line], width: float, slack: float) -> list[list[Line]]:
    """Consecutive lines (reading order) grouped into paragraphs."""
    groups: list[list[Line]] = []
    for line in lines:
        if groups and continues(groups[-1][-1], line, width, slack, listed=False):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def paragraph_text(lines: list[Line]) -> str:
    text = lines[0].text
    for previous, line in zip(lines, lines[1:]):
        text += glue(previous, line) + line.text
    return repair_text(text)
