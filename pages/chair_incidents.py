"""Chair: raise an incident, follow the office's replies and the status. User text is shown inert."""

import streamlit as st

from app.domain.reports import INCIDENT_CATEGORIES, SEVERITIES
from app.services import chair
from app.ui import chair as ui
from app.ui import session
from app.ui.session import tr

me = ui.station()
if me is None:
    st.stop()
actor, sid = me
st.title(tr("chair.incident.title"))

st.header(tr("chair.incident.new"))
with st.form("chair_incident_form"):
    category = st.selectbox(
        tr("chair.incident.category"),
        INCIDENT_CATEGORIES,
        format_func=lambda v: tr(f"chair.category.{v}"),
        key="incident_category",
    )
    severity = st.radio(
        tr("chair.incident.severity"),
        SEVERITIES,
        index=1,
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
            category,
            text,
            severity=severity,
            client_submission_id=ui.submission_id("incident"),
            where=box,
        )
        if ok:
            ui.new_submission("incident")
            with box:
                ui.report_feedback(result)

ok, incidents = session.call(chair.my_incidents, actor, sid)
if ok and not incidents:
    st.info(tr("chair.incident.none"))
for incident in incidents or []:
    label = (
        f"{incident.reported_at.astimezone(chair.TZ):%H:%M} · {tr(f'chair.category.{incident.category}')} · "
        f"{tr(f'chair.severity.{incident.severity}')} · {tr(f'chair.incident_status.{incident.status}')}"
    )
    with st.container(border=True):
        st.markdown(f"**{label}**")
        ui.inert(incident.text)
        st.caption(tr("chair.incident.replies"))
        if not incident.events:
            st.caption(tr("chair.incident.no_replies"))
        for event in incident.events:
            who = event.actor_name or ""
            st.caption(f"{event.occurred_at.astimezone(chair.TZ):%H:%M} · {tr(f'chair.event.{event.kind}')}")
            ui.inert(f"{who}: {event.text or event.assigned_to or ''}")
