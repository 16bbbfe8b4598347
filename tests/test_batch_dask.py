"""Documents on a Dask cluster (a LocalCluster with process workers on loopback) give the same dataset
as a local run; a document that fails on a worker is a failed record, not a stopped run."""

import json
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from plantasks.cli import main  # noqa: E402
from test_batch_catalogue import catalogue, make_inputs  # noqa: E402


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
