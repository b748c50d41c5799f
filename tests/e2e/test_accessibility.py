"""In a real browser: an automated accessibility check (axe-core, WCAG 2.1 A and AA rules) of every
role's pages, with the demo data and a day's reports in them.

Each page is checked once it has drawn; the full axe result of each page is kept under
``test-artifacts/axe/<page>.json``. A page fails on any violation of impact *serious* or *critical*,
except the few that come from Streamlit's own widgets and cannot be fixed from the app: those are
listed in ``STREAMLIT_OWN`` (a rule and the widget it occurs in, each with its reason) and in
docs/accessibility.md. Two tests, one app server each: the chair's pages with the sign-in and public
pages, and the staff's pages (office, analyst, administrator)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect

from app.services import admin, auth, chair
from app.ui.texts import t
from etl.demo import DEMO_PASSWORD, demo_code
from tests import chair_day
from tests.e2e.conftest import ARTIFACTS, sign_in_staff, start_app, stop_app

pytestmark = pytest.mark.e2e

AXE_DIR = ARTIFACTS / "axe"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}


@dataclass(frozen=True)
class Own:
    """A violation of ``rule`` inside an element matching ``within`` (CSS, the element itself or an
    ancestor): Streamlit's own markup, out of the app's reach."""

    rule: str
    within: str
    reason: str


#: Violations that come from Streamlit's own widgets and cannot be fixed from the app (docs/accessibility.md).
STREAMLIT_OWN: tuple[Own, ...] = (
    Own(
        "list",
        '[data-testid="stSidebarNavItems"]',
        "Streamlit draws a navigation section as a <div> (header + items) inside its page list <ul>",
    ),
    Own(
        "listitem",
        '[data-testid="stSidebarNavItems"]',
        "the same: the pages of a navigation section are <li> in Streamlit's <div>, not in the <ul>",
    ),
)


@dataclass
class Findings:
    """The failing violations of every page checked: ``(page, rule, impact, count, targets)``."""

    rows: list[tuple[str, str, str, int, list[str]]] = field(default_factory=list)

    def report(self) -> str:
        return "\n".join(
            f"{page}: {rule} ({impact}) ×{n}: {'; '.join(targets[:5])}"
            for page, rule, impact, n, targets in self.rows
        )


# axe-core from axe-playwright-python, run so that each violating node is matched against STREAMLIT_OWN
# in the same script (the live pages redraw every few seconds: a later look could miss the node). The
# match is kept in the saved result as ``stemdagOwn`` (the rule) on each node it excludes.
_RUN = """
async ([options, own]) => {
  const results = await axe.run(document, options);
  for (const v of results.violations) {
    for (const node of v.nodes) {
      const target = node.target[node.target.length - 1];
      const el = typeof target === "string" ? document.querySelector(target) : null;
      node.stemdagOwn = el === null ? null
        : (own.find(([rule, within]) => rule === v.id && el.closest(within) !== null) || [null])[0];
    }
  }
  return results;
}
"""


def _settle(page: Page) -> None:
    """Wait until the app has finished drawing the page: the script run is over and nothing left of the
    page before it (Streamlit keeps an element of the last run, marked stale, until the run ends)."""
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_have_count(
        1, timeout=60_000
    )
    expect(page.locator('[data-stale="true"]')).to_have_count(0)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)


def check(page: Page, name: str, findings: Findings) -> None:
    """Run axe on the page as it is now, keep its result and note its failing violations."""
    from axe_playwright_python.base import AXE_SCRIPT, AxeResults

    _settle(page)
    page.evaluate(AXE_SCRIPT)
    # axe's best practices (heading order, landmarks) too, for the record: only WCAG rules fail the test
    options = {
        "runOnly": {"type": "tag", "values": [*TAGS, "best-practice"]},
        "resultTypes": ["violations", "incomplete"],
    }
    response = page.evaluate(_RUN, [options, [[o.rule, o.within] for o in STREAMLIT_OWN]])
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    # violations, and what axe could not decide by itself ("incomplete": to look at by hand)
    AxeResults({**response, "passes": [], "inapplicable": []}).save_to_file(AXE_DIR / f"{name}.json")
    for v in response["violations"]:
        if v["impact"] not in FAILING_IMPACTS or not set(v["tags"]) & set(TAGS):
            continue
        ours = [n for n in v["nodes"] if n.get("stemdagOwn") is None]
        if ours:
            targets = [" ".join(map(str, n["target"])) for n in ours]
            findings.rows.append((name, v["id"], v["impact"], len(ours), targets))


def _nav(page: Page, key: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=t(key), exact=True).click()


def _heading(page: Page, text: str | re.Pattern) -> None:
    expect(page.get_by_role("heading", name=text).first).to_be_visible(timeout=60_000)


def _expand_all(page: Page) -> None:
    closed = page.get_by_test_id("stMain").locator("details:not([open]) > summary")
    for _ in range(closed.count()):
        closed.first.click()


def _sign_out(page: Page) -> None:
    page.get_by_role("link", name=t("app.sign_out")).click()
    _heading(page, t("auth.heading"))


def _sign_in_chair(page: Page, url: str, number: int) -> None:
    page.goto(url)
    page.get_by_role("textbox", name=t("auth.code_label")).fill(demo_code("GM0392", number))
    # not kept on this device: the next sign-in in this browser is another station's
    keep = page.get_by_test_id("stCheckbox").filter(has_text=t("auth.keep")).filter(visible=True)
    keep.locator("label").click()
    expect(keep.get_by_role("checkbox")).not_to_be_checked()
    page.get_by_role("button", name=t("auth.submit")).filter(visible=True).click()
    _heading(page, re.compile(rf"^Stembureau {number}:"))


def _chair_reported_day(db, number: int, *, count: bool) -> None:
    """A chair of Haarlem who opened, reported turnout at 10:00, raised an incident and closed (and,
    with ``count``, submitted a count): reports for the other pages to show."""
    actor, sid = chair_day.sign_in(db, "GM0392", number)
    chair_day.open_station(db, actor, sid)
    chair_day.turnout(db, actor, sid, "10:00", 150 + number)
    chair.raise_incident(
        db,
        actor,
        sid,
        "other",
        "Printer doet het niet",
        severity="high",
        client_submission_id=chair_day.cid(),
    )
    chair_day.close_station(db, actor, sid)
    if count:
        from app.services import counts

        form = chair_day.count_form(db, actor, sid, [150 + number])
        counts.submit_count(db, actor, sid, form, {}, client_submission_id=chair_day.cid())


def _fail(findings: Findings) -> None:
    assert not findings.rows, "accessibility violations (serious/critical):\n" + findings.report()


def test_sign_in_chair_and_public_pages_are_accessible(live_app, demo_db, page):
    _chair_reported_day(demo_db, 4, count=False)  # closed, the count still to do
    staff = auth.sign_in_staff(demo_db, "admin.haarlem", DEMO_PASSWORD)
    admin.set_public_page(demo_db, staff, "GM0392", True)
    findings = Findings()

    page.goto(live_app)
    _heading(page, t("auth.heading"))
    check(page, "sign_in", findings)
    page.get_by_role("tab", name=t("auth.tab_staff")).click()
    expect(page.get_by_role("textbox", name=t("auth.username"))).to_be_visible()
    check(page, "sign_in_staff", findings)

    page.goto(f"{live_app}/public")
    _heading(page, t("public.heading"))
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    check(page, "public", findings)

    # a station not opened yet: the forms of the morning
    _sign_in_chair(page, live_app, 1)
    check(page, "chair_home", findings)
    for area, name in (("opening", "chair_opening"), ("day", "chair_day"), ("turnout", "chair_turnout")):
        _nav(page, f"chair.nav.{area}")
        _heading(page, t(f"chair.{area}.title"))
        check(page, name, findings)
    _nav(page, "chair.nav.incidents")
    _heading(page, t("chair.incident.title"))
    check(page, "chair_incidents", findings)
    _sign_out(page)

    # a station that reported its day and closed: the lists of reports and the count form
    _sign_in_chair(page, live_app, 4)
    check(page, "chair_home_closed", findings)
    for nav, title, name in (
        ("chair.nav.turnout", "chair.turnout.title", "chair_turnout_closed"),
        ("chair.nav.incidents", "chair.incident.title", "chair_incidents_closed"),
        ("chair.nav.count", "chair.count.title", "chair_count_closed"),
    ):
        _nav(page, nav)
        _heading(page, t(title))
        check(page, name, findings)
    _fail(findings)


@pytest.fixture
def app_at_rest(demo_db_url):
    """The app with its live pages refreshing once an hour, so that axe sees each page at rest: while a
    refreshing part reruns (every 3 s by default), Streamlit greys out the widgets in it for a moment,
    and axe would judge that passing state's contrast (the refresh: tests/e2e/test_incidents_live.py)."""
    proc, url = start_app(demo_db_url, extra_env={"STEMDAG_REFRESH_SECONDS": "3600"})
    yield url
    stop_app(proc)


def test_staff_pages_are_accessible(app_at_rest, demo_db, page):
    live_app = app_at_rest
    _chair_reported_day(demo_db, 2, count=True)  # an incident and a count to review
    _chair_reported_day(demo_db, 3, count=False)
    findings = Findings()

    sign_in_staff(page, live_app, "office.haarlem")  # the office lands on the live overview
    _heading(page, re.compile(re.escape(t("office.overview.title", municipality="Haarlem"))))
    _nav(page, "nav.home")
    _heading(page, t("home.office.heading", municipality="Haarlem"))
    check(page, "office_home", findings)
    for name in ("overview", "map", "alerts", "incidents", "turnout", "result", "counts", "exports"):
        _nav(page, f"office.nav.{name}")
        _heading(page, re.compile(re.escape(t(f"office.{name}.title", municipality="Haarlem"))))
        if name == "map":
            expect(page.get_by_test_id("stDeckGlJsonChart")).to_be_visible()
        elif name in ("turnout", "result"):
            expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
        elif name in ("incidents", "counts"):  # the forms in each incident's and count's expander
            expect(page.get_by_test_id("stExpander").first).to_be_visible()
            _expand_all(page)
        check(page, f"office_{name}", findings)
        if name == "map":  # a station's detail and timeline
            picker = page.get_by_role("combobox", name=t("office.map.select"))
            picker.click()
            picker.fill("2 ")
            page.get_by_role("option", name=re.compile(r" · 2 · ")).click()
            _heading(page, re.compile(r"^Stembureau 2"))
            check(page, "office_map_station", findings)
    _nav(page, "nav.admin.audit")
    _heading(page, t("audit.heading"))
    check(page, "office_audit", findings)
    _sign_out(page)

    sign_in_staff(page, live_app, "analyst.haarlem")
    _heading(page, t("home.analyst.heading", municipality="Haarlem"))
    check(page, "analyst_home", findings)
    for name in ("compare", "tonight", "parties", "sql"):
        _nav(page, f"analysis.nav.{name}")
        _heading(page, t(f"analysis.{'harmonise' if name == 'parties' else name}.heading"))
        if name == "compare":  # the first tab's charts (DuckDB reads the history first)
            expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=60_000)
        check(page, f"analysis_{name}", findings)
    _sign_out(page)

    sign_in_staff(page, live_app, "admin.haarlem")
    _heading(page, t("home.admin.heading"))
    check(page, "admin_home", findings)
    for name in ("accounts", "election", "access", "audit"):
        _nav(page, f"nav.admin.{name}")
        _heading(page, t("audit.heading" if name == "audit" else f"admin.{name}.heading"))
        check(page, f"admin_{name}", findings)
    _fail(findings)
