"""The review page in headless Chromium: edit, add, delete, save; the next extract carries exactly those corrections."""

from __future__ import annotations

import pytest

from plantasks.review.normalize import normalize_deadline_text, plan_context
from plantasks.review.store import CorrectionStore, default_store_path
from plantasks.schemas import DocumentResult
from review_support import extract, running, sample_run as extract_sample


@pytest.fixture
def sample_run(tmp_path):
    return extract_sample(tmp_path)


@pytest.fixture
def served(sample_run):
    _, out, _ = sample_run
    with running(out) as url:
        yield url + "/"


def open_task(page, stt: str) -> None:
    page.click(f'#tasks li:has(.stt:text-is("{stt}"))')
    page.wait_for_selector(f'#f-stt[value="{stt}"]')


def test_edit_add_delete_save_then_re_extract(sample_run, served, page, tmp_path):
    source, out, first = sample_run
    by_stt = {t.stt: t for t in first.tasks}
    page.goto(served)
    page.wait_for_selector("#tasks li")
    page.fill("#who", "Nguyễn Thị Lan")

    # edit a lead agency and a deadline of task 4
    open_task(page, "4")
    page.fill("#lead-box input", "Sở Tư pháp")
    with page.expect_response(lambda r: "/api/deadline" in r.url):
        page.fill("#f-deadline", "Quý IV/2025")
    page.wait_for_selector('[data-field="deadline"].changed')

    # add a missed task after task 2 (keyboard: n), with its lead agency
    open_task(page, "2")
    page.keyboard.press("n")
    page.wait_for_selector("#f-content:focus")
    page.keyboard.type("Số hóa kết quả giải quyết thủ tục hành chính.")
    page.fill("#f-stt", "2a")
    page.click('[data-add-agency="lead"]')
    page.fill("#lead-box input", "Văn phòng UBND tỉnh")

    # delete a spurious row (keyboard: x), then save with Ctrl+S
    page.keyboard.press("Escape")
    open_task(page, "6")
    page.keyboard.press("x")
    page.wait_for_selector('#tasks li.deleted')
    with page.expect_response(lambda r: "/api/save" in r.url) as saved:
        page.keyboard.press("Control+s")
    assert saved.value.ok
    page.wait_for_selector("#status.show:not(.error)")
    assert "Đã lưu 4 sửa đổi" in page.inner_text("#status")
    page.wait_for_selector('#tasks li .badge.added')
    assert page.locator("#tasks li").count() == len(first.tasks)  # one added, one deleted

    shot = tmp_path / "review.png"
    open_task(page, "4")
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000

    # the store holds exactly these four corrections, by this analyst
    stored = CorrectionStore(default_store_path(out)).all()
    assert sorted((c.field, c.status) for c in stored) == [
        ("add_task", "active"), ("deadline", "active"), ("delete_task", "active"), ("lead", "active")]
    assert {c.who for c in stored} == {"Nguyễn Thị Lan"}

    # re-extract: the new output carries exactly those corrections, marked as corrected
    second = extract(source, out)
    tasks = {t.id: t for t in second.tasks}
    t4 = tasks[by_stt["4"].id]
    assert [a.name for a in t4.lead] == ["Sở Tư pháp"]
    assert t4.deadline.raw == "Quý IV/2025"
    expected_items = normalize_deadline_text("Quý IV/2025", plan_context(first.document.model_dump(mode="json")))
    if expected_items is not None:
        assert [i.model_dump(mode="json") for i in t4.deadline.items] == expected_items
    assert sorted(t4.corrected) == ["deadline", "lead"]
    assert by_stt["6"].id not in tasks
    ids = [t.id for t in second.tasks]
    added = second.tasks[ids.index(by_stt["2"].id) + 1]
    assert added.id not in {t.id for t in first.tasks}
    assert added.content == "Số hóa kết quả giải quyết thủ tục hành chính." and added.stt == "2a"
    assert [a.name for a in added.lead][0].startswith("Văn phòng") and added.corrected == ["added"]
    untouched = [t for t in second.tasks if t.id not in (t4.id, added.id)]
    assert len(untouched) == len(first.tasks) - 2
    assert all(t.corrected == [] for t in untouched)
    for t in untouched:
        assert t.model_dump() == next(f for f in first.tasks if f.id == t.id).model_dump()
    assert not [w for w in second.warnings if w.code == "correction_conflict"]


def test_keyboard_navigation_help_accept_and_source_lines(served, sample_run, page):
    _, out, first = sample_run
    page.goto(served)
    page.wait_for_selector("#tasks li.current")
    first_id = page.get_attribute("#tasks li.current", "data-id")
    page.keyboard.press("j")
    page.wait_for_function(f"document.querySelector('#tasks li.current').dataset.id !== '{first_id}'")
    page.keyboard.press("k")
    assert page.get_attribute("#tasks li.current", "data-id") == first_id
    page.keyboard.press("?")
    assert page.is_visible("#help")
    page.keyboard.press("Escape")
    assert not page.is_visible("#help")
    # the source pane shows the task's lines from the text file, highlighted
    page.wait_for_selector("#source pre.lines .hit")
    task = next(t for t in first.tasks if t.id == first_id)
    hits = page.locator("#source .hit .ln").all_inner_texts()
    assert [int(n) for n in hits] == list(range(task.source.line_start, task.source.line_end + 1))
    assert task.content.split()[0] in page.inner_text("#source")
    # e edits, Escape leaves the field, a accepts, Ctrl+S saves
    page.keyboard.press("e")
    page.wait_for_selector("#f-content:focus")
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    page.wait_for_selector("#act-accept.on")
    with page.expect_response(lambda r: "/api/save" in r.url):
        page.keyboard.press("Control+s")
    page.wait_for_selector("#tasks li.current .badge.accepted")
    [accepted] = CorrectionStore(default_store_path(out)).all()
    assert accepted.field == "accepted" and accepted.task_id == first_id and accepted.after is True


def test_a_scanned_page_shows_the_cell_box(tmp_path, page):
    import hashlib

    from PIL import Image, ImageDraw

    from plantasks.schemas import DocumentMeta, Task, TaskSource

    pdf = tmp_path / "scan.pdf"
    image = Image.new("RGB", (842, 595), "white")  # landscape A4 at 72 dpi, as most appendix tables
    ImageDraw.Draw(image).rectangle((60, 300, 780, 360), outline="black")
    image.save(pdf, "PDF", resolution=72.0)
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    bbox = [60.0, 300.0, 780.0, 360.0]
    result = DocumentResult(
        document=DocumentMeta(id=sha[:16], source_file=str(pdf), sha256=sha, format="scanned_pdf", page_count=1),
        tasks=[Task(id="s1", table="PHỤ LỤC", stt="1", content="Kiện toàn bộ máy.",
                    source=TaskSource(file=str(pdf), page=1, bbox=bbox))])
    out = tmp_path / "out"
    out.mkdir()
    (out / "scan.pdf.json").write_text(result.model_dump_json(), encoding="utf-8")
    with running(out) as url:
        page.goto(url + "/")
        page.wait_for_selector("#source .page .bbox")
        page.wait_for_function("document.querySelector('#source .page img').naturalWidth > 0")
        img = page.locator("#source .page img").bounding_box()
        box = page.locator("#source .page .bbox").bounding_box()
        assert abs((box["x"] - img["x"]) / img["width"] - bbox[0] / 842) < 0.01
        assert abs((box["y"] - img["y"]) / img["height"] - bbox[1] / 595) < 0.01
        assert abs(box["width"] / img["width"] - (bbox[2] - bbox[0]) / 842) < 0.01
        assert "Trang 1" in page.inner_text("#source h3")
        page.click('[data-zoom="1"]')
        page.wait_for_function("document.querySelector('#source .zoom').textContent.includes('150%')")


def test_conflicts_after_a_source_change_are_resolved_on_the_page(sample_run, page):
    from plantasks.review.edits import Deletion, TaskEdit, corrections_for

    source, out, first = sample_run
    by_stt = {t.stt: t for t in first.tasks}
    batch = corrections_for(first, "lan", [TaskEdit(by_stt["4"].id, {"lead": ["Sở Tư pháp"]})],
                            deleted=[Deletion(by_stt["6"].id)])
    CorrectionStore(default_store_path(out)).save(batch.corrections)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("\tSở Nội vụ.\n\tHội đồng", "\tSở Tài chính.\n\tHội đồng")
                      .replace("Tổng hợp, báo cáo tình hình", "Sơ kết tình hình"), encoding="utf-8")
    extract(source, out)
    with running(out) as url:
        page.goto(url + "/")
        # the conflicting task comes first and says what happened
        page.wait_for_selector("#tasks li.current .badge.conflict")
        assert page.input_value("#f-stt") == "4"
        assert "Sở Tài chính" in page.inner_text(".notice.conflict")
        assert "Tổng hợp, báo cáo" in page.inner_text("#doc-conflicts")
        # re-apply the stored value on task 4; drop the deletion that no longer matches a row
        with page.expect_response(lambda r: "/api/save" in r.url):
            page.click("text=Dùng giá trị đã sửa")
        page.wait_for_selector(".notice.conflict", state="detached")
        with page.expect_response(lambda r: "/api/withdraw" in r.url):
            page.click("#doc-conflicts button")
        page.wait_for_selector("#doc-conflicts .orphan", state="detached")
        assert "0 xung đột" in page.inner_text("#stats")
    result = extract(source, out)
    final = {t.stt: t for t in result.tasks}
    assert [a.name for a in final["4"].lead] == ["Sở Tư pháp"] and final["4"].corrected == ["lead"]
    assert final["6"].content.startswith("Sơ kết")
    assert not [w for w in result.warnings if w.code == "correction_conflict"]
