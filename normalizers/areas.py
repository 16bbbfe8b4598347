"""Reform area of a section or appendix title (GOLD_SPEC "Reform areas").

`classify_area("Các nhiệm vụ trọng tâm về cải cách thể chế")` -> "institutions". Cue words live in
data/areas.yaml. Titles are compared without diacritics and with abbreviations expanded, so
"Cải cách TTHC", "cai cach thu tuc hanh chinh" and OCR-damaged "Cái cách thủ tục hành chính" agree.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from plantasks.data_files import load_yaml
from plantasks.normalizers.vietnamese import match_key, strip_diacritics

DATA = Path(__file__).parent / "data" / "areas.yaml"
AREAS = (
    "direction", "institutions", "procedures", "organization",
    "civil_service", "public_finance", "digital_government", "other",
)
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class AreaMatch:
    area: str
    cue: str | None  # the (normalised) cue that decided, None when nothing matched
    position: int | None  # where in the normalised title it starts


@dataclass(frozen=True)
class AreaCues:
    abbreviations: dict[str, str]  # normalised abbreviation -> normalised expansion
    patterns: tuple[tuple[re.Pattern, str, str], ...]  # (regex, cue, area)
    plan_cues: tuple[re.Pattern, ...] = ()  # a title with one of these is an administrative-reform plan


def fold(text: str) -> str:
    """Lower case, no diacritics, words separated by single spaces."""
    return _NON_WORD.sub(" ", strip_diacritics(match_key(text))).strip()


@functools.cache
def load_cues() -> AreaCues:
    raw = load_yaml(DATA)
    abbreviations = {fold(k): fold(v) for k, v in raw["abbreviations"].items()}
    patterns = []
    for area, cues in raw["areas"].items():
        if area not in AREAS:
            raise ValueError(f"areas.yaml: unknown area {area!r}; use one of {AREAS}")
        for cue in cues:
            key = fold(cue)
            patterns.append((re.compile(rf"(?<!\w){re.escape(key)}(?!\w)"), key, area))
    plan_cues = tuple(re.compile(rf"(?<!\w){re.escape(fold(c))}(?!\w)") for c in raw["cchc_plan"])
    return AreaCues(abbreviations, tuple(patterns), plan_cues)


def normalise_title(title: str) -> str:
    """Folded title with abbreviations (CCHC, TTHC, CBCCVC …) written out."""
    cues = load_cues()
    words = [cues.abbreviations.get(w, w) for w in fold(title).split()]
    return " ".join(words)


def classify_area_detail(title: str) -> AreaMatch:
    """The area and the cue that decided it: earliest cue in the title, longer cue on a tie."""
    text = normalise_title(title)
    best: tuple[int, int, str, str] | None = None
    for pattern, cue, area in load_cues().patterns:
        m = pattern.search(text)
        if m and (best is None or (m.start(), -len(cue)) < (best[0], -best[1])):
            best = (m.start(), len(cue), cue, area)
    if best is None:
        return AreaMatch("other", None, None)
    return AreaMatch(best[3], best[2], best[0])


def classify_area(title: str) -> str:
    """One of AREAS for a section/appendix title; "other" when no cue matches."""
    return classify_area_detail(title).area


def is_cchc_plan(title: str) -> bool:
    """The plan's title (or stated purpose) is administrative reform (cải cách hành chính, CCHC)."""
    text = normalise_title(title)
    return any(p.search(text) for p in load_cues().plan_cues)


def area_in_plan(section: str, title: str | None) -> str:
    """The area of a row: decided for the document first (GOLD_SPEC: rows of a plan that is not a
    CCHC plan are all "other", whatever the section is called), then by the section's title; a
    section that names no area takes the area the plan's own title names ("Kế hoạch tuyên truyền
    cải cách hành chính" -> direction). Without a title only the section decides."""
    if title is None:
        return classify_area(section) if section else "other"
    if not is_cchc_plan(title):
        return "other"
    by_section = classify_area(section) if section else "other"
    return by_section if by_section != "other" else classify_area(title)
