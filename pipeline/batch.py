"""Many documents -> one output folder that is one dataset.

The folder's catalogue (pipeline.catalogue) records every document; a run
1. walks the inputs (unreadable folders, broken links and symlink loops are reported, not skipped silently),
2. skips documents whose bytes, tool version and vocabularies match the catalogue (`unchanged`) and
   records inputs with the same bytes as another as `duplicate`,
3. extracts the rest in parallel worker processes (or on a Dask cluster), streaming results back,
4. writes each document's JSON and its catalogue row as soon as it is done (a killed run resumes),
5. regenerates `tasks.jsonl` and `documents.jsonl` from the catalogue and writes `run.json`.
One bad file, an unwritable output or a worker lost never stops the rest; a full disk stops the run
cleanly with a summary.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import json
import os
import signal
import sys
import tempfile
import time
import traceback
import uuid
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from plantasks import SCHEMA_VERSION, __version__
from plantasks.data_files import vocab_version
from plantasks.pipeline.catalogue import FINISHED, Catalogue, Row, utc_now

if TYPE_CHECKING:  # the stages load on first use, so `plantasks --help` and the service start fast
    from plantasks.pipeline.options import Corrections, ExtractOptions

SKIP_SUFFIXES = {".json", ".jsonl", ".sqlite", ".sqlite-wal", ".sqlite-shm", ".yaml", ".yml", ".tmp"}
MAX_NAME_BYTES = 180  # output names stay well under the usual 255-byte file-name limit (temp prefix/suffix included)
SHIP_BYTES_UNDER = 16 * 2**20  # to a Dask cluster, smaller files travel as bytes; larger ones by path
SMALL_BATCH = 16  # fewer documents to extract than this run in this process, without worker processes


# ---------------------------------------------------------------- inputs


def display(path: str | Path) -> str:
    """A path as text that can always be printed and stored: undecodable bytes escaped as \\xNN."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


@dataclass
class Inputs:
    files: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # unreadable folders, broken links, symlink loops


def walk_inputs(paths: Iterable[Path]) -> Inputs:
    """Files as given, folders walked (hidden files and our own outputs skipped), following links once."""
    out = Inputs()
    for path in paths:
        if path.is_dir():
            _walk(path, out)
        elif path.is_file():
            out.files.append(path)
        elif path.is_symlink():
            out.problems.append(f"broken link, skipped: {display(path)}")
        else:
            out.missing.append(display(path))
    out.files = list(dict.fromkeys(out.files))
    return out


def _walk(root: Path, out: Inputs) -> None:
    seen: set[tuple[int, int]] = set()

    def unreadable(err: OSError) -> None:
        out.problems.append(f"cannot read folder, skipped: {display(err.filename)} ({err.strerror.lower()})")

    for folder, dirs, files in os.walk(root, onerror=unreadable, followlinks=True):
        st = os.stat(folder)
        if (st.st_dev, st.st_ino) in seen:
            out.problems.append(f"symlink loop, skipped: {display(folder)}")
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or Path(name).suffix.lower() in SKIP_SUFFIXES:
                continue
            path = Path(folder, name)
            if path.is_file():
                out.files.append(path)
            elif path.is_symlink():
                out.problems.append(f"broken link, skipped: {display(path)}")


def output_name(path: Path) -> str:
    """NAME.EXT.json; names too long for the file system are shortened and tagged with a hash."""
    name = display(path.name) + ".json"
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    tag = hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]
    head = name.encode("utf-8")[: MAX_NAME_BYTES - 20].decode("utf-8", "ignore")
    return f"{head}~{tag}.json"


# ---------------------------------------------------------------- files


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


_UMASK = _umask()


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half a file.
    The file gets the mode a plain open() would give (0666 minus the umask), not mkstemp's 0600."""
    write_lines_atomic(path, (text,))


@dataclass(frozen=True)
class Span:
    """`length` bytes at `start` of the open file `fd`: a piece `write_lines_atomic` copies file to file."""
    fd: int
    start: int
    length: int


def write_lines_atomic(path: Path, pieces: Iterable[str | bytes | Span]) -> None:
    """`write_atomic` for text given piece by piece (a large export is never held whole in memory;
    bytes are UTF-8 text already); a `Span` is copied from another file by the kernel, never passing
    through Python."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)
        buffer: list[bytes] = []
        held = 0
        for piece in pieces:
            if isinstance(piece, Span):
                _write_all(fd, b"".join(buffer))
                buffer, held = [], 0
                _copy_span(piece, fd)
                continue
            data = piece if isinstance(piece, bytes) else piece.encode("utf-8")
            buffer.append(data)
            held += len(data)
            if held >= 1 << 20:
                _write_all(fd, b"".join(buffer))
                buffer, held = [], 0
        _write_all(fd, b"".join(buffer))
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _copy_span(span: Span, fd: int) -> None:
    start, left = span.start, span.length
    try:
        while left:  # in the kernel (a reflink on file systems that have them)
            copied = os.copy_file_range(span.fd, fd, left, start)
            if not copied:
                break
            start, left = start + copied, left - copied
    except (AttributeError, OSError):  # not Linux, or a pair of file systems it cannot copy between
        pass
    while left:
        data = os.pread(span.fd, min(left, 1 << 20), start)
        if not data:
            raise OSError(errno.EIO, "the previous tasks.jsonl is shorter than the catalogue says")
        _write_all(fd, data)
        start, left = start + len(data), left - len(data)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- one document (runs in a worker)


@dataclass
class Job:
    source: str  # printable path, the document's source_file and catalogue key
    path: str  # the real path (may hold undecodable bytes)
    data: bytes | None = None  # bytes shipped with the job (to a Dask worker)
    target: str | None = None  # where the worker itself writes a finished document's JSON (local runs)


@dataclass
class Done:
    source: str
    sha256: str
    status: str  # success, partial, failed, timeout
    document_id: str
    result_json: str
    task_lines: bytes  # the document's tasks.jsonl lines, UTF-8 (encoded by the worker, stored as they are)
    tasks: int
    warnings: list[dict]
    timings: dict[str, float]
    unknown_agency_rate: float | None
    answers: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # slow tools' answers it needed, by model
    unwritable: OSError | None = None  # why the worker could not write `Job.target` (result_json is then kept)


class DocumentTimeout(BaseException):
    """Not an Exception: the stage runner turns Exceptions into warnings, a timeout must stop the document."""


def process(job: Job, options: ExtractOptions, timeout: float | None = None) -> Done:
    """Read and extract one document; every failure is a result, never an exception."""
    from plantasks.normalizers import answers
    from plantasks.parsers.blocks import ReaderError
    from plantasks.parsers.read import read_limited
    from plantasks.pipeline.extract import extract_bytes

    data = job.data
    try:
        with _time_limit(timeout):
            if data is None:
                data = read_limited(Path(job.path), options.read)
            outcome = extract_bytes(data, job.source, options)
    except ReaderError as err:
        return _failed(job, data, "failed", err.code, err.message)
    except DocumentTimeout:
        return _failed(job, data, "timeout", "timeout", f"gave up after {timeout:g} s; raise --timeout to let it finish")
    except MemoryError:
        return _failed(job, data, "failed", "out_of_memory",
                       "ran out of memory on this document; lower --max-pages or --workers, or raise --max-mb only for trusted files")
    except OSError as err:
        return _failed(job, data, "failed", "unreadable", f"cannot read the file: {(err.strerror or str(err)).lower()}")
    except Exception as err:  # noqa: BLE001 - a batch must survive any single document
        where = traceback.extract_tb(err.__traceback__)[-1]
        return _failed(job, data, "failed", "internal_error",
                       f"{type(err).__name__}: {err} (at {Path(where.filename).name}:{where.lineno})")
    result = outcome.result
    doc = result.document
    lines = "".join(json.dumps({"document_id": doc.id, "source_file": doc.source_file, **t.model_dump(mode="json")},
                               ensure_ascii=False) + "\n" for t in result.tasks).encode("utf-8")
    done = Done(job.source, doc.sha256, doc.status, doc.id, result.model_dump_json(indent=1), lines, len(result.tasks),
                [w.model_dump(mode="json", exclude_none=True) for w in result.warnings], outcome.timings,
                unknown_rate(result), answers.collect())
    if job.target and done.status in FINISHED:
        _write_here(done, Path(job.target))
    return done


def _write_here(done: Done, target: Path) -> None:
    """A finished document's JSON written by the process that made it, so the run's one writer of the
    catalogue only records it (and the JSON never crosses between processes). A worker ended mid-write
    (Ctrl-C, a stopped run) finishes the file first: no temporary file is left behind."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        write_atomic(target, done.result_json)
        done.result_json = ""
    except OSError as err:
        done.unwritable = err
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _failed(job: Job, data: bytes | None, status: str, code: str, message: str) -> Done:
    from plantasks.schemas import DocumentMeta, DocumentResult, Warning

    sha = hashlib.sha256(data).hexdigest() if data is not None else _sha_or_name(job)
    meta = DocumentMeta(id=sha[:16], source_file=job.source, sha256=sha, status="failed")
    result = DocumentResult(document=meta, warnings=[Warning(code=code, message=message)])
    return Done(job.source, sha, status, meta.id, result.model_dump_json(indent=1), b"", 0,
                [{"code": code, "message": message}], {}, None)


def _sha_or_name(job: Job) -> str:
    try:
        return sha256_file(Path(job.path))
    except OSError:
        return hashlib.sha256(job.source.encode()).hexdigest()


class _time_limit:
    """Gives up on a document after `seconds` by raising DocumentTimeout in the thread running it: in a
    process's main thread with SIGALRM (which also cuts a blocked system call short); in any other
    thread (a Dask worker runs tasks in a thread pool) from a watcher thread, at the thread's next
    Python step. Raised again every half second until the document stops, in case library code
    swallowed it."""

    AGAIN = 0.5

    def __init__(self, seconds: float | None):
        self.seconds = seconds or None
        self.watcher = None

    def __enter__(self):
        import threading

        if not self.seconds:
            return
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, self.seconds, self.AGAIN)
            return
        self.thread, self.lock, self.over = threading.get_ident(), threading.Lock(), threading.Event()
        self.watcher = threading.Thread(target=self._watch, name="plantasks-timeout", daemon=True)
        self.watcher.start()

    def __exit__(self, *exc):
        if not self.seconds:
            return
        if self.watcher is None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
            return
        with self.lock:
            self.over.set()
            _raise_in(self.thread, None)  # one raised too late for this document is withdrawn

    def _watch(self) -> None:
        wait = self.seconds
        while not self.over.wait(wait):
            with self.lock:
                if not self.over.is_set():
                    _raise_in(self.thread, DocumentTimeout)
            wait = self.AGAIN

    @staticmethod
    def _expired(signum, frame):
        raise DocumentTimeout()


def _raise_in(thread: int, exception: type[BaseException] | None) -> None:
    """Have `thread` raise `exception` at its next Python step (None: withdraw a pending one)."""
    import ctypes

    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(exception) if exception else None)


def unknown_rate(result) -> float | None:
    mentions = [a for t in result.tasks for a in (*t.lead, *t.support)]
    if not mentions:
        return None
    return round(sum(a.kind == "unknown" for a in mentions) / len(mentions), 4)


def _worker_init() -> None:
    """Workers leave Ctrl-C to the parent (no traceback per worker) and run Tesseract single-threaded."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["OMP_THREAD_LIMIT"] = "1"


# ---------------------------------------------------------------- the run


@dataclass
class DocumentReport:
    file: str
    output: str
    status: str  # success, partial, failed, timeout, duplicate, unchanged
    tasks: int
    warnings: list[dict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    unknown_agency_rate: float | None = None
    kept_previous_output: bool = False
    duplicate_of: str | None = None


@dataclass
class RunReport:
    started: str
    argv: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    tasks: int = 0
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    attention: list[DocumentReport] = field(default_factory=list)  # partial, failed, timeout: for the summary
    stopped: str = ""  # why the run stopped early (disk full, interrupted)
    documents_file: Path | None = None  # this run's per-document lines (streamed, not kept in memory)

    @property
    def failed(self) -> int:
        return self.counts.get("failed", 0) + self.counts.get("timeout", 0) + len(self.missing)

    def add(self, doc: DocumentReport, sink) -> None:
        self.counts[doc.status] = self.counts.get(doc.status, 0) + 1
        self.tasks += doc.tasks
        for stage, seconds in doc.timings.items():
            self.stage_seconds[stage] = round(self.stage_seconds.get(stage, 0.0) + seconds, 4)
        if doc.status in ("partial", "failed", "timeout"):
            self.attention.append(replace(doc, warnings=[headline(doc.warnings)] if doc.warnings else [], timings={}))
        sink.write(json.dumps(vars(doc), ensure_ascii=False) + "\n")  # (asdict would deep-copy every report)


_STATUS_CODES = ("no_task_table", "no_tasks", "truncated")  # the warnings that make a document partial


def headline(warnings: list[dict]) -> dict | None:
    """The warning that explains the document's status (a failure, or why it is partial), else the first."""
    return next((w for w in warnings if w["code"] in _STATUS_CODES), warnings[0] if warnings else None)


class DiskFull(Exception):
    pass


class Interrupted(Exception):
    def __init__(self, report: RunReport):
        super().__init__("interrupted")
        self.report = report


def run_batch(inputs: list[Path], out_dir: Path, options: ExtractOptions, argv: list[str],
              missing: list[str] = (), progress: bool = True, workers: int | None = 1, force: bool = False,
              timeout: float | None = None, scheduler: str | None = None, problems: list[str] = ()) -> RunReport:
    """Process `inputs` into `out_dir`; see the module doc. Raises Interrupted on Ctrl-C (after saving)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    catalogue = Catalogue(out_dir)
    run_id = uuid.uuid4().hex[:12]
    started_at = time.perf_counter()
    report = RunReport(started=datetime.now(timezone.utc).isoformat(timespec="seconds"), argv=list(argv),
                       missing=list(missing), problems=list(problems))
    catalogue.start_run(run_id, report.started, json.dumps(report.argv, ensure_ascii=False))
    fd, lines_path = tempfile.mkstemp(dir=out_dir, prefix=".run-", suffix=".tmp")
    report.documents_file = Path(lines_path)
    sink = os.fdopen(fd, "w", encoding="utf-8")
    writer = _Writer(catalogue, out_dir, run_id, report, sink, options.corrections, workers_write=not scheduler)
    bar = _Progress(len(inputs), progress)
    interrupted = False
    results = None
    thawed = gc.get_freeze_count() == 0  # (what settle() freezes is given back to the collector at the end)
    try:
        for gone in catalogue.forget_missing():
            if gone.output and not catalogue.db.execute("SELECT 1 FROM outputs WHERE name = ?", (gone.output,)).fetchone():
                (out_dir / gone.output).unlink(missing_ok=True)
        jobs = writer.plan(inputs, force, bar)
        first = list(islice(jobs, SMALL_BATCH))
        if first:
            _recall_answers(catalogue)
        many = len(first) >= SMALL_BATCH
        if not many:
            workers = 1  # a few changed documents: quicker here than starting workers that each load the models
        jobs = chain(first, jobs)
        if workers and workers > 1 or scheduler:
            options = _per_worker(options, workers)
        try:
            if scheduler:
                from plantasks.pipeline.cluster import run_on_cluster

                results = run_on_cluster(jobs, options, scheduler, timeout)
            elif workers and workers > 1:
                results = _run_pool(jobs, options, workers, timeout)
            else:
                results = _run_here(jobs, options, timeout, long_run=many)
            for done in results:
                bar.step(done.source)
                writer.write(done)
        except DiskFull as err:
            report.stopped = str(err)
    except KeyboardInterrupt:
        interrupted = True
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the saving short
        report.stopped = "interrupted"
    finally:
        if results is not None and hasattr(results, "close"):
            results.close()  # end the workers now, before the exports are written
        bar.close()
        sink.close()
        try:
            export(catalogue, out_dir)
            counts = {"documents": sum(report.counts.values()), "tasks": report.tasks, **report.counts}
            catalogue.finish_run(run_id, json.dumps(counts))
            write_run_json(out_dir / "run.json", report, time.perf_counter() - started_at)
        except OSError as err:
            report.stopped = report.stopped or f"cannot write the run summary: {(err.strerror or str(err)).lower()}"
        finally:
            catalogue.close()
            if thawed:
                gc.unfreeze()
    if interrupted:
        raise Interrupted(report)
    return report


def _recall_answers(catalogue: Catalogue) -> None:
    """The slow tools' answers found by earlier runs into the folder (workers forked later inherit them)."""
    from plantasks.normalizers import answers
    from plantasks.normalizers.agencies import spot  # noqa: F401 (its tool's answers are kept too)

    answers.recall(catalogue.answers)


def _per_worker(options: ExtractOptions, workers: int | None) -> ExtractOptions:
    """OCR pages share the cores with the other documents' workers instead of each taking them all."""
    cores = os.cpu_count() or 1
    if options.read.ocr_workers is not None:
        return options
    return replace(options, read=replace(options.read, ocr_workers=max(1, cores // max(workers or 1, 1))))


def settle() -> None:
    """Once a document has loaded what every document needs (vocabularies, registry, models), those
    objects stay for the whole run: moved out of the garbage collector's reach, its collections scan
    only the documents' own objects, and workers forked afterwards keep sharing those pages with the
    parent instead of copying them when a collection touches them."""
    gc.collect()
    gc.freeze()


def _run_here(jobs: Iterator[Job], options: ExtractOptions, timeout: float | None, long_run: bool) -> Iterator[Done]:
    """The documents one after the other in this process (settled after the first in a long run)."""
    for k, job in enumerate(jobs):
        yield process(job, options, timeout)
        if long_run and k == 0:
            settle()


def _run_pool(jobs: Iterator[Job], options: ExtractOptions, workers: int, timeout: float | None) -> Iterator[Done]:
    """Stream jobs through a process pool, at most 2 per worker in flight (memory stays flat). A worker
    that dies (killed, out of memory) fails only the documents it may have held; the pool is rebuilt."""
    import multiprocessing

    window = workers * 2
    pending: dict = {}
    retried: set[str] = set()
    jobs = iter(jobs)
    if multiprocessing.get_start_method() == "fork":
        # the first document runs here: vocabularies, registry and models load once, and forked workers inherit them
        first = next(jobs, None)
        if first is not None:
            yield process(first, options, timeout)
            settle()
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < window:
                job = next(jobs, None)
                if job is None:
                    exhausted = True
                    break
                pending[pool.submit(process, job, options, timeout)] = job
            if not pending:
                return
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken: list[Job] = []
            for future in finished:
                job = pending.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken.append(job)
            if broken:
                broken += list(pending.values())
                pending.clear()
                _stop(pool)
                pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
                for job in broken:
                    if job.source in retried:
                        yield _failed(job, None, "failed", "worker_died",
                                      "the worker process reading this document died (out of memory or killed); "
                                      "lower --workers or --max-pages and run again")
                    else:
                        retried.add(job.source)
                        pending[pool.submit(process, job, options, timeout)] = job
    finally:
        _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now (documents in flight are redone next run).
    The workers are taken before `shutdown`, which forgets them."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in workers:
        if proc.is_alive():
            proc.terminate()
    for proc in workers:
        proc.join(timeout=5)


class _Writer:
    """The client side: decides what to do per input, then writes outputs and catalogue rows."""

    def __init__(self, catalogue: Catalogue, out_dir: Path, run_id: str, report: RunReport, sink, store: Corrections | None,
                 workers_write: bool = True):
        self.catalogue, self.out_dir, self.run_id, self.report, self.sink = catalogue, out_dir, run_id, report, sink
        self.workers_write = workers_write  # (not on a cluster, whose workers may not see this folder)
        self.tool, self.vocab = __version__, vocab_version()
        self.store = store
        self.stats: dict[str, tuple[int, int]] = {}
        self.names: dict[str, str] = {}

    def plan(self, inputs: list[Path], force: bool, bar: "_Progress") -> Iterator[Job]:
        """Yields the jobs to run; records unchanged and duplicate inputs on the way."""
        sources = {display(p.absolute()): p for p in inputs}
        self.names = self.catalogue.reserve_outputs({s: output_name(p) for s, p in sources.items()})
        seen: dict[str, str] = {}  # sha256 -> the source standing for those bytes in this run
        planned: dict[str, str] = {}  # source -> its sha256 now (jobs run later, after more inputs are planned)
        known = self.catalogue.by_source()
        for source, path in sources.items():
            job = Job(source, str(path.absolute()), target=str(self.out_dir / self.names[source]) if self.workers_write else None)
            try:
                st = os.stat(path)
            except OSError:
                yield job  # the worker says why it cannot read it
                continue
            self.stats[source] = (st.st_size, st.st_mtime_ns)
            old = known.get(source)
            current = old is not None and old.tool_version == self.tool and old.vocab_version == self.vocab \
                and (old.status in FINISHED or old.status == "duplicate") \
                and old.corrections == self.corrections_of(old.sha256, source)
            if current and not force and (old.size, old.mtime_ns) == (st.st_size, st.st_mtime_ns):
                sha = old.sha256
            else:
                try:
                    sha = sha256_file(path)
                except OSError:
                    yield job
                    continue
            planned[source] = sha
            if current and not force and old.sha256 == sha:
                if (old.size, old.mtime_ns) != (st.st_size, st.st_mtime_ns):
                    self.catalogue.touch(source, st.st_size, st.st_mtime_ns)
                original = known.get(old.duplicate_of or "") if old.status == "duplicate" else None
                if old.status != "duplicate" or (original is not None and original.status in FINISHED
                                                 and planned.get(original.source_path, original.sha256) == old.sha256):
                    bar.step(source)
                    self.report.add(DocumentReport(source, old.output, "unchanged", 0, duplicate_of=old.duplicate_of), self.sink)
                    seen.setdefault(sha, old.duplicate_of or source)
                    continue
            # (a catalogued original whose bytes changed in this run is one no longer)
            original = (seen.get(sha) or next((o for o in self.catalogue.originals_of(sha, source)
                                               if planned.get(o, sha) == sha), None)) if st.st_size else None
            if original and original != source:  # (empty files are each reported, not duplicates)
                self._duplicate(source, sha, original)
                bar.step(source)
                continue
            seen[sha] = source
            yield job

    def corrections_of(self, sha: str, source: str) -> str:
        """Fingerprint of the live corrections for this document ("" without a store)."""
        return self.store.fingerprint(sha, source) if self.store is not None else ""

    def _duplicate(self, source: str, sha: str, original: str) -> None:
        size, mtime = self.stats.get(source, (-1, -1))
        self.catalogue.record(Row(source, sha, size, mtime, self.tool, self.vocab, "", "duplicate", original, "", "", 0, 0,
                                  f"same bytes as {original}", "", utc_now(), self.run_id), None)
        self.report.add(DocumentReport(source, "", "duplicate", 0, duplicate_of=original), self.sink)

    def write(self, done: Done) -> None:
        name = self.names.get(done.source) or output_name(Path(done.source))
        target = self.out_dir / name
        old = self.catalogue.get(done.source)
        keep = done.status not in FINISHED and old is not None and old.status in FINISHED
        first = headline(done.warnings)
        message = f"{first['code']}: {first['message']}" if first else ""
        if done.unwritable is not None:
            self._unwritable(done, name, done.unwritable)
            return
        if not keep and done.result_json:  # (empty: the worker wrote it)
            try:
                write_atomic(target, done.result_json)
            except OSError as err:
                self._unwritable(done, name, err)
                return
        size, mtime = self.stats.get(done.source, (-1, -1))
        row = Row(done.source, done.sha256, size, mtime, self.tool, self.vocab,
                  self.corrections_of(done.sha256, done.source) if done.status in FINISHED else "", done.status, None,
                  name, done.document_id,
                  done.tasks, len(done.warnings), message, "", utc_now(), self.run_id)
        self.catalogue.record(row, done.task_lines if done.status in FINISHED else None, done.answers)
        self.report.add(DocumentReport(done.source, name, done.status, done.tasks, done.warnings, done.timings,
                                       done.unknown_agency_rate, kept_previous_output=keep), self.sink)

    def _unwritable(self, done: Done, name: str, err: OSError) -> None:
        reason = (err.strerror or str(err)).lower()
        code = {errno.ENOSPC: "disk_full", errno.EDQUOT: "disk_full", errno.EROFS: "read_only",
                errno.EACCES: "permission_denied", errno.EPERM: "permission_denied"}.get(err.errno, "write_error")
        message = f"cannot write {name} in {display(self.out_dir)}: {reason}"
        warning = [{"code": code, "message": message}]
        self.report.add(DocumentReport(done.source, name, "failed", 0, warning, done.timings), self.sink)
        if code == "disk_full":
            raise DiskFull(f"the disk holding {display(self.out_dir)} is full: free some space and run the same "
                           "command again (finished documents are kept)")


def export(catalogue: Catalogue, out_dir: Path) -> None:
    """tasks.jsonl and documents.jsonl for the whole folder, from the catalogue, under its write lock
    (concurrent runs export one after the other). When nothing changed since the last export they are
    left as they are; otherwise the lines of documents unchanged since are copied from the current
    tasks.jsonl (checked against the stat the catalogue recorded) and only the others read from it."""
    tasks, documents = out_dir / "tasks.jsonl", out_dir / "documents.jsonl"
    with catalogue.transaction():
        recorded = (catalogue.state("tasks.jsonl"), catalogue.state("documents.jsonl"))
        if recorded[0] is not None and recorded == (_stat_key(tasks), _stat_key(documents)) \
                and catalogue.state("changes") == catalogue.state("exported"):
            return
        try:
            previous = os.open(tasks, os.O_RDONLY)
        except OSError:
            previous = -1
        try:
            if previous >= 0 and _stat_key(previous) != recorded[0]:
                os.close(previous)
                previous = -1  # written or edited by something else: regenerated whole
            places: list[tuple[str, int, int]] = []
            write_lines_atomic(tasks, _task_pieces(catalogue, previous, places))
        finally:
            if previous >= 0:
                os.close(previous)
        write_lines_atomic(documents, _document_lines(catalogue))
        catalogue.mark_exported(places)
        catalogue.set_state("tasks.jsonl", _stat_key(tasks))
        catalogue.set_state("documents.jsonl", _stat_key(documents))


def _task_pieces(catalogue: Catalogue, previous: int, places: list[tuple[str, int, int]]) -> Iterator[bytes | Span]:
    """tasks.jsonl in source-path order; runs of unchanged documents are one Span of the previous file."""
    at = 0
    run: Span | None = None
    for source, place in catalogue.exported_sources():
        if place is not None and previous >= 0:
            start, length = place
            if run is not None and run.start + run.length == start:
                run = Span(previous, run.start, run.length + length)
            else:
                if run is not None:
                    yield run
                run = Span(previous, start, length)
        else:
            if run is not None:
                yield run
                run = None
            text = catalogue.lines_of(source)
            length = len(text)
            yield text
        places.append((source, at, length))
        at += length
    if run is not None:
        yield run


def _document_lines(catalogue: Catalogue) -> Iterator[str]:
    from plantasks.schemas import CatalogueRow

    for row in catalogue.rows():
        yield CatalogueRow(**vars(row)).model_dump_json() + "\n"


def _stat_key(file: Path | int) -> str | None:
    """What identifies one written version of an export (a rewrite or an edit changes it)."""
    try:
        st = os.stat(file)
    except OSError:
        return None
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


def write_run_json(path: Path, report: RunReport, seconds: float) -> None:
    """run.json: the last run, its documents streamed from the run's line file (never all in memory)."""
    head = {
        "plantasks_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "vocab_version": vocab_version(),
        "started": report.started,
        "seconds": round(seconds, 3),
        "argv": report.argv,
        "stopped": report.stopped or None,
        "counts": {"documents": sum(report.counts.values()), "tasks": report.tasks,
                   "missing_inputs": len(report.missing), **{f"status_{k}": v for k, v in sorted(report.counts.items())}},
        "stage_seconds": report.stage_seconds,
        "missing_inputs": report.missing,
        "input_problems": report.problems,
    }

    def lines() -> Iterator[str]:
        yield json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "documents": [\n'
        first = True
        if report.documents_file and report.documents_file.exists():
            with open(report.documents_file, encoding="utf-8") as fh:
                for line in fh:
                    yield ("" if first else ",\n") + "  " + line.rstrip("\n")
                    first = False
        yield "\n ]\n}\n"

    try:
        write_lines_atomic(path, lines())
    finally:
        if report.documents_file:
            report.documents_file.unlink(missing_ok=True)


class _Progress:
    """tqdm bar naming the file just finished; silent when disabled or for a single input."""

    def __init__(self, total: int, enabled: bool):
        self.bar = None
        if enabled and total > 1:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc="plans", unit="doc", file=sys.stderr)

    def step(self, source: str) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(Path(source).name[-40:], refresh=False)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
