"""Pull every task that changed since the last run from a `plantasks serve` service into SQLite.

    python examples/sync_tasks.py --url http://127.0.0.1:8765 --db tracking.sqlite [--token TOKEN]

Each run asks `GET /v1/tasks?cursor=<saved sync_cursor>`, follows `next_cursor` page by page, upserts
each task by its id (a task corrected by an analyst since the last run is updated in place), deletes the
tasks the service reports removed (`"deleted": true`) and saves the page's `sync_cursor` for the next run. Standard library only, so it can be copied anywhere.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import urllib.parse
import urllib.request

SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY, document_id TEXT NOT NULL, source_file TEXT, stt TEXT, content TEXT NOT NULL,
    lead TEXT, support TEXT, deadline_raw TEXT, due TEXT, flags TEXT, version TEXT, updated TEXT, record TEXT
);
CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT);
"""
UPSERT = """
INSERT INTO tasks (id, document_id, source_file, stt, content, lead, support, deadline_raw, due, flags, version,
                   updated, record)
VALUES (:id, :document_id, :source_file, :stt, :content, :lead, :support, :deadline_raw, :due, :flags, :version,
        :updated, :record)
ON CONFLICT (id) DO UPDATE SET
    document_id = excluded.document_id, source_file = excluded.source_file, stt = excluded.stt,
    content = excluded.content, lead = excluded.lead, support = excluded.support,
    deadline_raw = excluded.deadline_raw, due = excluded.due, flags = excluded.flags,
    version = excluded.version, updated = excluded.updated, record = excluded.record
"""


def fetch(url: str, token: str | None) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def row(task: dict) -> dict:
    dues = [i["due"] for i in task["deadline"]["items"] if i.get("due")]
    return {
        "id": task["id"], "document_id": task["document_id"], "source_file": task["source_file"],
        "stt": task["stt"], "content": task["content"],
        "lead": "; ".join(a["name"] for a in task["lead"]), "support": "; ".join(a["name"] for a in task["support"]),
        "deadline_raw": task["deadline"]["raw"], "due": max(dues) if dues else None,
        "flags": ",".join(task["flags"]), "version": task["version"], "updated": task["updated"],
        "record": json.dumps(task, ensure_ascii=False),
    }


def sync(base_url: str, db_path: str, token: str | None = None, page_size: int = 200) -> tuple[int, int, str | None]:
    """Upsert everything changed since the saved cursor and delete what was removed; returns (tasks
    upserted, tasks deleted, new cursor)."""
    db = sqlite3.connect(db_path)
    db.executescript(SCHEMA)
    saved = db.execute("SELECT value FROM sync_state WHERE key = 'cursor'").fetchone()
    params = {"limit": page_size}
    if saved:
        params["cursor"] = saved[0]
    received, removed, sync_cursor = 0, 0, saved[0] if saved else None
    while True:
        page = fetch(f"{base_url.rstrip('/')}/v1/tasks?{urllib.parse.urlencode(params)}", token)
        gone = [(t["id"],) for t in page["tasks"] if t.get("deleted")]
        kept = [row(t) for t in page["tasks"] if not t.get("deleted")]
        with db:
            db.executemany(UPSERT, kept)
            db.executemany("DELETE FROM tasks WHERE id = ?", gone)
        received += len(kept)
        removed += len(gone)
        sync_cursor = page["sync_cursor"] or sync_cursor
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    if sync_cursor:
        with db:
            db.execute("INSERT OR REPLACE INTO sync_state VALUES ('cursor', ?)", (sync_cursor,))
    db.close()
    return received, removed, sync_cursor


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the service, e.g. http://127.0.0.1:8765")
    parser.add_argument("--db", required=True, help="SQLite file to upsert into (created when missing)")
    parser.add_argument("--token", help="the service's access token, when it has one")
    parser.add_argument("--page-size", type=int, default=200)
    args = parser.parse_args(argv)
    received, removed, cursor = sync(args.url, args.db, args.token, args.page_size)
    print(f"{received} tasks upserted, {removed} deleted; next run continues from {cursor}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
