"""Stay signed in on this device (app/services/devices.py): a device session resumes the same sign-in
until it expires or is revoked (signing out, a new or revoked access code, a staff account deactivated
or given a new password); the cookie route's ticket cannot be forged or reused late."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.domain.access import SYSTEM
from app.domain.errors import AuthenticationFailed, NotAllowed
from app.services import admin, auth, codes, devices
from app.storage.admin_models import DeviceSession
from app.storage.models import AuditLog, StaffUser
from etl.demo import DEMO_PASSWORD, demo_code


@pytest.fixture
def chair(demo_db):
    return demo_db, auth.sign_in_chair(demo_db, demo_code("GM0392", 1))


def test_a_chairs_device_session_resumes_the_same_sign_in_and_only_the_hash_is_stored(chair):
    db, actor = chair
    token = devices.remember(db, actor)
    assert (
        db.scalar(select(func.count()).select_from(DeviceSession).where(DeviceSession.token_hash == token))
        == 0
    )
    resumed = devices.resume(db, token)
    assert resumed == actor
    row = db.scalar(select(DeviceSession))
    assert (
        row is not None
        and row.last_used_at is not None
        and row.polling_station_id == actor.polling_station_id
    )
    via = db.scalars(select(AuditLog.after).where(AuditLog.entity == "device_session")).all()
    assert {"via": "device"} in via


def test_a_staff_device_session_resumes_and_ends_when_the_account_is_deactivated(demo_db):
    office = auth.sign_in_staff(demo_db, "office.haarlem", DEMO_PASSWORD)
    token = devices.remember(demo_db, office)
    assert devices.resume(demo_db, token) == office
    admin.set_user_active(demo_db, SYSTEM, office.user_id, False)
    with pytest.raises(AuthenticationFailed):
        devices.resume(demo_db, token)


def test_a_new_password_ends_the_accounts_device_sessions(demo_db):
    office = auth.sign_in_staff(demo_db, "office.nijmegen", DEMO_PASSWORD)
    token = devices.remember(demo_db, office)
    admin.reset_password(demo_db, SYSTEM, office.user_id, "een-nieuw-wachtwoord-2026")
    with pytest.raises(AuthenticationFailed):
        devices.resume(demo_db, token)


def test_signing_out_expiry_and_a_new_access_code_end_a_chairs_device_session(chair):
    db, actor = chair
    token = devices.remember(db, actor)
    assert devices.forget(db, token) is True
    with pytest.raises(AuthenticationFailed):
        devices.resume(db, token)
    token = devices.remember(db, actor)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    with pytest.raises(AuthenticationFailed):
        devices.resume(db, token, now=later)
    devices.resume(db, token)  # still valid now
    code = codes.issue_code(db, SYSTEM, actor.polling_station_id)  # e.g. a lost letter: a new code
    with pytest.raises(AuthenticationFailed):
        devices.resume(db, token)
    with pytest.raises(NotAllowed):  # the sign-in made before the new code has ended as well
        devices.remember(db, actor)
    db.rollback()
    actor = auth.sign_in_chair(db, code)
    token = devices.remember(db, actor)
    codes.revoke_codes(db, SYSTEM, actor.polling_station_id)
    with pytest.raises(AuthenticationFailed):
        devices.resume(db, token)


@pytest.mark.parametrize("token", ["", "x" * 43, "not a token", "a.b"])
def test_unknown_or_malformed_tokens_are_refused(chair, token):
    db, _ = chair
    with pytest.raises(AuthenticationFailed):
        devices.resume(db, token)
    assert devices.forget(db, token) is False


def test_the_ticket_carries_the_token_briefly_and_cannot_be_forged(chair):
    db, actor = chair
    token = devices.remember(db, actor)
    ticket = devices.ticket(token)
    assert devices.open_ticket(ticket) == token
    late = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=devices.TICKET_SECONDS + 5)
    assert devices.open_ticket(ticket, now=late) is None
    payload, _, mac = ticket.rpartition(".")
    assert devices.open_ticket(f"{payload}.{'0' * len(mac)}") is None
    other = devices.remember(db, actor)
    assert devices.open_ticket(f"{other}.{payload.split('.')[1]}.{mac}") is None  # another token, same mac
    assert devices.open_ticket("") is None and devices.open_ticket("a.b.c") is None


def test_a_device_session_is_a_tenant_row_under_row_level_security(chair):
    db, actor = chair
    devices.remember(db, actor)
    office = auth.sign_in_staff(db, "office.nijmegen", DEMO_PASSWORD)
    from app.storage import rls

    rls.scope_session(db, office.municipality_code)
    try:
        assert db.scalar(select(func.count()).select_from(DeviceSession)) == 0  # Haarlem's is not visible
    finally:
        rls.scope_session(db, None)
        db.rollback()
    assert db.scalar(select(func.count()).select_from(DeviceSession)) == 1
    assert db.get(StaffUser, office.user_id) is not None


def test_signing_out_on_a_device_is_in_the_audit_log(chair):
    db, actor = chair
    token = devices.remember(db, actor)
    assert devices.forget(db, token) is True
    row = db.scalar(select(AuditLog).where(AuditLog.action == "device_forgotten"))
    assert row is not None and row.entity == "device_session"
    assert (row.actor_kind, row.actor_id) == ("chair", f"station:{actor.polling_station_id}")
    assert row.municipality_code == "GM0392" and row.polling_station_id == actor.polling_station_id
    assert devices.forget(db, token) is False  # nothing left to revoke: no second row
    assert (
        db.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "device_forgotten"))
        == 1
    )


def test_a_staff_sign_out_on_a_device_is_logged_as_that_account(demo_db):
    office = auth.sign_in_staff(demo_db, "office.haarlem", DEMO_PASSWORD)
    devices.forget(demo_db, devices.remember(demo_db, office))
    row = demo_db.scalar(select(AuditLog).where(AuditLog.action == "device_forgotten"))
    assert row is not None and row.actor_id == f"user:{office.user_id}" and row.municipality_code == "GM0392"


def test_the_automatic_revoke_of_a_device_session_whose_owner_is_gone_is_logged(demo_db):
    office = auth.sign_in_staff(demo_db, "office.haarlem", DEMO_PASSWORD)
    token = devices.remember(demo_db, office)
    session_id = demo_db.scalar(select(DeviceSession.id).where(DeviceSession.staff_user_id == office.user_id))
    # the account is deactivated behind the row's back (not through admin, which revokes it itself)
    demo_db.get(StaffUser, office.user_id).is_active = False
    demo_db.commit()
    with pytest.raises(AuthenticationFailed):
        devices.resume(demo_db, token)
    assert demo_db.get(DeviceSession, session_id).revoked_at is not None
    row = demo_db.scalar(select(AuditLog).where(AuditLog.action == "device_revoked"))
    assert row is not None and row.entity == "device_session" and row.entity_id == str(session_id)
    assert row.municipality_code == "GM0392" and row.after["staff_user_id"] == office.user_id
