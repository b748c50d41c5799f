"""Office: every station on the map, coloured and labelled by state; a station's detail and timeline."""

import streamlit as st

from app.domain.alerts import STATE_SYMBOL
from app.services import office
from app.ui import office as ui
from app.ui import session, widgets
from app.ui.session import tr, tr_plain

MAP_HEIGHT_PX = 560

actor = session.current_actor()
st.title(tr("office.map.title"))
ui.show_flash()
picked = ui.pick_election(actor)
basemap = st.toggle(tr("office.map.basemap"), value=False, key="office_basemap")


@st.fragment(run_every=ui.refresh_seconds())
def live(election_id: str, municipality_code: str) -> None:
    view = ui.overview(actor, election_id, municipality_code)
    if view is None:
        return
    st.caption(tr("office.updated", time=view.now.strftime("%H:%M:%S"), seconds=ui.refresh_seconds()))
    cols = st.columns([4, 1])
    deck = ui.station_map(view, basemap=basemap)
    if deck is not None:
        # Stations in one building share one label, labels never overlap, the first view shows them all.
        deck = widgets.declutter(deck, height_px=MAP_HEIGHT_PX)
        event = cols[0].pydeck_chart(
            deck, height=MAP_HEIGHT_PX, on_select="rerun", selection_mode="single-object", key="office_deck"
        )
        picked_objects = (event.selection.objects if event is not None else {}).get("stations") or []
        if picked_objects:
            station_id = picked_objects[0].get("station_id")
            if station_id is not None and st.session_state.get("office_map_station") != station_id:
                st.session_state["office_map_station"] = station_id
                st.rerun()
    with cols[1]:
        ui.legend(view)


def detail(station_id: int) -> None:
    ok, found = session.call(office.station_detail, actor, station_id)
    if not ok or found is None:
        return
    row = found.row
    st.header(tr("office.detail.title", number=row.number, name=row.name))
    st.write(
        tr(
            "office.detail.state",
            symbol=STATE_SYMBOL[row.state],
            state=tr_plain(f"office.state.{row.state.value}"),
        )
    )
    if row.address:
        ui.inert(row.address)
    if found.stops:  # a mobiel station: where it is now, and its stops of the day
        mobile = row.station_type == "mobiel"  # else a station that closes for a while
        st.markdown(f"**{tr('office.detail.stops' if mobile else 'office.detail.periods')}**")
        now = found.now.strftime("%H:%M") if found.now else "–"
        here = next((s for s in found.stops if s.current), None)
        if here is not None:
            st.write(
                tr(
                    "office.detail.stop_here",
                    time=now,
                    location=here.location or "–",
                    until=f"{here.ends_at:%H:%M}",
                )
            )
        else:
            st.write(tr("office.detail.stop_none" if mobile else "office.detail.period_none", time=now))
        st.dataframe(
            [
                {
                    tr_plain("office.detail.stop_now"): tr_plain("office.detail.stop_current")
                    if s.current
                    else "",
                    tr_plain("office.detail.stop_from"): f"{s.starts_at:%H:%M}",
                    tr_plain("office.detail.stop_until"): f"{s.ends_at:%H:%M}",
                    tr_plain("office.detail.stop_location"): s.location or "",
                }
                for s in found.stops
            ],
            hide_index=True,
            width="stretch",
            placeholder="–",
        )
    if row.need_help:  # an open request for help: the chair's text, and the office marks it handled
        st.subheader(tr("help.office.title"), anchor=False)
        ui.help_requests(actor, [row])
    st.markdown(f"**{tr('office.detail.timeline')}**")
    if not found.timeline:
        st.info(tr("office.detail.empty"))
        return
    st.dataframe(ui.timeline_rows(found.timeline), hide_index=True, width="stretch", placeholder="–")


if picked is not None:
    live(*picked)
    view = ui.overview(actor, *picked)
    if view is not None:
        options = {r.station_id: r for r in view.stations}
        if st.session_state.get("office_map_station") not in (None, *options):
            st.session_state["office_map_station"] = None
        chosen = st.selectbox(
            tr("office.map.select"),
            [None, *options],
            format_func=lambda s: (
                tr("office.map.choose")
                if s is None
                else f"{ui.state_label(options[s].state)} · "
                + tr_plain("office.station_label", number=options[s].number, name=options[s].name)
            ),
            key="office_map_station",
        )
        if chosen is not None:
            detail(chosen)
