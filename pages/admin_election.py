"""Administration: set up an election by hand (settings, municipality, lists, stations) or from files."""

import datetime as dt

import pyarrow as pa
import streamlit as st

from app.domain.errors import InvalidInput
from app.services import admin, imports, setup, stations
from app.ui import session
from app.ui.session import tr, tr_plain
from app.ui.texts import error_md

#: A mobiel station's stops as the station form's table holds them (typed columns).
STOPS_SCHEMA = pa.schema(
    [
        ("location", pa.string()),
        ("opens_at", pa.time64("us")),
        ("closes_at", pa.time64("us")),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
    ]
)

actor = session.current_actor()
st.title(tr("admin.election.heading"))
st.caption(tr("admin.election.intro"))
# After a save the page reruns (so every table shows the change); what to show and set comes through here.
session.after_rerun("admin_election")


def saved(**next_state: object) -> None:
    session.rerun_saying("admin_election", **next_state)


ok, elections = session.call(admin.list_elections, actor)
elections = elections or []
by_id = {e.id: e for e in elections}
if (just_saved := st.session_state.pop("admin_election_saved", None)) in by_id:
    st.session_state["election_choice"] = just_saved  # the election just saved is the one shown
choice = st.selectbox(
    tr("admin.election"),
    [None, *by_id],
    format_func=lambda i: (
        tr("admin.new_election")
        if i is None
        else f"{i} · {by_id[i].name} ({by_id[i].election_date:%d-%m-%Y})"
    ),
    index=1 if by_id else 0,
    placeholder=tr("admin.choose"),
    key="election_choice",
)
current = by_id.get(choice) if choice else None
el = current.id if current else "new"  # widget keys per election: choosing another shows its values

with st.form("election_form"):
    eid = st.text_input(
        tr("admin.election_id"), value=current.id if current else "", max_chars=24, key=f"el_id_{el}"
    )
    kinds = ["GR", "TK", "PS", "WS", "EP", "EK", "referendum"]
    kind = st.selectbox(
        tr("admin.kind"),
        kinds,
        index=kinds.index(current.kind) if current else 0,
        placeholder=tr("admin.choose"),
        key=f"el_kind_{el}",
    )
    name = st.text_input(
        tr("admin.name"), value=current.name if current else "", max_chars=200, key=f"el_name_{el}"
    )
    date = st.date_input(
        tr("admin.date"),
        value=current.election_date if current else dt.date.today(),
        format="DD-MM-YYYY",
        key=f"el_date_{el}",
    )
    council = st.number_input(
        tr("admin.council_size"),
        min_value=0,
        max_value=150,
        step=1,
        value=(current.council_size or 0) if current else 0,
        key=f"el_council_{el}",
    )
    moments = st.text_input(
        tr("admin.moments"),
        value=", ".join(current.turnout_moments if current else setup.DEFAULT_TURNOUT_MOMENTS),
        key=f"el_moments_{el}",
    )
    checklist = st.text_area(
        tr("admin.checklist"),
        value="\n".join(
            f"{c['key']} | {c['nl']} | {c['en']}"
            for c in (current.checklist_items if current else setup.DEFAULT_CHECKLIST)
        ),
        height=160,
        key=f"el_checklist_{el}",
    )
    low_stock = st.number_input(
        tr("admin.low_stock"),
        min_value=0,
        step=10,
        value=current.low_stock_threshold if current else 50,
        key=f"el_low_{el}",
    )
    if st.form_submit_button(tr("admin.save_election")):
        try:
            items = admin.parse_checklist(checklist)
        except InvalidInput as err:
            st.error(error_md(err, session.lang()))
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
            ok, saved_election = session.call(admin.save_election, actor, spec)
            if ok and saved_election is not None:
                saved(admin_election_saved=saved_election.id, el_id_new="", el_name_new="")

if current is None:
    st.stop()

ok, municipalities = session.call(admin.list_municipalities, actor)
municipalities = municipalities or []
if not municipalities:
    st.stop()
names = {m.code: f"{m.name} ({m.code})" for m in municipalities}
muni = st.selectbox(
    tr("admin.municipality"),
    list(names),
    format_func=names.get,
    placeholder=tr("admin.choose"),
    key="em_muni",
)

st.header(tr("admin.em.heading"))
ok, stored = session.call(admin.get_election_municipality, actor, current.id, muni)
if ok and stored is None:
    st.info(tr("admin.em.not_in_election"))
em = f"{current.id}_{muni}"  # keyed per election and municipality: another choice shows its stored values
with st.form("em_form"):
    methods = ["DSO", "CSO"]
    method = st.radio(
        tr("admin.counting_method"),
        methods,
        index=methods.index(stored.counting_method) if stored else 0,
        horizontal=True,
        key=f"em_method_{em}",
    )
    seats = st.number_input(
        tr("admin.em_council_size"),
        min_value=0,
        max_value=150,
        step=1,
        value=(stored.council_size or 0) if stored else 0,
        key=f"em_seats_{em}",
    )
    electorate = st.number_input(
        tr("admin.electorate"),
        min_value=0,
        step=1,
        value=(stored.electorate or 0) if stored else 0,
        key=f"em_electorate_{em}",
    )
    if st.form_submit_button(tr("admin.save_em"), disabled=not ok):
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
            saved()

st.header(tr("admin.lists.heading"))
ok, lists = session.call(admin.list_lists, actor, current.id, muni)
if lists:
    st.dataframe(
        [{tr("admin.list_number"): n, tr("admin.name"): name} for n, name in lists],
        hide_index=True,
        placeholder="–",
    )
# A list is picked to change it, or "new": a new list cannot overwrite another by its number.
list_names = dict(lists or [])
list_choice = st.selectbox(
    tr("admin.list_pick"),
    [None, *list_names],
    format_func=lambda n: tr("admin.new_list") if n is None else f"{n} · {list_names[n]}",
    key="list_choice",
)
with st.form("list_form"):
    suffix = "new" if list_choice is None else str(list_choice)
    number = st.number_input(
        tr("admin.list_number"),
        min_value=1,
        max_value=999,
        step=1,
        value=list_choice if list_choice is not None else max(list_names, default=0) + 1,
        disabled=list_choice is not None,
        key=f"list_number_{suffix}",
    )
    list_name = st.text_input(
        tr("admin.name"), value=list_names.get(list_choice, ""), max_chars=300, key=f"list_name_{suffix}"
    )
    if st.form_submit_button(tr("admin.save_list")):
        ok, _ = session.call(
            admin.save_list, actor, current.id, muni, int(number), list_name, new=list_choice is None
        )
        if ok:  # the list stays picked (a renamed one too: the picker names it anew)
            saved(list_choice=int(number))

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
        placeholder="–",
    )
# A station is picked to change it, or "new" (the next free number): a new station cannot overwrite
# another by its number.
by_number = {r.number: r for r in rows or []}
station_choice = st.selectbox(
    tr("admin.station_pick"),
    [None, *by_number],
    format_func=lambda n: tr("admin.new_station") if n is None else f"{n} · {by_number[n].name}",
    key="station_choice",
)
picked = by_number.get(station_choice) if station_choice is not None else None
# A mobiel station's stops (its location/time rows) are changed in the form too, as are the rows of a
# station that has them for another reason (closed for a while): its hours follow from them.
# The table is in every form (a new station, or one changed to mobiel, gets its stops in the same save),
# open when the station has stops; left empty it changes nothing. Not shown when its rows could not be
# read: an empty table would then remove them.
stored_stops: list[setup.StationLocation] = []
stops_read = True
if picked is not None:
    stops_read, found_stops = session.call(setup.list_station_locations, actor, picked.id)
    stored_stops = found_stops or []
with_stops = picked is not None and (picked.station_type == "mobiel" or bool(stored_stops))
with st.form("station_form"):
    suffix = "new" if picked is None else str(picked.number)
    s_number = st.number_input(
        tr("admin.station_number"),
        min_value=1,
        max_value=99_999,
        step=1,
        value=picked.number if picked else max(by_number, default=0) + 1,
        disabled=picked is not None,
        key=f"st_number_{suffix}",
    )
    s_name = st.text_input(
        tr("admin.name"), value=picked.name if picked else "", max_chars=300, key=f"st_name_{suffix}"
    )
    types = ["regulier", "bijzonder", "mobiel"]
    s_type = st.selectbox(
        tr("admin.station_type"),
        types,
        index=types.index(picked.station_type) if picked and picked.station_type in types else 0,
        key=f"st_type_{suffix}",
    )
    hours = st.columns(2)
    # With stops the hours follow from them: shown, not typed. The stored hours are part of the keys,
    # so that the fields show them anew after a save changed them (a browser keeps a field's own value).
    stored_hours = f"{picked.opens_at}_{picked.closes_at}" if picked else ""
    s_opens = hours[0].time_input(
        tr("admin.opens_at"),
        value=(picked.opens_at if picked and picked.opens_at else dt.time(7, 30)),
        step=dt.timedelta(minutes=15),
        disabled=bool(stored_stops),
        key=f"st_opens_{suffix}_{stored_hours}",
    )
    s_closes = hours[1].time_input(
        tr("admin.closes_at"),
        value=(picked.closes_at if picked and picked.closes_at else dt.time(21, 0)),
        step=dt.timedelta(minutes=15),
        disabled=bool(stored_stops),
        key=f"st_closes_{suffix}_{stored_hours}",
    )
    if stored_stops:
        st.caption(tr("admin.stops.hours_follow"))
    edited_stops = None
    if stops_read:
        stops_box = st.expander(tr("admin.stops.heading"), expanded=with_stops)
        stops_box.caption(tr("admin.stops.help"))
        edited_stops = stops_box.data_editor(
            pa.Table.from_pylist(
                [
                    {
                        "location": s.address,
                        "opens_at": s.starts_at.time(),
                        "closes_at": s.ends_at.time(),
                        "latitude": s.latitude,
                        "longitude": s.longitude,
                    }
                    for s in stored_stops
                ],
                schema=STOPS_SCHEMA,
            ),
            column_config={
                "location": st.column_config.TextColumn(
                    tr_plain("admin.stops.location"), max_chars=admin.MAX_STOP_LOCATION, width="large"
                ),
                "opens_at": st.column_config.TimeColumn(tr_plain("admin.stops.opens_at"), format="HH:mm"),
                "closes_at": st.column_config.TimeColumn(tr_plain("admin.stops.closes_at"), format="HH:mm"),
                "latitude": st.column_config.NumberColumn(
                    tr_plain("admin.stops.latitude"), min_value=-90, max_value=90, format="%.6f"
                ),
                "longitude": st.column_config.NumberColumn(
                    tr_plain("admin.stops.longitude"), min_value=-180, max_value=180, format="%.6f"
                ),
            },
            column_order=list(STOPS_SCHEMA.names),
            num_rows="dynamic",
            hide_index=True,
            key=f"st_stops_{suffix}",
        )
    s_address = st.text_input(
        tr("admin.address"),
        value=(picked.address or "") if picked else "",
        max_chars=300,
        key=f"st_address_{suffix}",
    )
    s_postcode = st.text_input(
        tr("admin.postcode"),
        value=(picked.postcode or "") if picked else "",
        max_chars=7,
        key=f"st_postcode_{suffix}",
    )
    s_locality = st.text_input(
        tr("admin.locality"),
        value=(picked.locality or "") if picked else "",
        max_chars=120,
        key=f"st_locality_{suffix}",
    )
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
            opens_at=s_opens,
            closes_at=s_closes,
            stops=None
            if edited_stops is None
            else [
                admin.StopInput(
                    r.get("location"),
                    r.get("opens_at"),
                    r.get("closes_at"),
                    r.get("latitude"),
                    r.get("longitude"),
                )
                for r in edited_stops.to_pylist()
            ],
            new=picked is None,
        )
        if ok:
            st.session_state.pop(f"st_stops_{suffix}", None)  # the table starts again from what is stored
            # the station stays picked: a renamed one too (the picker's label changes with its name, and
            # Streamlit would otherwise lose the choice and show the form of a new station)
            saved(station_choice=int(s_number))

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
