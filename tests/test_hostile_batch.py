"""The hostile-input corpus (tests/hostile.py) as one batch: every kind gets its status and code, the good
plans come out exactly as in a clean run, the batch finishes with a summary, and peak memory stays under
budget (measured with `resource`, not wall-clock)."""

import json
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from hostile import GOOD, RUN_ARGS, make_corpus
from test_batch_catalogue import catalogue

PEAK_RSS_BUDGET_MB = 1500
CLI = [sys.executable, "-c", "from plantasks.cli import entry; entry()"]


def without_paths(doc: dict) -> dict:
    doc["document"]["source_file"] = Path(doc["document"]["source_file"]).name
    for task in doc["tasks"]:
        task["source"]["file"] = Path(task["source"]["file"]).name
    return doc


def test_hostile_corpus_in_one_batch(tmp_path):
    corpus = tmp_path / "corpus"
    expect = make_corpus(corpus)
    out = tmp_path / "out"
    proc = subprocess.run([*CLI, "extract", str(corpus), "--out", str(out), "--workers", "2", *RUN_ARGS],
                          capture_output=True, text=True, timeout=600)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "symlink loop" in proc.stderr and "broken link" in proc.stderr
    rows = catalogue(out)
    got = {name: (row["status"], row["message"].split(":")[0] or None) for name, row in rows.items()}
    for name, (status, code) in expect.items():
        if status in ("success", "duplicate"):
            code = None
        assert got.get(name, (None, None))[0] == status, (name, got.get(name))
        if code:
            assert got[name][1] == code, (name, rows[name]["message"])
    assert set(got) == set(expect)
    assert peak_mb < PEAK_RSS_BUDGET_MB, f"peak RSS {peak_mb:.0f} MB"

    clean = tmp_path / "clean"
    clean.mkdir()
    for name, source in GOOD.items():
        shutil.copy(source, clean / name)
    subprocess.run([*CLI, "extract", str(clean), "--out", str(tmp_path / "clean_out"), "--quiet", *RUN_ARGS], check=True)
    for name in GOOD:
        hostile = json.loads((out / rows[name]["output"]).read_text(encoding="utf-8"))
        alone = json.loads((tmp_path / "clean_out" / f"{name}.json").read_text(encoding="utf-8"))
        assert without_paths(hostile) == without_paths(alone)
        assert hostile["tasks"]
