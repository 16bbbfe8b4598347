"""A re-run after a few inputs changed pays only for those: the exports are patched (not rebuilt) yet
equal a full rebuild, are left alone when nothing changed, are rebuilt when edited from outside; the
tagger's answers kept in the catalogue spare a re-run loading underthesea."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from test_batch_catalogue import PLANTASKS, SEEDS, assert_consistent, extract, make_inputs, variant


def _change(path: Path, k: int) -> None:
    path.write_bytes(variant(SEEDS[k % len(SEEDS)], 100 + k))


def test_patched_exports_equal_a_full_rebuild(tmp_path):
    inputs = make_inputs(tmp_path / "in", 8)
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    assert extract(tmp_path / "in", "--out", out) == 0
    _change(inputs[2], 2)
    _change(inputs[5], 5)
    inputs[7].unlink()
    (tmp_path / "in" / "plan_000a.txt").write_bytes(variant(SEEDS[0], 77))  # sorts between two unchanged ones
    assert extract(tmp_path / "in", "--out", out) == 0
    assert extract(tmp_path / "in", "--out", fresh) == 0
    assert (out / "tasks.jsonl").read_bytes() == (fresh / "tasks.jsonl").read_bytes()
    assert_consistent(out)
    statuses = {Path(d["file"]).name: d["status"] for d in json.loads((out / "run.json").read_text())["documents"]}
    assert statuses["plan_002.txt"] == statuses["plan_000a.txt"] == "success" and statuses["plan_003.txt"] == "unchanged"


def test_exports_are_left_alone_when_nothing_changed_and_rebuilt_when_edited(tmp_path):
    make_inputs(tmp_path / "in", 4)
    out = tmp_path / "out"
    assert extract(tmp_path / "in", "--out", out) == 0
    tasks, documents = out / "tasks.jsonl", out / "documents.jsonl"
    good, before = tasks.read_bytes(), (tasks.stat().st_ino, documents.stat().st_ino)
    assert extract(tmp_path / "in", "--out", out) == 0
    assert (tasks.stat().st_ino, documents.stat().st_ino) == before  # not rewritten
    with open(tasks, "ab") as fh:  # edited by someone else: the recorded places no longer hold
        fh.write(b'{"not": "ours"}\n')
    tasks.write_bytes(b"x" * 10 + good[: len(good) // 2])
    documents.unlink()
    assert extract(tmp_path / "in", "--out", out) == 0
    assert tasks.read_bytes() == good and documents.exists()
    assert_consistent(out)


def test_a_rerun_uses_the_taggers_answers_kept_in_the_catalogue(tmp_path):
    inputs = make_inputs(tmp_path / "in", 3)
    out = tmp_path / "out"
    run = [*PLANTASKS, "extract", str(tmp_path / "in"), "--out", str(out), "--quiet", "--workers", "1"]
    subprocess.run(run, check=True)  # a fresh process: nothing known before
    kept = sqlite3.connect(out / "catalogue.sqlite").execute("SELECT model FROM answers").fetchall()
    assert any(model.startswith("underthesea ") for model, in kept)
    inputs[1].write_bytes(inputs[1].read_bytes() + "\nGhi chú: bản sửa.\n".encode())
    probe = ("import sys\nfrom plantasks.cli import main\n"
             f"code = main(['extract', {str(tmp_path / 'in')!r}, '--out', {str(out)!r}, '--quiet', '--workers', '1'])\n"
             "print(code, 'underthesea' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "False"]
    rows = {Path(r["source_path"]).name: r for r in map(json.loads, (out / "documents.jsonl").read_text().splitlines())}
    assert rows["plan_001.txt"]["status"] == "success"
    fresh = tmp_path / "fresh"  # the same inputs from scratch, with the tagger
    subprocess.run([*PLANTASKS, "extract", str(tmp_path / "in"), "--out", str(fresh), "--quiet", "--workers", "1"], check=True)
    assert (out / "tasks.jsonl").read_bytes() == (fresh / "tasks.jsonl").read_bytes()
    assert_consistent(out)


def test_the_tagger_answers_what_underthesea_answers():
    from underthesea import pos_tag

    from plantasks.normalizers import pos

    for text in ("Người dân", "Thực hiện rà soát", "Theo phân công", ""):
        expected = pos_tag(text)
        assert pos.first_tag(text) == (expected[0][1] if expected else "")
    assert {"Người dân", "Thực hiện rà soát"} <= set(pos.ANSWERS.asked()) and pos.ANSWERS.asked() == {}


def test_a_rerun_with_nothing_to_redo_loads_no_stage(tmp_path):
    make_inputs(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert extract(tmp_path / "in", "--out", out) == 0
    probe = ("import sys\nfrom plantasks.cli import main\n"
             f"code = main(['extract', {str(tmp_path / 'in')!r}, '--out', {str(out)!r}, '--quiet'])\n"
             "print(code, sorted({'plantasks.pipeline.stages', 'pydantic', 'underthesea', 'spacy'} & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0 []"
    assert {d["status"] for d in json.loads((out / "run.json").read_text())["documents"]} == {"unchanged"}


def test_a_catalogue_of_the_previous_schema_is_upgraded_in_place(tmp_path):
    inputs = make_inputs(tmp_path / "in", 3)
    out = tmp_path / "out"
    assert extract(tmp_path / "in", "--out", out) == 0
    db = sqlite3.connect(out / "catalogue.sqlite")
    for table in ("exported", "unexported", "state", "answers"):  # what schema 1 did not have
        db.execute(f"DROP TABLE {table}")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    _change(inputs[0], 0)
    assert extract(tmp_path / "in", "--out", out) == 0
    assert sqlite3.connect(out / "catalogue.sqlite").execute("PRAGMA user_version").fetchone()[0] == 3
    assert_consistent(out)
