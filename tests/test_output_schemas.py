"""Every output file of a run validates against its published JSON Schema (schemas/*.schema.json)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from plantasks.cli import main
from plantasks.schemas import OUTPUT_MODELS, json_schema
from samples import SAMPLES

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
INPUTS = [FIXTURES / "review" / "ke_hoach_mau.txt", SAMPLES / "002_45228b90b1913796.docx",
          FIXTURES / "html" / "portal_page.html", FIXTURES / "bad" / "encrypted.pdf"]


def published(name: str) -> Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("name", sorted(OUTPUT_MODELS))
def test_published_schemas_are_current_and_identified(name):
    committed = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(name), "run `make schema` and commit schemas/"
    assert committed["$schema"].startswith("https://json-schema.org/draft/2020-12")
    assert committed["$id"] == f"urn:plantasks:schema:{name}:1.0"


def test_every_output_file_of_a_run_validates(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for path in INPUTS:
        shutil.copy(path, inputs / path.name)
    out = tmp_path / "out"
    assert main(["extract", str(inputs), "--out", str(out), "--quiet", "--no-ocr"]) == 1  # the encrypted PDF fails
    documents = sorted(p for p in out.glob("*.json") if p.name != "run.json")
    assert len(documents) == len(INPUTS)
    for path in documents:
        published("document").validate(json.loads(path.read_text(encoding="utf-8")))
    lines = (out / "tasks.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) > 10
    task_schema = published("task")
    for line in lines:
        task_schema.validate(json.loads(line))
    rows = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(INPUTS)
    for line in rows:
        published("catalogue").validate(json.loads(line))
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    published("run").validate(run)
    assert {d["status"] for d in run["documents"]} >= {"failed", "success"}


def test_the_task_schema_refuses_a_line_without_its_document():
    line = {"id": "t1", "table": "PHỤ LỤC", "content": "Rà soát.", "source_file": "kh.txt"}
    errors = list(published("task").iter_errors(line))
    assert [e.message for e in errors] == ["'document_id' is a required property"]
