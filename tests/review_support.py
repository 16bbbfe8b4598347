"""The sample plan the review tests correct, extracted through the real CLI."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from plantasks.cli import main as plantasks_main
from plantasks.review.store import default_store_path
from plantasks.schemas import DocumentResult

REVIEW_PLAN = Path(__file__).parent / "fixtures" / "review" / "ke_hoach_mau.txt"


def extract(source: Path, out: Path) -> DocumentResult:
    """`plantasks extract`, re-applying the folder's corrections store (named explicitly) once there is one."""
    store = default_store_path(out)
    given = ["--corrections", str(store)] if store.exists() else []
    assert plantasks_main(["extract", str(source), "--out", str(out), *given, "--quiet"]) == 0
    return DocumentResult.model_validate_json((out / f"{source.name}.json").read_text(encoding="utf-8"))


def sample_run(tmp_path: Path) -> tuple[Path, Path, DocumentResult]:
    """A copy of the sample plan (so tests may change it) and its first extraction."""
    source = tmp_path / "src" / REVIEW_PLAN.name
    source.parent.mkdir()
    shutil.copy(REVIEW_PLAN, source)
    out = tmp_path / "out"
    return source, out, extract(source, out)


@contextmanager
def running(out: Path, **settings) -> Iterator[str]:
    """The service over `out` on a free loopback port, in this process (uvicorn in a thread); yields its URL."""
    import uvicorn

    from plantasks.pipeline.service import ServiceSettings, create_app

    app = create_app(ServiceSettings(out_dir=out, port=0, **settings))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
