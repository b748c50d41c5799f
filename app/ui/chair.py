"""Helpers of the chair's pages: the signed-in station, submission ids per form, inert user text and
the Kiesraad messages at their field (code, official Dutch text, English)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

import streamlit as st

from app.domain import reports
from app.domain.access import Actor
from app.domain.validation import Issue, ValidationResult
from app.ui import session
from app.ui.session import tr
from app.ui.widgets import inert  # noqa: F401 - for the pages: ui.inert

TZ = ZoneInfo("Europe/Amsterdam")


def station() -> tuple[Actor, int] | None:
    """The signed-in chair and their station id (None when not a chair)."""
    actor = session.current_actor()
    if actor is None or actor.polling_station_id is None:
        return None
    return actor, actor.polling_station_id


def submission_id(form: str) -> str:
    """The client submission id of a form, made when the form is first shown (a retry reuses it)."""
    key = f"chair_cid_{form}"
    if key not in st.session_state:
        st.session_state[key] = str(uuid.uuid4())
    return st.session_state[key]


def new_submission(form: str) -> None:
    st.session_state.pop(f"chair_cid_{form}", None)


def report_feedback(result: object) -> None:
    if getattr(result, "duplicate", False):
        st.info(tr("chair.duplicate"))
    else:
        st.success(tr("chair.saved"))
    for key in getattr(result, "warnings", ()) or ():
        st.warning(tr(key))


def saved(page: str, result: object, **next_state: object) -> NoReturn:
    """After a report was stored: run the page again, so that what it shows (last reported, the list of
    reports, the status) includes it, with the feedback of ``result`` shown by :func:`after_saved`."""
    st.session_state[f"{page}_warnings"] = tuple(getattr(result, "warnings", ()) or ())
    key = "chair.duplicate" if getattr(result, "duplicate", False) else "chair.saved"
    session.rerun_saying(page, key, **next_state)


def after_saved(page: str) -> None:
    """At the top of a page that calls :func:`saved`: the message and warnings of the report just made."""
    session.after_rerun(page)
    for key in st.session_state.pop(f"{page}_warnings", ()):
        st.warning(tr(key))


def turnout_moments_open(moments: tuple[str, ...] | list[str], now: dt.datetime) -> list[str]:
    """The turnout moments that have come at local time ``now`` (a count "so far" of a moment to come is
    refused by the service)."""
    return [m for m in moments if reports.moment_has_come(m, now)]


def default_turnout_moment(info: Any, now: dt.datetime) -> str | None:
    """The moment to preselect: the latest that has come and is not reported yet; else the latest that
    has come (a correction); None when none has come."""
    passed = turnout_moments_open(info.turnout_moments, now)
    reported = {t.moment for t in info.turnout}
    todo = [m for m in passed if m not in reported]
    return todo[-1] if todo else (passed[-1] if passed else None)


def closing_default(closes_at: dt.time, now: dt.datetime) -> dt.time:
    """The time of closing to prefill: the station's closing time once it has passed, else now (closing
    before the closing time is exceptional: it needs a confirmation and a reason)."""
    return closes_at if now.time() >= closes_at else now.time().replace(second=0, microsecond=0)


def issue_text(issue: Issue) -> str:
    return f"{issue.code} {issue.text_nl}" if session.lang() == "nl" else f"{issue.code} {issue.text_en}"


def issues_at(result: ValidationResult | None, *fields: str) -> None:
    """The errors and warnings of ``result`` that concern one of ``fields``, in the page language
    with the other language as a caption."""
    if result is None:
        return
    seen: set[str] = set()
    for field in fields:
        for issue in result.for_field(field):
            if issue.code in seen:
                continue
            seen.add(issue.code)
            other = issue.text_en if session.lang() == "nl" else issue.text_nl
            (st.error if issue.code.startswith("F") else st.warning)(issue_text(issue))
            st.caption(other)


@dataclass(frozen=True)
class NextStep:
    """What the chair should do now: the page (file in pages/), a text key and its parameters."""

    page: str
    key: str
    params: dict[str, Any]


def local_now() -> dt.datetime:
    """The time of day at the station (Dutch time): what "now" means for the chair's next step."""
    return dt.datetime.now(TZ)


def next_step(info: Any, now: dt.datetime) -> NextStep | None:
    """The chair's next task from the station's state (``chair.StationOverview``) at local time ``now``;
    None when there is nothing left to do (the count accepted) or only to wait (count submitted)."""
    if info.opened_at is None and info.status == "not_opened":
        return NextStep("chair_opening.py", "home.chair.next.opening", {})
    if info.closed_at is None:
        # the moments passed since the latest one reported (a skipped earlier moment is not asked for)
        last = max((t.moment for t in info.turnout), default="")
        due = [m for m in info.turnout_moments if last < m and reports.moment_on(m, now) <= now]
        if due:
            return NextStep("chair_turnout.py", "home.chair.next.turnout", {"moment": due[-1]})
        if now >= reports.on_election_day(info.closes_at, now):  # (after midnight: still that night)
            return NextStep("chair_count.py", "home.chair.next.closing", {})
        if info.members_present is None:
            return NextStep("chair_opening.py", "home.chair.next.members", {})
        return NextStep("chair_day.py", "home.chair.next.day", {})
    if info.count_status in (None, "returned"):
        key = "home.chair.next.count" if info.count_status is None else "home.chair.next.correct"
        return NextStep("chair_count.py", key, {})
    return None
