"""AppTest: the shell signs users in and shows each role only its own pages."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl.demo import DEMO_PASSWORD, demo_code

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


@pytest.fixture
def app(demo_db_url, app_env):
    app_env(demo_db_url)
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.run()
    return at


def _sign_in_staff(at, username, password):
    at.text_input(key="staff_username").input(username)
    at.text_input(key="staff_password").input(password)
    at.button[1].click().run()
    return at


def test_login_page_is_dutch_by_default_and_switches_to_english(app):
    assert app.title[0].value == "Aanmelden bij Stemdag"
    app.radio(key="lang_choice").set_value("en").run()
    assert app.title[0].value == "Sign in to Stemdag"


def test_chair_signs_in_with_demo_code_and_sees_the_station(app):
    app.text_input(key="chair_code").input(demo_code("GM0392", 1).lower())
    app.button[0].click().run()
    assert not app.exception
    assert app.title[0].value.startswith("Stembureau 1:")


def test_wrong_code_shows_a_clear_message(app):
    app.text_input(key="chair_code").input("AAAA-BBBB-CCCC-DDDD")
    app.button[0].click().run()
    assert "niet bekend" in app.error[0].value
    app.text_input(key="chair_code").input("0000")
    app.button[0].click().run()
    assert "16 tekens" in app.error[0].value


def test_office_signs_in_and_sees_its_own_municipality_only(app):
    _sign_in_staff(app, "office.haarlem", DEMO_PASSWORD)
    assert not app.exception
    assert app.title[0].value == "Verkiezingsdag Haarlem"  # the office lands on the live overview
    app.switch_page("../pages/home_office.py").run()  # "Start": the elections of the municipality
    assert not app.exception
    assert app.title[0].value == "Verkiezingsorganisatie Haarlem"
    table = app.dataframe[0].value
    municipalities = set(table.iloc[:, 2])
    assert municipalities == {"Haarlem (GM0392)"}  # GR2026 today and the imported GR2022, Haarlem only
    assert any("GR2026" in e for e in table.iloc[:, 0])


def test_wrong_password_shows_a_clear_message(app):
    _sign_in_staff(app, "office.haarlem", "wrong-password")
    assert app.error[0].value == "Gebruikersnaam of wachtwoord klopt niet."


def test_a_chair_whose_code_is_revoked_meanwhile_is_signed_out_with_a_message(app):
    from app.domain.access import SYSTEM
    from app.services import codes
    from app.storage.db import session_scope

    app.text_input(key="chair_code").input(demo_code("GM0392", 4))
    app.button[0].click().run()
    assert app.title[0].value.startswith("Stembureau 4:")
    station_id = app.session_state["stemdag_actor"].polling_station_id
    with session_scope() as db:
        codes.revoke_codes(db, SYSTEM, station_id)  # the admin, on another app server
    app.run()  # the chair's next step: the home page reads the station again
    assert not app.exception
    assert app.title[0].value == "Aanmelden bij Stemdag"
    assert any("Uw aanmelding is beëindigd" in i.value for i in app.info)


@pytest.mark.parametrize(
    ("locale", "title"),
    [("en-GB", "Sign in to Stemdag"), ("nl-NL", "Aanmelden bij Stemdag"), ("de-DE", "Aanmelden bij Stemdag")],
)
def test_a_new_session_starts_in_the_browser_language_when_it_is_english(demo_db_url, app_env, locale, title):
    """A reload is a new session: an English browser starts in English again (it went back to Dutch),
    any other starts in Dutch; a choice made in the session still wins."""
    app_env(demo_db_url)
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.context = {"locale": locale}
    at.run()
    assert at.title[0].value == title
    other = "nl" if title.startswith("Sign") else "en"
    at.radio(key="lang_choice").set_value(other).run()
    assert at.title[0].value != title


def _broken_page() -> None:
    raise RuntimeError("a bug in a page")


def test_a_page_that_fails_shows_a_message_in_the_interface_language_not_a_traceback(
    demo_db_url, app_env, monkeypatch
):
    import streamlit as st

    from app.ui import navigation

    app_env(demo_db_url)
    monkeypatch.setattr(
        navigation, "pages_for", lambda actor, sign_out: [st.Page(_broken_page, title="Kapot", default=True)]
    )
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("Deze pagina kon niet worden getoond door een fout in Stemdag.")
