"""Streamlit helpers of the election office's live view: the election picker, the read models cached
for a few seconds per (election, municipality) and shared by every viewer (ten screens cost about one
query), the station map (pydeck) and the turnout chart (Plotly).

The cache is bounded (``ttl``, ``max_entries``) and holds derived data only: PostgreSQL stays the one
copy. Access is checked on every call *before* the cache is read (``office.authorise``)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import plotly.graph_objects as go
import pydeck as pdk
import streamlit as st

from app.config import ROOT, settings
from app.domain.access import Actor
from app.domain.alerts import MIN_MEMBERS, STATE_SYMBOL, Alert, MapState, Rule
from app.domain.seats import SeatChange, TieByLot
from app.services import home, office
from app.storage.db import session_scope
from app.ui import session
from app.ui.session import tr, tr_plain
from app.ui.widgets import (
    KEEP_ALL_PREFIX,
    deck_records,
    inert,  # also for the pages: ui.inert
    plot_text,
)

GEOJSON = ROOT / "data" / "geo" / "gemeenten_2022_wgs84.geo.json"
TTL_SECONDS = max(1, settings().refresh_seconds // 2)
_PICK = "office_election_choice"
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")

#: Colour per state (colour-blind-safe palette), always with the symbol and the label beside it.
STATE_COLOUR: dict[MapState, list[int]] = {
    MapState.NOT_OPENED: [150, 150, 150, 230],
    MapState.OPEN: [26, 133, 255, 230],
    MapState.PROBLEM: [212, 17, 89, 240],
    MapState.CLOSED: [90, 90, 90, 230],
    MapState.COUNTING: [255, 194, 10, 240],
    MapState.COUNT_SUBMITTED: [153, 79, 0, 230],
    MapState.COUNT_ACCEPTED: [0, 108, 70, 230],
}
#: The colour of the state symbol drawn on a point: black on light fills, white on dark ones (contrast).
SYMBOL_INK: dict[MapState, list[int]] = {
    state: [0, 0, 0, 255]
    if (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255 > 0.5
    else [255, 255, 255, 255]
    for state, c in STATE_COLOUR.items()
}
#: Line colours of the turnout chart: this election in the theme's blue, past elections in grey, brown and
#: purple, each at least 3:1 against the white background (WCAG 1.4.11: Streamlit's own second and fourth
#: colours are 1.8:1) and told apart also by line style and marker shape.
TURNOUT_COLOUR = "#01689B"
PAST_COLOURS = ("#6b6b6b", "#a3570b", "#963296")
#: Basemap when the setting asks for it (needs internet); by default the map draws no tiles at all.
BASEMAP_STYLE = "light"


def refresh_seconds() -> int:
    return settings().refresh_seconds


def state_label(state: MapState) -> str:
    return f"{STATE_SYMBOL[state]} {tr(f'office.state.{state.value}')}"


_DUTCH_SEPARATORS = str.maketrans(",.", ".,")


def number(value: float | int | Fraction | None, decimals: int = 0) -> str:
    """A number in the current language's style: ``1.234,56`` in Dutch, ``1,234.56`` in English;
    ``–`` for none."""
    if value is None:
        return tr("office.overview.turnout_none")
    text = f"{float(value):,.{decimals}f}"
    if session.lang() == "nl":
        text = text.translate(_DUTCH_SEPARATORS)
    return text


def separators() -> str:
    """Plotly's ``layout.separators`` (decimal, thousands) for the current language: hover values and
    axis ticks then read ``8,5`` in Dutch."""
    return ",." if session.lang() == "nl" else ".,"


def pct(permille: int | None) -> str:
    if permille is None:
        return tr("office.overview.turnout_none")
    return (
        f"{permille // 10},{permille % 10}" if session.lang() == "nl" else f"{permille // 10}.{permille % 10}"
    )


def clock_notice(view: office.Overview) -> None:
    """When the view runs on a simulator's clock (practice election or the live demo): say so, plainly,
    so that nobody takes the simulated time of day for the real one."""
    if view.simulated:
        st.warning(
            tr("office.simulated_time", time=view.now.strftime("%H:%M")),
            icon=":material/schedule:",
        )
        st.caption(tr("office.simulated_time_help"))


# --- which election -------------------------------------------------------------------------------------


def pick_election(actor: Actor | None) -> tuple[str, str] | None:
    """The election (and municipality) the office works on; shared by all office pages of the session."""
    if actor is None:
        return None
    ok, rows = session.call(home.staff_home, actor)
    if not ok:
        return None
    if not rows:
        st.info(tr("office.no_election"))
        return None
    options = [(r.election_id, r.municipality_code) for r in rows]
    labels = {
        (r.election_id, r.municipality_code): f"{r.election_id} · {r.name} · {r.municipality_name}"
        for r in rows
    }
    if len(options) == 1:
        return options[0]
    current = st.session_state.get(_PICK)
    index = options.index(current) if current in options else 0
    choice = st.selectbox(
        tr("office.election"),
        options,
        index=index,
        format_func=lambda o: labels[o],
        placeholder=tr("office.choose_one"),
    )
    st.session_state[_PICK] = choice
    return choice


# --- cached read models -------------------------------------------------------------------------------


@st.cache_data(ttl=TTL_SECONDS, max_entries=64, show_spinner=False)
def _overview(
    election_id: str, municipality_code: str, silent_minutes: int, _actor: Actor
) -> office.Overview:
    with session_scope(_actor) as db:
        return office.overview(db, _actor, election_id, municipality_code, silent_minutes=silent_minutes)


@st.cache_data(ttl=TTL_SECONDS, max_entries=64, show_spinner=False)
def _turnout(election_id: str, municipality_code: str, _actor: Actor) -> office.TurnoutView:
    with session_scope(_actor) as db:
        return office.turnout(db, _actor, election_id, municipality_code)


@st.cache_data(ttl=TTL_SECONDS, max_entries=64, show_spinner=False)
def _result(election_id: str, municipality_code: str, _actor: Actor) -> office.ResultView:
    with session_scope(_actor) as db:
        return office.preliminary_result(db, _actor, election_id, municipality_code)


def _checked(loader):
    def run(db, actor: Actor, election_id: str, municipality_code: str):
        office.authorise(db, actor, election_id, municipality_code)  # before the shared cache
        return loader(election_id, municipality_code, actor)

    return run


def overview(actor: Actor, election_id: str, municipality_code: str) -> office.Overview | None:
    loader = _checked(lambda e, m, a: _overview(e, m, settings().silent_minutes, a))
    ok, result = session.call(loader, actor, election_id, municipality_code)
    return result if ok else None


def turnout(actor: Actor, election_id: str, municipality_code: str) -> office.TurnoutView | None:
    ok, result = session.call(_checked(_turnout), actor, election_id, municipality_code)
    return result if ok else None


def result(actor: Actor, election_id: str, municipality_code: str) -> office.ResultView | None:
    ok, res = session.call(_checked(_result), actor, election_id, municipality_code)
    return res if ok else None


FLASH = "office_flash"


def flash(key: str, **params: object) -> None:
    """A toast (text ``key``) for the run that :func:`st.rerun` starts next: one given just before
    ``st.rerun()`` belongs to the run being ended, and the browser takes it away as soon as the new run
    is drawn (on a fast server before anyone can read it). The page shows it with :func:`show_flash`."""
    st.session_state[FLASH] = (key, params)


def show_flash() -> None:
    """At the top of a page: the toast :func:`flash` asked for."""
    if flashed := st.session_state.pop(FLASH, None):
        key, params = flashed
        st.toast(tr(key, **params))


def forget() -> None:
    """After the office changed something: the next view reads fresh data."""
    _overview.clear()
    _turnout.clear()
    _result.clear()


# --- exports ------------------------------------------------------------------------------------------

#: Columns of the office exports whose values are codes, with the catalogue prefix of their texts.
_EXPORT_VALUE_TEXTS: dict[tuple[str, str], str] = {
    ("status", "state"): "office.state.",
    ("status", "count_status"): "office.counts.status.",
    ("incidents", "category"): "office.category.",
    ("incidents", "severity"): "office.severity.",
    ("incidents", "status"): "office.status.",
    ("counts", "status"): "office.counts.status.",
}


def _known(key: str, fallback: str) -> str:
    text = tr(key)
    return fallback if text == key else text


def _excel_value(value: object, prefix: str | None) -> object:
    if prefix is not None and isinstance(value, str) and value:
        return _known(prefix + value, value)
    if isinstance(value, dt.datetime):  # local time, as Dutch Excel reads it
        return value.astimezone(LOCAL_TZ).strftime("%d-%m-%Y %H:%M:%S")
    return value


def excel_table(name: str, table: office.ExportTable) -> tuple[list[str], list[dict[str, object]]]:
    """The export ``name`` (status, turnout, incidents, counts) for the Dutch Excel download: column
    headers and coded values (state, category, severity, status) in the current language, list columns
    as they are. The plain CSV keeps the fixed English columns and codes of app/exports/office.py."""
    headers = {c: _known(f"office.export.col.{c}", c) for c in table.columns}
    coded = {c: prefix for (n, c), prefix in _EXPORT_VALUE_TEXTS.items() if n == name}
    rows = [
        {headers[c]: _excel_value(v, coded.get(c)) for c, v in row.items() if c in headers}
        for row in table.rows
    ]
    return [headers[c] for c in table.columns], rows


# --- alerts ---------------------------------------------------------------------------------------------


def alert_text(alert: Alert) -> str:
    params = dict(alert.params)
    if "severity" in params:
        params["severity"] = tr(f"office.severity.{params['severity']}")
    key = f"office.alert.{alert.rule.value}"
    if alert.rule is Rule.SILENT and "moment" not in params:  # an election without turnout moments
        key += ".no_moments"
    if alert.rule is Rule.HELP and not params.get("text"):  # the chair typed nothing
        key += ".no_text"
    return tr_plain(key, **params)  # a table cell: the chair's text shows as typed


def _names(names: tuple[str, ...]) -> str:
    """``A``, ``A en B``, ``A, B en C`` (plain text: :func:`tr` escapes it where it is filled in)."""
    if len(names) < 2:
        return "".join(names)
    return tr_plain("office.result.lot.and", first=", ".join(names[:-1]), last=names[-1])


def lot_text(tie: TieByLot) -> str:
    """The note on a seat that the law leaves to drawing lots, in the interface language, from the fields
    of the domain's :class:`TieByLot` (its ``describe()`` is English, for the command line)."""
    if tie.change is SeatChange.ABSOLUTE_MAJORITY:
        return tr(
            "office.result.lot.majority",
            article=tie.article,
            lists=_names(tie.tied),
            chosen=_names(tie.chosen),
        )
    measure = "remainder" if tie.change is SeatChange.LARGEST_REMAINDER else "average"
    seats = (
        tr("office.result.lot.one_seat")
        if tie.seats_available == 1
        else tr("office.result.lot.seats", n=tie.seats_available)
    )
    return tr(
        "office.result.lot.assign",
        seat=tie.seat_number if tie.seat_number is not None else "",
        article=tie.article,
        lists=_names(tie.tied),
        measure=tr(f"office.result.lot.{measure}"),
        value=number(tie.value, 0 if tie.value.denominator == 1 else 2),
        seats=seats,
        chosen=_names(tie.chosen),
    )


def alert_rows(alerts: list[Alert]) -> list[dict[str, Any]]:
    return [
        {
            tr("office.alerts.since"): a.since.strftime("%H:%M"),
            tr("office.alerts.level"): tr(f"office.level.{a.level.value}"),
            tr("office.station"): tr_plain(
                "office.station_label", number=a.station_number, name=a.station_name
            ),
            tr("office.alerts.what"): alert_text(a),
        }
        for a in alerts
    ]


# --- requests for help ------------------------------------------------------------------------------------


def _local_time(at: dt.datetime) -> str:
    return at.astimezone(LOCAL_TZ).strftime("%H:%M")


#: The requests for help in the order they were first shown, as (station id, block key): each keeps its
#: place in the page while it is open (one handled or withdrawn above it leaves an empty place until none
#: is left below it), so that a refresh of the live page never moves the form being typed in (a form's
#: text stays in the browser until it is sent; pages/office_incidents.py solves the same problem).
HELP_PLACES = "office_help_places"


def _waiting(rows: Sequence[office.StationRow]) -> list[office.StationRow]:
    """The stations of ``rows`` that ask for help, the longest waiting first."""
    return sorted(
        (r for r in rows if r.need_help),
        key=lambda r: (r.snapshot.need_help_at or dt.datetime.max.replace(tzinfo=dt.UTC), r.number),
    )


def _help_key(row: office.StationRow) -> str:
    """A request's block, by station and the id of the open request's *first* request: it stays the same
    when the chair asks again, and so do the form and what is typed in it."""
    first = row.help_texts[0].id if row.help_texts else row.help_request_id
    return f"help_{row.station_id}_{first}"


def _help_submission(key: str, request_id: int | None) -> str:
    """A submission id per request handled (made when first sent: a retry stores nothing twice)."""
    name = f"office_sub_{key}_{request_id}"
    if name not in st.session_state:
        st.session_state[name] = str(uuid.uuid4())
    return st.session_state[name]


def help_rows(rows: Sequence[office.StationRow]) -> list[dict[str, Any]]:
    """The open requests for help as table rows (the columns of :func:`alert_rows`): the longest waiting
    first, per station every text of its open request, oldest first, each with its time."""
    out = []
    for row in _waiting(rows):
        station = tr_plain("office.station_label", number=row.number, name=row.name)
        since = row.snapshot.need_help_at
        texts = [(t.at, t.text) for t in row.help_texts] or [(since, row.snapshot.help_text)]
        for at, text in texts:
            out.append(
                {
                    tr("office.alerts.since"): _local_time(at) if at else "–",
                    tr("office.alerts.level"): tr("office.level.critical"),
                    tr("office.station"): station,
                    tr("office.alerts.what"): (
                        tr_plain("office.alert.A.HELP", text=text)
                        if text
                        else tr_plain("office.alert.A.HELP.no_text")
                    ),
                }
            )
    return out


def help_requests(actor: Actor | None, rows: Sequence[office.StationRow]) -> None:
    """The open requests for help of ``rows`` (the longest waiting first), each with every text of the
    request, oldest first with its time (shown inert, as typed), and a form to mark it handled with a
    message for the chair. Each keeps its place and its form while it is open (:data:`HELP_PLACES`)."""
    blocks = {_help_key(r): r for r in _waiting(rows)}
    stations = {r.station_id for r in rows}
    places = [p for p in st.session_state.get(HELP_PLACES, ()) if p[0] in stations]
    while places and places[-1][1] not in blocks:  # gone, and none open below: their places are free
        places.pop()
    known = {key for _, key in places}
    places += [(r.station_id, key) for key, r in blocks.items() if key not in known]  # new: at the end
    st.session_state[HELP_PLACES] = places
    for place, (_, key) in zip([st.container() for _ in places], places, strict=True):
        if key in blocks:
            with place:
                _help_block(actor, key, blocks[key])


def _help_block(actor: Actor | None, key: str, row: office.StationRow) -> None:
    since = row.snapshot.need_help_at
    with st.container(border=True):
        st.markdown(
            tr(
                "help.office.asked",
                number=row.number,
                name=row.name,
                time=_local_time(since) if since else "–",
            )
        )
        # the texts grow when the chair asks again: in a container of their own, so that the form below
        # stays the same element in the page
        with st.container():
            for t in row.help_texts:
                st.caption(
                    tr("help.office.at" if t.text else "help.office.at_no_text", time=_local_time(t.at))
                )
                inert(t.text)  # as typed by the chair
            if not row.help_texts:  # (a row without them: the latest text)
                if row.snapshot.help_text:
                    inert(row.snapshot.help_text)
                else:
                    st.caption(tr("help.office.no_text"))
        # what is handled is the request as it was shown (the run of a click may read a newer one, with a
        # text the user has not seen yet: then the service refuses, and the new text is shown)
        seen_key = f"office_{key}_seen"
        seen = st.session_state.get(seen_key, row.help_request_id)
        st.session_state[seen_key] = row.help_request_id
        with st.form(f"{key}_form"):
            # several lines, and Enter is a new line: in a one-line field Enter sent the form, that is,
            # marked the request handled before the message was written
            note = st.text_area(tr("help.office.note"), key=f"{key}_note", max_chars=2000, height=80)
            box = st.container()
            if st.form_submit_button(tr("help.office.handle"), key=f"{key}_handle"):
                ok, _ = session.call(
                    office.handle_help_request,
                    actor,
                    row.station_id,
                    request_id=seen,
                    note=note,
                    client_submission_id=_help_submission(key, seen),
                    where=box,
                )
                if ok:
                    st.session_state.pop(f"office_sub_{key}_{seen}", None)
                    st.session_state.pop(seen_key, None)
                    forget()
                    flash("help.office.done", number=row.number, name=row.name)
                    st.rerun()
                else:
                    forget()  # refused (withdrawn, handled, asked again): the next view is fresh


# --- a station's timeline, in sentences -------------------------------------------------------------------


def _flags(*flags: tuple[bool, str]) -> str:
    words = [tr_plain(f"help.timeline.flag.{name}") for on, name in flags if on]
    return f" ({', '.join(words)})" if words else ""


def _label(prefix: str, value: object) -> str:
    """A code's text in the current language, lower case for within a sentence (``lid afwezig``)."""
    return _known(f"{prefix}{value}", str(value)).lower()


def timeline_details(entry: office.TimelineEntry) -> str:
    """What a timeline entry says, as a sentence in the interface language (``Nog 40 stembiljetten
    (weinig)``, ``Lange rij``, ``Melding 86: lid afwezig (hoog): …``); texts typed by the chair or the
    office as they are (a table cell shows plain text)."""
    s = entry.summary
    kind = entry.kind
    if kind == "opening":
        return tr_plain("help.timeline.opened", time=_local_time(s["opened_at"])) + _flags(
            (s["late"], "late")
        )
    if kind == "members":
        return tr_plain("help.timeline.members", n=s["present"]) + _flags(
            (s["present"] < MIN_MEMBERS, "too_few")
        )
    if kind == "stock":
        return tr_plain("help.timeline.stock", n=s["left"]) + _flags((s["low"], "low"))
    if kind == "queue":
        return _known(f"chair.queue.{s['value']}", str(s["value"]))
    if kind == "help":
        if s.get("text"):
            return tr_plain("help.timeline.help", text=s["text"])
        return tr_plain("help.timeline.help_no_text")
    if kind == "help_withdrawn":
        return tr_plain("help.timeline.help_withdrawn")
    if kind == "help_handled":
        if s.get("text"):
            return tr_plain("help.timeline.help_handled_note", text=s["text"])
        return tr_plain("help.timeline.help_handled")
    if kind == "turnout":
        return tr_plain("help.timeline.turnout", n=s["admitted"], moment=s["moment"]) + _flags(
            (s.get("correction", False), "correction"), (s.get("late", False), "late")
        )
    if kind == "incident":
        return tr_plain(
            "help.timeline.incident",
            id=s["id"],
            category=_label("office.category.", s["category"]),
            severity=_label("office.severity.", s["severity"]),
            text=s["text"],
        )
    if kind.startswith("incident_"):
        if s.get("assigned_to"):
            return tr_plain("help.timeline.incident_assigned", id=s["id"], who=s["assigned_to"])
        if s.get("text"):
            return tr_plain("help.timeline.incident_step_text", id=s["id"], text=s["text"])
        return tr_plain("help.timeline.incident_step", id=s["id"])
    if kind == "closing":
        return tr_plain("help.timeline.closing", time=_local_time(s["closed_at"]))
    if kind == "count":
        status = _label("office.counts.status.", s["status"])
        return tr_plain("help.timeline.count", version=s["version"], votes=s["votes_cast"]) + f" ({status})"
    if kind.startswith("count_"):
        if s.get("reason"):
            return tr_plain("help.timeline.count_review_reason", version=s["version"], text=s["reason"])
        return tr_plain("help.timeline.count_review", version=s["version"])
    return ""


def timeline_rows(entries: Sequence[office.TimelineEntry]) -> list[dict[str, str]]:
    """The rows of a station's timeline table: time, what, by whom, details (a sentence)."""
    return [
        {
            tr("office.detail.when"): e.at.astimezone(LOCAL_TZ).strftime("%H:%M:%S"),
            tr("office.detail.what"): _known(f"office.timeline.{e.kind}", e.kind),
            tr("office.detail.who"): e.who or "",
            tr("office.detail.details"): timeline_details(e),
        }
        for e in entries
    ]


# --- map ------------------------------------------------------------------------------------------------


@st.cache_data(ttl=3600, max_entries=1, show_spinner=False)
def _geojson() -> dict[str, Any]:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


@st.cache_data(ttl=3600, max_entries=32, show_spinner=False)
def boundary(municipality_code: str) -> dict[str, Any] | None:
    """The municipality's boundary from the shipped CBS 2022 GeoJSON (regiocode ``G0392`` → GM0392)."""
    wanted = "G" + municipality_code.removeprefix("GM")
    features = [f for f in _geojson()["features"] if f["properties"].get("regiocode") == wanted]
    return {"type": "FeatureCollection", "features": features} if features else None


def station_map(view: office.Overview, *, basemap: bool = False) -> pdk.Deck | None:
    """Stations as points coloured by state, each labelled with its number and state symbol (never by
    colour alone), over the municipality's boundary. No basemap unless asked (works offline)."""
    rows = [r for r in view.stations if r.latitude is not None and r.longitude is not None]
    missing = len(view.stations) - len(rows)
    if missing:
        st.caption(tr("office.map.no_location", n=missing))
    if not rows:
        return None
    records = deck_records(
        {
            "lat": r.latitude,
            "lon": r.longitude,
            "fill": STATE_COLOUR[r.state],
            "label": f"{STATE_SYMBOL[r.state]} {r.number}",
            "symbol": STATE_SYMBOL[r.state],
            "ink": SYMBOL_INK[r.state],
            "station_id": r.station_id,
            "number": r.number,
            "name": r.name,
            "state": state_label(r.state),
            "incidents": r.open_incidents,
            "admitted": "–" if r.snapshot.admitted_voters is None else r.snapshot.admitted_voters,
        }
        for r in rows
    )
    layers = []
    geo = boundary(view.context.municipality_code)
    if geo is not None:
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                geo,
                stroked=True,
                filled=True,
                get_fill_color=[230, 236, 245, 60],
                get_line_color=[40, 40, 40, 255],
                line_width_min_pixels=2,
            )
        )
    layers.append(
        pdk.Layer(
            "ScatterplotLayer",
            records,
            id="stations",
            get_position=["lon", "lat"],
            get_fill_color="fill",
            get_radius=90,
            radius_min_pixels=6,
            radius_max_pixels=14,
            stroked=True,
            get_line_color=[20, 20, 20, 255],
            line_width_min_pixels=1,
            pickable=True,
        )
    )
    # Every point carries its state's symbol, drawn on the dot: a station whose label gives way to a
    # neighbour's (widgets.declutter) still shows its state by shape, not by colour alone.
    layers.append(
        pdk.Layer(
            "TextLayer",
            records,
            id=KEEP_ALL_PREFIX + "state_symbols",
            get_position=["lon", "lat"],
            get_text="symbol",
            get_size=11,
            get_color="ink",
            get_alignment_baseline="'center'",
            character_set="'auto'",
            font_family="'DejaVu Sans, Arial, sans-serif'",
        )
    )
    layers.append(
        pdk.Layer(
            "TextLayer",
            records,
            get_position=["lon", "lat"],
            get_text="label",
            get_size=13,
            get_color=[10, 10, 10, 255],
            get_alignment_baseline="'top'",
            get_pixel_offset=[0, 12],
            # pydeck turns a bare string into a JS expression ("@@=auto" → a function, and deck.gl
            # then drops the whole layer); quoted, it stays the literal "auto", so the font atlas
            # holds the state symbols ○ ● ▲ ■ ◆ ◇ ✓ from the labels.
            character_set="'auto'",
            font_family="'DejaVu Sans, Arial, sans-serif'",
        )
    )
    lat = sum(r["lat"] for r in records) / len(records)
    lon = sum(r["lon"] for r in records) / len(records)
    return pdk.Deck(
        layers=layers,
        initial_view_state=pdk.ViewState(latitude=lat, longitude=lon, zoom=11.5),
        map_style=BASEMAP_STYLE if basemap else None,
        tooltip={"text": "{number} {name}\n{state}\n" + tr("office.turnout.admitted") + ": {admitted}"},
    )


def legend(view: office.Overview) -> None:
    st.caption(tr("office.map.legend"))
    st.markdown(
        "  \n".join(f"{state_label(state)}: {view.by_state.get(state.value, 0)}" for state in MapState)
    )


# --- turnout chart -------------------------------------------------------------------------------------


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def turnout_chart(view: office.TurnoutView) -> go.Figure:
    """Municipal turnout at the reporting moments today against this municipality's past elections
    (their published intraday points where known, else their final turnout at 21:00)."""
    fig = go.Figure()
    seen: set[str] = {"07:30", "21:00", *view.context.turnout_moments}
    today = [(m.moment, m.permille / 10) for m in view.moments if m.permille is not None]
    if today:
        fig.add_trace(
            go.Scatter(
                x=[m for m, _ in today],
                y=[v for _, v in today],
                mode="lines+markers+text",
                name=plot_text(tr_plain("office.turnout.this", election=view.context.election_id)),
                text=[number(v, 1) for _, v in today],
                textposition="top left",
                line={"width": 4, "color": TURNOUT_COLOUR},
                marker={"symbol": "circle", "size": 10, "color": TURNOUT_COLOUR},
            )
        )
    symbols = ["square", "diamond", "triangle-up", "x", "star", "cross"]
    recent = [p for p in view.past if p.election_id.startswith(view.context.kind)][-3:]
    for i, past in enumerate(recent):
        points, source = view.past_points.get(past.election_id, ([], "final"))
        xs = [_hhmm(p.minute) for p in sorted(points, key=lambda p: p.minute)]
        ys = [p.permille / 10 for p in sorted(points, key=lambda p: p.minute)]
        final = past.final_permille
        if final is not None:
            xs.append("21:00")
            ys.append(final / 10)
        if not xs:
            continue
        seen.update(xs)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                name=plot_text(
                    tr_plain(
                        "office.turnout.past_points",
                        election=past.election_id,
                        source=tr_plain(f"office.source.{source}"),
                    )
                ),
                line={"dash": "dot", "color": PAST_COLOURS[i % len(PAST_COLOURS)]},
                marker={
                    "symbol": symbols[i % len(symbols)],
                    "size": 9,
                    "color": PAST_COLOURS[i % len(PAST_COLOURS)],
                },
            )
        )
    axis = sorted(seen | {m.moment for m in view.moments})
    # a category axis shows only categories that have data: an invisible trace keeps the whole day
    # (07:30 to 21:00 and every reporting moment) on the axis from the first report on
    fig.add_trace(
        go.Scatter(x=axis, y=[None] * len(axis), mode="markers", showlegend=False, hoverinfo="skip")
    )
    fig.update_layout(
        title=tr("office.turnout.chart"),
        xaxis={
            "title": tr("office.turnout.moment"),
            "type": "category",
            "categoryorder": "array",
            "categoryarray": axis,
        },
        yaxis={"title": tr("office.turnout.pct"), "rangemode": "tozero"},
        separators=separators(),
        height=420,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h"},
    )
    return fig
