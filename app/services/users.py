"""Staff accounts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import inputs
from app.domain.access import STAFF_ROLES, Actor, Role
from app.domain.errors import Conflict, InvalidInput
from app.domain.ids import municipality_code as normalise_municipality
from app.services import audit, authz, security
from app.storage.models import Municipality, StaffUser

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,79}$")
MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    role: str
    municipality_code: str | None
    is_active: bool


def add_user(
    db: Session,
    actor: Actor,
    *,
    username: str,
    password: str,
    role: str,
    municipality_code: str | None,
    display_name: str | None = None,
) -> UserView:
    """Create a staff account. Admins only; a municipal admin only within their municipality."""
    authz.require_role(db, actor, Role.ADMIN)
    name = username.strip().lower() if isinstance(username, str) else ""
    if not _USERNAME.match(name):
        raise InvalidInput("bad username", field="username", key="users.bad_username")
    try:
        role_value = Role(role)
    except ValueError:
        raise InvalidInput("bad role", field="role", key="users.bad_role") from None
    if role_value not in STAFF_ROLES:
        raise InvalidInput("bad role", field="role", key="users.bad_role")
    code = normalise_municipality(municipality_code) if municipality_code else None
    if code is None and role_value is not Role.ADMIN:
        raise InvalidInput("municipality needed", field="municipality_code", key="users.needs_municipality")
    if code is None:
        if not actor.is_global_admin:
            authz.require_municipality(db, actor, "")  # refuses and logs
    else:
        authz.require_municipality(db, actor, code)
        if db.get(Municipality, code) is None:
            raise InvalidInput(
                "unknown municipality", field="municipality_code", key="error.unknown_municipality", code=code
            )
    display = inputs.text(display_name, "display_name", max_length=120, single_line=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "short password", field="password", key="users.short_password", n=MIN_PASSWORD_LENGTH
        )
    if db.scalar(select(StaffUser.id).where(StaffUser.username == name)) is not None:
        raise Conflict("exists", key="users.exists", username=name)
    user = StaffUser(
        username=name,
        display_name=display or name,
        role=role_value.value,
        municipality_code=code,
        password_hash=security.hash_password(password),
    )
    db.add(user)
    db.flush()
    audit.record(
        db,
        actor,
        "user_added",
        entity="staff_user",
        entity_id=user.id,
        municipality_code=code,
        after={"username": name, "role": role_value.value, "municipality_code": code},
    )
    db.commit()
    return _view(user)


def list_users(db: Session, actor: Actor) -> list[UserView]:
    authz.require_role(db, actor, Role.ADMIN)
    query = select(StaffUser).order_by(StaffUser.municipality_code, StaffUser.username)
    if not actor.is_global_admin:
        query = query.where(StaffUser.municipality_code == actor.municipality_code)
    return [_view(u) for u in db.scalars(query)]


def _view(u: StaffUser) -> UserView:
    return UserView(u.id, u.username, u.display_name, u.role, u.municipality_code, u.is_active)
