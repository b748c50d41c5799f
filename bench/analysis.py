"""duckdb_vs_pandas: the station-level comparison of two elections over all municipalities.

Election A is GR2022 as published: the 330 osv4-3 files in ../shared/data (11,986 stations), parsed
with etl.parsers, with the approximate station coordinates of the shared station summary. Election B is
a synthetic "GR2026" made deterministically from it: every list's votes perturbed by up to ±25%, every
fourth municipality renumbered (station n becomes 100 + n, as Tilburg did), and in every seventh of
those the postcodes dropped (so the distance pass must link them).

The same computation runs in DuckDB (the SQL of app/analysis/compare.station_party_shares: link stations
by number, postcode and distance in set-based passes, harmonise parties, shares and swing per linked
pair; the result fetched as Arrow, no pandas conversion in the timed part) and in idiomatic pandas
(merges, groupby, vectorised haversine; Jaro-Winkler per candidate pair in Python, as pandas has no
vectorised string similarity), from the same in-memory tables, side by side; the ratio is pandas time ÷
DuckDB time (best of 3 each).
The results are checked to agree before the ratio is reported.
"""

from __future__ import annotations

import csv
import hashlib
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from app.analysis import compare, sources
from app.analysis.parties import MERGERS
from app.analysis.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
OSV_DIR = SHARED / "official" / "gr2022_osv4-3"
GEOCODED = SHARED / "stations" / "stations_summary_geocoded.csv"
MAX_DISTANCE_M = compare.MAX_DISTANCE_M


def _unit(*parts: object) -> float:
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _synthetic(result):
    code = result.municipality_code
    renumber = _unit("renumber", code) < 0.25
    drop_postcodes = renumber and _unit("postcodes", code) < 0.3
    counts = []
    for c in result.counts:
        if c.level != "station" or c.station_number is None:
            continue
        votes = {
            n: max(0, round(v * (0.75 + 0.5 * _unit("votes", code, c.station_number, n))))
            for n, v in c.list_votes.items()
        }
        counts.append(
            replace(
                c,
                station_number=c.station_number + 100 if renumber else c.station_number,
                postcode=None if drop_postcodes else c.postcode,
                list_votes=votes,
                valid_votes_count=sum(votes.values()),
                candidate_votes={},
            )
        )
    return replace(result, counts=tuple(counts), candidates=())


def _coordinates(results) -> dict[tuple[str, str, int], tuple[float, float]]:
    out: dict[tuple[str, str, int], tuple[float, float]] = {}
    with GEOCODED.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["election"] == "GR2022" and row["lat"] and row["lon"]:
                out[("GR2022", row["gemeente_code"], int(row["station_id"]))] = (
                    float(row["lat"]),
                    float(row["lon"]),
                )
    for r in results:  # the synthetic election stands where GR2022 stood
        code = r.municipality_code
        renumbered = _unit("renumber", code) < 0.25
        for c in r.counts:
            if c.station_number is None:
                continue
            ll = out.get(("GR2022", code, c.station_number))
            if ll:
                out[("GR2026", code, c.station_number + (100 if renumbered else 0))] = ll
    return out


def load_tables() -> dict:
    from etl.parsers.detect import parse_file

    a = [parse_file(p) for p in sorted(OSV_DIR.glob("*.csv"))]
    b = [_synthetic(r) for r in a]
    coords = _coordinates(a)
    return sources.combine(
        sources.tables_from_parse_results(a, coordinates=coords),
        sources.tables_from_parse_results(b, coordinates=coords, election_id="GR2026"),
    )


# --- pandas ------------------------------------------------------------------------------------------------


def _jaro_winkler(s1: str, s2: str) -> float:
    if s1 == s2:
        return 1.0
    n1, n2 = len(s1), len(s2)
    if not n1 or not n2:
        return 0.0
    window = max(0, max(n1, n2) // 2 - 1)
    m1, m2 = [False] * n1, [False] * n2
    matches = 0
    for i, ch in enumerate(s1):
        for j in range(max(0, i - window), min(n2, i + window + 1)):
            if not m2[j] and s2[j] == ch:
                m1[i] = m2[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    t, k = 0, 0
    for i in range(n1):
        if m1[i]:
            while not m2[k]:
                k += 1
            if s1[i] != s2[k]:
                t += 1
            k += 1
    jaro = (matches / n1 + matches / n2 + (matches - t / 2) / matches) / 3
    prefix = 0
    for x, y in zip(s1[:4], s2[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro) if jaro > 0.7 else jaro


def _haversine(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * np.arcsin(np.sqrt(h))


def _mutual_best(c: pd.DataFrame, order_a: list, asc_a: list, order_b: list, asc_b: list) -> pd.DataFrame:
    ra = c.sort_values(["municipality_code", "number_a", *order_a], ascending=[True, True, *asc_a])
    ra = ra.groupby(["municipality_code", "number_a"], sort=False).head(1)
    rb = c.sort_values(["municipality_code", "number_b", *order_b], ascending=[True, True, *asc_b])
    rb = rb.groupby(["municipality_code", "number_b"], sort=False).head(1)
    return ra.merge(
        rb[["municipality_code", "number_a", "number_b"]], on=["municipality_code", "number_a", "number_b"]
    )


def pandas_station_shares(t: dict[str, pd.DataFrame], a: str, b: str) -> pd.DataFrame:
    st, sr, sv = t["station"], t["station_result"], t["station_party_votes"]
    cols = ["municipality_code", "station_number", "name", "postcode", "latitude", "longitude", "valid_votes"]
    res_a = sr[sr.election_id == a][["municipality_code", "station_number", "valid_votes"]]
    sa = res_a.merge(st[st.election_id == a], on=["municipality_code", "station_number"], how="left")[cols]
    sb = st[st.election_id == b].merge(
        sr[sr.election_id == b][["municipality_code", "station_number", "valid_votes"]],
        on=["municipality_code", "station_number"],
        how="outer",
    )[cols]
    sa = sa.assign(valid_votes=sa.valid_votes.fillna(0)).rename(columns={"station_number": "number_a"})
    sb = sb.assign(valid_votes=sb.valid_votes.fillna(0)).rename(columns={"station_number": "number_b"})
    key = ["municipality_code"]
    m = sa.merge(sb, left_on=[*key, "number_a"], right_on=[*key, "number_b"], suffixes=("_a", "_b"))
    m = m[m.postcode_a.isna() | m.postcode_b.isna() | (m.postcode_a == m.postcode_b)]
    links = [m[[*key, "number_a", "number_b"]]]

    def free():
        done = pd.concat(links)
        fa = sa[~sa.set_index([*key, "number_a"]).index.isin(done.set_index([*key, "number_a"]).index)]
        fb = sb[~sb.set_index([*key, "number_b"]).index.isin(done.set_index([*key, "number_b"]).index)]
        return fa, fb

    for _ in range(8):
        fa, fb = free()
        c = fa.dropna(subset=["postcode"]).merge(
            fb.dropna(subset=["postcode"]), on=[*key, "postcode"], suffixes=("_a", "_b")
        )
        if c.empty:
            break
        c["sim"] = [
            _jaro_winkler(
                str(x).lower() if isinstance(x, str) else "", str(y).lower() if isinstance(y, str) else ""
            )
            for x, y in zip(c.name_a, c.name_b, strict=True)
        ]
        got = _mutual_best(
            c,
            ["sim", "valid_votes_b", "number_b"],
            [False, False, True],
            ["sim", "valid_votes_a", "number_a"],
            [False, False, True],
        )
        if got.empty:
            break
        links.append(got[[*key, "number_a", "number_b"]])
    for _ in range(8):
        fa, fb = free()
        c = fa.dropna(subset=["latitude"]).merge(
            fb.dropna(subset=["latitude"]), on=key, suffixes=("_a", "_b")
        )
        if c.empty:
            break
        c["distance_m"] = _haversine(
            c.latitude_a.values, c.longitude_a.values, c.latitude_b.values, c.longitude_b.values
        )
        c = c[c.distance_m <= MAX_DISTANCE_M]
        got = _mutual_best(
            c, ["distance_m", "number_b"], [True, True], ["distance_m", "number_a"], [True, True]
        )
        if got.empty:
            break
        links.append(got[[*key, "number_a", "number_b"]])
    pairs = pd.concat(links, ignore_index=True)

    # harmonised keys with mergers, per municipality
    mv = sv[sv.election_id.isin([a, b])]
    keys = mv[["election_id", "municipality_code", "party_key"]].drop_duplicates()
    present = set(zip(keys.election_id, keys.municipality_code, keys.party_key, strict=True))
    remap = {}
    for merged, parts in MERGERS.items():
        for e, code, k in present:
            other = b if e == a else a
            if k in parts and (e, code, merged) not in present and (other, code, merged) in present:
                remap[(e, code, k)] = merged
    if remap:
        idx = list(zip(mv.election_id, mv.municipality_code, mv.party_key, strict=True))
        mv = mv.assign(party_key=[remap.get(i, i[2]) for i in idx])
    v = mv.groupby(["election_id", "municipality_code", "station_number", "party_key"], as_index=False).agg(
        party=("party", "first"), votes=("votes", "sum")
    )
    total = v.groupby(["election_id", "municipality_code", "station_number"])["votes"].transform("sum")
    v["share"] = 100.0 * v.votes / total.replace(0, np.nan)
    va = v[v.election_id == a].rename(columns={"station_number": "number_a"}).drop(columns="election_id")
    vb = v[v.election_id == b].rename(columns={"station_number": "number_b"}).drop(columns="election_id")
    pa_ = pairs.merge(va, on=[*key, "number_a"])
    pb_ = pairs.merge(vb, on=[*key, "number_b"])
    out = pa_.merge(pb_, on=[*key, "number_a", "number_b", "party_key"], how="outer", suffixes=("_a", "_b"))
    out["party"] = out.party_b.fillna(out.party_a)
    for col in ("votes_a", "votes_b", "share_a", "share_b"):
        out[col] = out[col].fillna(0)
    out["swing"] = out.share_b - out.share_a
    return out[
        [
            *key,
            "number_a",
            "number_b",
            "party_key",
            "party",
            "votes_a",
            "votes_b",
            "share_a",
            "share_b",
            "swing",
        ]
    ]


def _best(fn, n: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(n):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def duckdb_station_shares(ws: Workspace, a: str, b: str) -> pa.Table:
    """The DuckDB side, as the app computes it (app/analysis/compare: the same link passes and the same
    share/swing SQL), but the result stays in Arrow: converting 136,000 rows to a pandas frame is a
    cost of the caller's choice of frame library, not of the computation, and the pandas side does not
    pay it either (its result is already a frame)."""
    params = compare._params(a, b, None, max_distance=MAX_DISTANCE_M)
    sql = compare._station_shares_sql() + "\nSELECT * FROM shares"
    cur = ws.con.cursor()
    try:
        compare.build_links(cur, params)  # set-based passes in SQL: number, postcode, distance
        return cur.sql(sql, params=compare._used(params, sql)).to_arrow_table()
    finally:
        cur.close()


def duckdb_vs_pandas() -> tuple[float, str]:
    tables = load_tables()
    started = time.perf_counter()
    ws = Workspace.build(tables)
    build_s = time.perf_counter() - started
    frames = {name: tables[name].to_pandas() for name in ("station", "station_result", "station_party_votes")}
    try:
        duck_s, duck_arrow = _best(lambda: duckdb_station_shares(ws, "GR2022", "GR2026"))
        panda_s, panda = _best(lambda: pandas_station_shares(frames, "GR2022", "GR2026"))
        stations = ws.query(
            "SELECT count(*) AS n FROM station_result WHERE election_id = 'GR2022'"
        ).to_pylist()[0]["n"]
    finally:
        ws.close()
    duck = duck_arrow.to_pandas()  # for the agreement check only, outside the timed part
    pairs_duck = duck[["municipality_code", "number_a", "number_b"]].drop_duplicates()
    pairs_panda = panda[["municipality_code", "number_a", "number_b"]].drop_duplicates()
    same_pairs = len(pairs_duck.merge(pairs_panda))
    agree = (
        len(duck) == len(panda)
        and same_pairs == len(pairs_duck) == len(pairs_panda)
        and abs(duck.swing.abs().sum() - panda.swing.abs().sum()) < 0.01 * len(duck)
    )
    ratio = panda_s / duck_s
    details = (
        f"{stations} stations, {len(pairs_duck)} linked pairs, {len(duck)} rows; "
        f"DuckDB {duck_s * 1000:.0f} ms (+ {build_s * 1000:.0f} ms to load the tables), "
        f"pandas {panda_s * 1000:.0f} ms; results agree: {agree} "
        f"(pairs DuckDB {len(pairs_duck)}, pandas {len(pairs_panda)}, common {same_pairs}); target ≥ 5×"
    )
    return ratio, details


BENCHMARKS = {"duckdb_vs_pandas": duckdb_vs_pandas}
