"""Administration: access letters (new codes and one-time links as PDF) and revoking a station's access."""

import streamlit as st

from app.services import admin, codes, letters, stations
from app.ui import session
from app.ui.session import tr

actor = session.current_actor()
st.title(tr("admin.access.heading"))
st.caption(tr("admin.access.intro"))

ok, elections = session.call(admin.list_elections, actor)
ok2, municipalities = session.call(admin.list_municipalities, actor)
elections, municipalities = elections or [], municipalities or []
if not elections or not municipalities:
    st.stop()
by_id = {e.id: e for e in elections}
names = {m.code: f"{m.name} ({m.code})" for m in municipalities}
eid = st.selectbox(
    tr("admin.election"), list(by_id), format_func=lambda i: f"{i} · {by_id[i].name}", key="acc_el"
)
muni = st.selectbox(tr("admin.municipality"), list(names), format_func=names.get, key="acc_muni")
ok, rows = session.call(stations.list_stations, actor, eid, muni)
rows = rows or []
labels = {s.number: f"{s.number} · {s.name}" for s in rows}

with st.form("letters_form"):
    base_url = st.text_input(tr("admin.access.base_url"), value="https://", max_chars=200, key="acc_base")
    chosen = st.multiselect(
        tr("admin.access.stations"), list(labels), format_func=labels.get, key="acc_stations"
    )
    if st.form_submit_button(tr("admin.access.make"), type="primary"):
        with st.spinner(tr("admin.access.make")):
            ok, pdf = session.call(
                letters.letters_as_pdf,
                actor,
                eid,
                muni,
                base_url,
                station_numbers=chosen or None,
                lang=session.lang(),
            )
        if ok and pdf:
            st.session_state["acc_pdf"] = pdf
            st.success(tr("admin.access.made", n=len(chosen) or len(rows)))
pdf = st.session_state.pop("acc_pdf", None)
if pdf:
    st.download_button(
        tr("admin.access.download"),
        pdf,
        file_name=f"toegangsbrieven-{muni}-{eid}.pdf",
        mime="application/pdf",
    )

st.header(tr("admin.access.revoke"))
with st.form("revoke_form"):
    ids = {s.number: s.id for s in rows}
    number = st.selectbox(
        tr("admin.access.revoke_station"), list(labels), format_func=labels.get, key="acc_revoke"
    )
    if st.form_submit_button(tr("admin.access.revoke")) and number is not None:
        ok, n = session.call(codes.revoke_codes, actor, ids[number])
        if ok:
            st.success(tr("admin.access.revoked", n=n))
