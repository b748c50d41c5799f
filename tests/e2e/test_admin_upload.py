"""In a real browser: an administrator uploads official files on the election set-up page, through the
same code path as `stemdag import`. A file of their own municipality imports with a summary; a file of
another municipality is refused with a clear message and nothing is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.storage.import_models import ImportFile
from tests.e2e.conftest import sign_in_staff

pytestmark = pytest.mark.e2e
DATA = Path(__file__).resolve().parents[2] / "data"


def _sign_in(page, url, username):
    sign_in_staff(page, url, username, open_page="Verkiezing inrichten")
    expect(page.get_by_role("heading", name="Uit bestanden", exact=False)).to_be_visible()


def _upload(page, path: Path):
    page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(str(path))
    expect(page.get_by_role("button", name=f"Remove {path.name}")).to_be_visible()
    page.get_by_role("button", name="Importeren").click()


def _files(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(ImportFile))


def test_admin_uploads_a_file_and_another_municipality_is_refused(live_app, demo_db, page):
    before = _files(demo_db)
    tk2025 = DATA / "tk2025" / "osv4-3_telling_tk2025_gemeente_westmaasenwaal.csv"
    # A municipal administrator may not set up a national election: a clear message, nothing stored.
    _sign_in(page, live_app, "admin.wmw")
    _upload(page, tk2025)
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text("TK2025", timeout=60_000)
    assert _files(demo_db) == before
    # ... nor import another municipality's count.
    _upload(page, DATA / "gr2022" / "osv4-3_telling_gr2022_haarlem.csv")
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text(
        "osv4-3_telling_gr2022_haarlem.csv", timeout=60_000
    )
    assert _files(demo_db) == before
    page.get_by_role("link", name="Afmelden").click()

    # The administrator of all municipalities imports it, with a summary.
    _sign_in(page, live_app, "admin")
    _upload(page, tk2025)
    success = page.get_by_test_id("stAlertContentSuccess")
    expect(success).to_contain_text("TK2025", timeout=60_000)
    expect(success).to_contain_text("GM0668")
    assert _files(demo_db) == before + 1
    expect(page.get_by_test_id("stException")).to_have_count(0)
