"""Staff sign-in through the identity provider (``st.login``), when ``[auth]`` is configured in
``.streamlit/secrets.toml`` (see docs/security.md). Local accounts keep working beside it."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from app.config import _secrets
from app.services import oidc
from app.ui import session


def _auth_section() -> dict:
    """The ``[auth]`` section as ``st.login`` itself will read it: from Streamlit's secrets, which
    honour ``--secrets.files`` (the OIDC browser test points it at a temporary file); the project's
    ``.streamlit/secrets.toml`` when Streamlit has no secrets at all."""
    try:
        return dict(st.secrets.get("auth") or {})
    except Exception:  # no secrets file anywhere: Streamlit raises instead of returning nothing
        return dict(_secrets().get("auth") or {})


def configured() -> bool:
    auth = _auth_section()
    return bool(
        auth.get("client_id") or any(isinstance(v, dict) and v.get("client_id") for v in auth.values())
    )


_DISCOVERY = "/.well-known/openid-configuration"


def trusted_issuers() -> set[str]:
    """The issuers of the configured provider(s), from their ``server_metadata_url`` (OpenID Connect
    Discovery: the issuer URL plus ``/.well-known/openid-configuration``, the issuer possibly with a
    trailing slash). An e-mail claim is trusted only from these (``app/services/oidc.py``)."""
    auth = _auth_section()
    sections = [auth, *(v for v in auth.values() if isinstance(v, Mapping))]
    issuers: set[str] = set()
    for section in sections:
        url = str(section.get("server_metadata_url") or "")
        if url.endswith(_DISCOVERY):
            base = url.removesuffix(_DISCOVERY).rstrip("/")
            issuers |= {base, f"{base}/"}
    return issuers


def login_button() -> None:
    if configured():
        st.button(session.tr("oidc.button"), on_click=st.login, key="oidc_login", width="stretch")


def sign_in_from_provider() -> None:
    """After the provider's redirect: map the verified identity to a staff account (once per session)."""
    if not configured() or session.current_actor() is not None or st.session_state.get("oidc_tried"):
        return
    user = st.user
    if not user.get("is_logged_in"):
        return
    st.session_state["oidc_tried"] = True
    ok, actor = session.call(
        oidc.sign_in_oidc,
        user.get("sub"),
        user.get("email"),
        issuer=user.get("iss"),
        email_verified=user.get("email_verified"),
        trusted_issuers=trusted_issuers(),
    )
    if ok and actor is not None:
        session.sign_in(actor)
        st.rerun()


def sign_out() -> None:
    if configured() and st.user.get("is_logged_in"):
        st.logout()
