"""Bad input against the real database: every refused file is one line (exit 2) and leaves what is stored
exactly as it was; a file that crashes does not stop the others; a value the parsers let through but the
database refuses becomes a refusal, not a traceback (the safety net in app.services.imports)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from app.domain.access import SYSTEM, Actor, Role
from app.domain.errors import InvalidInput
from app.services import imports as import_service
from app.services import setup
from app.storage import rls
from etl import load
from etl.cli import _register, app
from etl.load import import_path
from etl.parsers import common
from tests.db_snapshot import table_counts as _snapshot
from tests.etl import bad_input as bi

runner = CliRunner()
_register()


def _current(db) -> tuple[int, int, int]:
    """What the current GR2022 result says: lists, their votes, and the valid votes of the stations."""
    lists, votes = db.execute(
        text(
            "SELECT count(DISTINCT list_number), sum(votes) FROM official_list_votes_current "
            "WHERE election_id = 'GR2022' AND level = 'station'"
        )
    ).one()
    valid = db.execute(
        text(
            "SELECT sum(valid_votes_count) FROM official_count_current "
            "WHERE election_id = 'GR2022' AND level = 'station'"
        )
    ).scalar_one()
    db.rollback()
    return lists, votes, valid


def _bad_files(folder: Path) -> list[Path]:
    """The reviewer's reproductions, each a real file with one defect."""
    folder.mkdir()
    lines = bi.osv_lines()
    dup = bi.cells(lines[bi.list_row_index(lines, 2)])
    dup[0] = "1"
    e230 = bi.EML_230B.read_bytes()
    files = {
        "510_cast_3e9.eml.xml": bi.eml_510_cast("3000000000"),
        "510_cast_negative.eml.xml": bi.eml_510_cast("-1415"),
        "510_cast_underscore.eml.xml": bi.eml_510_cast("1_000"),
        "510_empty_selection.eml.xml": bi.first_unit(
            bi.eml_510(), b"<Selection>", b"<Selection/><Selection>"
        ),
        "510_unit_twice.eml.xml": bi.replace_once(bi.eml_510(), b'Id="0668::SB2"', b'Id="0668::SB1"'),
        "510_utf16.eml.xml": bi.eml_510().decode().encode("utf-16"),
        "osv_party_5000.csv": bi.osv_replace("FD Partij Beneden-Leeuwen", "P" * 5000),
        "osv_party_nul.csv": bi.osv_replace("FD Partij Beneden-Leeuwen", "FD\x00Partij"),
        "osv_votes_3e9.csv": bi.osv_list_cell(1, 5, "3000000000"),
        "osv_list_twice.csv": bi.osv_with_row(bi.list_row_index(lines, 2), dup),
        "osv_cut_off.csv": bi.osv_cut_after_line(int(len(lines) * 0.6)),
        "osv_commas.csv": bi.osv_text().replace(";", ",").encode(),
        "osv_bom_only.csv": b"\xef\xbb\xbf",
        "230b_gender_11.eml.xml": e230.replace(b"<Gender>male</Gender>", b"<Gender>unspecified</Gender>", 1),
        "230b_no_last_name.eml.xml": e230.replace(b"<xnl:LastName>Reuvers</xnl:LastName>", b"", 1),
        "230b_list_zero.eml.xml": e230.replace(
            b'<AffiliationIdentifier Id="1">', b'<AffiliationIdentifier Id="0">', 1
        ),
        "110b_station_huge.eml.xml": bi.replace_once(
            bi.EML_110B.read_bytes(), b'<PollingStation Id="1">', b'<PollingStation Id="99999999999">'
        ),
        "110a_region.eml.xml": bi.replace_once(
            bi.EML_110A.read_bytes(),
            b'RegionNumber="14" RegionCategory="GEMEENTE"',
            b'RegionNumber="123456" RegionCategory="GEMEENTE"',
        ),
    }
    return [bi.write(folder, name, data) for name, data in files.items()]


def test_every_bad_file_is_one_line_exit_2_and_nothing_stored_changes(db, db_url, app_env, tmp_path):
    app_env(db_url)
    import_path(db, SYSTEM, bi.OSV_GR)  # GR2022 West Maas en Waal: the current count, 8 lists
    import_path(db, SYSTEM, bi.OSV_TK)
    before, current = _snapshot(db), _current(db)
    assert current == (8, 9350, 9350)
    files = _bad_files(tmp_path / "bad")
    result = runner.invoke(app, ["import", str(tmp_path / "bad")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == len(files), result.output
    for path in files:
        (line,) = [e for e in errors if f"{path.name}:" in e]
        assert "internal error" not in line and "database refused" not in line, line  # the parser said it
    assert f"0 of {len(files)} files imported" in result.output
    assert _snapshot(db) == before
    assert _current(db) == current


def test_a_file_that_crashes_does_not_stop_the_others(db, db_url, app_env, tmp_path, monkeypatch):
    monkeypatch.setenv("STEMDAG_DATA_DIR", str(tmp_path / "data"))
    app_env(db_url)
    real_parse = load.parse_file

    def parse(path, **kw):
        if Path(path).name == "a_crash.csv":
            raise IndexError("list index out of range")  # a fault in Stemdag, whatever the file
        return real_parse(path, **kw)

    monkeypatch.setattr(load, "parse_file", parse)
    folder = tmp_path / "in"
    folder.mkdir()
    bi.write(folder, "a_crash.csv", bi.OSV_TK.read_bytes())
    bi.write(folder, "b_" + bi.OSV_GR.name, bi.OSV_GR.read_bytes())
    result = runner.invoke(app, ["import", str(folder)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "a_crash.csv: internal error (IndexError)" in errors[0], result.output
    assert "9,350 valid votes (imported)" in result.output and "1 of 2 files imported" in result.output
    log = (tmp_path / "data" / "import-errors.log").read_text()
    assert "a_crash.csv" in log and "Traceback" in log and "IndexError" in log
    assert db.execute(text("SELECT count(*) FROM import_file")).scalar_one() == 1


# --------------------------------------------------------------------- the database's own refusal


def _admin(code: str) -> Actor:
    return Actor(role=Role.ADMIN, name=f"admin {code}", user_id=1, municipality_code=code)


def _with(monkeypatch, change) -> None:
    """Let ``change`` alter what the parser gives, as a parser defect would, so the value reaches the
    database (the parsers refuse these values themselves)."""
    real_parse = load.parse_file
    monkeypatch.setattr(load, "parse_file", lambda path, **kw: change(real_parse(path, **kw)))


def _electorate_3e9(result):
    first = dataclasses.replace(result.counts[0], electorate=3_000_000_000)
    return dataclasses.replace(result, counts=(first, *result.counts[1:]))


def _list_name_with_nul(result):
    lists = (dataclasses.replace(result.lists[0], name="FD\x00Partij"), *result.lists[1:])
    return dataclasses.replace(result, lists=lists)


@pytest.mark.parametrize("scoped", [False, True], ids=["copy", "insert-unnest-under-rls"])
@pytest.mark.parametrize(
    ("change", "problem", "place"),
    [
        (
            _electorate_3e9,
            "out of range",
            "database, table official_count, column electorate",
        ),
        (_list_name_with_nul, "cannot contain NUL", "database"),
    ],
    ids=["integer", "nul"],
)
def test_a_value_the_database_refuses_is_a_refusal_and_nothing_is_half_written(
    db, monkeypatch, scoped, change, problem, place
):
    setup.upsert_election(db, SYSTEM, setup.ElectionSpec("GR2022", "GR", "GR 2022", dt.date(2022, 3, 16)))
    db.commit()
    import_path(db, SYSTEM, bi.OSV_GR)
    before, current = _snapshot(db), _current(db)
    _with(monkeypatch, change)
    actor = _admin("GM0668") if scoped else SYSTEM
    if scoped:
        rls.scope_session(db, rls.scope_for("GM0668"))
    # another version of the same count: it would supersede the stored one, and must not
    second = bi.FIX / "variants" / "osv_no_postcode.csv"
    with pytest.raises(InvalidInput) as info:
        import_service.import_file(db, actor, second.read_bytes() if scoped else second, "v2.csv")
    rls.scope_session(db, None)
    err = info.value
    assert err.message_key == "imports.refused" and err.params["file"] == "v2.csv"
    assert err.params["problem"].startswith("the database refused a value: ")
    assert problem in err.params["problem"]
    if not scoped:  # COPY names the table and column; INSERT … unnest does not
        assert err.params["place"] == place
    for statement in ("[SQL", "INSERT", "COPY", "parameters", "%("):  # never the statement or its values
        assert statement not in str(err)
    assert _snapshot(db) == before and _current(db) == current


def test_a_text_the_database_refuses_through_the_orm_is_a_refusal(db, monkeypatch):
    import_path(db, SYSTEM, bi.OSV_GR)
    before = _snapshot(db)
    monkeypatch.setattr(common.sizes(), "gender", 1000)  # as if the parser did not know the column
    data = bi.EML_230B.read_bytes().replace(b"<Gender>male</Gender>", b"<Gender>unspecified</Gender>", 1)
    with pytest.raises(InvalidInput) as info:
        import_service.import_file(db, SYSTEM, data, "lists.eml.xml")
    assert info.value.params["problem"] == (
        "the database refused a value: value too long for type character varying(10)"
    )
    assert _snapshot(db) == before


# --------------------------------------------------------------------- defects 7 and 17 end to end


def test_a_cut_off_count_never_replaces_the_complete_one(db):
    import_path(db, SYSTEM, bi.OSV_GR)
    before, current = _snapshot(db), _current(db)
    cut = bi.osv_cut_after_line(int(len(bi.osv_lines()) * 0.6))
    with pytest.raises(InvalidInput) as info:
        import_service.import_file(db, SYSTEM, cut, "telling.csv")
    assert "incomplete" in info.value.params["problem"] and "end of the file" in info.value.params["place"]
    assert _snapshot(db) == before and _current(db) == current == (8, 9350, 9350)


def test_a_candidate_without_a_last_name_is_refused_not_stored_as_initials(db):
    import_path(db, SYSTEM, bi.OSV_GR)
    data = bi.EML_230B.read_bytes().replace(b"<xnl:LastName>Reuvers</xnl:LastName>", b"", 1)
    with pytest.raises(InvalidInput) as info:
        import_service.import_file(db, SYSTEM, data, "lists.eml.xml")
    assert info.value.params["place"] == "line 1, Candidate 1 of list 1"
    assert db.execute(text("SELECT count(*) FROM candidate")).scalar_one() == 0
