"""Office: the incident queue. A compact list, the most severe first and then the longest waiting, each
line with its severity (word and icon shape, not colour alone), station, category, status and age. One
incident is open at a time: the one picked, which stays open after acknowledging, assigning or replying.
Every step is in the station's timeline and the audit log.

The list refreshes itself like the overview (a fragment with ``run_every``): a new incident appears
without a reload. What is typed in a reply or a note survives a refresh, with the cursor in it:
- every widget keeps its key (a form's text stays in the browser until it is sent);
- which incident is open is kept in the session (OPEN), not in the expander, whose identity changes
  with its label, its "expanded" and its place;
- the open incident's line is kept as it was when it was opened (its status and age now are shown
  inside it) until this user acts on it, so that its expander stays the same element;
- the incidents above the open one, the open one and those below are drawn in three containers, so
  that a new incident arriving above does not move the open one to another place in the page.
Browser test: tests/e2e/test_incidents_live.py (AppTest never fires ``run_every``)."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import streamlit as st

from app.services import office
from app.storage.chair_models import INCIDENT_CATEGORIES, INCIDENT_SEVERITIES, INCIDENT_STATUSES
from app.ui import office as ui
from app.ui import session
from app.ui.session import tr, tr_plain

actor = session.current_actor()
st.title(tr("office.incidents.title"))
picked = ui.pick_election(actor)
#: the id of the incident open now (None or absent: all closed)
OPEN = "office_inc_open"
#: severity by shape beside its word, as issue trackers show priority: ⌃⌃ high, = medium, ⌄ low
SEVERITY_ICON = {
    "high": ":material/keyboard_double_arrow_up:",
    "medium": ":material/equal:",
    "low": ":material/keyboard_arrow_down:",
}


def _form_id(name: str) -> str:
    """A submission id per form, made when the form is shown (a retry stores nothing twice)."""
    key = f"office_sub_{name}"
    if key not in st.session_state:
        st.session_state[key] = str(uuid.uuid4())
    return st.session_state[key]


def _done(name: str, incident_id: int) -> None:
    st.session_state.pop(f"office_sub_{name}", None)
    st.session_state.pop(f"inc_label_{incident_id}", None)  # its line shows the step just taken
    ui.forget()
    st.toast(tr("office.incidents.done"))
    st.rerun()  # the incident stays open: it is still the one in OPEN


def _toggle(incident_id: int) -> None:
    """One incident open at a time: opening one closes the one open before."""
    if st.session_state.get(f"inc_open_{incident_id}"):
        st.session_state[OPEN] = incident_id
    elif st.session_state.get(OPEN) == incident_id:
        st.session_state[OPEN] = None


def _age(now: dt.datetime, then: dt.datetime) -> str:
    minutes = max(0, int((now - then).total_seconds()) // 60)
    if minutes < 1:
        return tr("review.age.now")
    if minutes < 60:
        return tr("review.age.minutes", m=minutes)
    return tr("review.age.hours", h=minutes // 60, m=minutes % 60)


def _status(inc: office.IncidentView) -> str:
    status = tr(f"office.status.{inc.status}")
    if inc.assigned_to and inc.status != "resolved":
        status = tr("review.incidents.status_assigned", status=status, who=inc.assigned_to)
    return status


def _label(inc: office.IncidentView, now: dt.datetime) -> str:
    return tr(
        "review.incidents.row",
        severity=tr(f"office.severity.{inc.severity}"),
        number=inc.station_number,
        name=inc.station_name,
        category=tr(f"office.category.{inc.category}"),
        status=_status(inc),
        age=_age(now, inc.raised_at),
        id=inc.id,
    )


def _detail(inc: office.IncidentView, municipality_code: str, now: dt.datetime) -> None:
    # what grows as the incident goes on (its history) is in one container: the forms below keep their
    # place in the page, so a refresh does not take the cursor out of a reply being typed
    with st.container():
        st.caption(tr("review.incidents.state", status=_status(inc), age=_age(now, inc.raised_at)))
        ui.inert(inc.text)  # as typed by the chair
        st.caption(
            tr("office.incidents.raised", who=inc.raised_by or "", time=inc.raised_at.strftime("%H:%M"))
        )
        if inc.assigned_to:
            st.caption(tr("office.incidents.assigned", who=inc.assigned_to))
        if inc.events:
            st.markdown(f"**{tr('office.incidents.history')}**")
            for ev in inc.events:
                what = tr_plain(f"office.timeline.incident_{ev.kind}")  # st.text: plain
                line = f"{ev.occurred_at.strftime('%H:%M')} · {what} · {ev.actor_name or ''}"
                if ev.assigned_to:
                    line += f" → {ev.assigned_to}"
                ui.inert(line)
                if ev.text:
                    ui.inert(f"    {ev.text}")
    if inc.status == "resolved":
        return
    st.markdown(f"**{tr('review.incidents.actions')}**")
    key = f"inc{inc.id}"
    action_cols = st.columns(2)
    if inc.status == "open" and action_cols[0].button(
        tr("office.incidents.acknowledge"), key=f"{key}_ack", type="primary"
    ):
        ok_a, _ = session.call(
            office.acknowledge_incident, actor, inc.id, client_submission_id=_form_id(f"{key}_ack")
        )
        if ok_a:
            _done(f"{key}_ack", inc.id)
    with action_cols[1]:
        _ok, names = session.call(office.colleagues, actor, municipality_code)
        assignee = st.selectbox(
            tr("office.incidents.assign_to"),
            names or [],
            key=f"{key}_assignee",
            index=None,
            placeholder=tr("office.choose_one"),
        )
        if st.button(tr("office.incidents.assign"), key=f"{key}_assign", disabled=not assignee):
            ok_a, _ = session.call(
                office.assign_incident,
                actor,
                inc.id,
                assignee,
                client_submission_id=_form_id(f"{key}_assign"),
            )
            if ok_a:
                _done(f"{key}_assign", inc.id)
    with st.form(f"{key}_reply_form", clear_on_submit=True):
        reply = st.text_area(tr("office.incidents.reply_text"), key=f"{key}_reply", max_chars=2000)
        if st.form_submit_button(tr("office.incidents.reply")):
            _send(office.reply_incident, inc.id, reply, f"{key}_reply")
    with st.form(f"{key}_resolve_form"):
        note = st.text_input(tr("office.incidents.resolve_note"), key=f"{key}_note", max_chars=2000)
        if st.form_submit_button(tr("office.incidents.resolve")):
            _send(office.resolve_incident, inc.id, note, f"{key}_resolve")


def _send(service: Callable[..., Any], incident_id: int, text: str, name: str) -> None:
    """A reply or a resolution, with the text typed (one submission id per form, for retries)."""
    ok, _ = session.call(service, actor, incident_id, text, client_submission_id=_form_id(name))
    if ok:
        _done(name, incident_id)


@st.fragment(run_every=ui.refresh_seconds())
def queue(
    election_id: str,
    municipality_code: str,
    statuses: list[str],
    severities: list[str],
    categories: list[str],
) -> None:
    ok, incidents = session.call(
        office.list_incidents,
        actor,
        election_id,
        municipality_code,
        statuses=statuses,
        severities=severities,
        categories=categories,
    )
    # the office's clock (a running simulator's time of day), as on the overview: the ages agree with it
    view = ui.overview(actor, election_id, municipality_code)
    now = view.now if view is not None else dt.datetime.now(ui.LOCAL_TZ)
    # a fixed number of blocks at the top level (see the module's docstring): head, above, open, below
    head, above, current, below = st.container(), st.container(), st.container(), st.container()
    with head:
        if view is not None:
            ui.clock_notice(view)
        st.caption(tr("office.updated", time=now.strftime("%H:%M:%S"), seconds=ui.refresh_seconds()))
        if ok and not incidents:
            st.info(tr("office.incidents.none"))
        elif ok:
            st.caption(tr("review.incidents.order", n=len(incidents)))
    where = above
    for inc in incidents or []:
        is_open = st.session_state.get(OPEN) == inc.id
        label = _label(inc, now)
        if is_open:  # its line as when it was opened: the same element while the user types in it
            kept = st.session_state.get(f"inc_label_{inc.id}")
            if kept is None or kept[0] != session.lang():  # (another language: its line in that one)
                kept = st.session_state[f"inc_label_{inc.id}"] = (session.lang(), label)
            label = kept[1]
        else:
            st.session_state.pop(f"inc_label_{inc.id}", None)
        box = (current if is_open else where).expander(
            label,
            expanded=is_open,
            key=f"inc_open_{inc.id}",
            icon=SEVERITY_ICON.get(inc.severity),
            on_change=_toggle,
            args=(inc.id,),
        )
        if is_open:  # only the open incident is drawn with its forms: a compact page
            where = below
            with box:
                _detail(inc, municipality_code, now)


if picked is not None:
    election_id, municipality_code = picked
    cols = st.columns(3)
    statuses = cols[0].multiselect(
        tr("office.incidents.filter_status"),
        INCIDENT_STATUSES,
        default=["open", "acknowledged"],
        format_func=lambda s: tr(f"office.status.{s}"),
        placeholder=tr("office.choose_many"),
        key="office_inc_status",
    )
    severities = cols[1].multiselect(
        tr("office.incidents.filter_severity"),
        INCIDENT_SEVERITIES,
        format_func=lambda s: tr(f"office.severity.{s}"),
        placeholder=tr("office.choose_many"),
        key="office_inc_severity",
    )
    categories = cols[2].multiselect(
        tr("office.incidents.filter_category"),
        INCIDENT_CATEGORIES,
        format_func=lambda s: tr(f"office.category.{s}"),
        placeholder=tr("office.choose_many"),
        key="office_inc_category",
    )
    queue(election_id, municipality_code, statuses, severities, categories)
