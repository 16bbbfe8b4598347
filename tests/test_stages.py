"""The stage list, its runner, and the core's independence from the review tools and the clock."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from plantasks.pipeline import stages
from plantasks.pipeline.stages import ExtractOptions, Runner, Source, run_document
from plantasks.schemas import DocumentResult

ROOT = Path(__file__).resolve().parent.parent
CORE = ("pipeline", "parsers", "normalizers", "schemas")
# The HTTP service serves the review page on the same ASGI application: like plantasks/cli.py it is
# an application that puts the pipeline and the review tools together, not a stage of the pipeline.
APPLICATIONS = {"pipeline/service.py"}

PLAN = """UY BAN NHÂN DÂN
TỈNH THÁI BÌNH
Số: 12/KH-UBND
Thái Bình, ngày 5 tháng 3 năm 2024
KẾ HOẠCH
Cải cách hành chính năm 2024
TT\tNội dung\tSản phẩm\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian
1\tRà soát văn bản quy phạm pháp luật\tBáo cáo\tSở Tư pháp\tCác sở, ngành\tQuý I/2024
2\tSố hóa hồ sơ thủ tục hành chính\tHồ sơ số\tVăn phòng UBND tỉnh\tCác sở, ngành\tTrong năm
"""


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("folder", CORE)
def test_the_core_imports_nothing_from_the_review_tools(folder):
    offenders = {str(p.relative_to(ROOT)): sorted(n for n in _imports(p) if n.startswith(("plantasks.review", "plantasks.cli")))
                 for p in (ROOT / folder).rglob("*.py") if str(p.relative_to(ROOT)) not in APPLICATIONS}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_running_the_pipeline_loads_no_review_module():
    code = ("import sys; from plantasks.pipeline.extract import extract_bytes; import plantasks.pipeline.cli, "
            "plantasks.pipeline.batch; extract_bytes(b'x', 'x.txt'); "
            "print(sorted(m for m in sys.modules if m.startswith('plantasks.review')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_stages_are_named_in_order():
    assert [s.__name__ for s in stages.STAGES] == ["read", "tables", "metadata", "tasks", "corrections", "write"]


def test_every_stage_is_timed():
    outcome = run_document(Source.of(PLAN.encode(), "plan.txt"))
    assert set(outcome.timings) == {"read", "tables", "metadata", "tasks", "corrections"}
    assert len(outcome.result.tasks) == 2


def test_a_failing_stage_becomes_a_warning_naming_it():
    def metadata(*_):
        raise KeyError("uy ban nhân dân")

    runner = Runner()
    assert runner.run(metadata, fallback="kept") == "kept"
    [warning] = runner.warnings
    assert warning.code == "stage_failed" and warning.message.startswith("metadata: KeyError")
    assert "metadata" in runner.timings


def test_an_issuer_missing_a_diacritic_is_read_not_fatal():
    result = run_document(Source.of(PLAN.encode(), "plan.txt")).result
    assert result.document.status == "success"
    assert result.document.issuer == "Ủy ban nhân dân tỉnh Thái Bình"
    assert not [w for w in result.warnings if w.code == "stage_failed"]


class _Store:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def apply(self, result: DocumentResult) -> DocumentResult:
        self.seen.append(result.document.sha256)
        tasks = [t.model_copy(update={"content": "Đã sửa", "corrected": ["content"]}) for t in result.tasks[:1]]
        return result.model_copy(update={"tasks": tasks + result.tasks[1:]})


def test_corrections_come_only_from_the_store_given(tmp_path):
    source = Source.of(PLAN.encode(), str(tmp_path / "plan.txt"))
    (tmp_path / "corrections.sqlite").write_bytes(b"not used unless named")
    plain = run_document(source).result
    store = _Store()
    corrected = run_document(source, ExtractOptions(corrections=store)).result
    assert store.seen == [source.sha256]
    assert [t.content for t in corrected.tasks] == ["Đã sửa", plain.tasks[1].content]
    assert plain.tasks[0].content == "Rà soát văn bản quy phạm pháp luật"


def test_a_failing_store_is_a_warning_and_the_tasks_stay():
    class Broken:
        def apply(self, result):
            raise OSError("database is locked")

    result = run_document(Source.of(PLAN.encode(), "plan.txt"), ExtractOptions(corrections=Broken())).result
    assert len(result.tasks) == 2
    assert [w.message.split(":")[0] for w in result.warnings if w.code == "stage_failed"] == ["corrections"]


def test_relative_deadlines_take_the_plan_date_not_the_clock():
    result = run_document(Source.of(PLAN.encode(), "plan.txt")).result
    assert result.document.plan_date == date(2024, 3, 5)
    items = result.tasks[1].deadline.items
    assert items and all("2024" in str(i.model_dump()) for i in items)


def test_cached_agency_and_deadline_records_are_handed_out_as_copies():
    from plantasks.normalizers.context import PlanContext
    from plantasks.pipeline.normalize import agencies_of, deadline_of

    ctx = PlanContext(level="province", province="Thanh Hóa", period_start=2025, period_end=2025,
                      reference_date=date(2025, 3, 1))
    cells = {"lead": "Sở Nội vụ", "support": "Sở Tư pháp; UBND các huyện"}
    (lead, support, _), (again, _, _) = agencies_of(cells, ctx, None), agencies_of(cells, ctx, None)
    assert [a.name for a in lead] == ["Sở Nội vụ"] and len(support) == 2
    assert lead == again and lead[0] is not again[0]
    assert again[0].model_fields_set == lead[0].model_fields_set
    lead[0].name = "changed by a caller"
    assert agencies_of(cells, ctx, None)[0][0].name == "Sở Nội vụ"
    first, _ = deadline_of("Trước ngày 30/6/2025", ctx)
    second, _ = deadline_of("Trước ngày 30/6/2025", ctx)
    assert first == second and first.items[0] is not second.items[0]
    assert str(first.items[0].due) == "2025-06-30"
    first.items[0].raw = "changed by a caller"
    assert deadline_of("Trước ngày 30/6/2025", ctx)[0].items[0].raw != "changed by a caller"
