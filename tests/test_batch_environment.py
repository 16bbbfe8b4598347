"""A batch survives its environment: long and undecodable file names, full or read-only disks, unreadable
inputs, symlink loops, slow documents, and corrections stores that are missing or read-only."""

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from plantasks.cli import main
from test_batch_catalogue import SEEDS, catalogue, make_inputs, run_json

ROOT = os.geteuid() == 0


def extract(*args) -> int:
    return main(["extract", *map(str, args), "--quiet", "--workers", "1"])


def test_a_title_too_long_for_the_file_system_gets_a_short_hashed_output_name(tmp_path):
    title = "Kế hoạch triển khai thực hiện chương trình chuyển đổi số và cải cách hành chính tỉnh năm hai nghìn"
    name = (title * 3).replace(" ", "_").encode("utf-8")[:240].decode("utf-8", "ignore") + ".txt"
    assert 200 < len(name.encode("utf-8")) <= 255
    (tmp_path / "in").mkdir()
    shutil.copy(SEEDS[0], tmp_path / "in" / name)
    out = tmp_path / "out"
    assert extract(tmp_path / "in", "--out", out) == 0
    (row,) = catalogue(out).values()
    assert len(row["output"].encode("utf-8")) <= 180 and row["output"].endswith(".json")
    assert row["output"].startswith(name[:20])
    assert len(json.loads((out / row["output"]).read_text(encoding="utf-8"))["tasks"]) == 47


def test_an_undecodable_file_name_is_escaped(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), b"k\xe9_ho\xe1ch.txt")
    with open(raw, "wb") as fh:
        fh.write(SEEDS[1].read_bytes())
    out = tmp_path / "out"
    assert main(["extract", str(folder), "--out", str(out), "--workers", "1"]) == 0
    (row,) = catalogue(out).values()
    assert row["source_path"].endswith("k\\xe9_ho\\xe1ch.txt") and row["status"] == "success"
    assert (out / "k\\xe9_ho\\xe1ch.txt.json").exists()
    assert "Traceback" not in capsys.readouterr().err
    assert main(["extract", str(folder), "--out", str(out), "--workers", "1"]) == 0  # found again, not re-done
    assert run_json(out)["documents"][0]["status"] == "unchanged"


def _failing_replace(monkeypatch, code: int, name_part: str):
    real = os.replace

    def replace(src, dst, *a, **k):
        if name_part in os.fspath(dst):
            raise OSError(code, os.strerror(code), os.fspath(dst))
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", replace)


def test_a_full_disk_stops_the_run_cleanly_with_a_summary(tmp_path, monkeypatch, capsys):
    make_inputs(tmp_path / "in", 4)
    out = tmp_path / "out"
    _failing_replace(monkeypatch, errno.ENOSPC, "plan_001")
    assert extract(tmp_path / "in", "--out", out) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "disk" in err and "full" in err
    run = run_json(out)
    assert "full" in run["stopped"]
    statuses = {Path(d["file"]).name: d["status"] for d in run["documents"]}
    assert statuses == {"plan_000.txt": "success", "plan_001.txt": "failed"}  # nothing after the full disk
    assert set(catalogue(out)) == {"plan_000.txt"}
    monkeypatch.undo()
    assert extract(tmp_path / "in", "--out", out) == 0  # space freed: the same command finishes the job
    assert len(catalogue(out)) == 4


@pytest.mark.parametrize("code, word", [(errno.EACCES, "permission denied"), (errno.EROFS, "read-only")])
def test_an_unwritable_output_fails_that_document_and_the_batch_goes_on(tmp_path, monkeypatch, capsys, code, word):
    make_inputs(tmp_path / "in", 3)
    out = tmp_path / "out"
    _failing_replace(monkeypatch, code, "plan_001")
    assert extract(tmp_path / "in", "--out", out) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and word in err.lower() and "plan_001" in err
    statuses = {Path(d["file"]).name: d["status"] for d in run_json(out)["documents"]}
    assert statuses == {"plan_000.txt": "success", "plan_001.txt": "failed", "plan_002.txt": "success"}


def test_an_unwritable_output_in_a_worker_process_fails_that_document_only(tmp_path, monkeypatch, capsys):
    make_inputs(tmp_path / "in", 20)  # enough for worker processes (which inherit the failing rename)
    out = tmp_path / "out"
    _failing_replace(monkeypatch, errno.EACCES, "plan_007")
    assert main(["extract", str(tmp_path / "in"), "--out", str(out), "--quiet", "--workers", "2"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "permission denied" in err.lower() and "plan_007" in err
    statuses = {Path(d["file"]).name: d["status"] for d in run_json(out)["documents"]}
    assert statuses.pop("plan_007.txt") == "failed" and set(statuses.values()) == {"success"} and len(statuses) == 19
    assert set(catalogue(out)) == set(statuses)
    assert not (out / "plan_007.txt.json").exists()


def test_an_output_folder_that_cannot_be_used_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    shutil.copy(SEEDS[0], tmp_path / "in" / "a.txt")
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be")
    assert extract(tmp_path / "in", "--out", blocker) == 2
    err = capsys.readouterr().err
    assert "cannot use the output folder" in err and "Traceback" not in err


def test_symlink_loops_and_broken_links_are_reported_not_silent(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder / "a.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "back").symlink_to(folder)
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    out = tmp_path / "out"
    assert extract(folder, "--out", out) == 0
    err = capsys.readouterr().err
    assert "symlink loop" in err and "broken link" in err
    assert len(catalogue(out)) == 1
    assert any("symlink loop" in p for p in run_json(out)["input_problems"])


@pytest.mark.skipif(ROOT, reason="permissions do not bind the root user")
def test_unreadable_folders_and_files_are_named(tmp_path, capsys):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(SEEDS[0], folder / "a.txt")
    shutil.copy(SEEDS[1], folder / "secret.txt")
    os.chmod(folder / "locked", 0)
    os.chmod(folder / "secret.txt", 0)
    try:
        assert extract(folder, "--out", tmp_path / "out") == 1
    finally:
        os.chmod(folder / "locked", 0o755)
        os.chmod(folder / "secret.txt", 0o644)
    err = capsys.readouterr().err
    assert "cannot read folder" in err and "permission denied" in err
    assert catalogue(tmp_path / "out")["secret.txt"]["message"].startswith("unreadable: ")


def test_a_file_that_vanishes_is_unreadable_not_an_internal_error(tmp_path):
    from plantasks.pipeline.batch import Job, process
    from plantasks.pipeline.extract import ExtractOptions

    done = process(Job("gone.txt", str(tmp_path / "gone.txt")), ExtractOptions())
    assert done.status == "failed" and done.warnings[0]["code"] == "unreadable"
    assert "no such file" in done.warnings[0]["message"]


def test_size_is_checked_from_stat_before_reading(tmp_path):
    from plantasks.parsers.blocks import ReaderError
    from plantasks.parsers.read import ReadOptions, read_limited

    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # sparse: 3 GB on paper, nothing on disk; reading it whole would hurt
        fh.truncate(3 * 2**30)
    with pytest.raises(ReaderError) as err:
        read_limited(big, ReadOptions(max_bytes=2**20))
    assert err.value.code == "too_large" and "--max-mb" in err.value.message


def test_a_document_over_the_time_limit_is_a_timeout_and_the_rest_go_on(tmp_path, capsys):
    make_inputs(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert extract(tmp_path / "in", "--out", out, "--timeout", "0.001") == 1
    rows = catalogue(out)
    assert {r["status"] for r in rows.values()} == {"timeout"}
    assert all(r["message"].startswith("timeout: ") and "--timeout" in r["message"] for r in rows.values())
    assert "timeout: " in capsys.readouterr().err
    assert extract(tmp_path / "in", "--out", out) == 0  # a later run with time to spare finishes them
    assert {r["status"] for r in catalogue(out).values()} == {"success"}


# ---------------------------------------------------------------- corrections store


def test_a_mistyped_corrections_path_is_a_usage_error(tmp_path, capsys):
    make_inputs(tmp_path / "in", 1)
    code = extract(tmp_path / "in", "--out", tmp_path / "out", "--corrections", tmp_path / "typo.sqlite")
    assert code == 2
    err = capsys.readouterr().err
    assert "no corrections store" in err and "--create" in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "typo.sqlite").exists()
    code = extract(tmp_path / "in", "--out", tmp_path / "out", "--corrections", tmp_path / "new.sqlite", "--create")
    assert code == 0 and (tmp_path / "new.sqlite").exists()


def test_a_read_only_corrections_store_is_still_applied(tmp_path):
    from plantasks.review.edits import TaskEdit, corrections_for
    from plantasks.review.store import CorrectionStore

    make_inputs(tmp_path / "in", 1)
    first = tmp_path / "first"
    assert extract(tmp_path / "in", "--out", first) == 0
    result = json.loads((first / "plan_000.txt.json").read_text(encoding="utf-8"))
    task = result["tasks"][0]
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    store = store_dir / "corrections.sqlite"
    from plantasks.schemas import DocumentResult

    batch = corrections_for(DocumentResult.model_validate(result), "lan", [TaskEdit(task["id"], {"content": "Nội dung đã sửa"})])
    CorrectionStore(store).save(batch.corrections)
    os.chmod(store, 0o444)
    os.chmod(store_dir, 0o555)
    try:
        before = store.stat().st_mtime_ns
        assert extract(tmp_path / "in", "--out", tmp_path / "second", "--corrections", store) == 0
        assert store.stat().st_mtime_ns == before
    finally:
        os.chmod(store_dir, 0o755)
        os.chmod(store, 0o644)
    again = json.loads((tmp_path / "second" / "plan_000.txt.json").read_text(encoding="utf-8"))
    assert again["tasks"][0]["content"] == "Nội dung đã sửa"


def test_markdown_files_in_a_folder_are_read_as_text(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder / "ke_hoach.md")  # what a web-to-markdown tool saves
    (folder / "ghi_chu.yaml").write_text("a: 1\n", encoding="utf-8")  # data files are not inputs
    assert extract(folder, "--out", tmp_path / "out") == 0
    assert set(catalogue(tmp_path / "out")) == {"ke_hoach.md"}
    assert catalogue(tmp_path / "out")["ke_hoach.md"]["tasks"] > 0
