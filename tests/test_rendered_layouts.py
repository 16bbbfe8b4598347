"""The sample plans re-rendered in every text layout the text reader supports must score like the originals.

Each DOCX sample is read into blocks, written back out as cell-per-line, TSV, pipe and column-aligned
text (`pdftotext -layout` style, cells wrapped inside their columns; with a page break, page number and
repeated header every few rows), as ruled tables (box-drawing characters with cells centred vertically,
as `w3m -dump` prints them; ASCII grid tables, as pandoc prints them), as markdown holding raw HTML
tables (pandoc gfm) and as portal markdown (hard-wrapped cells
between lone `|` lines, bold headers), and extracted again: the text reader may not depend on the one
layout a sample happens to use.
"""

import html
import textwrap
from pathlib import Path

import pytest

from plantasks.parsers.blocks import TextLine
from plantasks.parsers.columns import header_map
from plantasks.parsers.read import read_document
from plantasks.cli import main
from plantasks.review.evaluate import score_run
from samples import SAMPLES

FIXTURES = Path(__file__).parent / "fixtures"
PAGE_ROWS = 4
WRAP = 60  # column at which the portal-markdown rendering hard-wraps text


def render(blocks, layout: str, split_rows: bool = False) -> str:
    if layout == "portal_markdown":
        return render_portal_markdown(blocks)
    out: list[str] = []
    header = None
    since_header = 0
    for block in blocks:
        if isinstance(block, TextLine):
            if layout in RULES and header is not None:
                out.append(ruled_line(RULES[layout][2]))
            if layout == "html_markdown":  # markdown paragraphs, a heading in bold
                out += ["</table>", ""] if header is not None else []
                out += [f"**{block.text}**" if block.text.isupper() else block.text, ""]
            else:
                out.append(block.text)
            header = None
            continue
        cells = [c.text for c in block.cells]
        if header_map(cells):
            if layout == "html_markdown":
                out += ["</table>", "", "<table>"] if header is not None else ["<table>"]
            header, since_header = cells, 0
            out += row_lines(cells, layout, place="top")
            continue
        since_header += 1
        if layout in RULES and since_header == 1:  # the rule under the header
            out += row_lines(cells, layout, place="under_header")
            continue
        page_break = header is not None and since_header % PAGE_ROWS == 0 and layout != "html_markdown"
        first, rest = split_row(cells) if page_break and split_rows else (cells, None)
        out += row_lines(first, layout)
        if page_break:
            out += ["", f"Trang {since_header // PAGE_ROWS + 1}", "\f"]
            out += row_lines(header, layout)
            if rest:
                out += row_lines(rest, layout)
    if layout == "html_markdown" and header is not None:
        out.append("</table>")
    return "\n".join(out) + "\n"


def split_row(cells: list[str]) -> tuple[list[str], list[str] | None]:
    """A row printed over a page break: the content cut before a lower-case word, list cells at a line."""
    words = cells[1].split(" ")
    cut = next((i for i in range(len(words) // 2, len(words)) if words[i][:1].islower()), None)
    if cut is None:
        return cells, None
    first, rest = [cells[0], " ".join(words[:cut])], ["", " ".join(words[cut:])]
    for cell in cells[2:]:
        lines = cell.split("\n")
        half = (len(lines) + 1) // 2
        first.append("\n".join(lines[:half]))
        rest.append("\n".join(lines[half:]))
    return first, rest


def render_portal_markdown(blocks) -> str:
    """As a web extractor prints a portal page: text hard-wrapped, each table cell on its own lines
    between lone `|` lines, a row ended by an empty cell, header cells and headings in bold."""
    out: list[str] = []
    in_table = False
    above: list[str] = []
    for block in blocks:
        if isinstance(block, TextLine):
            text = f"**{block.text}**" if block.text.isupper() else block.text
            out += textwrap.wrap(text, WRAP) or [""]
            in_table, above = False, []
            continue
        cells = [c.text for c in block.cells]
        if above and not cells[0] and all(c == a for c, a in zip(cells, above) if c):
            continue  # every cell merged with the row above: the portal prints the row once
        above = cells
        bold = header_map(cells) is not None
        if not in_table:
            out.append("|")
            in_table = True
        for cell in cells:
            for line in cell.split("\n"):
                wrapped = textwrap.wrap(line, WRAP) or [""]
                out += [f"**{w}**" for w in wrapped] if bold and line else wrapped
            out.append("|")
        out.append("|")  # the empty cell that ends the row
    return "\n".join(l for l in out if l != "") + "\n"


ALIGNED_WIDTHS = (4, 44)  # number and task columns; the others are ALIGNED_OTHER wide
ALIGNED_OTHER = 20
ALIGNED_GAP = "   "


def aligned_lines(cells: list[str]) -> list[str]:
    """As `pdftotext -layout` prints a table row: each cell wrapped inside its column, the columns
    at fixed offsets separated by spaces, a list cell's items each on a new line."""
    wrapped = []
    for i, cell in enumerate(cells):
        width = ALIGNED_WIDTHS[i] if i < len(ALIGNED_WIDTHS) else ALIGNED_OTHER
        lines = [w for part in cell.split("\n") for w in textwrap.wrap(part, width, break_long_words=False)]
        wrapped.append((width, lines))
    height = max((len(lines) for _, lines in wrapped), default=0)
    return [ALIGNED_GAP.join((lines[k] if k < len(lines) else "").ljust(width) for width, lines in wrapped).rstrip()
            for k in range(height)]


CENTRED_WIDTHS = (3, 34)  # number and task columns; the others are CENTRED_OTHER wide
CENTRED_OTHER = 13


def centred_lines(cells: list[str]) -> list[str]:
    """As `pdftotext -layout` prints a table exported from a word processor with cells centred
    vertically: each cell wrapped in its column and centred at the row's height (the row number
    and short cells sit mid-row), each line centred in its column, a blank line after the row."""
    wrapped = []
    for i, cell in enumerate(cells):
        width = CENTRED_WIDTHS[i] if i < len(CENTRED_WIDTHS) else CENTRED_OTHER
        wrapped.append((width, [w for part in cell.split("\n") for w in textwrap.wrap(part, width, break_long_words=False)]))
    height = max((len(lines) for _, lines in wrapped), default=0)
    out = []
    for k in range(height):
        parts = []
        for width, lines in wrapped:
            k0 = k - (height - len(lines)) // 2
            parts.append(lines[k0].center(width) if 0 <= k0 < len(lines) else " " * width)
        out.append("  ".join(parts).rstrip())
    return out + [""]


RULED_WIDTHS = (4, 40)  # number and task columns; the others are RULED_OTHER wide
RULED_OTHER = 16
# (rule above a row, rule above the first row after the header, closing rule, bar) per spelling
RULES = {"box": ("├─┼─┤", "├─┼─┤", "└─┴─┘", "│"), "grid": ("+-+-+", "+=+=+", "+-+-+", "|")}


def ruled_line(rule: str, n: int = 6) -> str:
    left, fill, mid, _, right = rule
    widths = [RULED_WIDTHS[i] if i < len(RULED_WIDTHS) else RULED_OTHER for i in range(n)]
    return left + mid.join(fill * (w + 2) for w in widths) + right


def ruled_lines(cells: list[str], layout: str, place: str) -> list[str]:
    """A row of a ruled table: the rule above it, each cell wrapped in its column between bars; a box
    table centres every cell vertically in the row (padding blank lines above and below), as w3m does."""
    above, under_header, _, bar = RULES[layout]
    rule = ruled_line(above, len(cells))
    if place == "top":  # the table's first row (its header): the top rule
        rule = rule.replace("├", "┌").replace("┼", "┬").replace("┤", "┐")
    elif place == "under_header":
        rule = ruled_line(under_header, len(cells))
    wrapped = []
    for i, cell in enumerate(cells):
        width = RULED_WIDTHS[i] if i < len(RULED_WIDTHS) else RULED_OTHER
        wrapped.append((width, [w for part in cell.split("\n") for w in textwrap.wrap(part, width, break_long_words=False)]))
    height = max((len(lines) for _, lines in wrapped), default=0)
    out = [rule]
    for k in range(height):
        parts = []
        for width, lines in wrapped:
            k0 = k - (height - len(lines)) // 2 if layout == "box" else k
            parts.append(f" {(lines[k0] if 0 <= k0 < len(lines) else '').ljust(width)} ")
        out.append(bar + bar.join(parts) + bar)
    return out


def html_row(cells: list[str]) -> list[str]:
    """A table row as pandoc -t gfm writes a Word table it cannot draw as a pipe table: raw HTML, a
    cell's paragraphs as <p>, its text wrapped."""
    out = ["<tr>"]
    for cell in cells:
        text = html.escape(cell, quote=False)
        paragraphs = text.split("\n")
        body = "\n".join(f"<p>{p}</p>" for p in paragraphs) if len(paragraphs) > 1 else text
        out += textwrap.wrap(f"<td>{body}</td>", 72, break_long_words=False, replace_whitespace=False)
    return out + ["</tr>"]


def row_lines(cells: list[str], layout: str, place: str = "body") -> list[str]:
    """place: the row is the table's first (top), the first under the header, or any other (body)."""
    if layout == "html_markdown":
        return html_row(cells)
    if layout in RULES:
        return ruled_lines(cells, layout, place)
    if layout == "aligned":
        return aligned_lines(cells)
    if layout == "centred":
        return centred_lines(cells)
    if layout == "cells":
        return [f"\t{c}" for c in cells] + [""]
    if layout == "tsv":
        return ["\t".join(c.replace("\n", " ") for c in cells)]
    return ["| " + " | ".join(c.replace("\n", "<br>").replace("|", "/") for c in cells) + " |"]


LAYOUTS = [(layout, split) for layout in ("cells", "tsv", "pipe", "aligned", "centred") for split in (False, True)]
LAYOUTS.append(("portal_markdown", False))  # a web page has no page breaks to split rows over
LAYOUTS += [("box", False), ("grid", False), ("html_markdown", False)]


@pytest.mark.parametrize("layout, split_rows", LAYOUTS,
                         ids=[f"{l}-{'rows_split_over_pages' if s else 'whole_rows'}" for l, s in LAYOUTS])
def test_samples_rendered_in_each_layout(layout, split_rows, tmp_path):
    inputs = []
    for docx in sorted(SAMPLES.glob("0*.docx")):
        blocks = read_document(docx.read_bytes(), docx.name).blocks
        target = tmp_path / "in" / f"{docx.stem}.txt"
        target.parent.mkdir(exist_ok=True)
        target.write_text(render(blocks, layout, split_rows), encoding="utf-8")
        inputs.append(target)
    out = tmp_path / "out"
    assert main(["extract", *map(str, inputs), "--out", str(out), "--quiet"]) == 0
    total = score_run(FIXTURES / "gold", out)["total"]
    floors = {"row_f1": 0.99, "content": 0.97, "stt": 0.98, "section": 0.98, "outputs_f1": 0.95,
              "lead_f1": 0.98, "support_f1": 0.96, "deadline_f1": 0.98}
    assert {k: round(total[k], 3) for k in floors if total[k] < floors[k]} == {}
