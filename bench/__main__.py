"""Run every benchmark: prints ``name: ratio (details)`` and writes bench/latest.json.

Usage: python -m bench [NAME ...]
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def collect() -> dict:
    found = {}
    for info in pkgutil.iter_modules([str(HERE)]):
        if info.name.startswith("_") or info.name == "load":
            continue
        module = importlib.import_module(f"bench.{info.name}")
        found.update(getattr(module, "BENCHMARKS", {}))
    return found


def main(argv: list[str]) -> int:
    benchmarks = collect()
    wanted = argv or sorted(benchmarks)
    results = {}
    for name in wanted:
        if name not in benchmarks:
            print(f"{name}: unknown benchmark (have: {', '.join(sorted(benchmarks))})", file=sys.stderr)
            return 2
        started = time.perf_counter()
        ratio, details = benchmarks[name]()
        results[name] = {
            "ratio": ratio,
            "details": details,
            "seconds": round(time.perf_counter() - started, 1),
        }
        print(f"{name}: {ratio:.2f} ({details})", flush=True)
    (HERE / "latest.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
