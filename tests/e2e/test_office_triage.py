"""In a real browser: the election office's triage and count review (issue 4 pages, issue 9 test).

Two chairs of West Maas en Waal report through the services: station 1 raises an incident (hostile
text, shown inert) and both submit a count. The office (office.wmw) takes the incident in hand, replies
to the chair and resolves it on the incident page (a compact queue; the incident stays open while it
is handled); on the count review page it checks station 1's whole proces-verbaal, accepts it after
confirming, and returns station 2's with a reason. The database then holds exactly what was done."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.services import auth, chair, counts
from app.storage.chair_models import CountVersion, Incident, IncidentEvent
from etl.demo import demo_code
from tests import chair_day
from tests.e2e.conftest import sign_in_staff

pytestmark = pytest.mark.e2e
HOSTILE = "<img src=x onerror=window.pwned=1> **stembus** kapot"


def _cid() -> str:
    return str(uuid.uuid4())


def _count_form(db, actor, sid: int, admitted: int) -> dict:
    """A valid count: every vote for list 1 (its first candidate under DSO)."""
    return chair_day.count_form(db, actor, sid, [admitted])


def _chair_day(db, number: int, admitted: int, incident: str | None = None) -> int:
    actor = auth.sign_in_chair(db, demo_code("GM0668", number))
    sid = actor.polling_station_id
    items = [i["key"] for i in chair.station_overview(db, actor, sid).checklist_items]
    chair.submit_opening(db, actor, sid, items, client_submission_id=_cid())
    if incident:
        chair.raise_incident(db, actor, sid, "other", incident, severity="high", client_submission_id=_cid())
    chair.submit_closing(db, actor, sid, client_submission_id=_cid(), now=chair_day.today_at(21, 5))
    form = _count_form(db, actor, sid, admitted)
    counts.submit_count(db, actor, sid, form, {}, client_submission_id=_cid())
    return sid


def _nav(page, name: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()


def test_office_triage_and_count_review(live_app, demo_db, page):
    first = _chair_day(demo_db, 1, 321, incident=HOSTILE)
    second = _chair_day(demo_db, 2, 222)

    sign_in_staff(page, live_app, "office.wmw")

    # triage: a compact queue; open the incident, take it in hand (it stays open), reply, resolve
    _nav(page, "Meldingen")
    incident = page.get_by_test_id("stExpander").filter(has_text=re.compile(r"Hoog · stembureau 1 "))
    expect(incident).to_have_count(1)
    expect(incident.get_by_role("button", name="In behandeling nemen")).to_have_count(0)  # closed
    incident.locator("summary").click()
    expect(incident.get_by_text(HOSTILE, exact=True)).to_be_visible()  # inert, as typed
    assert page.evaluate("window.pwned") is None
    incident.get_by_role("button", name="In behandeling nemen").click()
    incident = page.get_by_test_id("stExpander").filter(has_text=re.compile(r"Hoog · .* · In behandeling · "))
    expect(incident).to_have_count(1)
    # still open after acknowledging: its reply and resolve forms are right there
    expect(incident.get_by_label("Reactie aan de voorzitter")).to_be_visible()
    incident.get_by_label("Reactie aan de voorzitter").fill("Er komt een nieuwe stembus, binnen 20 minuten.")
    incident.get_by_role("button", name="Reactie versturen").click()
    expect(page.get_by_test_id("stToast").filter(has_text="Opgeslagen.")).to_be_visible()  # rerun done
    expect(incident.get_by_text("Er komt een nieuwe stembus", exact=False)).to_be_visible()
    incident.get_by_label("Toelichting bij oplossen (optioneel)").fill("Stembus vervangen.")
    incident.get_by_role("button", name="Oplossen").click()
    expect(page.get_by_text("Geen meldingen met deze filters.")).to_be_visible()

    # count review: the first count to review is open with its whole proces-verbaal; accepting needs a
    # confirmation; then the next one opens, and is returned with a reason
    _nav(page, "Tellingen beoordelen")
    one = page.get_by_test_id("stExpander").filter(has_text=re.compile(r"Stembureau 1 .*versie 1"))
    two = page.get_by_test_id("stExpander").filter(has_text=re.compile(r"Stembureau 2 .*versie 1"))
    expect(one).to_have_count(1)
    expect(two).to_have_count(1)
    expect(one.get_by_role("heading", name="Proces-verbaal, versie 1")).to_be_visible()
    admitted = one.get_by_role("row").filter(has_text="D. Totaal toegelaten kiezers")
    expect(admitted).to_contain_text("321")
    expect(one.get_by_role("row").filter(has_text=re.compile(r"^E\.1"))).to_contain_text("321")
    one.get_by_role("button", name="Accepteren").click()
    expect(one.get_by_text("Vink eerst aan dat u het proces-verbaal hebt gecontroleerd.")).to_be_visible()
    one.get_by_text("Ik heb het proces-verbaal van versie 1 gecontroleerd").click()
    one.get_by_role("button", name="Accepteren").click()
    expect(page.get_by_text("Telling geaccepteerd.")).to_be_visible()
    two = page.get_by_test_id("stExpander").filter(has_text=re.compile(r"Stembureau 2 .*versie 1"))
    two.get_by_label("Reden voor terugsturen").fill("Lijst 1 lijkt te hoog; tel opnieuw.")
    two.get_by_role("button", name="Terugsturen naar voorzitter").click()
    expect(page.get_by_text("Telling teruggestuurd.")).to_be_visible()
    expect(page.get_by_text("Geen tellingen.")).to_be_visible()

    demo_db.expire_all()
    inc = demo_db.scalars(select(Incident).where(Incident.polling_station_id == first)).one()
    assert inc.status == "resolved" and inc.text == HOSTILE
    kinds = [
        e.kind
        for e in demo_db.scalars(
            select(IncidentEvent).where(IncidentEvent.incident_id == inc.id).order_by(IncidentEvent.id)
        )
    ]
    assert kinds == ["acknowledge", "reply", "resolve"]
    status = dict(
        demo_db.execute(
            select(CountVersion.polling_station_id, CountVersion.status).where(
                CountVersion.polling_station_id.in_([first, second])
            )
        ).all()
    )
    assert status == {first: "accepted", second: "returned"}
