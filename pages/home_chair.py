"""Home of a polling-station chair: where things stand, what to do now (one big button), and every task
within a thumb's reach (on a phone the navigation is folded away)."""

import streamlit as st

from app.domain.access import Role
from app.services import chair, home
from app.ui import chair as ui
from app.ui import navigation, session
from app.ui.session import tr
from app.ui.texts import md_escape

me = ui.station()
if me is None:
    st.stop()
actor, sid = me
ok, info = session.call(home.chair_home, actor)
if not ok or info is None:
    st.stop()
st.title(tr("home.chair.heading", number=info.number, name=info.name))
st.caption(
    md_escape(
        f"{info.election_name} · {info.municipality_name} · {info.election_date:%d-%m-%Y}"
        f" · {info.opens_at:%H:%M}–{info.closes_at:%H:%M}"
    )
)
if info.address:
    ui.inert(info.address)

ok, state = session.call(chair.station_overview, actor, sid)
if not ok or state is None:
    st.stop()
pages = {spec.file: spec for spec in navigation.specs_for(Role.CHAIR)}

st.header(tr("home.chair.next"), anchor=False)
step = ui.next_step(state, ui.local_now())
if step is None:
    done = state.count_status == "accepted"
    (st.success if done else st.info)(tr("home.chair.next.done" if done else "home.chair.next.wait"))
else:
    st.info(tr(step.key, **step.params), icon=":material/arrow_forward:")
    st.page_link(navigation.page_of(pages[step.page]), width="stretch")

st.header(tr("home.chair.state"), anchor=False)
lines = [tr("chair.status", status=tr(f"chair.status.{state.status}"))]
if state.opened_at is not None:
    lines.append(tr("home.chair.opened", time=state.opened_at.astimezone(ui.TZ).strftime("%H:%M")))
if state.members_present is not None:
    lines.append(tr("home.chair.members", n=state.members_present))
if state.ballots_left is not None:
    low = f" ({tr('home.chair.low_stock')})" if state.low_stock else ""
    lines.append(tr("home.chair.ballots", n=state.ballots_left) + low)
if state.turnout:
    last = max(state.turnout, key=lambda t: t.moment)
    lines.append(tr("home.chair.turnout", moment=last.moment, n=last.total_admitted_voters_count))
if state.open_incidents:
    lines.append(tr("home.chair.incidents", n=state.open_incidents))
if state.count_status is not None:
    status = tr(f"chair.status.count_{state.count_status}")
    lines.append(tr("home.chair.count", status=status, version=state.count_version))
for line in lines:
    st.markdown(f"- {line}")

st.header(tr("home.chair.all"), anchor=False)
for spec in pages.values():
    if spec.file != "home_chair.py":
        st.page_link(navigation.page_of(spec), width="stretch")
