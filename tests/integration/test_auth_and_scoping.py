"""Sign-in and scoping against the real database, on the demo data."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from app.domain import access
from app.domain.access import SYSTEM, Role
from app.domain.errors import AuthenticationFailed, InvalidInput, LockedOut, NotAllowed
from app.services import auth, codes, home, security, stations
from app.services import chair as chair_service
from app.storage.models import AuditLog, Election, PollingStation, SignInThrottle, StationAccessCode
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


def test_failures_elsewhere_do_not_lock_the_office_out(demo_db):
    """Staff failures count per username and client address: five wrong passwords from an attacker's
    address lock only that address out, not the election office on election night."""
    attacker, office = "203.0.113.7", "198.51.100.20"
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in_staff(demo_db, "office.haarlem", "wrong-password", client_address=attacker)
    with pytest.raises(LockedOut):  # the attacker's own counter does lock (passwords can be guessed)
        auth.sign_in_staff(demo_db, "office.haarlem", DEMO_PASSWORD, client_address=attacker)
    actor = auth.sign_in_staff(demo_db, "office.haarlem", DEMO_PASSWORD, client_address=office)
    assert actor.role is Role.OFFICE
    failed = demo_db.scalars(select(AuditLog.after).where(AuditLog.action == "sign_in_failed")).all()
    assert len(failed) == 5 and {f["address"] for f in failed} == {attacker} and failed[-1]["locked"]


def test_an_ipv6_attacker_cannot_dodge_the_counter_within_their_network(demo_db):
    for host in range(1, 6):  # five addresses of one /64: one counter
        with pytest.raises(AuthenticationFailed):
            auth.sign_in_staff(demo_db, "office.haarlem", "wrong", client_address=f"2001:db8:1:2::{host}")
    with pytest.raises(LockedOut):
        auth.sign_in_staff(demo_db, "office.haarlem", DEMO_PASSWORD, client_address="2001:db8:1:2::abcd")
    assert auth.sign_in_staff(demo_db, "office.haarlem", DEMO_PASSWORD, client_address="2001:db8:1:3::1")


def test_a_very_long_username_is_a_failed_sign_in_not_a_traceback(demo_db):
    with pytest.raises(AuthenticationFailed):
        auth.sign_in_staff(demo_db, "o" * 300, "whatever-password", client_address="2001:db8:1:2::1")
    with pytest.raises(AuthenticationFailed):
        auth.sign_in_staff(demo_db, "office.haarlem" + " " * 2 + "x" * 90, DEMO_PASSWORD)
    assert (
        demo_db.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "sign_in_failed"))
        == 2
    )


def test_chair_sign_in_with_demo_code(demo_db):
    actor = auth.sign_in_chair(demo_db, demo_code("GM0392", 1).lower().replace("-", " "))
    station = _station(demo_db, "GM0392", 1)
    assert actor.role is Role.CHAIR and actor.polling_station_id == station.id
    assert actor.election_id == "GR2026"


def test_wrong_codes_are_logged_but_never_lock_the_right_code_out(demo_db):
    """A code has ~78 bits: a lock per selector protects nothing and would let anyone who knows a
    station's first four symbols keep its chair out. Failures stay visible (audit and throttle rows)."""
    good = demo_code("GM0392", 1)
    wrong = good[:-1] + ("A" if good[-1] != "A" else "B")
    for _ in range(7):  # beyond STEMDAG_MAX_FAILED_SIGN_INS
        with pytest.raises(AuthenticationFailed) as err:
            auth.sign_in_chair(demo_db, wrong)
        assert err.value.message_key == "auth.failed_code"  # a wrong code is a wrong code, not a wait
    selector = good.replace("-", "")[:4]
    throttle = demo_db.get(SignInThrottle, f"code:{selector}")
    assert throttle is not None and throttle.failures == 7 and throttle.locked_until is not None
    failed = demo_db.scalars(select(AuditLog.after).where(AuditLog.action == "sign_in_failed")).all()
    assert len(failed) == 7 and failed[-1]["locked"] is True and failed[-1]["selector"] == selector
    actor = auth.sign_in_chair(demo_db, good)  # the right code works while the selector is "locked"
    assert actor.polling_station_id == _station(demo_db, "GM0392", 1).id


class _CountingHasher:
    """The real argon2 hasher for codes, counting its verifications."""

    def __init__(self, real):
        self.real, self.verifications = real, 0

    def verify(self, code_hash, code):
        self.verifications += 1
        return self.real.verify(code_hash, code)


def test_an_unknown_selector_costs_the_same_verification_as_a_known_one(demo_db, monkeypatch):
    """Timing: without a verification for an unknown selector it answers in a third of the time, so
    valid selectors could be enumerated."""
    hasher = _CountingHasher(security._codes)
    monkeypatch.setattr(security, "_codes", hasher)
    good = demo_code("GM0392", 1)
    known_selector_wrong_code = good[:-1] + ("A" if good[-1] != "A" else "B")
    with pytest.raises(AuthenticationFailed):
        auth.sign_in_chair(demo_db, known_selector_wrong_code)
    known = hasher.verifications
    selectors = {row for row in demo_db.scalars(select(StationAccessCode.selector))}
    unknown = next(s for s in ("ZZZZ", "YYYY", "XXXX", "WWWW") if s not in selectors)
    with pytest.raises(AuthenticationFailed) as err:
        auth.sign_in_chair(demo_db, unknown + good.replace("-", "")[4:])
    assert err.value.message_key == "auth.failed_code"
    assert known == 1 and hasher.verifications - known == 1


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


def test_an_election_without_access_window_takes_the_default_for_reports(demo_db):
    """An election whose access window is not set is not open for ever: a chair's reports (through the
    fast path and through the plain context) are refused outside election day 06:00 – the end of the
    day after, as the codes themselves are."""
    chair = auth.sign_in_chair(demo_db, demo_code("GM0392", 3))
    election = demo_db.get(Election, chair.election_id)
    election.access_from = election.access_until = None
    demo_db.commit()
    start, end = access.default_access_window(election.election_date, chair_service.TZ)
    sid = chair.polling_station_id
    for when in (start - dt.timedelta(minutes=1), end):
        with pytest.raises(NotAllowed) as fast:
            chair_service.report_signal(
                demo_db, chair, sid, "none", client_submission_id=uuid.uuid4(), now=when
            )
        assert fast.value.message_key == "chair.error.window"
        demo_db.rollback()
        with pytest.raises(NotAllowed) as plain:
            chair_service.raise_incident(
                demo_db, chair, sid, "other", "Deur klemt", client_submission_id=uuid.uuid4(), now=when
            )
        assert plain.value.message_key == "chair.error.window"
        demo_db.rollback()
    inside = start + dt.timedelta(hours=3)
    result = chair_service.report_signal(
        demo_db, chair, sid, "none", client_submission_id=uuid.uuid4(), now=inside
    )
    assert not result.duplicate
    refusals = demo_db.scalars(
        select(AuditLog).where(AuditLog.action == "access_refused", AuditLog.polling_station_id == sid)
    ).all()
    assert len(refusals) == 4 and {r.after["reason"] for r in refusals} == {"election_window"}
