"""The review queue over a folder of two plans, in headless Chromium at 1366×768 and 1920×1080.

Set REVIEW_SCREENSHOTS=docs to refresh the screenshots the README shows.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
import pytest

from plantasks.review.store import CorrectionStore, default_store_path
from review_support import REVIEW_PLAN, extract, running

SECOND_PLAN = REVIEW_PLAN.with_name("ke_hoach_so_hoa.txt")  # 456/QĐ-UBND: an unknown agency, "Tháng 6 và tháng 12 hằng năm"
WARN_BG = "rgb(255, 244, 229)"


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for plan in (REVIEW_PLAN, SECOND_PLAN):
        shutil.copy(plan, src / plan.name)
    out = tmp_path / "out"
    for plan in (REVIEW_PLAN, SECOND_PLAN):
        extract(src / plan.name, out)
    return out


@pytest.fixture
def served(folder):
    with running(folder) as url:
        yield url


def current(page) -> tuple[str, str]:
    li = page.locator("#tasks li.current")
    return li.get_attribute("data-doc"), page.input_value("#f-stt")


def listed_docs(page) -> set[str]:
    return set(page.eval_on_selector_all("#tasks li", "els => els.map(e => e.dataset.doc)"))


def hits(page) -> str:
    return "\n".join(page.locator("#source .hit").all_inner_texts())


def open_task(page, doc_label: str, stt: str) -> None:
    page.click(f'#tasks li[title^="{doc_label}"]:has(.stt:text-is("{stt}"))')
    page.wait_for_function(f"document.querySelector('#doc-title').textContent.startsWith('{doc_label}')")
    page.wait_for_selector(f'#f-stt[value="{stt}"]')


def test_queue_across_two_documents(served, folder, page, tmp_path):
    page.goto(served + "/")
    page.wait_for_selector("#tasks li.current")
    # one queue over both documents, the tasks needing a look (an unknown agency in each plan) first
    assert len(listed_docs(page)) == 2 and page.locator("#tasks li").count() == 9
    flagged = page.eval_on_selector_all("#tasks li", "els => els.map(e => !!e.querySelector('.badge.flag'))")
    assert flagged == [True, True] + [False] * 7
    assert len(set(page.eval_on_selector_all("#tasks li", "els => els.slice(0, 2).map(e => e.dataset.doc)"))) == 2
    assert page.inner_text("#doc-title").startswith("123/QĐ-UBND — Kế hoạch cải cách hành chính")
    open_task(page, "456/QĐ-UBND", "2")
    # documents are named by number and title, never by file name
    options = page.locator("#f-document option").all_inner_texts()
    assert any(o.startswith("123/QĐ-UBND — Kế hoạch cải cách hành chính") for o in options)
    assert not any(".txt" in o for o in options)

    # the unknown agency is visibly marked, every flag is in Vietnamese
    unknown = page.locator("#lead-box input.unmatched")
    assert unknown.input_value() == "Ban Quản lý Khu công nghệ cao Đà Lạt"
    assert unknown.evaluate("e => getComputedStyle(e).backgroundColor") == WARN_BG
    assert "Cơ quan không có trong danh mục" in page.inner_text("#lead-box")
    assert "Cơ quan không có trong danh mục" in page.inner_text(".notice.flag")
    assert "agency_unknown" not in page.inner_text("#editor") + page.inner_text("#tasks")

    # task and source side by side, both whole on a 1366×768 screen
    editor, source = page.locator("#editor").bounding_box(), page.locator("#source").bounding_box()
    assert source["x"] >= editor["x"] + editor["width"] - 1 and source["x"] + source["width"] <= 1366
    assert editor["width"] >= 360 and source["width"] >= 420
    page.wait_for_selector("#source pre.lines .hit")
    assert "Ban Quản lý Khu công nghệ cao" in hits(page)
    screenshot(page, tmp_path, "review-1366x768.png")

    # filters: by flag, then by document
    page.select_option("#f-flag", "agency_unknown")
    page.wait_for_function("document.querySelectorAll('#tasks li').length === 2")
    page.select_option("#f-flag", "")
    page.wait_for_function("document.querySelectorAll('#tasks li').length === 9")
    page.fill("#f-agency", "nội vụ")
    page.wait_for_function("document.querySelectorAll('#tasks li').length === 5")
    page.fill("#f-agency", "")
    page.wait_for_function("document.querySelectorAll('#tasks li').length === 9")

    # j walks the queue from one document into the other
    page.keyboard.press("Escape")  # leave the filter box: keys now drive the list
    seen = {current(page)[0]}
    for _ in range(8):
        page.keyboard.press("j")
        page.wait_for_timeout(50)
        seen.add(current(page)[0])
    assert len(seen) == 2

    # the deadline preview shows the months of a recurrence, in Vietnamese
    open_task(page, "456/QĐ-UBND", "1")
    assert "Định kỳ hằng năm: «Tháng 6 và tháng 12 hằng năm»" in page.inner_text("#deadline-preview")
    with page.expect_response(lambda r: "/api/deadline" in r.url):
        page.fill("#f-deadline", "Hằng quý, tháng 6 và tháng 12/2025")
    page.wait_for_function("document.querySelector('#deadline-preview').textContent.includes('30/06/2025')")
    preview = page.inner_text("#deadline-preview")
    assert "Định kỳ hằng quý: «Hằng quý»" in preview and "01/12/2025 → 31/12/2025" in preview

    # invalid edits are refused with a message, nothing is stored
    page.fill("#f-content", " ")
    assert "Nội dung không được để trống" in page.inner_text("#problems")
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    page.wait_for_selector("#status.error")
    page.fill("#f-content", "Số hóa hồ sơ thủ tục hành chính.")
    page.fill('#items-box tr[data-i="1"] input[data-item="start"]', "2025-12-01")
    page.fill('#items-box tr[data-i="1"] input[data-item="due"]', "2025-01-31")
    assert "Ngày bắt đầu phải trước hoặc bằng hạn" in page.inner_text("#problems")
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    page.wait_for_selector("#status.error")
    assert "Ngày bắt đầu" in page.inner_text("#status")
    assert CorrectionStore(default_store_path(folder)).all() == []

    # n (add a task) keeps the source of the row above in view
    page.fill('#items-box tr[data-i="1"] input[data-item="start"]', "2025-01-01")
    page.keyboard.press("Escape")
    page.keyboard.press("n")
    page.wait_for_selector("#f-content:focus")
    page.wait_for_selector("#source pre.lines .hit")
    assert "Số hóa hồ sơ, kết quả giải quyết" in hits(page)
    page.keyboard.type("Tập huấn sử dụng kho dữ liệu số.")

    # someone else saves the same task meanwhile: the save is refused and shows both values
    data = httpx.get(f"{served}/api/queue", params={"q": "Số hóa hồ sơ, kết quả"}).json()["items"][0]
    other = httpx.get(f"{served}/api/document", params={"doc": data["doc"]}).json()
    task = next(t for t in other["tasks"] if t["id"] == data["id"])
    r = httpx.post(f"{served}/api/save", json={"doc": data["doc"], "who": "minh", "edits": [
        {"task": task["id"], "version": task["version"], "fields": {"content": "Bản của Minh."}}]})
    assert r.status_code == 200
    page.keyboard.press("Escape")
    with page.expect_response(lambda r: "/api/save" in r.url) as refused:
        page.keyboard.press("Control+s")
    assert refused.value.status == 409
    open_task(page, "456/QĐ-UBND", "1")
    notice = page.inner_text(".notice.version")
    assert "Bản của Minh." in notice and "Số hóa hồ sơ thủ tục hành chính." in notice
    with page.expect_response(lambda r: "/api/save" in r.url) as saved:
        page.keyboard.press("Control+s")
    assert saved.value.ok
    page.wait_for_selector("#status.show:not(.error)")
    stored = {(c.who, c.field) for c in CorrectionStore(default_store_path(folder)).all(("active",))}
    assert stored == {("", "content"), ("", "deadline"), ("", "add_task")}  # Minh's content superseded, on purpose


def test_wide_screen_layout(served, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
    page.goto(served + "/")
    page.wait_for_selector("#source pre.lines .hit")
    editor, source = page.locator("#editor").bounding_box(), page.locator("#source").bounding_box()
    assert source["x"] >= editor["x"] + editor["width"] - 1 and source["x"] + source["width"] <= 1920
    screenshot(page, tmp_path, "review-1920x1080.png")


def screenshot(page, tmp_path: Path, name: str) -> None:
    shot = tmp_path / name
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("REVIEW_SCREENSHOTS"):
        shutil.copy(shot, Path(os.environ["REVIEW_SCREENSHOTS"]) / name)
