"""Honest messages: every command-line flag a user message names exists in the `plantasks` program.

All string literals of the program (error and warning messages, printed lines, help texts,
f-string parts) are read; each `--flag` in them must be an option of some `plantasks` command.
"""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [p for folder in ("pipeline", "parsers", "normalizers", "schemas", "review", "plantasks")
           for p in (ROOT / folder).rglob("*.py")]
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*[a-z0-9]")


def named_flags() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # sentences only: a bare "--psm" is an argument handed to Tesseract or LibreOffice
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value.strip():
                for flag in FLAG.findall(node.value):
                    found.setdefault(flag, set()).add(str(path.relative_to(ROOT)))
    return found


def program_flags() -> set[str]:
    from plantasks.cli import register_review_commands, register_serve
    from plantasks.pipeline.cli import build_parser

    flags: set[str] = set()
    parsers = [build_parser([register_review_commands, register_serve])]
    while parsers:
        parser = parsers.pop()
        for action in parser._actions:
            flags.update(o for o in action.option_strings if o.startswith("--"))
            if isinstance(action, argparse._SubParsersAction):
                parsers.extend(action.choices.values())
    return flags


def test_every_flag_a_message_names_exists():
    existing = program_flags()
    assert {"--max-mb", "--corrections", "--out"} <= existing
    assert {f: sorted(p) for f, p in named_flags().items() if f not in existing} == {}


def test_the_size_limit_message_names_the_real_flag():
    from plantasks.parsers.blocks import ReaderError
    from plantasks.parsers.read import ReadOptions, read_document

    try:
        read_document(b"x" * 2048, "a.txt", ReadOptions(max_bytes=1000))
    except ReaderError as err:
        assert "--max-mb" in err.message and err.code == "too_large"
    else:
        raise AssertionError("a file over the limit must be refused")
