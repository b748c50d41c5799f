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


def test_day_page_shows_the_latest_reports_and_an_open_help_request_to_withdraw(chair_page, clock):
    """What was last reported stays on the page (from the station's state, also after a reload): the
    stock, the queue and an open request for help with its text (inert) and "Hulp niet meer nodig"."""
    clock(9, 0)
    opening = chair_page("chair_opening.py")
    for box in opening.checkbox:
        box.check()
    opening.button[0].click().run()
    at = chair_page("chair_day.py")
    assert "Laatst gemeld" not in _texts(at)  # nothing reported yet
    at.number_input(key="stock_left").set_value(400)
    at.button[0].click().run()
    at.radio(key="queue_level").set_value("long")
    at.button[1].click().run()
    at.text_input(key="help_note").input(HOSTILE)
    at.button[2].click().run()
    assert not at.exception, at.exception
    at = chair_page("chair_day.py")  # a reload: everything from the station's state
    texts = _texts(at)
    assert "Laatst gemeld om 09:00: nog 400 stembiljetten." in texts
    assert "Laatst gemeld om 09:00: lange rij." in texts
    assert at.radio(key="queue_level").value == "long"
    assert "U heeft om 09:00 om hulp gevraagd. De gemeente ziet uw vraag." in texts
    assert HOSTILE in [t.value for t in at.text] and all("<script>" not in m.value for m in at.markdown)
    assert "Status: Open, met een probleem" in texts  # asking for help is a problem of the station

    clock(9, 20)
    at.button(key="help_withdraw").click().run()
    assert not at.exception, at.exception
    texts = _texts(at)
    assert "Hulpvraag ingetrokken." in texts
    assert "Status: Open" in texts and "met een probleem" not in texts  # the office's map agrees
    assert "U heeft uw hulpvraag om 09:20 ingetrokken." in texts
    assert not [b for b in at.button if b.key == "help_withdraw"]


def test_day_page_shows_the_offices_answer_to_a_request_for_help(chair_page, clock):
    from app.services import chair, office
    from app.storage.db import session_scope
    from tests.chair_day import cid, sign_in

    clock(9, 0)
    with session_scope() as db:
        actor, sid = sign_in(db, "GM0392", 1)
        chair.report_signal(
            db, actor, sid, "need_help", note="Extra potloden nodig", client_submission_id=cid()
        )
        staff = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
        office.handle_help_request(db, staff, sid, note="Bode komt met **potloden**")
    at = chair_page("chair_day.py")
    infos = [i.value for i in at.info]
    assert any(i.startswith("De gemeente heeft uw hulpvraag om ") for i in infos), infos
    assert "Bode komt met **potloden**" in [t.value for t in at.text]  # the office's message, as typed
    assert "Status: Open" not in _texts(at)  # not opened yet: asking for help is no opening
    assert not [b for b in at.button if b.key == "help_withdraw"]


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
    at.selectbox(key="incident_category").set_value("other")
    at.text_area(key="incident_text").input(HOSTILE)
    at.button[0].click().run()
    at = chair_page("chair_incidents.py")
    assert HOSTILE in [t.value for t in at.text]
    assert all("<script>" not in m.value for m in at.markdown)


def test_incident_form_has_no_category_beforehand_and_is_emptied_after_a_report(chair_page):
    """No category is preselected (a fire alarm once landed under a ballot shortage): without one the
    report is refused at the field and what was typed stays; after a report the form is empty and says
    so, so pressing again sends nothing twice."""
    from app.storage.chair_models import Incident
    from app.storage.db import session_scope

    fire = "Brandalarm, gebouw ontruimd."
    at = chair_page("chair_incidents.py")
    assert at.selectbox(key="incident_category").value is None
    assert at.selectbox(key="incident_category").placeholder == "Kies een categorie"
    at.text_area(key="incident_text").input(fire)
    at.radio(key="incident_severity").set_value("high")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Kies een categorie."]
    assert at.text_area(key="incident_text").value == fire  # kept, to choose a category and send again
    with session_scope() as db:
        assert db.scalars(select(Incident)).all() == []

    at.selectbox(key="incident_category").set_value("disturbance")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert next(s.value for s in at.success).startswith("Incident gemeld.")
    assert at.selectbox(key="incident_category").value is None  # emptied: pressing again sends nothing
    assert at.text_area(key="incident_text").value == ""
    assert at.radio(key="incident_severity").value == "medium"
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Kies een categorie."]
    with session_scope() as db:
        stored = db.scalars(select(Incident)).all()
        assert [(i.category, i.severity, i.text) for i in stored] == [("disturbance", "high", fire)]


def test_incident_steps_without_text_show_as_one_line(chair_page):
    """'In behandeling genomen' by the office has no text: one line with time, step and who, not an
    empty 'Office Haarlem:' line; a reply shows its text as typed under its line."""
    import re
    import uuid

    from app.services import chair, office
    from app.storage.db import session_scope

    at = chair_page("chair_incidents.py")
    actor = at.session_state["stemdag_actor"]
    with session_scope() as db:
        raised = chair.raise_incident(
            db,
            actor,
            actor.polling_station_id,
            "technical",
            "Printer kapot",
            client_submission_id=str(uuid.uuid4()),
        )
        staff = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
        office.acknowledge_incident(db, staff, raised.id)
        office.reply_incident(db, staff, raised.id, "Er komt een monteur.")
    at.run()
    captions = [c.value for c in at.caption]
    step = next(c for c in captions if "In behandeling genomen" in c)
    assert re.fullmatch(r"\d\d:\d\d · In behandeling genomen · door .+", step), step
    assert any(re.fullmatch(r"\d\d:\d\d · Reactie · door .+", c) for c in captions), captions
    texts = [t.value for t in at.text]
    assert "Er komt een monteur." in texts
    assert not any(t.rstrip().endswith(":") for t in texts), texts  # no empty 'Office Haarlem:' line


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


def _figures(at) -> dict[str, str]:
    """The boxes of the count as sent (the table of the sent view): label -> number."""
    table = at.table[0].value
    return dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))


def _assert_sent_view(at, version: int, *, just_sent: bool = True) -> None:
    """A count sent and under review: one message, the figures as sent, no form, a correction on request."""
    assert not at.exception, at.exception
    messages = [m.value for m in (*at.success, *at.info, *at.error, *at.warning)]
    sent = f"Versie {version} is verstuurd naar de gemeente."
    assert [m for m in messages if "verstuurd" in m] == [m for m in messages if m.startswith(sent)]
    assert len([m for m in messages if m.startswith(sent)]) == 1, messages
    assert (at.success if just_sent else at.info)[0].value.startswith(sent)
    assert "U voert versie" not in _texts(at)  # no new version until asked for
    assert not at.number_input and not [b for b in at.button if b.key in ("cnt_check", "cnt_submit")]
    assert [b.label for b in at.button if b.key == "cnt_correct"] == ["Ik wil een correctie insturen"]
    assert _figures(at)  # the boxes as sent


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
    _assert_sent_view(at, 1)
    assert HOSTILE in [t.value for t in at.text]  # its explanation, as typed

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

    # returned: the chair starts from what was submitted (candidates and explanations too) and sends a
    # new version
    at = chair_page("chair_count.py")
    assert "Kandidaat 2 opnieuw tellen" in [t.value for t in at.text]
    assert "U voert versie 2 in. Het formulier begint met de getallen van versie 1" in _texts(at)
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
    assert at.text_area(key="cnt_expl_W.201").value == HOSTILE  # carried over from version 1
    at.text_area(key="cnt_expl_W.201").input("Nageteld")
    at.checkbox(key="cnt_confirm").check().run()
    at.button(key="cnt_submit").click().run()
    _assert_sent_view(at, 2)
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
    _assert_sent_view(at, 1)
    # sent: the draft is gone, a reload shows what was sent (no form, nothing kept for a next version)
    at = chair_page("chair_count.py")
    _assert_sent_view(at, 1, just_sent=False)
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
    [f313] = _findings(at, "F.313")
    assert f313.startswith("F.313 D en H zijn gelijk, dus er is geen onverklaard verschil.")
    # it names the question as the page shows it (not "2.3.2", its number on the paper form)
    question = (
        "Zijn er tijdens de stemming dingen opgeschreven die het verschil tussen D en H volledig verklaren?"
    )
    assert at.radio(key="cnt_explained").label == question
    assert f"De vraag „{question}” moet overgeslagen worden." in f313 and "2.3.2" not in _texts(at)
    assert "Antwoord wissen (vraag overslaan)" in f313  # and how
    assert not [b for b in at.button if b.key == "cnt_submit"]
    # the message is rendered right after the explained radio
    order = _order(at)
    assert order[order.index("cnt_explained") + 1].startswith("error:F.313")
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


def _findings(at, code: str) -> list[str]:
    """The messages of a finding shown at the boxes (the summaries start with their count)."""
    return [m.value for m in (*at.error, *at.warning) if m.value.startswith(f"{code} ")]


def _order(at) -> list[str]:
    """The page from top to bottom: widgets by key, messages as ``kind:text``."""
    order = []
    for node in at.main:
        if node.type in ("error", "warning", "success", "info"):
            order.append(f"{node.type}:{node.value}")
        elif getattr(node, "key", None) and node.type not in ("vertical", "horizontal", "expandable"):
            order.append(node.key)
    return order


def test_count_findings_show_once_at_their_box_with_their_figures_in_one_language(chair_page, clock):
    clock(21, 5)
    at = _closed_count_page(chair_page, "GM0268")  # Nijmegen counts centrally (CSO): 15+ lists
    assert len(_keys(at, "cnt_E_")) >= 10
    # E.1 to E.n add up to 450, E says 460; E + F + G = 470, H says 475
    at = _fill_count(at, a=475, d=475, e1=450, e=460, f=10, h=475, compare="equal")
    assert not at.exception
    [f202] = _findings(at, "F.202")  # once, not at every E.x
    assert f202.startswith("F.202 De stemmen op lijsten tellen niet op tot E")
    assert "**450**" in f202 and "**460**" in f202  # added up, and as entered
    [f203] = _findings(at, "F.203")
    assert "**470**" in f203 and "**475**" in f203
    texts = _texts(at)
    assert "do not add up" not in texts and "The votes per list" not in texts  # Dutch only
    # at the box it is most about: F.202 at E, F.203 at H
    order = _order(at)
    assert order[order.index("cnt_votes_candidates_count") + 1] == f"error:{f202}"
    assert order[order.index("cnt_total_votes_cast_count") + 1] == f"error:{f203}"
    # a summary at the top of the form (before box A) with the codes and texts, and again at the check
    summaries = [i for i, item in enumerate(order) if item.startswith("error:**Fouten (2)**")]
    assert len(summaries) == 2
    assert summaries[0] < order.index("cnt_poll_card_count") and summaries[1] > order.index("cnt_check")
    for i in summaries:
        assert "F.202 De stemmen op lijsten tellen niet op tot E" in order[i]
        assert "F.203 E, F en G tellen niet op tot H" in order[i]
    assert not [b for b in at.button if b.key == "cnt_submit"]

    at.session_state["stemdag_lang"] = "en"  # the same in English: English only
    at.run()
    [f202] = _findings(at, "F.202")
    assert f202.startswith("F.202 The votes per list do not add up to E") and "**450**" in f202
    assert "tellen niet op" not in _texts(at)
    assert [e.value for e in at.error if e.value.startswith("**Errors (2)**")]


def test_returned_count_difference_boxes_can_be_emptied_and_f305_says_what_is_needed(chair_page, clock):
    from app.services import counts
    from app.storage.db import session_scope

    clock(21, 5)
    at = _closed_count_page(chair_page, "GM0268")  # CSO
    # version 1: 20 fewer votes counted than voters admitted (J), explained (W.203)
    at = _fill_count(at, a=120, d=120, e1=100, e=100, f=0, h=100, compare="smaller")
    at.number_input(key="cnt_fewer_ballots_count").set_value(20)
    at.radio(key="cnt_explained").set_value("yes")
    at.button(key="cnt_check").click().run()
    assert not at.error, [e.value for e in at.error]
    [w203] = _findings(at, "W.203")
    assert "verschil **20**" in w203
    order = _order(at)  # the warning and its explanation at H
    assert order[
        order.index("cnt_total_votes_cast_count") + 1 : order.index("cnt_total_votes_cast_count") + 3
    ] == [
        f"warning:{w203}",
        "cnt_expl_W.203",
    ]
    at.text_area(key="cnt_expl_W.203").input("20 kiezers namen hun stembiljet mee")
    at.checkbox(key="cnt_confirm").check().run()
    at.button(key="cnt_submit").click().run()
    _assert_sent_view(at, 1)
    assert _figures(at)["J. Aantal minder getelde stemmen (D − H)"] == "20"
    chair_actor = at.session_state["stemdag_actor"]
    with session_scope() as db:
        [version] = counts.my_count_versions(db, chair_actor, chair_actor.polling_station_id)
        office = auth.sign_in_staff(db, "office.nijmegen", DEMO_PASSWORD)
        counts.return_count(db, office, version.id, "A is 100: opnieuw geteld")

    at = chair_page("chair_count.py", "GM0268")
    assert at.number_input(key="cnt_fewer_ballots_count").value == 20  # from version 1
    at.number_input(key="cnt_poll_card_count").set_value(100)
    at.number_input(key="cnt_total_admitted_voters_count").set_value(100)
    at.radio(key="cnt_compare").set_value("equal")
    at.button(key="cnt_check").click().run()
    [f305] = _findings(at, "F.305")  # D = H, J still 20: says so, with the figures
    assert "I en J blijven leeg (of 0)" in f305 and "J = **20**" in f305
    at.number_input(key="cnt_fewer_ballots_count").set_value(None).run()
    assert at.number_input(key="cnt_fewer_ballots_count").value is None  # emptied, not back to 20
    at.button(key="cnt_check").click().run()
    assert "Geen fouten gevonden." in _texts(at) and not _findings(at, "F.305")
    at = chair_page("chair_count.py", "GM0268")  # the emptied box is what the draft keeps
    assert at.number_input(key="cnt_fewer_ballots_count").value is None


def test_a_count_sent_is_corrected_only_on_request_from_the_figures_sent_and_accepted_shows_them(
    chair_page, clock
):
    from app.services import counts
    from app.storage.db import session_scope

    clock(21, 5)
    at = _closed_count_page(chair_page, "GM0268")  # CSO
    at = _fill_count(at, a=100, d=100, e1=100, e=100, f=0, h=100, compare="equal")
    at.checkbox(key="cnt_confirm").check().run()
    at.button(key="cnt_submit").click().run()
    _assert_sent_view(at, 1)
    figures = _figures(at)
    assert figures["A. Stempassen"] == "100" and figures["F. Blanco stemmen"] == "0"
    assert figures["E. Totaal stemmen op kandidaten (E.1 t/m E.n)"] == "100"
    assert figures["Vergelijk D en H"] == "D en H zijn gelijk"
    lists = [k for k in figures if k.startswith("E.")]  # every list's E.x, as sent
    assert len(lists) >= 10 and lists[0].startswith("E.1 Lijst 1: ") and figures[lists[0]] == "100"

    # asked for: the form, starting from the figures sent
    at.button(key="cnt_correct").click().run()
    assert not at.exception
    assert "U maakt een correctie op versie 1" in _texts(at)
    assert at.number_input(key="cnt_poll_card_count").value == 100
    assert at.number_input(key="cnt_E_1").value == 100
    assert at.radio(key="cnt_compare").value == "equal"
    assert not [c for c in at.caption if c.value.startswith("Wat u invulde is bewaard")]  # nothing typed yet
    at.number_input(key="cnt_blank_votes_count").set_value(5).run()
    assert any(c.value.startswith("Wat u invulde is bewaard om") for c in at.caption)
    # a reload: the figures sent first; the correction begun continues where it was
    at = chair_page("chair_count.py", "GM0268")
    _assert_sent_view(at, 1, just_sent=False)
    assert "U was al begonnen aan een correctie" in _texts(at)
    at.button(key="cnt_correct").click().run()
    assert at.number_input(key="cnt_blank_votes_count").value == 5
    # cancelled: back to the figures sent; asked for again, the form starts from them, not from the change
    at.button(key="cnt_correct_cancel").click().run()
    _assert_sent_view(at, 1, just_sent=False)
    at = chair_page("chair_count.py", "GM0268")
    _assert_sent_view(at, 1, just_sent=False)
    assert "U was al begonnen aan een correctie" not in _texts(at)
    at.button(key="cnt_correct").click().run()
    assert at.number_input(key="cnt_blank_votes_count").value == 0

    at = _fill_count(at, a=100, d=100, e1=98, e=98, f=2, h=100, compare="equal")
    at.checkbox(key="cnt_confirm").check().run()
    at.button(key="cnt_submit").click().run()
    _assert_sent_view(at, 2)
    assert _figures(at)["F. Blanco stemmen"] == "2"
    chair_actor = at.session_state["stemdag_actor"]
    with session_scope() as db:
        versions = counts.my_count_versions(db, chair_actor, chair_actor.polling_station_id)
        assert [(v.version, v.status) for v in versions] == [(2, "submitted"), (1, "submitted")]
        office = auth.sign_in_staff(db, "office.nijmegen", DEMO_PASSWORD)
        counts.accept_count(db, office, versions[0].id)

    at = chair_page("chair_count.py", "GM0268")  # accepted: its figures, and no correction any more
    assert not at.exception
    assert at.success[0].value.startswith("Versie 2 is geaccepteerd door de gemeente.")
    assert _figures(at)["F. Blanco stemmen"] == "2"
    assert not at.number_input and not [b for b in at.button if b.key == "cnt_correct"]
