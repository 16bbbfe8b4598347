"""The review server's JSON API, over real HTTP on the loopback address."""

from __future__ import annotations

import hashlib
import io
import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from plantasks.cli import main as plantasks_main
from plantasks.review.server import ReviewApp, review_order
from plantasks.review.store import CorrectionStore, default_store_path
from plantasks.schemas import DocumentMeta, DocumentResult, Task, TaskSource

from review_support import running, sample_run


def make_pdf(path: Path) -> None:
    """A one-page 'scan' (an image saved as PDF, 612x792 pt at 72 dpi) with a box where the task's cell is."""
    image = Image.new("RGB", (612, 792), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 200, 400, 260), outline="black")
    draw.text((110, 220), "Sở Nội vụ", fill="black")
    image.save(path, "PDF", resolution=72.0)


@pytest.fixture
def out(tmp_path):
    _, out, _ = sample_run(tmp_path)
    pdf = tmp_path / "src" / "scan.pdf"
    make_pdf(pdf)
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    result = DocumentResult(
        document=DocumentMeta(id=sha[:16], source_file=str(pdf), sha256=sha, format="scanned_pdf", page_count=1),
        tasks=[Task(id="p1", table="PHỤ LỤC", stt="1", content="Kiện toàn bộ máy.", confidence=0.55,
                    flags=["low_ocr_confidence"], source=TaskSource(file=str(pdf), page=1, bbox=[100, 200, 400, 260])),
               Task(id="p2", table="PHỤ LỤC", stt="2", content="Tinh giản biên chế.",
                    source=TaskSource(file=str(pdf), page=1, bbox=[100, 300, 400, 360]))],
    )
    (out / "scan.pdf.json").write_text(result.model_dump_json(), encoding="utf-8")
    return out


@pytest.fixture
def base_url(out):
    with running(out) as url:
        yield url


def get(base_url: str, path: str):
    with urllib.request.urlopen(base_url + path, timeout=10) as r:
        body = r.read()
        return json.loads(body) if r.headers["Content-Type"].startswith("application/json") else body


def post(base_url: str, path: str, body: dict):
    req = urllib.request.Request(base_url + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def status_of(call) -> int:
    with pytest.raises(urllib.error.HTTPError) as err:
        call()
    return err.value.code


def docs_by_file(base_url: str) -> dict:
    return {d["file"]: d for d in get(base_url, "/api/documents")}


def test_page_and_assets_are_served_locally(base_url):
    html = get(base_url, "/").decode()
    assert '<html lang="vi">' in html and "/static/app.js" in html
    assert "http" not in html.replace('href="data:,"', ""), "no external resources"
    for asset in ("/static/app.js", "/static/app.css"):
        assert len(get(base_url, asset)) > 1000
    assert status_of(lambda: get(base_url, "/static/../server.py")) == 404


def test_documents_list_counts_flagged_tasks(base_url):
    docs = docs_by_file(base_url)
    assert set(docs) == {"ke_hoach_mau.txt.json", "scan.pdf.json"}
    assert docs["scan.pdf.json"]["flagged"] == 1 and docs["scan.pdf.json"]["tasks"] == 2
    assert docs["ke_hoach_mau.txt.json"]["tasks"] == 6


def test_flagged_and_low_confidence_tasks_come_first():
    tasks = [{"id": "a", "flags": [], "confidence": 1.0, "corrected": []},
             {"id": "b", "flags": [], "confidence": 0.5, "corrected": []},
             {"id": "c", "flags": ["correction_conflict"], "confidence": 1.0, "corrected": []},
             {"id": "d", "flags": [], "confidence": 1.0, "corrected": ["accepted"]},
             {"id": "e", "flags": ["unknown_agency"], "confidence": 1.0, "corrected": []}]
    assert review_order(tasks) == ["c", "b", "e", "a", "d"]


def test_text_source_lines_with_context(base_url):
    doc = docs_by_file(base_url)["ke_hoach_mau.txt.json"]
    data = get(base_url, f"/api/document?doc={doc['id']}")
    task = data["tasks"][3]
    src = get(base_url, f"/api/source?doc={doc['id']}&task={task['id']}")
    assert src["kind"] == "text"
    hits = [l for l in src["lines"] if l["hit"]]
    assert [l["n"] for l in hits] == list(range(task["source"]["line_start"], task["source"]["line_end"] + 1))
    assert any(task["content"] in l["text"] for l in hits)
    assert src["lines"][0]["n"] < hits[0]["n"]


def test_pdf_source_is_a_rendered_page_with_the_cell_box(base_url):
    doc = docs_by_file(base_url)["scan.pdf.json"]
    src = get(base_url, f"/api/source?doc={doc['id']}&task=p1")
    assert src["kind"] == "page" and src["page"] == 1 and src["bbox"] == [100, 200, 400, 260]
    assert (round(src["width"]), round(src["height"])) == (612, 792)
    png = get(base_url, src["image"])
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1224, 1584)  # 2x
    # the drawn rectangle is where the bbox says (scaled): its top edge is dark
    assert image.convert("L").getpixel((int(250 * 2), int(200 * 2))) < 128
    assert status_of(lambda: get(base_url, f"/api/page?doc={doc['id']}&page=7")) == 404


def test_agency_suggestions_match_prefix_without_accents(base_url):
    names = get(base_url, "/api/agencies?q=so%20noi")["names"]
    assert "Sở Nội vụ" in names
    assert get(base_url, "/api/agencies?q=")["names"] == []


def test_deadline_preview_normalizes_the_typed_text(base_url):
    doc = docs_by_file(base_url)["ke_hoach_mau.txt.json"]
    r = get(base_url, f"/api/deadline?doc={doc['id']}&text=Qu%C3%BD%20II%2F2025")
    assert set(r) == {"items", "text"}
    assert [(i["kind"], i["start"], i["due"]) for i in r["items"]] == [("quarter", "2025-04-01", "2025-06-30")]


def test_save_then_withdraw_a_deletion_restores_the_task(base_url, out):
    doc = docs_by_file(base_url)["scan.pdf.json"]
    r = post(base_url, "/api/save", {"doc": doc["id"], "who": "an", "deleted": ["p2"],
                                     "edits": [{"task": "p1", "fields": {"content": "Kiện toàn tổ chức bộ máy."}}]})
    assert r["saved"] == 2
    assert [t["id"] for t in r["document"]["tasks"]] == ["p1"]
    assert r["document"]["tasks"][0]["corrected"] == ["content"]
    [deletion] = [c for c in r["document"]["history"] if c["field"] == "delete_task"]
    r = post(base_url, "/api/withdraw", {"doc": doc["id"], "ids": [deletion["id"]]})
    assert r["withdrawn"] == 1 and [t["id"] for t in r["document"]["tasks"]] == ["p1", "p2"]
    assert {c.status for c in CorrectionStore(default_store_path(out)).all()} == {"active", "withdrawn"}


def test_bad_requests_are_refused_with_a_reason(base_url):
    doc = docs_by_file(base_url)["scan.pdf.json"]
    assert status_of(lambda: get(base_url, "/api/document?doc=nope")) == 404
    assert status_of(lambda: post(base_url, "/api/save", {"doc": doc["id"], "edits": [
        {"task": "p1", "fields": {"area": "weather"}}]})) == 422
    assert status_of(lambda: post(base_url, "/api/save", {"edits": []})) == 422
    assert CorrectionStore(default_store_path(Path(doc["source_file"]).parents[1] / "out")).all() == []


def test_cross_site_posts_and_foreign_hosts_are_refused(base_url):
    doc = docs_by_file(base_url)["scan.pdf.json"]
    form = urllib.request.Request(base_url + "/api/save", method="POST", data=json.dumps({"doc": doc["id"]}).encode(),
                                  headers={"Content-Type": "text/plain"})
    assert status_of(lambda: urllib.request.urlopen(form, timeout=10)) == 415
    rebound = urllib.request.Request(base_url + "/api/documents", headers={"Host": "evil.example:80"})
    assert status_of(lambda: urllib.request.urlopen(rebound, timeout=10)) == 403


def test_the_review_command_serves_the_folder(out):
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "import sys; from plantasks.review.cli import main; sys.exit(main())",
                             "review", str(out), "--port", "0", "--no-browser"], stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        url = re.search(r"at (http://127\.0\.0\.1:\d+)/", line).group(1)
        assert {d["file"] for d in get(url, "/api/documents")} == {"ke_hoach_mau.txt.json", "scan.pdf.json"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()


def test_docx_source_shows_the_readers_blocks(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025")
    doc.add_paragraph("PHỤ LỤC")
    table = doc.add_table(rows=3, cols=6)
    rows = [("TT", "Nội dung thực hiện", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"),
            ("1", "Rà soát thủ tục hành chính nội bộ.", "Báo cáo", "Sở Nội vụ", "Các sở, ban, ngành", "Quý II/2025"),
            ("2", "Số hóa hồ sơ lưu trữ.", "Dữ liệu số", "Sở Nội vụ", "UBND cấp huyện", "Năm 2025")]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    source = tmp_path / "kh.docx"
    doc.save(source)
    out = tmp_path / "out"
    assert plantasks_main(["extract", str(source), "--out", str(out), "--quiet"]) == 0
    app = ReviewApp(out)
    [listed] = app.documents()
    task = app.document(listed["id"])["tasks"][1]
    src = app.source(listed["id"], task["id"])
    assert src["kind"] == "text" and src["unit"] == "Khối"
    [hit] = [l for l in src["lines"] if l["hit"]]
    assert "Số hóa hồ sơ lưu trữ." in hit["text"] and "│" in hit["text"]


def test_agency_suggestions_search_registry_aliases():
    """Against the shipped registry: prefix, accent-free and alias searches; names the analyst typed."""
    from plantasks.review.normalize import suggest_names

    assert set(suggest_names("sở kh")) == {"Sở Kế hoạch và Đầu tư", "Sở Khoa học và Công nghệ"}
    assert "Sở Kế hoạch và Đầu tư" in suggest_names("so kh&")  # its alias Sở KH&ĐT
    assert "Sở Khoa học và Công nghệ" in suggest_names("khoa hoc")
    assert "Ban Dân tộc" in suggest_names("Ban Dân", extra=["Ban Dân tộc"])


def test_a_re_extracted_output_is_picked_up(out):
    import os

    app = ReviewApp(out)
    app.rescan_seconds = 0  # look at the folder on every call
    [doc] = [d for d in app.documents() if d["file"] == "scan.pdf.json"]
    assert len(app.document(doc["id"])["tasks"]) == 2
    path = out / "scan.pdf.json"
    result = DocumentResult.model_validate_json(path.read_text(encoding="utf-8"))
    path.write_text(result.model_copy(update={"tasks": result.tasks[:1]}).model_dump_json(), encoding="utf-8")
    os.utime(path, (1, 1))  # a different mtime whatever the clock's resolution
    assert len(app.document(doc["id"])["tasks"]) == 1


def test_conflicts_point_at_the_current_tasks_after_a_source_change(tmp_path):
    from plantasks.review.edits import Deletion, TaskEdit, corrections_for

    source, out, first = sample_run(tmp_path)
    by_stt = {t.stt: t for t in first.tasks}
    batch = corrections_for(first, "lan", [TaskEdit(by_stt["4"].id, {"lead": ["Sở Tư pháp"]})],
                            deleted=[Deletion(by_stt["6"].id)])
    CorrectionStore(default_store_path(out)).save(batch.corrections)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("\tSở Nội vụ.\n\tHội đồng", "\tSở Tài chính.\n\tHội đồng")
                      .replace("Tổng hợp, báo cáo tình hình", "Sơ kết tình hình"), encoding="utf-8")
    assert plantasks_main(["extract", str(source), "--out", str(out), "--corrections", str(default_store_path(out)),
                           "--quiet"]) == 0
    app = ReviewApp(out)
    [doc] = app.documents()
    assert doc["conflicts"] == 2
    data = app.document(doc["id"])
    tasks = {t["stt"]: t for t in data["tasks"]}
    assert len(data["tasks"]) == 6 and tasks["6"]["content"].startswith("Sơ kết")
    conflicts = {c["field"]: c for c in data["conflicts"]}
    assert conflicts["lead"]["task_id"] == tasks["4"]["id"] != by_stt["4"].id
    assert conflicts["delete_task"]["task_id"] is None
    assert "correction_conflict" in tasks["4"]["flags"]


def test_source_files_are_served_only_from_the_runs_folders(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    secret = tmp_path.parent / f"{tmp_path.name}-secret.txt"  # a readable file outside the run's folders
    secret.write_text("mật khẩu\n" * 20, encoding="utf-8")
    sha = "f" * 64
    tasks = [Task(id=f"t{i}", table="PHỤ LỤC", stt=str(i), content="Việc.", source=TaskSource(file=name, line_start=1))
             for i, name in enumerate([str(secret), "/etc/passwd", f"../../{secret.name}", "../" * 12 + "etc/passwd"])]
    planted = DocumentResult(document=DocumentMeta(id=sha[:16], source_file="/etc/passwd", sha256=sha, format="text"),
                             tasks=tasks)
    (out / "planted.txt.json").write_text(planted.model_dump_json(), encoding="utf-8")
    app = ReviewApp(out)
    for task in tasks:
        src = app.source(sha[:16], task.id)
        assert src["kind"] == "none" and "không tìm thấy tệp nguồn" in src["reason"], task.source.file
    assert ReviewApp(out, source_roots=(tmp_path.parent,)).source(sha[:16], "t0")["kind"] == "text"  # --source


def test_source_paths_survive_moving_the_folder(tmp_path, monkeypatch):
    import shutil

    first = tmp_path / "before"
    first.mkdir()
    _, out, result = sample_run(first)
    moved = tmp_path / "after"
    shutil.move(str(first), str(moved))
    monkeypatch.chdir(tmp_path)  # started from elsewhere, with the recorded paths pointing at the old place
    app = ReviewApp(moved / "out")
    task = result.tasks[0]
    src = app.source(result.document.id, task.id)
    assert src["kind"] == "text" and any(task.content[:20] in line["text"] for line in src["lines"] if line["hit"])
