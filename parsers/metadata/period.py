"""The years a plan covers: from its title, else from the horizon it states for itself."""

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


# A line of the body that opens with the plan's horizon: "Đến năm 2030, 100% hồ sơ …", "2. Mục tiêu
# đến năm 2030: …", "- Giai đoạn 2026-2030: …" (a statement of its own goal, not a reference).
_HORIZON_LINE = re.compile(
    r"^(?:(?:[ivxlc]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]\s*|[-+•*]\s*)*"
    r"(?:mục tiêu(?: chung| cụ thể| tổng quát)?\s*:?\s*)?(?:phấn đấu\s*)?"
    r"(?:đến năm\s*((?:19|20)\d{2})|giai đoạn\s*((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2}))")
_CAPTION_LINES = 3  # an appendix heading and the caption lines under it


def horizon_end(keys: tuple[str, ...], body_start: int, appendix_start: int | None, first_year: int) -> int | None:
    """The last year of the horizon a plan states for itself, in its objectives ("Đến năm 2035, …")
    or its appendix title ("PHỤ LỤC … giai đoạn 2026-2030"); None when it states none that reaches
    `first_year` (the first year its tasks run)."""
    captions = range(appendix_start, appendix_start + _CAPTION_LINES) if appendix_start is not None else range(0)
    for i in range(body_start, len(keys)):
        key = keys[i]
        if i in captions:
            own = _REFERENCES.sub(" ", key)
            found = _STAGE_RANGE.search(own) or _UNTIL.search(own)
            end = found and int(found.groups()[-1])
        else:
            found = _HORIZON_LINE.match(key)
            end = found and int(found.group(1) or found.group(3))
        if end and first_year <= end <= first_year + 20:
            return end
    return None
