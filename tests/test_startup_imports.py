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


def test_spacy_is_loaded_only_for_text_that_holds_a_registry_name():
    code = ("from plantasks.normalizers.agencies.spot import find_agencies\n"
            "from plantasks.normalizers.context import PlanContext\n"
            "import sys\n"
            "ctx = PlanContext(level='province', province='Thanh Hóa')\n"
            "assert find_agencies('Rà soát, cập nhật và báo cáo kết quả thực hiện trước ngày 15 hằng tháng.', ctx) == []\n"
            "assert 'spacy' not in sys.modules\n"
            "assert [m.name for m in find_agencies('Giao Sở Tư pháp chủ trì thực hiện.', ctx)] == ['Sở Tư pháp']")
    assert "spacy" in _loaded_after(code)
