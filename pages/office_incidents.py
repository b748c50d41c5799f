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
  that a new incident arriving above does not move the open one to another place in the page;
- the open incident is listed whatever the filters: when a colleague resolves or changes it meanwhile,
  it stays open in its place with a notice of what changed, by whom, and its forms stay with what was
  typed (the services add a reply to a resolved incident; a note typed to resolve it can go as a reply);
- the open incident's parts (notices and history, actions, reply form, resolve form) are blocks of
  their own, so that a notice appearing or the actions going away does not move the forms.
Browser test: tests/e2e/test_incidents_live.py (AppTest never fires ``run_every``)."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import streamlit as st

from app.services import office
from app.storage.chair_models import INCIDENT_CATEGORIES, INCIDENT_SEVERITIES, INCIDENT_STATUSES
from app.ui import office as ui
from app.ui import session, widgets
from app.ui.session import tr, tr_plain

actor = session.current_actor()
st.title(tr("office.incidents.title"))
ui.show_flash()
picked = ui.pick_election(actor)
#: the id of the incident open now (None or absent: all closed)
OPEN = "office_inc_open"
#: per open incident: the events already seen in this session (when opened, or done by this user)
SEEN = "inc_seen_{}"
#: (id, how many incidents are above it) of the open incident, while it matched the filters
PLACE = "office_inc_open_place"
#: text fields to empty before they are drawn (a reply or note just stored)
EMPTY = "office_inc_empty"
#: the kinds of event with a "meanwhile" text of their own
MEANWHILE_KINDS = ("acknowledge", "assign", "reply", "resolve")
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


def _event_key(ev: office.IncidentEventView) -> tuple[str, str, str, str, str]:
    """An event's identity in the session (the view has no id): kind, time, who, assignee, text."""
    return (ev.kind, ev.occurred_at.isoformat(), ev.actor_name or "", ev.assigned_to or "", ev.text or "")


def _done(name: str, incident_id: int, kind: str, view: office.IncidentView | None) -> None:
    """After this user's step: it is seen (not "meanwhile"); what a colleague did before it is not."""
    seen = st.session_state.setdefault(SEEN.format(incident_id), set())
    if view is not None and actor is not None:
        for ev in reversed(view.events):
            if ev.kind == kind and ev.actor_name == actor.name and _event_key(ev) not in seen:
                seen.add(_event_key(ev))
                break
    st.session_state.pop(f"office_sub_{name}", None)
    st.session_state.pop(f"inc_label_{incident_id}", None)  # its line shows the step just taken
    ui.forget()
    ui.flash("office.incidents.done")
    st.rerun()  # the incident stays open: it is still the one in OPEN


def _toggle(incident_id: int) -> None:
    """One incident open at a time: opening one closes the one open before."""
    st.session_state.pop(SEEN.format(incident_id), None)  # opened: what it shows now is seen
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


def _meanwhile(ev: office.IncidentEventView) -> str:
    kind = ev.kind if ev.kind in MEANWHILE_KINDS else "other"
    return tr(
        f"office.incidents.meanwhile.{kind}",
        who=ev.actor_name or tr_plain("office.incidents.a_colleague"),
        time=ev.occurred_at.strftime("%H:%M"),
        assignee=ev.assigned_to or "",
    )


def _detail(
    inc: office.IncidentView,
    municipality_code: str,
    now: dt.datetime,
    meanwhile: list[office.IncidentEventView],
    matches: bool,
) -> None:
    """The open incident. ``meanwhile``: what others did since this user opened it or last acted on it;
    ``matches``: whether it matches the filters (it is shown while open whether or not it does)."""
    resolved = inc.status == "resolved"
    # resolved while open here: the forms stay, with what was typed in them (the page keeps no copy)
    resolved_meanwhile = resolved and any(ev.kind == "resolve" for ev in meanwhile)
    # what grows as the incident goes on (notices, its history) is in one container: the forms below keep
    # their place in the page, so a refresh does not take the cursor out of a reply being typed
    with st.container():
        if meanwhile:
            lines = [_meanwhile(ev) for ev in meanwhile]
            if resolved_meanwhile:
                lines.append(tr("office.incidents.meanwhile_kept_resolved"))
                st.warning("  \n".join(lines), icon=":material/task_alt:")
            else:
                lines.append(tr("office.incidents.meanwhile_kept"))
                st.info("  \n".join(lines), icon=":material/group:")
        if not matches:
            st.caption(tr("office.incidents.not_in_filter"))
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
    if resolved and not resolved_meanwhile:
        return
    key = f"inc{inc.id}"
    for field in st.session_state.pop(EMPTY, set()):
        st.session_state[field] = ""
    with st.container():  # the actions, gone once resolved: the forms below keep their place
        if not resolved:
            _actions(inc, municipality_code, key)
    # not cleared on submit: a reply that cannot be stored (the database away) stays to send again
    with st.form(f"{key}_reply_form"):
        reply = st.text_area(tr("office.incidents.reply_text"), key=f"{key}_reply", max_chars=2000)
        if resolved:  # the reply service adds it to the resolved incident
            st.caption(tr("office.incidents.reply_to_resolved"))
        if st.form_submit_button(tr("office.incidents.reply")):
            _send(office.reply_incident, inc.id, reply, f"{key}_reply", "reply", field=f"{key}_reply")
    with st.form(f"{key}_resolve_form"):
        note = st.text_input(tr("office.incidents.resolve_note"), key=f"{key}_note", max_chars=2000)
        if resolved:  # resolving again is refused (office.error.incident_resolved): the note as a reply
            if st.form_submit_button(tr("office.incidents.note_as_reply")):
                _send(office.reply_incident, inc.id, note, f"{key}_note_reply", "reply", field=f"{key}_note")
        elif st.form_submit_button(tr("office.incidents.resolve")):
            _send(office.resolve_incident, inc.id, note, f"{key}_resolve", "resolve")


def _actions(inc: office.IncidentView, municipality_code: str, key: str) -> None:
    """Acknowledge and assign (refused by the services once the incident is resolved)."""
    st.markdown(f"**{tr('review.incidents.actions')}**")
    action_cols = st.columns(2)
    if inc.status == "open" and action_cols[0].button(
        tr("office.incidents.acknowledge"), key=f"{key}_ack", type="primary"
    ):
        ok_a, done = session.call(
            office.acknowledge_incident, actor, inc.id, client_submission_id=_form_id(f"{key}_ack")
        )
        if ok_a:
            _done(f"{key}_ack", inc.id, "acknowledge", done)
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
            ok_a, done = session.call(
                office.assign_incident,
                actor,
                inc.id,
                assignee,
                client_submission_id=_form_id(f"{key}_assign"),
            )
            if ok_a:
                _done(f"{key}_assign", inc.id, "assign", done)


def _send(
    service: Callable[..., Any], incident_id: int, text: str, name: str, kind: str, field: str | None = None
) -> None:
    """A reply or a resolution, with the text typed (one submission id per form, for retries). The text
    ``field`` is emptied once stored, and only then: a refused or failed send keeps what was typed."""
    ok, done = session.call(service, actor, incident_id, text, client_submission_id=_form_id(name))
    if ok:
        if field is not None:  # emptied at the next run, before the field is drawn (not now: it is drawn)
            st.session_state.setdefault(EMPTY, set()).add(field)
        _done(name, incident_id, kind, done)


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
        keep=st.session_state.get(OPEN),  # the open one stays, whatever a colleague did to it meanwhile
    )
    chosen = ((statuses, "status"), (severities, "severity"), (categories, "category"))
    matching = {
        inc.id
        for inc in incidents or []
        if all(not values or getattr(inc, name) in values for values, name in chosen)
    }
    # the office's clock (a running simulator's time of day), as on the overview: the ages agree with it
    view = ui.overview(actor, election_id, municipality_code)
    now = view.now if view is not None else dt.datetime.now(ui.LOCAL_TZ)
    # a fixed number of blocks at the top level (see the module's docstring): head, above, open, below
    head, above, current, below = st.container(), st.container(), st.container(), st.container()
    with head:
        if view is not None:
            ui.clock_notice(view)
        st.caption(tr("office.updated", time=now.strftime("%H:%M:%S"), seconds=ui.refresh_seconds()))
        if ok and not matching:
            st.info(tr("office.incidents.none"))
        elif ok:
            st.caption(tr("review.incidents.order", n=len(matching)))
    # where the open incident stands: after this many others. When a colleague resolves it, it sorts last
    # and would move down the page by every line below it while its reply is being typed: it keeps the
    # place it had while it matched the filters.
    listed = incidents or []
    open_id = st.session_state.get(OPEN)
    ids = [inc.id for inc in listed]
    if open_id in ids and (open_id in matching or st.session_state.get(PLACE, (None,))[0] != open_id):
        st.session_state[PLACE] = (open_id, ids.index(open_id))
    n_above = st.session_state[PLACE][1] if open_id in ids else len(ids)
    others = 0
    for inc in listed:
        is_open = st.session_state.get(OPEN) == inc.id
        label = _label(inc, now)
        if is_open:  # its line as when it was opened: the same element while the user types in it
            kept = st.session_state.get(f"inc_label_{inc.id}")
            if kept is None or kept[0] != session.lang():  # (another language: its line in that one)
                kept = st.session_state[f"inc_label_{inc.id}"] = (session.lang(), label)
            label = kept[1]
        else:
            st.session_state.pop(f"inc_label_{inc.id}", None)
            st.session_state.pop(SEEN.format(inc.id), None)
        if not is_open:
            others += 1
        box = (current if is_open else above if others <= n_above else below).expander(
            label,
            expanded=is_open,
            key=f"inc_open_{inc.id}",
            icon=SEVERITY_ICON.get(inc.severity),
            on_change=_toggle,
            args=(inc.id,),
        )
        if is_open:  # only the open incident is drawn with its forms: a compact page
            seen = st.session_state.setdefault(SEEN.format(inc.id), {_event_key(ev) for ev in inc.events})
            meanwhile = [ev for ev in inc.events if _event_key(ev) not in seen]
            with box:
                _detail(inc, municipality_code, now, meanwhile, inc.id in matching)


if picked is not None:
    election_id, municipality_code = picked
    cols = st.columns(3)
    statuses = widgets.choose_many(
        tr("office.incidents.filter_status"),
        INCIDENT_STATUSES,
        default=["open", "acknowledged"],
        format_func=lambda s: tr(f"office.status.{s}"),
        placeholder=tr("office.choose_many"),
        key="office_inc_status",
        where=cols[0],
    )
    severities = widgets.choose_many(
        tr("office.incidents.filter_severity"),
        INCIDENT_SEVERITIES,
        format_func=lambda s: tr(f"office.severity.{s}"),
        placeholder=tr("office.choose_many"),
        key="office_inc_severity",
        where=cols[1],
    )
    categories = widgets.choose_many(
        tr("office.incidents.filter_category"),
        INCIDENT_CATEGORIES,
        format_func=lambda s: tr(f"office.category.{s}"),
        placeholder=tr("office.choose_many"),
        key="office_inc_category",
        where=cols[2],
    )
    queue(election_id, municipality_code, statuses, severities, categories)
