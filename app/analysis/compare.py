"""Comparisons of two elections, as DuckDB SQL over the workspace tables (app/analysis/workspace.py).

``a`` is the earlier (base) election, ``b`` the one compared with it. Shares and swings are in
percentage points of valid votes. Turnout is a municipality figure only (votes cast ÷ electorate);
per station only counts are compared, never a percentage.

Stations are linked across elections per municipality, one to one, in three passes:

1. ``number``: the same station number, unless both have a postcode and the postcodes differ
   (a renumbered municipality reuses numbers for other buildings);
2. ``postcode``: the same postcode; among several, the most similar name (Jaro-Winkler of the
   lower-cased names), then the most votes;
3. ``distance``: the nearest station within ``max_distance_m`` (haversine), mutual nearest only.

The postcode and distance passes link in rounds: each round the pairs that are each other's first
choice among the stations still free (at most ``MAX_ROUNDS`` rounds). Stations left over are listed
with method ``none``. All of it is one SQL statement (see ``build_links``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import duckdb
import pandas as pd

from app.analysis.workspace import Workspace

MAX_DISTANCE_M = 750.0


def _params(a: str, b: str, municipalities: Sequence[str] | None, **extra: object) -> dict[str, object]:
    return {"a": a, "b": b, "all_m": municipalities is None, "m": list(municipalities or []), **extra}


_IN_SCOPE = "($all_m OR list_contains($m, municipality_code))"


def _scope(alias: str) -> str:
    return f"($all_m OR list_contains($m, {alias}.municipality_code))"


# Effective party key for a comparison: a merger's parts count as the merged party in a municipality
# where one election has the merged list and the other has only its parts.
_KEYMAP = f"""
keys AS (
    SELECT DISTINCT election_id, municipality_code, party_key FROM municipality_party_votes
    WHERE election_id IN ($a, $b) AND {_IN_SCOPE}
),
keymap AS (
    SELECT k.election_id, k.municipality_code, k.party_key, m.merged_key
    FROM keys k JOIN party_merger m ON m.part_key = k.party_key
    WHERE NOT EXISTS (SELECT 1 FROM keys k2 WHERE k2.election_id = k.election_id
                        AND k2.municipality_code = k.municipality_code AND k2.party_key = m.merged_key)
      AND EXISTS (SELECT 1 FROM keys k3 WHERE k3.election_id <> k.election_id
                        AND k3.municipality_code = k.municipality_code AND k3.party_key = m.merged_key)
)"""


def municipality_turnout(
    ws: Workspace, a: str, b: str, municipalities: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per municipality: electorate, votes cast and turnout in both elections, and the change."""
    return ws.df(
        f"""
        WITH r AS (SELECT * FROM municipality_result WHERE election_id IN ($a, $b) AND {_IN_SCOPE})
        SELECT coalesce(ra.municipality_code, rb.municipality_code) AS municipality_code,
               coalesce(rb.municipality_name, ra.municipality_name) AS municipality_name,
               ra.electorate AS electorate_a, ra.votes_cast AS votes_cast_a,
               round(100.0 * ra.votes_cast / nullif(ra.electorate, 0), 2) AS turnout_a,
               rb.electorate AS electorate_b, rb.votes_cast AS votes_cast_b,
               round(100.0 * rb.votes_cast / nullif(rb.electorate, 0), 2) AS turnout_b,
               round(100.0 * rb.votes_cast / nullif(rb.electorate, 0)
                     - 100.0 * ra.votes_cast / nullif(ra.electorate, 0), 2) AS turnout_change
        FROM (SELECT * FROM r WHERE election_id = $a) ra
        FULL JOIN (SELECT * FROM r WHERE election_id = $b) rb USING (municipality_code)
        ORDER BY municipality_name
        """,
        _params(a, b, municipalities),
    )


def municipality_party_shares(
    ws: Workspace, a: str, b: str, municipalities: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per municipality and harmonised party: votes and share in both elections, and the swing."""
    return ws.df(
        f"""
        WITH {_KEYMAP},
        v AS (
            SELECT p.election_id, p.municipality_code, coalesce(km.merged_key, p.party_key) AS party_key,
                   string_agg(DISTINCT p.party, ' + ' ORDER BY p.party) AS party,
                   sum(p.votes)::BIGINT AS votes
            FROM municipality_party_votes p
            LEFT JOIN keymap km USING (election_id, municipality_code, party_key)
            WHERE p.election_id IN ($a, $b) AND {_scope("p")}
            GROUP BY ALL
        ),
        s AS (SELECT *, 100.0 * votes
                        / nullif(sum(votes) OVER (PARTITION BY election_id, municipality_code), 0) AS share
              FROM v)
        SELECT coalesce(sa.municipality_code, sb.municipality_code) AS municipality_code,
               mu.municipality_name, party_key, coalesce(sb.party, sa.party) AS party,
               coalesce(sa.votes, 0) AS votes_a, coalesce(sb.votes, 0) AS votes_b,
               round(coalesce(sa.share, 0), 2) AS share_a, round(coalesce(sb.share, 0), 2) AS share_b,
               round(coalesce(sb.share, 0) - coalesce(sa.share, 0), 2) AS swing
        FROM (SELECT * FROM s WHERE election_id = $a) sa
        FULL JOIN (SELECT * FROM s WHERE election_id = $b) sb USING (municipality_code, party_key)
        LEFT JOIN municipality mu
               ON mu.municipality_code = coalesce(sa.municipality_code, sb.municipality_code)
        WHERE (SELECT count(*) FROM v WHERE v.election_id = $a
                 AND v.municipality_code = coalesce(sa.municipality_code, sb.municipality_code)) > 0
          AND (SELECT count(*) FROM v WHERE v.election_id = $b
                 AND v.municipality_code = coalesce(sa.municipality_code, sb.municipality_code)) > 0
        ORDER BY municipality_code, share_b DESC
        """,
        _params(a, b, municipalities),
    )


# CTEs ``sa`` and ``sb``: the stations of both elections in scope, with their valid votes.
_STATIONS = f"""
sa AS MATERIALIZED (
    SELECT r.municipality_code, r.station_number, s.name, s.postcode, s.latitude, s.longitude,
           coalesce(r.valid_votes, 0) AS valid_votes
    FROM station_result r
    LEFT JOIN station s USING (election_id, municipality_code, station_number)
    WHERE r.election_id = $a AND {_scope("r")}
),
sb AS MATERIALIZED (
    SELECT coalesce(s.municipality_code, r.municipality_code) AS municipality_code,
           coalesce(s.station_number, r.station_number) AS station_number,
           s.name, s.postcode, s.latitude, s.longitude, coalesce(r.valid_votes, 0) AS valid_votes
    FROM (SELECT * FROM station WHERE election_id = $b AND {_IN_SCOPE}) s
    FULL JOIN (SELECT * FROM station_result WHERE election_id = $b AND {_IN_SCOPE}) r
         USING (municipality_code, station_number)
)"""
MAX_ROUNDS = 8
# Metres per degree of latitude, rounded down (haversine radius 6,371,008.8 m gives 111,195), so a grid
# cell of max_distance / this many degrees is at least max_distance wide.
_M_PER_DEGREE = 111_000.0


def _mutual_best_rounds(name: str, source: str, cols: list[str], rank_a: str, rank_b: str) -> str:
    """A recursive CTE ``name`` over the candidate pairs in ``source``: each round links the pairs that
    are each other's first choice and drops the other candidates of the stations just linked; it stops
    when no candidates are left or after ``$max_rounds`` rounds. The linked pairs are the rows with
    ``linked``.

    ``a``'s first choice is the candidate with the lowest ``rank_a`` (a tuple, compared left to right,
    ending in the other side's number so that it is unique), ``b``'s the one with the lowest
    ``rank_b``: one ``arg_min`` per side and round, a small hash aggregate rather than a sort."""
    keep = ", ".join(cols)
    r_keep = ", ".join(f"r.{c}" for c in cols)
    return f"""
{name}(round, municipality_code, number_a, number_b, {keep}, linked) AS (
    SELECT 0, municipality_code, number_a, number_b, {keep}, false FROM {source}
    UNION ALL
    (WITH r AS (SELECT * FROM {name} WHERE NOT linked AND round < $max_rounds),
     best_a AS (SELECT municipality_code, number_a, arg_min(number_b, {rank_a}) AS number_b
                FROM r GROUP BY municipality_code, number_a),
     best_b AS (SELECT municipality_code, number_b, arg_min(number_a, {rank_b}) AS number_a
                FROM r GROUP BY municipality_code, number_b),
     m AS (SELECT * FROM best_a SEMI JOIN best_b USING (municipality_code, number_a, number_b))
     SELECT r.round + 1, r.municipality_code, r.number_a, r.number_b, {r_keep}, m.number_a IS NOT NULL
     FROM r LEFT JOIN m USING (municipality_code, number_a, number_b)
     WHERE m.number_a IS NOT NULL
        OR (NOT EXISTS (SELECT 1 FROM m m2 WHERE m2.municipality_code = r.municipality_code
                                             AND m2.number_a = r.number_a)
            AND NOT EXISTS (SELECT 1 FROM m m3 WHERE m3.municipality_code = r.municipality_code
                                                 AND m3.number_b = r.number_b)))
)"""


def _free(out: str, stations: str, linked: str, side: str) -> str:
    return f"""{out} AS (SELECT * FROM {stations} s ANTI JOIN {linked} k
        ON k.municipality_code = s.municipality_code AND k.number_{side} = s.station_number)"""


# One statement: the three passes as CTEs over the stations still free after the one before.
_LINKS = f"""
CREATE OR REPLACE TEMP TABLE links AS
WITH RECURSIVE
{_STATIONS},
by_number AS (
    SELECT a.municipality_code, a.station_number AS number_a, b.station_number AS number_b,
           haversine_m(a.latitude, a.longitude, b.latitude, b.longitude) AS distance_m
    FROM sa a JOIN sb b USING (municipality_code, station_number)
    WHERE a.postcode IS NULL OR b.postcode IS NULL OR a.postcode = b.postcode
),
{_free("fa1", "sa", "by_number", "a")},
{_free("fb1", "sb", "by_number", "b")},
pc AS (
    SELECT a.municipality_code, a.station_number AS number_a, b.station_number AS number_b,
           haversine_m(a.latitude, a.longitude, b.latitude, b.longitude) AS distance_m,
           round(jaro_winkler_similarity(lower(coalesce(a.name, '')), lower(coalesce(b.name, ''))), 9) AS sim,
           a.valid_votes AS va, b.valid_votes AS vb
    FROM fa1 a JOIN fb1 b ON a.municipality_code = b.municipality_code AND a.postcode = b.postcode
),
{
    _mutual_best_rounds(
        "pc_rounds",
        "pc",
        ["distance_m", "sim", "va", "vb"],
        "(-sim, -vb, number_b)",
        "(-sim, -va, number_a)",
    )
},
by_postcode AS (SELECT municipality_code, number_a, number_b, distance_m FROM pc_rounds WHERE linked),
{_free("fa2", "fa1", "by_postcode", "a")},
{_free("fb2", "fb1", "by_postcode", "b")},
grid AS (
    SELECT $max_distance / {_M_PER_DEGREE} AS dlat,
           $max_distance / {_M_PER_DEGREE} / cos(radians(least(max(abs(latitude)), 85))) AS dlon
    FROM (SELECT latitude FROM fa2 UNION ALL SELECT latitude FROM fb2)
),
ga AS (SELECT s.*, floor(latitude / dlat)::BIGINT AS gy, floor(longitude / dlon)::BIGINT AS gx
       FROM fa2 s, grid WHERE latitude IS NOT NULL AND longitude IS NOT NULL),
gb AS (SELECT s.*, floor(latitude / dlat)::BIGINT + dy AS gy, floor(longitude / dlon)::BIGINT + dx AS gx
       FROM fb2 s, grid, (SELECT unnest([-1, 0, 1]) AS dy), (SELECT unnest([-1, 0, 1]) AS dx)
       WHERE latitude IS NOT NULL AND longitude IS NOT NULL),
dc AS (
    SELECT * FROM (
        SELECT a.municipality_code, a.station_number AS number_a, b.station_number AS number_b,
               haversine_m(a.latitude, a.longitude, b.latitude, b.longitude) AS distance_m
        FROM ga a JOIN gb b USING (municipality_code, gy, gx))
    WHERE distance_m <= $max_distance
),
{_mutual_best_rounds("dc_rounds", "dc", ["distance_m"], "(distance_m, number_b)", "(distance_m, number_a)")},
by_distance AS (SELECT municipality_code, number_a, number_b, distance_m FROM dc_rounds WHERE linked),
{_free("fa3", "fa2", "by_distance", "a")},
{_free("fb3", "fb2", "by_distance", "b")}
SELECT municipality_code, number_a, number_b, 'number' AS method, distance_m FROM by_number
UNION ALL
SELECT municipality_code, number_a, number_b, 'postcode', distance_m FROM by_postcode
UNION ALL
SELECT municipality_code, number_a, number_b, 'distance', distance_m FROM by_distance
UNION ALL
SELECT municipality_code, station_number, NULL, 'none', NULL FROM fa3
UNION ALL
SELECT municipality_code, NULL, station_number, 'none', NULL FROM fb3
"""


def link_params(
    a: str, b: str, municipalities: Sequence[str] | None = None, max_distance_m: float = MAX_DISTANCE_M
) -> dict[str, object]:
    """The parameters of :func:`build_links` (and of the queries over its tables)."""
    return _params(a, b, municipalities, max_distance=max_distance_m, max_rounds=MAX_ROUNDS)


def _used(params: dict[str, object], sql: str) -> dict[str, object]:
    """The parameters ``sql`` refers to (DuckDB refuses unused ones)."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


def build_links(cur: duckdb.DuckDBPyConnection, params: dict[str, object]) -> None:
    """Make the temporary table ``links`` (municipality_code, number_a, number_b, method, distance_m)
    on this cursor, with the parameters of :func:`link_params`. Queries over it that need the
    stations themselves put ``_STATIONS`` (the CTEs ``sa`` and ``sb``) in front.

    One set-based statement: the stations of both elections as CTEs, then the three passes. The
    postcode and distance passes are recursive CTEs of "mutual best" rounds among the stations still
    free, so several stations at one postcode (or one building) pair up one by one; the distance
    candidates come from a grid join on rounded latitude/longitude (cells at least ``max_distance``
    wide, the 3 × 3 neighbouring cells), not from every pair in the municipality.
    """
    cur.execute(_LINKS, _used(params, _LINKS))


def _with_links(ws: Workspace, sql: str, params: dict[str, object]) -> pd.DataFrame:
    cur = ws.con.cursor()
    try:
        build_links(cur, params)
        return cur.execute(sql, _used(params, sql)).df()
    finally:
        cur.close()


def station_links(
    ws: Workspace,
    a: str,
    b: str,
    municipalities: Sequence[str] | None = None,
    *,
    max_distance_m: float = MAX_DISTANCE_M,
) -> pd.DataFrame:
    """Which station of ``a`` is which station of ``b``, and how each pair was linked."""
    return _with_links(
        ws,
        f"""
        WITH {_STATIONS}
        SELECT k.municipality_code, k.number_a, a.name AS name_a, a.postcode AS postcode_a,
               k.number_b, b.name AS name_b, b.postcode AS postcode_b, k.method,
               round(k.distance_m) AS distance_m
        FROM links k
        LEFT JOIN sa a ON a.municipality_code = k.municipality_code AND a.station_number = k.number_a
        LEFT JOIN sb b ON b.municipality_code = k.municipality_code AND b.station_number = k.number_b
        ORDER BY k.municipality_code, k.method = 'none', coalesce(k.number_b, k.number_a), k.number_a
        """,
        link_params(a, b, municipalities, max_distance_m),
    )


def _station_shares_sql() -> str:
    """CTE ``shares`` over ``links``: per linked pair and harmonised party, votes and shares (of the
    party votes at that station) in both elections, and the swing. One aggregate pass: every party row
    of either election joins its pair and is summed into that pair's row for its party."""
    return f"""
    WITH {_KEYMAP},
    pairs AS (SELECT row_number() OVER () AS pair_id, municipality_code, number_a, number_b
              FROM links WHERE method <> 'none'),
    ends AS (SELECT $a AS election_id, municipality_code, number_a AS station_number, pair_id FROM pairs
             UNION ALL
             SELECT $b, municipality_code, number_b, pair_id FROM pairs),
    v AS (
        SELECT e.pair_id, coalesce(km.merged_key, p.party_key) AS party_key,
               min(p.party) FILTER (WHERE p.election_id = $b) AS party_b,
               min(p.party) FILTER (WHERE p.election_id = $a) AS party_a,
               coalesce(sum(p.votes) FILTER (WHERE p.election_id = $a), 0)::BIGINT AS votes_a,
               coalesce(sum(p.votes) FILTER (WHERE p.election_id = $b), 0)::BIGINT AS votes_b
        FROM station_party_votes p
        JOIN ends e USING (election_id, municipality_code, station_number)
        LEFT JOIN keymap km USING (election_id, municipality_code, party_key)
        WHERE p.election_id IN ($a, $b) AND {_scope("p")}
        GROUP BY ALL
    ),
    totals AS (SELECT pair_id, sum(votes_a) AS total_a, sum(votes_b) AS total_b FROM v GROUP BY pair_id),
    shares AS (
        SELECT k.municipality_code, k.number_a, k.number_b, v.party_key, coalesce(party_b, party_a) AS party,
               votes_a, votes_b, coalesce(100.0 * votes_a / nullif(total_a, 0), 0) AS share_a,
               coalesce(100.0 * votes_b / nullif(total_b, 0), 0) AS share_b,
               coalesce(100.0 * votes_b / nullif(total_b, 0), 0)
               - coalesce(100.0 * votes_a / nullif(total_a, 0), 0) AS swing
        FROM v JOIN totals USING (pair_id) JOIN pairs k USING (pair_id)
    )"""


def station_party_shares(
    ws: Workspace, a: str, b: str, municipalities: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per linked pair of stations and harmonised party: votes, shares and swing."""
    return _with_links(
        ws,
        _station_shares_sql()
        + """
        SELECT municipality_code, number_a, number_b, party_key, party, votes_a, votes_b,
               round(share_a, 2) AS share_a, round(share_b, 2) AS share_b, round(swing, 2) AS swing
        FROM shares
        ORDER BY municipality_code, number_b, share_b DESC
        """,
        link_params(a, b, municipalities),
    )


def station_comparison(
    ws: Workspace, a: str, b: str, municipalities: Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per linked pair: how it was linked, the counts (admitted voters, valid votes) in both
    elections, the largest party in each with its share (of parties with equal shares the first by
    name, so that a page shows the same on every render), where it is (b's location, else a's)."""
    return _with_links(
        ws,
        _station_shares_sql()
        + f""",
        {_STATIONS},
        top AS (
            SELECT municipality_code, number_a, number_b,
                   first(party ORDER BY share_a DESC, party) FILTER (WHERE votes_a > 0) AS largest_a,
                   max(share_a) AS largest_share_a,
                   first(party ORDER BY share_b DESC, party) FILTER (WHERE votes_b > 0) AS largest_b,
                   max(share_b) AS largest_share_b
            FROM shares GROUP BY ALL
        ),
        ra AS (SELECT * FROM station_result WHERE election_id = $a),
        rb AS (SELECT * FROM station_result WHERE election_id = $b)
        SELECT k.municipality_code, k.number_a, a.name AS name_a, k.number_b, b.name AS name_b,
               k.method, round(k.distance_m) AS distance_m,
               ra.admitted_voters AS admitted_a, rb.admitted_voters AS admitted_b,
               rb.admitted_voters - ra.admitted_voters AS admitted_change,
               ra.valid_votes AS valid_a, rb.valid_votes AS valid_b,
               t.largest_a, round(t.largest_share_a, 2) AS largest_share_a,
               t.largest_b, round(t.largest_share_b, 2) AS largest_share_b,
               coalesce(b.latitude, a.latitude) AS latitude, coalesce(b.longitude, a.longitude) AS longitude,
               rb.source AS source_b
        FROM links k
        LEFT JOIN sa a ON a.municipality_code = k.municipality_code AND a.station_number = k.number_a
        LEFT JOIN sb b ON b.municipality_code = k.municipality_code AND b.station_number = k.number_b
        LEFT JOIN ra ON ra.municipality_code = k.municipality_code AND ra.station_number = k.number_a
        LEFT JOIN rb ON rb.municipality_code = k.municipality_code AND rb.station_number = k.number_b
        LEFT JOIN top t ON t.municipality_code = k.municipality_code AND t.number_a = k.number_a
                       AND t.number_b = k.number_b
        WHERE k.method <> 'none'
        ORDER BY k.municipality_code, k.number_b
        """,
        link_params(a, b, municipalities),
    )


def biggest_movers(shares: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` rows with the largest swing either way (of a municipality or station share table)."""
    if shares.empty:
        return shares
    order = shares["swing"].abs().sort_values(ascending=False).index
    return shares.loc[order].head(n).reset_index(drop=True)


def counted_progress(
    ws: Workspace, election_id: str, municipalities: Sequence[str] | None = None
) -> tuple[int, int]:
    """(stations with a count, stations) of an election in scope: "N of M stations counted"."""
    row = ws.query(
        f"""
        SELECT (SELECT count(*) FROM station_result WHERE election_id = $a AND {_IN_SCOPE}) AS counted,
               (SELECT count(*) FROM station WHERE election_id = $a AND {_IN_SCOPE}) AS stations
        """,
        {"a": election_id, "all_m": municipalities is None, "m": list(municipalities or [])},
    ).to_pylist()[0]
    return int(row["counted"]), max(int(row["stations"]), int(row["counted"]))
