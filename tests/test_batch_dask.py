"""Documents on a Dask cluster (a LocalCluster with process workers on loopback) give the same dataset
as a local run; a document that fails on a worker is a failed record, not a stopped run; a worker
killed mid-document has the document run again; --timeout holds on the workers."""

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from plantasks.cli import main  # noqa: E402
from test_batch_catalogue import SEEDS, catalogue, make_inputs  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=40) as c:
        yield c


def test_cluster_run_equals_local_run(tmp_path, cluster):
    make_inputs(tmp_path / "in", 5)
    (tmp_path / "in" / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    local, remote = tmp_path / "local", tmp_path / "remote"
    assert main(["extract", str(tmp_path / "in"), "--out", str(local), "--quiet", "--workers", "1"]) == 1
    assert main(["extract", str(tmp_path / "in"), "--out", str(remote), "--quiet",
                 "--scheduler", cluster.scheduler_address]) == 1
    assert (local / "tasks.jsonl").read_bytes() == (remote / "tasks.jsonl").read_bytes()
    rows_local, rows_remote = catalogue(local), catalogue(remote)
    assert set(rows_local) == set(rows_remote)
    for name, row in rows_local.items():
        other = rows_remote[name]
        assert (row["status"], row["sha256"], row["tasks"], row["output"]) == \
               (other["status"], other["sha256"], other["tasks"], other["output"])
        assert (local / row["output"]).read_bytes() == (remote / other["output"]).read_bytes()
    assert rows_remote["broken.docx"]["status"] == "failed"
    # re-run on the cluster: nothing to send
    assert main(["extract", str(tmp_path / "in"), "--out", str(remote), "--quiet",
                 "--scheduler", cluster.scheduler_address]) == 1
    run = json.loads((remote / "run.json").read_text(encoding="utf-8"))
    assert {Path(d["file"]).name: d["status"] for d in run["documents"]}["plan_000.txt"] == "unchanged"


def long_plan(repeats: int) -> bytes:
    """A sample plan whose task table is printed `repeats` times: a real input that takes seconds."""
    lines = SEEDS[0].read_text(encoding="utf-8").split("\n")
    start = lines.index("\t1.")  # the first task row of its table
    return "\n".join(lines[:start] + lines[start:] * repeats).encode("utf-8")


def _warm(cluster, tmp_path: Path) -> None:
    """Every worker has plantasks loaded, so only the long plan runs for more than a moment."""
    make_inputs(tmp_path / "warm", 4)
    assert main(["extract", str(tmp_path / "warm"), "--out", str(tmp_path / "warm_out"), "--quiet",
                 "--scheduler", cluster.scheduler_address]) == 0


def test_a_document_whose_worker_is_killed_is_run_again(tmp_path, cluster):
    _warm(cluster, tmp_path)
    make_inputs(tmp_path / "in", 3)
    (tmp_path / "in" / "long.txt").write_bytes(long_plan(60))
    client = distributed.Client(cluster.scheduler_address)
    pids = client.run(os.getpid)
    outcome: dict = {}
    run = threading.Thread(target=lambda: outcome.setdefault("code", main(
        ["extract", str(tmp_path / "in"), "--out", str(tmp_path / "remote"), "--quiet", "--timeout", "0",
         "--scheduler", cluster.scheduler_address])))
    run.start()
    since: dict[str, float] = {}
    killed = None
    while run.is_alive() and killed is None:
        for worker, keys in client.processing().items():
            for key in keys:
                since.setdefault(key, time.monotonic())
                if time.monotonic() - since[key] > 1.0:  # the long plan, mid-document
                    os.kill(pids[worker], signal.SIGKILL)
                    killed = worker
        time.sleep(0.05)
    run.join()
    client.close()
    assert killed is not None, "the long plan finished before its worker could be killed"
    assert outcome["code"] == 0
    rows = catalogue(tmp_path / "remote")
    assert {row["status"] for row in rows.values()} == {"success"}
    assert main(["extract", str(tmp_path / "in"), "--out", str(tmp_path / "local"), "--quiet", "--workers", "1"]) == 0
    assert (tmp_path / "remote" / "tasks.jsonl").read_bytes() == (tmp_path / "local" / "tasks.jsonl").read_bytes()


def test_timeout_applies_on_the_workers(tmp_path, cluster):
    _warm(cluster, tmp_path)
    make_inputs(tmp_path / "in", 3)
    (tmp_path / "in" / "long.txt").write_bytes(long_plan(1000))  # minutes of work
    out = tmp_path / "out"
    # 10 s: far beyond a sample plan even on a loaded machine or a worker the warm-up missed, far below the long one
    assert main(["extract", str(tmp_path / "in"), "--out", str(out), "--quiet", "--timeout", "10",
                 "--scheduler", cluster.scheduler_address]) == 1
    rows = catalogue(out)
    assert rows["long.txt"]["status"] == "timeout" and rows["long.txt"]["message"].startswith("timeout: gave up after 10 s")
    assert {rows[f"plan_00{k}.txt"]["status"] for k in range(3)} == {"success"}
