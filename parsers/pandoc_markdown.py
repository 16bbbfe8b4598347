r"""Pandoc's own Markdown (`pandoc -t markdown`) of a saved web page or a Word file, made plain.

What pandoc writes beyond plain text, and what becomes of it here:
- fenced divs (`::: {.class}` … `:::`) around page regions, raw HTML block lines (`<div>`) and raw
  block fences (```` ```{=html} ````): the marker lines are left blank;
- bracketed spans `[text]{.class style="…"}`, links `[text](url){…}`, images `![alt](url){…}`,
  heading attributes `# Title {#id .class}`, emphasis `*`/`**`, strikeout `~~`, superscript
  `^…^`, raw inline code `` `<br>`{=html} ``, backslash escapes (`1\.`, `\-`, `\"`) and hard
  line breaks (a `\` ending a line): the markup is taken out, the text kept (an image goes whole);
- line blocks (`| line`): the leading bar is taken out.

Tables keep their layout for the table readers: in a simple or multiline table (columns from the
dash runs of its rules) the markup is overwritten with spaces, column by column, so every cell stays
under its column; a grid table's cells are cleaned after their lines are joined (`grid_cell`),
because pandoc breaks a word longer than the column (a span with its attributes has no break
opportunity) into column-wide pieces, which are glued back here.

Markup may run over lines (a span's attributes wrapped onto the next lines): it is found in the
text of a paragraph or of one cell, not line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plantasks.normalizers.text import strip_marks
from plantasks.normalizers.vietnamese import is_vietnamese_syllable
from plantasks.parsers.column_aligned import join_wrapped
from plantasks.parsers.ruled_grid import GridRow, RuledGrid, is_rule, ruled_grid_at

_FENCED_DIV = re.compile(r"^\s*:{3,}(?:\s.*)?$")
_RAW_FENCE = re.compile(r"^\s*(?:`{3,}|~{3,})\s*(?:\{=\w+\})?\s*$")
_RAW_BLOCK_TAG = re.compile(r"^\s*</?(?:div|section|main|article|header|footer|nav|aside|figure|figcaption|center)"
                            r"\b[^<>]*>\s*$", re.IGNORECASE)
_RAW_TABLE = re.compile(r"^\s*<table\b", re.IGNORECASE)
_RAW_SPAN = re.compile(r"</?span\b", re.IGNORECASE)
_ATTRIBUTE_SPAN = re.compile(r"\]\{(?:[.#][^\s{}]|[\w-]+=)")
_HEADING_ATTRIBUTES = re.compile(r"(?<=\S)\s+\{[#.][^{}]*\}\s*$")
_DASH_RUNS = re.compile(r"^\s*-{2,}(?: +-{2,})*\s*$")
_ITEM_START = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)]|[a-zA-Z][.)]|\(\d{1,3}\)|#{1,6}|\|)(?:\s|$)")
_LINE_BLOCK = re.compile(r"^\| (?!.*\|\s*$)")
_SUPERSCRIPT = re.compile(r"\^[^\s^]+\^")
_NOTE_MARK = re.compile(r"\[\^[^\]\s]+\]")
_ATTRIBUTES_OPEN = re.compile(r"\{\s*(?:[.#=][^\s{}]|[\w-]+=|-\s*\})")
_RAW_FORMAT = re.compile(r"\{=\w+\}")
_HARD_BREAK = re.compile(r"\\[ \t]*(?:\n|$)")
_MARK_CHARS = frozenset("*/\\_~^{")  # (a word broken at a mark: '**' + 'TT**', '12/' + '2024', ']' + '{.class}')
_LAST_LETTERS = re.compile(r"[^\W\d_]*$")
_FIRST_LETTERS = re.compile(r"[^\W\d_]*")
_OPENING = frozenset("([“‘")
_CLOSING = frozenset(".,;:!?)]”’")
_ROMAN = re.compile(r"^[IVXLC]+$")
_ESCAPED_ITEM = re.compile(r"^\s*(?:\d{1,3}\\\.|[a-zđ]\\\)|\\[-+*])\s")  # '1\. ', 'a\) ', '\- ' starting a line
# pandoc writes typographic punctuation as ASCII (its "smart" extension), and escapes ASCII meant as such
_SMART = frozenset("-.'\"")
_SMART_RUN = re.compile(r"\.\.\.|(?<!-)-{2,3}(?!-)|['\"]")
_SMART_CHARS = {"...": "…", "--": "–", "---": "—"}
_SPECIAL = re.compile(r"[\\\]\[!`*~\-.'\"^<]")  # what may start markup, in the scanner
_INLINE_TAG = re.compile(r"</?(?:span|font|a|b|i|u|s|em|strong|sup|sub|small|mark|br)\b[^<>]*>", re.IGNORECASE)
_TARGET_MARK = re.compile(r"[\"()\n]")
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_MIN_SIGNS = 3


def is_pandoc_markdown(texts: list[str]) -> bool:
    """Pandoc's Markdown: fenced div lines or attribute spans, which no other writer prints; or (a
    Word file's, which has neither, or a page's from a pandoc without them) grid, simple or multiline
    tables in text with markdown's escapes ('1\\.', '\\-') or raw HTML spans."""
    signs = escapes = spans = 0
    table = False
    for text in texts:
        if _FENCED_DIV.match(text) or _ATTRIBUTE_SPAN.search(text):
            signs += 1
            if signs >= _MIN_SIGNS:
                return True
        elif _ESCAPED_ITEM.match(text):
            escapes += 1
        elif _RAW_SPAN.search(text):
            spans += 1
        elif not table and (text.startswith("+-") and is_rule(text) or len(_runs(text)) >= 2):
            table = True
    return table and max(escapes, spans) >= _MIN_SIGNS


@dataclass
class PlainText:
    lines: list[str]  # as many as the text had (provenance is line numbers)
    tables: dict[int, RuledGrid]  # simple and multiline tables by their first line
    starts: set[int]  # lines that start a paragraph or a list item though no blank line is above them


def plain_lines(texts: list[str]) -> PlainText:
    """The lines with pandoc's markup out of the text and out of simple and multiline tables, those
    tables read (their rows are found before the markup goes: a line of markup alone leaves a blank
    line), and where paragraphs start: pandoc writes a paragraph's lines up to a blank line, a list
    item from its marker, a line after a hard break (a backslash) on its own. Grid tables are left
    for `grid_cell`."""
    out = list(texts)
    tables: dict[int, RuledGrid] = {}
    starts: set[int] = set()
    paragraph: list[int] = []
    i = 0
    while i < len(out):
        text = out[i]
        if _FENCED_DIV.match(text) or _RAW_FENCE.match(text) or _RAW_BLOCK_TAG.match(text):
            _clean_paragraph(out, paragraph, starts)
            paragraph = []
            out[i] = ""
            i += 1
            continue
        grid = ruled_grid_at(out, i)
        table = None if grid else _dashed_table(out, i)
        raw = _RAW_TABLE.match(text)
        if grid or table or raw or not text.strip():
            _clean_paragraph(out, paragraph, starts)
            paragraph = []
            if grid:
                i = grid.end
            elif table:
                groups = _rows(out, table)
                i = _blank_table(out, table)
                found = _cut_rows(out, table, groups)
                if found:
                    tables[table.first] = found
            elif raw:  # a raw HTML table (cells pandoc could not print otherwise): left for the HTML reader
                i = next((k + 1 for k in range(i, len(out)) if "</table" in out[k].lower()), i + 1)
            else:
                i += 1
            continue
        if text.lstrip().startswith("#"):
            out[i] = _HEADING_ATTRIBUTES.sub("", text)
        elif _LINE_BLOCK.match(text):
            out[i] = text[2:]
        paragraph.append(i)
        i += 1
    _clean_paragraph(out, paragraph, starts)
    return PlainText(out, tables, starts)


def _clean_paragraph(out: list[str], lines: list[int], starts: set[int]) -> None:
    """A block of text lines (up to a blank line) with its markup out: the lines markup alone filled
    are dropped and the text moved up, so the block stays one; the lines that start a list item
    (in a block that starts with one) or follow a hard break go into `starts`."""
    if not lines:
        return
    raw = [out[k] for k in lines]
    listing = bool(_ITEM_START.match(raw[0]))
    kept: list[tuple[str, bool]] = []
    pending = False
    for j, text in enumerate(clean("\n".join(raw)).split("\n")):
        pending = pending or j > 0 and bool(listing and _ITEM_START.match(raw[j]) or _HARD_BREAK.search(raw[j - 1])
                                            and not raw[j - 1].rstrip().endswith("\\\\"))
        if text.strip():
            kept.append((text.strip(), pending))
            pending = False
    for slot, k in enumerate(lines):
        out[k] = kept[slot][0] if slot < len(kept) else ""
        if slot < len(kept) and kept[slot][1]:
            starts.add(k)


def grid_cell(slices: list[str]) -> str:
    """A grid table cell's printed lines, as cut between its bars (with their one-space padding), as
    its text: pieces of a word pandoc broke at the column width glued, markup out, wrapped lines
    joined, a blank line and a hard line break (a line ending in a backslash) kept as line breaks."""
    glued: list[str] = []
    for raw in slices:
        line = raw[1:-1] if len(raw) >= 2 else raw.strip()
        if glued and (_open_attribute(glued[-1]) or line.strip() and _goes_on(glued[-1], line, len(line))):
            glued[-1] = glued[-1].rstrip(" ") + line  # (a full piece has no padding to take off)
        else:
            glued.append(line)
    lines = []
    for line in glued:
        lines.append(line.strip())
        if _HARD_BREAK.search(line) and not line.rstrip().endswith("\\\\"):
            lines.append("")
    paragraphs = re.split(r"\n[ \t]*\n", clean("\n".join(lines)))
    runs = ([l.strip() for l in p.split("\n") if l.strip()] for p in paragraphs)
    return "\n".join(join_wrapped(run) for run in runs if run)


def _goes_on(above: str, line: str, width: int) -> bool:
    """`line` goes on with the word `above` ends. Pandoc breaks a word longer than its column (a
    date, a bold mark, a span with its attributes; a space before a list mark does not break) into
    pieces on lines of their own, the first holding what is left over and every other one a full
    column wide. A full-width line goes on with the line above where its first word would have fit
    on that line (so the line was not wrapped there), inside an open attribute, and where the two
    could not be two words: at a mark or slash, between digits, or letters that together make one
    Vietnamese syllable, a Roman number or an acronym ('t' + 'hành', 'I' + 'I/2024', 'HĐ' + 'ND')."""
    word = above.rstrip(" ")
    if not word or line.endswith(" ") or not line.strip() or _HARD_BREAK.search(word):
        return False
    first = line.split(" ")[0]
    if first and len(word) + 1 + len(first) <= width:
        return True
    if " " in word.strip() or not first:
        return False
    a, b = word[-1], first[0]
    if a.isalpha() and b.isalpha():
        head, tail = _LAST_LETTERS.search(word).group(), _FIRST_LETTERS.match(first).group()
        letters = head + tail
        if _ROMAN.match(letters) or is_vietnamese_syllable(letters):
            return True
        return letters.isupper() and not (_has_vowel(head) and _has_vowel(tail))
    if a in _MARK_CHARS or b in _MARK_CHARS or "]{" in line or (a.isdigit() and b.isdigit()):
        return True
    return a in _OPENING or b in _CLOSING  # no line starts with a word's closing punctuation, nor ends with its opening one


def _has_vowel(letters: str) -> bool:
    return any(c in "aeiouy" for c in strip_marks(letters).lower())


def _open_attribute(text: str) -> bool:
    return text.rfind("{") > text.rfind("}")


def clean(text: str) -> str:
    """Text (it may run over lines) with pandoc's inline markup taken out."""
    drops = _markup(text)
    if not drops:
        return text
    out, at = [], 0
    for a, b, *put in drops:
        out.append(text[at:a])
        out.append("".join(put) + "\n" * text.count("\n", a, b))
        at = b
    out.append(text[at:])
    return "".join(out)


# -- simple and multiline tables ------------------------------------------------------------------

@dataclass(frozen=True)
class _Dashed:
    """A pandoc simple or multiline table: its lines, where its columns start, its header lines."""

    first: int
    end: int  # the line after it
    starts: list[int]
    header: tuple[int, int] | None  # first and last header line
    body: int  # its first body line


def _rows(texts: list[str], table: _Dashed) -> list[list[int]]:
    """The lines of each row (the header first): a row of a multiline table is its lines up to a
    blank line (its cells wrapped), of a simple table one line."""
    groups = [list(range(table.header[0], table.header[1] + 1))] if table.header else []
    body = [k for k in range(table.body, table.end) if not _DASH_RUNS.match(texts[k])]
    # a header under a rule of its own, or blank lines between rows: a multiline table
    multiline = bool(table.header and table.header[0] > table.first) or any(not texts[k].strip() for k in body)
    run: list[int] = []
    for k in body + [None]:
        if k is not None and texts[k].strip():
            run.append(k)
            if multiline:
                continue
        if run:
            groups.append(run)
        run = []
    return groups


def _cut_rows(texts: list[str], table: _Dashed, groups: list[list[int]]) -> RuledGrid | None:
    """The table's rows, each cell the text under its column's dash run on the row's lines."""
    bounds = list(zip(table.starts, table.starts[1:] + [None]))
    rows = [GridRow([join_wrapped([" ".join(texts[k][a:b].split()) for k in g if texts[k][a:b].strip()])
                     for a, b in bounds], g[0], g[-1]) for g in groups]  # (markup overwritten left runs of spaces)
    return RuledGrid(rows, len(bounds), table.end) if rows else None


def _dashed_table(texts: list[str], i: int) -> _Dashed | None:
    text = texts[i]
    if not text.strip():
        return None
    if not _DASH_RUNS.match(text):  # the header line of a simple table, over its rule
        runs = _runs(texts[i + 1]) if i + 1 < len(texts) and (i == 0 or not texts[i - 1].strip()) else []
        return _Dashed(i, _simple_end(texts, i + 2), runs, (i, i), i + 2) if len(runs) >= 2 else None
    if i + 1 >= len(texts) or not texts[i + 1].strip():
        return None
    runs = _runs(text)
    if len(runs) == 1:  # a multiline table with a header: one long rule above it, the runs below it
        for j in range(i + 1, min(i + 12, len(texts))):
            if not texts[j].strip():
                return None  # a horizontal rule, then text
            if _DASH_RUNS.match(texts[j]):
                inner = _runs(texts[j])
                return _Dashed(i, _closing(texts, j + 1), inner, (i + 1, j - 1), j + 1) if len(inner) >= 2 else None
        return None
    return _Dashed(i, _closing(texts, i + 1), runs, None, i + 1) if len(runs) >= 2 else None


def _runs(text: str) -> list[int]:
    if not _DASH_RUNS.match(text):
        return []
    return [m.start() for m in re.finditer(r"-+", text)]


def _simple_end(texts: list[str], j: int) -> int:
    """The line after a table without a bottom rule: a blank line or a div's closing fence ends it."""
    while j < len(texts) and texts[j].strip() and not _FENCED_DIV.match(texts[j]):
        j += 1
    return j


def _closing(texts: list[str], j: int) -> int:
    """The line after the table's bottom rule; without one, the table ends at the first blank line."""
    for k in range(j, min(j + 400, len(texts))):
        if _DASH_RUNS.match(texts[k]):
            return k + 1
        if _FENCED_DIV.match(texts[k]) or not texts[k].strip() and k + 1 < len(texts) and not texts[k + 1].strip():
            break  # rows are one blank line apart
    return _simple_end(texts, j)


def _blank_table(out: list[str], table: _Dashed) -> int:
    """Markup overwritten with spaces in each column of each run of lines (a row of a multiline
    table, the rows of a simple one) between the rules."""
    edges = table.starts[1:] + [None]
    run: list[int] = []
    for k in list(range(table.first, table.end)) + [None]:
        if k is not None and out[k].strip() and not _DASH_RUNS.match(out[k]):
            run.append(k)
            continue
        if run:
            _blank_regions(out, [[(j, a, len(out[j]) if b is None else b) for j in run]
                                 for a, b in zip([0] + table.starts[1:], edges)])
        run = []
    return table.end


def _blank_regions(out: list[str], regions: list[list[tuple[int, int, int]]]) -> None:
    """Each region (slices of lines read as one text, joined with line breaks) with its markup
    overwritten by spaces in the lines."""
    for region in regions:
        if not region:
            continue
        parts = [out[k][a:b] for k, a, b in region]
        joined = "\n".join(parts)
        drops = _markup(joined)
        if not drops:
            continue
        chars = [list(p) for p in parts]
        where = [(n, x) for n, p in enumerate(parts) for x in range(len(p) + 1)]  # the "+1" is the line break
        for a, b, *put in drops:
            for pos, ch in zip(range(a, b), "".join(put).ljust(b - a)):  # (a replacement is never longer)
                n, x = where[pos]
                if x < len(chars[n]):
                    chars[n][x] = ch
        for (k, a, b), c in zip(region, chars):
            line = out[k][:a] + "".join(c) + out[k][b:]
            out[k] = line.rstrip() if b >= len(out[k]) else line


# -- the inline markup scanner -------------------------------------------------------------------

_Edit = tuple  # (start, end) of markup to take out, or (start, end, text) for what it stands for


def _markup(s: str) -> list[_Edit]:
    """The markup of `s`, in order."""
    drops: list[_Edit] = []
    _scan(s, 0, drops, closing=False)
    return drops


def _scan(s: str, i: int, drops: list[_Edit], closing: bool) -> int:
    """Scans from i, adding markup spans to drops; with `closing`, stops at the unescaped `]` that
    closes the bracket opened before i and returns its index (-1 when there is none)."""
    n = len(s)
    while i < n:
        m = _SPECIAL.search(s, i)  # (plain text between marks is skipped at once)
        if m is None:
            break
        i = m.start()
        ch = s[i]
        if ch == "\\":
            if i + 1 < n and s[i + 1] in _PUNCT:
                drops.append((i, i + 2, s[i + 1]))  # (in a table the character keeps its place, the space goes after)
                i += 2
            else:
                if _HARD_BREAK.match(s, i):  # a backslash ending a line (in a table, before the column's padding)
                    drops.append((i, i + 1))
                i += 1
            continue
        if ch == "]" and closing:
            return i
        if ch == "[" or (ch == "!" and s.startswith("[", i + 1)):
            i = _bracket(s, i, drops)
            continue
        if ch == "`":
            i = _code(s, i, drops)
            continue
        if ch == "<":
            m = _INLINE_TAG.match(s, i)  # raw inline HTML (pandoc before 2.0, or without bracketed spans)
            if m:
                drops.append((i, m.end()))
                i = m.end()
                continue
        if ch == "*":
            j = i
            while j < n and s[j] == "*":
                j += 1
            drops.append((i, j))
            i = j
            continue
        if ch == "~" and s.startswith("~~", i):
            drops.append((i, i + 2))
            i += 2
            continue
        if ch in _SMART:
            m = _SMART_RUN.match(s, i)
            if m:
                drops.append((i, m.end(), _SMART_CHARS.get(m.group()) or _quote(s, i)))
                i = m.end()
                continue
        if ch == "^":
            m = _SUPERSCRIPT.match(s, i)
            if m:
                drops += [(i, i + 1), (m.end() - 1, m.end())]
                i = m.end()
                continue
        i += 1
    return -1 if closing else i


def _quote(s: str, i: int) -> str:
    """The curly quote pandoc wrote as a straight one (a straight quote of the text is escaped)."""
    before = s[:i].rstrip("*_~[")  # (an emphasis or span opening before the quote)
    opening = not before or before[-1].isspace() or before[-1] in "([{“‘—–"
    if s[i] == '"':
        return "“" if opening else "”"
    return "‘" if opening else "’"


def _bracket(s: str, i: int, drops: list[_Edit]) -> int:
    """A bracket at i (an image's `![` at i): a span, link, image or footnote mark when its closing
    bracket is followed by attributes or a target; else a literal bracket."""
    image = s[i] == "!"
    start = i + 1 if image else i
    if s.startswith("[^", start):
        m = _NOTE_MARK.match(s, start)
        if m:
            drops.append((i, m.end()))
            return m.end()
    inner: list[_Edit] = []
    close = _scan(s, start + 1, inner, closing=True)
    if close < 0:
        return start + 1  # a literal bracket: what follows is scanned on its own
    after = close + 1
    target = _target(s, after) if after < len(s) and s[after] == "(" else None
    end = target if target is not None else after
    attributes = _attributes(s, end) if end < len(s) and s[end] == "{" else None
    if target is None and attributes is None:
        drops += inner
        return close + 1  # literal brackets, their inside scanned
    end = attributes if attributes is not None else end
    if image:
        drops.append((i, end))
    else:
        drops.append((start, start + 1))
        drops += inner
        drops.append((close, end))
    return end


def _target(s: str, i: int) -> int | None:
    """The index after a link's `(url "title")` starting at i."""
    depth, quoted, j = 0, False, i
    while True:
        m = _TARGET_MARK.search(s, j)
        if m is None:
            return None
        j = m.start()
        ch = s[j]
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        elif ch == "\n" and s.startswith("\n\n", j):
            return None
        j += 1


def _attributes(s: str, i: int) -> int | None:
    """The index after an attribute block `{…}` starting at i (quoted values may hold braces)."""
    if not _ATTRIBUTES_OPEN.match(s, i):
        return None
    quoted, j = False, i + 1
    while j < len(s):
        ch = s[j]
        if ch == '"':
            quoted = not quoted
        elif ch == "}" and not quoted:
            return j + 1
        j += 1
    return None


def _code(s: str, i: int, drops: list[_Edit]) -> int:
    """An inline code span: raw inline markup (`` `<br>`{=html} ``) goes whole, other code keeps its text."""
    j = i
    while j < len(s) and s[j] == "`":
        j += 1
    ticks = s[i:j]
    close = s.find(ticks, j)
    if close < 0:
        return j
    end = close + len(ticks)
    raw = _RAW_FORMAT.match(s, end)
    if raw:
        drops.append((i, raw.end()))
        return raw.end()
    drops += [(i, j), (close, end)]
    return end
