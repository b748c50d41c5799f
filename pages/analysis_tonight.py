"""Analyst: tonight's preliminary count per station against the previous election, as counts come in."""

import streamlit as st

from app.analysis import compare
from app.ui import analysis as ui
from app.ui.session import tr

st.title(tr("analysis.tonight.heading"))
st.write(tr("analysis.tonight.intro"))
ws, code, name = ui.workspace_and_municipality("tonight_municipality")
current = ws.current_election(code)
if current is None:
    st.info(tr("analysis.tonight.none"))
    st.stop()
previous_options = [e for e, _n, s in ws.elections(code) if s and e != current]
c1, c2 = st.columns(2)
c1.text_input(tr("analysis.tonight.current"), value=current, disabled=True)
if not previous_options:
    st.info(tr("analysis.no_data"))
    st.stop()
# Last time = the newest earlier election of the same kind (GR against GR), else the newest one.
same_kind = [i for i, e in enumerate(previous_options) if e[:2] == current[:2]]
previous = c2.selectbox(
    tr("analysis.tonight.previous"),
    previous_options,
    index=same_kind[0] if same_kind else 0,
    key="tonight_previous",
)

counted, total = compare.counted_progress(ws, current, [code])
st.metric(tr("analysis.tonight.progress", n=counted, m=total), f"{counted} / {total}")
st.progress(counted / total if total else 0.0)
if counted == 0:
    st.info(tr("analysis.tonight.none"))
    st.stop()

stations = compare.station_comparison(ws, previous, current, [code])
shares = compare.municipality_party_shares(ws, previous, current, [code])
ui.shares_chart(shares.head(15), f"{name}: {previous} / {current} ({counted}/{total})", previous, current)
ui.swing_chart(compare.biggest_movers(shares, 10), "party", tr("analysis.movers.heading"))
ui.station_map(stations, "largest_share_b", tr("analysis.stations.map"), signed=False)
ui.table(stations, f"vanavond_{code}_{previous}_{current}", "dl_tonight", a=previous, b=current)
ui.table(shares, f"vanavond_partijen_{code}_{previous}_{current}", "dl_tonight_shares", a=previous, b=current)
