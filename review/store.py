"""The corrections store: an SQLite file next to the outputs (default DIR/corrections.sqlite).

Every save is one transaction (WAL journal, synchronous=FULL): a crash mid-save loses only the save in
flight, never one already committed. A correction is never rewritten; a later correction of the same
task field marks the earlier one `superseded` and inherits its `before` (the value as extracted), so
re-application always compares against what the extractor produced.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from plantasks.review.fields import ADD_TASK, DELETE_TASK, key_score, same_value

STORE_NAME = "corrections.sqlite"
SCHEMA_VERSION = 1

ACTIVE = "active"            # applied on every run
SUPERSEDED = "superseded"    # replaced by a later correction of the same task field
REVERTED = "reverted"        # the analyst set the field back to the extracted value
WITHDRAWN = "withdrawn"      # the analyst dropped it (e.g. kept the extracted value after a conflict)
STATUSES = (ACTIVE, SUPERSEDED, REVERTED, WITHDRAWN)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS corrections (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id     TEXT NOT NULL,
    doc_sha256  TEXT NOT NULL,
    document    TEXT NOT NULL DEFAULT '',
    field       TEXT NOT NULL,
    task_key    TEXT NOT NULL DEFAULT 'null',
    before_json TEXT NOT NULL,
    after_json  TEXT NOT NULL,
    who         TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'superseded', 'reverted', 'withdrawn'))
);
CREATE INDEX IF NOT EXISTS corrections_by_doc ON corrections (doc_sha256, status);
CREATE INDEX IF NOT EXISTS corrections_by_document ON corrections (document, status);
CREATE INDEX IF NOT EXISTS corrections_by_task ON corrections (task_id, field);
"""


@dataclass(frozen=True)
class Correction:
    """One analyst decision about one task field (or a whole added / deleted task).

    `field` is a task field name, "accepted", "add_task" (after = the new task, before =
    {"insert_after": task id or null}) or "delete_task" (before = {"task": snapshot, "insert_after": id}).
    `document` is the source file's name and `task_key` the task's {table, stt, content} when the
    correction was made, so corrections follow a document whose bytes (and so task ids) changed.
    """

    task_id: str
    doc_sha256: str
    field: str
    before: Any
    after: Any
    who: str = ""
    note: str = ""
    document: str = ""
    status: str = ACTIVE
    at: str = ""
    id: int | None = None
    task_key: dict | None = None

    def to_json(self) -> dict:
        return {
            "id": self.id, "task_id": self.task_id, "doc_sha256": self.doc_sha256, "document": self.document,
            "field": self.field, "before": self.before, "after": self.after, "who": self.who,
            "at": self.at, "note": self.note, "status": self.status, "task_key": self.task_key,
        }


class StoreError(Exception):
    """The store file cannot be used (not SQLite, newer schema)."""


def default_store_path(out_dir: Path) -> Path:
    return Path(out_dir) / STORE_NAME


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class CorrectionStore:
    """Opens a connection per operation, so one store object is safe to share between server threads."""

    def __init__(self, path: Path, read_only: bool = False):
        """`read_only`: never write (a store on a read-only disk or shared read-only is still applied)."""
        self.path = Path(path)
        self.read_only = read_only
        if not read_only:
            with self._connect() as db:
                _migrate(db)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            db = self._open_read_only() if self.read_only else self._open()
        except sqlite3.DatabaseError as exc:
            raise StoreError(_store_message(self.path, exc)) from exc
        try:
            if not self.read_only:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
                db.execute("PRAGMA foreign_keys=ON")
            yield db
        except sqlite3.DatabaseError as exc:
            raise StoreError(_store_message(self.path, exc)) from exc
        finally:
            db.close()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def _open_read_only(self) -> sqlite3.Connection:
        uri = self.path.absolute().as_uri()
        try:
            db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30, isolation_level=None)
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.OperationalError:  # a WAL store in a folder we cannot write: read it as it stands
            return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def save(self, corrections: Sequence[Correction]) -> list[Correction]:
        """Store corrections in one transaction; returns them as stored (ids, times, chained `before`)."""
        at = utc_now()
        saved: list[Correction] = []
        with self._transaction() as db:
            for correction in corrections:
                saved.append(_insert(db, _chain(db, replace(correction, at=correction.at or at))))
        return saved

    def set_status(self, ids: Iterable[int], status: str, who: str = "", note: str = "") -> int:
        """Withdraw (or reactivate) corrections in one transaction; returns how many rows changed."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        ids = list(ids)
        with self._transaction() as db:
            changed = 0
            for cid in ids:
                cur = db.execute(
                    "UPDATE corrections SET status = ?, note = CASE WHEN ? = '' THEN note ELSE ? END,"
                    " who = CASE WHEN ? = '' THEN who ELSE ? END WHERE id = ?",
                    (status, note, note, who, who, cid),
                )
                changed += cur.rowcount
        return changed

    def all(self, statuses: Sequence[str] | None = None) -> list[Correction]:
        sql, args = "SELECT * FROM corrections", []
        if statuses:
            sql += f" WHERE status IN ({','.join('?' * len(statuses))})"
            args = list(statuses)
        with self._connect() as db:
            return [_row_to_correction(r) for r in db.execute(sql + " ORDER BY id", args)]

    def for_document(self, sha256: str, document: str = "", statuses: Sequence[str] | None = (ACTIVE,)) -> list[Correction]:
        """Corrections recorded for these bytes, or for a file of the same name (a changed source)."""
        sql = "SELECT * FROM corrections WHERE (doc_sha256 = ? OR (? != '' AND document = ?))"
        args: list[Any] = [sha256, document, document]
        if statuses:
            sql += f" AND status IN ({','.join('?' * len(statuses))})"
            args += list(statuses)
        with self._connect() as db:
            return [_row_to_correction(r) for r in db.execute(sql + " ORDER BY id", args)]

    def integrity_ok(self) -> bool:
        with self._connect() as db:
            return db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _store_message(path: Path, exc: sqlite3.DatabaseError) -> str:
    """Say what went wrong: a full disk or a read-only folder is not a damaged store."""
    text = str(exc)
    if "full" in text:
        return f"{path}: the disk is full; free some space and try again"
    if "readonly" in text or "read-only" in text:
        return f"{path}: the store or its folder is read-only; saving corrections needs write access"
    if "not a database" in text:
        return f"{path}: {text}; is it a plantasks corrections store?"
    return f"{path}: {text}"


def _migrate(db: sqlite3.Connection) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"store schema {version} is newer than this plantasks ({SCHEMA_VERSION}); upgrade plantasks")
    if version < SCHEMA_VERSION:
        db.execute("BEGIN IMMEDIATE")
        for statement in filter(str.strip, _SCHEMA.split(";")):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")


def _chain(db: sqlite3.Connection, new: Correction) -> Correction:
    """Supersede the live correction of the same task field; inherit its `before` when the analyst saw its `after`."""
    if new.status != ACTIVE:
        return new
    if new.field == ADD_TASK and new.after is None:
        new = replace(new, status=WITHDRAWN)
    previous = _live_predecessor(db, new)
    if previous is None:
        return new
    db.execute("UPDATE corrections SET status = 'superseded' WHERE id = ?", (previous.id,))
    before = new.before
    if new.field not in (ADD_TASK, DELETE_TASK) and same_value(new.field, new.before, previous.after):
        before = previous.before
    elif new.field == ADD_TASK:
        before = previous.before
    status = ACTIVE
    if new.field == ADD_TASK and new.after is None:
        status = WITHDRAWN
    elif new.field not in (ADD_TASK, DELETE_TASK) and same_value(new.field, before, new.after):
        status = REVERTED
    return replace(new, before=before, status=status)


def _live_predecessor(db: sqlite3.Connection, new: Correction) -> Correction | None:
    """The latest live correction of the same field of the same task (by id, or by task key after a source change).

    Two indexed queries per correction (never a scan of the document's corrections), so saving n rows of a
    spreadsheet costs n lookups, not n²."""
    live = "status IN ('active', 'reverted')"
    row = db.execute(
        f"SELECT * FROM corrections WHERE task_id = ? AND field = ? AND {live}"
        " AND (doc_sha256 = ? OR (? != '' AND document = ?)) ORDER BY id DESC LIMIT 1",
        (new.task_id, new.field, new.doc_sha256, new.document, new.document),
    ).fetchone()
    if row is not None:
        return _row_to_correction(row)
    if not new.task_key or not new.document:
        return None
    rows = db.execute(
        f"SELECT * FROM corrections WHERE document = ? AND field = ? AND {live} AND doc_sha256 != ? ORDER BY id DESC",
        (new.document, new.field, new.doc_sha256),
    )
    for r in rows:
        c = _row_to_correction(r)
        if c.task_key and key_score(c.task_key, new.task_key):
            return c
    return None


def changing(db_path: Path, corrections: Sequence[Correction]) -> list[Correction]:
    """The corrections that would change something: one equal to the live correction of its task field is dropped."""
    store = CorrectionStore(db_path)
    with store._connect() as db:
        out = []
        for c in corrections:
            row = db.execute("SELECT after_json, status FROM corrections WHERE task_id = ? AND field = ? AND"
                             " doc_sha256 = ? ORDER BY id DESC LIMIT 1", (c.task_id, c.field, c.doc_sha256)).fetchone()
            if row is None or row[1] not in (ACTIVE, REVERTED) or _dump(json.loads(row[0])) != _dump(c.after):
                out.append(c)
    return out


def _insert(db: sqlite3.Connection, c: Correction) -> Correction:
    cur = db.execute(
        "INSERT INTO corrections (task_id, doc_sha256, document, field, task_key, before_json, after_json, who, at,"
        " note, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (c.task_id, c.doc_sha256, c.document, c.field, _dump(c.task_key), _dump(c.before), _dump(c.after), c.who,
         c.at, c.note, c.status),
    )
    return replace(c, id=cur.lastrowid)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _row_to_correction(row: tuple) -> Correction:
    cid, task_id, sha, document, field, task_key, before, after, who, at, note, status = row
    return Correction(
        id=cid, task_id=task_id, doc_sha256=sha, document=document, field=field, task_key=json.loads(task_key),
        before=json.loads(before), after=json.loads(after), who=who, at=at, note=note, status=status,
    )
