"""Services behind the admin forms: reading a municipality's part in an election (what the form starts
from, same authorisation as saving it), and the address that access letters link to."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from app.domain.errors import InvalidInput, NotAllowed
from app.services import admin, auth, letters, setup, users
from app.storage.models import (
    AuditLog,
    Election,
    ElectionMunicipality,
    Municipality,
    PoliticalGroup,
    PollingStation,
    StationAccessCode,
)
from etl.demo import DEMO_ELECTION_ID, DEMO_PASSWORD


def _staff(db, who):
    return auth.sign_in_staff(db, who, DEMO_PASSWORD)


def test_get_election_municipality_returns_the_stored_values_for_own_municipality_only(demo_db):
    stored = demo_db.get(ElectionMunicipality, (DEMO_ELECTION_ID, "GM0668"))
    admin_w = _staff(demo_db, "admin.wmw")
    view = admin.get_election_municipality(demo_db, admin_w, DEMO_ELECTION_ID, "GM0668")
    assert view is not None
    assert (view.electorate, view.council_size, view.counting_method) == (
        stored.electorate,
        stored.council_size,
        stored.counting_method,
    )
    assert admin.get_election_municipality(demo_db, admin_w, "XX1999", "GM0668") is None
    with pytest.raises(NotAllowed):  # another municipality
        admin.get_election_municipality(demo_db, admin_w, DEMO_ELECTION_ID, "GM0392")
    with pytest.raises(NotAllowed):  # not an admin
        admin.get_election_municipality(demo_db, _staff(demo_db, "office.wmw"), DEMO_ELECTION_ID, "GM0668")
    refused = demo_db.scalars(select(AuditLog.after).where(AuditLog.action == "access_refused")).all()
    assert len(refused) == 2


def test_saving_the_prefilled_values_changes_only_the_counting_method(demo_db):
    admin_w = _staff(demo_db, "admin.wmw")
    view = admin.get_election_municipality(demo_db, admin_w, DEMO_ELECTION_ID, "GM0668")
    admin.save_election_municipality(
        demo_db,
        admin_w,
        DEMO_ELECTION_ID,
        "GM0668",
        electorate=view.electorate,
        counting_method="CSO",
        council_size=view.council_size,
    )
    again = admin.get_election_municipality(demo_db, admin_w, DEMO_ELECTION_ID, "GM0668")
    assert (again.electorate, again.council_size, again.counting_method) == (
        view.electorate,
        view.council_size,
        "CSO",
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://",
        "http://",
        "",
        "   ",
        "stemdag.example.nl",
        "ftp://stemdag.example.nl",
        "https:///pad",
        "https://stemdag.example.nl/?x=1",
        "https://stemdag.example.nl/#top",
        "https://stemdag.example.nl:poort",
        "https://stem dag.example.nl",
        "https://[::1",
    ],
)
def test_a_base_url_without_http_or_https_and_a_host_is_refused(url):
    with pytest.raises(InvalidInput) as err:
        letters.check_base_url(url)
    assert err.value.field == "base_url" and err.value.message_key == "admin.bad_base_url"


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://stemdag.example.nl", "https://stemdag.example.nl"),
        (" https://stemdag.example.nl/ ", "https://stemdag.example.nl"),
        ("http://localhost:8501", "http://localhost:8501"),
        ("https://www.gemeente.nl/stemdag/", "https://www.gemeente.nl/stemdag"),
    ],
)
def test_a_full_base_url_is_accepted(url, kept):
    assert letters.check_base_url(url) == kept


def test_letters_with_a_bare_scheme_issue_no_codes(demo_db):
    admin_w = _staff(demo_db, "admin.wmw")
    active = select(StationAccessCode.id).where(
        StationAccessCode.municipality_code == "GM0668", StationAccessCode.revoked_at.is_(None)
    )
    before = set(demo_db.scalars(active))
    with pytest.raises(InvalidInput):
        letters.issue_letters(demo_db, admin_w, DEMO_ELECTION_ID, "GM0668", "https://")
    demo_db.rollback()
    assert set(demo_db.scalars(active)) == before


def _count(db, model):
    return db.scalar(select(func.count()).select_from(model))


def test_admin_forms_refuse_what_postgresql_would_refuse_naming_the_field(demo_db):
    """A NUL character, a name longer than its column, a number beyond an integer column, a name over two
    lines, an end of the access window before its start: each refused with its field, nothing stored
    (before, these reached PostgreSQL and the page said only "something went wrong")."""
    admin_w = _staff(demo_db, "admin.wmw")
    global_admin = _staff(demo_db, "admin")
    stations_before, lists_before = _count(demo_db, PollingStation), _count(demo_db, PoliticalGroup)
    election = demo_db.get(Election, DEMO_ELECTION_ID)
    spec = setup.ElectionSpec(
        id=election.id, kind=election.kind, name=election.name, election_date=election.election_date
    )
    big = 2**31
    cases = [
        (
            lambda: admin.save_station(demo_db, admin_w, DEMO_ELECTION_ID, "GM0668", 90, name="Hal\x00"),
            "name",
        ),
        (lambda: admin.save_station(demo_db, admin_w, DEMO_ELECTION_ID, "GM0668", big, name="Hal"), "number"),
        (
            lambda: admin.save_station(
                demo_db, admin_w, DEMO_ELECTION_ID, "GM0668", 90, name="Hal", postcode="6658AG-EXTRA"
            ),
            "postcode",
        ),
        (
            lambda: admin.save_station(
                demo_db, admin_w, DEMO_ELECTION_ID, "GM0668", 90, name="Hal", locality="x" * 121
            ),
            "locality",
        ),
        (lambda: admin.save_list(demo_db, admin_w, DEMO_ELECTION_ID, "GM0668", 99, "Lijst\nTwee"), "name"),
        (lambda: admin.save_list(demo_db, admin_w, DEMO_ELECTION_ID, "GM0668", big, "Lijst"), "number"),
        (
            lambda: admin.save_election_municipality(
                demo_db,
                admin_w,
                DEMO_ELECTION_ID,
                "GM0668",
                electorate=big,
                counting_method="DSO",
                council_size=19,
            ),
            "electorate",
        ),
        (lambda: admin.save_municipality(demo_db, admin_w, "GM0668", "x" * 121), "name"),
        (
            lambda: admin.save_election(demo_db, global_admin, replace(spec, low_stock_threshold=big)),
            "low_stock_threshold",
        ),
        (lambda: admin.save_election(demo_db, global_admin, replace(spec, name=" ")), "name"),
        (
            lambda: admin.save_election(
                demo_db,
                global_admin,
                replace(
                    spec,
                    access_from=dt.datetime(2026, 3, 18, 6, tzinfo=dt.UTC),
                    access_until=dt.datetime(2026, 3, 17, 6, tzinfo=dt.UTC),
                ),
            ),
            "access_until",
        ),
        (
            lambda: users.add_user(
                demo_db,
                admin_w,
                username="nieuw.wmw",
                password="lang-genoeg-wachtwoord",
                role="office",
                municipality_code="GM0668",
                display_name="Jan\x00",
            ),
            "display_name",
        ),
    ]
    for call, field in cases:
        with pytest.raises(InvalidInput) as err:
            call()
        assert err.value.field == field, (field, err.value)
        demo_db.rollback()
    assert (_count(demo_db, PollingStation), _count(demo_db, PoliticalGroup)) == (
        stations_before,
        lists_before,
    )
    assert demo_db.get(Election, DEMO_ELECTION_ID).name == election.name
    assert demo_db.get(Municipality, "GM0668").name != "x" * 121
