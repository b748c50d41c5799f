"""Public page (no sign-in): turnout and the preliminary result of municipalities that publish them;
municipal totals only."""

import streamlit as st

from app.services import public
from app.ui import session
from app.ui.session import tr
from app.ui.texts import md_escape

st.title(tr("public.heading"))
ok, municipalities = session.call(public.public_municipalities)
municipalities = municipalities or []
if not municipalities:
    st.info(tr("public.none"))
    st.stop()
names = dict(municipalities)
code = st.selectbox(tr("public.choose"), list(names), format_func=names.get, key="public_muni")
ok, view = session.call(public.public_results, code)
if not ok or view is None:
    st.stop()
st.header(md_escape(f"{view.municipality_name} · {view.election_name} · {view.election_date:%d-%m-%Y}"))

st.subheader(tr("public.turnout"))
if view.turnout:
    st.dataframe(
        [
            {
                tr("public.moment"): t.moment,
                tr("public.admitted"): t.admitted,
                tr("public.percent"): "" if t.permille is None else f"{t.permille // 10},{t.permille % 10}",
                tr("public.stations_reported"): f"{t.stations_reported} / {view.stations_total}",
            }
            for t in view.turnout
        ],
        hide_index=True,
        placeholder="–",
    )
else:
    st.info(tr("public.no_turnout"))

st.subheader(tr("public.results"))
st.caption(
    tr(
        "public.counted",
        counted=view.stations_counted,
        total=view.stations_total,
        submitted=view.stations_counted - view.stations_accepted,
        accepted=view.stations_accepted,
    )
)
st.dataframe(
    [{tr("public.list"): f"{r.number}. {r.name}", tr("public.votes"): r.votes} for r in view.results],
    hide_index=True,
    width="stretch",
    placeholder="–",
)
