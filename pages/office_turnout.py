"""Office: municipal turnout over the day against past elections, and admitted voters per station
(counts only: any voter may vote at any station of the municipality, so no per-station percentage)."""

import streamlit as st

from app.ui import office as ui
from app.ui import session
from app.ui.session import tr, tr_plain

actor = session.current_actor()
st.title(tr("office.turnout.title"))
picked = ui.pick_election(actor)


@st.fragment(run_every=ui.refresh_seconds())
def live(election_id: str, municipality_code: str) -> None:
    view = ui.turnout(actor, election_id, municipality_code)
    if view is None:
        return
    electorate = view.context.electorate
    if electorate:
        st.caption(tr("office.turnout.explain", electorate=ui.number(electorate)))
    else:
        st.warning(tr("office.turnout.no_electorate"))
    st.plotly_chart(ui.turnout_chart(view), width="stretch", key="office_turnout_chart")
    st.dataframe(
        [
            {
                tr("office.turnout.moment"): m.moment,
                tr("office.turnout.reported"): f"{m.stations_reported} / {view.stations_total}",
                # a moment no station has reported yet (or not come yet) has no count, not 0
                tr("office.turnout.admitted"): ui.number(m.admitted_voters if m.stations_reported else None),
                tr("office.turnout.pct"): ui.pct(m.permille),
            }
            for m in view.moments
        ],
        hide_index=True,
        width="stretch",
        placeholder="–",
    )
    st.header(tr("office.turnout.per_station"))
    st.dataframe(
        [
            {
                tr("office.station"): tr_plain("office.station_label", number=s.number, name=s.name),
                tr("office.turnout.last_moment"): s.moment or "–",
                tr("office.turnout.admitted"): s.admitted_voters,  # a number: the column sorts as one
            }
            for s in view.stations
        ],
        hide_index=True,
        width="stretch",
        column_config={
            tr("office.turnout.admitted"): st.column_config.NumberColumn(format="localized"),
        },
        placeholder="–",
    )


if picked is not None:
    live(*picked)
