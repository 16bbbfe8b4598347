"""PDFium's path and picture objects of a page -> ruling edges (as pdfplumber has them) and picture area."""

from __future__ import annotations

from plantasks.parsers.pdf.frame import Frame

Matrix = tuple[float, ...]  # (a, b, c, d, e, f), PDF row-vector convention
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def page_objects(page, frame: Frame) -> tuple[list[dict], float]:
    """The page's ruling lines (straight horizontal/vertical segments of visible paths, as pdfplumber
    edges) and the area its pictures cover (square points)."""
    import pypdfium2.raw as raw

    edges: list[dict] = []
    images: list[float] = []
    for index in range(raw.FPDFPage_CountObjects(page)):
        _object_edges(raw.FPDFPage_GetObject(page, index), _IDENTITY, frame, edges, images, depth=0)
    return edges, sum(images)


def _object_edges(obj, outer, frame: Frame, edges: list[dict], images: list[float], depth: int) -> None:
    import pypdfium2.raw as raw

    kind = raw.FPDFPageObj_GetType(obj)
    if kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
        matrix = _compose(_matrix_of(obj), outer)
        for index in range(raw.FPDFFormObj_CountObjects(obj)):
            _object_edges(raw.FPDFFormObj_GetObject(obj, index), matrix, frame, edges, images, depth + 1)
    elif kind == raw.FPDF_PAGEOBJ_IMAGE:
        a, b, c, d, _, _ = _compose(_matrix_of(obj), outer)  # an image fills the unit square of its matrix
        images.append(abs(a * d - b * c))
    elif kind == raw.FPDF_PAGEOBJ_PATH and (mode := _draw_mode(obj)) != _HIDDEN:
        matrix = _compose(_matrix_of(obj), outer)
        filled_only = mode == _FILLED
        for points, segments in _subpaths(obj):
            if filled_only and _is_area([frame.point(*_apply(matrix, x, y)) for x, y in points]):
                continue
            for start, end in segments:
                edge = _edge(frame.point(*_apply(matrix, *start)), frame.point(*_apply(matrix, *end)))
                if edge is not None:
                    edges.append(edge)


_HIDDEN, _FILLED, _STROKED = 0, 1, 2
_RULE_WIDTH = 3.0  # points: a filled shape thinner than this is a ruling line, a wider one a shaded area


def _draw_mode(obj) -> int:
    import ctypes

    import pypdfium2.raw as raw

    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)) or stroke.value:
        return _STROKED
    return _FILLED if fill.value != raw.FPDF_FILLMODE_NONE else _HIDDEN


def _is_area(points: list[tuple[float, float]]) -> bool:
    """A filled shape wide and tall (a shaded cell, a page background, a floating box of a web page):
    the edge of a fill is not a ruling line, unlike a thin filled bar."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return max(xs) - min(xs) > _RULE_WIDTH and max(ys) - min(ys) > _RULE_WIDTH


def _matrix_of(obj) -> Matrix:
    import ctypes

    import pypdfium2.raw as raw

    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying `inner` first, then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _subpaths(obj):
    """The subpaths of a path, each as its points and the straight segments (point pairs) among them,
    closing segment included; curves are not segments."""
    import ctypes

    import pypdfium2.raw as raw

    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float]] = []
    segments: list[tuple[tuple[float, float], tuple[float, float]]] = []
    for index in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, index)
        if not raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        point = (x.value, y.value)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if points:
                yield points, segments
            points, segments = [point], []
            continue
        if kind == raw.FPDF_SEGMENT_LINETO and points:
            segments.append((points[-1], point))
        points.append(point)
        if raw.FPDFPathSegment_GetClose(segment) and point != points[0]:
            segments.append((point, points[0]))
            points.append(points[0])
    if points:
        yield points, segments


def _edge(a: tuple[float, float], b: tuple[float, float]) -> dict | None:
    (xa, ya), (xb, yb) = a, b
    if abs(ya - yb) < 0.5 and abs(xa - xb) >= 1.0:
        top = (ya + yb) / 2
        x0, x1 = min(xa, xb), max(xa, xb)
        return {"object_type": "line", "orientation": "h", "x0": x0, "x1": x1, "top": top, "bottom": top,
                "width": x1 - x0, "height": 0.0}
    if abs(xa - xb) < 0.5 and abs(ya - yb) >= 1.0:
        x = (xa + xb) / 2
        top, bottom = min(ya, yb), max(ya, yb)
        return {"object_type": "line", "orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom,
                "width": 0.0, "height": bottom - top}
    return None
