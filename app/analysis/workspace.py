"""The analysis workspace: an in-process DuckDB database built from Arrow tables.

The tables (all read-only copies; PostgreSQL stays the system of record):

=========================  ===========================================================================
``election``               election_id, kind, election_date, name
``municipality_result``    per election and municipality: electorate, votes_cast, valid/blank/invalid
``municipality_party_votes`` per election, municipality and party: party (raw), party_key, votes
``station``                per election, municipality and station number: name, postcode, lat/lon
``station_result``         per station: admitted_voters, valid/blank/invalid votes, votes_cast, source
``station_party_votes``    per station and list: list_number, party (raw), party_key, votes, source
``municipality``           municipality_code, municipality_name
``municipality_electorate`` per election and municipality: electorate (kiesgerechtigden)
``party_merger``           merged_key, part_key (GL-PvdA ← GROENLINKS, PvdA)
=========================  ===========================================================================

``source`` is ``official`` (a published count) or ``preliminary`` (tonight's count from the chairs).
Municipality totals missing from the history files are derived from the station tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import pandas as pd
import pyarrow as pa

from app.analysis.parties import MERGERS

SCHEMAS: dict[str, pa.Schema] = {
    "election": pa.schema(
        [
            ("election_id", pa.string()),
            ("kind", pa.string()),
            ("election_date", pa.date32()),
            ("name", pa.string()),
            ("is_practice", pa.bool_()),  # a practice election (null: from the history files, never)
        ]
    ),
    "municipality_result": pa.schema(
        [
            ("election_id", pa.string()),
            ("municipality_code", pa.string()),
            ("municipality_name", pa.string()),
            ("electorate", pa.int64()),
            ("votes_cast", pa.int64()),
            ("valid_votes", pa.int64()),
            ("blank_votes", pa.int64()),
            ("invalid_votes", pa.int64()),
        ]
    ),
    "municipality_party_votes": pa.schema(
        [
            ("election_id", pa.string()),
            ("municipality_code", pa.string()),
            ("party", pa.string()),
            ("party_key", pa.string()),
            ("votes", pa.int64()),
        ]
    ),
    "station": pa.schema(
        [
            ("election_id", pa.string()),
            ("municipality_code", pa.string()),
            ("station_number", pa.int64()),
            ("name", pa.string()),
            ("postcode", pa.string()),
            ("latitude", pa.float64()),
            ("longitude", pa.float64()),
        ]
    ),
    "station_result": pa.schema(
        [
            ("election_id", pa.string()),
            ("municipality_code", pa.string()),
            ("station_number", pa.int64()),
            ("admitted_voters", pa.int64()),
            ("valid_votes", pa.int64()),
            ("blank_votes", pa.int64()),
            ("invalid_votes", pa.int64()),
            ("votes_cast", pa.int64()),
            ("source", pa.string()),
        ]
    ),
    "station_party_votes": pa.schema(
        [
            ("election_id", pa.string()),
            ("municipality_code", pa.string()),
            ("station_number", pa.int64()),
            ("list_number", pa.int64()),
            ("party", pa.string()),
            ("party_key", pa.string()),
            ("votes", pa.int64()),
            ("source", pa.string()),
        ]
    ),
    "municipality": pa.schema([("municipality_code", pa.string()), ("municipality_name", pa.string())]),
    "municipality_electorate": pa.schema(
        [("election_id", pa.string()), ("municipality_code", pa.string()), ("electorate", pa.int64())]
    ),
    "party_merger": pa.schema([("merged_key", pa.string()), ("part_key", pa.string())]),
}
TABLES = tuple(SCHEMAS)

HAVERSINE_MACRO = """
CREATE OR REPLACE MACRO haversine_m(lat1, lon1, lat2, lon2) AS
    2 * 6371008.8 * asin(sqrt(
        pow(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)))
"""

_DERIVE_TOTALS = """
INSERT INTO municipality_result
SELECT s.election_id, s.municipality_code, any_value(m.municipality_name), any_value(e.electorate),
       sum(coalesce(s.admitted_voters, s.votes_cast)), sum(s.valid_votes), sum(s.blank_votes),
       sum(s.invalid_votes)
FROM station_result s
LEFT JOIN municipality m USING (municipality_code)
LEFT JOIN municipality_electorate e USING (election_id, municipality_code)
WHERE NOT EXISTS (SELECT 1 FROM municipality_result r
                  WHERE r.election_id = s.election_id AND r.municipality_code = s.municipality_code)
GROUP BY s.election_id, s.municipality_code;
UPDATE municipality_result r SET municipality_name = m.municipality_name
FROM municipality m WHERE r.municipality_name IS NULL AND m.municipality_code = r.municipality_code;
INSERT INTO municipality_party_votes
SELECT v.election_id, v.municipality_code, any_value(v.party), v.party_key, sum(v.votes)
FROM station_party_votes v
WHERE NOT EXISTS (SELECT 1 FROM municipality_party_votes m
                  WHERE m.election_id = v.election_id AND m.municipality_code = v.municipality_code)
GROUP BY v.election_id, v.municipality_code, v.party_key;
"""


def empty(name: str) -> pa.Table:
    return SCHEMAS[name].empty_table()


def conform(name: str, table: pa.Table) -> pa.Table:
    """``table`` with exactly the columns and types of ``SCHEMAS[name]`` (missing columns become null)."""
    schema = SCHEMAS[name]
    columns = []
    for fld in schema:
        if fld.name in table.column_names:
            columns.append(table.column(fld.name).cast(fld.type))
        else:
            columns.append(pa.nulls(table.num_rows, fld.type))
    return pa.Table.from_arrays(columns, schema=schema)


def merger_table() -> pa.Table:
    rows = [(merged, part) for merged, parts in MERGERS.items() for part in parts]
    return pa.table(
        {"merged_key": [r[0] for r in rows], "part_key": [r[1] for r in rows]},
        schema=SCHEMAS["party_merger"],
    )


def new_connection(
    tables: Mapping[str, pa.Table], *, locked: bool = True, memory_limit: str = "1GB", threads: int = 2
) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB holding ``tables`` (as real in-memory tables, not views of Python
    objects), then locked: no file or network access, no extensions, configuration frozen."""
    con = duckdb.connect(
        ":memory:",
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "memory_limit": memory_limit,
            "threads": threads,
        },
    )
    con.execute(HAVERSINE_MACRO)
    for name in TABLES:
        table = conform(name, tables.get(name, empty(name))) if name != "party_merger" else merger_table()
        con.register("_arrow_in", table)
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _arrow_in')
        con.unregister("_arrow_in")
    con.execute(_DERIVE_TOTALS)
    if locked:
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    return con


@dataclass
class Workspace:
    """A locked DuckDB database and the Arrow tables it was built from. Thread-safe for reads: every
    query runs on its own cursor."""

    tables: dict[str, pa.Table]
    con: duckdb.DuckDBPyConnection

    @classmethod
    def build(cls, tables: Mapping[str, pa.Table]) -> Workspace:
        return cls(dict(tables), new_connection(tables))

    def query(self, sql: str, params: dict[str, object] | None = None) -> pa.Table:
        cur = self.con.cursor()
        try:
            return cur.sql(sql, params=params).to_arrow_table()
        finally:
            cur.close()

    def df(self, sql: str, params: dict[str, object] | None = None) -> pd.DataFrame:
        cur = self.con.cursor()
        try:
            return cur.sql(sql, params=params).df()
        finally:
            cur.close()

    def elections(self, municipality_code: str | None = None) -> list[tuple[str, str | None, bool]]:
        """Elections with any data (in one municipality), newest first: (id, name, has station data)."""
        rows = self.query(
            """
            WITH e AS (
                SELECT election_id, false AS stations FROM municipality_party_votes
                WHERE $m IS NULL OR municipality_code = $m
                UNION ALL
                SELECT election_id, true FROM station_result WHERE $m IS NULL OR municipality_code = $m
            )
            SELECT e.election_id, any_value(x.name) AS name, bool_or(e.stations) AS stations,
                   any_value(x.election_date) AS d
            FROM e LEFT JOIN election x USING (election_id)
            GROUP BY e.election_id
            ORDER BY coalesce(d, make_date(coalesce(TRY_CAST(right(e.election_id, 4) AS INT), 1900), 1, 1))
                     DESC, 1
            """,
            {"m": municipality_code},
        ).to_pylist()
        return [(r["election_id"], r["name"], bool(r["stations"])) for r in rows]

    def municipalities(self, codes: list[str] | None = None) -> list[tuple[str, str]]:
        """(code, name) of municipalities with station data, limited to ``codes`` when given."""
        rows = self.query(
            """
            SELECT DISTINCT s.municipality_code, coalesce(m.municipality_name, s.municipality_code) AS name
            FROM (SELECT municipality_code FROM station_result UNION SELECT municipality_code FROM station) s
            LEFT JOIN municipality m USING (municipality_code)
            WHERE $all OR list_contains($codes, s.municipality_code)
            ORDER BY name
            """,
            {"all": codes is None, "codes": list(codes or [])},
        ).to_pylist()
        return [(r["municipality_code"], r["name"]) for r in rows]

    def default_pair(self, municipality_code: str | None) -> tuple[str | None, str | None]:
        """(base, compare): the two newest elections with station data there, else the two newest; a
        practice election only when there are not two others."""
        found = self.elections(municipality_code)
        practice = self._practice_ids()
        real = [e for e in found if e[0] not in practice]
        found = real if len(real) >= 2 else found
        with_stations = [e for e, _n, s in found if s]
        pick = with_stations if len(with_stations) >= 2 else [e for e, _n, _s in found]
        if len(pick) < 2:
            return (pick[0] if pick else None), None
        return pick[1], pick[0]

    def current_election(self, municipality_code: str) -> str | None:
        """The newest election with polling stations set up in this municipality (tonight's); a practice
        election only when there is no other."""
        rows = self.query(
            """
            SELECT s.election_id FROM station s LEFT JOIN election e USING (election_id)
            WHERE s.municipality_code = $m
            GROUP BY s.election_id
            ORDER BY bool_or(coalesce(e.is_practice, false)), any_value(e.election_date) DESC NULLS LAST,
                     s.election_id DESC
            LIMIT 1
            """,
            {"m": municipality_code},
        ).to_pylist()
        return rows[0]["election_id"] if rows else None

    def _practice_ids(self) -> set[str]:
        rows = self.query("SELECT election_id FROM election WHERE coalesce(is_practice, false)").to_pylist()
        return {r["election_id"] for r in rows}

    def party_names(self, municipality_code: str) -> pd.DataFrame:
        """Every list name in the data of a municipality, its harmonised key and its elections."""
        return self.df(
            """
            SELECT party, party_key, string_agg(DISTINCT election_id, ', ' ORDER BY election_id) AS elections
            FROM (SELECT election_id, party, party_key FROM municipality_party_votes
                  WHERE municipality_code = $m
                  UNION ALL
                  SELECT election_id, party, party_key FROM station_party_votes WHERE municipality_code = $m)
            GROUP BY party, party_key ORDER BY party_key, party
            """,
            {"m": municipality_code},
        )

    def close(self) -> None:
        self.con.close()
