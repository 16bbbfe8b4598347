"""An output folder is one dataset: catalogue, incremental re-runs, duplicates, resume, concurrency, Ctrl-C.

Inputs are the invented sample plans and variants made from them by changing a task's words, so each
variant has its own bytes and its own tasks.
"""

import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plantasks.cli import main
from samples import TEXT_SAMPLES

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = TEXT_SAMPLES
PLANTASKS = [sys.executable, "-c", "from plantasks.cli import entry; entry()"]


def variant(seed: Path, k: int) -> bytes:
    """The seed plan with its title line and first lead agency changed: new bytes, same structure."""
    lines = seed.read_text(encoding="utf-8").split("\n")
    lines[0] += f" (bản {k})"
    return "\n".join(lines).replace("Sở Nội vụ", f"Sở Nội vụ{' và Sở Tư pháp' * (k % 2)}", 1).encode("utf-8")


def make_inputs(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n):
        path = folder / f"plan_{k:03d}.txt"
        path.write_bytes(SEEDS[k % len(SEEDS)].read_bytes() if k < len(SEEDS) else variant(SEEDS[k % len(SEEDS)], k))
        paths.append(path)
    return paths


def extract(*args) -> int:
    return main(["extract", *map(str, args), "--quiet", "--workers", "1"])


def catalogue(out: Path) -> dict[str, dict]:
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    return {Path(row["source_path"]).name: row for row in map(json.loads, lines)}


def task_lines(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "tasks.jsonl").read_text(encoding="utf-8").splitlines()]


def run_json(out: Path) -> dict:
    return json.loads((out / "run.json").read_text(encoding="utf-8"))


def assert_consistent(out: Path) -> None:
    """tasks.jsonl holds exactly the tasks of the per-document outputs the catalogue lists."""
    rows = catalogue(out)
    expected = []
    for name, row in sorted(rows.items(), key=lambda kv: kv[1]["source_path"]):
        if row["status"] in ("success", "partial"):
            doc = json.loads((out / row["output"]).read_text(encoding="utf-8"))
            assert len(doc["tasks"]) == row["tasks"]
            expected += [t["id"] for t in doc["tasks"]]
    assert [t["id"] for t in task_lines(out)] == expected


def test_add_change_remove_keeps_the_folder_one_dataset(tmp_path):
    inputs = make_inputs(tmp_path / "in", 3)
    out = tmp_path / "out"
    assert extract(tmp_path / "in", "--out", out) == 0
    first = catalogue(out)
    assert {r["status"] for r in first.values()} == {"success"} and len(task_lines(out)) == 121
    assert_consistent(out)

    # a new plan, run on its own: the exports still cover the whole folder
    (tmp_path / "new").mkdir()
    added = tmp_path / "new" / "plan_new.txt"
    added.write_bytes(variant(SEEDS[0], 7))
    assert extract(added, "--out", out) == 0
    assert len(catalogue(out)) == 4 and run_json(out)["counts"]["documents"] == 1
    assert_consistent(out)

    # a changed plan is redone, the others are unchanged
    inputs[1].write_bytes(variant(SEEDS[1], 3))
    assert extract(tmp_path / "in", added, "--out", out) == 0
    statuses = {Path(d["file"]).name: d["status"] for d in run_json(out)["documents"]}
    assert statuses == {"plan_000.txt": "unchanged", "plan_001.txt": "success", "plan_002.txt": "unchanged",
                        "plan_new.txt": "unchanged"}
    assert catalogue(out)["plan_001.txt"]["sha256"] != first["plan_001.txt"]["sha256"]
    assert_consistent(out)

    # a removed plan leaves the dataset with its output
    output = catalogue(out)["plan_002.txt"]["output"]
    inputs[2].unlink()
    assert extract(tmp_path / "in", "--out", out) == 0
    assert set(catalogue(out)) == {"plan_000.txt", "plan_001.txt", "plan_new.txt"}
    assert not (out / output).exists()
    assert_consistent(out)

    # --force redoes everything and gives the same records
    before = (out / "tasks.jsonl").read_text(encoding="utf-8")
    assert extract(tmp_path / "in", added, "--out", out, "--force") == 0
    assert {d["status"] for d in run_json(out)["documents"]} == {"success"}
    assert (out / "tasks.jsonl").read_text(encoding="utf-8") == before


def test_a_failed_rerun_keeps_the_good_record_and_says_why(tmp_path):
    (doc,) = make_inputs(tmp_path / "in", 1)
    out = tmp_path / "out"
    assert extract(doc, "--out", out) == 0
    good = catalogue(out)["plan_000.txt"]
    doc.write_bytes(b"\x00\x01\x02 not a plan \xff" * 50)
    assert extract(doc, "--out", out) == 1
    kept = catalogue(out)["plan_000.txt"]
    assert kept["sha256"] == good["sha256"] and kept["status"] == "success" and kept["tasks"] == 47
    assert kept["last_error"].startswith("failed: ")
    assert len(task_lines(out)) == 47


def test_task_lines_kept_as_text_by_an_earlier_version_are_exported_alike(tmp_path):
    make_inputs(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert extract(tmp_path / "in", "--out", out) == 0
    before = (out / "tasks.jsonl").read_bytes()
    with sqlite3.connect(out / "catalogue.sqlite") as db:
        db.execute("UPDATE task_lines SET lines = CAST(lines AS TEXT)")
        assert {row[0] for row in db.execute("SELECT typeof(lines) FROM task_lines")} == {"text"}
    (out / "tasks.jsonl").unlink()
    assert extract(tmp_path / "in", "--out", out) == 0
    assert (out / "tasks.jsonl").read_bytes() == before
    (tmp_path / "in" / "plan_001.txt").write_bytes(variant(SEEDS[0], 7))  # the other's lines copied by place
    assert extract(tmp_path / "in", "--out", out) == 0
    assert_consistent(out)


def test_duplicates_are_recorded_once(tmp_path):
    make_inputs(tmp_path / "a", 2)
    (tmp_path / "b").mkdir()
    shutil.copy(tmp_path / "a" / "plan_001.txt", tmp_path / "b" / "copy.txt")
    out = tmp_path / "out"
    assert extract(tmp_path / "a", tmp_path / "b", "--out", out) == 0
    rows = catalogue(out)
    assert rows["copy.txt"]["status"] == "duplicate"
    assert rows["copy.txt"]["duplicate_of"] == rows["plan_001.txt"]["source_path"]
    assert rows["copy.txt"]["output"] == "" and rows["copy.txt"]["tasks"] == 0
    ids = [t["id"] for t in task_lines(out)]
    assert len(ids) == len(set(ids)) == rows["plan_000.txt"]["tasks"] + rows["plan_001.txt"]["tasks"]
    assert not (out / "copy.txt.json").exists()
    # a later run alone over the copy still knows it is a duplicate
    assert extract(tmp_path / "b", "--out", out) == 0
    assert run_json(out)["documents"][0]["status"] == "unchanged"
    # the original changes: the copy now stands for the old bytes and gets its own tasks
    (tmp_path / "a" / "plan_001.txt").write_bytes(variant(SEEDS[1], 4))
    assert extract(tmp_path / "a", tmp_path / "b", "--out", out) == 0
    rows = catalogue(out)
    assert rows["copy.txt"]["status"] == "success" and rows["copy.txt"]["tasks"] == rows["plan_001.txt"]["tasks"]
    assert_consistent(out)


def test_outputs_are_readable_by_others(tmp_path):
    (doc,) = make_inputs(tmp_path / "in", 1)
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        assert extract(doc, "--out", out) == 0
    finally:
        os.umask(old)
    for name in ("plan_000.txt.json", "tasks.jsonl", "documents.jsonl", "run.json"):
        assert (out / name).stat().st_mode & 0o777 == 0o644, name


def test_quiet_summary_still_lists_failed_and_partial(tmp_path, capsys):
    make_inputs(tmp_path / "in", 1)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "notes.txt").write_text("Một ghi chú không có bảng nhiệm vụ.\n", encoding="utf-8")
    assert extract(tmp_path / "in", "--out", tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert "failed: " in err and "empty.txt" in err
    assert "partial: " in err and "notes.txt" in err
    assert "plan_000" not in err


def wait_for_rows(out: Path, n: int, proc: subprocess.Popen, limit: float = 120) -> int:
    db = out / "catalogue.sqlite"
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if proc.poll() is not None:
            pytest.fail(f"the run ended before it could be stopped: {proc.stderr.read()}")
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=5) as con:
                    rows = con.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                rows = 0
            if rows >= n:
                return rows
        time.sleep(0.05)
    pytest.fail("no document finished in time")


def test_a_killed_run_resumes_without_redoing_finished_documents(tmp_path):
    make_inputs(tmp_path / "in", 150)
    out = tmp_path / "out"
    proc = subprocess.Popen([*PLANTASKS, "extract", str(tmp_path / "in"), "--out", str(out), "--quiet", "--workers", "1"],
                            stderr=subprocess.PIPE, text=True)
    wait_for_rows(out, 2, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(out / "catalogue.sqlite") as con:
        finished = {r[0] for r in con.execute("SELECT source_path FROM documents")}
    assert 2 <= len(finished) < 150
    assert main(["extract", str(tmp_path / "in"), "--out", str(out), "--quiet"]) == 0
    redone = {d["file"] for d in run_json(out)["documents"] if d["status"] != "unchanged"}
    assert redone and not (redone & finished)
    assert len(catalogue(out)) == 150
    assert_consistent(out)


def test_ctrl_c_exits_130_with_one_line_and_keeps_finished_work(tmp_path):
    # far more documents than two workers finish while the signal is on its way, so the run is always
    # still going when it lands (150 were sometimes all done first)
    make_inputs(tmp_path / "in", 900)
    out = tmp_path / "out"
    # (a shell without job control starts background jobs with Ctrl-C ignored: give the run the default)
    proc = subprocess.Popen([*PLANTASKS, "extract", str(tmp_path / "in"), "--out", str(out), "--quiet", "--workers", "2"],
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    wait_for_rows(out, 3, proc)  # the workers have started (a Ctrl-C inside fork() itself is lost, as in any program)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1 and "resume" in err
    rows = catalogue(out)  # the exports were regenerated from what finished
    assert 3 <= len(rows) < 900
    assert_consistent(out)
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no half-written file left by a worker


def test_stopping_the_workers_ends_one_still_busy_with_a_document():
    # (Ctrl-C, a full disk or a broken pool must not wait for a long document in flight, and the program
    # exits without the interpreter's teardown, which would otherwise have waited for it)
    from concurrent.futures import ProcessPoolExecutor

    from plantasks.pipeline.batch import _stop

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    busy = pool.submit(time.sleep, 120)
    deadline = time.monotonic() + 30
    while not busy.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = list(pool._processes.values())
    started = time.monotonic()
    _stop(pool)
    assert workers and all(_ended(proc.pid) for proc in workers)
    assert time.monotonic() - started < 10


def _ended(pid: int) -> bool:
    """The process has exited (reaped, or a zombie until the pool's own thread reaps it)."""
    try:
        return "\tZ" in Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0]
    except FileNotFoundError:
        return True


def _open_catalogue(folder: str, start, results) -> None:
    from plantasks.pipeline.catalogue import Catalogue, CatalogueError

    start.wait()
    try:
        Catalogue(Path(folder)).close()
        results.put("ok")
    except CatalogueError as err:
        results.put(str(err))


def test_runs_creating_one_folders_catalogue_at_the_same_moment_all_open_it(tmp_path):
    # switching a new database to WAL answers "locked" at once to all but one of them: they try again
    context = multiprocessing.get_context("fork")
    for trial in range(15):
        folder = tmp_path / str(trial)
        folder.mkdir()
        start, results = context.Barrier(4), context.Queue()
        procs = [context.Process(target=_open_catalogue, args=(str(folder), start, results)) for _ in range(4)]
        for proc in procs:
            proc.start()
        outcomes = [results.get(timeout=60) for _ in procs]
        for proc in procs:
            proc.join()
        assert outcomes == ["ok"] * 4


def test_two_runs_into_one_folder_at_once(tmp_path):
    make_inputs(tmp_path / "in", 8)
    shard_a, shard_b = tmp_path / "a", tmp_path / "b"
    shard_a.mkdir(), shard_b.mkdir()
    for k, path in enumerate(sorted((tmp_path / "in").iterdir())):
        shutil.move(path, (shard_a if k % 2 else shard_b) / path.name)
    out = tmp_path / "out"
    procs = [subprocess.Popen([*PLANTASKS, "extract", str(shard), "--out", str(out), "--quiet", "--workers", "1"],
                              stderr=subprocess.PIPE, text=True) for shard in (shard_a, shard_b)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    rows = catalogue(out)
    assert len(rows) == 8 and {r["status"] for r in rows.values()} == {"success"}
    assert_consistent(out)


@pytest.mark.parametrize("n", [6, 20])  # (fewer than batch.SMALL_BATCH run in one process: 20 start worker processes)
def test_parallel_workers_give_the_same_dataset_as_one_process(tmp_path, n):
    make_inputs(tmp_path / "in", n)
    assert extract(tmp_path / "in", "--out", tmp_path / "one") == 0
    assert main(["extract", str(tmp_path / "in"), "--out", str(tmp_path / "many"), "--quiet", "--workers", "2"]) == 0
    assert (tmp_path / "one" / "tasks.jsonl").read_bytes() == (tmp_path / "many" / "tasks.jsonl").read_bytes()
    rows = catalogue(tmp_path / "one")
    assert len(rows) == n and {r["status"] for r in rows.values()} == {"success"}
    for row in rows.values():
        assert (tmp_path / "one" / row["output"]).read_bytes() == (tmp_path / "many" / row["output"]).read_bytes()
    assert sorted(p.name for p in (tmp_path / "many").iterdir()) == sorted(p.name for p in (tmp_path / "one").iterdir())


def test_catalogue_rows_match_the_published_model(tmp_path):
    from plantasks.schemas import CatalogueRow

    make_inputs(tmp_path / "in", 2)
    assert extract(tmp_path / "in", "--out", tmp_path / "out") == 0
    for line in (tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        CatalogueRow.model_validate_json(line)
    with sqlite3.connect(tmp_path / "out" / "catalogue.sqlite") as con:
        columns = [r[1] for r in con.execute("PRAGMA table_info(documents)")]
    assert columns == list(CatalogueRow.model_fields)
