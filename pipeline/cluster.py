"""Documents as tasks on a Dask distributed cluster (`plantasks extract ... --scheduler tcp://HOST:8786`).

The workers need the same plantasks installed; small files travel as bytes, larger ones by path
(the workers then need read access to the same path). Results stream back as they finish and the
client writes them into the folder's catalogue; a bounded number of documents is in flight, so
memory stays flat. A worker lost mid-document has it run again elsewhere by the scheduler (up to its
`allowed-failures`); `--timeout` applies on the workers as it does locally; a document that fails is
a failed result, never a stopped run.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterator

from plantasks.pipeline.batch import SHIP_BYTES_UNDER, Done, Job, _failed, process
from plantasks.pipeline.options import ExtractOptions

RETRIES = 2


def run_on_cluster(jobs: Iterator[Job], options: ExtractOptions, scheduler: str,
                   timeout: float | None = None) -> Iterator[Done]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise SystemExit("plantasks: --scheduler needs Dask: pip install 'plantasks[dask]'") from None
    client = Client(scheduler, timeout="30s")
    try:
        threads = sum(client.nthreads().values()) or 1
        window = threads * 2
        jobs = iter(jobs)
        held: dict = {}
        queue = as_completed()
        for job in _take(jobs, window):
            _submit(client, queue, held, job, options, timeout)
        for future in queue:
            job = held.pop(future.key)
            try:
                done = future.result()
            except Exception as err:  # noqa: BLE001 - a lost worker after its retries, a broken task
                done = _failed(job, None, "failed", "worker_died", f"the cluster could not process this document: "
                               f"{type(err).__name__}: {err}; run again to retry it")
            future.release()
            yield done
            for nxt in _take(jobs, 1):
                _submit(client, queue, held, nxt, options, timeout)
    finally:
        client.close()


def _take(jobs: Iterator[Job], n: int) -> list[Job]:
    out = []
    for job in jobs:
        out.append(job)
        if len(out) >= n:
            break
    return out


def _submit(client, queue, held: dict, job: Job, options: ExtractOptions, timeout: float | None) -> None:
    try:
        st = os.stat(job.path)
        if stat.S_ISREG(st.st_mode) and st.st_size <= min(SHIP_BYTES_UNDER, options.read.max_bytes):
            job = Job(job.source, job.path, Path(job.path).read_bytes())
    except OSError:
        pass  # the worker reports why it cannot read the file
    future = client.submit(process, job, options, timeout, pure=False, retries=RETRIES)
    held[future.key] = job
    queue.add(future)
