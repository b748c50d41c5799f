"""Benchmark ``import_vs_lxml`` (issue 5): importing a ~50 MB candidate-level EML 510b (parse + validate +
store into a fresh database, committed) against a bare lxml iterparse of the same file, in the same run.

The file is generated from the real West Maas en Waal GR2022 510b (tests/fixtures/etl/real) by
repeating its 21 stations with new ids (``0668::SB1`` … ``0668::SB<n>``) and multiplying every figure
of its ``TotalVotes`` by the number of copies, so that the file stays consistent and imports. Ratio =
import time ÷ bare iterparse time (target ≤ 2). Database: ``DATABASE_URL``'s server, else the embedded
one; a database of its own, dropped afterwards.
"""

from __future__ import annotations

import gzip
import os
import re
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "fixtures" / "etl" / "real" / "Telling_GR2022_WestMaasenWaal.eml.xml.gz"
TARGET_BYTES = 50_000_000
_UNIT_ID_RE = re.compile(r'Id="0668::SB\d+"')
_NUMBER_RE = re.compile(r">(\d+)<")


def make_510(out: Path, target_bytes: int = TARGET_BYTES) -> tuple[int, int]:
    """Write the big 510b to ``out``; returns (copies, stations)."""
    text = gzip.decompress(SOURCE.read_bytes()).decode("utf-8")
    first = text.index("<ReportingUnitVotes>")
    last = text.rindex("</ReportingUnitVotes>") + len("</ReportingUnitVotes>")
    units = text[first:last]
    copies = max(1, round(target_bytes / len(units)))
    t_start = text.index("<TotalVotes>")
    t_end = text.index("</TotalVotes>") + len("</TotalVotes>")
    total = _NUMBER_RE.sub(lambda m: f">{int(m.group(1)) * copies}<", text[t_start:t_end])
    head = text[:t_start] + total + text[t_end:first]
    counter = 0

    def renumber(_match: re.Match[str]) -> str:
        nonlocal counter
        counter += 1
        return f'Id="0668::SB{counter}"'

    with out.open("w", encoding="utf-8") as fh:
        fh.write(head)
        for _ in range(copies):
            fh.write(_UNIT_ID_RE.sub(renumber, units))
        fh.write(text[last:])
    return copies, counter


def bare_iterparse(path: Path) -> float:
    started = time.perf_counter()
    for _event, elem in etree.iterparse(str(path), events=("end",)):
        elem.clear()
    return time.perf_counter() - started


def import_once(sa_url: str, path: Path) -> tuple[float, int]:
    """Parse + validate + store + commit into the (fresh) database at ``sa_url``; (seconds, valid votes)."""
    from sqlalchemy import text as sql
    from sqlalchemy.orm import Session

    from app.domain.access import SYSTEM
    from app.storage.db import make_engine
    from etl.load import import_path

    engine = make_engine(sa_url)
    try:
        with Session(engine) as db:
            db.execute(sql("SELECT 1"))  # connect before the clock starts
            started = time.perf_counter()
            summary = import_path(db, SYSTEM, path)
            elapsed = time.perf_counter() - started
            stored = db.execute(
                sql("SELECT sum(votes) FROM official_list_votes WHERE level = 'station'")
            ).scalar_one()
            assert summary.status == "imported" and stored == summary.valid_votes, (summary, stored)
            return elapsed, int(stored)
    finally:
        engine.dispose()


def compare(sa_url_factory, path: Path, rounds: int = 2) -> tuple[float, dict]:
    """Best of ``rounds`` for each side; ``sa_url_factory()`` gives a fresh migrated database URL."""
    base = min(bare_iterparse(path) for _ in range(rounds))
    runs = [import_once(sa_url_factory(), path) for _ in range(rounds)]
    mine = min(r[0] for r in runs)
    return mine / base, {
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "bare_iterparse_s": round(base, 2),
        "import_s": round(mine, 2),
        "valid_votes": runs[0][1],
    }


def _server_uri() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url.replace("postgresql+psycopg://", "postgresql://", 1)
    from app.storage.db import embedded_server_uri

    return embedded_server_uri("postgres")


def import_vs_lxml() -> tuple[float, dict]:
    import psycopg

    from app.storage import migrate

    admin = _server_uri()
    names: list[str] = []

    def fresh() -> str:
        name = f"stemdag_bench_imports_{os.getpid()}_{len(names)}"
        names.append(name)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(admin)
        url = urlunsplit(parts._replace(path=f"/{name}")).replace("postgresql://", "postgresql+psycopg://", 1)
        migrate.upgrade(url)
        return url

    try:
        with tempfile.TemporaryDirectory(prefix="stemdag-bench-") as tmp:
            path = Path(tmp) / "big_510b.eml.xml"
            copies, stations = make_510(path)
            ratio, details = compare(fresh, path)
            details.update(copies=copies, stations=stations, target="<= 2x")
            return ratio, details
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


BENCHMARKS = {"import_vs_lxml": import_vs_lxml}
