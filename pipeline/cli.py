"""The pipeline's commands (`extract`, `schema`): a thin layer over the library; main(argv) -> exit code.

The `plantasks` program (plantasks/cli.py) adds the analysts' commands and the corrections store.
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
from plantasks.pipeline.batch import collect_inputs, run_batch
from plantasks.pipeline.stages import Corrections, ExtractOptions
from plantasks.schemas import json_schema


def build_parser(extra_commands: Iterable[Callable] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plantasks", description="Task records from Vietnamese government plan decisions.")
    parser.add_argument("--version", action="version", version=f"plantasks {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="extract task records from plan documents (files or folders)")
    ex.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ex.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    ex.add_argument("--corrections", type=Path, metavar="FILE",
                    help="corrections store to re-apply (only the one named here; none by default)")
    ex.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD",
                    help="report each agency's successor valid on this date (default: the registry's latest state)")
    ex.add_argument("--max-pages", type=int, default=ReadOptions.max_pages, help="refuse documents with more pages")
    ex.add_argument("--max-mb", type=int, default=ReadOptions.max_bytes // 2**20, help="refuse larger files (MB)")
    ex.add_argument("--no-ocr", action="store_true", help="do not OCR pages without a text layer")
    ex.add_argument("--ocr-workers", type=int, default=None, help="parallel OCR pages (default: one per core)")
    ex.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    ex.set_defaults(func=cmd_extract)

    sc = sub.add_parser("schema", help="print the JSON Schema of the per-document output")
    sc.set_defaults(func=cmd_schema)

    for register in extra_commands:
        register(sub)
    return parser


def cmd_extract(args: argparse.Namespace) -> int:
    inputs, missing = collect_inputs(args.paths)
    for m in missing:
        print(f"plantasks: no such file or folder: {m}", file=sys.stderr)
    if not inputs and missing:
        return 2
    read = ReadOptions(max_bytes=args.max_mb * 2**20, max_pages=args.max_pages, ocr=not args.no_ocr,
                       ocr_workers=args.ocr_workers)
    corrections = None
    if args.corrections:
        if args.open_corrections is None:
            print("plantasks: --corrections needs the full plantasks program (plantasks.cli)", file=sys.stderr)
            return 2
        corrections = args.open_corrections(args.corrections)
    options = ExtractOptions(read=read, as_of=args.as_of, corrections=corrections)
    report = run_batch(inputs, args.out, options, argv=sys.argv[1:], missing=missing, progress=not args.quiet)
    if not args.quiet:
        ok = len(report.documents) - sum(d.status == "failed" for d in report.documents)
        tasks = sum(d.tasks for d in report.documents)
        print(f"{ok}/{len(report.documents)} documents, {tasks} tasks -> {args.out}", file=sys.stderr)
        for d in report.documents:
            if d.status == "failed":
                reason = d.warnings[0]["message"] if d.warnings else "unknown reason"
                print(f"  failed: {d.file}: {reason}", file=sys.stderr)
    return 1 if report.failed else 0


def cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(), ensure_ascii=False, indent=1))
    return 0


def main(argv: list[str] | None = None, extra_commands: Iterable[Callable] = (),
         open_corrections: Callable[[Path], Corrections] | None = None) -> int:
    parser = build_parser(extra_commands)
    args = parser.parse_args(argv)
    args.open_corrections = open_corrections
    return args.func(args)
