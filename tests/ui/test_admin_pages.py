"""AppTest: the one-time link route, and the administration pages."""

from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from app.domain.access import SYSTEM
from app.services import links
from app.storage.db import session_scope
from app.storage.models import PollingStation

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


@pytest.fixture
def env(demo_db_url, app_env):
    app_env(demo_db_url)
    return demo_db_url


def _token(municipality="GM0392", number=1):
    with session_scope() as db:
        station = db.scalar(
            select(PollingStation).where(
                PollingStation.municipality_code == municipality, PollingStation.number == number
            )
        )
        return links.issue_link(db, SYSTEM, station.id)


def test_a_one_time_link_signs_the_chair_in_once_and_leaves_the_url(env):
    token = _token()
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.query_params["token"] = token
    at.run()
    assert not at.exception
    assert at.title[0].value.startswith("Stembureau 1:")
    assert "token" not in at.query_params
    again = AppTest.from_file(MAIN, default_timeout=30)
    again.query_params["token"] = token
    again.run()
    assert again.title[0].value == "Aanmelden bij Stemdag"
    assert "al gebruikt" in again.error[0].value


def _sign_in_staff(at, username):
    from etl.demo import DEMO_PASSWORD

    at.text_input(key="staff_username").input(username)
    at.text_input(key="staff_password").input(DEMO_PASSWORD)
    at.button[1].click().run()
    return at


@pytest.mark.parametrize("page", ["admin_accounts", "admin_election", "admin_access", "admin_audit"])
def test_admin_pages_render_for_a_municipal_admin(env, page):
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.run()
    _sign_in_staff(at, "admin.haarlem")
    at.switch_page(f"../pages/{page}.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    text = " ".join(str(e.value) for e in at.dataframe) if at.dataframe else ""
    assert "GM0268" not in text  # nothing of Nijmegen


def test_audit_page_for_office_shows_own_municipality_only(env):
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.run()
    _sign_in_staff(at, "office.haarlem")
    at.switch_page("../pages/admin_audit.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) >= 1 and set(table["gemeente"]) <= {"GM0392"}


def test_public_page_for_anonymous_users_holds_only_aggregates(env):
    from app.services import admin, chair
    from tests import chair_day as day

    with session_scope() as db:  # two stations report through the chair's services
        s1, sid1 = day.sign_in(db, "GM0392", 1)
        s2, sid2 = day.sign_in(db, "GM0392", 2)
        for actor, sid in ((s1, sid1), (s2, sid2)):
            day.open_station(db, actor, sid)
        day.turnout(db, s1, sid1, "10:00", 150)
        day.turnout(db, s2, sid2, "10:00", 90)
        chair.raise_incident(db, s1, sid1, "technical", "Stroom uitgevallen", client_submission_id=day.cid())
        for actor, sid in ((s1, sid1), (s2, sid2)):
            day.close_station(db, actor, sid)
        day.submit_count(db, s1, sid1, [70, 29], blank=1)
        day.submit_count(db, s2, sid2, [40, 59], blank=1)
    with session_scope() as db:
        admin.set_public_page(db, SYSTEM, "GM0392", True)
        station_names = [
            s
            for (s,) in db.execute(
                select(PollingStation.name).where(PollingStation.municipality_code == "GM0392")
            )
        ]
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.run()
    at.switch_page("../pages/public.py").run()
    assert not at.exception
    assert at.title[0].value == "Opkomst en voorlopige uitslag"
    assert at.selectbox(key="public_muni").options == ["Haarlem"]  # only municipalities that opted in
    shown = " ".join(
        [str(x.value) for x in at.markdown]
        + [str(x.value) for x in at.subheader]
        + [x.value.to_csv() for x in at.dataframe]
    )
    assert "Haarlem" in shown
    assert not any(name in shown for name in station_names)
    assert "incident" not in shown.lower() and "Stroom" not in shown
    turnout = at.dataframe[0].value
    assert turnout.iloc[0]["Moment"] == "10:00" and turnout.iloc[0]["Toegelaten kiezers"] == 240
    result = at.dataframe[1].value.set_index("Lijst")["Stemmen"]
    assert list(result.iloc[:2]) == [70 + 40, 29 + 59] and result.sum() == 198
    assert "2 van " in at.caption[0].value and "ingediend door het stembureau (2)" in at.caption[0].value
