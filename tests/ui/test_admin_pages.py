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
