"""The registry of warning and flag codes (schemas/codes.yaml) and the code that emits them agree.

The emitting code is read, not run: every string used as a code (first argument or `code=` of
ReaderIssue/ReaderError/Warning/Leftover/DecodeIssue, the code argument of the batch's failures,
a literal appended to a flags list, a module constant holding a flag) must be registered, and
every registered code must be emitted somewhere.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from plantasks.schemas.codes import flag_codes, registry, warning_codes

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [p for folder in ("pipeline", "parsers", "normalizers", "schemas", "review") for p in (ROOT / folder).rglob("*.py")]
CODE_CALLS = {"ReaderIssue", "ReaderError", "Warning", "Leftover", "DecodeIssue"}
SNAKE = re.compile(r"^[a-z]+(_[a-z0-9]+)*$")
# registered for the review page's filter, never written into an output
NOT_EMITTED = {"low_confidence"}


def _text(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def emitted_codes() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}

    def add(code: str | None, path: Path) -> None:
        if code and SNAKE.match(code):
            found.setdefault(code, set()).add(str(path.relative_to(ROOT)))

    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name in CODE_CALLS and node.args:
                    add(_text(node.args[0]), path)
                if name in CODE_CALLS:
                    for kw in node.keywords:
                        if kw.arg == "code":
                            add(_text(kw.value), path)
                if name == "_failed" and len(node.args) >= 4:  # _failed(job, data, status, code, message)
                    add(_text(node.args[3]), path)
                if name in ("append", "add") and isinstance(node.func, ast.Attribute) \
                        and "flag" in ast.unparse(node.func.value).lower():
                    for arg in node.args:
                        add(_text(arg), path)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = ast.unparse(node.targets[0])
                if target.isupper() and re.search(r"FLAG|CONFLICT|UNPARSED|UNRESOLVED|INVALID|INVERTED|REPAIRED|"
                                                  r"OUTSIDE|ERROR$", target):
                    add(_text(node.value), path)
                if target == "flags" and isinstance(node.value, ast.IfExp) and isinstance(node.value.body, ast.List):
                    for element in node.value.body.elts:
                        add(_text(element), path)
    return found


def test_every_emitted_code_is_registered():
    known = set(warning_codes()) | set(flag_codes())
    assert {c: sorted(p) for c, p in emitted_codes().items() if c not in known} == {}


def test_every_registered_code_is_emitted():
    emitted = set(emitted_codes())
    assert sorted((set(warning_codes()) | set(flag_codes())) - emitted - NOT_EMITTED) == []


def test_entries_are_complete():
    for section in registry().values():
        for entry in section.values():
            assert entry.severity in ("error", "warning", "info") and entry.label and entry.meaning, entry.code


def test_the_published_schema_lists_the_codes_as_enums():
    schema = json.loads((ROOT / "schemas" / "document.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["Warning"]["properties"]["code"]["enum"] == list(warning_codes())
    assert schema["$defs"]["Task"]["properties"]["flags"]["items"]["enum"] == list(flag_codes())


def test_review_and_spreadsheet_labels_come_from_the_registry():
    from plantasks.review.fields import flag_label, labels

    assert labels()["flags"]["agency_unknown"] == registry()["flags"]["agency_unknown"].label
    assert flag_label("deadline_unparsed") == "Không đọc được thời hạn"
    assert set(labels()["warnings"]) == set(warning_codes())
