"""Review commands for the `plantasks` CLI: review, export, import, corrections, eval.

`register(subparsers)` adds them to the main parser; each handler takes the parsed args and
returns an exit code. Messages for people go to stderr, data (YAML, tables, JSON) to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from plantasks.review.store import STATUSES, CorrectionStore, StoreError, default_store_path


def register(subparsers) -> None:
    from plantasks.pipeline.service_options import add_arguments

    rv = subparsers.add_parser("review", help="open the review page for an output folder")
    add_arguments(rv)
    rv.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    rv.set_defaults(func=cmd_review)

    ex = subparsers.add_parser("export", help="write the tasks of an output folder to a spreadsheet for review")
    ex.add_argument("dir", type=Path, metavar="DIR")
    ex.add_argument("--xlsx", type=Path, required=True, metavar="FILE")
    ex.add_argument("--corrections", type=Path, metavar="FILE", help="corrections store (default DIR/corrections.sqlite)")
    ex.set_defaults(func=cmd_export)

    im = subparsers.add_parser("import", help="turn the edits in a reviewed spreadsheet into corrections")
    im.add_argument("file", type=Path, metavar="FILE")
    im.add_argument("--out", type=Path, metavar="DIR", help="the output folder the sheet was exported from (required "
                    "unless --corrections names the store)")
    im.add_argument("--who", default=os.environ.get("USER", ""), help="reviewer name stored with each correction")
    im.add_argument("--corrections", type=Path, metavar="FILE", help="corrections store (default DIR/corrections.sqlite)")
    im.set_defaults(func=cmd_import)

    co = subparsers.add_parser("corrections", help="inspect stored corrections")
    co_sub = co.add_subparsers(dest="corrections_command", required=True)
    sa = co_sub.add_parser("suggest-aliases", help="agency corrections as registry aliases (YAML)")
    sa.add_argument("dir", type=Path, nargs="?", default=Path("."), metavar="DIR")
    sa.add_argument("--min-count", type=int, default=1, help="only forms corrected at least this often")
    sa.add_argument("--corrections", type=Path, metavar="FILE")
    sa.set_defaults(func=cmd_suggest_aliases)
    ls = co_sub.add_parser("list", help="list stored corrections")
    ls.add_argument("dir", type=Path, nargs="?", default=Path("."), metavar="DIR")
    ls.add_argument("--status", choices=STATUSES, action="append", help="only these statuses (repeatable)")
    ls.add_argument("--json", action="store_true", help="one JSON object per line")
    ls.add_argument("--corrections", type=Path, metavar="FILE")
    ls.set_defaults(func=cmd_list)

    ev = subparsers.add_parser("eval", help="score an output folder against gold records")
    ev.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    ev.add_argument("--gold", type=Path, required=True, metavar="GOLD_DIR", help="folder of DOC.meta.json + DOC.tasks.jsonl")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.add_argument("--detail", action="store_true", help="also list each mismatch")
    ev.set_defaults(func=cmd_eval)


def _store_path(args: argparse.Namespace, out_dir: Path) -> Path:
    return args.corrections or default_store_path(out_dir)


def _fail(message: str, code: int = 2) -> int:
    print(f"plantasks: {message}", file=sys.stderr)
    return code


def cmd_review(args: argparse.Namespace) -> int:
    from plantasks.pipeline.service_options import cmd_serve

    return cmd_serve(args, open_browser=not args.no_browser)


def cmd_export(args: argparse.Namespace) -> int:
    from plantasks.review.xlsx import export_workbook

    if not args.dir.is_dir():
        return _fail(f"no such folder: {args.dir}")
    count = export_workbook(args.dir, args.xlsx, _store_path(args, args.dir))
    print(f"{count} tasks -> {args.xlsx}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from plantasks.review.xlsx import WorkbookError, import_workbook

    try:
        report = import_workbook(args.file, args.out, args.who, args.corrections)
    except WorkbookError as exc:
        return _fail(str(exc))
    print(f"{report.saved} corrections saved to {report.store_path}", file=sys.stderr)
    for problem in report.problems:
        print(f"  not imported: {problem}", file=sys.stderr)
    return 1 if report.problems else 0


def cmd_list(args: argparse.Namespace) -> int:
    path = _store_path(args, args.dir)
    if not path.exists():
        return _fail(f"no corrections store at {path}")
    for c in CorrectionStore(path).all(args.status):
        if args.json:
            print(json.dumps(c.to_json(), ensure_ascii=False))
        else:
            after = json.dumps(c.after, ensure_ascii=False)
            print(f"#{c.id}\t{c.status}\t{c.at}\t{c.who or '-'}\t{c.document or c.doc_sha256[:16]}\t{c.task_id}\t"
                  f"{c.field}\t{after[:80]}")
    return 0


def cmd_suggest_aliases(args: argparse.Namespace) -> int:
    from plantasks.review.suggest import alias_suggestions, aliases_yaml

    path = _store_path(args, args.dir)
    if not path.exists():
        return _fail(f"no corrections store at {path}")
    suggestions = alias_suggestions(CorrectionStore(path).all(("active",)), min_count=args.min_count)
    sys.stdout.write(aliases_yaml(suggestions))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from plantasks.review.evaluate import format_table, score_run

    if not args.gold.is_dir():
        return _fail(f"no such gold folder: {args.gold}")
    if not args.out_dir.is_dir():
        return _fail(f"no such output folder: {args.out_dir} (run `plantasks extract ... --out {args.out_dir}` first)")
    report = score_run(args.gold, args.out_dir, detail=args.detail)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        sys.stdout.write(format_table(report, detail=args.detail))
    return 0


def main(argv: list[str] | None = None) -> int:
    """The review commands alone (the `plantasks` CLI registers the same ones)."""
    parser = argparse.ArgumentParser(prog="plantasks")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)
