"""AppTest: the chair's pages (issue 3): fill in, submit, errors and warnings at their fields."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.domain.access import Role
from app.services import auth
from etl.demo import demo_code

PAGES = Path(__file__).resolve().parents[2] / "pages"
HOSTILE = "<script>alert(1)</script> **vet** [x](javascript:alert(1)) '; DROP TABLE incident; --"


@pytest.fixture
def chair_page(demo_db_url, app_env):
    app_env(demo_db_url)
    from app.storage.db import session_scope

    with session_scope() as db:
        actor = auth.sign_in_chair(db, demo_code("GM0392", 1))
    assert actor.role is Role.CHAIR

    def open_page(name: str) -> AppTest:
        at = AppTest.from_file(str(PAGES / name), default_timeout=30)
        at.session_state["stemdag_actor"] = actor
        import datetime as dt

        at.session_state["stemdag_signed_in_at"] = dt.datetime.now(dt.UTC)
        at.run()
        assert not at.exception, at.exception
        return at

    return open_page


def _texts(at) -> str:
    parts = [e.value for e in (*at.error, *at.warning, *at.success, *at.info, *at.markdown, *at.caption)]
    return "\n".join(str(p) for p in parts)


def test_opening_checklist_blocks_until_ticked_then_opens(chair_page):
    at = chair_page("chair_opening.py")
    at.button[0].click().run()  # nothing ticked
    assert "checklist" in _texts(at).lower()
    for box in at.checkbox:
        box.check()
    at.button[0].click().run()
    assert not at.exception
    assert "Open sinds" in _texts(at)
    at.number_input(key="members_count").set_value(2)
    at.button[-1].click().run()
    assert "Minder dan 3 leden" in _texts(at)


def test_day_page_reports_stock_queue_and_help(chair_page):
    at = chair_page("chair_day.py")
    at.number_input(key="stock_left").set_value(10)
    at.button[0].click().run()
    assert "Weinig stembiljetten" in _texts(at)
    at.button[1].click().run()
    at.button[2].click().run()
    assert "Opgeslagen" in _texts(at)


def test_turnout_decrease_is_refused_at_the_total(chair_page):
    at = chair_page("chair_turnout.py")
    at.number_input(key="turnout_a").set_value(100)
    at.number_input(key="turnout_b").set_value(5)
    at.button[0].click().run()
    assert "Opgeslagen" in _texts(at)
    at = chair_page("chair_turnout.py")  # next moment preselected
    at.number_input(key="turnout_total").set_value(50)
    at.button[0].click().run()
    assert "mag niet dalen" in _texts(at)
    assert at.number_input(key="turnout_total").value == 50  # what was typed is kept


def test_incident_with_hostile_text_is_shown_inert(chair_page):
    at = chair_page("chair_incidents.py")
    at.text_area(key="incident_text").input(HOSTILE)
    at.button[0].click().run()
    at = chair_page("chair_incidents.py")
    assert HOSTILE in [t.value for t in at.text]
    assert all("<script>" not in m.value for m in at.markdown)


def _fill_count(at, *, a, d, e1, e, f, h, compare):
    at.number_input(key="cnt_poll_card_count").set_value(a)
    at.number_input(key="cnt_proxy_certificate_count").set_value(0)
    at.number_input(key="cnt_total_admitted_voters_count").set_value(d)
    at.number_input(key="cnt_E_1").set_value(e1)
    for n in at.number_input:
        if n.key.startswith("cnt_E_") and n.key != "cnt_E_1":
            n.set_value(0)
    at.number_input(key="cnt_votes_candidates_count").set_value(e)
    at.number_input(key="cnt_blank_votes_count").set_value(f)
    at.number_input(key="cnt_invalid_votes_count").set_value(0)
    at.number_input(key="cnt_total_votes_cast_count").set_value(h)
    at.radio(key="cnt_compare").set_value(compare)
    at.button(key="cnt_check").click().run()
    return at


def test_count_page_blocks_f201_shows_w201_at_its_field_and_submits(chair_page):
    at = chair_page("chair_opening.py")
    for box in at.checkbox:
        box.check()
    at.button[0].click().run()
    at = chair_page("chair_count.py")
    at.button[0].click().run()  # closing
    at = chair_page("chair_count.py")
    at = _fill_count(at, a=100, d=99, e1=100, e=100, f=0, h=100, compare="equal")
    assert any(e.value.startswith("F.201 A en B tellen niet op tot D") for e in at.error)
    assert not [b for b in at.button if b.key == "cnt_submit"]
    at = _fill_count(at, a=100, d=100, e1=90, e=90, f=10, h=100, compare="equal")
    assert any(w.value.startswith("W.201") for w in at.warning)
    at.text_area(key="cnt_expl_W.201").input(HOSTILE)
    at.checkbox(key="cnt_confirm").check().run()
    at.button(key="cnt_submit").click().run()
    assert not at.exception
    assert "Versie 1 is verstuurd" in _texts(at)
    assert HOSTILE in [t.value for t in at.text]
