"""Office: the live overview of election day, refreshing itself without a page reload."""

import streamlit as st

from app.ui import office as ui
from app.ui import session
from app.ui.session import tr
from app.ui.texts import md_escape

actor = session.current_actor()
picked = ui.pick_election(actor)


@st.fragment(run_every=ui.refresh_seconds())
def live(election_id: str, municipality_code: str) -> None:
    view = ui.overview(actor, election_id, municipality_code)
    if view is None:
        return
    ctx = view.context
    st.title(tr("office.overview.title", municipality=ctx.municipality_name))
    ui.clock_notice(view)
    st.caption(
        md_escape(f"{ctx.election_id} · {ctx.election_name} · ")
        + tr("office.updated", time=view.now.strftime("%H:%M:%S"), seconds=ui.refresh_seconds())
    )
    row1 = st.columns(4)
    row1[0].metric(tr("office.overview.open"), ui.number(view.stations_open), border=True)
    row1[0].caption(tr("office.overview.open_of", total=ui.number(view.stations_total)))
    row1[1].metric(tr("office.overview.not_open"), ui.number(view.not_open_after_opening), border=True)
    row1[2].metric(
        tr("office.overview.incidents"), ui.number(sum(view.incidents_by_severity.values())), border=True
    )
    row1[2].caption(tr("office.overview.incidents_by", **view.incidents_by_severity))
    row1[3].metric(
        tr("office.overview.counts"),
        tr("office.overview.counts_of", n=ui.number(view.counts_in), m=ui.number(view.stations_total)),
        border=True,
    )
    row2 = st.columns(4)
    row2[0].metric(tr("office.overview.low_stock"), ui.number(view.low_stock), border=True)
    row2[1].metric(tr("office.overview.members"), ui.number(view.too_few_members), border=True)
    row2[2].metric(  # a short label (a long one was cut off), what it counts in its help
        tr("office.overview.silent"),
        ui.number(view.silent),
        border=True,
        help=tr("office.overview.silent_help", minutes=ui.settings().silent_minutes),
    )
    # One moment's figure (the latest all open stations reported for), never a mix of moments; a later
    # moment still coming in is shown as progress, so the figure does not drop at its first report.
    shown, coming = view.turnout, view.turnout_coming
    row2[3].metric(
        tr("office.overview.turnout"),
        tr("office.overview.turnout_value", pct=ui.pct(shown.moment.permille if shown else None)),
        border=True,
    )
    if shown is None:
        row2[3].caption(tr("office.overview.turnout_not_yet"))
    for head in (h for h in (shown, coming) if h is not None):
        row2[3].caption(
            tr(
                "office.overview.turnout_moment",
                moment=head.moment.moment,
                n=ui.number(head.moment.stations_reported),
                m=ui.number(head.expected),
            )
        )
    row2[3].caption(tr("office.overview.admitted", n=ui.number(shown.moment.admitted_voters if shown else 0)))
    cmp = view.comparison
    if cmp is None:
        st.caption(tr("office.overview.no_compare"))
    else:
        if cmp.at_time_permille is not None and cmp.moment is not None:
            st.write(
                tr(
                    "office.overview.compare",
                    election=cmp.election_id,
                    moment=cmp.moment,
                    pct=ui.pct(cmp.at_time_permille),
                    source=tr(f"office.source.{cmp.source}"),
                )
            )
        st.caption(
            tr("office.overview.compare_final", election=cmp.election_id, pct=ui.pct(cmp.final_permille))
        )
    st.header(tr("office.overview.states"))
    st.dataframe(
        [{tr("office.state." + s): n for s, n in view.by_state.items()}],
        hide_index=True,
        width="stretch",
        placeholder="–",
    )
    st.header(tr("office.overview.latest_alerts"))
    if view.help_requests:  # requests for help first, all of them, whatever came in since
        st.error(tr("help.office.count", n=view.help_requests))
        # every text of each open request (a chair may ask again while it is open), each with its time
        st.dataframe(ui.help_rows(view.stations), hide_index=True, width="stretch", placeholder="–")
    if view.alerts:
        st.dataframe(ui.alert_rows(view.alerts[:10]), hide_index=True, width="stretch", placeholder="–")
    else:
        st.info(tr("office.alerts.none"))


if picked is not None:
    live(*picked)
