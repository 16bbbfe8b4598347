"""`plantasks serve DIR` and `plantasks review DIR`: one ASGI application (FastAPI, run by uvicorn) over an
output folder.

- `/v1/...`: the API for downstream systems: upload a document (small ones answered at once, large ones
  as a job), list documents, page through tasks (corrections applied) changed since a cursor.
- `/` and `/api/...`: the review page and what it calls.
- `/openapi.json` and `/docs`: generated from the pydantic models of `plantasks.schemas`.

Safety: bound to 127.0.0.1 unless told otherwise, and any other address needs a token (`--token` or
PLANTASKS_TOKEN) checked on every request; the Host header must name this server (no DNS rebinding);
a state-changing request from another origin is refused; bodies are size-limited and read with a
timeout; payloads are validated (422 naming the field); source files are served only from under the
folders the run was given.
"""

import asyncio
import base64
import bisect
import hashlib
import hmac
import ipaddress
import json
import os
import re
import socket
import sqlite3
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from http import HTTPStatus
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qs, urlsplit

from plantasks import SCHEMA_VERSION, __version__
from plantasks import review as review_package
from plantasks.pipeline.batch import write_atomic, write_lines_atomic
from plantasks.pipeline.extract import ExtractOptions, extract_bytes
from plantasks.pipeline.service_options import MAX_BODY, READ_TIMEOUT, SYNC_BYTES, TOKEN_ENV
from plantasks.review.fields import labels
from plantasks.review.server import ApiError, ReviewApp
from plantasks.schemas.api import (
    DocumentList, DocumentSummary, ErrorBody, Job, SaveIn, TaskPage, WithdrawIn,
)

STATIC = Path(review_package.__file__).resolve().parent / "static"
TOKEN_COOKIE = "plantasks_token"
PAGE_LIMIT = 500
UPLOADS = "uploads"
JOBS_NAME = ".plantasks-jobs.sqlite"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ServiceError(Exception):
    """The service cannot start as asked (a usage error)."""


@dataclass(frozen=True)
class ServiceSettings:
    out_dir: Path
    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None
    store_path: Path | None = None
    source_roots: tuple[Path, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    max_body: int = MAX_BODY
    sync_bytes: int = SYNC_BYTES
    read_timeout: float = READ_TIMEOUT
    extract: ExtractOptions = ExtractOptions()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_names(settings: ServiceSettings) -> set[str]:
    """The names a client may put in the Host header to reach this server."""
    names = {"localhost", "127.0.0.1", "::1", *settings.allowed_hosts}
    if settings.host not in ("0.0.0.0", "::", ""):
        names.add(settings.host)
    elif settings.token:
        hostname = socket.gethostname()
        names |= {hostname, socket.getfqdn()}
        try:
            names |= set(socket.gethostbyname_ex(hostname)[2])
        except OSError:
            pass
    return {n.lower().strip("[]") for n in names}


def check_settings(settings: ServiceSettings) -> ServiceSettings:
    token = settings.token or os.environ.get(TOKEN_ENV) or None
    if not is_loopback(settings.host) and not token:
        raise ServiceError(f"listening on {settings.host} lets other computers in: give a token with --token "
                           f"or the {TOKEN_ENV} environment variable (clients send it as 'Authorization: Bearer …')")
    if not settings.out_dir.is_dir():
        raise ServiceError(f"no such folder: {settings.out_dir} (run `plantasks extract ... --out {settings.out_dir}` first)")
    return replace(settings, token=token)


# ------------------------------------------------------------------------------------------- guard
class Guard:
    """ASGI middleware run before any route: Host, token, Origin, body size and read timeout."""

    def __init__(self, app, settings: ServiceSettings):
        self.app = app
        self.settings = settings
        self.hosts = host_names(settings)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        problem = self._refusal(scope, headers, host)
        if problem:
            status, code = problem
            return await _send_error(send, status, code)
        cookie = None
        if self.settings.token and _query_token(scope) and scope["method"] == "GET":
            cookie = f"{TOKEN_COOKIE}={self.settings.token}; HttpOnly; SameSite=Strict; Path=/"
        if scope["method"] not in SAFE_METHODS:
            body, status = await self._read_body(headers, receive)
            if status:
                return await _send_error(send, status, "body_too_large" if status == 413 else "read_timeout")
            receive = _replay(body, receive)
        if cookie:
            send = _with_cookie(send, cookie)
        return await self.app(scope, receive, send)

    def _refusal(self, scope, headers: dict, host: str) -> tuple[int, str] | None:
        name = _host_name(host)
        if name not in self.hosts:
            return 403, "forbidden_host"
        if self.settings.token and not self._token_ok(scope, headers):
            return 401, "token_required"
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and (origin == "null" or urlsplit(origin).netloc.lower() != host.lower()):
                return 403, "forbidden_origin"
            if headers.get("sec-fetch-site") in ("cross-site", "same-site"):
                return 403, "forbidden_origin"
            if scope["path"].startswith("/api/") and not headers.get("content-type", "").startswith("application/json"):
                return 415, "json_required"  # a cross-site form cannot send JSON without a preflight
        return None

    def _token_ok(self, scope, headers: dict) -> bool:
        given = []
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            given.append(auth[7:].strip())
        given.append(headers.get("x-plantasks-token", ""))
        for part in headers.get("cookie", "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == TOKEN_COOKIE:
                given.append(value)
        if scope["method"] == "GET":
            given.append(_query_token(scope))
        expected = self.settings.token.encode()
        return any(g and hmac.compare_digest(g.encode(), expected) for g in given)

    async def _read_body(self, headers: dict, receive) -> tuple[bytes, int | None]:
        limit = self.settings.max_body
        try:
            if int(headers.get("content-length") or 0) > limit:
                return b"", 413
        except ValueError:
            return b"", 400
        chunks, size = [], 0
        while True:
            try:
                message = await asyncio.wait_for(receive(), self.settings.read_timeout)
            except asyncio.TimeoutError:
                return b"", 408
            if message["type"] == "http.disconnect":
                return b"", 400
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return b"", 413
            chunks.append(chunk)
            if not message.get("more_body"):
                return b"".join(chunks), None


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _query_token(scope) -> str:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
    return values[-1] if values else ""


def _replay(body: bytes, receive):
    sent = False

    async def replayed():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return replayed


def _with_cookie(send, cookie: str):
    async def sending(message):
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie.encode())]}
        await send(message)
    return sending


async def _send_error(send, status: int, code: str) -> None:
    body = json.dumps({"error": labels()["errors"].get(code, code), "code": code}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})


# -------------------------------------------------------------------------------------------- jobs
class Jobs:
    """Uploads too large to answer at once, extracted one at a time in a background thread. Each job is a row
    of DIR/.plantasks-jobs.sqlite and its bytes are kept under DIR/uploads/ before it is queued, so a job
    survives a restart of the service: those still queued or running are started again."""

    def __init__(self, out_dir: Path, run) -> None:
        self._run = run  # source path (relative to out_dir) -> document id
        self._out_dir = out_dir
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plantasks-job")
        self._db = sqlite3.connect(str(out_dir / JOBS_NAME), check_same_thread=False, isolation_level=None)
        self._db.execute("CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, status TEXT, file TEXT, source TEXT,"
                         " document_id TEXT, error TEXT)")
        for job_id, source in self._db.execute(
                "SELECT id, source FROM jobs WHERE status IN ('queued', 'running')").fetchall():
            self._pool.submit(self._work, job_id, source)

    def submit(self, name: str, data: bytes) -> Job:
        source = keep_upload(self._out_dir, name, data)
        job = Job(id=uuid.uuid4().hex[:16], status="queued", file=name)
        with self._lock:
            self._db.execute("INSERT INTO jobs VALUES (?, 'queued', ?, ?, NULL, NULL)", (job.id, name, source))
        self._pool.submit(self._work, job.id, source)
        return job

    def _work(self, job_id: str, source: str) -> None:
        self._set(job_id, "running")
        try:
            doc_id = self._run(source)
        except Exception as exc:  # noqa: BLE001 - a failed job is reported, the service goes on
            self._set(job_id, "failed", error=f"{type(exc).__name__}: {exc}")
        else:
            self._set(job_id, "done", document_id=doc_id)

    def _set(self, job_id: str, status: str, document_id: str | None = None, error: str | None = None) -> None:
        with self._lock:
            self._db.execute("UPDATE jobs SET status = ?, document_id = ?, error = ? WHERE id = ?",
                             (status, document_id, error, job_id))

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            row = self._db.execute("SELECT id, status, file, document_id, error FROM jobs WHERE id = ?",
                                   (job_id,)).fetchone()
        return Job(id=row[0], status=row[1], file=row[2], document_id=row[3], error=row[4]) if row else None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._db.close()


def safe_file_name(name: str) -> str:
    """A base name safe on any file system (no folders, no control characters, not too long)."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f/:*?\"<>|]", "_", base).strip(" .") or "upload"
    return base[-120:]


def keep_upload(out_dir: Path, name: str, data: bytes) -> str:
    """Keep the uploaded bytes under DIR/uploads/SHA/NAME; returns that path relative to DIR."""
    sha = hashlib.sha256(data).hexdigest()
    folder = out_dir / UPLOADS / sha[:16]
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / safe_file_name(name)
    if not source.exists():  # whole or not at all: a job restarted later reads exactly these bytes
        write_lines_atomic(source, (data,))
    return source.relative_to(out_dir).as_posix()


def extract_upload(out_dir: Path, relative: str, options: ExtractOptions, corrections=None) -> str:
    """Extract a kept upload (with the folder's corrections) and write DIR/NAME.json; returns the document id."""
    source = out_dir / relative
    data = source.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    outcome = extract_bytes(data, relative, replace(options, corrections=options.corrections or corrections))
    write_atomic(out_dir / f"{source.name}.{sha[:8]}.json", outcome.result.model_dump_json(indent=1))
    return outcome.result.document.id


def store_upload(out_dir: Path, name: str, data: bytes, options: ExtractOptions, corrections=None) -> str:
    """Keep the uploaded bytes under DIR/uploads/ and extract them; returns the document id."""
    return extract_upload(out_dir, keep_upload(out_dir, name, data), options, corrections)


# ---------------------------------------------------------------------------------------- cursors
def encode_cursor(key: tuple[str, str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str, str]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if isinstance(key, list) and len(key) == 3 and all(isinstance(k, str) for k in key):
            return tuple(key)
    except ValueError:
        pass
    raise ApiError(HTTPStatus.UNPROCESSABLE_ENTITY, "cursor không hợp lệ (dùng next_cursor của trang trước)",
                   {"field": "cursor"})


# -------------------------------------------------------------------------------------------- app
def create_app(settings: ServiceSettings):
    """The FastAPI application (imported here, so the other commands start without it)."""
    from fastapi import FastAPI, File, Query, Request, UploadFile
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import FileResponse, JSONResponse, Response
    from fastapi.staticfiles import StaticFiles
    from starlette.concurrency import run_in_threadpool

    settings = check_settings(settings)
    out_dir = settings.out_dir
    review = ReviewApp(out_dir, settings.store_path, settings.source_roots)
    from plantasks.cli import StoredCorrections

    stored = StoredCorrections(review.store.path)  # uploads get the folder's corrections, like a re-run
    jobs = Jobs(out_dir, lambda source: extract_upload(out_dir, source, settings.extract, stored))
    app = FastAPI(title="plantasks", version=__version__,
                  description="Task records from Vietnamese government plan decisions, and their review.",
                  responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 413: {"model": ErrorBody}})
    app.add_middleware(Guard, settings=settings)
    app.state.review = review

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        body = {"error": exc.message}
        if isinstance(exc.detail, dict):
            body.update(exc.detail)
        elif exc.detail is not None:
            body["detail"] = exc.detail
        return JSONResponse(body, status_code=int(exc.status))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body",))
        message = f"{labels()['errors']['invalid_payload']}: {where}: {first.get('msg', '')}"
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors]
        return JSONResponse({"error": message, "field": where, "detail": detail}, status_code=422)

    # ---- v1: downstream systems ----------------------------------------------------------------
    @app.post("/v1/documents", status_code=201, tags=["documents"],
              responses={202: {"model": Job, "description": "a large file: poll GET /v1/jobs/{id}"}})
    async def upload(file: Annotated[UploadFile, File(description="a plan: PDF, DOCX, HTML or text")]) -> DocumentSummary:
        data = await file.read()
        name = file.filename or "upload"
        if len(data) > settings.sync_bytes:
            job = await run_in_threadpool(jobs.submit, name, data)
            return JSONResponse(job.model_dump(), status_code=202, headers={"Location": f"/v1/jobs/{job.id}"})
        doc_id = await run_in_threadpool(store_upload, out_dir, name, data, settings.extract, stored)
        review.refresh(force=True)
        return DocumentSummary(**review.summary(review._doc(doc_id)))

    @app.get("/v1/jobs/{job_id}", tags=["documents"])
    def job(job_id: str) -> Job:
        found = jobs.get(job_id)
        if found is None:
            raise ApiError(HTTPStatus.NOT_FOUND, f"không có công việc {job_id!r}")
        if found.status == "done":
            review.refresh(force=True)
        return found

    @app.get("/v1/documents", tags=["documents"], response_model=DocumentList)
    def documents():
        return JSONResponse({"documents": review.documents()})

    @app.get("/v1/documents/{doc_id}", tags=["documents"], response_class=JSONResponse)
    def document(doc_id: str):
        """The document's result (the DOC.json contract) with the live corrections applied; each task also
        carries its `version` and `updated`."""
        data = review.document(doc_id)
        return JSONResponse({"schema_version": SCHEMA_VERSION, "document": data["document"], "tasks": data["tasks"],
                             "warnings": data["warnings"]})

    @app.get("/v1/tasks", tags=["tasks"], response_model=TaskPage)
    def tasks(document: str | None = None, flag: str | None = None,
              updated_since: Annotated[str | None, Query(description="ISO 8601 UTC time: tasks changed at or after it")] = None,
              cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=PAGE_LIMIT)] = 200):
        """Tasks in the order they changed, corrections applied. Page with `next_cursor`; on the last page keep
        `sync_cursor` and pass it as `cursor` next time to get exactly the tasks changed since. A task removed
        since (deleted by an analyst, dropped by a new extraction, its document gone) comes as
        `{document_id, id, deleted: true, updated}`."""
        keys, where = review.changes()
        start = bisect.bisect_right(keys, decode_cursor(cursor)) if cursor else 0
        if updated_since:
            start = max(start, bisect.bisect_left(keys, (updated_since,)))
        page, more = [], False
        for at in range(start, len(keys)):
            key, found = keys[at], where[at]
            if found is None:  # removed: reported unless the caller asks for a flag
                item = None if flag else {"document_id": key[1], "id": key[2], "deleted": True, "updated": key[0]}
            else:
                doc, i = found
                task = doc.tasks[i]
                item = None if flag and flag not in task["flags"] else \
                    {"document_id": key[1], "source_file": doc.summary["source_file"], **task}
            if item is None or (document and key[1] != document):
                continue
            if len(page) == limit:
                more = True
                break
            page.append((key, item))
        body = {"tasks": [item for _, item in page],
                "next_cursor": encode_cursor(page[-1][0]) if more else None,
                "sync_cursor": None if more else (encode_cursor(keys[-1]) if keys and start < len(keys) else cursor)}
        return JSONResponse(body)

    # ---- the review page ------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    @app.get("/api/documents", tags=["review"], response_model=list[DocumentSummary])
    def api_documents():
        return JSONResponse(review.documents())

    @app.get("/api/labels", tags=["review"])
    def api_labels() -> dict:
        return labels()

    @app.get("/api/queue", tags=["review"], response_class=JSONResponse)
    def api_queue(document: str | None = None, flag: str | None = None, agency: str | None = None,
                  area: str | None = None, q: str | None = None,
                  limit: Annotated[int, Query(ge=1, le=2000)] = 300) -> dict:
        return JSONResponse(review.queue(document or None, flag or None, agency or None, area or None, q or None, limit))

    @app.get("/api/document", tags=["review"], response_class=JSONResponse)
    def api_document(doc: str):
        return JSONResponse(review.document(doc))

    @app.get("/api/source", tags=["review"])
    def api_source(doc: str, task: str) -> dict:
        return review.source(doc, task)

    @app.get("/api/page", tags=["review"])
    def api_page(doc: str, page: Annotated[int, Query(ge=1, le=10_000)] = 1):
        return Response(review.page_png(doc, page), media_type="image/png", headers={"Cache-Control": "no-store"})

    @app.get("/api/agencies", tags=["review"])
    def api_agencies(q: Annotated[str, Query(max_length=200)] = "", doc: str | None = None) -> dict:
        return {"names": review.agencies(q, doc)}

    @app.get("/api/deadline", tags=["review"])
    def api_deadline(doc: str, text: Annotated[str, Query(max_length=2000)] = "") -> dict:
        return review.deadline(doc, text)

    @app.post("/api/save", tags=["review"], responses={409: {"description": "a task changed since it was loaded"}})
    def api_save(body: SaveIn):
        edits = [{"task": e.task, "version": e.version, "fields": e.fields.given(), "accepted": e.accepted}
                 for e in body.edits]
        added = [{"after": a.after, "fields": a.fields.given()} for a in body.added]
        deleted = [{"task": d, "version": None} if isinstance(d, str) else {"task": d.task, "version": d.version}
                   for d in body.deleted]
        return JSONResponse(review.save(body.doc, body.who.strip(), body.note, edits, added, deleted))

    @app.post("/api/withdraw", tags=["review"])
    def api_withdraw(body: WithdrawIn):
        return JSONResponse(review.withdraw(body.doc, list(body.ids), body.who.strip()))

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def serve(settings: ServiceSettings, open_browser: bool = False) -> int:
    """Run the application with uvicorn until Ctrl+C; prints the address it listens on."""
    import sys

    import uvicorn

    app = create_app(settings)
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning",
                            timeout_keep_alive=5, limit_concurrency=64, h11_max_incomplete_event_size=64 * 1024)
    server = uvicorn.Server(config)

    def announce() -> None:
        while not server.started:
            if server.should_exit:
                return
            threading.Event().wait(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        host = f"[{settings.host}]" if ":" in settings.host else settings.host
        url = f"http://{host}:{port}/"
        print(f"plantasks: serving {settings.out_dir} at {url}  (API docs: {url}docs; Ctrl+C to stop)",
              file=sys.stderr, flush=True)
        if open_browser:
            import webbrowser

            webbrowser.open(url + (f"?token={settings.token}" if settings.token else ""))
    threading.Thread(target=announce, daemon=True).start()
    server.run()
    return 0


def settings_from_args(args) -> ServiceSettings:
    return ServiceSettings(out_dir=args.dir, host=args.host, port=args.port, token=args.token,
                           store_path=args.corrections, source_roots=tuple(args.source),
                           allowed_hosts=tuple(args.allow_host), max_body=int(args.max_body_mb * 2**20),
                           read_timeout=args.read_timeout, sync_bytes=args.sync_kb * 1024)


def cmd_serve(args, open_browser: bool = False) -> int:
    import sys

    from plantasks.review.store import StoreError

    try:
        return serve(settings_from_args(args), open_browser=open_browser)
    except (ServiceError, StoreError) as exc:
        print(f"plantasks: {exc}", file=sys.stderr)
        return 2
