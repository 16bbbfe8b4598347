"""The pipeline's commands (`extract`, `schema`): a thin layer over the library; main(argv) -> exit code.

The `plantasks` program (plantasks/cli.py) adds the analysts' and the service's commands and gives
`extract` the corrections store.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from plantasks import __version__
from plantasks.parsers.read import ReadOptions

# the keys of plantasks.schemas.OUTPUT_MODELS, spelled out so that --help does not import pydantic
SCHEMA_NAMES = ("catalogue", "document", "run", "task")


def build_parser(extra_commands: Iterable[Callable] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plantasks", description="Task records from Vietnamese government plan decisions.")
    parser.add_argument("--version", action="version", version=f"plantasks {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="extract task records from plan documents (files or folders)")
    ex.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ex.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    ex.add_argument("--corrections", type=Path, metavar="FILE",
                    help="corrections store to re-apply (only the one named here; none by default)")
    ex.add_argument("--create", action="store_true", help="create the --corrections store when it does not exist")
    ex.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD",
                    help="report each agency's successor valid on this date")
    ex.add_argument("--max-pages", type=int, default=ReadOptions.max_pages, help="refuse documents with more pages")
    ex.add_argument("--max-mb", type=int, default=ReadOptions.max_bytes // 2**20, help="refuse larger files (MB)")
    ex.add_argument("--max-unpacked-mb", type=int, default=ReadOptions.max_unpacked_bytes // 2**20,
                    help="refuse Word files that unpack to more (MB), against zip bombs")
    ex.add_argument("--max-xml-nodes", type=int, default=ReadOptions.max_xml_nodes,
                    help="refuse Word files with more XML elements, against tiny files that build huge trees")
    ex.add_argument("--no-ocr", action="store_true", help="do not OCR pages without a text layer")
    ex.add_argument("--ocr-workers", type=int, default=None, help="parallel OCR pages per document (default: shared cores)")
    ex.add_argument("--workers", type=int, default=None, metavar="N",
                    help="documents in parallel worker processes (default: one per core; 1: in this process)")
    ex.add_argument("--scheduler", metavar="ADDRESS",
                    help="run the documents on a Dask cluster, e.g. tcp://HOST:8786 (needs plantasks[dask])")
    ex.add_argument("--timeout", type=float, default=600.0, metavar="SECONDS",
                    help="give up on one document after this long (status timeout; default 600, 0: no limit)")
    ex.add_argument("--force", action="store_true", help="redo every document, even those unchanged since the last run")
    ex.add_argument("--quiet", action="store_true", help="no progress bar; only problems are listed")
    ex.set_defaults(func=cmd_extract)

    sc = sub.add_parser("schema", help="print the JSON Schema of an output file")
    sc.add_argument("name", nargs="?", default="document", choices=SCHEMA_NAMES,
                    help="document: DIR/NAME.json, task: a line of tasks.jsonl, run: run.json, catalogue: a line of documents.jsonl")
    sc.set_defaults(func=cmd_schema)

    for register in extra_commands:
        register(sub)
    return parser


def cmd_extract(args: argparse.Namespace) -> int:
    import os

    from plantasks.parsers.read import ReadOptions
    from plantasks.pipeline.batch import Interrupted, display, run_batch, walk_inputs
    from plantasks.pipeline.catalogue import CatalogueError
    from plantasks.pipeline.options import ExtractOptions

    corrections = _corrections_store(args)
    if isinstance(corrections, int):
        return corrections
    found = walk_inputs(args.paths)
    for m in found.missing:
        print(f"plantasks: no such file or folder: {m}", file=sys.stderr)
    for problem in found.problems:
        print(f"plantasks: {problem}", file=sys.stderr)
    if not found.files and found.missing:
        return 2
    read = ReadOptions(max_bytes=args.max_mb * 2**20, max_pages=args.max_pages, ocr=not args.no_ocr,
                       ocr_workers=args.ocr_workers, max_unpacked_bytes=args.max_unpacked_mb * 2**20,
                       max_xml_nodes=args.max_xml_nodes)
    options = ExtractOptions(read=read, as_of=args.as_of, corrections=corrections)
    workers = args.workers or os.cpu_count() or 1
    try:
        report = run_batch(found.files, args.out, options, argv=[display(a) for a in sys.argv[1:]],
                           missing=found.missing, problems=found.problems, progress=not args.quiet,
                           workers=min(workers, max(len(found.files), 1)), force=args.force,
                           timeout=args.timeout or None, scheduler=args.scheduler)
    except Interrupted as stop:
        done = sum(v for k, v in stop.report.counts.items())
        print(f"plantasks: interrupted; {done} documents are saved in {display(args.out)} - run the same command "
              "again to resume", file=sys.stderr)
        return 130
    except (CatalogueError, OSError) as err:
        reason = err.strerror.lower() if isinstance(err, OSError) and err.strerror else str(err)
        print(f"plantasks: cannot use the output folder {display(args.out)}: {reason}", file=sys.stderr)
        return 2
    _summary(report, args)
    if report.stopped:
        print(f"plantasks: stopped early: {report.stopped}", file=sys.stderr)
        return 1
    return 1 if report.failed else 0


def _corrections_store(args: argparse.Namespace):
    """The store to re-apply: only the one named with --corrections, which must exist (or --create it)."""
    if args.corrections is None:
        return None
    if args.open_corrections is None:
        print("plantasks: --corrections needs the plantasks program (plantasks.cli)", file=sys.stderr)
        return 2
    if not args.corrections.exists() and not args.create:
        print(f"plantasks: no corrections store at {args.corrections}; check the path, or add --create to "
              "start a new one there", file=sys.stderr)
        return 2
    return args.open_corrections(args.corrections)


def _summary(report, args: argparse.Namespace) -> None:
    """Counts (unless --quiet), then every partial, failed and timed-out document (always)."""
    from plantasks.pipeline.batch import display

    if not args.quiet:
        counts = ", ".join(f"{v} {k}" for k, v in sorted(report.counts.items()))
        print(f"{sum(report.counts.values())} documents ({counts}), {report.tasks} new tasks -> {display(args.out)}",
              file=sys.stderr)
    for d in report.attention:
        reason = d.warnings[0]["message"] if d.warnings else "no task table or no tasks found"
        print(f"  {d.status}: {d.file}: {reason}", file=sys.stderr)


def cmd_schema(args: argparse.Namespace) -> int:
    from plantasks.schemas import json_schema

    print(json.dumps(json_schema(args.name), ensure_ascii=False, indent=1))
    return 0


def main(argv: list[str] | None = None, extra_commands: Iterable[Callable] = (),
         open_corrections: Callable[[Path], object] | None = None) -> int:
    """`open_corrections(path)` gives the corrections store `extract --corrections` re-applies."""
    parser = build_parser(extra_commands)
    args = parser.parse_args(argv)
    args.open_corrections = open_corrections
    return args.func(args)
