"""Which pages each role sees. The page list is convenience, not security: every service checks again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from app.config import ROOT
from app.domain.access import Actor, Role
from app.ui.session import tr

PAGES = ROOT / "pages"


@dataclass(frozen=True)
class PageSpec:
    file: str  # file in pages/
    title_key: str
    icon: str
    section: str  # text key of the navigation section
    roles: tuple[Role, ...]
    #: the page a role lands on after signing in (else its first page): the office lands on the live
    #: overview, its "Start" (the list of elections) stays first in the menu
    landing: bool = False


def page_of(spec: PageSpec, *, default: bool = False) -> st.Page:
    """The page of ``spec`` as the navigation has it (for ``st.page_link`` from another page)."""
    return st.Page(
        PAGES / spec.file,
        title=tr(spec.title_key),
        icon=spec.icon,
        default=default,
        url_path=spec.file.removesuffix(".py"),
    )


def specs_for(role: Role) -> list[PageSpec]:
    return [spec for spec in PAGE_SPECS if role in spec.roles]


# Each feature adds its pages here, in the order they should appear.
PAGE_SPECS: list[PageSpec] = [
    PageSpec("home_chair.py", "nav.home", ":material/home:", "nav.section.station", (Role.CHAIR,)),
    PageSpec(
        "chair_opening.py", "chair.nav.opening", ":material/door_open:", "nav.section.station", (Role.CHAIR,)
    ),
    PageSpec("chair_day.py", "chair.nav.day", ":material/inventory_2:", "nav.section.station", (Role.CHAIR,)),
    PageSpec(
        "chair_turnout.py", "chair.nav.turnout", ":material/groups:", "nav.section.station", (Role.CHAIR,)
    ),
    PageSpec(
        "chair_incidents.py", "chair.nav.incidents", ":material/report:", "nav.section.station", (Role.CHAIR,)
    ),
    PageSpec("chair_count.py", "chair.nav.count", ":material/ballot:", "nav.section.station", (Role.CHAIR,)),
    PageSpec("home_office.py", "nav.home", ":material/home:", "nav.section.office", (Role.OFFICE,)),
    # issue 4: the election office's live view
    *(
        PageSpec(
            f"office_{name}.py",
            f"office.nav.{name}",
            icon,
            "nav.section.office",
            (Role.OFFICE,),
            landing=name == "overview",
        )
        for name, icon in (
            ("overview", ":material/dashboard:"),
            ("map", ":material/map:"),
            ("alerts", ":material/notifications:"),
            ("incidents", ":material/report:"),
            ("turnout", ":material/how_to_vote:"),
            ("result", ":material/bar_chart:"),
            ("counts", ":material/fact_check:"),
            ("exports", ":material/download:"),
        )
    ),
    PageSpec("home_analyst.py", "nav.home", ":material/home:", "nav.section.analysis", (Role.ANALYST,)),
    PageSpec("home_admin.py", "nav.home", ":material/home:", "nav.section.admin", (Role.ADMIN,)),
    PageSpec(
        "admin_accounts.py", "nav.admin.accounts", ":material/group:", "nav.section.admin", (Role.ADMIN,)
    ),
    PageSpec(
        "admin_election.py", "nav.admin.election", ":material/ballot:", "nav.section.admin", (Role.ADMIN,)
    ),
    PageSpec("admin_access.py", "nav.admin.access", ":material/key:", "nav.section.admin", (Role.ADMIN,)),
    PageSpec(
        "admin_audit.py",
        "nav.admin.audit",
        ":material/history:",
        "nav.section.admin",
        (Role.ADMIN, Role.OFFICE),
    ),
    PageSpec(
        "analysis_compare.py",
        "analysis.nav.compare",
        ":material/compare_arrows:",
        "nav.section.analysis",
        (Role.ANALYST,),
    ),
    PageSpec(
        "analysis_tonight.py",
        "analysis.nav.tonight",
        ":material/nightlight:",
        "nav.section.analysis",
        (Role.ANALYST,),
    ),
    PageSpec(
        "analysis_parties.py",
        "analysis.nav.parties",
        ":material/join_inner:",
        "nav.section.analysis",
        (Role.ANALYST,),
    ),
    PageSpec(
        "analysis_sql.py", "analysis.nav.sql", ":material/terminal:", "nav.section.analysis", (Role.ANALYST,)
    ),
]


def pages_for(actor: Actor | None, sign_out: Callable[[], None]) -> dict[str, list] | list:
    if actor is None:
        return [
            st.Page(PAGES / "login.py", title=tr("nav.sign_in"), icon=":material/login:", default=True),
            # The public results page (issue 8): opt-in per municipality, aggregates only.
            st.Page(
                PAGES / "public.py", title=tr("nav.public"), icon=":material/bar_chart:", url_path="public"
            ),
        ]
    sections: dict[str, list] = {}
    specs = specs_for(actor.role)
    landing = next((spec for spec in specs if spec.landing), specs[0] if specs else None)
    for spec in specs:
        page = page_of(spec, default=spec is landing)
        sections.setdefault(tr(spec.section), []).append(page)
    sections.setdefault(tr("nav.section.account"), []).append(
        st.Page(sign_out, title=tr("app.sign_out"), icon=":material/logout:", url_path="sign_out")
    )
    return sections
