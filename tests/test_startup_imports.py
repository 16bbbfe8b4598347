"""`plantasks --help` and the argument parsing must not pay for the web stack, spaCy or the PDF reader:
those are imported by the commands that use them. Checked in a fresh interpreter through sys.modules."""

import json
import subprocess
import sys

HEAVY = ("fastapi", "uvicorn", "spacy", "pdfplumber", "pydantic", "docx", "underthesea", "dask")


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return {name.split(".")[0] for name in json.loads(out.splitlines()[-1])}


def test_importing_the_cli_loads_no_heavy_library():
    assert _loaded_after("import plantasks.cli").isdisjoint(HEAVY)


def test_building_every_command_parser_loads_no_heavy_library():
    code = ("from plantasks.cli import register_review_commands, register_serve\n"
            "from plantasks.pipeline.cli import build_parser\n"
            "build_parser([register_review_commands, register_serve]).parse_args(['schema', 'run'])")
    assert _loaded_after(code).isdisjoint(HEAVY)


def test_schema_choices_are_the_output_models():
    from plantasks.pipeline.cli import SCHEMA_NAMES
    from plantasks.schemas import OUTPUT_MODELS

    assert SCHEMA_NAMES == tuple(sorted(OUTPUT_MODELS))
