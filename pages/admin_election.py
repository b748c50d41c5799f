"""Administration: set up an election by hand (settings, municipality, lists, stations) or from files."""

import datetime as dt

import streamlit as st

from app.domain.errors import InvalidInput
from app.services import admin, imports, setup, stations
from app.ui import session
from app.ui.session import tr
from app.ui.texts import error_text

actor = session.current_actor()
st.title(tr("admin.election.heading"))
st.caption(tr("admin.election.intro"))

ok, elections = session.call(admin.list_elections, actor)
elections = elections or []
by_id = {e.id: e for e in elections}
choice = st.selectbox(
    tr("admin.election"),
    [None, *by_id],
    format_func=lambda i: (
        tr("admin.new_election")
        if i is None
        else f"{i} · {by_id[i].name} ({by_id[i].election_date:%d-%m-%Y})"
    ),
    index=1 if by_id else 0,
    key="election_choice",
)
current = by_id.get(choice) if choice else None

with st.form("election_form"):
    eid = st.text_input(
        tr("admin.election_id"), value=current.id if current else "", max_chars=24, key="el_id"
    )
    kinds = ["GR", "TK", "PS", "WS", "EP", "EK", "referendum"]
    kind = st.selectbox(
        tr("admin.kind"), kinds, index=kinds.index(current.kind) if current else 0, key="el_kind"
    )
    name = st.text_input(
        tr("admin.name"), value=current.name if current else "", max_chars=200, key="el_name"
    )
    date = st.date_input(
        tr("admin.date"),
        value=current.election_date if current else dt.date.today(),
        format="DD-MM-YYYY",
        key="el_date",
    )
    council = st.number_input(
        tr("admin.council_size"),
        min_value=0,
        max_value=150,
        step=1,
        value=(current.council_size or 0) if current else 0,
        key="el_council",
    )
    moments = st.text_input(
        tr("admin.moments"),
        value=", ".join(current.turnout_moments if current else setup.DEFAULT_TURNOUT_MOMENTS),
        key="el_moments",
    )
    checklist = st.text_area(
        tr("admin.checklist"),
        value="\n".join(
            f"{c['key']} | {c['nl']} | {c['en']}"
            for c in (current.checklist_items if current else setup.DEFAULT_CHECKLIST)
        ),
        height=160,
        key="el_checklist",
    )
    low_stock = st.number_input(
        tr("admin.low_stock"),
        min_value=0,
        step=10,
        value=current.low_stock_threshold if current else 50,
        key="el_low",
    )
    if st.form_submit_button(tr("admin.save_election")):
        try:
            items = admin.parse_checklist(checklist)
        except InvalidInput as err:
            st.error(error_text(err, session.lang()))
        else:
            spec = setup.ElectionSpec(
                id=eid,
                kind=kind,
                name=name,
                election_date=date,
                council_size=int(council) or None,
                turnout_moments=[m.strip() for m in moments.split(",") if m.strip()],
                checklist_items=items,
                low_stock_threshold=int(low_stock),
                access_from=current.access_from if current else None,
                access_until=current.access_until if current else None,
            )
            ok, _ = session.call(admin.save_election, actor, spec)
            if ok:
                st.success(tr("admin.saved"))

if current is None:
    st.stop()

ok, municipalities = session.call(admin.list_municipalities, actor)
municipalities = municipalities or []
if not municipalities:
    st.stop()
names = {m.code: f"{m.name} ({m.code})" for m in municipalities}
muni = st.selectbox(tr("admin.municipality"), list(names), format_func=names.get, key="em_muni")

st.header(tr("admin.em.heading"))
with st.form("em_form"):
    method = st.radio(tr("admin.counting_method"), ["DSO", "CSO"], horizontal=True, key="em_method")
    seats = st.number_input(tr("admin.council_size"), min_value=0, max_value=150, step=1, key="em_seats")
    electorate = st.number_input(tr("admin.electorate"), min_value=0, step=1, key="em_electorate")
    if st.form_submit_button(tr("admin.save_em")):
        ok, _ = session.call(
            admin.save_election_municipality,
            actor,
            current.id,
            muni,
            electorate=int(electorate) or None,
            counting_method=method,
            council_size=int(seats) or None,
        )
        if ok:
            st.success(tr("admin.saved"))

st.header(tr("admin.lists.heading"))
ok, lists = session.call(admin.list_lists, actor, current.id, muni)
if lists:
    st.dataframe([{tr("admin.list_number"): n, tr("admin.name"): name} for n, name in lists], hide_index=True)
with st.form("list_form"):
    number = st.number_input(tr("admin.list_number"), min_value=1, step=1, key="list_number")
    list_name = st.text_input(tr("admin.name"), max_chars=300, key="list_name")
    if st.form_submit_button(tr("admin.save_list")):
        ok, _ = session.call(admin.save_list, actor, current.id, muni, int(number), list_name)
        if ok:
            st.success(tr("admin.saved"))

st.header(tr("admin.stations.heading"))
ok, rows = session.call(stations.list_stations, actor, current.id, muni)
if rows:
    st.dataframe(
        [
            {tr("admin.station_number"): s.number, tr("admin.name"): s.name, tr("admin.address"): s.address}
            for s in rows
        ],
        hide_index=True,
        width="stretch",
    )
with st.form("station_form"):
    s_number = st.number_input(tr("admin.station_number"), min_value=1, step=1, key="st_number")
    s_name = st.text_input(tr("admin.name"), max_chars=300, key="st_name")
    s_type = st.selectbox(tr("admin.station_type"), ["regulier", "bijzonder", "mobiel"], key="st_type")
    s_address = st.text_input(tr("admin.address"), max_chars=300, key="st_address")
    s_postcode = st.text_input(tr("admin.postcode"), max_chars=7, key="st_postcode")
    s_locality = st.text_input(tr("admin.locality"), max_chars=120, key="st_locality")
    if st.form_submit_button(tr("admin.save_station")):
        ok, _ = session.call(
            admin.save_station,
            actor,
            current.id,
            muni,
            int(s_number),
            name=s_name,
            address=s_address,
            postcode=s_postcode,
            locality=s_locality,
            station_type=s_type,
        )
        if ok:
            st.success(tr("admin.saved"))

st.header(tr("admin.import.heading"))
with st.form("import_form"):
    upload = st.file_uploader(
        tr("admin.import.file"), type=["xml", "eml", "csv", "xlsx", "zip"], key="imp_file"
    )
    if st.form_submit_button(tr("admin.import.submit")) and upload is not None:
        with st.spinner(tr("admin.import.submit")):
            ok, result = session.call(imports.import_file, actor, upload.getvalue(), upload.name)
        if ok and result is not None:
            st.success(
                tr(
                    "imports.summary",
                    file=result.file,
                    format=result.format,
                    election=result.election_id,
                    municipality=result.municipality_code or "-",
                    version=result.version,
                    stations=result.stations,
                    lists=result.lists,
                    candidates=result.candidates,
                    valid_votes=result.valid_votes,
                    status=tr(f"imports.status.{result.status}"),
                )
            )
