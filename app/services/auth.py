"""Sign-in of staff (username + password) and chairs (the station's access code).

Failed staff sign-ins are counted per username and client address; after too many the account is
refused from that address for a while (LockedOut). Failed chair sign-ins are counted and logged per code
selector but never lock a code out (docs/security.md)."""

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

_MAX_USERNAME = 80  # staff_user.username


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
        entity_id=key[:80],  # the column's length (a long username with an IPv6 network)
        after={**detail, "failures": new.failures, "locked": new.locked_until is not None},
    )
    db.commit()


def _clear_failures(db: Session, key: str) -> None:
    row = db.get(SignInThrottle, key)
    if row is not None:
        db.delete(row)


def chair_actor(station: PollingStation, *, signed_in_at: dt.datetime) -> Actor:
    """The signed-in chair of ``station`` (after a code, a one-time link or a device session)."""
    return Actor(
        role=Role.CHAIR,
        name=f"{station.number} {station.name}",
        municipality_code=station.municipality_code,
        election_id=station.election_id,
        polling_station_id=station.id,
        station_number=station.number,
        signed_in_at=signed_in_at,
    )


def staff_actor(user: StaffUser, *, signed_in_at: dt.datetime) -> Actor:
    """The signed-in staff member of account ``user``."""
    return Actor(
        role=Role(user.role),
        name=user.display_name,
        user_id=user.id,
        municipality_code=user.municipality_code,
        signed_in_at=signed_in_at,
    )


def sign_in_staff(
    db: Session,
    username: str,
    password: str,
    *,
    now: dt.datetime | None = None,
    client_address: str | None = None,
) -> Actor:
    """Check a username and password. Raises AuthenticationFailed (the same message whether the user
    or the password is wrong) or LockedOut after too many failures. Failures count per username and
    ``client_address`` (the browser's IP address, an IPv6 address per /64) when it is known, so that
    failures from elsewhere do not lock the account out here; per username when it is not."""
    now = now or _now()
    name = (username or "").strip().lower()
    if not name or not password:
        raise InvalidInput("empty", field="username" if not name else "password", key="auth.empty")
    too_long = len(name) > _MAX_USERNAME  # no account has such a name (the column's length)
    name = name[:_MAX_USERNAME]  # keeps the throttle key and the audit row within their columns
    address = access.throttle_address(client_address)
    key = f"user:{name}" if address is None else f"user:{name}@{address}"
    _check_not_locked(db, key, now)
    user = None if too_long else db.scalar(select(StaffUser).where(StaffUser.username == name))
    ok = security.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        _register_failure(db, key, now, {"username": name, "address": address})
        raise AuthenticationFailed("wrong username or password", key="auth.failed_staff")
    _clear_failures(db, key)
    user.last_sign_in_at = now
    actor = staff_actor(user, signed_in_at=_now())
    audit.record(db, actor, "sign_in", entity="staff_user", entity_id=user.id)
    db.commit()
    return actor


def sign_in_chair(db: Session, typed_code: str, *, now: dt.datetime | None = None) -> Actor:
    """Check a station access code. Raises InvalidInput for a malformed code, AuthenticationFailed for
    an unknown, revoked or out-of-window code.

    Failures are counted per selector (audit rows, throttle rows: a flood stays visible), but never lock
    the right code out: a code has ~78 bits, so a lock would protect nothing and only let anyone who
    knows a station's selector keep its chair out (docs/security.md). An unknown selector is verified
    against a dummy hash, so it takes as long as a known one and selectors cannot be found by timing."""
    now = now or _now()
    code = access.normalise_access_code(typed_code or "")
    selector = access.code_selector(code)
    key = f"code:{selector}"
    rows = db.scalars(select(StationAccessCode).where(StationAccessCode.selector == selector)).all()
    match = next((r for r in rows if security.verify_code(r.code_hash, code)), None)
    if not rows:
        security.verify_code(None, code)  # as long as a known selector takes
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
    actor = chair_actor(station, signed_in_at=_now())
    audit.record(db, actor, "sign_in", entity="polling_station", entity_id=station.id)
    db.commit()
    return actor
