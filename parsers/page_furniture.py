"""Running page furniture: the lines a printer puts at the top or bottom of every page.

A page printed from a browser carries the print date and the page's title at the top and its
address and "n/N" at the bottom; an office document carries a running title or a page number.
Read as text they land inside the document: in its title, or between a table's header on one
page and its rows on the next. One rule for every format with pages (a text PDF's lines, the
pages of a pdftotext file split at form feeds):

- a page's first or last line whose text, digits aside, comes back at the same end of every
  page, or of every page after the first (an office document's different first page), is
  furniture (the first page left aside only when there are three pages or more), and so is the
  line inside it that comes back at that end of every page; from four pages on, one page may
  lack either (text in reading order may put a page's footer elsewhere);
  On two pages only, the line must carry a number (a date, an address, a page or document
  number): a decision and its plan on the next page both open with the same letterhead;
- a page's first or last line that is only the page's number ("2", "- 2 -", "Trang 2", "2/5") is
  furniture on any page.

Only the outermost `_EDGE_LINES` lines of each end are looked at, so body text repeated on
several pages (a table row "Sở Nội vụ") is never taken, nor is a table's header printed again at
the top of each page (a line of header words, parsers/columns): the table readers use it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from plantasks.normalizers.text import fold
from plantasks.parsers.blocks import Provenance, ReaderIssue
from plantasks.parsers.columns import mostly_header_words

_EDGE_LINES = 2
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"^(?:trang|page)?\s*[-–]?\s*\d{1,3}(?:\s*(?:/|of|trên)\s*\d{1,3})?\s*[-–]?$", re.IGNORECASE)  # not a year
_MIN_LETTERS = 3  # a repeated line needs some words: "1." at the top of two pages is a table's row number
_NAMED = 4  # running lines quoted in the note, the most frequent first
_QUOTED = 60  # characters of each


def running_lines(pages: Sequence[Sequence[str | None]]) -> set[tuple[int, int]]:
    """(page index, line index) of the furniture among each page's lines (see the module docstring).

    `pages` holds each page's lines in reading order; blank lines are passed over, and None
    stands for a line that cannot be furniture (a PDF line away from the page's edge).
    """
    ends = [_ends(lines) for lines in pages]
    seen: dict[tuple[str, int, str], set[int]] = defaultdict(set)  # (end, rank from the edge, key) -> pages
    for p, page_ends in enumerate(ends):
        for end, indexes in page_ends.items():
            for rank, i in enumerate(indexes):
                if pages[p][i] is not None:
                    seen[(end, rank, _key(pages[p][i]))].add(p)
    everywhere = {p for p, page_ends in enumerate(ends) if page_ends["top"]}  # an empty page (after a last form feed) aside
    after_first = everywhere - {min(everywhere, default=0)} if len(everywhere) > 2 else everywhere
    out: set[tuple[int, int]] = set()
    for p, page_ends in enumerate(ends):
        for end, indexes in page_ends.items():
            for rank, i in enumerate(indexes):  # from the page's edge inwards, up to the first line that is not furniture
                text = (pages[p][i] or "").strip()
                key = _key(text)
                pages_with = seen[(end, rank, key)]
                missing = everywhere - pages_with
                repeated = (len(everywhere) > 1 and _worded(key) and not mostly_header_words(key, least=2)
                            and (len(everywhere) > 2 or "#" in key)
                            and (not missing or (len(everywhere) > 3 and len(missing) == 1)
                                 or (rank == 0 and pages_with == after_first)))
                if not text or not (repeated or _page_number(pages[p][i], p)):
                    break
                out.add((p, i))
    return out


def _page_number(text: str, index: int) -> bool:
    """Is the line this page's number (page `index`, counted from 0; the count may leave out the
    first page)? A number of another value alone at a page's edge is the text's (a row number)."""
    if "\t" in text or not _PAGE_NUMBER.match(text.strip()):  # a TAB line is a table cell
        return False
    return int(_DIGITS.search(text).group()) in (index, index + 1)


def _ends(lines: Sequence[str | None]) -> dict[str, list[int]]:
    """The indexes of a page's outermost filled lines, each end from the edge inwards."""
    filled = [i for i, text in enumerate(lines) if text is None or text.strip()]
    top = filled[:_EDGE_LINES]
    return {"top": top, "bottom": [i for i in reversed(filled[-_EDGE_LINES:]) if i not in top]}


def _worded(key: str) -> bool:
    """Enough to be a running line: some words, or a date and time ("9/3/31, 10:02 AM")."""
    return sum(c.isalpha() for c in key) >= _MIN_LETTERS or key.count("#") >= 3


def _key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(fold(text).split()))


def furniture_note(dropped: Sequence[tuple[int, str]]) -> ReaderIssue | None:
    """The `page_furniture` note of what was left out, given each line's (page number, text): the
    lines named once each, digits aside, with the pages they were found on, so that a line of
    the document's own taken for furniture can be seen."""
    if not dropped:
        return None
    pages_of: dict[str, list[int]] = defaultdict(list)
    first: dict[str, str] = {}
    for page, text in dropped:
        key = _key(text)
        pages_of[key].append(page)
        first.setdefault(key, " ".join(text.split()))
    ranked = sorted(pages_of, key=lambda k: -len(pages_of[k]))
    named = [f"“{_clip(first[k])}” ({_pages(pages_of[k])})" for k in ranked[:_NAMED]]
    more = f" and {len(ranked) - _NAMED} more" if len(ranked) > _NAMED else ""
    pages = len({page for page, _ in dropped})
    return ReaderIssue("page_furniture", f"{len(dropped)} running header, footer and page-number line(s) on {pages} "
                                         f"page(s) were left out: {'; '.join(named)}{more}",
                       Provenance(page=min(page for page, _ in dropped)))


def _clip(text: str) -> str:
    return text if len(text) <= _QUOTED else text[:_QUOTED - 1] + "…"


def _pages(pages: list[int]) -> str:
    pages = sorted(set(pages))
    return f"page {pages[0]}" if len(pages) == 1 else f"pages {pages[0]}–{pages[-1]}" \
        if pages == list(range(pages[0], pages[-1] + 1)) else "pages " + ", ".join(map(str, pages))
