"""Invented plan pages drawn with Pillow, then put through the conditions of real scanning: a red
round seal over the text, a handwritten signature, JPEG artefacts, 150-300 dpi, skew, pages turned by
90 or 180 degrees, greyscale or colour, a page of scanner noise, and pages photographed by a phone
(uneven light, tinted paper, the sheet a trapezoid on a dark desk). Each page is a one-page PDF with
the image as its only object, as scanners write them.

A page is an A4 landscape task table: header row, a Roman-numbered section row spanning the table, and
task rows (TT | Nội dung | Chủ trì | Thời gian) with text of the kind plans print. EXPECTED holds what
the reader must give for it.
"""

from __future__ import annotations

import io
import json
import math
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
)
FONT = next((p for p in FONT_CANDIDATES if Path(p).exists()), None)

HEADER = ("TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian")
SECTION = ("I", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH")
TASKS = (
    ("1", "Rà soát, đơn giản hóa thủ tục hành chính nội bộ", "Sở Tư pháp", "Quý II/2025"),
    ("2", "Kiểm tra việc tiếp nhận hồ sơ trực tuyến", "Văn phòng UBND tỉnh", "Thường xuyên"),
    ("3", "Tổ chức đối thoại với người dân, doanh nghiệp", "Sở Nội vụ", "Tháng 10/2025"),
)
EXPECTED = [list(HEADER), [SECTION[0], SECTION[1], "", ""], *[list(t) for t in TASKS]]
COLUMNS_IN = (0.0, 0.6, 6.0, 8.2, 10.0)  # column lines, inches from the table's left edge
ROW_IN = 0.55


def draw_table_page(dpi: int, rows: list[list[str]] | None = None, stray_line_in: float | None = None,
                    furniture: bool = True, rules: str = "full", section_lines: bool = False,
                    missing_line: int | None = None, faint_column: int | None = None,
                    middle_column: int | None = None, columns_in: tuple[float, ...] = COLUMNS_IN,
                    intro: str | None = None, centred_header: bool = False) -> Image.Image:
    """The clean page, RGB, A4 landscape at `dpi`: `rows` (default EXPECTED; a row whose cells right of
    TT are all empty but the second is drawn as a section row, its title running on over the columns
    to its right), and optionally a stray vertical line through the table `stray_line_in` inches from
    its left edge. `furniture`: the appendix title above and the signer's title below (a middle page of
    a long table has neither). `rules`: "full" (a ruled grid), "horizontal" (row rules only, no column
    lines) or "none". `section_lines`: the column lines also cross the section rows (a grid printed
    over a title that runs on, as spreadsheets print it). `missing_line`: the column line with this
    index is not printed (a faint line the scanner lost). `faint_column`: that column's text printed
    pale grey (faded toner). `middle_column`: that column's text centred in the row's height (as
    Word aligns a number cell beside a taller one). `columns_in`: the column lines (inches from the
    table's left edge). `intro`: a line of text printed above the table. `centred_header`: the
    header's texts centred in their columns."""
    rows = EXPECTED if rows is None else rows
    width, height = round(11.69 * dpi), round(8.27 * dpi)
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, round(0.16 * dpi))
    left, top = round(0.8 * dpi), round(1.3 * dpi)
    xs = [left + round(c * dpi) for c in columns_in]
    ys = [top + round(i * ROW_IN * dpi) for i in range(len(rows) + 1)]
    if furniture:
        draw.text((left, round(0.6 * dpi)), "PHỤ LỤC", font=font, fill="black")
    if intro:
        draw.text((left, round(0.9 * dpi)), intro, font=font, fill="black")
    line = max(1, round(dpi / 100))
    if rules in ("full", "horizontal"):
        for r, y in enumerate(ys):
            draw.line([(xs[0], y), (xs[-1], y)], fill="black", width=line)
    for c, x in enumerate(xs):
        for r, row in enumerate(rows):
            if rules != "full" or c == missing_line:
                continue
            if 1 < c < len(xs) - 1 and not any(row[2:]) and not section_lines:
                continue  # a section title spans the columns right of TT
            draw.line([(x, ys[r]), (x, ys[r + 1])], fill="black", width=line)
    if stray_line_in is not None:
        x = left + round(stray_line_in * dpi)
        draw.line([(x, ys[0]), (x, ys[-1])], fill="black", width=line)
    pad = round(0.08 * dpi)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                pale = c == faint_column and r > 0
                y = ys[r] + pad
                if c == middle_column:
                    tallest = max(draw.multiline_textbbox((0, 0), t or " ", font=font)[3] for t in row)
                    y += (tallest - draw.multiline_textbbox((0, 0), text, font=font)[3]) // 2
                x = xs[c] + pad
                if r == 0 and centred_header:
                    x = (xs[c] + xs[c + 1] - draw.multiline_textbbox((0, 0), text, font=font)[2]) // 2
                draw.text((x, y), text, font=font, fill=(175, 175, 175) if pale else "black")
    if furniture:
        draw.text((xs[2], ys[-1] + round(0.5 * dpi)), "KT. CHỦ TỊCH", font=font, fill="black")
    return page


def add_stamp(page: Image.Image, dpi: int, centre_in: tuple[float, float] = (8.4, 4.3)) -> Image.Image:
    """A red round seal with its ring of letters, by default over the last task rows and the signature line."""
    seal = Image.new("RGBA", page.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    cx, cy, radius = round(centre_in[0] * dpi), round(centre_in[1] * dpi), round(0.75 * dpi)
    red = (220, 30, 40, 150)
    for k in (0, round(0.12 * dpi)):
        draw.ellipse([cx - radius + k, cy - radius + k, cx + radius - k, cy + radius - k], outline=red,
                     width=max(2, round(dpi / 60)))
    font = ImageFont.truetype(FONT, round(0.1 * dpi))
    for i, ch in enumerate("ỦY BAN NHÂN DÂN TỈNH * "):
        angle = 2 * math.pi * i / 23
        x, y = cx + 0.8 * radius * math.cos(angle), cy + 0.8 * radius * math.sin(angle)
        draw.text((x, y), ch, font=font, fill=red, anchor="mm")
    draw.regular_polygon((cx, cy, round(0.2 * dpi)), 5, fill=red)
    return Image.alpha_composite(page.convert("RGBA"), seal).convert("RGB")


def add_signature(page: Image.Image, dpi: int) -> Image.Image:
    """Pen strokes under the signer's title, crossing into the bottom task row."""
    page = page.copy()
    draw = ImageDraw.Draw(page)
    rng = random.Random(7)
    x, y = 8.3 * dpi, 4.5 * dpi
    points = []
    for i in range(40):
        points.append((x + i * 0.04 * dpi, y + math.sin(i / 2.5) * 0.25 * dpi + rng.uniform(-4, 4)))
    draw.line(points, fill=(20, 30, 120), width=max(2, round(dpi / 70)), joint="curve")
    draw.line([(x - 0.2 * dpi, y + 0.3 * dpi), (x + 1.9 * dpi, y - 0.15 * dpi)], fill=(20, 30, 120),
              width=max(2, round(dpi / 80)))
    return page


def add_noise(page: Image.Image, amount: float, seed: int = 3) -> Image.Image:
    rng = random.Random(seed)
    gray = page.convert("L")
    pixels = gray.load()
    for _ in range(int(gray.width * gray.height * amount)):
        x, y = rng.randrange(gray.width), rng.randrange(gray.height)
        pixels[x, y] = rng.choice((0, 90, 160))
    return gray.filter(ImageFilter.MedianFilter(1)).convert("RGB")


def noise_page(dpi: int) -> Image.Image:
    """A near-blank last page: scanner grain, a dark edge, a smudge; no text."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("RGB", (width, height), (246, 244, 240))
    page = add_noise(page, 0.004)
    draw = ImageDraw.Draw(page)
    draw.rectangle([0, 0, round(0.15 * dpi), height], fill=(60, 60, 60))
    rng = random.Random(11)
    for _ in range(25):
        x, y = rng.randrange(width), rng.randrange(height)
        draw.ellipse([x, y, x + rng.randrange(3, 12), y + rng.randrange(3, 12)], fill=(80, 80, 80))
    return page


def photographed(page: Image.Image, dpi: int, keystone_deg: float = 0.0, desk_in: float = 0.0) -> Image.Image:
    """The page as a phone camera takes it: light falling off across the sheet and into its corners,
    grey-yellow paper, the sheet a trapezoid (its top `keystone_deg` narrower each side: the camera
    tilted) lying on a dark desk showing `desk_in` inches around it, slightly out of focus."""
    width, height = page.size
    desk = round(desk_in * dpi)
    if keystone_deg or desk:
        inset = math.tan(math.radians(keystone_deg)) * height
        sheet = [(desk + inset, desk), (desk + width - inset, desk), (desk + width, desk + height),
                 (desk, desk + height)]
        canvas = (width + 2 * desk, height + 2 * desk)
        corners = [(0, 0), (width, 0), (width, height), (0, height)]
        page = page.transform(canvas, Image.Transform.PERSPECTIVE, perspective(sheet, corners),
                              Image.Resampling.BICUBIC, fillcolor=(70, 62, 55))
    light = Image.radial_gradient("L").resize(page.size)  # 0 in the middle, 255 at the corners
    across = Image.linear_gradient("L").rotate(90, expand=True).resize(page.size)  # darker to the right
    shade = ImageChops.add(ImageChops.multiply(light, Image.new("L", page.size, 90)),
                           ImageChops.multiply(across, Image.new("L", page.size, 80)))
    falloff = ImageChops.invert(shade)  # 255 - shade: full light top left, about half at the far corner
    tint = Image.merge("RGB", [falloff.point(lambda v, k=k: v * k) for k in (0.95, 0.92, 0.82)])
    return ImageChops.multiply(page, tint).filter(ImageFilter.GaussianBlur(0.8))


def perspective(target: list[tuple[float, float]], source: list[tuple[float, float]]) -> list[float]:
    """Pillow's PERSPECTIVE data taking each output point `target[i]` to input point `source[i]`."""
    rows, values = [], []
    for (x, y), (u, v) in zip(target, source):
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
        values += [u, v]
    return _solve(rows, values)


def _solve(rows: list[list[float]], values: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (a test helper independent of the reader's numpy code)."""
    n = len(values)
    a = [row[:] + [v] for row, v in zip(rows, values)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col:
                f = a[r][col] / a[col][col]
                a[r] = [x - f * y for x, y in zip(a[r], a[col])]
    return [a[i][n] / a[i][i] for i in range(n)]


def to_pdf(image: Image.Image, dpi: int, jpeg_quality: int = 75) -> bytes:
    """One page, the image as a JPEG covering it: what a scanner writes."""
    out = io.BytesIO()
    image.save(out, "PDF", resolution=float(dpi), quality=jpeg_quality)
    return out.getvalue()


def condition_pdf(name: str) -> bytes:
    """The page of one named condition as a one-page PDF."""
    dpi = {"150dpi": 150, "300dpi": 300}.get(name, 200)
    page = draw_table_page(dpi)
    quality = 75
    if name == "stamp":
        page = add_stamp(page, dpi)
    elif name == "signature":
        page = add_signature(page, dpi)
    elif name == "jpeg":
        quality = 12
    elif name == "skew":
        page = page.rotate(1.8, resample=Image.Resampling.BICUBIC, fillcolor="white")
    elif name == "rotated90":
        page = page.rotate(90, expand=True)
    elif name == "rotated180":
        page = page.rotate(180)
    elif name == "greyscale":
        page = add_noise(page, 0.002).convert("L")
    elif name == "noise":
        page = noise_page(dpi)
    elif name == "photo_light":
        page, quality = photographed(page, dpi), 60
    elif name == "photo_keystone":
        page, quality = photographed(page, dpi, keystone_deg=2.5), 60
    elif name == "photo_desk":
        page, quality = photographed(page, dpi, keystone_deg=5.0, desk_in=0.6), 60
    return to_pdf(page, dpi, quality)


def continued_table_pdf(dpi: int = 200) -> bytes:
    """Two pages: the table's header, section and first task; then the other tasks without a
    repeated header, where a stray line splits the task-text column (that page's grid has five
    columns)."""
    first = draw_table_page(dpi, EXPECTED[:3], furniture=False)
    second = draw_table_page(dpi, EXPECTED[3:], stray_line_in=4.2, furniture=False)
    return pages_pdf([first, second], dpi)


CONDITIONS = ("150dpi", "300dpi", "stamp", "signature", "jpeg", "skew", "rotated90", "rotated180", "greyscale",
              "photo_light", "photo_keystone", "photo_desk")


# ---------------------------------------------------------------- cells centred at their own heights

# A table as Word prints most plans: every cell's lines wrapped to its column and centred vertically in
# the row (agencies and times also horizontally), so the lines of one row sit at different heights
# from column to column, and the agency and time columns are narrow enough to wrap after a few words.
CENTRED_COLUMNS_IN = (0.0, 0.45, 3.3, 4.55, 5.95, 7.2)  # TT | Nội dung | Chủ trì | Phối hợp | Thời gian
CENTRED_ALIGN = ("centre", "left", "centre", "centre", "centre")
CENTRED_HEADER = ("TT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian")
CENTRED_SECTION = ("I", "CÔNG TÁC TUYÊN TRUYỀN, ĐỐI THOẠI")
CENTRED_TASKS = (
    ("1", "Tổ chức đối thoại trực tuyến giữa lãnh đạo tỉnh với người dân, doanh nghiệp về thủ tục hành chính",
     "Sở Nội vụ", "Văn phòng UBND tỉnh, Sở Tư pháp", "Từ 20 giờ 15 phút đến 20 giờ 45 phút ngày 12 tháng 3"),
    ("2", "Rà soát, công bố danh mục thủ tục hành chính tiếp nhận trực tuyến toàn trình",
     "Trung tâm Phục vụ hành chính công tỉnh", "Các sở, ban, ngành", "Tháng 6/2026"),
    ("3", "Kiểm tra việc thực hiện quy chế một cửa tại các xã, phường",
     "Thanh tra tỉnh", "Công an tỉnh, Sở Nội vụ", "Trước ngày 30 tháng 9 năm 2026"),
)
CENTRED_EXPECTED = [list(CENTRED_HEADER), [*CENTRED_SECTION, "", "", ""], *[list(t) for t in CENTRED_TASKS]]


def wrapped(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """`text` broken into lines as a word processor does: each line takes words while they fit."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def draw_centred_table_page(dpi: int = 200, rows: list[list[str]] | None = None, ruled: bool = True,
                            top_in: float = 1.2, above: str = "PHỤ LỤC", below: str = "KT. CHỦ TỊCH") -> Image.Image:
    """A4 portrait page with a title (`above`), the table of `rows` (default CENTRED_EXPECTED; a row
    whose cells right of the second are empty is a section row spanning them) starting `top_in`
    inches down, and the signer's title (`below`). Not `ruled`: no lines at all, the cells set apart
    by their padding only (a web page printed)."""
    rows = CENTRED_EXPECTED if rows is None else rows
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, round(0.15 * dpi))
    pad, leading = round(0.07 * dpi), round(0.22 * dpi)
    left, top = round(0.55 * dpi), round(top_in * dpi)
    xs = [left + round(c * dpi) for c in CENTRED_COLUMNS_IN]
    if above:
        draw.text((left, round(0.6 * dpi)), above, font=font, fill="black")
    cells = []
    for row in rows:
        section = not any(row[2:])
        spans = [(0, 1), (1, len(xs) - 1)] if section else [(c, c + 1) for c in range(len(row))]
        cells.append([(c0, c1, wrapped(row[c0], font, xs[c1] - xs[c0] - 2 * pad)) for c0, c1 in spans])
    heights = [max(len(lines) for _, _, lines in row) * leading + 2 * pad for row in cells]
    ys = [top]
    for h in heights:
        ys.append(ys[-1] + h)
    line = max(1, round(dpi / 100)) if ruled else 0
    for y in ys:
        if ruled:
            draw.line([(xs[0], y), (xs[-1], y)], fill="black", width=line)
    for r, row in enumerate(cells):
        for c0, c1, lines in row:
            if ruled:
                draw.line([(xs[c0], ys[r]), (xs[c0], ys[r + 1])], fill="black", width=line)
            first = ys[r] + (ys[r + 1] - ys[r] - len(lines) * leading) / 2  # centred vertically
            for i, text in enumerate(lines):
                x = xs[c0] + pad
                if CENTRED_ALIGN[c0] == "centre" and not (c1 - c0 > 1):
                    x = (xs[c0] + xs[c1] - font.getlength(text)) / 2
                draw.text((x, first + i * leading), text, font=font, fill="black")
        if ruled:
            draw.line([(xs[-1], ys[r]), (xs[-1], ys[r + 1])], fill="black", width=line)
    if below:
        draw.text((xs[0] if not ruled else xs[3], ys[-1] + round(0.5 * dpi)), below, font=font, fill="black")
    return page


# Table layouts a scan may show, each on invented pages: name -> (pages, dpi). Rows as EXPECTED unless
# the layout needs others; tests/test_scan_layout.py holds what each must give.
WRAPPED_HEADER = ["TT", "Nội dung nhiệm vụ", "Cơ quan\nchủ trì", "Thời gian\nhoàn thành"]
WRAPPED_TASK = ["2", "Kiểm tra việc tiếp nhận hồ sơ trực tuyến tại\nTrung tâm Phục vụ hành chính công tỉnh",
                "Văn phòng UBND tỉnh", "Thường xuyên"]
TASK_4 = ("4", "Công khai kết quả giải quyết hồ sơ trên cổng dịch vụ công", "Sở Tư pháp", "Quý IV/2025")
NEXT_TASKS = (("4", "Công khai kết quả giải quyết hồ sơ", "Sở Tư pháp", "Quý IV/2025"),
              ("5", "Tập huấn công chức một cửa", "Sở Nội vụ", "Quý III/2026"))
LONG_SECTIONS = (
    ("I", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH VÀ HIỆN ĐẠI HÓA NỀN HÀNH CHÍNH TRÊN ĐỊA BÀN TỈNH"),
    ("II", "CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC VÀ CHẾ ĐỘ CÔNG VỤ CỦA TỈNH"),
)


def layout_pdf(name: str, dpi: int = 200) -> bytes:
    """The pages of one table layout as a PDF:
    - section_under_grid: section titles wider than the task-text column, the column lines printed
      through them;
    - pale_content: the task-text column printed pale grey;
    - seal_over_empty_cells: the time column left empty, a red seal over it (read again, it says
      nothing a cell holds);
    - row_rules_only / no_rules: no column lines (rules between rows only, or none), a two-line
      header and a wrapped task text; row_rules_centred_numbers: the same ruled between rows, the TT
      column's text centred in each row's height (so "TT" and "2" stand beside a second line);
    - continued_missing_line: page 2 repeats the header, goes on with the rest of task 2 (empty TT),
      lacks the line between task text and agency, and was copied at 94 % and shifted on the scanner;
    - continued_stray_line: page 2 repeats the header and a stray line splits the task-text column;
    - no_rules_continued: a table without any rules over two pages, page 2 without a header: its page
      number, the rest of task 2 (empty TT), tasks 3 and 4, then the signer's title;
    - new_table_after_text: page 2 holds a line of text, then a new table with the same header and
      other column widths (never laid out in the columns of the table on page 1);
    - web_table_across_pages: web_table_pdf (cells centred at heights of their own, no lines, the
      header alone at the foot of page 1)."""
    sections = [[number, title, "", ""] for number, title in LONG_SECTIONS]
    section = [SECTION[0], SECTION[1], "", ""]
    task2_top = ["2", "Kiểm tra việc tiếp nhận hồ sơ trực tuyến", "Văn phòng UBND tỉnh", "Thường xuyên"]
    if name == "section_under_grid":
        rows = [list(HEADER), sections[0], list(TASKS[0]), sections[1], list(TASKS[1]), list(TASKS[2])]
        return to_pdf(draw_table_page(dpi, rows, section_lines=True), dpi)
    if name == "pale_content":
        return to_pdf(draw_table_page(dpi, faint_column=1), dpi)
    if name == "seal_over_empty_cells":
        rows = [list(HEADER), section] + [[*task[:3], ""] for task in TASKS]
        return to_pdf(add_stamp(draw_table_page(dpi, rows), dpi, centre_in=(10.0, 3.7)), dpi)
    if name in ("row_rules_only", "no_rules", "row_rules_centred_numbers"):
        rows = [WRAPPED_HEADER, section, list(TASKS[0]), WRAPPED_TASK, list(TASKS[2])]
        rules = "none" if name == "no_rules" else "horizontal"
        middle = 0 if name == "row_rules_centred_numbers" else None
        return to_pdf(draw_table_page(dpi, rows, rules=rules, middle_column=middle), dpi)
    if name == "continued_missing_line":
        first = draw_table_page(dpi, [list(HEADER), section, list(TASKS[0]), task2_top], furniture=False)
        rest = ["", "tại Trung tâm Phục vụ hành chính công tỉnh", "", ""]
        second = shifted(draw_table_page(dpi, [list(HEADER), rest, list(TASKS[2])], missing_line=2, furniture=False),
                         round(0.25 * dpi), round(-0.15 * dpi), scale=0.94)
        return pages_pdf([first, second], dpi)
    if name == "continued_stray_line":
        first = draw_table_page(dpi, EXPECTED[:3], furniture=False)
        second = draw_table_page(dpi, [list(HEADER), *EXPECTED[3:]], stray_line_in=4.2, furniture=False)
        return pages_pdf([first, second], dpi)
    if name == "no_rules_continued":
        first = draw_table_page(dpi, [WRAPPED_HEADER, section, list(TASKS[0]), task2_top], rules="none",
                                furniture=False)
        rest = ["", "tại Trung tâm Phục vụ hành chính công tỉnh", "", ""]
        second = draw_table_page(dpi, [rest, list(TASKS[2]), list(TASK_4)], rules="none", furniture=False)
        draw, font = ImageDraw.Draw(second), ImageFont.truetype(FONT, round(0.16 * dpi))
        draw.text((round(5.8 * dpi), round(0.5 * dpi)), "2", fill="black", font=font)
        draw.text((round(6.8 * dpi), round(3.6 * dpi)), "KT. CHỦ TỊCH", fill="black", font=font)
        return pages_pdf([first, second], dpi)
    if name == "web_table_across_pages":
        return web_table_pdf()
    if name == "new_table_after_text":
        first = draw_table_page(dpi, EXPECTED, furniture=False, centred_header=True)
        rows = [list(HEADER), *map(list, NEXT_TASKS)]
        second = draw_table_page(dpi, rows, furniture=False, columns_in=(0.0, 0.6, 5.2, 8.2, 10.0), centred_header=True,
                                 intro="Các nhiệm vụ của năm sau được giao như sau:")
        return pages_pdf([first, second], dpi)
    raise ValueError(name)


WEB_TASKS = (
    ("1", "Xây dựng kế hoạch số hóa hồ sơ lưu trữ của các cơ quan hành chính cấp tỉnh", "Sở Nội vụ",
     "Văn phòng UBND tỉnh, Sở Tài chính", "Quý III/2026"),
    ("2", "Rà soát, công bố danh mục thủ tục hành chính tiếp nhận trực tuyến toàn trình",
     "Trung tâm Phục vụ hành chính công tỉnh", "Các sở, ban, ngành", "Tháng 6/2026"),
    ("3", "Kiểm tra việc thực hiện quy chế một cửa tại các xã, phường", "Thanh tra tỉnh",
     "Công an tỉnh, Sở Nội vụ", "Tháng 9/2026"),
)


def web_table_pdf(dpi: int = 150) -> bytes:
    """A table printed from a web page and scanned at `dpi`: no lines at all, every cell centred in
    its row (the task text left-aligned), a wrapped header; the header alone at the foot of page 1,
    the task rows on page 2 without a header, then a paragraph. Scanner grain on both pages."""
    first = draw_centred_table_page(dpi, [list(CENTRED_HEADER)], ruled=False, top_in=10.6,
                                    above="Điều 2. Phân công thực hiện", below="")
    second = draw_centred_table_page(dpi, [list(t) for t in WEB_TASKS], ruled=False, top_in=0.7, above="",
                                     below="Điều 3. Nghị quyết này có hiệu lực từ ngày ký.")
    return pages_pdf([add_noise(page, 0.001, seed) for seed, page in enumerate((first, second))], dpi)


def shifted(page: Image.Image, dx: int, dy: int, scale: float = 1.0) -> Image.Image:
    """The page as it lies on the scanner moved by (dx, dy) pixels, copied at `scale`."""
    out = Image.new("RGB", page.size, "white")
    if scale != 1.0:
        page = page.resize((round(page.width * scale), round(page.height * scale)), Image.Resampling.LANCZOS)
    out.paste(page, (dx, dy))
    return out


def pages_pdf(pages: list[Image.Image], dpi: int) -> bytes:
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=float(dpi), quality=75, save_all=True, append_images=pages[1:])
    return out.getvalue()


LAYOUTS = ("section_under_grid", "pale_content", "seal_over_empty_cells", "row_rules_only", "no_rules", "row_rules_centred_numbers",
           "continued_missing_line", "continued_stray_line", "no_rules_continued", "web_table_across_pages",
           "new_table_after_text")


def extracted_scans(tmp_path_factory, pdfs: dict[str, bytes]) -> Path:
    """The named PDFs extracted in one CLI run; the output folder (a module's OCR tests share one run)."""
    import pytest

    from plantasks.pipeline.cli import main
    from ocr_support import require_tesseract

    require_tesseract()
    if FONT is None:
        pytest.skip("no TrueType font with Vietnamese glyphs (fonts-dejavu-core)")
    inputs = tmp_path_factory.mktemp("scans")
    for name, data in pdfs.items():
        (inputs / f"{name}.pdf").write_bytes(data)
    out = tmp_path_factory.mktemp("out")
    assert main(["extract", str(inputs), "--out", str(out), "--quiet"]) == 0
    return out


def result(out: Path, name: str) -> dict:
    """The extraction of `name`.pdf in `out`."""
    return json.loads((out / f"{name}.pdf.json").read_text(encoding="utf-8"))
