"""Chair: raise an incident, follow the office's replies and the status. User text is shown inert.

No category is chosen beforehand (a fire alarm must not land under a ballot shortage): the service refuses
a report without one, with the message at the field. After a report the form is emptied and says so, so
that pressing again does not send it twice; a refused report keeps what was typed. The list of incidents
refreshes itself (a fragment with ``run_every``), so the office's replies appear without a reload; the
form is outside it and is never redrawn by a refresh."""

import datetime as dt

import streamlit as st

from app.config import settings
from app.domain.reports import INCIDENT_CATEGORIES, SEVERITIES
from app.services import chair
from app.ui import chair as ui
from app.ui import session
from app.ui.session import tr
from app.ui.texts import md_escape

PAGE = "chair_incidents"

me = ui.station()
if me is None:
    st.stop()
actor, sid = me
st.title(tr("chair.incident.title"))

st.header(tr("chair.incident.new"))
session.after_rerun(PAGE)  # "Incident gemeld." and the emptied form, after a report
# The form's starting values live in the session state (a report resets them there), not in the widgets:
# a widget given both logs a warning with its stack trace on every rerun.
st.session_state.setdefault("incident_category", None)
st.session_state.setdefault("incident_severity", SEVERITIES[1])
with st.form("chair_incident_form"):
    category = st.selectbox(
        tr("chair.incident.category"),
        INCIDENT_CATEGORIES,
        placeholder=tr("review.chair.category_placeholder"),
        format_func=lambda v: tr(f"chair.category.{v}"),
        key="incident_category",
    )
    category_box = st.container()
    severity = st.radio(
        tr("chair.incident.severity"),
        SEVERITIES,
        format_func=lambda v: tr(f"chair.severity.{v}"),
        horizontal=True,
        key="incident_severity",
    )
    text = st.text_area(tr("chair.incident.text"), key="incident_text")
    box = st.container()
    if st.form_submit_button(tr("chair.incident.submit"), type="primary", width="stretch"):
        ok, result = session.call(
            chair.raise_incident,
            actor,
            sid,
            category or "",  # none chosen: the service refuses it, at the field
            text,
            severity=severity,
            client_submission_id=ui.submission_id("incident"),
            where=category_box if category is None else box,
        )
        if ok:
            ui.new_submission("incident")
            session.rerun_saying(
                PAGE,
                "chair.duplicate" if getattr(result, "duplicate", False) else "review.chair.sent",
                incident_category=None,
                incident_severity=SEVERITIES[1],
                incident_text="",
            )


def _event_line(event: chair.IncidentEventView) -> str:
    """``14:05 · In behandeling genomen · door Office Haarlem``; an assignment names the colleague."""
    what = tr(f"chair.event.{event.kind}")
    if event.kind == "assign" and event.assigned_to:
        what = what + md_escape(f" {event.assigned_to}")
    parts = [md_escape(f"{event.occurred_at.astimezone(chair.TZ):%H:%M}"), what]
    if event.actor_name:
        parts.append(tr("review.chair.event_by", who=event.actor_name))
    return " · ".join(parts)


@st.fragment(run_every=settings().refresh_seconds)
def my_incidents() -> None:
    ok, incidents = session.call(chair.my_incidents, actor, sid)
    st.header(tr("review.chair.mine"))
    st.caption(
        tr(
            "review.chair.updated",
            time=f"{dt.datetime.now(chair.TZ):%H:%M:%S}",
            seconds=settings().refresh_seconds,
        )
    )
    if ok and not incidents:
        st.info(tr("chair.incident.none"))
    for incident in incidents or []:
        label = " · ".join(
            (
                f"{incident.reported_at.astimezone(chair.TZ):%H:%M}",
                tr(f"chair.category.{incident.category}"),
                tr(f"chair.severity.{incident.severity}"),
                tr(f"chair.incident_status.{incident.status}"),
            )
        )
        with st.container(border=True):
            st.markdown(f"**{label}**")
            ui.inert(incident.text)
            st.caption(tr("chair.incident.replies"))
            if not incident.events:
                st.caption(tr("chair.incident.no_replies"))
            for event in incident.events:
                st.caption(_event_line(event))
                ui.inert(event.text)  # a reply or a note as typed; nothing for a step without text


my_incidents()
