"""Helpers of the chair's pages: the signed-in station, submission ids per form, inert user text, the
Kiesraad's findings on the count (each once, at its box, in the page language, with its figures) and a
count as sent."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

import streamlit as st

from app.domain import reports
from app.domain import validation as v
from app.domain.access import Actor
from app.domain.validation import Issue, ValidationResult
from app.ui import session
from app.ui.session import tr, tr_plain
from app.ui.texts import CATALOGUE, Md, md_escape
from app.ui.widgets import inert

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
    """The moment to preselect: the latest that has come after the last one reported (an earlier moment
    skipped stays skipped: preselecting it made the next report look like a fall in turnout); else the
    last one reported (a correction); None when none has come."""
    passed = turnout_moments_open(info.turnout_moments, now)
    reported = {t.moment for t in info.turnout}
    last = max((m for m in passed if m in reported), default=None, key=_minutes)
    todo = [m for m in passed if m not in reported and (last is None or _minutes(m) > _minutes(last))]
    return todo[-1] if todo else (last if last is not None else (passed[-1] if passed else None))


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def closing_default(closes_at: dt.time, now: dt.datetime) -> dt.time:
    """The time of closing to prefill: the station's closing time once it has passed, else now (closing
    before the closing time is exceptional: it needs a confirmation and a reason)."""
    return closes_at if now.time() >= closes_at else now.time().replace(second=0, microsecond=0)


# --- the Kiesraad's findings on the count form -------------------------------------------------------

# Where a finding is shown: once, at the box it is most about (the other boxes it concerns are named in its
# text and its figures). A finding not listed here is shown at the first field it names.
_SHOWN_AT = {
    "F.201": v.BOX_D,
    "F.202": v.BOX_E,
    "F.203": v.BOX_H,
    "F.204": v.BOX_E,
    "F.305": v.BOX_J,
    "F.307": v.BOX_J,
    "F.309": v.BOX_J,
    "W.203": v.BOX_H,
}


def shown_at(issue: Issue) -> str | None:
    """The one field at which ``issue`` is shown."""
    field = _SHOWN_AT.get(issue.code)
    if field in issue.fields:
        return field
    return issue.fields[0] if issue.fields else None


def issue_title(issue: Issue) -> Md:
    """The finding's text in the page language. A text the chair's page words differently (F.313 names its
    question as the page shows it, not by its number on the paper form) comes from the catalogue."""
    key = f"chair.count.rule.{issue.code}"
    if key in CATALOGUE:
        return tr(key, question=tr("chair.count.explained"))
    return md_escape(issue.text_nl if session.lang() == "nl" else issue.text_en)


def issue_text(issue: Issue) -> Md:
    """Code and text of a finding (the code first, as the office's staff know it)."""
    return Md(f"{issue.code} {issue_title(issue)}")


def _number(form: Mapping[str, Any], field: str) -> int | None:
    value = form.get(field)
    return None if value is None or isinstance(value, bool) else int(value)


def _group(form: Mapping[str, Any], number: int | None) -> Mapping[str, Any]:
    groups = form.get("political_group_votes") or []
    return next((g for g in groups if g.get("number") == number), {})


def _entered(value: int | None) -> int | str:
    """A box as entered: its number, or "leeg" / "empty"."""
    return tr_plain("chair.count.detail.empty") if value is None else value


def issue_figures(issue: Issue, form: Mapping[str, Any] | None) -> Md | None:
    """The figures behind a finding, from the form that was checked: what the boxes add up to and what was
    entered. For display only: whether there is a finding is the domain's rule (the finding carries no
    figures, so they are read here from the same form)."""
    if not form:
        return None
    n = _number
    a, b, c, d = n(form, v.BOX_A), n(form, v.BOX_B), n(form, v.BOX_C), n(form, v.BOX_D)
    e, f, g, h = n(form, v.BOX_E), n(form, v.BOX_F), n(form, v.BOX_G), n(form, v.BOX_H)
    i, j = n(form, v.BOX_I), n(form, v.BOX_J)
    lists = sum(_number(gr, "total") or 0 for gr in form.get("political_group_votes") or [])
    group = _group(form, issue.political_group_number)
    candidates = sum(x or 0 for x in group.get("candidate_votes") or [])
    code = issue.code
    if code == "F.201":
        boxes = "A + B + C" if v.BOX_C in issue.fields else "A + B"
        added = (a or 0) + (b or 0) + ((c or 0) if v.BOX_C in issue.fields else 0)
        return tr("chair.count.detail.F.201", boxes=boxes, sum=added, d=_entered(d))
    if code in ("F.202", "F.204"):
        return tr("chair.count.detail.lists_e", sum=lists, e=_entered(e))
    if code == "F.203":
        return tr("chair.count.detail.F.203", sum=(e or 0) + (f or 0) + (g or 0), h=_entered(h))
    if code in ("F.301", "F.302", "F.303", "F.304"):
        return tr("chair.count.detail.d_h", d=_entered(d), h=_entered(h))
    if code == "F.305":
        return tr("chair.count.detail.F.305", d=_entered(d), i=_entered(i), j=_entered(j))
    if code == "F.306":
        return tr("chair.count.detail.F.306", diff=(h or 0) - (d or 0), i=_entered(i))
    if code == "F.307":
        return tr("chair.count.detail.F.307", d=_entered(d), h=_entered(h), j=_entered(j))
    if code == "F.308":
        return tr("chair.count.detail.F.308", diff=(d or 0) - (h or 0), j=_entered(j))
    if code == "F.309":
        return tr("chair.count.detail.F.309", d=_entered(d), h=_entered(h), i=_entered(i))
    if code == "F.310":
        return tr("chair.count.detail.F.310", d=_entered(d), h=_entered(h))
    if code == "F.313":
        return tr("chair.count.detail.F.313", d=_entered(d), clear=tr("chair.count.explained_clear"))
    if code in ("F.401", "F.402"):
        total = _number(group, "candidates_total")
        return tr(
            "chair.count.detail.candidates",
            n=issue.political_group_number,
            sum=candidates,
            total=_entered(total),
        )
    if code == "F.403":
        total = _number(group, "candidates_total")
        return tr(
            "chair.count.detail.F.403",
            n=issue.political_group_number,
            total=_entered(total),
            e=_entered(_number(group, "total")),
        )
    if code == "W.201":
        return tr("chair.count.detail.W.201", f=_entered(f), h=_entered(h))
    if code == "W.202":
        return tr("chair.count.detail.W.202", g=_entered(g), h=_entered(h))
    if code == "W.203":
        return tr("chair.count.detail.W.203", d=_entered(d), h=_entered(h), diff=abs((d or 0) - (h or 0)))
    return None


def show_issue(issue: Issue, form: Mapping[str, Any] | None) -> None:
    """One finding, in the page language: its code and text, and the figures behind it."""
    figures = issue_figures(issue, form)
    body = issue_text(issue) if figures is None else Md(f"{issue_text(issue)}\n\n{figures}")
    (st.error if issue.severity is v.Severity.ERROR else st.warning)(body)


class IssuePlaces:
    """Shows each finding of a check once, at the box it is most about (:func:`shown_at`), in the order
    the page draws its boxes: call :meth:`at` right after the boxes of ``fields``. ``explain`` is drawn
    under each warning (the explanation it needs); :meth:`rest` shows what no box took (none, normally)."""

    def __init__(
        self,
        result: ValidationResult | None,
        form: Mapping[str, Any] | None,
        explain: Callable[[Issue], None] | None = None,
    ) -> None:
        self.result, self.form, self.explain = result, form, explain
        self.shown: set[int] = set()

    def _issues(self) -> list[Issue]:
        return [] if self.result is None else [*self.result.errors, *self.result.warnings]

    def _show(self, index: int, issue: Issue) -> None:
        self.shown.add(index)
        show_issue(issue, self.form)
        if self.explain is not None and issue.severity is v.Severity.WARNING:
            self.explain(issue)

    def at(self, *fields: str) -> None:
        for index, issue in enumerate(self._issues()):
            if index not in self.shown and shown_at(issue) in fields:
                self._show(index, issue)

    def rest(self) -> None:
        for index, issue in enumerate(self._issues()):
            if index not in self.shown:
                self._show(index, issue)


def _summary_line(issue: Issue) -> str:
    """A finding in a summary; one about a list whose text does not name it says which (F.401, F.402)."""
    text = f"- {issue_text(issue)}"
    rule = v.RULES.get(issue.code)
    if issue.political_group_number is not None and rule and "{political_group_number}" not in rule.text_nl:
        text += f" {tr('chair.count.summary_list', n=issue.political_group_number)}"
    return text


def count_summary(result: ValidationResult | None, explanations: Mapping[str, str] | None = None) -> None:
    """What the check found, in a few lines (at the top of the form and at the send button): the errors
    and the warnings, each by code and text; each is shown in full at its box. With ``explanations``, a
    warning still without one says so."""
    if result is None:
        return
    if result.errors:
        lines = "\n".join(_summary_line(i) for i in result.errors)
        st.error(Md(f"{tr('chair.count.errors', n=len(result.errors))}\n\n{lines}"))
    else:
        st.success(tr("chair.count.ok"))
    if result.warnings:
        missing = {w.code for w in result.unexplained_warnings(explanations or {})}
        lines = "\n".join(
            _summary_line(w) + (f" {tr('chair.count.summary_unexplained')}" if w.code in missing else "")
            for w in result.warnings
        )
        st.warning(Md(f"{tr('chair.count.warnings', n=len(result.warnings))}\n\n{lines}"))


# --- a count as sent -----------------------------------------------------------------------------------

# the answers to the D/H questions and the tick boxes of the form they stand for
COMPARE_TICKS = {
    "equal": "admitted_voters_equal_votes_cast",
    "greater": "votes_cast_greater_than_admitted_voters",
    "smaller": "votes_cast_smaller_than_admitted_voters",
}
EXPLAINED_TICKS = {
    "yes": "difference_completely_accounted_for_yes",
    "no": "difference_completely_accounted_for_no",
}


def _cell(value: int | None) -> str:
    return "–" if value is None else str(value)


def count_figures(version: Any, setup: Any) -> None:
    """The boxes of a count version (``counts.CountVersionView``) as sent: A, B, (C), D, E.1..E.n, E, F, G,
    H, the D/H comparison, I, J and the question on the difference; under decentral counting the votes
    per candidate (compactly, in an expander); the explanations of its warnings."""
    form = version.form
    box, count = tr("chair.count.figures.box"), tr("chair.count.figures.count")
    rows: list[dict[str, str]] = []

    def row(label: str, value: str) -> None:
        rows.append({box: label, count: value})

    row(tr("chair.count.A"), _cell(_number(form, v.BOX_A)))
    row(tr("chair.count.B"), _cell(_number(form, v.BOX_B)))
    if setup.has_voter_cards:
        row(tr("chair.count.C"), _cell(_number(form, v.BOX_C)))
    row(tr("chair.count.D" if setup.has_voter_cards else "chair.count.D_gr"), _cell(_number(form, v.BOX_D)))
    names = {li.number: li.name for li in setup.lists}
    groups = sorted(form.get("political_group_votes") or [], key=lambda g: g.get("number") or 0)
    for g in groups:
        number = g.get("number")
        row(tr("chair.count.E_n", n=number, name=names.get(number, "")), _cell(_number(g, "total")))
    row(tr("chair.count.E"), _cell(_number(form, v.BOX_E)))
    row(tr("chair.count.F"), _cell(_number(form, v.BOX_F)))
    row(tr("chair.count.G"), _cell(_number(form, v.BOX_G)))
    row(tr("chair.count.H"), _cell(_number(form, v.BOX_H)))
    compare = next((o for o, tick in COMPARE_TICKS.items() if form.get(tick)), None)
    row(tr("chair.count.compare"), tr(f"chair.count.{compare}") if compare else "–")
    row(tr("chair.count.I"), _cell(_number(form, v.BOX_I)))
    row(tr("chair.count.J"), _cell(_number(form, v.BOX_J)))
    explained = next((o for o, tick in EXPLAINED_TICKS.items() if form.get(tick)), None)
    row(tr("chair.count.explained"), tr(f"chair.count.explained_{explained}") if explained else "–")
    st.table(
        rows,
        hide_index=True,
        hide_header=False,
        alt=tr_plain("chair.count.figures.alt", version=version.version),
    )

    with_candidates = [g for g in groups if g.get("candidate_votes") is not None]
    if any(g["candidate_votes"] for g in with_candidates):
        lines, empty = [], []
        for g in with_candidates:
            votes = [(c, x) for c, x in enumerate(g["candidate_votes"], start=1) if x]
            if not votes and not g.get("candidates_total"):
                empty.append(str(g.get("number")))
                continue
            parts = [tr_plain("chair.count.figures.candidate", c=c, votes=x) for c, x in votes]
            if len(votes) < len(g["candidate_votes"]):
                parts.append(tr_plain("chair.count.figures.others_none"))
            line = tr(
                "chair.count.figures.candidates_line",
                n=g.get("number"),
                total=_cell(_number(g, "candidates_total")),
                votes=" · ".join(parts),
            )
            lines.append(f"- {line}")
        if empty:
            lines.append(f"- {tr('chair.count.figures.none', lists=', '.join(empty))}")
        with st.expander(tr("chair.count.figures.candidates")):
            st.markdown(Md("\n".join(lines)))
    for code, text in version.explanations.items():
        rule = v.RULES.get(code)
        title = (rule.text_nl if session.lang() == "nl" else rule.text_en) if rule else ""
        st.caption(tr("chair.count.figures.explanation", code=code, title=title))
        inert(text)


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
