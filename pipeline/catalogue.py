"""The catalogue of an output folder: one SQLite row per source document, the folder's single truth.

Every run writes one transaction per finished document; `tasks.jsonl` and `documents.jsonl` are
regenerated from it after every run, so they always cover the whole folder, whichever run or shard
produced each document. SQLite (WAL, busy timeout) serialises concurrent runs into one folder.

Table `documents` (one row per source path; the row model is `schemas.CatalogueRow`):

| column | meaning |
|---|---|
| source_path | absolute path of the input (non-UTF-8 bytes escaped as surrogates) — primary key |
| sha256 | sha256 of the bytes the recorded output was made from |
| size, mtime_ns | the file's stat when it was read (a same-size, same-mtime file is not re-hashed) |
| tool_version | plantasks version that produced the output |
| vocab_version | hash of the vocabularies (YAML/TSV data files) that produced it |
| corrections | fingerprint of the analyst corrections applied to it ('' for none) |
| status | success, partial, failed, timeout, duplicate |
| duplicate_of | for a duplicate: the source path whose output it shares |
| output | file name of the per-document JSON inside the folder ('' for duplicates and some failures) |
| document_id | the document id inside that output |
| tasks | number of tasks in the output |
| warnings | number of warnings in the output |
| message | first warning's code and message (why a document failed or is partial) |
| last_error | when a later run failed on changed bytes, why (the earlier good record is kept) |
| updated | UTC time of the last write |
| run_id | the run that wrote the row |

Table `task_lines` (source_path, lines): the document's `tasks.jsonl` lines as UTF-8 bytes, so
regenerating the export needs no JSON parsing nor encoding. Table `outputs` (name, source_path)
reserves output file names.
Table `runs` (id, started, finished, argv, counts): one row per run.
Tables `exported` (source_path, start, length: where a document's lines sit in the current
`tasks.jsonl`), `unexported` (documents written since) and `state` (a change counter, the exported
files' stat) let a re-run copy the unchanged part of `tasks.jsonl` instead of regenerating it, and
skip the export when nothing changed. Table `answers` (model, text, answer) keeps the slow tools'
answers found while extracting (the part-of-speech tagger, the agency matcher: normalizers/answers.py),
so a re-run needs those tools only for new texts.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

CATALOGUE_NAME = "catalogue.sqlite"
SCHEMA_VERSION = 3
FINISHED = ("success", "partial")  # statuses whose output is a good record worth keeping
_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  source_path TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL DEFAULT -1,
  mtime_ns INTEGER NOT NULL DEFAULT -1,
  tool_version TEXT NOT NULL,
  vocab_version TEXT NOT NULL,
  corrections TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  duplicate_of TEXT,
  output TEXT NOT NULL DEFAULT '',
  document_id TEXT NOT NULL DEFAULT '',
  tasks INTEGER NOT NULL DEFAULT 0,
  warnings INTEGER NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  last_error TEXT NOT NULL DEFAULT '',
  updated TEXT NOT NULL,
  run_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_sha ON documents(sha256);
CREATE TABLE IF NOT EXISTS task_lines (source_path TEXT PRIMARY KEY, lines TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outputs (name TEXT PRIMARY KEY, source_path TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, started TEXT NOT NULL, finished TEXT,
  argv TEXT NOT NULL, counts TEXT);
CREATE TABLE IF NOT EXISTS exported (source_path TEXT PRIMARY KEY, start INTEGER NOT NULL, length INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS unexported (source_path TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answers (model TEXT NOT NULL, text TEXT NOT NULL, answer TEXT NOT NULL, PRIMARY KEY (model, text));
DROP TABLE IF EXISTS pos_tags
"""
COLUMNS = ("source_path", "sha256", "size", "mtime_ns", "tool_version", "vocab_version", "corrections", "status",
           "duplicate_of",
           "output", "document_id", "tasks", "warnings", "message", "last_error", "updated", "run_id")


class CatalogueError(Exception):
    """The catalogue cannot be used (not SQLite, newer schema, folder not writable)."""


@dataclass
class Row:
    source_path: str
    sha256: str
    size: int
    mtime_ns: int
    tool_version: str
    vocab_version: str
    corrections: str
    status: str
    duplicate_of: str | None
    output: str
    document_id: str
    tasks: int
    warnings: int
    message: str
    last_error: str
    updated: str
    run_id: str


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


_WAIT_SECONDS = 600  # for another run's write lock (its export of a large folder)
_RETRY_SECONDS = 0.05


class Catalogue:
    """One connection for the run; every write is its own short IMMEDIATE transaction (the export one
    longer: it holds the lock while it writes tasks.jsonl and documents.jsonl)."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / CATALOGUE_NAME
        deadline = time.monotonic() + _WAIT_SECONDS
        while True:
            try:
                self._open()
                return
            except sqlite3.OperationalError as err:
                # two runs creating one folder's catalogue at once: switching a new database to WAL
                # answers "locked" at once, without waiting (SQLite's busy handler is not asked)
                self.close()
                if "locked" not in str(err) or time.monotonic() > deadline:
                    raise self._unusable(err) from err
                time.sleep(_RETRY_SECONDS)
            except sqlite3.DatabaseError as err:
                self.close()
                raise self._unusable(err) from err

    def _open(self) -> None:
        self.db = None
        # a concurrent run may hold the write lock through a whole export of a large folder: wait for it
        self.db = sqlite3.connect(self.path, timeout=_WAIT_SECONDS, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise CatalogueError(f"{self.path}: catalogue schema {version} is newer than this plantasks "
                                 f"({SCHEMA_VERSION}); upgrade plantasks")
        if version < SCHEMA_VERSION:
            with self.transaction() as db:
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _unusable(self, err: Exception) -> CatalogueError:
        return CatalogueError(f"{self.path}: {err}; is it a plantasks catalogue? "
                              "Use another --out folder or move the file away")

    def close(self) -> None:
        if self.db is not None:
            self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # ------------------------------------------------------------ reading

    def get(self, source_path: str) -> Row | None:
        row = self.db.execute(f"SELECT {','.join(COLUMNS)} FROM documents WHERE source_path = ?", (source_path,)).fetchone()
        return Row(*row) if row else None

    def by_source(self) -> dict[str, Row]:
        """Every row, by source path (one query: what a run plans with)."""
        return {row.source_path: row for row in self.rows()}

    def rows(self) -> Iterator[Row]:
        for row in self.db.execute(f"SELECT {','.join(COLUMNS)} FROM documents ORDER BY source_path"):
            yield Row(*row)

    def answers(self, model: str) -> Iterator[tuple[str, str]]:
        """The answers of the tool `model` found by earlier runs into this folder."""
        yield from self.db.execute("SELECT text, answer FROM answers WHERE model = ?", (model,))

    def originals_of(self, sha256: str, source_path: str) -> list[str]:
        """Other sources already catalogued with these bytes and an output of their own."""
        return [row[0] for row in self.db.execute(
            "SELECT source_path FROM documents WHERE sha256 = ? AND source_path != ? AND duplicate_of IS NULL "
            "AND status IN ('success', 'partial') ORDER BY source_path", (sha256, source_path))]

    # ------------------------------------------------------------ writing

    def reserve_outputs(self, wanted: dict[str, str]) -> dict[str, str]:
        """source path -> output file name, reserved in one transaction so no two sources (in this
        run or any other run into the folder) ever share a name; `wanted` holds each one's preferred name."""
        names: dict[str, str] = {}
        with self.transaction() as db:
            reserved = dict(db.execute("SELECT source_path, name FROM outputs"))
            for source, name in wanted.items():
                if source in reserved:
                    names[source] = reserved[source]
                    continue
                for candidate in (name, _tagged(name, source)):
                    if db.execute("INSERT OR IGNORE INTO outputs(name, source_path) VALUES (?, ?)",
                                  (candidate, source)).rowcount:
                        names[source] = candidate
                        break
                else:
                    raise CatalogueError(f"cannot reserve an output name for {source}")
        return names

    def record(self, row: Row, task_lines: bytes | None, answers: list[tuple[str, dict[str, str]]] = ()) -> None:
        """One document, one transaction. A failure on changed bytes keeps the earlier good record and
        notes why in `last_error`. `answers`: the slow tools' answers it needed, by model."""
        with self.transaction() as db:
            for model, found in answers:
                db.executemany("INSERT OR REPLACE INTO answers(model, text, answer) VALUES (?, ?, ?)",
                               ((model, text, answer) for text, answer in found.items()))
            if row.status not in FINISHED and row.status != "duplicate":
                old = db.execute("SELECT status FROM documents WHERE source_path = ?", (row.source_path,)).fetchone()
                if old and old[0] in FINISHED:
                    db.execute("UPDATE documents SET last_error = ?, updated = ?, run_id = ? WHERE source_path = ?",
                               (f"{row.status}: {row.message}", row.updated, row.run_id, row.source_path))
                    _changed(db)
                    return
            db.execute(f"INSERT OR REPLACE INTO documents({','.join(COLUMNS)}) VALUES ({','.join('?' * len(COLUMNS))})",
                       tuple(getattr(row, c) for c in COLUMNS))
            if task_lines is None:
                db.execute("DELETE FROM task_lines WHERE source_path = ?", (row.source_path,))
            else:
                db.execute("INSERT OR REPLACE INTO task_lines(source_path, lines) VALUES (?, ?)", (row.source_path, task_lines))
            db.execute("INSERT OR IGNORE INTO unexported(source_path) VALUES (?)", (row.source_path,))
            _changed(db)

    def touch(self, source_path: str, size: int, mtime_ns: int) -> None:
        """Same bytes under a new mtime (a copy, a touch): remember the stat so the next run needs no hash."""
        with self.transaction() as db:
            db.execute("UPDATE documents SET size = ?, mtime_ns = ? WHERE source_path = ?", (size, mtime_ns, source_path))
            _changed(db)

    def forget_missing(self) -> list[Row]:
        """Rows whose source file no longer exists are removed with their output; their duplicates
        are removed too, so the next run processes them as originals."""
        gone = [r for r in self.rows() if not _exists(r.source_path)]
        with self.transaction() as db:
            for r in gone:
                db.execute("DELETE FROM documents WHERE source_path = ? OR duplicate_of = ?", (r.source_path, r.source_path))
                db.execute("DELETE FROM task_lines WHERE source_path = ?", (r.source_path,))
                db.execute("DELETE FROM outputs WHERE source_path = ?", (r.source_path,))
            if gone:
                _changed(db)
        return gone

    def start_run(self, run_id: str, started: str, argv: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO runs(id, started, argv) VALUES (?, ?, ?)", (run_id, started, argv))

    def finish_run(self, run_id: str, counts: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE runs SET finished = ?, counts = ? WHERE id = ?", (utc_now(), counts, run_id))

    # ------------------------------------------------------------ the exports' bookkeeping (inside a transaction)

    def exported_sources(self) -> Iterator[tuple[str, tuple[int, int] | None]]:
        """The documents with task lines, in export order, each with where its lines sit in the
        current tasks.jsonl (None when they were written since, or never exported)."""
        yield from ((source, None if start is None else (start, length)) for source, start, length in self.db.execute(
            "SELECT d.source_path, e.start, e.length FROM documents d JOIN task_lines t USING (source_path) "
            "LEFT JOIN exported e ON e.source_path = d.source_path AND d.source_path NOT IN (SELECT source_path FROM unexported) "
            "WHERE d.status IN ('success', 'partial') ORDER BY d.source_path"))

    def lines_of(self, source_path: str) -> bytes:
        lines = self.db.execute("SELECT lines FROM task_lines WHERE source_path = ?", (source_path,)).fetchone()[0]
        return lines if isinstance(lines, bytes) else lines.encode("utf-8")  # text: kept by an earlier version

    def state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_state(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)", (key, value))

    def mark_exported(self, places: Iterator[tuple[str, int, int]]) -> None:
        self.db.execute("DELETE FROM exported")
        self.db.executemany("INSERT INTO exported(source_path, start, length) VALUES (?, ?, ?)", places)
        self.db.execute("DELETE FROM unexported")
        self.set_state("exported", self.state("changes") or "0")


def _changed(db: sqlite3.Connection) -> None:
    """One more change the exports do not show yet."""
    db.execute("INSERT INTO state(key, value) VALUES ('changes', '1') "
               "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")


def _tagged(name: str, source: str) -> str:
    tag = hashlib.sha1(source.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{name.removesuffix('.json')}.{tag}.json"


def raw_path(source: str) -> bytes:
    """The file-system bytes of a catalogued path (undoes the \\xNN escaping of undecodable bytes)."""
    return re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), source.encode("utf-8"))


def _exists(source: str) -> bool:
    try:
        os.stat(raw_path(source))
    except FileNotFoundError:
        return False
    except OSError:
        return True  # unreadable now is not removed
    return True
