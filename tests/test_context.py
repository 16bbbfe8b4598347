"""The plan context a normalizer reads cells in."""

from typing import get_args

import pytest

from plantasks.normalizers.context import LEVELS, PlanContext
from plantasks.schemas.output import Level


def test_context_levels_are_the_schema_levels():
    assert set(LEVELS) == set(get_args(Level))


def test_unknown_level_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="provincial.*national, ministry, province"):
        PlanContext(level="provincial")
