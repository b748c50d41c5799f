"""Run every benchmark: prints ``name: ratio (details)`` and writes bench/latest.json.

Usage: python -m bench [NAME ...]

Running some benchmarks by name updates their entries in bench/latest.json and keeps the others (each
entry says when it was measured), so the file always has the latest figure of every benchmark.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: The targets of issues 6 and 9: (how the figure compares, the bound).
TARGETS = {
    "import_vs_lxml": ("<=", 2.0),
    "submit_vs_raw_pg": (">=", 0.5),
    "overview_vs_latest_table": ("<=", 3.0),
    "overview_10k_vs_600": ("<=", 3.0),
    "duckdb_vs_pandas": (">=", 5.0),
    "submit_to_screen": ("<=", 5.0),  # seconds
}


def verdict(name: str, ratio: float) -> tuple[str, bool | None]:
    """The target as text and whether ``ratio`` meets it (None: no target)."""
    if name not in TARGETS:
        return "no target", None
    how, bound = TARGETS[name]
    met = ratio <= bound if how == "<=" else ratio >= bound
    return f"target {'≤' if how == '<=' else '≥'} {bound:g}", met


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
    latest = HERE / "latest.json"
    try:
        kept = json.loads(latest.read_text()) if latest.exists() else {}
    except ValueError:
        kept = {}
    results = {k: v for k, v in kept.items() if k in benchmarks and isinstance(v, dict)}
    for name in wanted:
        if name not in benchmarks:
            print(f"{name}: unknown benchmark (have: {', '.join(sorted(benchmarks))})", file=sys.stderr)
            return 2
        started = time.perf_counter()
        ratio, details = benchmarks[name]()
        target, met = verdict(name, ratio)
        results[name] = {
            "ratio": ratio,
            "target": target,
            "met": met,
            "details": details,
            "seconds": round(time.perf_counter() - started, 1),
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        mark = "" if met is None else f" [{target}: {'met' if met else 'NOT MET'}]"
        print(f"{name}: {ratio:.2f} ({details}){mark}", flush=True)
    ordered = {name: results[name] for name in sorted(results)}
    latest.write_text(json.dumps(ordered, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
