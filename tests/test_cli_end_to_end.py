"""The CLI end to end on the sample plans: golden outputs, run.json, exit codes, batch isolation.

Golden files are regenerated only on purpose: PLANTASKS_REGEN_GOLDEN=1 pytest tests/test_cli_end_to_end.py
"""

import json
import os
import shutil
from pathlib import Path

import pytest

from plantasks.pipeline.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("PLANTASKS_REGEN_GOLDEN") == "1"


def comparable(doc: dict) -> dict:
    """The output without what legitimately differs between machines (absolute paths)."""
    doc = json.loads(json.dumps(doc))
    doc["document"]["source_file"] = Path(doc["document"]["source_file"]).name
    for task in doc["tasks"]:
        task["source"]["file"] = Path(task["source"]["file"]).name
    return doc


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    code = main(["extract", *map(str, SEEDS), "--out", str(out), "--quiet"])
    return code, out


def test_exit_code_and_one_output_per_input(sample_run):
    code, out = sample_run
    assert code == 0
    assert sorted(p.name for p in out.glob("*.txt.json")) == sorted(f"{p.name}.json" for p in SEEDS)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_output_matches_golden(sample_run, seed):
    _, out = sample_run
    produced = comparable(json.loads((out / f"{seed.name}.json").read_text(encoding="utf-8")))
    golden = GOLDEN / f"{seed.name}.json"
    if REGEN:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(json.dumps(produced, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert produced == json.loads(golden.read_text(encoding="utf-8"))


def test_tasks_jsonl_and_run_json(sample_run):
    _, out = sample_run
    lines = (out / "tasks.jsonl").read_text(encoding="utf-8").splitlines()
    docs = [json.loads((out / f"{p.name}.json").read_text(encoding="utf-8")) for p in SEEDS]
    assert len(lines) == sum(len(d["tasks"]) for d in docs) == 121
    first = json.loads(lines[0])
    assert first["document_id"] == docs[0]["document"]["id"] and first["id"] == docs[0]["tasks"][0]["id"]
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["counts"]["documents"] == 3 and run["counts"]["tasks"] == 121
    assert {d["status"] for d in run["documents"]} == {"success"}
    assert all("read" in d["timings"] and "tasks" in d["timings"] for d in run["documents"])
    assert all(d["unknown_agency_rate"] is not None for d in run["documents"])


def test_output_validates_against_committed_schema(sample_run):
    from plantasks.schemas import DocumentResult

    _, out = sample_run
    for p in SEEDS:
        DocumentResult.model_validate_json((out / f"{p.name}.json").read_text(encoding="utf-8"))


def test_bad_document_does_not_stop_the_batch(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS[0], inputs / "good.txt")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "broken.docx").write_bytes(b"PK\x03\x04 this is not really a zip")
    out = tmp_path / "out"
    code = main(["extract", str(inputs), "--out", str(out), "--quiet"])
    assert code == 1
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    status = {Path(d["file"]).name: d["status"] for d in run["documents"]}
    assert status == {"good.txt": "success", "empty.txt": "failed", "broken.docx": "failed"}
    empty = json.loads((out / "empty.txt.json").read_text(encoding="utf-8"))
    assert empty["warnings"][0]["code"] == "empty"
    assert len(json.loads((out / "good.txt.json").read_text(encoding="utf-8"))["tasks"]) == 47


def test_a_failing_rerun_keeps_the_earlier_output(tmp_path):
    doc = tmp_path / "plan.txt"
    shutil.copy(SEEDS[0], doc)
    out = tmp_path / "out"
    assert main(["extract", str(doc), "--out", str(out), "--quiet"]) == 0
    before = (out / "plan.txt.json").read_text(encoding="utf-8")
    doc.write_bytes(b"")
    assert main(["extract", str(doc), "--out", str(out), "--quiet"]) == 1
    assert (out / "plan.txt.json").read_text(encoding="utf-8") == before
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["documents"][0]["kept_previous_output"] is True


def test_usage_errors_exit_non_zero(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["extract"])
    assert exc.value.code == 2


def test_same_file_name_in_two_folders_does_not_collide(tmp_path):
    for folder, seed in (("a", SEEDS[1]), ("b", SEEDS[2])):
        (tmp_path / folder).mkdir()
        shutil.copy(seed, tmp_path / folder / "plan.txt")
    out = tmp_path / "out"
    assert main(["extract", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(out), "--quiet"]) == 0
    outputs = sorted(p.name for p in out.glob("plan.txt*.json"))
    assert len(outputs) == 2 and "plan.txt.json" in outputs


def test_schema_command_prints_the_committed_schema(capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    committed = json.loads((Path(__file__).parents[1] / "schemas" / "document.schema.json").read_text(encoding="utf-8"))
    assert printed == committed
