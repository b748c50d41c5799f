"""Office: the open requests for help (each with every text the chair sent while it was open, to mark
handled), then the alerts of all stations, newest first, each linked to its station. The page refreshes
itself (a fragment with ``run_every``); what is typed in a request's form survives a refresh, also when
another request arrives or one is handled (``ui.help_requests``). Browser test:
tests/e2e/test_help_live.py (AppTest never fires ``run_every``)."""

import streamlit as st

from app.ui import office as ui
from app.ui import session
from app.ui.navigation import PAGES
from app.ui.session import tr, tr_plain

actor = session.current_actor()
st.title(tr("office.alerts.title"))
ui.show_flash()
picked = ui.pick_election(actor)


@st.fragment(run_every=ui.refresh_seconds())
def live(election_id: str, municipality_code: str) -> None:
    view = ui.overview(actor, election_id, municipality_code)
    if view is None:
        return
    st.caption(tr("office.updated", time=view.now.strftime("%H:%M:%S"), seconds=ui.refresh_seconds()))
    # the requests for help in a block of their own: each request keeps its place and its form while the
    # list refreshes (ui.help_requests), whatever changes below
    with st.container():
        if view.help_requests:
            st.header(tr("help.office.title"), anchor=False)
            ui.help_requests(actor, view.stations)
    if not view.alerts:
        st.info(tr("office.alerts.none"))
        return
    st.dataframe(ui.alert_rows(view.alerts), hide_index=True, width="stretch", placeholder="–")
    stations = {a.station_id: (a.station_number, a.station_name) for a in view.alerts}
    choice = st.selectbox(
        tr("office.alerts.open_station"),
        [None, *stations],
        format_func=lambda s: (
            tr("office.map.choose")
            if s is None
            else tr_plain("office.station_label", number=stations[s][0], name=stations[s][1])
        ),
        placeholder=tr("office.choose_one"),
        key="office_alert_station",
    )
    if choice is not None:
        st.session_state["office_map_station"] = choice
        st.switch_page(st.Page(PAGES / "office_map.py", url_path="office_map"))


if picked is not None:
    live(*picked)
