"""Text PDF -> ParsedDocument, with pages lacking a text layer sent to OCR.

PDFium (pypdfium2, pdfplumber's own renderer dependency) parses the page: characters with their
boxes and the ruling lines of path objects, several times faster than pdfminer. The ruled tables
are then found by pdfplumber's table algorithm (edges -> intersections -> cells -> tables, its
"lines" strategy); on pages without any rules, tables are looked for by their columns of white
space (see whitespace_tables). Per page there is one pass of each kind: characters -> words once,
tables found once, and every word assigned to a table cell or to the text outside the tables by
its centre. No per-cell crops.

Blocks, in reading order on each page (by top coordinate; a table's rows stay together):
- TextLine: text outside tables. Physical lines are split where a wide gap separates two
  columns (the two-column header "ỦY BAN NHÂN DÂN ... | CỘNG HÒA ..."), and consecutive
  single-column lines are joined back into paragraphs when the line was full (the next word
  would not have fitted), as a text or DOCX file would have them.
- TableRow: one per grid row of a ruled table, one Cell per grid column (stable column count).
  A cell spanning columns has its text in its leftmost column and empty cells to its right; a
  cell spanning rows repeats its text (and its own bbox) in every row it spans (GOLD_SPEC: a
  merged cell belongs to each row). Inside a cell, wrapped lines are joined with a space and
  paragraph breaks (a short line, or a line starting with a bullet) are kept as '\\n', so '\\n'
  means the same as in a DOCX cell.

Provenance: page (1-based) and bbox (x0, top, x1, bottom) in PDF points from the page's top
left; line_start/line_end are None.

Modules, in the order a page goes through them:
- reader: read_pdf (open, page loop, running headers and footers out (parsers/page_furniture),
  errors as ReaderError/ReaderIssue, OCR hand-off)
- page: one page -> PageWords (words, ruled tables) -> PageLayout (words outside tables, tables)
  -> blocks
- text_layer, frame: PDFium characters in reading space (text direction, rotation)
- rulings: PDFium path objects -> ruling edges, and the area pictures cover
- words: characters -> words -> physical lines -> column segments
- grid: ruled tables (pdfplumber's edges -> cells -> tables) as grids
- whitespace_tables: tables without rules, by their columns of white space
- cells: grids -> TableRows, cell text
- paragraphs: physical lines -> paragraphs, and paragraphs cut by a page break
"""

from plantasks.parsers.pdf.reader import read_pdf

__all__ = ["read_pdf"]
