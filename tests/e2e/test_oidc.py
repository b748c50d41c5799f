"""Staff sign-in through an identity provider (st.login, OIDC) against a local mock provider
(oidc-provider-mock, offline): a linked identity lands signed in as its staff account; an unlinked one is
refused and logged. The app reads a temporary secrets file (``--secrets.files``) with ``[auth]`` for the
mock; the repository's own secrets are not touched."""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.services import admin, auth
from app.storage.db import session_scope
from app.storage.models import AuditLog, StaffUser
from etl.demo import DEMO_PASSWORD
from tests.e2e.conftest import _free_port, start_app, stop_app

pytestmark = pytest.mark.e2e
oidc_mock = pytest.importorskip("oidc_provider_mock")
pytest.importorskip("authlib")  # st.login needs Authlib


@pytest.fixture
def provider():
    from oidc_provider_mock import User

    users = [
        User(sub="jan-123", claims={"email": "jan@haarlem.nl", "name": "Jan"}),
        User(sub="stranger-9", claims={"email": "stranger@example.org", "name": "Onbekend"}),
    ]
    with oidc_mock.run_server_in_thread(port=_free_port(), user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def oidc_app(demo_db_url, provider, tmp_path, app_env):
    app_env(demo_db_url)
    with session_scope() as db:  # the admin links Jan's identity to the Haarlem office account
        admin_h = auth.sign_in_staff(db, "admin.haarlem", DEMO_PASSWORD)
        office_id = db.scalar(select(StaffUser.id).where(StaffUser.username == "office.haarlem"))
        admin.set_oidc_subject(db, admin_h, office_id, "jan-123")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "stemdag"\n'
        'client_secret = "mock-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    proc, url = start_app(demo_db_url, port=port, extra_args=["--secrets.files", str(secrets_file)])
    yield url
    stop_app(proc)


def _sign_in_at_provider(page, url: str, sub: str) -> None:
    page.goto(url)
    page.get_by_role("tab", name="Medewerker gemeente").click()
    page.get_by_role("button", name="Aanmelden via de gemeente").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.get_by_role("button", name=sub).click()  # the mock's button for a predefined user
    page.wait_for_url(f"{url}/**")


def test_a_linked_identity_signs_in_as_its_staff_account(oidc_app, page):
    _sign_in_at_provider(page, oidc_app, "jan-123")
    # the linked account's role and municipality apply: the office pages of Haarlem (the live overview)
    expect(page.get_by_role("heading", name="Verkiezingsdag Haarlem")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Verkiezingsorganisatie")
    with session_scope() as db:
        via = db.scalars(
            select(AuditLog.after).where(AuditLog.action == "sign_in", AuditLog.entity == "staff_user")
        ).all()
    assert any((a or {}).get("via") == "oidc" for a in via)


def test_an_unlinked_identity_is_refused_and_logged(oidc_app, page):
    _sign_in_at_provider(page, oidc_app, "stranger-9")
    expect(page.get_by_text("geen actief Stemdag-account", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="Aanmelden bij Stemdag")).to_be_visible()
    with session_scope() as db:
        failed = db.scalars(
            select(AuditLog.entity_id).where(AuditLog.action == "sign_in_failed", AuditLog.entity == "oidc")
        ).all()
    assert "stranger-9" in failed
