"""Chair: the opening checklist, the time of opening, and members present (also shift changes)."""

import streamlit as st

from app.domain import reports
from app.services import chair
from app.ui import chair as ui
from app.ui import session
from app.ui.session import tr
from app.ui.texts import md_escape

me = ui.station()
if me is None:
    st.stop()
actor, sid = me
PAGE = "chair_opening"
st.title(tr("chair.opening.title"))
ui.after_saved(PAGE)
ok, info = session.call_or_kept("chair_opening", chair.station_overview, actor, sid)  # db down: keep the form
if not ok or info is None:
    st.stop()
st.write(tr("chair.status", status=tr(f"chair.status.{info.status}")))

if info.opened_at is None:
    with st.form("chair_opening_form"):
        st.header(tr("chair.opening.checklist"))
        ticks = {
            item["key"]: st.checkbox(
                md_escape(item.get(session.lang(), item.get("nl", item["key"]))),
                key=f"open_item_{item['key']}",
            )
            for item in info.checklist_items
        }
        received = st.number_input(
            tr("chair.opening.ballots_received"), min_value=0, step=1, value=None, key="open_received"
        )
        now = ui.local_now()  # the chair reports the opening as it happens: now is the likely time
        opened = st.time_input(
            tr("chair.opening.time"),
            value=now.time().replace(second=0, microsecond=0),
            key="open_time",
            step=60,
        )
        box = st.container()
        if st.form_submit_button(tr("chair.opening.submit"), type="primary", width="stretch"):
            ok, result = session.call(
                chair.submit_opening,
                actor,
                sid,
                ticks,
                opened_at=reports.on_election_day(opened, now),  # as entered: a time ahead is refused
                ballots_received=None if received is None else int(received),
                client_submission_id=ui.submission_id("opening"),
                where=box,
            )
            if ok:
                ui.new_submission("opening")
                st.rerun()
else:
    st.success(tr("chair.opening.done", time=f"{info.opened_at.astimezone(chair.TZ):%H:%M}"))

st.header(tr("chair.members.title"))
if info.members_present is not None:
    st.write(tr("chair.members.current", n=info.members_present))
with st.form("chair_members_form"):
    last = info.members_present
    present = st.number_input(  # starts from the members last reported (a shift change), else 3
        tr("chair.members.count"),
        min_value=1,
        max_value=7,
        step=1,
        value=min(max(last, 1), 7) if last is not None else 3,
        key="members_count",
    )
    names = st.text_area(tr("chair.members.names"), key="members_names")
    note = st.text_input(tr("chair.members.note"), key="members_note")
    box = st.container()
    if st.form_submit_button(tr("chair.members.submit"), width="stretch"):
        ok, result = session.call(
            chair.report_members,
            actor,
            sid,
            int(present),
            names=[n for n in names.splitlines() if n.strip()],
            note=note,
            client_submission_id=ui.submission_id("members"),
            where=box,
        )
        if ok:
            ui.new_submission("members")
            ui.saved(PAGE, result, members_note="")  # "Laatst gemeld" shows the members just reported
