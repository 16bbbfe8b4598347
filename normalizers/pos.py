"""The part of speech of the first word of a short text, by underthesea's tagger, remembered.

Loading underthesea and its models takes over a second, more than extracting dozens of plans; the
same few texts (unknown agency mentions) come back from plan to plan, so each answer is kept
(normalizers/answers.py: a batch keeps them in its output folder's catalogue)."""

from __future__ import annotations

from plantasks.normalizers.answers import Answers


def _model() -> str:
    """The tagger the answers come from (underthesea's version, which ships its models)."""
    from importlib.metadata import version

    return f"underthesea {version('underthesea')}"


ANSWERS = Answers("pos", _model)


def first_tag(text: str) -> str:
    """The tag of the first word of `text` in context ('N', 'V', …; '' for a text with no word)."""
    tag = ANSWERS.get(text)
    if tag is None:
        from underthesea import pos_tag

        tags = pos_tag(text)
        tag = ANSWERS.put(text, tags[0][1] if tags else "")
    return tag
