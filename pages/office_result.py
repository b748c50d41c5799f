"""Office: the preliminary result (votes and share per list, N of M stations counted) and the
provisional seat projection by the Kieswet, clearly labelled provisional."""

import plotly.express as px
import streamlit as st

from app.ui import office as ui
from app.ui import session
from app.ui.session import tr
from app.ui.widgets import plot_text

actor = session.current_actor()
st.title(tr("office.result.title"))
picked = ui.pick_election(actor)


@st.fragment(run_every=ui.refresh_seconds())
def live(election_id: str, municipality_code: str) -> None:
    view = ui.result(actor, election_id, municipality_code)
    if view is None:
        return
    st.header(
        tr(
            "office.result.counted",
            n=view.stations_counted,
            m=view.stations_total,
            accepted=view.stations_accepted,
        )
    )
    st.progress(view.stations_counted / view.stations_total if view.stations_total else 0.0)
    if view.total_votes == 0:
        st.info(tr("office.result.none"))
        return
    if view.seats is not None:  # the seats column is a projection: said above the table, not only below
        st.warning(
            tr(
                "office.result.provisional",
                n=view.stations_counted,
                m=view.stations_total,
                seats=view.seats.seats,
            )
        )
    rows = [
        {
            tr("office.result.list"): f"{x.number}. {x.name}",
            tr("office.result.votes"): x.votes,
            tr("office.result.share"): ui.pct(x.share_permille),
            tr("office.result.seats"): x.seats,
        }
        for x in view.lists
    ]
    st.dataframe(rows, hide_index=True, width="stretch", placeholder="–")
    st.caption(
        tr("office.result.blank_invalid", blank=ui.number(view.blank), invalid=ui.number(view.invalid))
    )
    chart = px.bar(
        x=[x.votes for x in view.lists],
        y=[plot_text(f"{x.number}. {x.name}") for x in view.lists],  # list names: text, never HTML
        orientation="h",
        text=[f"{ui.number(x.votes)} ({ui.pct(x.share_permille)} %)" for x in view.lists],
        labels={"x": tr("office.result.votes"), "y": ""},
    )
    chart.update_layout(
        height=max(300, 30 * len(view.lists)), yaxis={"autorange": "reversed"}, separators=ui.separators()
    )
    st.plotly_chart(chart, width="stretch", key="office_result_chart")
    st.header(tr("office.result.projection"))
    if view.seats is None:
        st.warning(tr("office.result.no_council"))
        return
    seats = view.seats
    st.caption(
        tr(
            "office.result.quota",
            quota=ui.number(seats.quota, 2),
            method=tr(f"office.result.method.{seats.method.value}"),
        )
    )
    for tie in seats.ties_by_lot:
        st.caption(ui.lot_text(tie))
    allocated = [x for x in seats.lists if x.total_seats]
    seat_chart = px.bar(
        x=[x.total_seats for x in allocated],
        y=[plot_text(x.list_name) for x in allocated],
        orientation="h",
        text=[str(x.total_seats) for x in allocated],
        labels={"x": tr("office.result.seats"), "y": ""},
        title=tr("office.result.seats"),
    )
    seat_chart.update_layout(
        height=max(300, 30 * len(allocated)), yaxis={"autorange": "reversed"}, separators=ui.separators()
    )
    st.plotly_chart(seat_chart, width="stretch", key="office_seat_chart")


if picked is not None:
    live(*picked)
