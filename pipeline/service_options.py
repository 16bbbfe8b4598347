"""The command-line side of `plantasks serve` / `plantasks review`: their options and defaults, without
importing the web stack (FastAPI, uvicorn) or the pipeline, so that `plantasks --help` stays fast.
The server itself is pipeline/service.py, imported only when the command runs."""

from __future__ import annotations

from pathlib import Path

TOKEN_ENV = "PLANTASKS_TOKEN"
MAX_BODY = 64 * 2**20
SYNC_BYTES = 256 * 2**10  # uploads up to this size are extracted while the client waits
READ_TIMEOUT = 20.0


def add_arguments(parser) -> None:
    """The options `plantasks serve` and `plantasks review` share."""
    parser.add_argument("dir", type=Path, metavar="DIR", help="output folder of `plantasks extract`")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this computer only; any other needs --token)")
    parser.add_argument("--port", type=int, default=8765, help="port (0: any free port; default 8765)")
    parser.add_argument("--token", default=None,
                        help=f"access token every request must carry (default: ${TOKEN_ENV}); required off this computer")
    parser.add_argument("--source", type=Path, action="append", default=[], metavar="FOLDER",
                        help="a folder source files may be shown from (repeatable; the run's input folders are allowed)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="another host name clients use to reach this server (repeatable)")
    parser.add_argument("--corrections", type=Path, metavar="FILE", help="corrections store (default DIR/corrections.sqlite)")
    parser.add_argument("--max-body-mb", type=float, default=MAX_BODY / 2**20, help="refuse larger requests (413)")
    parser.add_argument("--read-timeout", type=float, default=READ_TIMEOUT,
                        help="seconds to wait for a request body to arrive (408 after)")
    parser.add_argument("--sync-kb", type=int, default=SYNC_BYTES // 1024,
                        help="uploads up to this size are answered at once, larger ones as a job (202)")


def register(subparsers) -> None:
    sv = subparsers.add_parser("serve", help="HTTP API and review page over an output folder (uploads, tasks since a cursor)")
    add_arguments(sv)
    sv.set_defaults(func=cmd_serve)


def cmd_serve(args, open_browser: bool = False) -> int:
    from plantasks.pipeline.service import cmd_serve as run

    return run(args, open_browser=open_browser)
