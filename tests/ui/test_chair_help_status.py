"""AppTest: the status of the chair's request for help on "Tijdens de dag" refreshes itself (a fragment
with ``run_every``; AppTest never fires it, so: the status is drawn inside that fragment, and a plain
rerun shows the office's answer), while the request form stays outside it (a refresh never redraws what
is being typed); an open request shows every text, oldest first with its time, as plain text."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.services import auth
from etl.demo import DEMO_PASSWORD, demo_code
from tests.chair_day import cid, sign_in, today_at

PAGE = Path(__file__).resolve().parents[2] / "pages" / "chair_day.py"
HOSTILE = "<b>Stembus</b> **vol** [x](javascript:alert(1))"


@pytest.fixture
def day_page(demo_db_url, app_env, monkeypatch):
    """``open_page(hour, minute)``: "Tijdens de dag" as the chair of Haarlem station 1, with the chair's
    services pinned to today at that time."""
    app_env(demo_db_url)
    from app.services import chair as chair_service
    from app.storage.db import session_scope

    with session_scope() as db:
        actor = auth.sign_in_chair(db, demo_code("GM0392", 1))

    def open_page() -> AppTest:
        at = AppTest.from_file(str(PAGE), default_timeout=30)
        at.session_state["stemdag_actor"] = actor
        at.session_state["stemdag_signed_in_at"] = dt.datetime.now(dt.UTC)
        at.run()
        assert not at.exception, at.exception
        return at

    def set_time(hour: int, minute: int = 0) -> None:
        now = today_at(hour, minute)
        monkeypatch.setattr(chair_service, "now_utc", lambda: now.astimezone(dt.UTC))

    open_page.set_time = set_time  # type: ignore[attr-defined]
    return open_page


def _ask(note: str) -> None:
    from app.services import chair
    from app.storage.db import session_scope

    with session_scope() as db:
        actor, sid = sign_in(db, "GM0392", 1)
        chair.report_signal(db, actor, sid, "need_help", note=note, client_submission_id=cid())


def _handle(note: str) -> None:
    from app.services import office
    from app.storage.db import session_scope

    with session_scope() as db:
        _actor, sid = sign_in(db, "GM0392", 1)
        staff = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
        office.handle_help_request(db, staff, sid, note=note)


def _texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.warning, *at.info, *at.success, *at.markdown, *at.caption)]
    return "\n".join(str(p) for p in parts)


def test_help_status_refreshes_while_a_request_is_open_and_the_form_is_outside_it():
    """AppTest never fires ``run_every``: the page's structure says what refreshes. The status is a
    fragment refreshing every few seconds while a request is open (with none open there is nothing to
    wait for); the request form is drawn outside it, so a refresh never redraws what is typed."""
    tree = ast.parse(PAGE.read_text())
    (status,) = [f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "help_status"]
    inside = ast.unparse(status)
    for key in ("help.chair.open", "help.chair.handled", "help.chair.withdrawn_at", "help_withdraw"):
        assert key in inside
    assert "chair_help_form" not in inside and "help_note" not in inside  # the form stays outside
    outside = ast.unparse(ast.Module([n for n in tree.body if n is not status], []))
    assert "help.chair.open" not in outside and "chair_help_form" in outside
    assert "waiting = info.help is not None and info.help.open" in outside
    assert "st.fragment(help_status, run_every=settings().refresh_seconds if waiting else None)()" in outside


def test_a_rerun_shows_the_offices_answer(day_page):
    day_page.set_time(18, 57)
    _ask("Stembus vol")
    at = day_page()
    assert "U heeft om 18:57 om hulp gevraagd. De gemeente ziet uw vraag." in _texts(at)
    _handle("Bode komt met een **tweede** stembus")
    at.run()  # what a refresh of the fragment does: read the status again
    assert not at.exception, at.exception
    texts = _texts(at)
    assert "U heeft om 18:57 om hulp gevraagd" not in texts
    assert any(i.value.startswith("De gemeente heeft uw hulpvraag om ") for i in at.info)
    assert "Bericht van de gemeente:" in texts
    assert "Bode komt met een **tweede** stembus" in [t.value for t in at.text]  # as typed, not markdown
    assert not [b for b in at.button if b.key == "help_withdraw"]


def test_an_open_request_shows_every_text_oldest_first_as_plain_text(day_page):
    day_page.set_time(9, 0)
    _ask("Extra potloden nodig")
    day_page.set_time(9, 5)
    _ask(HOSTILE)
    at = day_page()
    texts = _texts(at)
    assert "U heeft om 09:00 om hulp gevraagd" in texts  # open since the first request
    assert "Uw vraag:" in texts
    captions = [c.value for c in at.caption]
    assert captions.index("Om 09:00:") < captions.index("Om 09:05:")
    shown = [t.value for t in at.text]
    assert shown.index("Extra potloden nodig") < shown.index(HOSTILE)
    assert all("Stembus" not in m.value for m in at.markdown)  # chair text never as markdown
    assert all("Stembus" not in c.value and "potloden" not in c.value for c in at.caption)
    assert [b for b in at.button if b.key == "help_withdraw"]
