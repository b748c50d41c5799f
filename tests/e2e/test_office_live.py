"""In a real browser: the office's overview is open; a chair reports turnout and then submits a count
(through the chair's services, against the same database); both appear on the overview without a
reload, within the refresh interval (the app runs with STEMDAG_REFRESH_SECONDS=2)."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.services import auth, chair, counts
from app.storage.models import PollingStation
from etl.demo import demo_code
from tests import chair_day
from tests.e2e.conftest import sign_in_staff, start_app, stop_app

pytestmark = pytest.mark.e2e
REFRESH_SECONDS = 2
#: a refresh interval, the cache's time to live (half of it) and slack for a busy test machine
WITHIN_MS = (REFRESH_SECONDS + REFRESH_SECONDS // 2) * 1000 + 6000


@pytest.fixture
def fast_app(demo_db_url):
    proc, url = start_app(demo_db_url, extra_env={"STEMDAG_REFRESH_SECONDS": str(REFRESH_SECONDS)})
    yield url
    stop_app(proc)


def _cid() -> str:
    return str(uuid.uuid4())


def _count_form(db, actor, sid: int, admitted: int) -> dict:
    """A valid count: every vote for list 1 (its first candidate under DSO)."""
    return chair_day.count_form(db, actor, sid, [admitted])


def test_chair_reports_appear_on_the_open_overview_without_reload(fast_app, demo_db, page):
    sign_in_staff(page, fast_app, "office.wmw", open_page="Overzicht")
    main = page.get_by_test_id("stMain")
    expect(page.get_by_role("heading", name="Verkiezingsdag West Maas en Waal")).to_be_visible()
    expect(main).to_contain_text("0 toegelaten kiezers tot nu toe")
    stations = demo_db.scalars(
        select(PollingStation).where(PollingStation.municipality_code == "GM0668")
    ).all()
    expect(main).to_contain_text(f"0 van {len(stations)}")
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    actor = auth.sign_in_chair(demo_db, demo_code("GM0668", 1))
    sid = actor.polling_station_id
    items = [i["key"] for i in chair.station_overview(demo_db, actor, sid).checklist_items]
    chair.submit_opening(demo_db, actor, sid, items, client_submission_id=_cid())
    chair.submit_turnout(
        demo_db, actor, sid, "10:00", 417, client_submission_id=_cid(), now=chair_day.today_at(10, 1)
    )
    expect(main).to_contain_text("417 toegelaten kiezers tot nu toe", timeout=WITHIN_MS)

    chair.submit_closing(demo_db, actor, sid, client_submission_id=_cid(), now=chair_day.today_at(21, 5))
    counts.submit_count(
        demo_db, actor, sid, _count_form(demo_db, actor, sid, 417), {}, client_submission_id=_cid()
    )
    expect(main).to_contain_text(f"1 van {len(stations)}", timeout=WITHIN_MS)
    assert navigations == []  # no reload: the fragment refreshed itself
