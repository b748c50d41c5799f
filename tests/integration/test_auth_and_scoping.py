"""Sign-in and scoping against the real database, on the demo data."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.domain.access import SYSTEM, Role
from app.domain.errors import AuthenticationFailed, InvalidInput, LockedOut, NotAllowed
from app.services import auth, codes, home, stations
from app.storage.models import AuditLog, PollingStation
from etl.demo import DEMO_PASSWORD, demo_code


def _station(db, municipality, number):
    return db.scalar(
        select(PollingStation).where(
            PollingStation.municipality_code == municipality, PollingStation.number == number
        )
    )


def test_staff_sign_in_with_demo_password(demo_db):
    actor = auth.sign_in_staff(demo_db, "Office.Haarlem", DEMO_PASSWORD)
    assert actor.role is Role.OFFICE and actor.municipality_code == "GM0392"
    assert demo_db.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "sign_in")) == 1


def test_wrong_password_and_unknown_user_give_the_same_clear_message(demo_db):
    with pytest.raises(AuthenticationFailed) as wrong:
        auth.sign_in_staff(demo_db, "office.haarlem", "not-the-password")
    with pytest.raises(AuthenticationFailed) as unknown:
        auth.sign_in_staff(demo_db, "nobody", "whatever-password")
    assert wrong.value.message_key == unknown.value.message_key == "auth.failed_staff"
    failed = demo_db.scalar(
        select(func.count()).select_from(AuditLog).where(AuditLog.action == "sign_in_failed")
    )
    assert failed == 2


def test_staff_lockout_after_repeated_failures_even_with_the_right_password(demo_db):
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in_staff(demo_db, "office.haarlem", "wrong-password")
    with pytest.raises(LockedOut) as locked:
        auth.sign_in_staff(demo_db, "office.haarlem", DEMO_PASSWORD)
    assert locked.value.params["minutes"] >= 1
    # another account is not affected
    assert auth.sign_in_staff(demo_db, "office.nijmegen", DEMO_PASSWORD).municipality_code == "GM0268"
    # after the lockout period the right password works again
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)
    assert auth.sign_in_staff(demo_db, "office.haarlem", DEMO_PASSWORD, now=later).role is Role.OFFICE


def test_chair_sign_in_with_demo_code(demo_db):
    actor = auth.sign_in_chair(demo_db, demo_code("GM0392", 1).lower().replace("-", " "))
    station = _station(demo_db, "GM0392", 1)
    assert actor.role is Role.CHAIR and actor.polling_station_id == station.id
    assert actor.election_id == "GR2026"


def test_wrong_code_clear_message_and_lockout(demo_db):
    good = demo_code("GM0392", 1)
    wrong = good[:-1] + ("A" if good[-1] != "A" else "B")
    for _ in range(5):
        with pytest.raises(AuthenticationFailed) as err:
            auth.sign_in_chair(demo_db, wrong)
        assert err.value.message_key == "auth.failed_code"
    with pytest.raises(LockedOut):
        auth.sign_in_chair(demo_db, good)  # same selector: locked for a while


def test_malformed_code_says_what_is_wrong(demo_db):
    with pytest.raises(InvalidInput) as err:
        auth.sign_in_chair(demo_db, "ABC")
    assert err.value.field == "code"


def test_revoked_and_out_of_window_codes_are_refused(demo_db):
    station = _station(demo_db, "GM0392", 2)
    code = demo_code("GM0392", 2)
    tomorrow_after = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    with pytest.raises(AuthenticationFailed) as window:
        auth.sign_in_chair(demo_db, code, now=tomorrow_after)
    assert window.value.message_key == "auth.code_window"
    codes.revoke_codes(demo_db, SYSTEM, station.id)
    with pytest.raises(AuthenticationFailed) as revoked:
        auth.sign_in_chair(demo_db, code)
    assert revoked.value.message_key == "auth.code_revoked"
    new_code = codes.issue_code(demo_db, SYSTEM, station.id)
    assert auth.sign_in_chair(demo_db, new_code).polling_station_id == station.id


def test_chair_of_station_x_is_refused_station_y_and_it_is_logged(demo_db):
    chair = auth.sign_in_chair(demo_db, demo_code("GM0392", 1))
    other = _station(demo_db, "GM0392", 2)
    assert stations.get_station(demo_db, chair, chair.polling_station_id).number == 1
    with pytest.raises(NotAllowed):
        stations.get_station(demo_db, chair, other.id)
    refused = demo_db.scalars(select(AuditLog).where(AuditLog.action == "access_refused")).all()
    assert len(refused) == 1 and refused[0].after["polling_station_id"] == other.id
    with pytest.raises(NotAllowed):  # a chair is not office staff
        stations.list_stations(demo_db, chair, "GR2026", "GM0392")


def test_office_of_municipality_a_cannot_read_or_change_b(demo_db):
    office_haarlem = auth.sign_in_staff(demo_db, "office.haarlem", DEMO_PASSWORD)
    nijmegen_station = _station(demo_db, "GM0268", 1)
    assert len(stations.list_stations(demo_db, office_haarlem, "GR2026", "GM0392")) > 0
    with pytest.raises(NotAllowed):
        stations.list_stations(demo_db, office_haarlem, "GR2026", "GM0268")
    with pytest.raises(NotAllowed):
        stations.get_station(demo_db, office_haarlem, nijmegen_station.id)
    with pytest.raises(NotAllowed):
        stations.set_electorate(demo_db, office_haarlem, "GR2026", "GM0268", 1)
    stations.set_electorate(demo_db, office_haarlem, "GR2026", "GM0392", 130_000)
    summaries = home.staff_home(demo_db, office_haarlem)
    assert {s.municipality_code for s in summaries} == {"GM0392"}
    assert summaries[0].electorate == 130_000


def test_analyst_may_read_but_not_change(demo_db):
    analyst = auth.sign_in_staff(demo_db, "analyst.nijmegen", DEMO_PASSWORD)
    assert stations.list_stations(demo_db, analyst, "GR2026", "GM0268")
    with pytest.raises(NotAllowed):
        stations.set_electorate(demo_db, analyst, "GR2026", "GM0268", 1)
