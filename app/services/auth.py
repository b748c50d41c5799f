"""Sign-in of staff (username + password) and chairs (the station's access code), with lockout."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import settings
from app.domain import access
from app.domain.access import Actor, Role, ThrottleState
from app.domain.errors import AuthenticationFailed, InvalidInput, LockedOut
from app.services import audit, security
from app.storage.models import PollingStation, SignInThrottle, StaffUser, StationAccessCode


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _throttle_state(db: Session, key: str) -> tuple[SignInThrottle | None, ThrottleState | None]:
    row = db.get(SignInThrottle, key, with_for_update=True)
    if row is None:
        return None, None
    return row, ThrottleState(row.failures, row.first_failure_at, row.locked_until)


def _check_not_locked(db: Session, key: str, now: dt.datetime) -> None:
    _row, state = _throttle_state(db, key)
    if access.is_locked(state, now):
        assert state is not None and state.locked_until is not None
        minutes = max(1, int((state.locked_until - now).total_seconds() // 60) + 1)
        raise LockedOut("locked", key="auth.locked", minutes=minutes)


def _register_failure(db: Session, key: str, now: dt.datetime, detail: dict) -> None:
    cfg = settings()
    row, state = _throttle_state(db, key)
    new = access.after_failure(
        state, now, max_failures=cfg.max_failed_sign_ins, lockout=dt.timedelta(minutes=cfg.lockout_minutes)
    )
    if row is None:
        db.add(
            SignInThrottle(
                key=key,
                failures=new.failures,
                first_failure_at=new.first_failure_at,
                locked_until=new.locked_until,
            )
        )
    else:
        row.failures, row.first_failure_at, row.locked_until = (
            new.failures,
            new.first_failure_at,
            new.locked_until,
        )
    audit.record(
        db,
        None,
        "sign_in_failed",
        entity="sign_in",
        entity_id=key,
        after={**detail, "failures": new.failures, "locked": new.locked_until is not None},
    )
    db.commit()


def _clear_failures(db: Session, key: str) -> None:
    row = db.get(SignInThrottle, key)
    if row is not None:
        db.delete(row)


def chair_actor(station: PollingStation) -> Actor:
    """The signed-in chair of ``station`` (after a code, a one-time link or a device session)."""
    return Actor(
        role=Role.CHAIR,
        name=f"{station.number} {station.name}",
        municipality_code=station.municipality_code,
        election_id=station.election_id,
        polling_station_id=station.id,
        station_number=station.number,
    )


def staff_actor(user: StaffUser) -> Actor:
    """The signed-in staff member of account ``user``."""
    return Actor(
        role=Role(user.role),
        name=user.display_name,
        user_id=user.id,
        municipality_code=user.municipality_code,
    )


def sign_in_staff(db: Session, username: str, password: str, *, now: dt.datetime | None = None) -> Actor:
    """Check a username and password. Raises AuthenticationFailed (the same message whether the user
    or the password is wrong) or LockedOut after too many failures."""
    now = now or _now()
    name = (username or "").strip().lower()
    if not name or not password:
        raise InvalidInput("empty", field="username" if not name else "password", key="auth.empty")
    key = f"user:{name}"
    _check_not_locked(db, key, now)
    user = db.scalar(select(StaffUser).where(StaffUser.username == name))
    ok = security.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        _register_failure(db, key, now, {"username": name})
        raise AuthenticationFailed("wrong username or password", key="auth.failed_staff")
    _clear_failures(db, key)
    user.last_sign_in_at = now
    actor = staff_actor(user)
    audit.record(db, actor, "sign_in", entity="staff_user", entity_id=user.id)
    db.commit()
    return actor


def sign_in_chair(db: Session, typed_code: str, *, now: dt.datetime | None = None) -> Actor:
    """Check a station access code. Raises InvalidInput for a malformed code, AuthenticationFailed for
    an unknown, revoked or out-of-window code, LockedOut after too many failures for that code."""
    now = now or _now()
    code = access.normalise_access_code(typed_code or "")
    selector = access.code_selector(code)
    key = f"code:{selector}"
    _check_not_locked(db, key, now)
    rows = db.scalars(select(StationAccessCode).where(StationAccessCode.selector == selector)).all()
    match = next((r for r in rows if security.verify_code(r.code_hash, code)), None)
    if match is None:
        _register_failure(db, key, now, {"selector": selector})
        raise AuthenticationFailed("unknown code", key="auth.failed_code")
    if not access.code_is_in_window(now, match.valid_from, match.valid_until, match.revoked_at):
        _register_failure(db, key, now, {"selector": selector, "reason": "revoked or outside window"})
        key_text = "auth.code_revoked" if match.revoked_at else "auth.code_window"
        raise AuthenticationFailed("code not valid now", key=key_text)
    _clear_failures(db, key)
    station = db.get(PollingStation, match.polling_station_id)
    assert station is not None
    actor = chair_actor(station)
    audit.record(db, actor, "sign_in", entity="polling_station", entity_id=station.id)
    db.commit()
    return actor
