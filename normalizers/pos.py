"""The part of speech of the first word of a short text, by underthesea's tagger, remembered.

Loading underthesea and its models takes about a second, more than extracting dozens of plans; the
same few texts (unknown agency mentions) come back from plan to plan, so each answer is kept
(normalizers/answers.py: a batch keeps them in its output folder's catalogue)."""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable
from pathlib import Path

from plantasks.normalizers.answers import Answers

# the word segmenter underthesea's pos_tag loads on first use (underthesea/pipeline/word_tokenize)
SEGMENTER_MODEL = "ws_crf_vlsp2013_20230727"


def _model() -> str:
    """The tagger the answers come from (underthesea's version, which ships its models)."""
    from importlib.metadata import version

    return f"underthesea {version('underthesea')}"


ANSWERS = Answers("pos", _model)


def first_tag(text: str) -> str:
    """The tag of the first word of `text` in context ('N', 'V', …; '' for a text with no word)."""
    tag = ANSWERS.get(text)
    if tag is None:
        tags = _pos_tag()(text)
        tag = ANSWERS.put(text, tags[0][1] if tags else "")
    return tag


@functools.cache
def _pos_tag() -> Callable[[str], list[tuple[str, str]]]:
    from underthesea import pos_tag
    from underthesea.pipeline import word_tokenize

    if word_tokenize.word_tokenize_model is None:
        word_tokenize.word_tokenize_model = _segmenter(Path(word_tokenize.__file__).parent / "models" / SEGMENTER_MODEL)
    return pos_tag


def _segmenter(folder: Path):
    """underthesea's word segmenter loaded as its own `FastCRFSequenceTagger.load` does, but with the
    C unpickler: joblib reads the 72,000-word dictionary with Python's own unpickler, half a second of
    the tagger's start. None (underthesea then loads it itself) when its files are not as expected."""
    from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger
    from underthesea_core import CRFFeaturizer, CRFTagger

    try:
        tagger = FastCRFSequenceTagger()
        estimator = CRFTagger()
        estimator.load(str(folder / tagger.path_model))
        with open(folder / tagger.path_features, "rb") as fh:
            features = pickle.load(fh)  # noqa: S301 - underthesea's own model files, as joblib would read them
        with open(folder / tagger.path_dictionary, "rb") as fh:
            dictionary = pickle.load(fh)  # noqa: S301
        tagger.featurizer, tagger.estimator = CRFFeaturizer(features, dictionary), estimator
    except (OSError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, EOFError, RuntimeError):
        return None
    return tagger
