"""Staff sign-in through the municipality's identity provider (OpenID Connect via ``st.login``), beside
the local accounts. The provider proves who the person is; Stemdag decides what they may do: the
identity (the ``sub`` claim, or the e-mail address when an admin linked that: only a verified address
from the configured provider) must be linked to an active staff account (``staff_user.oidc_subject``),
whose role and municipality apply."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.access import Actor, Role
from app.domain.errors import AuthenticationFailed
from app.services import audit
from app.storage.models import StaffUser


def _linked(db: Session, key: str) -> StaffUser | None:
    return db.scalar(select(StaffUser).where(StaffUser.oidc_subject == key).order_by(StaffUser.id))


def sign_in_oidc(
    db: Session,
    subject: str | None,
    email: str | None = None,
    *,
    issuer: str | None = None,
    email_verified: object = None,
    trusted_issuers: Collection[str] = (),
) -> Actor:
    """The staff actor for an identity the provider has verified. Raises AuthenticationFailed when no
    active account is linked to it; both outcomes are in the audit log.

    The subject (``sub``) is matched first. An account linked to an e-mail address is found only when
    the claims say ``email_verified`` is true and the token's ``issuer`` is one of ``trusted_issuers``
    (the configured provider's): anyone can put any address in an unverified claim, or in an account
    at another provider."""
    subject_key = (subject or "").strip()
    email_key = (email or "").strip().lower()
    user = _linked(db, subject_key) if subject_key else None
    email_trusted = email_verified is True and issuer is not None and issuer in trusted_issuers
    if user is None and email_key and email_trusted:
        user = _linked(db, email_key)
    if user is None or not user.is_active:
        audit.record(
            db,
            None,
            "sign_in_failed",
            entity="oidc",
            entity_id=subject_key[:80] or None,
            after={
                "via": "oidc",
                "issuer": issuer,
                "email": email,
                "email_verified": email_verified is True,
                "email_trusted": email_trusted,
                "linked": user is not None,
            },
        )
        db.commit()
        raise AuthenticationFailed("no linked account", key="oidc.unknown")
    user.last_sign_in_at = dt.datetime.now(dt.UTC)
    actor = Actor(
        role=Role(user.role),
        name=user.display_name,
        user_id=user.id,
        municipality_code=user.municipality_code,
        signed_in_at=user.last_sign_in_at,
    )
    audit.record(
        db, actor, "sign_in", entity="staff_user", entity_id=user.id, after={"via": "oidc", "issuer": issuer}
    )
    db.commit()
    return actor
