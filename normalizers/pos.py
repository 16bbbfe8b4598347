"""The part of speech of the first word of a short text, by underthesea's tagger, remembered.

Loading underthesea and its models takes over a second, more than extracting dozens of plans; the
same few texts (unknown agency mentions) come back from plan to plan. So each answer is kept:
`known` holds the answers of this process, `asked()` hands over those asked for since it was last
called (a document's answers), and `remember()` takes answers found earlier (a batch keeps them in its output folder's
catalogue, so a re-run of a few changed plans needs no tagger when their mentions were seen before).
Answers belong to one tagger: `model()` names it, and answers of another model are never mixed in."""

from __future__ import annotations

import functools
from collections.abc import Iterable

known: dict[str, str] = {}
_asked: dict[str, str] = {}


@functools.cache
def model() -> str:
    """The tagger the answers come from (underthesea's version, which ships its models)."""
    from importlib.metadata import version

    return f"underthesea {version('underthesea')}"


def first_tag(text: str) -> str:
    """The tag of the first word of `text` in context ('N', 'V', …; '' for a text with no word)."""
    tag = known.get(text)
    if tag is None:
        from underthesea import pos_tag

        tags = pos_tag(text)
        tag = tags[0][1] if tags else ""
        known[text] = tag
    _asked[text] = tag
    return tag


def asked() -> dict[str, str]:
    """The answers asked for since the last call."""
    out = dict(_asked)
    _asked.clear()
    return out


def remember(answers: Iterable[tuple[str, str]]) -> None:
    known.update(answers)
