"""Staff sign-in through the municipality's identity provider (OpenID Connect via ``st.login``), beside
the local accounts. The provider proves who the person is; Stemdag decides what they may do: the
identity (the ``sub`` claim, or the e-mail address when an admin linked that) must be linked to an
active staff account (``staff_user.oidc_subject``), whose role and municipality apply."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.access import Actor, Role
from app.domain.errors import AuthenticationFailed
from app.services import audit
from app.storage.models import StaffUser


def sign_in_oidc(
    db: Session, subject: str | None, email: str | None = None, *, issuer: str | None = None
) -> Actor:
    """The staff actor for an identity the provider has verified. Raises AuthenticationFailed when no
    active account is linked to it; both outcomes are in the audit log."""
    keys = [k for k in ((subject or "").strip(), (email or "").strip().lower()) if k]
    user = None
    if keys:
        user = db.scalar(select(StaffUser).where(StaffUser.oidc_subject.in_(keys)).order_by(StaffUser.id))
    if user is None or not user.is_active:
        audit.record(
            db,
            None,
            "sign_in_failed",
            entity="oidc",
            entity_id=(subject or "")[:80] or None,
            after={"via": "oidc", "issuer": issuer, "email": email, "linked": user is not None},
        )
        db.commit()
        raise AuthenticationFailed("no linked account", key="oidc.unknown")
    user.last_sign_in_at = dt.datetime.now(dt.UTC)
    actor = Actor(
        role=Role(user.role),
        name=user.display_name,
        user_id=user.id,
        municipality_code=user.municipality_code,
    )
    audit.record(
        db, actor, "sign_in", entity="staff_user", entity_id=user.id, after={"via": "oidc", "issuer": issuer}
    )
    db.commit()
    return actor
