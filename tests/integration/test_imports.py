"""Storing official files (issue 5 phase 2): golden totals, EML = osv4-3, versions, refusals that leave
the database unchanged, the admin service's municipality check, the commands and the exports."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import shutil
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from app.domain.access import SYSTEM, Actor, Role
from app.domain.errors import InvalidInput, NotAllowed
from app.services import imports as import_service
from app.services import setup
from app.storage import rls
from etl.cli import _register, app
from etl.load import import_path
from etl.parsers.detect import parse_file
from etl.parsers.errors import ImportProblem
from tests.db_snapshot import table_counts as _snapshot

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "etl"
REAL = FIX / "real"
GR_CSV = REAL / "osv4-3_telling_gr2022_westmaasenwaal.csv"
TK_CSV = REAL / "osv4-3_telling_tk2025_gemeente_westmaasenwaal.csv"
GR_230B = REAL / "Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml"

runner = CliRunner()
_register()


def _gunzip(src: Path, tmp_path: Path) -> Path:
    out = tmp_path / src.name.removesuffix(".gz")
    out.write_bytes(gzip.decompress(src.read_bytes()))
    return out


def _stored(db, file_id: int):
    boxes = {
        r[0]: r[1:]
        for r in db.execute(
            text(
                "SELECT station_number, poll_card_count, proxy_certificate_count, voter_card_count, "
                "total_admitted_voters_count, valid_votes_count, blank_votes_count, invalid_votes_count, "
                "total_votes_cast_count, postcode FROM official_count "
                "WHERE import_file_id = :f AND level = 'station'"
            ),
            {"f": file_id},
        )
    }
    lists = {
        (r[0], r[1]): r[2]
        for r in db.execute(
            text(
                "SELECT station_number, list_number, votes FROM official_list_votes "
                "WHERE import_file_id = :f AND level = 'station'"
            ),
            {"f": file_id},
        )
    }
    cands = {
        (r[0], r[1], r[2]): r[3]
        for r in db.execute(
            text(
                "SELECT station_number, list_number, candidate_number, votes FROM official_candidate_votes "
                "WHERE import_file_id = :f AND level = 'station'"
            ),
            {"f": file_id},
        )
    }
    return boxes, lists, cands


# --------------------------------------------------------------------------------------------- golden


@pytest.mark.parametrize("name", [GR_CSV.name, TK_CSV.name, "Telling_GR2022_WestMaasenWaal.eml.xml.gz"])
def test_golden_stored_station_totals_equal_the_files_own(db, tmp_path, name):
    path = REAL / name
    if name.endswith(".gz"):
        path = _gunzip(path, tmp_path)
    parsed = parse_file(path)
    summary = import_path(db, SYSTEM, path)
    assert summary.status == "imported" and summary.valid_votes == parsed.valid_votes
    boxes, lists, cands = _stored(db, summary.import_file_id)
    assert len(boxes) == len(parsed.counts) == summary.stations
    for c in parsed.counts:
        assert {ln: v for (s, ln), v in lists.items() if s == c.station_number} == c.list_votes
        assert sum(v for (s, _), v in lists.items() if s == c.station_number) == c.valid_votes_count
        for ln, votes in c.list_votes.items():  # each list total = the sum of its candidates (F.402)
            assert sum(v for (s, l2, _), v in cands.items() if s == c.station_number and l2 == ln) == votes
    # the file's own total is stored as the municipality row, equal to the sum of the stations
    total = db.execute(
        text(
            "SELECT valid_votes_count FROM official_count "
            "WHERE import_file_id = :f AND level = 'municipality'"
        ),
        {"f": summary.import_file_id},
    ).scalar_one()
    assert total == parsed.total.valid_votes_count == sum(lists.values())
    per_list_total = db.execute(
        text(
            "SELECT list_number, votes FROM official_list_votes "
            "WHERE import_file_id = :f AND level = 'municipality'"
        ),
        {"f": summary.import_file_id},
    ).all()
    assert dict(per_list_total) == parsed.total.list_votes


@pytest.mark.parametrize(
    ("eml", "osv"),
    [
        ("Telling_GR2022_WestMaasenWaal.eml.xml.gz", GR_CSV.name),
        ("Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml.gz", TK_CSV.name),
    ],
)
def test_eml_and_osv_of_the_same_count_store_identical_results(db, tmp_path, eml, osv):
    first = import_path(db, SYSTEM, _gunzip(REAL / eml, tmp_path))
    second = import_path(db, SYSTEM, REAL / osv)
    assert (first.election_id, first.municipality_code) == (second.election_id, second.municipality_code)
    # the second file is a new version of the same count: the first is kept and marked superseded
    assert second.status == "new_version" and second.superseded_id == first.import_file_id
    a, b = _stored(db, first.import_file_id), _stored(db, second.import_file_id)
    assert a[1] == b[1] and a[2] == b[2]  # votes per station per list and per candidate
    assert len(a[2]) > 0
    for station, boxes in a[0].items():  # boxes A, B, D, E, F, G, H and the postcode
        other = b[0][station]
        assert [x for i, x in enumerate(boxes) if i != 2] == [x for i, x in enumerate(other) if i != 2]


# --------------------------------------------------------------------------------------------- versions


def test_same_file_twice_changes_nothing_and_says_so(db):
    import_path(db, SYSTEM, GR_CSV)
    before = _snapshot(db)
    again = import_path(db, SYSTEM, GR_CSV)
    assert again.status == "unchanged" and not again.changed and again.version == 1
    assert _snapshot(db) == before


def test_another_file_becomes_a_new_version_never_a_mix(db):
    v1 = import_path(db, SYSTEM, GR_CSV)
    v2 = import_path(db, SYSTEM, FIX / "variants" / "osv_no_postcode.csv")
    assert (v2.status, v2.version, v2.superseded_id) == ("new_version", 2, v1.import_file_id)
    rows = db.execute(text("SELECT id, version, superseded_by FROM import_file ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [
        (v1.import_file_id, 1, v2.import_file_id),
        (v2.import_file_id, 2, None),
    ]
    current = db.execute(
        text("SELECT DISTINCT import_file_id FROM official_list_votes_current WHERE election_id = 'GR2022'")
    ).scalars()
    assert list(current) == [v2.import_file_id]
    assert db.execute(text("SELECT count(*) FROM official_count")).scalar_one() == 2 * 22  # both kept
    actions = db.execute(
        text("SELECT action FROM audit_log WHERE entity = 'import_file' ORDER BY id")
    ).scalars()
    assert list(actions) == ["official_file_imported", "official_file_imported", "official_file_superseded"]


def test_station_warnings_are_reported_with_kiesraad_codes_and_stored(db):
    summary = import_path(db, SYSTEM, FIX / "defects" / "station_f202.csv")
    assert "F.202" in {w.code for w in summary.warnings}
    stored = db.execute(text("SELECT warnings FROM import_file")).scalar_one()
    assert any(w["code"] == "F.202" and "station 1" in w["place"] for w in stored)


def test_candidate_lists_set_up_candidates_and_name_the_eml_candidates(db, tmp_path):
    lists = import_path(db, SYSTEM, GR_230B)
    assert lists.kind == "candidates" and lists.candidates > 200
    assert db.execute(text("SELECT count(*) FROM candidate")).scalar_one() == lists.candidates
    assert import_path(db, SYSTEM, GR_230B).status == "unchanged"
    counts = import_path(db, SYSTEM, _gunzip(REAL / "Telling_GR2022_WestMaasenWaal.eml.xml.gz", tmp_path))
    unnamed = db.execute(
        text(
            "SELECT count(*) FROM official_candidate_votes "
            "WHERE import_file_id = :f AND candidate_name IS NULL"
        ),
        {"f": counts.import_file_id},
    ).scalar_one()
    assert unnamed == 0


# --------------------------------------------------------------------------------------------- refusals

DEFECTS = [
    ("defects/truncated_510.eml.xml", {}, "line"),
    ("defects/billion_laughs.xml", {}, "line"),
    ("defects/html_saved_as.csv", {}, "line 1"),
    ("defects/latin1_tk2025.csv", {}, "line"),
    ("defects/inconsistent_totals.csv", {}, "Totaal"),
    ("defects/inconsistent_totals_510.eml.xml.gz", {}, "TotalVotes"),
    ("real/osv4-3_telling_gr2022_westmaasenwaal.csv", {"--municipality": "GM0392"}, "municipality"),
    ("real/Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml", {"--election": "TK2025"}, "election"),
]


@pytest.mark.parametrize(("fixture", "options", "place"), DEFECTS, ids=[d[0].split("/")[1] for d in DEFECTS])
def test_command_refuses_a_defective_file_and_leaves_the_database_unchanged(
    db, db_url, app_env, tmp_path, fixture, options, place
):
    app_env(db_url)
    import_path(db, SYSTEM, TK_CSV)  # something already stored, which must stay as it is
    before = _snapshot(db)
    path = FIX / fixture
    if fixture.endswith(".gz"):
        path = _gunzip(path, tmp_path)
    args = ["import", str(path), *[x for kv in options.items() for x in kv]]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    assert path.name in lines[0] and place in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert _snapshot(db) == before


def test_wrong_eml_document_is_refused(db):
    with pytest.raises(ImportProblem, match="EML 230b"):
        parse_file(GR_230B, expected_format="510")


def test_one_bad_file_does_not_stop_the_others(db, db_url, app_env, tmp_path):
    app_env(db_url)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GR_CSV, folder)
    shutil.copy(FIX / "defects" / "html_saved_as.csv", folder)
    with zipfile.ZipFile(tmp_path / "tk.zip", "w") as zf:
        zf.write(TK_CSV, TK_CSV.name)
    result = runner.invoke(app, ["import", str(folder), str(tmp_path / "tk.zip")])
    assert result.exit_code == 2
    assert "html_saved_as.csv: line 1" in result.output
    assert (
        "GR2022, GM0668: 21 stations, 8 lists, 251 candidates, 9,350 valid votes (imported)" in result.output
    )
    assert "TK2025, GM0668" in result.output and "2 of 3 files imported" in result.output
    assert db.execute(text("SELECT count(*) FROM import_file")).scalar_one() == 2
    again = runner.invoke(app, ["import", str(folder / GR_CSV.name)])
    assert again.exit_code == 0 and "(unchanged)" in again.output


# --------------------------------------------------------------------------------------------- service


def _admin(code: str) -> Actor:
    return Actor(role=Role.ADMIN, name=f"admin {code}", user_id=1, municipality_code=code)


def test_municipal_admin_imports_own_municipality_under_row_level_security(db):
    # a global admin set up the election; the municipality's admin imports its count
    setup.upsert_election(db, SYSTEM, setup.ElectionSpec("GR2022", "GR", "GR 2022", dt.date(2022, 3, 16)))
    db.commit()
    admin = _admin("GM0668")
    rls.scope_session(db, rls.scope_for("GM0668"))
    summary = import_service.import_file(db, admin, GR_CSV.read_bytes(), "upload.csv", election_id=None)
    assert (summary.status, summary.election_id, summary.municipality_code) == (
        "imported",
        "GR2022",
        "GM0668",
    )
    stored = db.execute(text("SELECT count(*) FROM official_candidate_votes")).scalar_one()
    assert stored == 22 * 251  # written with INSERT … unnest: PostgreSQL refuses COPY under RLS
    rls.scope_session(db, None)


def test_municipal_admin_upload_of_another_municipality_is_refused(db):
    import_path(db, SYSTEM, GR_CSV)
    before = _snapshot(db)
    with pytest.raises(InvalidInput) as info:
        import_service.import_file(db, _admin("GM0392"), GR_CSV.read_bytes(), "wmw.csv")
    assert info.value.params["file"] == "wmw.csv" and "GM0668" in info.value.params["problem"]
    with pytest.raises(NotAllowed):
        import_service.import_file(db, _admin("GM0392"), GR_CSV, "wmw.csv", municipality_code="GM0668")
    after = _snapshot(db)
    after["audit_log"] -= 1  # the refusal itself is logged (access_refused)
    assert after == before


def test_non_admin_cannot_import(db):
    with pytest.raises(NotAllowed):
        import_service.import_file(
            db, Actor(role=Role.OFFICE, name="o", municipality_code="GM0668"), GR_CSV, "x"
        )


# --------------------------------------------------------------------------------------------- exports


def test_export_results_csv_csv_nl_parquet(db, db_url, app_env, tmp_path):
    app_env(db_url)
    import_path(db, SYSTEM, GR_CSV)
    base = ["export", "results", "--election", "GR2022", "--municipality", "GM0668"]
    out = tmp_path / "r.csv"
    assert runner.invoke(app, [*base, "--out", str(out)]).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0] == [
        "election_id",
        "municipality_code",
        "municipality_name",
        "station_number",
        "station_name",
        "postcode",
        "list_number",
        "list_name",
        "votes",
    ]
    assert len(rows) == 1 + 21 * 8 and sum(int(r[-1]) for r in rows[1:]) == 9350
    assert rows[1][:6] == ["GR2022", "GM0668", "West Maas en Waal", "1", "Dorpshuis De Hucht", "6626AC"]
    nl = tmp_path / "r-nl.csv"
    res = runner.invoke(app, [*base, "--level", "candidate", "--format", "csv-nl", "--out", str(nl)])
    assert res.exit_code == 0, res.output
    raw = nl.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    cand = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert cand[0][-3:] == ["candidate_number", "candidate_name", "votes"] and len(cand) == 1 + 21 * 251
    assert sum(int(r[-1]) for r in cand[1:]) == 9350
    pqf = tmp_path / "r.parquet"
    assert runner.invoke(app, [*base, "--format", "parquet", "--out", str(pqf)]).exit_code == 0
    table = pq.read_table(pqf)
    assert table.num_rows == 21 * 8 and sum(table.column("votes").to_pylist()) == 9350


@pytest.mark.parametrize("source", [GR_CSV, TK_CSV, REAL / "osv4-3_telling_gr2022_vlieland.csv"])
def test_osv_export_reads_back_identically(db, db_url, app_env, tmp_path, source):
    app_env(db_url)
    original = parse_file(source)
    import_path(db, SYSTEM, source)
    out = tmp_path / "back.csv"
    code = original.municipality_code
    args = ["export", "results", "--election", original.election_id, "--municipality", code]
    res = runner.invoke(app, [*args, "--format", "osv4-3", "--out", str(out)])
    assert res.exit_code == 0, res.output
    back = parse_file(out)
    assert (back.election_id, back.municipality_code, back.election.date) == (
        original.election_id,
        code,
        original.election.date,
    )
    assert [(lst.number, lst.name) for lst in back.lists] == [
        (lst.number, lst.name) for lst in original.lists
    ]
    assert [(c.list_number, c.number, c.name) for c in back.candidates] == [
        (c.list_number, c.number, c.name) for c in original.candidates
    ]
    assert len(back.counts) == len(original.counts)
    for a, b in zip(sorted(original.counts, key=lambda c: c.station_number), back.counts, strict=True):
        assert a == b
    assert back.total.list_votes == original.total.list_votes
    assert back.total.valid_votes_count == original.total.valid_votes_count


def test_demo_has_the_past_election_gr2022_and_loading_it_again_changes_nothing(demo_db):
    from etl.load import load_gr2022_history

    rows = demo_db.execute(
        text("SELECT municipality_code, version FROM import_file WHERE election_id = 'GR2022' ORDER BY 1")
    ).all()
    assert [tuple(r) for r in rows] == [("GM0268", 1), ("GM0392", 1), ("GM0668", 1)]
    before = _snapshot(demo_db)
    assert {s.status for s in load_gr2022_history(demo_db, SYSTEM)} == {"unchanged"}
    assert _snapshot(demo_db) == before


def test_station_lists_set_up_polling_stations(db):
    import_path(db, SYSTEM, GR_CSV)  # GR2022 and GM0668 exist
    s = import_path(db, SYSTEM, FIX / "variants" / "eml_110b_westmaasenwaal_gr2022.xml")
    assert (s.kind, s.stations) == ("stations", 21)
    w = import_path(db, SYSTEM, FIX / "stations" / "wims_westmaasenwaal.csv", election_id="GR2022")
    assert (w.kind, w.municipality_code, w.stations) == ("stations", "GM0668", 4)
    rows = db.execute(
        text(
            "SELECT count(*) FROM polling_station "
            "WHERE election_id = 'GR2022' AND municipality_code = 'GM0668'"
        )
    ).scalar_one()
    assert rows == 21
    with pytest.raises(ImportProblem, match="no station numbers"):
        import_path(db, SYSTEM, FIX / "stations" / "stemlokalen_tk2023_trimmed.csv", election_id="GR2022")
