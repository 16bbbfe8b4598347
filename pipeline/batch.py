"""Many documents -> output folder: one JSON per input, tasks.jsonl, run.json; one bad file never stops the rest."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from plantasks import SCHEMA_VERSION, __version__
from plantasks.pipeline.extract import ExtractOptions, Outcome, extract_file
from plantasks.schemas import DocumentMeta, DocumentResult, Warning

SKIP_SUFFIXES = {".json", ".jsonl", ".sqlite", ".sqlite-wal", ".sqlite-shm", ".md", ".yaml", ".yml"}


def collect_inputs(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Files as given, folders walked (hidden files and our own outputs skipped); missing paths reported."""
    found: list[Path] = []
    missing: list[str] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and _wanted(p, path))
        elif path.is_file():
            found.append(path)
        else:
            missing.append(str(path))
    return list(dict.fromkeys(found)), missing


def _wanted(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return not any(p.startswith(".") for p in parts) and path.suffix.lower() not in SKIP_SUFFIXES


def output_names(inputs: list[Path]) -> dict[Path, str]:
    """NAME.EXT.json per input; inputs sharing a name get a short path hash so none overwrites another."""
    counts: dict[str, int] = {}
    for p in inputs:
        counts[p.name] = counts.get(p.name, 0) + 1
    names = {}
    for p in inputs:
        if counts[p.name] > 1:
            tag = hashlib.sha1(str(p.resolve()).encode()).hexdigest()[:8]
            names[p] = f"{p.name}.{tag}.json"
        else:
            names[p] = f"{p.name}.json"
    return names


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class DocumentReport:
    file: str
    output: str
    status: str
    tasks: int
    warnings: list[dict]
    timings: dict[str, float]
    unknown_agency_rate: float | None
    kept_previous_output: bool = False


@dataclass
class RunReport:
    started: str
    argv: list[str]
    documents: list[DocumentReport] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(d.status == "failed" for d in self.documents) + len(self.missing)

    def to_json(self, seconds: float) -> str:
        statuses: dict[str, int] = {}
        for d in self.documents:
            statuses[d.status] = statuses.get(d.status, 0) + 1
        stage_totals: dict[str, float] = {}
        for d in self.documents:
            for k, v in d.timings.items():
                stage_totals[k] = round(stage_totals.get(k, 0.0) + v, 4)
        body = {
            "plantasks_version": __version__,
            "schema_version": SCHEMA_VERSION,
            "started": self.started,
            "seconds": round(seconds, 3),
            "argv": self.argv,
            "counts": {"documents": len(self.documents), "tasks": sum(d.tasks for d in self.documents),
                       "warnings": sum(len(d.warnings) for d in self.documents), "missing_inputs": len(self.missing),
                       **{f"status_{k}": v for k, v in sorted(statuses.items())}},
            "stage_seconds": stage_totals,
            "missing_inputs": self.missing,
            "documents": [vars(d) for d in self.documents],
        }
        return json.dumps(body, ensure_ascii=False, indent=1)


def unknown_rate(result: DocumentResult) -> float | None:
    mentions = [a for t in result.tasks for a in (*t.lead, *t.support)]
    if not mentions:
        return None
    return round(sum(a.kind == "unknown" for a in mentions) / len(mentions), 4)


def safe_extract(path: Path, options: ExtractOptions) -> Outcome:
    """Any unexpected error becomes a failed document with the reason, never a stopped batch."""
    try:
        return extract_file(path, options)
    except MemoryError:
        return _failed(path, "out_of_memory", "ran out of memory reading this document; try --max-pages")
    except Exception as err:  # noqa: BLE001 - a batch must survive any single document
        where = traceback.extract_tb(err.__traceback__)[-1]
        return _failed(path, "internal_error", f"{type(err).__name__}: {err} (at {Path(where.filename).name}:{where.lineno})")


def _failed(path: Path, code: str, message: str) -> Outcome:
    try:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        sha = hashlib.sha256(str(path).encode()).hexdigest()
    meta = DocumentMeta(id=sha[:16], source_file=str(path), sha256=sha, status="failed")
    return Outcome(DocumentResult(document=meta, warnings=[Warning(code=code, message=message)]))


def run_batch(inputs: list[Path], out_dir: Path, options: ExtractOptions, argv: list[str],
              missing: list[str] = (), progress: bool = True) -> RunReport:
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report = RunReport(started=datetime.now(timezone.utc).isoformat(timespec="seconds"), argv=argv, missing=list(missing))
    names = output_names(inputs)
    all_tasks: list[str] = []
    for path in _progress(inputs, progress):
        outcome = safe_extract(path, options)
        target = out_dir / names[path]
        kept = outcome.failed and target.exists()
        if not kept:
            write_atomic(target, outcome.result.model_dump_json(indent=1))
        doc = outcome.result.document
        all_tasks += [json.dumps({"document_id": doc.id, "source_file": doc.source_file, **t.model_dump(mode="json")},
                                 ensure_ascii=False) for t in outcome.result.tasks]
        report.documents.append(DocumentReport(
            file=str(path), output=target.name, status=doc.status, tasks=len(outcome.result.tasks),
            warnings=[w.model_dump(mode="json", exclude_none=True) for w in outcome.result.warnings],
            timings=outcome.timings, unknown_agency_rate=unknown_rate(outcome.result), kept_previous_output=kept))
    write_atomic(out_dir / "tasks.jsonl", "".join(line + "\n" for line in all_tasks))
    write_atomic(out_dir / "run.json", report.to_json(time.perf_counter() - started))
    return report


def _progress(items: list[Path], enabled: bool):
    if not enabled or len(items) < 2:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="plans", unit="doc")
