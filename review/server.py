"""What the review page and the service API read and write, as plain methods over one output folder.

`ReviewApp` keeps an index of the folder in memory: each DOC.json an `extract` wrote, the corrections
that run applied undone (so withdrawals show at once) and the store's live ones re-applied. A document
is re-read only when its file changed, and its view recomputed only when its file or its corrections
changed, so listing 600 documents or suggesting an agency name does not re-read the folder. Each task
carries a `version` (a hash of what the analyst sees) and an `updated` time (when the service first saw
that version), kept in a small SQLite index next to the store; saving against an old version is refused.
The HTTP layer lives in `plantasks.pipeline.service`.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path, PurePath
from typing import Any

from plantasks.review.apply import Conflict, apply_with_conflicts, document_name, restore_extracted
from plantasks.review.edits import Deletion, NewTask, TaskEdit, corrections_for
from plantasks.review.fields import (
    ACCEPTED, CONFLICT_FLAG, agency_names, describe_deadline, labels,
)
from plantasks.review.normalize import NameIndex, normalize_deadline_text, plan_context
from plantasks.review.outputs import read_output
from plantasks.review.store import ACTIVE, WITHDRAWN, Correction, CorrectionStore, default_store_path
from plantasks.schemas import DocumentResult

LOW_CONFIDENCE = 0.8
PAGE_SCALE = 2.0  # 144 dpi: sharp when zoomed on a laptop screen, still quick to send
PAGE_CACHE = 24
SOURCE_CONTEXT = 6
INDEX_NAME = ".plantasks-index.sqlite"
RESCAN_SECONDS = 0.5  # how stale the folder index may be for requests in quick succession


class ApiError(Exception):
    def __init__(self, status: HTTPStatus, message: str, detail: Any = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.detail = detail


@dataclass
class _Doc:
    path: Path
    stamp: tuple[int, int]
    extracted: DocumentResult | None = None
    restored: bool = False  # the corrections the writing run applied are undone
    signature: tuple | None = None
    view: DocumentResult | None = None
    conflicts: list[Conflict] = field(default_factory=list)
    tasks: list[dict] = field(default_factory=list)  # the view's tasks as JSON, with version and updated
    rows: list[tuple] = field(default_factory=list)  # per task, what the queue sorts and filters on
    summary: dict = field(default_factory=dict)


def utc_stamp() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def task_version(task: dict) -> str:
    """A hash of the task as served (without its version and time): any change gives a new version."""
    seen = {k: v for k, v in task.items() if k not in ("version", "updated")}
    return hashlib.sha256(json.dumps(seen, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:12]


REMOVED = "removed"  # the version of a task the service served before and no longer has


class _Versions:
    """(document, task) -> (version, updated): when the service first saw each version of each task."""

    def __init__(self, path: Path | None):
        try:
            self.db = self._open(str(path) if path else ":memory:")
        except sqlite3.Error:  # a read-only output folder: keep the index in memory
            self.db = self._open(":memory:")
        self.pending: list[tuple] = []

    @staticmethod
    def _open(name: str) -> sqlite3.Connection:
        db = sqlite3.connect(name, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # an index: a lost last write only re-stamps some tasks
        db.execute("CREATE TABLE IF NOT EXISTS task_versions (doc TEXT, task TEXT, version TEXT, updated TEXT,"
                   " PRIMARY KEY (doc, task))")
        return db

    def flush(self) -> None:
        if self.pending:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO task_versions VALUES (?, ?, ?, ?)", self.pending)
            self.pending = []

    def stamp(self, doc_id: str, tasks: list[dict]) -> None:
        """Give each task its version and time; a task the index knew for the document and that is gone
        (deleted by an analyst, dropped by a new extraction) is recorded as removed from now on."""
        known = dict(((t, (v, u)) for t, v, u in
                      self.db.execute("SELECT task, version, updated FROM task_versions WHERE doc = ?", (doc_id,))))
        now = utc_stamp()
        changed = []
        for task in tasks:
            version = task_version(task)
            old = known.pop(task["id"], None)
            updated = old[1] if old and old[0] == version else now
            if old is None or old[0] != version:
                changed.append((doc_id, task["id"], version, updated))
            task["version"], task["updated"] = version, updated
        changed += [(doc_id, task_id, REMOVED, now) for task_id, (version, _) in known.items() if version != REMOVED]
        self.pending += changed

    def keep_only(self, doc_ids: set[str]) -> None:
        """Documents no longer in the folder: all their tasks are removed."""
        for (doc_id,) in self.db.execute("SELECT DISTINCT doc FROM task_versions").fetchall():
            if doc_id not in doc_ids:
                self.stamp(doc_id, [])

    def removed(self) -> list[tuple[str, str, str]]:
        """(updated, document id, task id) of every removed task."""
        self.flush()
        return [(u, d, t) for d, t, u in
                self.db.execute("SELECT doc, task, updated FROM task_versions WHERE version = ?", (REMOVED,))]


class ReviewApp:
    """Everything the review page and the service ask for, as plain methods (the HTTP layer only routes)."""

    def __init__(self, out_dir: Path, store_path: Path | None = None, source_roots: tuple[Path, ...] = ()):
        self.out_dir = Path(out_dir)
        self.store = CorrectionStore(store_path or default_store_path(self.out_dir))
        self.roots = _source_roots(self.out_dir, source_roots)
        self._lock = threading.RLock()
        self._pdf_lock = threading.Lock()
        self._docs: dict[Path, _Doc] = {}
        self._by_id: dict[str, _Doc] = {}
        self._store_stamp: tuple = ()
        self._corrections: list[Correction] = []
        self._by_sha: dict[str, list[Correction]] = {}
        self._by_name: dict[str, list[Correction]] = {}
        self._names: NameIndex | None = None
        self.generation = 0  # counts the changes the index has seen
        self.rescan_seconds = RESCAN_SECONDS
        self._scanned = -RESCAN_SECONDS
        self._changes: tuple[int, list, list] = (-1, [], [])
        self._queue: tuple[int, list] = (-1, [])
        self._pages: dict[tuple[str, int], bytes] = {}
        self._parsed: dict[str, list | None] = {}
        self._sources: dict[str, Path | None] = {}
        index = self.out_dir / INDEX_NAME
        self._versions = _Versions(index if self.out_dir.is_dir() else None)

    # the folder index ---------------------------------------------------------------------------
    def refresh(self, force: bool = False) -> None:
        """Re-read the files and corrections that changed (a stat per file, at most every `rescan_seconds`
        unless forced: after this server's own writes)."""
        with self._lock:
            if not force and time.monotonic() - self._scanned < self.rescan_seconds:
                return
            self._scanned = time.monotonic()
            stamp = _file_stamp(self.store.path), _file_stamp(self.store.path.with_name(self.store.path.name + "-wal"))
            store_changed = stamp != self._store_stamp
            if store_changed:
                self._corrections = self.store.all(None)
                self._by_sha, self._by_name = {}, {}
                for c in self._corrections:
                    self._by_sha.setdefault(c.doc_sha256, []).append(c)
                    if c.document:
                        self._by_name.setdefault(c.document, []).append(c)
                self._store_stamp = stamp
                self._names = None
            seen: dict[Path, _Doc] = {}
            for path in sorted(self.out_dir.glob("*.json")):
                st = _file_stamp(path)
                doc = self._docs.get(path)
                if doc is None or doc.stamp != st:
                    result = read_output(path)
                    if result is None:
                        continue
                    doc = _Doc(path, st, extracted=result)
                seen[path] = doc
            files_changed = seen.keys() != self._docs.keys() or any(seen[p] is not self._docs[p] for p in seen)
            if not (files_changed or store_changed):
                return
            self._names = None
            self.generation += 1
            self._docs = seen
            by_id = {}
            for doc in seen.values():
                self._ensure(doc)
                by_id[doc.view.document.id] = doc
            self._versions.keep_only(set(by_id))
            self._versions.flush()
            self._by_id = by_id

    def _queue_order(self) -> list[tuple[str, int, _Doc]]:
        """Every task of the folder in review order (needing a look first, then by document and position),
        sorted once per change of the folder."""
        self.refresh()
        with self._lock:
            if self._queue[0] != self.generation:
                rows = sorted(((row[0], doc.summary["label"], doc.path.name, i), doc) for doc in self._by_id.values()
                              for i, row in enumerate(doc.rows))
                self._queue = (self.generation, [(key[1], key[3], doc) for key, doc in rows])
            return self._queue[1]

    def changes(self) -> tuple[list[tuple[str, str, str]], list[tuple[_Doc, int] | None]]:
        """Every task in the order it last changed: keys (updated, document id, task id) and where each task is
        (None: the task was removed)."""
        self.refresh()
        with self._lock:
            if self._changes[0] != self.generation:
                rows = [((t["updated"], doc.summary["id"], t["id"]), (doc, i))
                        for doc in self._by_id.values() for i, t in enumerate(doc.tasks)]
                rows = sorted(rows + [(key, None) for key in self._versions.removed()], key=lambda r: r[0])
                self._changes = (self.generation, [k for k, _ in rows], [w for _, w in rows])
            return self._changes[1], self._changes[2]

    def _history(self, meta) -> list[Correction]:
        name = document_name(meta.source_file)
        found = {c.id: c for c in (*self._by_sha.get(meta.sha256, ()), *self._by_name.get(name, ()))}
        return [found[k] for k in sorted(found)]

    def _ensure(self, doc: _Doc) -> None:
        """Compute the document's view when its file or its corrections changed since the last time."""
        history = self._history(doc.extracted.document)
        signature = tuple((c.id, c.status) for c in history)
        if doc.view is not None and signature == doc.signature:
            return
        if not doc.restored:
            if history or _marked(doc.extracted):
                doc.extracted = restore_extracted(doc.extracted, history)
            doc.restored = True
        doc.signature = signature
        if history:
            doc.view, doc.conflicts = apply_with_conflicts(doc.extracted, [c for c in history if c.status == ACTIVE])
        else:  # nothing to apply (most documents of a batch)
            doc.view, doc.conflicts = doc.extracted, []
        doc.tasks = doc.view.model_dump(mode="json")["tasks"]
        self._versions.stamp(doc.view.document.id, doc.tasks)
        doc.rows = [_queue_row(t) for t in doc.tasks]
        doc.summary = self._summary(doc)

    def _doc(self, doc_id: str) -> _Doc:
        self.refresh()
        doc = self._by_id.get(doc_id)
        if doc is None:
            raise ApiError(HTTPStatus.NOT_FOUND, f"không có văn bản {doc_id!r} trong thư mục kết quả")
        return doc

    def _view(self, doc_id: str) -> tuple[DocumentResult, list[Conflict]]:
        doc = self._doc(doc_id)
        return doc.view, doc.conflicts

    def all_docs(self) -> list[_Doc]:
        self.refresh()
        return list(self._by_id.values())

    # documents -------------------------------------------------------------------------------
    def summary(self, doc: _Doc) -> dict:
        return doc.summary

    def _summary(self, doc: _Doc) -> dict:
        meta = doc.view.document
        tasks = doc.tasks
        return {
            "id": meta.id, "file": doc.path.name, "source_file": meta.source_file, "title": meta.title,
            "number": meta.decision_number or meta.plan_number, "date": _iso(meta.decision_date or meta.plan_date),
            "issuer": meta.issuer, "label": document_label(meta, doc.path.name),
            "format": meta.format, "status": meta.status, "tasks": len(tasks),
            "flagged": sum(_needs_look(t) for t in tasks),
            "accepted": sum(ACCEPTED in t["corrected"] for t in tasks), "conflicts": len(doc.conflicts),
            "updated": max((t["updated"] for t in tasks), default=None),
        }

    def documents(self) -> list[dict]:
        docs = sorted(self.all_docs(), key=lambda d: (d.summary["label"].casefold(), d.path.name))
        return [d.summary for d in docs]

    def document(self, doc_id: str) -> dict:
        doc = self._doc(doc_id)
        meta = doc.view.document
        history = self._history(meta)
        tasks = doc.tasks
        return {
            "document": meta.model_dump(mode="json"),
            "label": document_label(meta, doc.path.name),
            "tasks": tasks,
            "order": review_order(tasks),
            "warnings": [w.model_dump(mode="json") for w in doc.view.warnings if w.code != "correction_conflict"],
            "conflicts": [{**c.correction.to_json(), "task_id": c.task_id, "message": c.message} for c in doc.conflicts],
            "history": [c.to_json() for c in history],
            "low_confidence": LOW_CONFIDENCE,
        }

    def queue(self, document: str | None = None, flag: str | None = None, agency: str | None = None,
              area: str | None = None, q: str | None = None, limit: int = 300) -> dict:
        """Tasks of the whole folder that need a look first (conflicts, flags, low confidence), filtered."""
        needle = (q or "").casefold().strip()
        agency_needle = (agency or "").casefold().strip()
        found = []
        for label, i, doc in self._queue_order():
            rank, flags, task_area, names, text, _ = doc.rows[i]
            if ((document and doc.summary["id"] != document) or (flag and flag not in flags)
                    or (area and task_area != area) or (agency_needle and agency_needle not in names)
                    or (needle and needle not in text)):
                continue
            found.append((rank, label, i, doc))
        items = []
        for _, label, i, doc in found[:limit]:
            t = doc.tasks[i]
            items.append({"doc": doc.summary["id"], "doc_label": label, "id": t["id"], "stt": t["stt"],
                          "table": t["table"], "content": t["content"][:200], "flags": t["flags"],
                          "confidence": t["confidence"], "corrected": t["corrected"], "area": t["area"],
                          "lead": agency_names(t["lead"]), "unknown_agency": doc.rows[i][5]})
        return {"total": len(found), "items": items}

    # source ----------------------------------------------------------------------------------
    def source(self, doc_id: str, task_id: str) -> dict:
        view, _ = self._view(doc_id)
        task = next((t for t in view.tasks if t.id == task_id), None)
        if task is None:
            raise ApiError(HTTPStatus.NOT_FOUND, f"không có nhiệm vụ {task_id!r}")
        src = task.source
        name = src.file or view.document.source_file
        path = self.source_path(name)
        fmt = view.document.format or ""
        if path is None:
            return {"kind": "none", "reason": f"không tìm thấy tệp nguồn {name} trong các thư mục được phép"}
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
        """The source file a output names, found relative to the output folder or the allowed folders even
        after the whole tree moved, and only when it resolves under one of them (never /etc/passwd)."""
        if not name:
            return None
        if name in self._sources:
            return self._sources[name]
        given = PurePath(name)
        parts = given.parts[1:] if given.is_absolute() else given.parts
        candidates = [Path(given)] if given.is_absolute() else []
        bases = [self.out_dir, self.out_dir.parent, *self.roots, Path.cwd()]
        candidates += [base.joinpath(*parts[i:]) for base in bases for i in range(len(parts))]
        found = None
        for candidate in candidates:
            try:
                resolved = candidate.resolve()
            except (OSError, RuntimeError):
                continue
            if resolved.is_file() and any(resolved.is_relative_to(root) for root in self.roots):
                found = resolved
                break
        self._sources[name] = found
        return found

    def _pdf_path(self, doc_id: str) -> Path:
        view, _ = self._view(doc_id)
        files = [t.source.file for t in view.tasks if t.source.file] + [view.document.source_file]
        path = self.source_path(files[0])
        if path is None:
            raise ApiError(HTTPStatus.NOT_FOUND, "không tìm thấy tệp PDF nguồn trong các thư mục được phép")
        return path

    def _page_size(self, path: Path, page: int) -> tuple[float, float]:
        import pypdfium2 as pdfium

        with self._pdf_lock:
            pdf = pdfium.PdfDocument(str(path))
            try:
                if not 1 <= page <= len(pdf):
                    raise ApiError(HTTPStatus.NOT_FOUND, f"trang {page} không có trong tệp PDF ({len(pdf)} trang)")
                return tuple(pdf[page - 1].get_size())
            finally:
                pdf.close()

    def page_png(self, doc_id: str, page: int) -> bytes:
        key = (doc_id, page)
        if key in self._pages:
            return self._pages[key]
        path = self._pdf_path(doc_id)
        png = render_page(path, page, PAGE_SCALE, self._pdf_lock)
        with self._lock:
            if len(self._pages) >= PAGE_CACHE:
                self._pages.pop(next(iter(self._pages)))
            self._pages[key] = png
        return png

    # normalizers -----------------------------------------------------------------------------
    def agencies(self, prefix: str, doc_id: str | None = None) -> list[str]:
        self.refresh()
        with self._lock:
            if self._names is None:
                seen: list[str] = []
                for doc in self._by_id.values():
                    for task in doc.tasks:
                        seen += [a["name"] for a in (*task["lead"], *task["support"]) if a["match"] != "none" or a["id"]]
                for c in self._corrections:
                    if c.status == ACTIVE and c.field in ("lead", "support"):
                        seen += agency_names(c.after)
                self._names = NameIndex(dict.fromkeys(seen))
            names = self._names
        return names.suggest(prefix)

    def deadline(self, doc_id: str, text: str) -> dict:
        meta = self._doc(doc_id).view.document.model_dump(mode="json")
        items = normalize_deadline_text(text, plan_context(meta))
        return {"items": items, "text": describe_deadline(items)}

    # saving ----------------------------------------------------------------------------------
    def save(self, doc_id: str, who: str, note: str, edits: list[dict], added: list[dict],
             deleted: list[dict]) -> dict:
        """Store one save (one transaction); a task edited or deleted that changed since the analyst loaded it
        is refused (409). `deleted` items are {task, version} (version None: not checked)."""
        with self._lock:
            self.refresh(force=True)
            doc = self._doc(doc_id)
            stale = version_conflicts(doc.tasks, [*edits, *deleted])
            if stale:
                raise ApiError(HTTPStatus.CONFLICT, labels()["errors"]["version_conflict"], stale)
            batch = corrections_for(
                doc.view, who,
                [TaskEdit(e["task"], e.get("fields") or {}, e.get("accepted"), note) for e in edits],
                [NewTask(a.get("after"), a.get("fields") or {}, note) for a in added],
                [Deletion(d["task"], note) for d in deleted])
            if batch.problems:
                raise ApiError(HTTPStatus.UNPROCESSABLE_ENTITY, "; ".join(batch.problems))
            saved = self.store.save(batch.corrections)
            self.refresh(force=True)
        return {"saved": len(saved), "added": [c.task_id for c in saved if c.field == "add_task"],
                "document": self.document(doc_id)}

    def withdraw(self, doc_id: str, ids: list[int], who: str = "") -> dict:
        with self._lock:
            self._doc(doc_id)
            changed = self.store.set_status(ids, WITHDRAWN, who=who, note="giữ giá trị trích xuất")
            self.refresh(force=True)
        return {"withdrawn": changed, "document": self.document(doc_id)}


def version_conflicts(tasks: list[dict], edits: list[dict]) -> list[dict]:
    """Each edited task whose version moved on since the analyst loaded it, with both values."""
    by_id = {t["id"]: t for t in tasks}
    out = []
    for edit in edits:
        task = by_id.get(edit["task"])
        if task is None or not edit.get("version") or edit["version"] == task["version"]:
            continue
        fields = edit.get("fields") or {}
        out.append({"task": task["id"], "stt": task["stt"], "version": task["version"], "yours": fields,
                    "current": {f: task.get(f) for f in fields} or {"corrected": task["corrected"]}})
    return out


def _marked(result: DocumentResult) -> bool:
    """Whether an earlier run left corrections' marks in the result (so they must be undone)."""
    return any(t.corrected or CONFLICT_FLAG in t.flags for t in result.tasks)


def _file_stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (0, 0)
    return (st.st_mtime_ns, st.st_size)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _needs_look(task: dict) -> bool:
    return bool(task["flags"]) or task["confidence"] < LOW_CONFIDENCE


def document_label(meta, file_name: str) -> str:
    """How people name a plan: its number and title (the file name only when the document has neither)."""
    number = meta.decision_number or meta.plan_number
    title = meta.title
    if number and title:
        return f"{number} — {title}"
    return number or title or file_name.removesuffix(".json")


def _source_roots(out_dir: Path, given: tuple[Path, ...]) -> tuple[Path, ...]:
    """The folders source files may be read from: the output folder, its parent, the folders given, and the
    folders of the inputs `run.json` lists (what the run was given)."""
    roots = [out_dir, out_dir.parent, *given]
    try:
        run = json.loads((out_dir / "run.json").read_text(encoding="utf-8"))
        for d in run.get("documents") or []:
            path = Path(str(d.get("file") or ""))
            if path.name:
                roots.append(path.parent if path.is_absolute() else (Path.cwd() / path).parent)
    except (OSError, ValueError, AttributeError):
        pass
    out = []
    for root in roots:
        try:
            resolved = Path(root).resolve()
        except OSError:
            continue
        if resolved not in out and resolved != Path(resolved.anchor):
            out.append(resolved)
    return tuple(out)


def _queue_row(task: dict) -> tuple:
    """(rank, flags with low_confidence, area, agency names folded, searchable text folded, an unknown agency?)."""
    names = agency_names(task["lead"]) + agency_names(task["support"])
    flags = set(task["flags"]) | ({"low_confidence"} if task["confidence"] < LOW_CONFIDENCE else set())
    return (_rank(task), flags, task["area"], "\n".join(names).casefold(),
            " ".join([task["stt"], task["content"], *names]).casefold(),
            any(a["match"] == "none" and not a["id"] for a in task["lead"] + task["support"]))


def _rank(task: dict) -> int:
    if CONFLICT_FLAG in task["flags"]:
        return 0
    if ACCEPTED in task["corrected"]:
        return 3
    if task["flags"] or task["confidence"] < LOW_CONFIDENCE:
        return 1
    return 2


def review_order(tasks: list[dict]) -> list[str]:
    """Task ids, the ones needing a look first (conflicts, flags, low confidence), then document order."""
    return [t["id"] for _, t in sorted(enumerate(tasks), key=lambda it: (_rank(it[1]), it[0]))]


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
                raise ApiError(HTTPStatus.NOT_FOUND, f"trang {page} không có trong tệp PDF ({len(pdf)} trang)")
            image = pdf[page - 1].render(scale=scale).to_pil()
        finally:
            pdf.close()
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()
