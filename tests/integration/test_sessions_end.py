"""A sign-in ends with its credential (migration 0009): a chair signed in before their station's code was
revoked or replaced, and a staff member signed in before their account was deactivated or got a new
password, are refused by every service although the app server still holds their session; the refusal
is logged; signing in again with the new credential works. Internal actors are not affected."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from app.domain.access import SYSTEM
from app.domain.errors import NotAllowed
from app.services import admin, auth, chair, codes, counts, devices, home, office
from app.storage.models import AuditLog
from etl.demo import DEMO_ELECTION_ID as GR
from etl.demo import DEMO_PASSWORD, demo_code
from tests.chair_day import today_at

OWN = "GM0392"


def _ended(db) -> int:
    return db.scalar(
        select(func.count())
        .select_from(AuditLog)
        .where(AuditLog.action == "access_refused", AuditLog.after["reason"].astext == "session_ended")
    )


def _stock(db, actor):
    return chair.report_stock(
        db, actor, actor.polling_station_id, 400, client_submission_id=str(uuid.uuid4()), now=today_at(11)
    )


@pytest.mark.parametrize("how", ["revoked", "new code"])
def test_a_chairs_open_session_ends_when_the_code_is_revoked_or_replaced(demo_db, how):
    db = demo_db
    actor = auth.sign_in_chair(db, demo_code(OWN, 1))
    other = auth.sign_in_chair(db, demo_code(OWN, 2))  # another station: not affected
    _stock(db, actor)
    if how == "revoked":
        codes.revoke_codes(db, SYSTEM, actor.polling_station_id)
    else:
        new = codes.issue_code(db, SYSTEM, actor.polling_station_id)
    for attempt in (
        lambda: _stock(db, actor),  # the fast path of a report
        lambda: chair.station_overview(db, actor, actor.polling_station_id),
        lambda: counts.count_setup(db, actor, actor.polling_station_id),
        lambda: home.chair_home(db, actor),
        lambda: devices.remember(db, actor),  # no new long-lived credential either
    ):
        with pytest.raises(NotAllowed) as err:
            attempt()
        assert err.value.message_key == "auth.session_ended"
        db.rollback()
    assert _ended(db) == 5
    _stock(db, other)
    if how == "new code":
        again = auth.sign_in_chair(db, new)
        assert _stock(db, again).kind == "stock"


@pytest.mark.parametrize("how", ["deactivated", "new password"])
def test_a_staff_members_open_session_ends_when_the_account_is_deactivated_or_gets_a_new_password(
    demo_db, how
):
    db = demo_db
    user = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
    colleague = auth.sign_in_staff(db, "analyst.haarlem", DEMO_PASSWORD)
    assert office.overview(db, user, GR, OWN).stations_total > 0
    if how == "deactivated":
        admin.set_user_active(db, SYSTEM, user.user_id, False)
    else:
        admin.reset_password(db, SYSTEM, user.user_id, "een-nieuw-wachtwoord-2026")
    with pytest.raises(NotAllowed) as err:
        office.overview(db, user, GR, OWN)
    assert err.value.message_key == "auth.session_ended"
    db.rollback()
    assert _ended(db) == 1
    home.staff_home(db, colleague)  # another account: not affected
    if how == "new password":
        again = auth.sign_in_staff(db, "office.haarlem", "een-nieuw-wachtwoord-2026")
        assert office.overview(db, again, GR, OWN).stations_total > 0
    else:
        admin.set_user_active(db, SYSTEM, user.user_id, True)  # reactivated: a new sign-in is needed
        with pytest.raises(NotAllowed):
            office.overview(db, user, GR, OWN)
        db.rollback()
        again = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
        assert office.overview(db, again, GR, OWN).stations_total > 0


def test_internal_actors_without_a_sign_in_time_are_not_checked(demo_db):
    db = demo_db
    actor = auth.sign_in_chair(db, demo_code(OWN, 3))
    codes.revoke_codes(db, SYSTEM, actor.polling_station_id)
    internal = type(actor)(**{**actor.__dict__, "signed_in_at": None})  # as the simulator builds one
    assert _stock(db, internal).kind == "stock"
