"""`plantasks review DIR`: a local review page (standard library HTTP server, one static page, a JSON API).

The server reads the per-document JSON an `extract` wrote into DIR, undoes the corrections that run
applied (so withdrawals show at once), re-applies the live ones from DIR/corrections.sqlite, and
serves the result. Saving writes corrections, one transaction per save; the JSON files are never
rewritten here: the next `plantasks extract` applies the corrections.
"""

from __future__ import annotations

import io
import json
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from plantasks.review.apply import Conflict, document_name
from plantasks.review.edits import Deletion, NewTask, TaskEdit, corrections_for
from plantasks.review.fields import ACCEPTED, CONFLICT_FLAG, agency_names, labels
from plantasks.review.normalize import normalize_deadline_text, plan_context, suggest_names
from plantasks.review.outputs import extracted, read_output, review_view
from plantasks.review.store import ACTIVE, WITHDRAWN, CorrectionStore, default_store_path
from plantasks.schemas import DocumentResult

STATIC = Path(__file__).parent / "static"
LOW_CONFIDENCE = 0.8
PAGE_SCALE = 2.0  # 144 dpi: sharp when zoomed on a laptop screen, still quick to send
PAGE_CACHE = 24
SOURCE_CONTEXT = 6
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1"}
STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}


class ApiError(Exception):
    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class _Loaded:
    path: Path
    mtime: float
    extracted: DocumentResult


class ReviewApp:
    """Everything the page asks for, as plain methods (the HTTP layer only routes)."""

    def __init__(self, out_dir: Path, store_path: Path | None = None):
        self.out_dir = Path(out_dir)
        self.store = CorrectionStore(store_path or default_store_path(self.out_dir))
        self._lock = threading.Lock()
        self._docs: dict[str, _Loaded] = {}
        self._pages: dict[tuple[str, int], bytes] = {}
        self._parsed: dict[str, list | None] = {}

    # documents -------------------------------------------------------------------------------
    def _scan(self) -> dict[str, _Loaded]:
        with self._lock:
            seen = {}
            for path in sorted(self.out_dir.glob("*.json")):
                mtime = path.stat().st_mtime
                cached = next((d for d in self._docs.values() if d.path == path and d.mtime == mtime), None)
                if cached is None:
                    result = read_output(path)
                    if result is None:
                        continue
                    cached = _Loaded(path, mtime, extracted(result, self.store))
                seen[cached.extracted.document.id] = cached
            self._docs = seen
            return dict(seen)

    def _loaded(self, doc_id: str) -> _Loaded:
        loaded = self._docs.get(doc_id)
        if loaded is None or not _unchanged(loaded):
            loaded = self._scan().get(doc_id)
        if loaded is None:
            raise ApiError(HTTPStatus.NOT_FOUND, f"no document {doc_id!r} in {self.out_dir}")
        return loaded

    def _view(self, doc_id: str) -> tuple[DocumentResult, list[Conflict]]:
        return review_view(self._loaded(doc_id).extracted, self.store)

    def documents(self) -> list[dict]:
        out = []
        for doc_id, loaded in sorted(self._scan().items(), key=lambda kv: kv[1].path.name):
            view, conflicts = self._view(doc_id)
            meta = view.document
            out.append({
                "id": doc_id, "file": loaded.path.name, "source_file": meta.source_file, "title": meta.title,
                "format": meta.format, "status": meta.status, "tasks": len(view.tasks),
                "flagged": sum(bool(t.flags) or t.confidence < LOW_CONFIDENCE for t in view.tasks),
                "accepted": sum(ACCEPTED in t.corrected for t in view.tasks), "conflicts": len(conflicts),
            })
        return out

    def document(self, doc_id: str) -> dict:
        view, conflicts = self._view(doc_id)
        meta = view.document
        history = self.store.for_document(meta.sha256, document_name(meta.source_file), statuses=None)
        tasks = view.model_dump(mode="json")["tasks"]
        return {
            "document": view.document.model_dump(mode="json"),
            "tasks": tasks,
            "order": review_order(tasks),
            "warnings": [w.model_dump(mode="json") for w in view.warnings if w.code != "correction_conflict"],
            "conflicts": [{**c.correction.to_json(), "task_id": c.task_id, "message": c.message} for c in conflicts],
            "history": [c.to_json() for c in history],
            "low_confidence": LOW_CONFIDENCE,
        }

    # source ----------------------------------------------------------------------------------
    def source(self, doc_id: str, task_id: str) -> dict:
        view, _ = self._view(doc_id)
        task = next((t for t in view.tasks if t.id == task_id), None)
        if task is None:
            raise ApiError(HTTPStatus.NOT_FOUND, f"no task {task_id!r}")
        src = task.source
        path = self.source_path(view.document.source_file if not src.file else src.file)
        fmt = view.document.format or ""
        if path is None:
            return {"kind": "none", "reason": f"không tìm thấy tệp nguồn {src.file or view.document.source_file}"}
        if fmt in ("pdf", "scanned_pdf") or path.suffix.lower() == ".pdf":
            if src.page is None:
                return {"kind": "none", "reason": "nhiệm vụ không có số trang"}
            width, height = self._page_size(path, src.page)
            return {"kind": "page", "page": src.page, "width": width, "height": height, "bbox": src.bbox,
                    "image": f"/api/page?doc={doc_id}&page={src.page}"}
        if src.line_start is None:
            return {"kind": "none", "reason": "nhiệm vụ không có vị trí trong tệp nguồn"}
        end = src.line_end or src.line_start
        if fmt in ("text", ""):
            return {"kind": "text", "unit": "Dòng", **source_lines(path, src.line_start, end)}
        blocks = self._blocks(doc_id, path)
        if blocks is None:
            return {"kind": "none", "reason": f"không đọc lại được tệp nguồn dạng {fmt or path.suffix}"}
        return {"kind": "text", "unit": "Khối", **block_lines(blocks, src.line_start, end)}

    def _blocks(self, doc_id: str, path: Path) -> list | None:
        """The reader's blocks of a DOCX/HTML source (numbered like its tasks' line_start), cached."""
        if doc_id in self._parsed:
            return self._parsed[doc_id]
        try:
            from plantasks.parsers.read import ReadOptions, read_document

            blocks = read_document(path.read_bytes(), path.name, ReadOptions(ocr=False)).blocks
        except Exception:
            blocks = None
        with self._lock:
            if len(self._parsed) >= PAGE_CACHE:
                self._parsed.pop(next(iter(self._parsed)))
            self._parsed[doc_id] = blocks
        return blocks

    def source_path(self, name: str | None) -> Path | None:
        if not name:
            return None
        given = Path(name)
        candidates = [given] if given.is_absolute() else [Path.cwd() / given, self.out_dir / given,
                                                          self.out_dir.parent / given, self.out_dir / given.name]
        return next((p for p in candidates if p.is_file()), None)

    def _pdf_path(self, doc_id: str) -> Path:
        view, _ = self._view(doc_id)
        files = [t.source.file for t in view.tasks if t.source.file] + [view.document.source_file]
        path = self.source_path(files[0])
        if path is None:
            raise ApiError(HTTPStatus.NOT_FOUND, "the source PDF is not where the output says")
        return path

    def _page_size(self, path: Path, page: int) -> tuple[float, float]:
        import pypdfium2 as pdfium

        with self._lock:
            pdf = pdfium.PdfDocument(str(path))
            try:
                return tuple(pdf[page - 1].get_size())
            finally:
                pdf.close()

    def page_png(self, doc_id: str, page: int) -> bytes:
        key = (doc_id, page)
        if key in self._pages:
            return self._pages[key]
        path = self._pdf_path(doc_id)
        png = render_page(path, page, PAGE_SCALE, self._lock)
        with self._lock:
            if len(self._pages) >= PAGE_CACHE:
                self._pages.pop(next(iter(self._pages)))
            self._pages[key] = png
        return png

    # normalizers -----------------------------------------------------------------------------
    def agencies(self, prefix: str, doc_id: str | None) -> list[str]:
        seen: list[str] = []
        for loaded in self._docs.values() or self._scan().values():
            for task in loaded.extracted.tasks:
                seen += [a.name for a in (*task.lead, *task.support) if a.match != "none" or a.id]
        for c in self.store.all((ACTIVE,)):
            if c.field in ("lead", "support"):
                seen += agency_names(c.after)
        return suggest_names(prefix, dict.fromkeys(seen))

    def deadline(self, doc_id: str, text: str) -> dict:
        meta = self._loaded(doc_id).extracted.document.model_dump(mode="json")
        items = normalize_deadline_text(text, plan_context(meta))
        return {"available": items is not None, "items": items or []}

    # saving ----------------------------------------------------------------------------------
    def save(self, payload: dict) -> dict:
        doc_id = _required(payload, "doc")
        view, _ = self._view(doc_id)
        who = str(payload.get("who") or "").strip()
        note = str(payload.get("note") or "")
        edits = [TaskEdit(e["task"], dict(e.get("fields") or {}), e.get("accepted"), note)
                 for e in payload.get("edits") or []]
        added = [NewTask(a.get("after"), dict(a.get("fields") or {}), note) for a in payload.get("added") or []]
        deleted = [Deletion(t, note) for t in payload.get("deleted") or []]
        batch = corrections_for(view, who, edits, added, deleted)
        if batch.problems:
            raise ApiError(HTTPStatus.UNPROCESSABLE_ENTITY, "; ".join(batch.problems))
        saved = self.store.save(batch.corrections)
        return {"saved": len(saved), "added": [c.task_id for c in saved if c.field == "add_task"],
                "document": self.document(doc_id)}

    def withdraw(self, payload: dict) -> dict:
        doc_id = _required(payload, "doc")
        ids = [int(i) for i in payload.get("ids") or []]
        changed = self.store.set_status(ids, WITHDRAWN, who=str(payload.get("who") or ""),
                                        note="giữ giá trị trích xuất")
        return {"withdrawn": changed, "document": self.document(doc_id)}


def _unchanged(loaded: _Loaded) -> bool:
    """False when `plantasks extract` rewrote the file since it was read."""
    try:
        return loaded.path.stat().st_mtime == loaded.mtime
    except OSError:
        return False


def review_order(tasks: list[dict]) -> list[str]:
    """Task ids, the ones needing a look first (conflicts, flags, low confidence), then document order."""
    def rank(item: tuple[int, dict]) -> tuple[int, int]:
        i, t = item
        if CONFLICT_FLAG in t["flags"]:
            return 0, i
        if ACCEPTED in t["corrected"]:
            return 3, i
        if t["flags"] or t["confidence"] < LOW_CONFIDENCE:
            return 1, i
        return 2, i
    return [t["id"] for _, t in sorted(enumerate(tasks), key=rank)]


def source_lines(path: Path, start: int, end: int, context: int = SOURCE_CONTEXT) -> dict:
    """Lines start..end (1-based, as the text reader counts them) with some context around."""
    data = path.read_bytes()
    from plantasks.parsers.detect import decode_text

    text = decode_text(data)[0] or ""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first, last = max(1, start - context), min(len(lines), end + context)
    return {"start": start, "end": end, "total": len(lines),
            "lines": [{"n": n, "text": lines[n - 1], "hit": start <= n <= end} for n in range(first, last + 1)]}


def block_lines(blocks: list, start: int, end: int, context: int = SOURCE_CONTEXT) -> dict:
    """Reader blocks numbered start..end with context; a table row shows its cells side by side."""
    numbered = [(b.prov.line_start, b) for b in blocks if b.prov.line_start is not None]
    lines = []
    for n, block in numbered:
        if start - context <= n <= end + context:
            text = getattr(block, "text", None)
            if text is None:
                text = " │ ".join(t.replace("\n", " ") for t in block.texts)
            lines.append({"n": n, "text": text, "hit": start <= n <= end})
    return {"start": start, "end": end, "total": len(numbered), "lines": lines}


def render_page(path: Path, page: int, scale: float, lock: threading.Lock) -> bytes:
    import pypdfium2 as pdfium

    with lock:  # pdfium is not thread-safe
        pdf = pdfium.PdfDocument(str(path))
        try:
            if not 1 <= page <= len(pdf):
                raise ApiError(HTTPStatus.NOT_FOUND, f"page {page} is not in the PDF ({len(pdf)} pages)")
            image = pdf[page - 1].render(scale=scale).to_pil()
        finally:
            pdf.close()
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def _required(payload: dict, name: str) -> Any:
    if not payload.get(name):
        raise ApiError(HTTPStatus.BAD_REQUEST, f"missing {name!r}")
    return payload[name]


def make_handler(app: ReviewApp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "plantasks-review"

        def log_message(self, format: str, *args: Any) -> None:  # quiet: errors go to the page
            return

        def _trusted(self) -> bool:
            """Only pages this server served may call it: a loopback Host (no DNS rebinding)."""
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
            if host in LOOPBACK_NAMES or host == self.server.server_address[0]:
                return True
            self._error(HTTPStatus.FORBIDDEN, f"host {host!r} is not this computer")
            return False

        def do_GET(self) -> None:
            if not self._trusted():
                return
            url = urlparse(self.path)
            q = {k: v[-1] for k, v in parse_qs(url.query).items()}
            routes = {
                "/api/documents": lambda: app.documents(),
                "/api/labels": labels,
                "/api/document": lambda: app.document(_required(q, "doc")),
                "/api/source": lambda: app.source(_required(q, "doc"), _required(q, "task")),
                "/api/agencies": lambda: {"names": app.agencies(q.get("q", ""), q.get("doc"))},
                "/api/deadline": lambda: app.deadline(_required(q, "doc"), q.get("text", "")),
            }
            if url.path == "/api/page":
                self._guard(lambda: self._send(app.page_png(_required(q, "doc"), int(q.get("page", "1"))), "image/png"))
            elif url.path in routes:
                self._guard(lambda: self._json(routes[url.path]()))
            else:
                self._static(url.path)

        def do_POST(self) -> None:
            if not self._trusted():
                return
            if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                # a cross-site form cannot send this type without a preflight this server never answers
                self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send JSON (Content-Type: application/json)")
                return
            url = urlparse(self.path)
            routes = {"/api/save": app.save, "/api/withdraw": app.withdraw}
            if url.path not in routes:
                self._error(HTTPStatus.NOT_FOUND, "no such endpoint")
                return
            self._guard(lambda: self._json(routes[url.path](self._body())))

        def _body(self) -> dict:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except json.JSONDecodeError as exc:
                raise ApiError(HTTPStatus.BAD_REQUEST, f"body is not JSON: {exc}") from exc
            if not isinstance(body, dict):
                raise ApiError(HTTPStatus.BAD_REQUEST, "body must be a JSON object")
            return body

        def _guard(self, action) -> None:
            try:
                action()
            except ApiError as exc:
                self._error(exc.status, exc.message)
            except (KeyError, TypeError, ValueError) as exc:
                self._error(HTTPStatus.BAD_REQUEST, f"bad request: {exc}")

        def _static(self, path: str) -> None:
            name = "index.html" if path in ("/", "/index.html") else path.removeprefix("/static/")
            target = (STATIC / name).resolve()
            if STATIC.resolve() not in target.parents or not target.is_file():
                self._error(HTTPStatus.NOT_FOUND, "not found")
                return
            self._send(target.read_bytes(), STATIC_TYPES.get(target.suffix, "application/octet-stream"))

        def _json(self, body: Any, status: HTTPStatus = HTTPStatus.OK) -> None:
            self._send(json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8", status)

        def _error(self, status: HTTPStatus, message: str) -> None:
            self._json({"error": message}, status)

        def _send(self, data: bytes, ctype: str, status: HTTPStatus = HTTPStatus.OK) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

    return Handler


def make_server(app: ReviewApp, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), make_handler(app))
    server.daemon_threads = True
    return server
