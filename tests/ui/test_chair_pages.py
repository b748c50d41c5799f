"""AppTest: the chair's pages (issue 3): fill in, submit, errors and warnings at their fields."""

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.domain.access import Role
from app.services import auth
from etl.demo import DEMO_PASSWORD, demo_code

PAGES = Path(__file__).resolve().parents[2] / "pages"
HOSTILE = "<script>alert(1)</script> **vet** [x](javascript:alert(1)) '; DROP TABLE incident; --"


@pytest.fixture
def chair_page(demo_db_url, app_env):
    """``open_page(name, municipality)``: a page as the chair of station 1 of ``municipality`` (Haarlem,
    decentral counting, unless told)."""
    app_env(demo_db_url)
    from app.storage.db import session_scope

    actors = {}

    def open_page(name: str, municipality: str = "GM0392") -> AppTest:
        if municipality not in actors:
            with session_scope() as db:
                actors[municipality] = auth.sign_in_chair(db, demo_code(municipality, 1))
        actor = actors[municipality]
        assert actor.role is Role.CHAIR
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


def _keys(at, prefix: str) -> list[str]:
    return [n.key for n in at.number_input if n.key.startswith(prefix)]


def _fill_count(at, *, a, d, e1, e, f, h, compare, candidates=None):
    """Fill in the count: all list votes on list 1 (``e1``). Under decentral counting list 1's
    ``candidates`` votes (default: ``e1`` over candidates 1 and 2) and its list total ``e1``."""
    at.number_input(key="cnt_poll_card_count").set_value(a)
    at.number_input(key="cnt_proxy_certificate_count").set_value(0)
    at.number_input(key="cnt_total_admitted_voters_count").set_value(d)
    at.number_input(key="cnt_E_1").set_value(e1)
    for key in _keys(at, "cnt_E_"):
        if key != "cnt_E_1":
            at.number_input(key=key).set_value(0)
    if _keys(at, "cnt_cand_"):
        assert at.selectbox(key="cnt_list").value == 1
        for c, votes in enumerate(candidates or [e1 - e1 // 3, e1 // 3], start=1):
            at.number_input(key=f"cnt_cand_1_{c}").set_value(votes)
        at.number_input(key="cnt_ctot_1").set_value(e1)
    at.number_input(key="cnt_votes_candidates_count").set_value(e)
    at.number_input(key="cnt_blank_votes_count").set_value(f)
    at.number_input(key="cnt_invalid_votes_count").set_value(0)
    at.number_input(key="cnt_total_votes_cast_count").set_value(h)
    at.radio(key="cnt_compare").set_value(compare)
    at.button(key="cnt_check").click().run()
    return at


def _closed_count_page(chair_page, municipality: str = "GM0392") -> AppTest:
    at = chair_page("chair_opening.py", municipality)
    for box in at.checkbox:
        box.check()
    at.button[0].click().run()
    at = chair_page("chair_count.py", municipality)
    at.button[0].click().run()  # closing
    return chair_page("chair_count.py", municipality)


def test_count_page_blocks_f201_shows_w201_at_its_field_and_submits(chair_page):
    at = _closed_count_page(chair_page)  # Haarlem counts per candidate (DSO)
    at = _fill_count(at, a=100, d=99, e1=100, e=100, f=0, h=100, compare="equal")
    assert any(e.value.startswith("F.201 A en B tellen niet op tot D") for e in at.error)
    assert not [e for e in at.error if e.value.startswith("F.4")]  # list 1 adds up
    assert not [b for b in at.button if b.key == "cnt_submit"]
    at = _fill_count(at, a=100, d=100, e1=90, e=90, f=10, h=100, compare="equal")
    assert not at.error
    assert any(w.value.startswith("W.201") for w in at.warning)
    at.text_area(key="cnt_expl_W.201").input(HOSTILE)
    at.checkbox(key="cnt_confirm").check().run()
    at.button(key="cnt_submit").click().run()
    assert not at.exception
    assert "Versie 1 is verstuurd" in _texts(at)
    assert HOSTILE in [t.value for t in at.text]

    assert at.number_input(key="cnt_cand_1_1").value is None  # the form is empty for a next version

    from app.services import counts
    from app.storage.db import session_scope

    chair_actor = at.session_state["stemdag_actor"]
    with session_scope() as db:
        [version] = counts.my_count_versions(db, chair_actor, chair_actor.polling_station_id)
        first = next(g for g in version.form["political_group_votes"] if g["number"] == 1)
        assert (first["total"], first["candidates_total"], first["candidate_votes"][:3]) == (
            90,
            90,
            [60, 30, 0],
        )
        assert version.explanations == {"W.201": HOSTILE}
        office = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
        counts.return_count(db, office, version.id, "Kandidaat 2 opnieuw tellen")

    # returned: the chair starts from what was submitted (candidates too) and sends a new version
    at = chair_page("chair_count.py")
    assert "Kandidaat 2 opnieuw tellen" in [t.value for t in at.text]
    assert [
        at.number_input(key=k).value for k in ("cnt_cand_1_1", "cnt_cand_1_2", "cnt_ctot_1", "cnt_E_1")
    ] == [
        60,
        30,
        90,
        90,
    ]
    at.number_input(key="cnt_cand_1_1").set_value(59)
    at.number_input(key="cnt_cand_1_2").set_value(31)
    at.button(key="cnt_check").click().run()
    assert not [e for e in at.error if e.value.startswith("F.")] and "Geen fouten gevonden." in _texts(at)
    assert any(w.value.startswith("W.201") for w in at.warning)
    at.text_area(key="cnt_expl_W.201").input("Nageteld")
    at.checkbox(key="cnt_confirm").check().run()
    at.button(key="cnt_submit").click().run()
    assert "Versie 2 is verstuurd" in _texts(at)
    with session_scope() as db:
        versions = counts.my_count_versions(db, chair_actor, chair_actor.polling_station_id)
    assert [(v.version, v.status) for v in versions] == [(2, "submitted"), (1, "returned")]
    first = next(g for g in versions[0].form["political_group_votes"] if g["number"] == 1)
    assert first["candidate_votes"][:2] == [59, 31]


def test_count_page_dso_shows_one_list_at_a_time_keeps_what_was_typed_and_flags_f402(chair_page):
    at = _closed_count_page(chair_page)
    lists = at.selectbox(key="cnt_list").options
    assert len(lists) >= 10
    shown = _keys(at, "cnt_cand_")
    assert shown and all(k.startswith("cnt_cand_1_") for k in shown)  # list 1 only
    assert all(n.label for n in at.number_input)  # every input labelled
    at.button(key="cnt_next_list").click().run()
    assert at.selectbox(key="cnt_list").value == 2
    assert _keys(at, "cnt_cand_") and all(k.startswith("cnt_cand_2_") for k in _keys(at, "cnt_cand_"))
    at.number_input(key="cnt_cand_2_1").set_value(7).run()
    at.number_input(key="cnt_cand_2_3").set_value(5).run()
    at.number_input(key="cnt_ctot_2").set_value(13).run()
    assert any("Opgeteld: **12** · totaal lijst: **13**" in m.value for m in at.markdown)
    at.selectbox(key="cnt_list").select(1).run()
    assert not [k for k in _keys(at, "cnt_cand_") if k.startswith("cnt_cand_2_")]
    at.selectbox(key="cnt_list").select(2).run()
    assert (at.number_input(key="cnt_cand_2_1").value, at.number_input(key="cnt_cand_2_3").value) == (7, 5)
    at.selectbox(key="cnt_list").select(1).run()
    at = _fill_count(at, a=100, d=100, e1=88, e=100, f=0, h=100, compare="equal")
    at.number_input(key="cnt_E_2").set_value(12)
    at.button(key="cnt_check").click().run()
    # list 2 is not shown: its F.402 (12 for the candidates, 13 as total) and F.403 show at E.2
    assert any(e.value.startswith("F.402") for e in at.error)
    assert any(e.value.startswith("F.403") for e in at.error)
    assert any("Opgeteld: **12** · totaal lijst: **13**" in c.value for c in at.caption)
    assert not [b for b in at.button if b.key == "cnt_submit"]


def test_count_page_cso_counts_per_list_only(chair_page):
    at = _closed_count_page(chair_page, "GM0268")  # Nijmegen counts centrally (CSO)
    assert not _keys(at, "cnt_cand_") and not _keys(at, "cnt_ctot_")
    assert not [s for s in at.selectbox if s.key == "cnt_list"]
    at = _fill_count(at, a=100, d=100, e1=100, e=100, f=0, h=100, compare="equal")
    assert not at.error and not at.warning
    at.checkbox(key="cnt_confirm").check().run()
    at.button(key="cnt_submit").click().run()
    assert not at.exception
    assert "Versie 1 is verstuurd" in _texts(at)


def _links(at) -> list[str]:
    return [link.proto.label for link in at.get("page_link")]


def test_home_says_what_to_do_now_and_links_every_task(chair_page, monkeypatch):
    from app.ui import chair as chair_ui

    # 09:00 on the day: open, no turnout moment due yet (at another time of day the next step differs)
    nine = dt.datetime.combine(dt.date.today(), dt.time(9, 0), tzinfo=chair_ui.TZ)
    monkeypatch.setattr(chair_ui, "local_now", lambda: nine)
    at = chair_page("home_chair.py")
    assert not at.exception, at.exception
    links = _links(at)
    assert "Meld de opening van het stembureau" in _texts(at)
    assert links[0] == "Opening en leden"  # the next step's page comes first
    assert {"Opening en leden", "Tijdens de dag", "Opkomst", "Incidenten", "Sluiting en telling"} <= set(
        links
    )
    assert "Status: Nog niet open" in _texts(at)
    opening = chair_page("chair_opening.py")
    for box in opening.checkbox:
        box.check()
    opening.button[0].click().run()
    at = chair_page("home_chair.py")
    assert "Open sinds" in _texts(at)
    assert "Meld de opening" not in _texts(at) and "Meld het aantal aanwezige leden" in _texts(at)
