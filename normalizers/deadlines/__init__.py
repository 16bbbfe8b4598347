"""Deadline normalizer: a plan's time cell ("Thời gian", "Thời hạn") -> DeadlineItems (GOLD_SPEC).

    res = normalize_deadline("- Kế hoạch: Chậm nhất trong Quý I/2024. - Báo cáo: Định kỳ hằng Quý.", ctx)
    res.raw    # the cell, whitespace collapsed (NFC)
    res.items  # [quarter due 2024-03-31 labelled "Kế hoạch", recurring ["quarterly"] labelled "Báo cáo"]
    res.flags  # "deadline_unparsed", "deadline_outside_period", ...

Stages (one module each): canonical (text -> match key), grammar (key -> entities by named
rules), segments (cell -> pieces), reading + resolve (piece -> label, units, items).
Vocabulary: vocab.yaml. Calendar arithmetic: model.py.
The function never raises and never guesses a date: what it cannot read is "unspecified", flagged.
"""

from __future__ import annotations

import bisect
import functools
from collections import deque
from dataclasses import dataclass, field

from plantasks.normalizers.context import PlanContext
from plantasks.normalizers.deadlines.canonical import (
    Canonical,
    canonicalize,
    collapse_lines,
)
from plantasks.normalizers.deadlines.grammar import load_grammar
from plantasks.normalizers.deadlines.model import Entity
from plantasks.normalizers.deadlines.reading import PieceReading, read_piece
from plantasks.normalizers.deadlines.resolve import UNPARSED
from plantasks.normalizers.deadlines.segments import Piece, bullet_barriers, find_cuts, join, make_pieces
from plantasks.normalizers.deadlines.vocab import fold, load_vocab
from plantasks.schemas import DeadlineItem

__all__ = ["DeadlineResult", "normalize_deadline", "OUTSIDE_PERIOD", "UNPARSED"]

OUTSIDE_PERIOD = "deadline_outside_period"
ERROR = "deadline_error"


@dataclass(frozen=True)
class DeadlineResult:
    raw: str
    items: list[DeadlineItem] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def normalize_deadline(cell: str, ctx: PlanContext | None = None) -> DeadlineResult:
    """The deadline items of one time cell. Never raises: an internal error gives an unspecified item."""
    ctx = ctx or PlanContext()
    text = cell if isinstance(cell, str) else ("" if cell is None else str(cell))
    try:
        return _normalize(text, ctx)
    except Exception:  # noqa: BLE001 - the contract is "never raises"; the failure is reported as a flag
        raw = collapse_lines(text)[0]
        items = [DeadlineItem(kind="unspecified", raw=raw, rule="error", confidence=0.0)] if raw else []
        return DeadlineResult(raw=raw, items=items, flags=[ERROR, UNPARSED] if raw else [ERROR])


def _normalize(cell: str, ctx: PlanContext) -> DeadlineResult:
    canon = canonicalize(cell)
    if _is_placeholder(canon):
        return DeadlineResult(raw=canon.raw)
    entities = load_grammar().scan(canon.key, canon.repaired, bullet_barriers(canon))
    cuts = find_cuts(canon, entities)
    entities = _not_across(entities, [c for c in cuts if c.hard])
    pieces = make_pieces(canon, cuts)
    readings = _settle(canon, pieces, entities, ctx)
    items: list[DeadlineItem] = []
    flags: list[str] = []
    for reading in readings:
        items += reading.items
        flags += reading.flags
    flags += _period_flags(items, ctx)
    return DeadlineResult(raw=canon.raw, items=items, flags=list(dict.fromkeys(flags)))


def _not_across(entities: list[Entity], hard: list) -> list[Entity]:  # type: ignore[type-arg]
    """Entities that no hard cut runs through (cuts are sorted and disjoint: bisection)."""
    lefts = [c.left_end for c in hard]
    kept = []
    for e in entities:
        k = bisect.bisect_right(lefts, e.start)
        if k < len(hard) and hard[k].left_end < e.end and hard[k].right_start <= e.end:
            continue
        kept.append(e)
    return kept


def _is_placeholder(canon: Canonical) -> bool:
    if not any(ch.isalnum() for ch in canon.raw):
        return True
    return canon.key.strip(" .") in _placeholders()


@functools.cache
def _placeholders() -> frozenset[str]:
    return frozenset(fold(p) for p in load_vocab().data["empty_cells"])


def _settle(canon: Canonical, pieces: list[Piece], entities: list[Entity], ctx: PlanContext) -> list[PieceReading]:
    """Join pieces without time to their neighbour across soft cuts; then read with shared labels."""
    grammar = load_grammar()
    cache: dict[tuple[int, int, str | None], PieceReading] = {}

    def read(piece: Piece, label: str | None = None) -> PieceReading:
        k = (piece.start, piece.end, label)
        if k not in cache:
            cache[k] = read_piece(canon, piece.start, piece.end, entities, ctx, grammar, label)
        return cache[k]

    # one pass, left to right: a piece without time joins its neighbour across a soft cut and the
    # joined piece is looked at again (linear in the number of pieces)
    out: list[Piece] = []
    queue = deque(pieces)
    while queue:
        piece = queue.popleft()
        soft_before = piece.cut_before is not None and not piece.cut_before.hard
        soft_after = piece.cut_after is not None and not piece.cut_after.hard
        if read(piece).temporal or (piece.ends_with_colon and not soft_after and piece.cut_after is not None):
            out.append(piece)
        elif not piece.ends_with_colon and out and soft_before:
            queue.appendleft(join(out.pop(), piece))
        elif queue and soft_after:
            queue.appendleft(join(piece, queue.popleft()))
        else:
            out.append(piece)
    pieces = out
    return _read_with_labels(canon, pieces, read)


def _read_with_labels(canon: Canonical, pieces: list[Piece], read) -> list[PieceReading]:  # type: ignore[no-untyped-def]
    """A label-only piece ("Báo cáo kết quả:") labels the pieces under it, up to its next sibling."""
    readings: list[PieceReading] = []
    pending: tuple[str, str | None] | None = None
    for i, piece in enumerate(pieces):
        if pending is not None and piece.bullet == pending[1]:
            pending = None
        reading = read(piece)
        has_more = i + 1 < len(pieces)
        if piece.ends_with_colon and not reading.temporal and has_more:
            pending = (canon.raw[piece.start:piece.end].strip(" :.;,"), piece.bullet)
            continue
        if pending is not None and all(item.label is None for item in reading.items):
            reading = read(piece, pending[0])
        readings.append(reading)
    return readings


def _period_flags(items: list[DeadlineItem], ctx: PlanContext) -> list[str]:
    if ctx.period_start is None and ctx.period_end is None:
        return []
    low = ctx.period_start if ctx.period_start is not None else ctx.period_end
    high = ctx.period_end if ctx.period_end is not None else ctx.period_start
    for item in items:
        day = item.due if item.due is not None else item.start  # an open period: where it starts
        if day is not None and not (low <= day.year <= high):  # type: ignore[operator]
            return [OUTSIDE_PERIOD]
    return []
