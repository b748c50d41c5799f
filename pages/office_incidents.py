"""Office: the incident queue. Filter by status, severity and category; acknowledge, assign to a
colleague, reply to the chair, resolve. Every step is in the station's timeline and the audit log."""

import uuid

import streamlit as st

from app.services import office
from app.storage.chair_models import INCIDENT_CATEGORIES, INCIDENT_SEVERITIES, INCIDENT_STATUSES
from app.ui import office as ui
from app.ui import session
from app.ui.session import tr

actor = session.current_actor()
st.title(tr("office.incidents.title"))
picked = ui.pick_election(actor)


def _form_id(name: str) -> str:
    """A submission id per form, made when the form is shown (a retry stores nothing twice)."""
    key = f"office_sub_{name}"
    if key not in st.session_state:
        st.session_state[key] = str(uuid.uuid4())
    return st.session_state[key]


def _done(name: str) -> None:
    st.session_state.pop(f"office_sub_{name}", None)
    ui.forget()
    st.toast(tr("office.incidents.done"))


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
    ok, incidents = session.call(
        office.list_incidents,
        actor,
        election_id,
        municipality_code,
        statuses=statuses,
        severities=severities,
        categories=categories,
    )
    ok_c, names = session.call(office.colleagues, actor, municipality_code)
    if ok and not incidents:
        st.info(tr("office.incidents.none"))
    for inc in incidents or []:
        header = tr(
            "office.incidents.header",
            id=inc.id,
            number=inc.station_number,
            name=inc.station_name,
            category=tr(f"office.category.{inc.category}"),
            severity=tr(f"office.severity.{inc.severity}"),
            status=tr(f"office.status.{inc.status}"),
        )
        with st.expander(header, expanded=inc.status == "open"):
            ui.inert(inc.text)  # as typed by the chair
            st.caption(
                tr("office.incidents.raised", who=inc.raised_by or "", time=inc.raised_at.strftime("%H:%M"))
            )
            if inc.assigned_to:
                st.caption(tr("office.incidents.assigned", who=inc.assigned_to))
            if inc.events:
                st.markdown(f"**{tr('office.incidents.history')}**")
                for ev in inc.events:
                    what = tr(f"office.timeline.incident_{ev.kind}")
                    line = f"{ev.occurred_at.strftime('%H:%M')} · {what} · {ev.actor_name or ''}"
                    if ev.assigned_to:
                        line += f" → {ev.assigned_to}"
                    ui.inert(line)
                    if ev.text:
                        ui.inert(f"    {ev.text}")
            if inc.status == "resolved":
                continue
            key = f"inc{inc.id}"
            action_cols = st.columns(2)
            if inc.status == "open" and action_cols[0].button(
                tr("office.incidents.acknowledge"), key=f"{key}_ack"
            ):
                ok_a, _ = session.call(
                    office.acknowledge_incident, actor, inc.id, client_submission_id=_form_id(f"{key}_ack")
                )
                if ok_a:
                    _done(f"{key}_ack")
                    st.rerun()
            with action_cols[1]:
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
                        _done(f"{key}_assign")
                        st.rerun()
            with st.form(f"{key}_reply_form", clear_on_submit=True):
                reply = st.text_area(tr("office.incidents.reply_text"), key=f"{key}_reply", max_chars=2000)
                if st.form_submit_button(tr("office.incidents.reply")):
                    ok_r, _ = session.call(
                        office.reply_incident,
                        actor,
                        inc.id,
                        reply,
                        client_submission_id=_form_id(f"{key}_reply"),
                    )
                    if ok_r:
                        _done(f"{key}_reply")
                        st.rerun()
            with st.form(f"{key}_resolve_form"):
                note = st.text_input(tr("office.incidents.resolve_note"), key=f"{key}_note", max_chars=2000)
                if st.form_submit_button(tr("office.incidents.resolve")):
                    ok_s, _ = session.call(
                        office.resolve_incident,
                        actor,
                        inc.id,
                        note,
                        client_submission_id=_form_id(f"{key}_resolve"),
                    )
                    if ok_s:
                        _done(f"{key}_resolve")
                        st.rerun()
