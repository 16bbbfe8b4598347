"""A time cell -> pieces, one per stated deadline (bullet, ';' part, sentence, line).

Cuts are hard (a bullet at a line start, or "- " after a sentence end: ". - ", "; - ") or soft
(";", a sentence end, a line break before a capital or after a sentence end, an inline " - "
before a word). No cut falls inside a time expression ("Quý IV/\\n2024", "2021 - 2025"). After
reading each piece, a piece without any time in it is joined to its neighbour across a soft cut,
so "Ngay sau khi có chỉ đạo của Chính phủ; Thủ tướng Chính phủ" stays one piece while
"Quý I/2024; Quý IV/2024" gives two.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from plantasks.normalizers.deadlines.canonical import Canonical
from plantasks.normalizers.deadlines.model import Entity
from plantasks.normalizers.text import BULLET as _BULLET, BULLET_SYMBOLS as BULLET_CHARS, INLINE_BULLET as _INLINE_BULLET  # noqa: F401

_INLINE_DASH = re.compile(r"(?<=[^\s.;:!?])\s+(?P<b>[-+–—])\s+(?=[^\W\d_])")
_SENTENCE = re.compile(r"\.\s+(?=\S)")
_TRAILING = " .;,:…-–—/"


@dataclass(frozen=True)
class Cut:
    left_end: int
    right_start: int
    hard: bool


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    bullet: str | None
    cut_before: Cut | None
    cut_after: Cut | None
    ends_with_colon: bool


def find_cuts(canon: Canonical, entities: list[Entity]) -> list[Cut]:
    raw = canon.raw
    cuts: list[Cut] = []
    barriers = bullet_barriers(canon)
    for p in sorted(canon.breaks):
        after = raw[p + 1:]
        if _BULLET.match(after):
            # a dash that may join a range across the line break ("Từ tháng 3 / - tháng 9") is soft
            cuts.append(Cut(p, p + 1, p + 1 in barriers or raw[p + 1] not in _DASHES))
        elif raw[p - 1] in ".;:!?)" or after[:1].isupper():
            cuts.append(Cut(p, p + 1, False))
    for m in _INLINE_BULLET.finditer(raw):
        cuts.append(Cut(m.start(), m.start("b"), True))
    for i, ch in enumerate(raw):
        if ch == ";":
            cuts.append(Cut(i, i + 1, False))
    line_starts = {0} | {p + 1 for p in canon.breaks}
    for m in _SENTENCE.finditer(raw):
        if raw[m.end()].isupper() and not _is_numbering(raw, m.start(), line_starts):
            cuts.append(Cut(m.start(), m.end(), False))
    ends = {e.end for e in entities}
    starts = {e.start for e in entities}
    for m in _INLINE_DASH.finditer(raw):
        if not _joins_two_times(m, starts, ends):
            cuts.append(Cut(m.start(), m.start("b"), False))
    inside = _EntityCover(entities)
    cuts = [c for c in cuts if c.hard or not inside.covers(c)]
    return _merge_cuts(cuts)


def _is_numbering(raw: str, dot: int, line_starts: set[int]) -> bool:
    """'1. Quý I/2024' at a line start: a list number, not a sentence end."""
    start = dot
    while start > 0 and raw[start - 1].isdigit():
        start -= 1
    return 0 < dot - start <= 2 and start in line_starts


class _EntityCover:
    """Whether a cut falls inside an entity, in O(log n): entities by start, with the running
    maximum of their ends."""

    def __init__(self, entities: list[Entity]) -> None:
        ordered = sorted(entities, key=lambda e: e.start)
        self.starts = [e.start for e in ordered]
        self.max_end: list[int] = []
        for e in ordered:
            self.max_end.append(max(e.end, self.max_end[-1]) if self.max_end else e.end)

    def covers(self, cut: Cut) -> bool:
        k = bisect.bisect_left(self.starts, cut.left_end) - 1
        return k >= 0 and self.max_end[k] > cut.right_start


def _joins_two_times(m: re.Match[str], starts: set[int], ends: set[int]) -> bool:
    """'Tháng 01/2024 - Tháng 12/2024' is a range, not two pieces."""
    return m.start() in ends and (m.end() in starts or m.end() - 1 in starts)


def _merge_cuts(cuts: list[Cut]) -> list[Cut]:
    merged: list[Cut] = []
    for cut in sorted(cuts, key=lambda c: (c.left_end, c.right_start)):
        if merged and cut.left_end <= merged[-1].right_start + 1:
            last = merged[-1]
            merged[-1] = Cut(min(last.left_end, cut.left_end), max(last.right_start, cut.right_start), last.hard or cut.hard)
        else:
            merged.append(cut)
    return merged


def make_pieces(canon: Canonical, cuts: list[Cut]) -> list[Piece]:
    raw = canon.raw
    bounds = [0] + [x for c in cuts for x in (c.left_end, c.right_start)] + [len(raw)]
    pieces: list[Piece] = []
    for i in range(0, len(bounds), 2):
        start, end = bounds[i], bounds[i + 1]
        before = cuts[i // 2 - 1] if i > 0 else None
        after = cuts[i // 2] if i // 2 < len(cuts) else None
        piece = _trim_piece(raw, start, end, before, after)
        if piece is not None:
            pieces.append(piece)
    return _relink(pieces)


def _trim_piece(raw: str, start: int, end: int, before: Cut | None, after: Cut | None) -> Piece | None:
    while start < end and raw[start] == " ":
        start += 1
    bullet = None
    m = _BULLET.match(raw, start, end)
    if m and (m.group("b") or before is None or before.hard):
        bullet = (m.group("b") or m.group("n"))[:1]
        start = m.end()
    colon = raw[start:end].rstrip(" ").endswith(":")
    while end > start and raw[end - 1] in _TRAILING:
        end -= 1
    if not any(ch.isalnum() for ch in raw[start:end]):
        return None
    return Piece(start, end, bullet, before, after, colon)


def _relink(pieces: list[Piece]) -> list[Piece]:
    """Dropped empty pieces leave their cuts: the cut between two kept pieces is the hardest between."""
    out: list[Piece] = []
    for piece in pieces:
        if out and out[-1].cut_after is not piece.cut_before:
            hard = (piece.cut_before is not None and piece.cut_before.hard) or (out[-1].cut_after is not None and out[-1].cut_after.hard)
            cut = Cut(out[-1].end, piece.start, hard)
            out[-1] = replace(out[-1], cut_after=cut)
            piece = replace(piece, cut_before=cut)
        out.append(piece)
    if out:
        out[0] = replace(out[0], cut_before=None)
        out[-1] = replace(out[-1], cut_after=None)
    return out


def join(left: Piece, right: Piece) -> Piece:
    return Piece(left.start, right.end, left.bullet, left.cut_before, right.cut_after, right.ends_with_colon)


_DASHES = "-–—"


def bullet_barriers(canon: Canonical) -> frozenset[int]:
    """Starts of bulleted lines, told from a range dash by layout: a line that starts with a bullet
    mark other than a dash, or with a dash when the cell's first line or another line also starts
    with one ("- Tháng 3 / - Tháng 9"). A lone dash opening the second line of an unbulleted cell
    ("Từ tháng 3 / - tháng 9/2024") may be a range and is no barrier."""
    raw = canon.raw
    starts = [p + 1 for p in sorted(canon.breaks) if _BULLET.match(raw[p + 1:])]
    dashed = [p for p in starts if raw[p] in _DASHES]
    first_bulleted = bool(_BULLET.match(raw)) and raw[:1] in BULLET_CHARS
    out = {p for p in starts if raw[p] not in _DASHES}
    if first_bulleted or len(dashed) >= 2:
        out.update(dashed)
    return frozenset(out)
