"""`plantasks serve` through a real uvicorn process on a loopback port: upload, poll, list, cursor, sync
into SQLite with the example script, and the refusals (token, Origin, Host, size, malformed payloads)."""

from __future__ import annotations

import hashlib
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from plantasks.schemas.api import TaskPage
from review_support import REVIEW_PLAN, sample_run

ROOT = Path(__file__).resolve().parents[1]
SYNC_SCRIPT = ROOT / "examples" / "sync_tasks.py"
PLANTASKS = [sys.executable, "-c", "from plantasks.cli import entry; entry()"]


@contextmanager
def serve(out: Path, *args: str) -> Iterator[str]:
    """`plantasks serve OUT --port 0 ARGS` in its own process; yields the URL it prints."""
    proc = subprocess.Popen([*PLANTASKS, "serve", str(out), "--port", "0",
                             *args], stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+)/", line)
        assert found, f"the server did not start: {line}{proc.stderr.read() if proc.poll() is not None else ''}"
        yield found.group(1)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        proc.stderr.close()


@pytest.fixture
def out(tmp_path):
    return sample_run(tmp_path)[1]


@pytest.fixture
def url(out):
    with serve(out, "--sync-kb", "4", "--read-timeout", "1") as base:
        yield base


def wait_for_job(client: httpx.Client, location: str) -> dict:
    for _ in range(600):
        job = client.get(location).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job never finished: {job}")


def all_tasks(client: httpx.Client, **params) -> tuple[list[dict], str | None]:
    tasks, cursor, sync_cursor = [], None, None
    while True:
        page = client.get("/v1/tasks", params={**params, **({"cursor": cursor} if cursor else {})}).json()
        tasks += page["tasks"]
        sync_cursor = page["sync_cursor"]
        cursor = page["next_cursor"]
        if not cursor:
            return tasks, sync_cursor


def test_upload_poll_list_and_page_through_tasks(url, tmp_path):
    small = REVIEW_PLAN.read_bytes()
    assert len(small) < 4096
    large = REVIEW_PLAN.read_bytes() + b"\n" + b" " * 5000  # past --sync-kb 4: answered as a job
    with httpx.Client(base_url=url, timeout=60) as client:
        before = client.get("/v1/documents").json()["documents"]
        assert [d["tasks"] for d in before] == [6]
        r = client.post("/v1/documents", files={"file": ("khac.txt", small.replace(b"2025", b"2026"))})
        assert r.status_code == 201 and r.json()["tasks"] == 6
        r = client.post("/v1/documents", files={"file": ("../../lon.txt", large)})
        assert r.status_code == 202 and r.json()["status"] in ("queued", "running")
        job = wait_for_job(client, r.headers["Location"])
        assert job["status"] == "done" and job["document_id"]
        docs = client.get("/v1/documents").json()["documents"]
        assert len(docs) == 3 and job["document_id"] in {d["id"] for d in docs}
        doc = client.get(f"/v1/documents/{job['document_id']}").json()
        assert doc["document"]["source_file"] == f"uploads/{doc['document']['sha256'][:16]}/lon.txt"
        assert (tmp_path / "out" / doc["document"]["source_file"]).is_file()

        tasks, sync_cursor = all_tasks(client, limit=4)
        assert len(tasks) == 18 and len({(t["document_id"], t["id"]) for t in tasks}) == 18
        TaskPage.model_validate(client.get("/v1/tasks", params={"limit": 5}).json())  # the documented shape
        assert [t["updated"] for t in tasks] == sorted(t["updated"] for t in tasks)
        only = client.get("/v1/tasks", params={"document": job["document_id"]}).json()["tasks"]
        assert {t["document_id"] for t in only} == {job["document_id"]} and len(only) == 6
        assert client.get("/v1/tasks", params={"cursor": sync_cursor}).json() == {
            "tasks": [], "next_cursor": None, "sync_cursor": sync_cursor}
        since = client.get("/v1/tasks", params={"updated_since": tasks[-1]["updated"]}).json()["tasks"]
        assert since and all(t["updated"] == tasks[-1]["updated"] for t in since)
        assert client.get("/v1/tasks", params={"cursor": "rubbish"}).status_code == 422
        assert client.get("/v1/jobs/nope").status_code == 404
        openapi = client.get("/openapi.json").json()
        assert {"/v1/documents", "/v1/tasks", "/v1/jobs/{job_id}", "/api/save"} <= set(openapi["paths"])
        assert "ApiTask" in openapi["components"]["schemas"]


def test_the_example_script_syncs_tasks_into_sqlite_by_upsert(url, tmp_path):
    db = tmp_path / "tracking.sqlite"

    def sync() -> str:
        done = subprocess.run([sys.executable, str(SYNC_SCRIPT), "--url", url, "--db", str(db), "--page-size", "4"],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert sync().startswith("6 tasks upserted")
    rows = dict(sqlite3.connect(db).execute("SELECT id, content FROM tasks").fetchall())
    assert len(rows) == 6
    with httpx.Client(base_url=url, timeout=60) as client:
        doc = client.get("/v1/documents").json()["documents"][0]
        task = client.get("/v1/tasks").json()["tasks"][2]
        r = client.post("/api/save", json={"doc": doc["id"], "who": "lan", "edits": [
            {"task": task["id"], "version": task["version"], "fields": {"content": "Nội dung đã sửa."}}]})
        assert r.status_code == 200, r.text
    printed = sync()
    assert printed.startswith("1 tasks upserted, 0 deleted")  # only the corrected task
    rows = dict(sqlite3.connect(db).execute("SELECT id, content FROM tasks").fetchall())
    assert len(rows) == 6 and rows[task["id"]] == "Nội dung đã sửa."

    with httpx.Client(base_url=url, timeout=60) as client:
        gone = client.get("/v1/tasks").json()["tasks"][4]
        r = client.post("/api/save", json={"doc": doc["id"], "who": "lan",
                                           "deleted": [{"task": gone["id"], "version": gone["version"]}]})
        assert r.status_code == 200, r.text
    assert sync().startswith("0 tasks upserted, 1 deleted")
    rows = dict(sqlite3.connect(db).execute("SELECT id, content FROM tasks").fetchall())
    assert len(rows) == 5 and gone["id"] not in rows
    assert sync().startswith("0 tasks upserted, 0 deleted")


def test_removed_tasks_are_reported_once_in_the_change_feed(url, out):
    with httpx.Client(base_url=url, timeout=60) as client:
        doc = client.get("/v1/documents").json()["documents"][0]
        tasks, cursor = all_tasks(client)
        r = client.post("/api/save", json={"doc": doc["id"], "who": "lan", "deleted": [tasks[0]["id"]]})
        assert r.status_code == 200, r.text
        page = client.get("/v1/tasks", params={"cursor": cursor}).json()
        TaskPage.model_validate(page)
        assert page["tasks"] == [{"document_id": doc["id"], "id": tasks[0]["id"], "deleted": True,
                                  "updated": page["tasks"][0]["updated"]}]
        assert page["tasks"][0]["updated"] > tasks[-1]["updated"]
        assert client.get("/v1/tasks", params={"flag": "agency_unknown", "cursor": cursor}).json()["tasks"] == []
        assert client.get("/v1/tasks", params={"cursor": page["sync_cursor"]}).json()["tasks"] == []

        (out / f"{doc['file']}").unlink()  # the document leaves the folder: its other tasks are removed too
        time.sleep(1.2)  # past the service's rescan interval
        later = client.get("/v1/tasks", params={"cursor": page["sync_cursor"]}).json()["tasks"]
        assert sorted(t["id"] for t in later) == sorted(t["id"] for t in tasks[1:])
        assert all(t["deleted"] for t in later)


def test_deleting_a_task_changed_since_it_was_loaded_is_a_conflict(url):
    with httpx.Client(base_url=url, timeout=60) as client:
        doc = client.get("/v1/documents").json()["documents"][0]
        task = client.get("/v1/tasks").json()["tasks"][1]
        edit = {"task": task["id"], "version": task["version"], "fields": {"content": "Bản của Lan."}}
        assert client.post("/api/save", json={"doc": doc["id"], "who": "lan", "edits": [edit]}).status_code == 200
        r = client.post("/api/save", json={"doc": doc["id"], "who": "minh",
                                           "deleted": [{"task": task["id"], "version": task["version"]}]})
        assert r.status_code == 409 and r.json()["detail"][0]["task"] == task["id"]
        kept = {t["id"]: t for t in client.get(f"/v1/documents/{doc['id']}").json()["tasks"]}
        assert kept[task["id"]]["content"] == "Bản của Lan."


def test_a_job_survives_a_restart_of_the_service(out):
    large = REVIEW_PLAN.read_bytes() + b"\n" + b" " * 5000
    with serve(out, "--sync-kb", "4") as base, httpx.Client(base_url=base, timeout=60) as client:
        r = client.post("/v1/documents", files={"file": ("lon.txt", large)})
        assert r.status_code == 202
        location = r.headers["Location"]
    with serve(out, "--sync-kb", "4") as base, httpx.Client(base_url=base, timeout=60) as client:
        job = wait_for_job(client, location)
        assert job["status"] == "done" and job["file"] == "lon.txt"
        assert job["document_id"] in {d["id"] for d in client.get("/v1/documents").json()["documents"]}


def test_jobs_a_stopped_service_left_unfinished_run_when_it_starts_again(tmp_path):
    import threading

    from plantasks.pipeline.service import Jobs

    gate = threading.Event()
    stopped = Jobs(tmp_path, run=lambda source: gate.wait(60) and None)  # a service that never gets to finish
    job = stopped.submit("lon.txt", b"KE HOACH")
    assert stopped.get(job.id).status in ("queued", "running")
    restarted = Jobs(tmp_path, run=lambda source: f"doc of {source}")
    for _ in range(100):
        if restarted.get(job.id).status == "done":
            break
        time.sleep(0.05)
    found = restarted.get(job.id)
    gate.set()
    sha = hashlib.sha256(b"KE HOACH").hexdigest()[:16]
    assert found.status == "done" and found.document_id == f"doc of uploads/{sha}/lon.txt"
    assert (tmp_path / "uploads" / sha / "lon.txt").read_bytes() == b"KE HOACH"


def test_saving_against_an_old_version_is_a_conflict_with_both_values(url):
    with httpx.Client(base_url=url, timeout=60) as client:
        doc = client.get("/v1/documents").json()["documents"][0]
        task = client.get("/v1/tasks").json()["tasks"][0]
        first = {"task": task["id"], "version": task["version"], "fields": {"content": "Bản của Lan."}}
        assert client.post("/api/save", json={"doc": doc["id"], "who": "lan", "edits": [first]}).status_code == 200
        second = {**first, "fields": {"content": "Bản của Minh."}}
        r = client.post("/api/save", json={"doc": doc["id"], "who": "minh", "edits": [second]})
        assert r.status_code == 409
        [conflict] = r.json()["detail"]
        assert conflict["yours"] == {"content": "Bản của Minh."} and conflict["current"] == {"content": "Bản của Lan."}
        saved = {t["id"]: t for t in client.get(f"/v1/documents/{doc['id']}").json()["tasks"]}
        assert saved[task["id"]]["content"] == "Bản của Lan."


@pytest.mark.parametrize("fields, where", [
    ({"lead": [5, None]}, "edits.0.fields.lead.0"),
    ({"content": "   "}, "edits.0.fields"),
    ({"deadline": {"raw": "x", "items": [{"kind": "period", "start": "2025-06-01", "due": "2025-01-31"}]}},
     "edits.0.fields.deadline"),
    ({"area": "weather"}, "edits.0.fields.area"),
])
def test_malformed_payloads_are_refused_naming_the_field(url, fields, where):
    with httpx.Client(base_url=url, timeout=60) as client:
        doc = client.get("/v1/documents").json()["documents"][0]
        task = client.get("/v1/tasks").json()["tasks"][0]
        r = client.post("/api/save", json={"doc": doc["id"], "edits": [{"task": task["id"], "fields": fields}]})
        assert r.status_code == 422 and r.json()["field"].startswith(where), r.text
        assert client.get("/v1/tasks").json()["tasks"][0]["version"] == task["version"]


def test_foreign_origins_hosts_and_oversized_or_slow_bodies_are_refused(url):
    with httpx.Client(base_url=url, timeout=60) as client:
        doc = client.get("/v1/documents").json()["documents"][0]
        body = {"doc": doc["id"], "edits": []}
        assert client.post("/api/save", json=body, headers={"Origin": "http://evil.example"}).status_code == 403
        assert client.post("/api/save", json=body, headers={"Origin": url}).status_code == 200
        assert client.get("/v1/documents", headers={"Host": "evil.example"}).status_code == 403
        assert client.post("/api/save", content=b"{}", headers={"Content-Type": "text/plain"}).status_code == 415
    huge = b"POST /v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1099511627776\r\n\r\nx"
    assert raw_status(url, huge) == 413
    short = (b"POST /api/save HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
             b"Content-Length: 100\r\n\r\n{}")  # says 100 bytes, sends 2: answered after --read-timeout
    assert raw_status(url, short) == 408


def raw_status(url: str, request: bytes) -> int:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request)
        return int(sock.recv(4096).split()[1])


def test_a_token_is_required_on_every_request_and_off_loopback(out):
    refused = subprocess.run([*PLANTASKS, "serve", str(out),
                              "--host", "0.0.0.0", "--port", "0"], capture_output=True, text=True, timeout=60,
                             env={k: v for k, v in os.environ.items() if k != "PLANTASKS_TOKEN"})
    assert refused.returncode == 2 and "--token" in refused.stderr
    with serve(out, "--token", "s3cret") as base, httpx.Client(base_url=base, timeout=60) as client:
        assert client.get("/v1/documents").status_code == 401
        assert client.get("/v1/documents", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/v1/documents", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        page = client.get("/?token=s3cret")
        assert page.status_code == 200 and "plantasks_token=s3cret" in page.headers["set-cookie"]
        assert client.get("/api/documents").status_code == 200  # the page's cookie
