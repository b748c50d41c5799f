"""AppTest: the chair's pages (issue 3): fill in, submit, errors and warnings at their fields."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from streamlit.testing.v1 import AppTest

from app.domain.access import Role
from app.services import auth, setup
from etl.demo import DEMO_PASSWORD, demo_code
from tests.chair_day import today_at

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


@pytest.fixture
def clock(monkeypatch):
    """``clock(hour, minute)``: pin the time of day of the pages (``ui.chair.local_now``) and of the
    chair's services (``now_utc``) to today at that time, so that a test does not depend on when it runs."""
    from app.services import chair as chair_service
    from app.ui import chair as chair_ui

    def set_time(hour: int, minute: int = 0) -> dt.datetime:
        now = today_at(hour, minute)
        monkeypatch.setattr(chair_ui, "local_now", lambda: now)
        monkeypatch.setattr(chair_service, "now_utc", lambda: now.astimezone(dt.UTC))
        return now

    return set_time


def _texts(at) -> str:
    parts = [e.value for e in (*at.error, *at.warning, *at.success, *at.info, *at.markdown, *at.caption)]
    return "\n".join(str(p) for p in parts)


def test_opening_checklist_blocks_until_ticked_then_opens(chair_page, clock):
    clock(9, 0)
    at = chair_page("chair_opening.py")
    at.button[0].click().run()  # nothing ticked
    assert "checklist" in _texts(at).lower()
    first = setup.DEFAULT_CHECKLIST[0]
    assert first["nl"] in _texts(at) and first["key"] not in _texts(at)  # the items as on the form
    for box in at.checkbox:
        box.check()
    at.button[0].click().run()
    assert not at.exception
    assert "Open sinds" in _texts(at)
    at.number_input(key="members_count").set_value(2)
    at.button[-1].click().run()
    assert "Minder dan 3 leden" in _texts(at)
    assert "Laatst gemeld: 2 leden." in _texts(at)


def test_opening_time_is_now_by_default_and_a_time_ahead_is_refused_not_replaced(chair_page, clock):
    clock(7, 20)  # opening a little before 07:30
    at = chair_page("chair_opening.py")
    assert at.time_input(key="open_time").value == dt.time(7, 20)
    for box in at.checkbox:
        box.check()
    at.time_input(key="open_time").set_value(dt.time(7, 45))  # a quarter of an hour ahead
    at.button[0].click().run()
    assert "Dit tijdstip ligt in de toekomst." in _texts(at)  # refused, not silently made 07:20
    at.time_input(key="open_time").set_value(dt.time(7, 18))
    at.button[0].click().run()
    assert not at.exception and "Open sinds 07:18" in _texts(at)


def test_members_page_shows_the_members_just_reported_without_a_reload(chair_page, clock):
    clock(9, 0)
    at = chair_page("chair_opening.py")
    at.number_input(key="members_count").set_value(2)
    at.button[-1].click().run()
    at.number_input(key="members_count").set_value(4)
    at.button[-1].click().run()
    assert not at.exception
    assert "Laatst gemeld: 4 leden." in _texts(at) and "Laatst gemeld: 2 leden." not in _texts(at)
    assert "Opgeslagen." in _texts(at) and "Minder dan 3 leden" not in _texts(at)
    assert at.number_input(key="members_count").value == 4
    # another device or a reload (a new session) starts from the members last reported, not from 3
    assert chair_page("chair_opening.py").number_input(key="members_count").value == 4


def test_day_page_reports_stock_queue_and_help(chair_page, clock):
    clock(9, 0)
    opening = chair_page("chair_opening.py")
    for box in opening.checkbox:
        box.check()
    opening.button[0].click().run()
    at = chair_page("chair_day.py")
    assert "Status: Open" in _texts(at)
    at.number_input(key="stock_left").set_value(10)
    at.button[0].click().run()
    assert "Weinig stembiljetten" in _texts(at)
    assert "Status: Open, met een probleem" in _texts(at)  # the status includes the report just made
    assert at.number_input(key="stock_left").value is None
    at.button[1].click().run()
    at.button[2].click().run()
    assert "Opgeslagen" in _texts(at)


def test_turnout_decrease_is_refused_at_the_total(chair_page, clock):
    clock(10, 2)
    at = chair_page("chair_turnout.py")
    assert at.selectbox(key="turnout_moment").value == "10:00"
    at.number_input(key="turnout_a").set_value(100)
    at.number_input(key="turnout_b").set_value(5)
    at.button[0].click().run()
    assert "Opgeslagen" in _texts(at)
    clock(13, 50)
    at = chair_page("chair_turnout.py")
    assert at.selectbox(key="turnout_moment").value == "13:45"  # the moment that has come preselected
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
    """Opened, and closed at 21:00 (reported at 21:05)."""
    at = chair_page("chair_opening.py", municipality)
    for box in at.checkbox:
        box.check()
    at.button[0].click().run()
    at = chair_page("chair_count.py", municipality)
    at.button[0].click().run()  # closing
    return chair_page("chair_count.py", municipality)


def test_count_page_blocks_f201_shows_w201_at_its_field_and_submits(chair_page, clock):
    clock(21, 5)
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


def test_count_page_dso_shows_one_list_at_a_time_keeps_what_was_typed_and_flags_f402(chair_page, clock):
    clock(21, 5)
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


def test_count_page_keeps_what_was_typed_across_a_reload_until_the_count_is_sent(chair_page, clock):
    clock(21, 5)
    at = _closed_count_page(chair_page)  # Haarlem, per candidate (DSO)
    assert not [c for c in at.caption if c.value.startswith("Wat u invulde is bewaard")]  # nothing typed
    at.number_input(key="cnt_poll_card_count").set_value(100).run()
    at.button(key="cnt_next_list").click().run()
    at.number_input(key="cnt_cand_2_1").set_value(7).run()
    at.number_input(key="cnt_ctot_2").set_value(7).run()
    at.radio(key="cnt_compare").set_value("equal").run()
    assert any(c.value.startswith("Wat u invulde is bewaard om") for c in at.caption)

    # a reload (a new session of the same chair): the form starts from the draft
    at = chair_page("chair_count.py")
    assert at.number_input(key="cnt_poll_card_count").value == 100
    assert at.radio(key="cnt_compare").value == "equal"
    at.selectbox(key="cnt_list").select(2).run()
    assert (at.number_input(key="cnt_cand_2_1").value, at.number_input(key="cnt_ctot_2").value) == (7, 7)
    assert any(c.value.startswith("Wat u invulde is bewaard om") for c in at.caption)

    at.number_input(key="cnt_cand_2_1").set_value(0)
    at.number_input(key="cnt_ctot_2").set_value(0).run()
    at.selectbox(key="cnt_list").select(1).run()
    at = _fill_count(at, a=100, d=100, e1=100, e=100, f=0, h=100, compare="equal")
    at.checkbox(key="cnt_confirm").check().run()
    at.button(key="cnt_submit").click().run()
    assert "Versie 1 is verstuurd" in _texts(at)
    # sent: the draft is gone, a reload shows an empty form for a next version
    at = chair_page("chair_count.py")
    assert at.number_input(key="cnt_poll_card_count").value is None
    assert not [c for c in at.caption if c.value.startswith("Wat u invulde is bewaard")]


def test_count_page_cso_counts_per_list_only(chair_page, clock):
    clock(21, 5)
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


def test_turnout_lists_only_moments_that_have_come_and_shows_the_report_at_once(chair_page, clock):
    clock(11, 34)
    at = chair_page("chair_turnout.py")
    assert at.selectbox(key="turnout_moment").options == ["10:00"]  # 13:45, 17:45, 21:00 not yet
    assert "Nog niet te melden (het moment is nog niet aangebroken): 13:45, 17:45, 21:00." in _texts(at)
    at.number_input(key="turnout_total").set_value(150)
    at.button[0].click().run()
    assert not at.exception
    assert "Opgeslagen." in _texts(at)
    assert "**10:00**: 150" in _texts(at)  # the list of reports includes it without a reload
    assert at.number_input(key="turnout_total").value is None
    at.number_input(key="turnout_total").set_value(140)
    at.checkbox(key="turnout_is_correction").check()
    at.text_input(key="turnout_reason").input("Verkeerd geteld")
    at.button[0].click().run()
    assert "**10:00**: 140 (te laat, correctie)" in _texts(at) and "**10:00**: 150" not in _texts(at)


def test_turnout_before_the_first_moment_cannot_be_reported_yet(chair_page, clock):
    clock(8, 0)
    at = chair_page("chair_turnout.py")
    assert "Het eerste opkomstmoment is 10:00." in _texts(at)
    assert not at.button


def _opened(chair_page):
    at = chair_page("chair_opening.py")
    for box in at.checkbox:
        box.check()
    at.button[0].click().run()


def _closing(db_actor_station):
    from sqlalchemy import select

    from app.storage.chair_models import StationState
    from app.storage.db import session_scope
    from app.storage.models import AuditLog

    with session_scope() as db:
        state = db.get(StationState, db_actor_station)
        audit = db.scalars(
            select(AuditLog)
            .where(AuditLog.action == "station_closed", AuditLog.polling_station_id == db_actor_station)
            .order_by(AuditLog.id.desc())
        ).first()
        return state.closed_at, (audit.after if audit else None)


def test_closing_in_the_morning_needs_a_confirmation_and_a_reason(chair_page, clock):
    now = clock(11, 34)
    _opened(chair_page)
    at = chair_page("chair_count.py")
    sid = at.session_state["stemdag_actor"].polling_station_id
    assert at.time_input(key="closing_time").value == dt.time(11, 34)  # now, not 21:00
    assert "Dit stembureau sluit om 21:00." in _texts(at)
    at.button[0].click().run()  # one tap: refused, nothing closed
    assert "Het stembureau sluit om 21:00. Sluit u eerder" in _texts(at)
    assert _closing(sid) == (None, None)
    at.time_input(key="closing_time").set_value(dt.time(21, 0))
    at.checkbox(key="closing_early").check()
    at.text_input(key="closing_early_reason").input("Brand in het gebouw")
    at.button[0].click().run()  # 21:00 at 11:34: in the future
    assert "ligt in de toekomst" in _texts(at)
    assert at.text_input(key="closing_early_reason").value == "Brand in het gebouw"  # kept
    at.time_input(key="closing_time").set_value(dt.time(11, 30))
    at.button[0].click().run()
    assert not at.exception
    closed_at, after = _closing(sid)
    assert closed_at == now - dt.timedelta(minutes=4)
    assert after["early_reason"] == "Brand in het gebouw"
    assert [b for b in at.button if b.key == "cnt_check"]  # counting has started


def test_closing_after_the_closing_time_stores_the_time_entered(chair_page, clock):
    clock(21, 12)
    _opened(chair_page)
    at = chair_page("chair_count.py")
    sid = at.session_state["stemdag_actor"].polling_station_id
    assert at.time_input(key="closing_time").value == dt.time(21, 0)
    at.button[0].click().run()
    assert not at.exception
    closed_at, after = _closing(sid)
    assert closed_at == today_at(21, 0) and "early_reason" not in after


def test_f313_shows_at_the_question_and_the_answer_can_be_cleared(chair_page, clock):
    clock(21, 5)
    at = _closed_count_page(chair_page)  # Haarlem, DSO
    at.radio(key="cnt_explained").set_value("yes")
    at = _fill_count(at, a=100, d=100, e1=100, e=100, f=0, h=100, compare="equal")
    assert not at.exception
    errs = [e.value for e in at.error]
    assert any(e.startswith("F.313 D en H zijn gelijk") for e in errs)
    assert not [b for b in at.button if b.key == "cnt_submit"]
    # the message is rendered right after the explained radio
    at.button(key="cnt_explained_clear").click().run()
    assert not at.exception
    assert at.radio(key="cnt_explained").value is None
    assert not [e for e in at.error if e.value.startswith("F.313")]
    assert not [b for b in at.button if b.key == "cnt_explained_clear"]
    at.checkbox(key="cnt_confirm").check().run()
    at.button(key="cnt_submit").click().run()
    assert "Versie 1 is verstuurd" in _texts(at)


def test_count_page_dso_without_candidates_says_so_and_keeps_the_draft(chair_page, clock):
    from app.storage.db import session_scope
    from app.storage.models import Candidate, PoliticalGroup

    with session_scope() as db:
        gids = db.scalars(select(PoliticalGroup.id).where(PoliticalGroup.municipality_code == "GM0392")).all()
        db.execute(delete(Candidate).where(Candidate.political_group_id.in_(gids)))
        db.commit()
    clock(21, 5)
    at = _closed_count_page(chair_page)
    assert not at.exception
    assert any("kandidatenlijsten" in w.value for w in at.warning)
    at = _fill_count(at, a=100, d=100, e1=100, e=100, f=0, h=100, compare="equal")
    assert not at.exception
    assert any("kandidatenlijsten" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "cnt_submit"]
    assert any(c.value.startswith("Wat u invulde is bewaard om") for c in at.caption)
    at = chair_page("chair_count.py")
    assert at.number_input(key="cnt_poll_card_count").value == 100


def test_f313_answer_cleared_after_a_reload_from_the_draft(chair_page, clock):
    clock(21, 5)
    at = _closed_count_page(chair_page)
    at.radio(key="cnt_explained").set_value("no")
    at = _fill_count(at, a=100, d=100, e1=100, e=100, f=0, h=100, compare="equal")
    assert any(e.value.startswith("F.313") for e in at.error)
    at = chair_page("chair_count.py")  # reload: the draft has "no"
    assert at.radio(key="cnt_explained").value == "no"
    at.button(key="cnt_explained_clear").click().run()
    assert not at.exception
    assert at.radio(key="cnt_explained").value is None
    assert not at.warning
    at.button(key="cnt_check").click().run()
    assert not [e for e in at.error if e.value.startswith("F.")], [e.value for e in at.error]
    at = chair_page("chair_count.py")  # the cleared answer is what the draft keeps
    assert at.radio(key="cnt_explained").value is None
