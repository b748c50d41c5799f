"""duckdb_vs_pandas: the station-level comparison of two elections over all municipalities.

Election A is GR2022 as published: the 330 osv4-3 files in ../shared/data (11,986 stations), parsed
with etl.parsers, with the approximate station coordinates of the shared station summary. Election B is
a synthetic "GR2026" made deterministically from it: every list's votes perturbed by up to ±25%, every
fourth municipality renumbered (station n becomes 100 + n, as Tilburg did), and in every seventh of
those the postcodes dropped (so the distance pass must link them).

The same computation runs in DuckDB and in pandas, from the same in-memory tables, side by side:

- DuckDB: the SQL of app/analysis/compare.station_party_shares. One statement for all links (the
  stations of both elections; number; postcode candidates ranked by name similarity with
  jaro_winkler_similarity, then votes; distance candidates from a grid join; "mutual best" rounds as
  recursive CTEs, each side's first choice an arg_min), then one aggregate pass for shares and swing.
  The result stays in Arrow (no pandas conversion when timed).
- pandas: the same algorithm written as idiomatic pandas (merges, drop_duplicates for the first choice,
  groupby, vectorised haversine, the same grid and the same rounds). The only Python loop over rows is
  the name similarity of the ~2,400 postcode candidates: pandas has no vectorised string similarity,
  so it calls ``jaro_winkler`` below, which is checked to equal DuckDB's function on every pair of
  stations sharing a postcode.

The ratio is pandas time ÷ DuckDB time, best of 5 each, the two run alternately (DuckDB with the
workspace's 2 threads, pandas in one). Outside the timing the links (with the method that linked each
pair) and every row of the result are checked to agree.
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


def jaro_winkler(text1: str, text2: str) -> float:
    """Jaro-Winkler similarity exactly as DuckDB's jaro_winkler_similarity computes it: over the UTF-8
    bytes, half the transpositions rounded down, prefix scale 0.1 over at most 4 bytes, boost above
    0.7; an empty string scores 0 (the bench checks it against DuckDB on every candidate pair)."""
    s1, s2 = text1.encode(), text2.encode()
    n1, n2 = len(s1), len(s2)
    if not n1 or not n2:
        return 0.0
    if s1 == s2:
        return 1.0
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
    jaro = (matches / n1 + matches / n2 + (matches - t // 2) / matches) / 3
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


KEY = "municipality_code"


def _name_similarity(names_a: pd.Series, names_b: pd.Series) -> list[float]:
    """Jaro-Winkler of the lower-cased names, rounded as in the SQL: a Python loop, because pandas has
    no vectorised string similarity (DuckDB's jaro_winkler_similarity is checked against it)."""
    la = names_a.fillna("").str.lower()
    lb = names_b.fillna("").str.lower()
    return [round(jaro_winkler(x, y), 9) for x, y in zip(la, lb, strict=True)]


def _mutual_best_rounds(
    c: pd.DataFrame, order_a: list[str], asc_a: list[bool], order_b: list[str], asc_b: list[bool]
) -> pd.DataFrame:
    """compare._mutual_best_rounds in pandas: per round the pairs that are each other's first choice,
    then drop the other candidates of the stations just linked."""
    linked = []
    for _ in range(compare.MAX_ROUNDS):
        if c.empty:
            break
        best_a = c.sort_values(order_a, ascending=asc_a).drop_duplicates([KEY, "number_a"])
        best_b = c.sort_values(order_b, ascending=asc_b).drop_duplicates([KEY, "number_b"])
        got = best_a.merge(best_b[[KEY, "number_a", "number_b"]], on=[KEY, "number_a", "number_b"])
        linked.append(got)
        used_a = pd.MultiIndex.from_frame(got[[KEY, "number_a"]])
        used_b = pd.MultiIndex.from_frame(got[[KEY, "number_b"]])
        c = c[
            ~pd.MultiIndex.from_frame(c[[KEY, "number_a"]]).isin(used_a)
            & ~pd.MultiIndex.from_frame(c[[KEY, "number_b"]]).isin(used_b)
        ]
    return pd.concat(linked, ignore_index=True) if linked else c.iloc[0:0]


def _free(stations: pd.DataFrame, linked: pd.DataFrame, side: str) -> pd.DataFrame:
    col = f"number_{side}"
    done = pd.MultiIndex.from_frame(linked[[KEY, col]])
    return stations[~pd.MultiIndex.from_frame(stations[[KEY, col]]).isin(done)]


def pandas_links(t: dict[str, pd.DataFrame], a: str, b: str) -> pd.DataFrame:
    """compare.build_links in pandas: the same three passes, mutual-best rounds and grid."""
    st, sr = t["station"], t["station_result"]
    cols = [KEY, "station_number", "name", "postcode", "latitude", "longitude", "valid_votes"]
    res_a = sr[sr.election_id == a][[KEY, "station_number", "valid_votes"]]
    sa = res_a.merge(st[st.election_id == a], on=[KEY, "station_number"], how="left")[cols]
    sb = st[st.election_id == b].merge(
        sr[sr.election_id == b][[KEY, "station_number", "valid_votes"]],
        on=[KEY, "station_number"],
        how="outer",
    )[cols]
    sa = sa.assign(valid_votes=sa.valid_votes.fillna(0)).rename(columns={"station_number": "number_a"})
    sb = sb.assign(valid_votes=sb.valid_votes.fillna(0)).rename(columns={"station_number": "number_b"})

    def distance(c: pd.DataFrame) -> np.ndarray:
        return _haversine(
            c.latitude_a.values, c.longitude_a.values, c.latitude_b.values, c.longitude_b.values
        )

    # 1. number (unless both postcodes are known and differ)
    c = sa.merge(sb, left_on=[KEY, "number_a"], right_on=[KEY, "number_b"], suffixes=("_a", "_b"))
    by_number = c[c.postcode_a.isna() | c.postcode_b.isna() | (c.postcode_a == c.postcode_b)]
    by_number = by_number.assign(distance_m=distance(by_number))
    fa1, fb1 = _free(sa, by_number, "a"), _free(sb, by_number, "b")

    # 2. postcode: most similar name, then most votes, mutual best per round
    c = fa1.dropna(subset=["postcode"]).merge(
        fb1.dropna(subset=["postcode"]), on=[KEY, "postcode"], suffixes=("_a", "_b")
    )
    c = c.assign(distance_m=distance(c), sim=_name_similarity(c.name_a, c.name_b))
    by_postcode = _mutual_best_rounds(
        c,
        ["sim", "valid_votes_b", "number_b"],
        [False, False, True],
        ["sim", "valid_votes_a", "number_a"],
        [False, False, True],
    )
    fa2, fb2 = _free(fa1, by_postcode, "a"), _free(fb1, by_postcode, "b")

    # 3. distance: grid cells at least MAX_DISTANCE_M wide, a station against the 3 x 3 cells around it
    ga = fa2.dropna(subset=["latitude", "longitude"])
    gb = fb2.dropna(subset=["latitude", "longitude"])
    max_lat = pd.concat([fa2.latitude, fb2.latitude]).abs().max()
    dlat = MAX_DISTANCE_M / compare._M_PER_DEGREE
    dlon = dlat / np.cos(np.radians(min(max_lat, 85)))
    ga = ga.assign(
        gy=np.floor(ga.latitude / dlat).astype("int64"), gx=np.floor(ga.longitude / dlon).astype("int64")
    )
    offsets = pd.DataFrame([(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)], columns=["dy", "dx"])
    gb = gb.merge(offsets, how="cross")
    gb = gb.assign(
        gy=np.floor(gb.latitude / dlat).astype("int64") + gb.dy,
        gx=np.floor(gb.longitude / dlon).astype("int64") + gb.dx,
    )
    c = ga.merge(gb, on=[KEY, "gy", "gx"], suffixes=("_a", "_b"))
    c = c.assign(distance_m=distance(c))
    c = c[c.distance_m <= MAX_DISTANCE_M]
    by_distance = _mutual_best_rounds(
        c, ["distance_m", "number_b"], [True, True], ["distance_m", "number_a"], [True, True]
    )
    fa3, fb3 = _free(fa2, by_distance, "a"), _free(fb2, by_distance, "b")

    out = [KEY, "number_a", "number_b", "method", "distance_m"]
    return pd.concat(
        [
            by_number.assign(method="number")[out],
            by_postcode.assign(method="postcode")[out],
            by_distance.assign(method="distance")[out],
            fa3.assign(number_b=pd.NA, method="none", distance_m=np.nan)[out],
            fb3.assign(number_a=pd.NA, method="none", distance_m=np.nan)[out],
        ],
        ignore_index=True,
    )


def pandas_station_shares(t: dict[str, pd.DataFrame], a: str, b: str) -> pd.DataFrame:
    """compare.build_links + compare._station_shares_sql in pandas: merges, groupby, no Python loop
    over rows except the name similarity of the postcode candidates."""
    links = pandas_links(t, a, b)
    pairs = links[links.method != "none"][[KEY, "number_a", "number_b"]].reset_index(drop=True)
    pairs["pair_id"] = np.arange(len(pairs))
    ends = pd.concat(
        [
            pairs.assign(election_id=a, station_number=pairs.number_a),
            pairs.assign(election_id=b, station_number=pairs.number_b),
        ]
    )[["election_id", KEY, "station_number", "pair_id"]]
    ends["station_number"] = ends.station_number.astype("int64")

    # harmonised keys: a merger's parts count as the merged party where only the other election has it
    mpv = t["municipality_party_votes"]
    keys = mpv[mpv.election_id.isin([a, b])][["election_id", KEY, "party_key"]].drop_duplicates()
    merger = pd.DataFrame(
        [(m, p) for m, parts in MERGERS.items() for p in parts], columns=["merged_key", "part_key"]
    )
    km = keys.merge(merger, left_on="party_key", right_on="part_key")
    has = keys.rename(columns={"party_key": "merged_key"}).assign(present=True)
    km = km.merge(has, on=["election_id", KEY, "merged_key"], how="left")
    other = has.assign(election_id=has.election_id.map({a: b, b: a}), other=True).drop(columns="present")
    km = km.merge(other, on=["election_id", KEY, "merged_key"], how="left")
    km = km[km.present.isna() & km.other.notna()][["election_id", KEY, "party_key", "merged_key"]]

    sv = t["station_party_votes"]
    v = sv[sv.election_id.isin([a, b])].merge(ends, on=["election_id", KEY, "station_number"])
    v = v.merge(km, on=["election_id", KEY, "party_key"], how="left")
    v["party_key"] = v.merged_key.fillna(v.party_key)
    in_a = v.election_id == a
    v = v.assign(
        votes_a=v.votes.where(in_a, 0),
        votes_b=v.votes.where(~in_a, 0),
        party_a=v.party.where(in_a),
        party_b=v.party.where(~in_a),
    )
    g = v.groupby(["pair_id", "party_key"], as_index=False, sort=False).agg(
        party_b=("party_b", "min"),
        party_a=("party_a", "min"),
        votes_a=("votes_a", "sum"),
        votes_b=("votes_b", "sum"),
    )
    totals = g.groupby("pair_id")[["votes_a", "votes_b"]].transform("sum")
    g["share_a"] = (100.0 * g.votes_a / totals.votes_a.replace(0, np.nan)).fillna(0.0)
    g["share_b"] = (100.0 * g.votes_b / totals.votes_b.replace(0, np.nan)).fillna(0.0)
    g["swing"] = g.share_b - g.share_a
    g["party"] = g.party_b.fillna(g.party_a)
    out = g.merge(pairs, on="pair_id")
    return out[
        [
            KEY,
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


RUNS = 5


def _best_interleaved(fn_a, fn_b, n: int = RUNS) -> tuple[float, Any, float, Any]:
    """Best of ``n`` for each of two functions, run alternately (a, b, a, b, ...) so that both meet the
    same background load on a shared machine."""
    best_a = best_b = float("inf")
    result_a = result_b = None
    for _ in range(n):
        started = time.perf_counter()
        result_a = fn_a()
        best_a = min(best_a, time.perf_counter() - started)
        started = time.perf_counter()
        result_b = fn_b()
        best_b = min(best_b, time.perf_counter() - started)
    return best_a, result_a, best_b, result_b


def duckdb_station_shares(ws: Workspace, a: str, b: str) -> pa.Table:
    """The DuckDB side, as the app computes it (app/analysis/compare: the stations, one statement for
    all links, one aggregate pass for shares and swing), but the result stays in Arrow: converting
    136,000 rows to a pandas frame is a cost of the caller's choice of frame library, not of the
    computation, and the pandas side does not pay it either (its result is already a frame)."""
    params = compare.link_params(a, b)
    sql = compare._station_shares_sql() + "\nSELECT * FROM shares"
    cur = ws.con.cursor()
    try:
        compare.build_links(cur, params)
        return cur.sql(sql, params=compare._used(params, sql)).to_arrow_table()
    finally:
        cur.close()


def _sorted(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return df.sort_values(keys, na_position="last").reset_index(drop=True)


def _differences(duck: pd.DataFrame, panda: pd.DataFrame, keys: list[str]) -> list[str]:
    """Column by column: strings and counts equal, figures within 1e-9."""
    if len(duck) != len(panda):
        return [f"{len(duck)} rows against {len(panda)}"]
    duck, panda = _sorted(duck, keys), _sorted(panda[duck.columns], keys)
    out = []
    for col in duck.columns:
        x, y = duck[col], panda[col]
        if x.dtype.kind == "f" or y.dtype.kind == "f":
            xs, ys = x.astype("float64").to_numpy(), y.astype("float64").to_numpy()
            same = np.isclose(xs, ys, rtol=0, atol=1e-9, equal_nan=True)
        else:
            same = (x.astype("object").fillna("∅") == y.astype("object").fillna("∅")).to_numpy()
        if not same.all():
            out.append(f"{col}: {int((~same).sum())} differ")
    return out


def _check(ws: Workspace, duck: pa.Table, panda: pd.DataFrame, frames: dict, a: str, b: str) -> list[str]:
    """Outside the timing: the links (with their method) and every row of the result agree, and DuckDB's
    jaro_winkler_similarity equals the Python function on every postcode candidate's names."""
    cur = ws.con.cursor()
    try:
        params = compare.link_params(a, b)
        compare.build_links(cur, params)
        links_duck = cur.sql("SELECT * FROM links").df()
        names_sql = f"""WITH {compare._STATIONS}
            SELECT lower(coalesce(a.name, '')) AS x, lower(coalesce(b.name, '')) AS y,
                   jaro_winkler_similarity(x, y) AS sim
            FROM sa a JOIN sb b USING (municipality_code, postcode)"""
        names = cur.sql(names_sql, params=compare._used(params, names_sql)).df()
    finally:
        cur.close()
    problems = []
    python_sim = np.array([jaro_winkler(x, y) for x, y in zip(names.x, names.y, strict=True)])
    if not np.allclose(python_sim, names.sim.to_numpy(), rtol=0, atol=1e-12):
        problems.append("jaro_winkler differs from DuckDB's")
    links_panda = pandas_links(frames, a, b)
    link_keys = [KEY, "method", "number_a", "number_b"]
    problems += [f"links {p}" for p in _differences(links_duck, links_panda, link_keys)]
    share_keys = [KEY, "number_a", "number_b", "party_key"]
    problems += [f"shares {p}" for p in _differences(duck.to_pandas(), panda, share_keys)]
    return problems


def duckdb_vs_pandas() -> tuple[float, str]:
    a, b = "GR2022", "GR2026"
    tables = load_tables()
    started = time.perf_counter()
    ws = Workspace.build(tables)
    build_s = time.perf_counter() - started
    frames = {name: tables[name].to_pandas() for name in ("station", "station_result", "station_party_votes")}
    # as the workspace derived it (the history files have no GR2026 municipality totals)
    frames["municipality_party_votes"] = ws.query("SELECT * FROM municipality_party_votes").to_pandas()
    try:
        duck_s, duck, panda_s, panda = _best_interleaved(
            lambda: duckdb_station_shares(ws, a, b), lambda: pandas_station_shares(frames, a, b)
        )
        problems = _check(ws, duck, panda, frames, a, b)
        stations = ws.query(
            f"SELECT count(*) AS n FROM station_result WHERE election_id = '{a}'"
        ).to_pylist()[0]["n"]
    finally:
        ws.close()
    pairs = len(panda[[KEY, "number_a", "number_b"]].drop_duplicates())
    ratio = panda_s / duck_s
    agree = "True" if not problems else f"False ({'; '.join(problems)})"
    details = (
        f"{stations} stations, {pairs} linked pairs, {duck.num_rows} rows; "
        f"DuckDB {duck_s * 1000:.0f} ms (links and shares SQL, 2 threads, result as Arrow; "
        f"+ {build_s * 1000:.0f} ms to load the tables, not timed), "
        f"pandas {panda_s * 1000:.0f} ms (the same algorithm, result as a DataFrame; "
        f"frames ready, not timed); best of {RUNS} each, run alternately; "
        f"results agree (links with their method, every row): {agree}; target ≥ 5×"
    )
    return ratio, details


BENCHMARKS = {"duckdb_vs_pandas": duckdb_vs_pandas}
