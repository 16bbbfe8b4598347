"""The corrections store: one transaction per save, chaining of repeated corrections, crash safety."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from plantasks.review.store import (
    ACTIVE, REVERTED, SUPERSEDED, Correction, CorrectionStore, StoreError, default_store_path,
)

SHA = "a" * 64


def lead(*names: str) -> list[dict]:
    return [{"text": n, "name": n} for n in names]


def test_save_assigns_ids_times_and_round_trips_json(tmp_path):
    store = CorrectionStore(default_store_path(tmp_path))
    saved = store.save([
        Correction(task_id="t1", doc_sha256=SHA, field="lead", before=lead("Sở KH-ĐT"),
                   after=lead("Sở Kế hoạch và Đầu tư"), who="lan", note="viết tắt", document="kh.txt"),
        Correction(task_id="t2", doc_sha256=SHA, field="content", before="Cũ", after="Mới"),
    ])
    assert [c.id for c in saved] == [1, 2]
    assert saved[0].at.endswith("Z") and "T" in saved[0].at
    again = CorrectionStore(tmp_path / "corrections.sqlite").all()
    assert [c.to_json() for c in again] == [c.to_json() for c in saved]
    assert again[0].after == [{"text": "Sở Kế hoạch và Đầu tư", "name": "Sở Kế hoạch và Đầu tư"}]
    assert again[0].who == "lan" and again[0].note == "viết tắt" and again[0].status == ACTIVE


def test_store_uses_wal_and_full_sync(tmp_path):
    path = tmp_path / "c.sqlite"
    CorrectionStore(path).save([Correction(task_id="t", doc_sha256=SHA, field="stt", before="1", after="2")])
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_second_correction_of_a_field_supersedes_and_keeps_the_extracted_before(tmp_path):
    store = CorrectionStore(tmp_path / "c.sqlite")
    store.save([Correction(task_id="t1", doc_sha256=SHA, field="content", before="A", after="B")])
    # the analyst saw the corrected value B and changes it again
    [second] = store.save([Correction(task_id="t1", doc_sha256=SHA, field="content", before="B", after="C")])
    assert second.before == "A" and second.status == ACTIVE
    statuses = [c.status for c in store.all()]
    assert statuses == [SUPERSEDED, ACTIVE]
    assert [c.after for c in store.for_document(SHA)] == ["C"]


def test_setting_a_field_back_to_the_extracted_value_is_a_revert(tmp_path):
    store = CorrectionStore(tmp_path / "c.sqlite")
    store.save([Correction(task_id="t1", doc_sha256=SHA, field="content", before="A", after="B")])
    [back] = store.save([Correction(task_id="t1", doc_sha256=SHA, field="content", before="B", after="A")])
    assert back.status == REVERTED
    assert store.for_document(SHA) == []


def test_corrections_follow_the_file_name_when_the_bytes_change(tmp_path):
    store = CorrectionStore(tmp_path / "c.sqlite")
    store.save([Correction(task_id="t1", doc_sha256=SHA, field="stt", before="1", after="2", document="kh.txt")])
    assert len(store.for_document("b" * 64, "kh.txt")) == 1
    assert store.for_document("b" * 64, "other.txt") == []


def test_withdraw_changes_status_only(tmp_path):
    store = CorrectionStore(tmp_path / "c.sqlite")
    [c] = store.save([Correction(task_id="t1", doc_sha256=SHA, field="stt", before="1", after="2")])
    assert store.set_status([c.id], "withdrawn", who="an") == 1
    [row] = store.all()
    assert row.status == "withdrawn" and row.who == "an" and row.after == "2"
    with pytest.raises(ValueError):
        store.set_status([c.id], "gone")


def test_a_failing_save_leaves_nothing_half_written(tmp_path):
    store = CorrectionStore(tmp_path / "c.sqlite")
    bad = Correction(task_id="t2", doc_sha256=SHA, field="stt", before="1", after="2", status="nonsense")
    with pytest.raises(StoreError):
        store.save([Correction(task_id="t1", doc_sha256=SHA, field="stt", before="1", after="2"), bad])
    assert store.all() == []


def test_not_a_store_is_reported(tmp_path):
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="corrections store"):
        CorrectionStore(path)


_SAVE_LOOP = r"""
import sys
from plantasks.review.store import Correction, CorrectionStore
store = CorrectionStore(sys.argv[1])
batch = 0
while True:
    batch += 1
    store.save([Correction(task_id=f"t{batch}-{k}", doc_sha256="c" * 64, field="content", before="x" * 2000,
                           after="y" * 2000, note=f"batch {batch}") for k in range(5)])
    print(batch, flush=True)
"""


def test_sigkill_during_a_save_loop_loses_no_committed_correction(tmp_path):
    path = tmp_path / "corrections.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", _SAVE_LOOP, str(path)], stdout=subprocess.PIPE, text=True)
    committed = []
    try:
        for line in proc.stdout:
            committed.append(int(line))
            if len(committed) >= 40:
                break
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert len(committed) >= 40
    store = CorrectionStore(path)
    assert store.integrity_ok()
    rows = store.all()
    per_batch = Counter(int(c.note.split()[1]) for c in rows)
    assert set(committed) <= set(per_batch), "a committed save is missing after the crash"
    assert set(per_batch.values()) == {5}, "a save was half written"
    assert sorted(per_batch) == list(range(1, max(per_batch) + 1))
    # the store still takes new saves after the crash
    store.save([Correction(task_id="after", doc_sha256="c" * 64, field="stt", before="1", after="2")])
    assert store.all()[-1].task_id == "after"
