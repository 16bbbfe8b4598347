"""The service and review page at a year's batch (600 documents, 24,000 tasks), and spreadsheet import by size.

run() -> {
  "documents", "tasks": the folder's size,
  "first_request_seconds": the first list (the folder index is built once),
  "median_ms": per endpoint, median of RUNS requests over HTTP on loopback (goal: under 200 ms),
  "after_save_ms": a save, then the document list (only the saved document is recomputed),
  "baseline_rebuild_ms": the same document list recomputed from the files for every request (what a server
      without an index does), median of BASELINE_RUNS, measured side by side,
  "xlsx_import": seconds to import a sheet with N added rows, and seconds per row (flat = linear)
}
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANS = [ROOT / "tests" / "fixtures" / "review" / "ke_hoach_mau.txt", ROOT / "tests" / "fixtures" / "review" / "ke_hoach_so_hoa.txt"]
DOCUMENTS = 600
TASKS_PER_DOCUMENT = 40
RUNS = 7
BASELINE_RUNS = 2
ADDED_ROWS = (250, 500, 1000)


def make_folder(out: Path) -> None:
    """600 outputs built from the two sample plans: distinct ids, numbers and contents, 40 tasks each."""
    from plantasks import extract_file

    out.mkdir(parents=True)
    plans = [extract_file(p) for p in PLANS]
    for n in range(DOCUMENTS):
        base = plans[n % 2].model_dump(mode="json")
        sha = f"{n:016x}" + "0" * 48
        doc = base["document"] | {"id": sha[:16], "sha256": sha, "source_file": f"src/plan_{n:04d}.txt",
                                  "decision_number": f"{n + 1}/QĐ-UBND"}
        tasks = []
        for i in range(TASKS_PER_DOCUMENT):
            task = json.loads(json.dumps(base["tasks"][i % len(base["tasks"])]))
            task["id"] = f"{n:05d}{i:05d}aaaaaa"
            task["stt"] = str(i + 1)
            task["content"] = f"{task['content']} (việc {i + 1} của kế hoạch {n + 1})"
            tasks.append(task)
        (out / f"plan_{n:04d}.txt.json").write_text(json.dumps({**base, "document": doc, "tasks": tasks},
                                                               ensure_ascii=False), encoding="utf-8")


def serve(out: Path):
    import uvicorn

    from plantasks.pipeline.service import ServiceSettings, create_app

    server = uvicorn.Server(uvicorn.Config(create_app(ServiceSettings(out_dir=out, port=0)), host="127.0.0.1",
                                           port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"


def median_ms(call, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1)


def bench_http(out: Path) -> dict:
    import httpx

    from plantasks.review.server import ReviewApp

    server, thread, url = serve(out)
    try:
        with httpx.Client(base_url=url, timeout=600) as client:
            def get(path, **params):
                r = client.get(path, params=params)
                r.raise_for_status()
                return r.json()

            start = time.perf_counter()
            docs = get("/api/documents")
            first = round(time.perf_counter() - start, 2)
            doc_id = docs[300]["id"]
            result = {"documents": len(docs), "tasks": sum(d["tasks"] for d in docs), "first_request_seconds": first}
            result["median_ms"] = {
                "GET /api/documents": median_ms(lambda: get("/api/documents")),
                "GET /api/queue": median_ms(lambda: get("/api/queue")),
                "GET /api/queue?flag=agency_unknown": median_ms(lambda: get("/api/queue", flag="agency_unknown")),
                "GET /api/queue?agency=nội vụ": median_ms(lambda: get("/api/queue", agency="nội vụ")),
                "GET /api/agencies?q=sở": median_ms(lambda: get("/api/agencies", q="sở")),
                "GET /api/agencies?q=ban quan": median_ms(lambda: get("/api/agencies", q="ban quan")),
                "GET /api/document": median_ms(lambda: get("/api/document", doc=doc_id)),
                "GET /v1/documents": median_ms(lambda: get("/v1/documents")),
                "GET /v1/tasks?limit=200": median_ms(lambda: get("/v1/tasks", limit=200)),
            }
            task = get("/api/document", doc=doc_id)["tasks"][0]

            def save_then_list():
                r = client.post("/api/save", json={"doc": doc_id, "edits": [{"task": task["id"], "fields": {
                    "content": f"Sửa lúc {time.perf_counter()}"}}]})
                r.raise_for_status()
                get("/api/documents")
            result["after_save_ms"] = median_ms(save_then_list, runs=3)
        result["baseline_rebuild_ms"] = median_ms(lambda: ReviewApp(out).documents(), runs=BASELINE_RUNS)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    return result


def bench_xlsx(tmp: Path) -> dict:
    from openpyxl import load_workbook

    from plantasks import extract_file
    from plantasks.review.xlsx import INDEX, SHEET, export_workbook, import_workbook

    out = tmp / "xlsx-out"
    out.mkdir()
    result = extract_file(PLANS[0])
    (out / "plan.txt.json").write_text(result.model_dump_json(), encoding="utf-8")
    timings = {}
    for rows in ADDED_ROWS:
        store = tmp / f"corrections-{rows}.sqlite"
        sheet = tmp / f"sheet-{rows}.xlsx"
        export_workbook(out, sheet, store)
        wb = load_workbook(sheet)
        ws = wb[SHEET]
        label = ws.cell(2, INDEX["doc"]).value
        for r in range(rows):
            at = ws.max_row + 1
            ws.cell(at, INDEX["doc"]).value = label
            ws.cell(at, INDEX["content"]).value = f"Nhiệm vụ bổ sung số {r + 1}."
        wb.save(sheet)
        start = time.perf_counter()
        report = import_workbook(sheet, out, "bench", store)
        seconds = time.perf_counter() - start
        assert report.saved == rows, report.problems[:3]
        timings[str(rows)] = {"seconds": round(seconds, 2), "ms_per_row": round(1000 * seconds / rows, 2)}
    return timings


def run() -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="plantasks-bench-service-"))
    try:
        out = tmp / "out"
        make_folder(out)
        result = bench_http(out)
        result["xlsx_import"] = bench_xlsx(tmp)
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=1))
