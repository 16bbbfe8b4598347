"""`make bench`: run every bench/bench_*.py module's run() and print one JSON report.

Each module measures medians of several runs and, where it has one, a baseline measured side by
side in the same process, so ratios stay meaningful on a noisy machine.
"""

from __future__ import annotations

import importlib.util
import json
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(names: list[str]) -> int:
    report = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                          "cpus": __import__("os").cpu_count()}, "benchmarks": {}}
    failed = 0
    for path in sorted(HERE.glob("bench_*.py")):
        if names and path.stem.removeprefix("bench_") not in names:
            continue
        start = time.perf_counter()
        try:
            result = load(path).run()
        except Exception as err:  # noqa: BLE001 - one broken benchmark must not hide the others
            result = {"error": f"{type(err).__name__}: {err}"}
            failed += 1
        result["wall_seconds"] = round(time.perf_counter() - start, 2)
        report["benchmarks"][path.stem.removeprefix("bench_")] = result
        print(f"{path.stem}: {json.dumps(result, ensure_ascii=False)}", file=sys.stderr)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
