"""Where the analysis tables come from: the shipped files (history per municipality, official station
counts) and PostgreSQL (stations, tonight's preliminary counts, imported official results, the
analysts' party harmonisation), read as Arrow through ADBC on a read-only session.

Every function returns ``{table name: pyarrow.Table}`` in the layout of ``workspace.SCHEMAS``;
``combine`` merges several such dicts (a later source wins for the same election and municipality).
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from app.analysis import parties
from app.analysis.workspace import SCHEMAS, TABLES, conform, empty
from app.config import ROOT

log = logging.getLogger(__name__)
DATA = ROOT / "data"
HISTORY_TURNOUT = DATA / "history" / "gemeente_turnout.csv"
HISTORY_PARTY_VOTES = DATA / "history" / "gemeente_party_votes_long.csv"
# Official station-level counts shipped with the project, and the approximate station coordinates.
STATION_FILES = (
    DATA / "gr2022" / "osv4-3_telling_gr2022_haarlem.csv",
    DATA / "gr2022" / "osv4-3_telling_gr2022_nijmegen.csv",
    DATA / "gr2022" / "osv4-3_telling_gr2022_westmaasenwaal.csv",
    DATA / "tk2025" / "osv4-3_telling_tk2025_gemeente_westmaasenwaal.csv",
)
STATION_COORDINATES = (
    DATA / "gr2022" / "stations_gr2022_demo.csv",
    DATA / "tk2025" / "stations_tk2025_demo.csv",
)
ELECTION_NAMES = {
    "GR": "Gemeenteraad",
    "TK": "Tweede Kamer",
    "PS": "Provinciale Staten",
    "WS": "Waterschap",
    "EP": "Europees Parlement",
}
_MUNICIPALITY_RE = re.compile(r"^GM[0-9]{4}$")

Tables = dict[str, pa.Table]
Overrides = Mapping[tuple[str, str], str]  # (municipality_code, normalised party name) -> party_key


def party_keys(municipality_codes: Sequence[str], names: Sequence[str], overrides: Overrides) -> list[str]:
    """The harmonised key of each (municipality, raw name): the analysts' override, else the default."""
    cache: dict[tuple[str, str], str] = {}
    out = []
    for code, name in zip(municipality_codes, names, strict=True):
        k = (code, name)
        key = cache.get(k)
        if key is None:
            norm = parties.normalise(name)
            key = overrides.get((code, norm)) or overrides.get(("*", norm)) or parties.default_key(name)
            cache[k] = key
        out.append(key)
    return out


def with_party_keys(table: pa.Table, overrides: Overrides) -> pa.Table:
    keys = party_keys(
        table.column("municipality_code").to_pylist(), table.column("party").to_pylist(), overrides
    )
    if "party_key" in table.column_names:
        table = table.drop_columns(["party_key"])
    return table.append_column("party_key", pa.array(keys, pa.string()))


def _elections_from_ids(ids: Iterable[tuple[str, dt.date | None]]) -> pa.Table:
    rows = {}
    for eid, date in ids:
        kind = eid[:2]
        rows[eid] = {
            "election_id": eid,
            "kind": kind,
            "election_date": date,
            "name": f"{ELECTION_NAMES.get(kind, kind)} {eid[2:]}",
        }
    return pa.Table.from_pylist(list(rows.values()), schema=SCHEMAS["election"])


def history_tables(overrides: Overrides | None = None) -> Tables:
    """Per-municipality results of past elections (TK1998–TK2025, GR2022) from data/history."""
    turnout = pacsv.read_csv(
        HISTORY_TURNOUT,
        convert_options=pacsv.ConvertOptions(
            column_types={
                "kiesgerechtigden": pa.int64(),
                "opkomst": pa.int64(),
                "geldig": pa.int64(),
                "blanco": pa.int64(),
                "ongeldig": pa.int64(),
            }
        ),
    )
    votes = pacsv.read_csv(
        HISTORY_PARTY_VOTES, convert_options=pacsv.ConvertOptions(column_types={"votes": pa.int64()})
    )
    municipality_result = conform(
        "municipality_result",
        turnout.rename_columns(
            [
                {
                    "election": "election_id",
                    "gemeente_code": "municipality_code",
                    "gemeente": "municipality_name",
                    "kiesgerechtigden": "electorate",
                    "opkomst": "votes_cast",
                    "geldig": "valid_votes",
                    "blanco": "blank_votes",
                    "ongeldig": "invalid_votes",
                }.get(c, c)
                for c in turnout.column_names
            ]
        ),
    )
    votes = votes.rename_columns(
        [
            {"election": "election_id", "gemeente_code": "municipality_code"}.get(c, c)
            for c in votes.column_names
        ]
    )
    votes = votes.filter(pc.is_valid(votes.column("votes")))
    party_votes = conform("municipality_party_votes", with_party_keys(votes, overrides or {}))
    # The names of the municipalities for elections whose turnout row is missing (TK2025).
    names = {}
    for src in (turnout, votes):
        codes = src.column("gemeente_code" if "gemeente_code" in src.column_names else "municipality_code")
        for code, name in zip(codes.to_pylist(), src.column("gemeente").to_pylist(), strict=True):
            names.setdefault(code, name)
    dates = set()
    for src in (turnout, votes):
        ecol = "election" if "election" in src.column_names else "election_id"
        for eid, d in zip(src.column(ecol).to_pylist(), src.column("date").to_pylist(), strict=True):
            dates.add((eid, d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d))))
    return {
        "election": _elections_from_ids(sorted(dates)),
        "municipality_result": municipality_result,
        "municipality_party_votes": party_votes,
        "municipality": pa.table(
            {"municipality_code": list(names), "municipality_name": list(names.values())}
        ),
    }


def _coordinates() -> dict[tuple[str, str, int], tuple[float, float]]:
    out = {}
    for path in STATION_COORDINATES:
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row.get("lat") and row.get("lon"):
                    key = (row["election"], row["gemeente_code"], int(row["station_id"]))
                    out[key] = (float(row["lat"]), float(row["lon"]))
    return out


def tables_from_parse_results(
    results: Iterable[object],
    *,
    overrides: Overrides | None = None,
    coordinates: Mapping[tuple[str, str, int], tuple[float, float]] | None = None,
    election_id: str | None = None,
) -> Tables:
    """Station tables from parsed official count files (etl.parsers ``ParseResult``).

    ``election_id`` overrides the file's own (for a synthetic election made from real files).
    """
    coordinates = coordinates or {}
    st: dict[str, list] = {k: [] for k in SCHEMAS["station"].names}
    sr: dict[str, list] = {k: [] for k in SCHEMAS["station_result"].names}
    sv: dict[str, list] = {
        k: [] for k in ("election_id", "municipality_code", "station_number", "list_number", "party", "votes")
    }
    elections = set()
    for result in results:
        eid = election_id or result.election_id  # type: ignore[attr-defined]
        code = result.municipality_code  # type: ignore[attr-defined]
        if not eid or not code:
            continue
        date = result.election.date if result.election else None  # type: ignore[attr-defined]
        elections.add((eid, date))
        names = {lst.number: lst.name for lst in result.lists}  # type: ignore[attr-defined]
        for c in result.counts:  # type: ignore[attr-defined]
            if c.level != "station" or c.station_number is None:
                continue
            code_c = c.municipality_code or code
            lat, lon = coordinates.get((eid, code_c, c.station_number), (None, None))
            for k, v in (
                ("election_id", eid),
                ("municipality_code", code_c),
                ("station_number", c.station_number),
                ("name", c.name),
                ("postcode", c.postcode),
                ("latitude", lat),
                ("longitude", lon),
            ):
                st[k].append(v)
            cast = c.total_votes_cast_count
            if cast is None and c.valid_votes_count is not None:
                cast = c.valid_votes_count + (c.blank_votes_count or 0) + (c.invalid_votes_count or 0)
            for k, v in (
                ("election_id", eid),
                ("municipality_code", code_c),
                ("station_number", c.station_number),
                ("admitted_voters", c.total_admitted_voters_count),
                ("valid_votes", c.valid_votes_count),
                ("blank_votes", c.blank_votes_count),
                ("invalid_votes", c.invalid_votes_count),
                ("votes_cast", cast),
                ("source", "official"),
            ):
                sr[k].append(v)
            for number, votes in c.list_votes.items():
                sv["election_id"].append(eid)
                sv["municipality_code"].append(code_c)
                sv["station_number"].append(c.station_number)
                sv["list_number"].append(number)
                sv["party"].append(names.get(number, f"Lijst {number}"))
                sv["votes"].append(votes)
    votes_table = pa.table(sv)
    votes_table = votes_table.append_column(
        "source", pa.array(["official"] * votes_table.num_rows, pa.string())
    )
    return {
        "election": _elections_from_ids(sorted(elections, key=lambda x: x[0])),
        "station": pa.Table.from_pydict(st, schema=SCHEMAS["station"]),
        "station_result": pa.Table.from_pydict(sr, schema=SCHEMAS["station_result"]),
        "station_party_votes": conform("station_party_votes", with_party_keys(votes_table, overrides or {})),
    }


def file_station_tables(overrides: Overrides | None = None) -> Tables:
    """The official station counts shipped in data/ (GR2022 for the demo municipalities, TK2025 for
    West Maas en Waal), with approximate coordinates."""
    from etl.parsers.detect import parse_file

    results = [parse_file(path) for path in STATION_FILES if path.exists()]
    return tables_from_parse_results(results, overrides=overrides, coordinates=_coordinates())


def _keys(table: pa.Table) -> set[tuple[str, str]]:
    if table.num_rows == 0 or "municipality_code" not in table.column_names:
        return set()
    return set(
        zip(
            table.column("election_id").to_pylist(),
            table.column("municipality_code").to_pylist(),
            strict=True,
        )
    )


def _drop_keys(table: pa.Table, keys: set[tuple[str, str]]) -> pa.Table:
    if not keys or table.num_rows == 0:
        return table
    mask = [
        (e, m) not in keys
        for e, m in zip(
            table.column("election_id").to_pylist(),
            table.column("municipality_code").to_pylist(),
            strict=True,
        )
    ]
    return table.filter(pa.array(mask))


_STATION_KEY = ["election_id", "municipality_code", "station_number"]


def _keep_coordinates(new: pa.Table, old: pa.Table) -> pa.Table:
    """``new`` stations with the coordinates ``old`` had for the same station where ``new`` has none
    (the imported official counts carry no location; the shipped station files do)."""
    if new.num_rows == 0 or old.num_rows == 0:
        return new
    located = old.select([*_STATION_KEY, "latitude", "longitude"]).filter(pc.is_valid(old.column("latitude")))
    if located.num_rows == 0:
        return new
    located = located.rename_columns([*_STATION_KEY, "_lat", "_lon"])
    joined = new.join(located, keys=_STATION_KEY, join_type="left outer")
    lat = pc.coalesce(joined.column("latitude"), joined.column("_lat"))
    lon = pc.coalesce(joined.column("longitude"), joined.column("_lon"))
    joined = joined.drop_columns(["latitude", "longitude", "_lat", "_lon"])
    return conform("station", joined.append_column("latitude", lat).append_column("longitude", lon))


def combine(*sources: Tables) -> Tables:
    """Merge sources table by table. For the station and municipality tables a later source replaces
    an earlier one for the same (election, municipality); elections are merged by id."""
    out: Tables = {name: empty(name) for name in TABLES}
    names: dict[str, str] = {}
    for src in sources:
        for name, table in src.items():
            if name == "municipality":
                names.update(
                    zip(
                        table.column("municipality_code").to_pylist(),
                        table.column("municipality_name").to_pylist(),
                        strict=True,
                    )
                )
                continue
            if name not in SCHEMAS or name == "party_merger":
                continue
            table = conform(name, table)
            if name == "election":
                have = set(out[name].column("election_id").to_pylist())
                new = table.filter(pa.array([e not in have for e in table.column("election_id").to_pylist()]))
                out[name] = pa.concat_tables([out[name], new])
            else:
                if name == "station":
                    table = _keep_coordinates(table, out[name])
                out[name] = pa.concat_tables([_drop_keys(out[name], _keys(table)), table])
    out["municipality"] = pa.Table.from_pydict(
        {"municipality_code": list(names), "municipality_name": list(names.values())},
        schema=SCHEMAS["municipality"],
    )
    return out


def valid_municipality_codes(codes: Iterable[str]) -> list[str]:
    """Codes safe to put in SQL text (they are checked against ``GM####``)."""
    out = []
    for code in codes:
        if not _MUNICIPALITY_RE.match(code):
            raise ValueError(f"not a municipality code: {code!r}")
        out.append(code)
    return out


def _in_list(codes: Sequence[str] | None) -> str:
    """SQL ``IN (...)`` text for checked municipality codes; ``None`` means every municipality."""
    if codes is None:
        return "TRUE"
    checked = valid_municipality_codes(codes)
    if not checked:
        return "FALSE"
    return "municipality_code IN (" + ", ".join(f"'{c}'" for c in checked) + ")"


def read_only_uri(libpq_uri: str) -> str:
    """The libpq URI the analysis connects with: the app's, without the ``pgbouncer`` flag (libpq
    refuses a parameter it does not know). Read-only is set per transaction (``_bind_scope``), not as
    a startup option: PgBouncer refuses ``options`` at start-up, and a session setting would stay on a
    pooled server connection."""
    from app.storage.db import without_pgbouncer_flag

    return without_pgbouncer_flag(libpq_uri)[0]


def _table_exists(cur, name: str) -> bool:
    cur.execute(f"SELECT to_regclass('public.{name}') IS NOT NULL AS ok")
    return bool(cur.fetch_arrow_table().column("ok")[0].as_py())


def _arrow(cur, sql: str) -> pa.Table:
    cur.execute(sql)
    return cur.fetch_arrow_table()


def _bind_scope(cur, municipality_codes: Sequence[str] | None) -> None:
    """Make the ADBC transaction read-only and put it under row-level security: ``SET LOCAL ROLE`` to
    the application role (the connecting user may be a superuser, who bypasses RLS; migration 0006
    makes a non-superuser migrating user a member of the role, so it may switch) bound to one
    municipality, or to all (``*``) for a global admin. Transaction-local, as the app's own sessions
    do (app/storage/rls.py): behind PgBouncer in transaction mode a session-wide setting would stay on
    a pooled server connection for whoever gets it next. A load's reads run in this transaction; after
    a reader fails (its rollback ends the transaction) the caller binds the next one again.

    Several municipalities cannot be expressed by the policy: the callers read them one at a time."""
    from app.storage import rls

    if municipality_codes is not None and len(municipality_codes) != 1:
        raise ValueError("the row-level-security scope is one municipality or all of them")
    scope = rls.ALL if municipality_codes is None else valid_municipality_codes(municipality_codes)[0]
    cur.execute("SET TRANSACTION READ ONLY")  # the analysis never writes PostgreSQL
    cur.execute(f"SET LOCAL ROLE {rls.APP_ROLE}")
    cur.execute(f"SELECT set_config('{rls.SETTING}', '{scope}', true) AS scope")
    cur.fetch_arrow_table()


def _one_at_a_time(municipality_codes: Sequence[str] | None) -> list[list[str]] | None:
    """Several municipalities as one-municipality scopes (see ``_bind_scope``); ``None`` otherwise."""
    if municipality_codes is None or len(municipality_codes) == 1:
        return None
    return [[code] for code in dict.fromkeys(valid_municipality_codes(municipality_codes))]


def database_overrides(
    libpq_uri: str, municipality_codes: Sequence[str] | None
) -> dict[tuple[str, str], str]:
    """The analysts' party harmonisation (municipality_code, normalised name) → key."""
    import adbc_driver_postgresql.dbapi as adbc

    if (each := _one_at_a_time(municipality_codes)) is not None:
        return {k: v for codes in each for k, v in database_overrides(libpq_uri, codes).items()}
    with adbc.connect(read_only_uri(libpq_uri)) as conn, conn.cursor() as cur:
        _bind_scope(cur, municipality_codes)
        if not _table_exists(cur, "party_harmonisation"):
            return {}
        rows = _arrow(
            cur,
            "SELECT municipality_code, party_name_normalised, party_key FROM party_harmonisation "
            f"WHERE {_in_list(municipality_codes)}",
        ).to_pylist()
    return {(r["municipality_code"], r["party_name_normalised"]): r["party_key"] for r in rows}


def database_tables(
    libpq_uri: str, municipality_codes: Sequence[str] | None, overrides: Overrides | None = None
) -> Tables:
    """Elections, stations, municipal electorates, imported official counts and tonight's preliminary
    counts from PostgreSQL, limited to ``municipality_codes`` (``None``: all, for a global admin).

    The session reads under row-level security bound to the municipality (``_bind_scope``); the
    ``WHERE`` of each query says the same again. Elections have no municipality: a municipal scope
    gets only the elections that have a station, a municipal setting or an official count in it
    (another municipality's practice election stays out of sight)."""
    import adbc_driver_postgresql.dbapi as adbc

    if (each := _one_at_a_time(municipality_codes)) is not None:
        return _merge_scopes([database_tables(libpq_uri, codes, overrides) for codes in each])
    where = _in_list(municipality_codes)
    out: Tables = {}
    with adbc.connect(read_only_uri(libpq_uri)) as conn, conn.cursor() as cur:
        _bind_scope(cur, municipality_codes)
        out["election"] = _arrow(cur, _elections_sql(cur, municipality_codes))
        out["municipality"] = _arrow(
            cur,
            "SELECT code AS municipality_code, name AS municipality_name FROM municipality "
            f"WHERE {where.replace('municipality_code', 'code')}",
        )
        out["station"] = _arrow(
            cur,
            "SELECT election_id, municipality_code, number::bigint AS station_number, name, postcode, "
            f"latitude, longitude FROM polling_station WHERE {where}",
        )
        out["municipality_electorate"] = _arrow(
            cur,
            "SELECT election_id, municipality_code, electorate::bigint AS electorate "
            f"FROM election_municipality WHERE {where}",
        )
        for reader in (_official_results, _preliminary_results):
            try:
                extra = reader(cur, where, overrides or {})
            except Exception as err:  # a table of another area not there yet, or a different layout
                log.warning("analysis: %s skipped: %s", reader.__name__, err)
                conn.rollback()  # ends the transaction, and its binding with it:
                _bind_scope(cur, municipality_codes)  # the next reads are bound again
                continue
            for name, table in extra.items():
                if name in out:
                    table = pa.concat_tables([conform(name, out[name]), conform(name, table)])
                out[name] = table
    return out


def _elections_sql(cur, municipality_codes: Sequence[str] | None) -> str:
    """All elections for a global scope; else those with a station, a municipal setting or an official
    count in one of ``municipality_codes``."""
    select = "SELECT id AS election_id, kind, election_date, name, is_practice FROM election e"
    if municipality_codes is None:
        return select
    codes = ", ".join(f"'{c}'" for c in valid_municipality_codes(municipality_codes)) or "NULL"
    tables = ["election_municipality", "polling_station"]
    if _table_exists(cur, "official_count"):
        tables.append("official_count")
    seen = " OR ".join(
        f"EXISTS (SELECT 1 FROM {t} x WHERE x.election_id = e.id AND x.municipality_code IN ({codes}))"
        for t in tables
    )
    return f"{select} WHERE {seen}"


def _merge_scopes(parts: Sequence[Tables]) -> Tables:
    """The tables of several one-municipality reads together (an election once)."""
    out: Tables = {}
    for part in parts:
        for name, table in part.items():
            out[name] = (
                pa.concat_tables([conform(name, out[name]), conform(name, table)]) if name in out else table
            )
    if "election" in out:
        seen: set[str] = set()
        first = []
        for eid in out["election"].column("election_id").to_pylist():
            first.append(eid not in seen)
            seen.add(eid)
        out["election"] = out["election"].filter(pa.array(first, pa.bool_()))
    return out


def _with_keys(name: str, table: pa.Table, overrides: Overrides) -> pa.Table:
    return conform(name, with_party_keys(table, overrides))


_OFFICIAL_STATIONS = """
SELECT DISTINCT ON (election_id, municipality_code, station_number)
       id, election_id, municipality_code, station_number::bigint AS station_number,
       station_name AS name, postcode,
       total_admitted_voters_count::bigint AS admitted_voters, valid_votes_count::bigint AS valid_votes,
       blank_votes_count::bigint AS blank_votes, invalid_votes_count::bigint AS invalid_votes,
       coalesce(total_votes_cast_count,
                valid_votes_count + coalesce(blank_votes_count, 0) + coalesce(invalid_votes_count, 0)
       )::bigint AS votes_cast
FROM official_count_current
WHERE level = 'station' AND station_number IS NOT NULL AND {where}
ORDER BY election_id, municipality_code, station_number, import_file_id DESC, id DESC
"""


def _official_results(cur, where: str, overrides: Overrides) -> Tables:
    """Official station counts imported by issue 5 (the ``official_*_current`` views of migration 0003:
    only files not superseded by a later version), one row per station (the newest file's when two
    current files hold the same station)."""
    if not (
        _table_exists(cur, "official_count_current") and _table_exists(cur, "official_list_votes_current")
    ):
        return {}
    units = f"WITH u AS ({_OFFICIAL_STATIONS.format(where=where)})"
    results = _arrow(
        cur,
        f"""{units}
        SELECT election_id, municipality_code, station_number, admitted_voters, valid_votes, blank_votes,
               invalid_votes, votes_cast, 'official' AS source
        FROM u ORDER BY election_id, municipality_code, station_number""",
    )
    if results.num_rows == 0:
        return {}
    stations = _arrow(
        cur,
        f"""{units}
        SELECT election_id, municipality_code, station_number, name, postcode FROM u
        WHERE NOT EXISTS (SELECT 1 FROM polling_station p WHERE p.election_id = u.election_id
                          AND p.municipality_code = u.municipality_code AND p.number = u.station_number)
        ORDER BY election_id, municipality_code, station_number""",
    )
    votes = _arrow(
        cur,
        f"""{units}
        SELECT u.election_id, u.municipality_code, u.station_number, v.list_number::bigint AS list_number,
               coalesce(v.list_name, 'Lijst ' || v.list_number) AS party, v.votes::bigint AS votes,
               'official' AS source
        FROM u JOIN official_list_votes_current v ON v.official_count_id = u.id
        ORDER BY u.election_id, u.municipality_code, u.station_number, v.list_number""",
    )
    return {
        "station": stations,
        "station_result": results,
        "station_party_votes": _with_keys("station_party_votes", votes, overrides),
    }


_LATEST_COUNTS = """
SELECT l.*, ps.number::bigint AS station_number
FROM (SELECT DISTINCT ON (polling_station_id) id, election_id, municipality_code, polling_station_id,
             status, total_admitted_voters_count, votes_candidates_count, blank_votes_count,
             invalid_votes_count, total_votes_cast_count
      FROM count_version WHERE {where}
      ORDER BY polling_station_id, version DESC) l
JOIN polling_station ps ON ps.id = l.polling_station_id
WHERE l.status IN ('submitted', 'accepted') {official}
"""
# Once the official count of a station is imported, it replaces the preliminary one.
_NOT_OFFICIAL = """AND NOT EXISTS (
    SELECT 1 FROM official_count_current o WHERE o.level = 'station' AND o.election_id = l.election_id
    AND o.municipality_code = l.municipality_code AND o.station_number = ps.number)"""


def _preliminary_results(cur, where: str, overrides: Overrides) -> Tables:
    """Tonight's preliminary counts (``count_version`` / ``count_list_votes``, issue 3): per station its
    latest version when that is submitted (as the chair reported it) or accepted (checked by the
    office); a station whose latest version was returned for a recount has no preliminary result."""
    if not (_table_exists(cur, "count_version") and _table_exists(cur, "count_list_votes")):
        return {}
    official = _NOT_OFFICIAL if _table_exists(cur, "official_count_current") else ""
    latest = f"WITH l AS ({_LATEST_COUNTS.format(where=where, official=official)})"
    results = _arrow(
        cur,
        f"""{latest}
        SELECT election_id, municipality_code, station_number,
               total_admitted_voters_count::bigint AS admitted_voters,
               votes_candidates_count::bigint AS valid_votes, blank_votes_count::bigint AS blank_votes,
               invalid_votes_count::bigint AS invalid_votes, total_votes_cast_count::bigint AS votes_cast,
               'preliminary' AS source
        FROM l ORDER BY election_id, municipality_code, station_number""",
    )
    if results.num_rows == 0:
        return {}
    votes = _arrow(
        cur,
        f"""{latest}
        SELECT l.election_id, l.municipality_code, l.station_number,
               v.political_group_number::bigint AS list_number,
               coalesce(g.name, 'Lijst ' || v.political_group_number) AS party, v.votes::bigint AS votes,
               'preliminary' AS source
        FROM l JOIN count_list_votes v ON v.count_version_id = l.id
        LEFT JOIN political_group g ON g.election_id = l.election_id
             AND g.municipality_code = l.municipality_code AND g.number = v.political_group_number
        ORDER BY l.election_id, l.municipality_code, l.station_number, v.political_group_number""",
    )
    return {
        "station_result": results,
        "station_party_votes": _with_keys("station_party_votes", votes, overrides),
    }
