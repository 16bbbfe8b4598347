"""The README's Python API example runs as printed (the code block under "## Python API")."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_example_runs(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    exec(compile(readme_example(), "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert "success" in printed[0] and len(printed) == 4


def test_public_names_are_documented():
    import plantasks

    for name in ("extract_file", "extract_bytes", "ExtractOptions", "ReadOptions"):
        assert getattr(plantasks, name).__doc__, name
    result = plantasks.extract_bytes(b"\x00\x01 not a plan", "x.bin")
    assert result.document.status == "failed" and result.warnings
