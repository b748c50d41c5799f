"""In a real browser: both sides of an incident refresh themselves, without a reload and without losing
what is being typed (the app runs with STEMDAG_REFRESH_SECONDS=2; AppTest never fires ``run_every``).

The office has the Meldingen page open: a chair raises an incident (through the chair's services,
against the same database) and it appears; the office opens it and starts typing a reply; a "Hoog"
incident arrives above it and a colleague takes the first in hand: the incident is still open, the reply
typed so far is still there with the cursor in it, and it is sent as typed. The chair has the Incidenten
page open with a new report half typed: the office's reply appears under the chair's incident, and the
half-typed report is still there. And when a colleague resolves the incident the office is replying to,
it stays open (it no longer matches the filter), says so, and the reply typed so far is kept and sent."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.services import auth, chair, office
from app.storage.chair_models import Incident, IncidentEvent
from etl.demo import DEMO_PASSWORD, demo_code
from tests import chair_day
from tests.e2e.conftest import sign_in_staff, start_app, stop_app

pytestmark = pytest.mark.e2e
REFRESH_SECONDS = 2
#: a refresh interval, the cache's time to live (half of it) and slack for a busy test machine
WITHIN_MS = (REFRESH_SECONDS + REFRESH_SECONDS // 2) * 1000 + 6000
REPLY = "Er komt een brandweerman kijken; blijf buiten wachten."


@pytest.fixture
def fast_app(demo_db_url):
    proc, url = start_app(demo_db_url, extra_env={"STEMDAG_REFRESH_SECONDS": str(REFRESH_SECONDS)})
    yield url
    stop_app(proc)


def _line(page, pattern: str):
    return page.get_by_test_id("stExpander").filter(has_text=re.compile(pattern))


def test_a_new_incident_appears_on_the_open_queue_and_a_reply_being_typed_survives(fast_app, demo_db, page):
    sign_in_staff(page, fast_app, "office.wmw", open_page="Meldingen")
    expect(page.get_by_text("Geen meldingen met deze filters.")).to_be_visible()
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    def raise_at(number: int, category: str, text: str, severity: str) -> int:
        actor, sid = chair_day.sign_in(demo_db, "GM0668", number)
        chair_day.open_station(demo_db, actor, sid)
        return chair.raise_incident(
            demo_db, actor, sid, category, text, severity=severity, client_submission_id=chair_day.cid()
        ).id

    absent = raise_at(2, "member_absent", "Een lid is ziek.", "medium")
    incident = _line(page, r"Middel · stembureau 2 .* · Open · ")
    expect(incident).to_have_count(1, timeout=WITHIN_MS)  # without a reload

    incident.locator("summary").click()
    reply = incident.get_by_label("Reactie aan de voorzitter")
    reply.click()
    page.keyboard.type(REPLY[:30])  # typing, not sent yet

    # while the office types, a more severe incident arrives (above this one) and a colleague takes this
    # one in hand: the list is drawn again around it
    raise_at(1, "disturbance", "Brandalarm, gebouw ontruimd.", "high")
    expect(_line(page, r"Hoog · stembureau 1 ")).to_have_count(1, timeout=WITHIN_MS)
    colleague = auth.sign_in_staff(demo_db, "office.wmw", DEMO_PASSWORD)
    office.acknowledge_incident(demo_db, colleague, absent)
    expect(incident.get_by_text("Status nu: In behandeling", exact=False)).to_be_visible(timeout=WITHIN_MS)
    page.wait_for_timeout(REFRESH_SECONDS * 1000 + 500)  # and one refresh more, while nothing changes

    # still open, the text still there and the cursor still in it: typing simply goes on
    page.keyboard.type(REPLY[30:])
    expect(reply).to_have_value(REPLY)
    incident.get_by_role("button", name="Reactie versturen").click()
    expect(page.get_by_test_id("stToast").filter(has_text="Opgeslagen.")).to_be_visible()
    incident = _line(page, r"Middel · stembureau 2 .* · In behandeling · ")  # its line now says so
    expect(incident.get_by_label("Reactie aan de voorzitter")).to_have_value("")  # sent: emptied
    expect(incident.get_by_text(REPLY, exact=False)).to_be_visible()
    assert navigations == []  # no reload: the fragment refreshed itself

    demo_db.expire_all()
    replies = demo_db.scalars(
        select(IncidentEvent.text).where(IncidentEvent.incident_id == absent, IncidentEvent.kind == "reply")
    ).all()
    assert replies == [REPLY]


def test_a_reply_being_typed_survives_a_colleague_resolving_the_incident(fast_app, demo_db, page):
    sign_in_staff(page, fast_app, "office.wmw", open_page="Meldingen")
    actor, sid = chair_day.sign_in(demo_db, "GM0668", 3)
    chair_day.open_station(demo_db, actor, sid)
    raised = chair.raise_incident(
        demo_db,
        actor,
        sid,
        "technical",
        "Printer kapot.",
        severity="medium",
        client_submission_id=chair_day.cid(),
    ).id
    incident = _line(page, r"Middel · stembureau 3 ")
    expect(incident).to_have_count(1, timeout=WITHIN_MS)
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    incident.locator("summary").click()
    reply = incident.get_by_label("Reactie aan de voorzitter")
    reply.click()
    page.keyboard.type(REPLY[:30])  # typing, not sent yet

    colleague = auth.sign_in_staff(demo_db, "office.wmw", DEMO_PASSWORD)
    office.resolve_incident(demo_db, colleague, raised, "Printer vervangen.")
    # the next refresh: resolved, so no longer in the default filter, yet still open and saying so
    expect(incident.get_by_text("Intussen opgelost door ", exact=False)).to_be_visible(timeout=WITHIN_MS)
    expect(incident.get_by_text("Deze reactie wordt toegevoegd aan een opgeloste melding.")).to_be_visible()
    expect(incident.get_by_role("button", name="In behandeling nemen")).to_have_count(0)
    page.wait_for_timeout(REFRESH_SECONDS * 1000 + 500)  # and one refresh more, while nothing changes

    page.keyboard.type(REPLY[30:])  # the cursor is still in it: typing simply goes on
    expect(reply).to_have_value(REPLY)
    incident.get_by_role("button", name="Reactie versturen", exact=True).click()
    expect(page.get_by_test_id("stToast").filter(has_text="Opgeslagen.")).to_be_visible()
    expect(incident.get_by_text(REPLY, exact=False)).to_be_visible()
    assert navigations == []

    demo_db.expire_all()
    assert demo_db.get(Incident, raised).status == "resolved"
    replies = demo_db.scalars(
        select(IncidentEvent.text).where(IncidentEvent.incident_id == raised, IncidentEvent.kind == "reply")
    ).all()
    assert replies == [REPLY]


def test_the_office_reply_appears_on_the_chairs_open_incident_page(fast_app, demo_db, page):
    page.goto(fast_app)
    page.get_by_role("textbox", name="Toegangscode van het stembureau").fill(demo_code("GM0668", 1))
    page.get_by_role("button", name="Aanmelden").filter(visible=True).click()
    expect(page.get_by_role("heading", name="Stembureau 1:", exact=False)).to_be_visible()
    actor, sid = chair_day.sign_in(demo_db, "GM0668", 1)
    chair_day.open_station(demo_db, actor, sid)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Incidenten").click()

    # report an incident: a category must be chosen; afterwards the form is empty and says so
    text = page.get_by_label("Wat is er aan de hand?")
    text.fill("Brandalarm, gebouw ontruimd.")
    page.get_by_role("button", name="Incident melden").click()
    expect(page.get_by_text("Kies een categorie.")).to_be_visible()
    expect(text).to_have_value("Brandalarm, gebouw ontruimd.")
    page.get_by_role("combobox", name="Categorie").click()
    page.get_by_role("option", name="Verstoring / veiligheid").click()
    page.get_by_role("button", name="Incident melden").click()
    expect(page.get_by_text("Incident gemeld.", exact=False)).to_be_visible()
    expect(text).to_have_value("")
    expect(page.get_by_text("Nog geen reactie.")).to_be_visible()
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    text.press_sequentially("Nog een: de deur klemt")  # a next report, half typed
    raised = demo_db.scalars(select(Incident).where(Incident.polling_station_id == sid)).one()
    staff = auth.sign_in_staff(demo_db, "office.wmw", DEMO_PASSWORD)
    office.acknowledge_incident(demo_db, staff, raised.id)
    office.reply_incident(demo_db, staff, raised.id, REPLY)
    expect(page.get_by_text(REPLY, exact=True)).to_be_visible(timeout=WITHIN_MS)  # without a reload
    expect(page.get_by_text(re.compile(r"^\d\d:\d\d · In behandeling genomen · door "))).to_be_visible()
    expect(text).to_have_value("Nog een: de deur klemt")  # the form is not redrawn by the refresh
    assert navigations == []
