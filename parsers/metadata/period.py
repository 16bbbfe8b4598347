"""The years a plan covers, from its title."""

from __future__ import annotations

import re

from plantasks.normalizers.vietnamese import match_key

_RANGE = re.compile(r"((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})")
_STAGE_RANGE = re.compile(r"giai đoạn\s*((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})")
_UNTIL = re.compile(r"đến năm\s*((?:19|20)\d{2})")
_YEAR_OF = re.compile(r"năm\s*((?:19|20)\d{2})")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_REFERENCES = re.compile(
    r"số\s*:?\s*\d[\w.]*(?:/[\w.]+)*(?:[-–][\wđĐ]+)*"  # document numbers: số 76/NQ-CP, số 12/2025/QĐ-UBND
    r"|ngày\s*\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}"  # ngày 15/7/2021
    r"|ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s*\d{4}"  # ngày 15 tháng 7 năm 2021
)


def period_from_text(text: str, issue_year: int | None) -> tuple[int, int] | None:
    """(first year, last year) a title covers: '… năm 2024', 'giai đoạn 2021-2025', '… đến năm 2030'.

    Dates and numbers of documents the title refers to are ignored; a trailing 'năm YYYY' names
    the plan's own year even when an earlier 'giai đoạn' names the programme it implements.
    """
    key = _REFERENCES.sub(" ", match_key(text)).strip(" .;:")
    trailing = re.search(r"(?<!đến )năm\s*((?:19|20)\d{2})$", key)
    if trailing:
        return int(trailing.group(1)), int(trailing.group(1))
    for rx in (_STAGE_RANGE, _RANGE):
        m = rx.search(key)
        if m and 0 <= int(m.group(2)) - int(m.group(1)) <= 20:
            return int(m.group(1)), int(m.group(2))
    m = _UNTIL.search(key)
    if m and issue_year is not None and issue_year <= int(m.group(1)):
        return issue_year, int(m.group(1))
    years = _YEAR_OF.findall(key) or _YEAR.findall(key)
    if years:
        return int(years[-1]), int(years[-1])
    return None


def first_task_year(deadline_cells: list[str]) -> int | None:
    """The first year the tasks run: the earliest year their time cells name (dates and numbers
    of other documents a cell refers to do not count)."""
    years = [int(y) for cell in deadline_cells for y in _YEAR.findall(_REFERENCES.sub(" ", match_key(cell)))]
    return min(years) if years else None
