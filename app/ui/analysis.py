"""Streamlit helpers of the analyst workspace: the cached DuckDB workspace per scope, charts, maps and
download buttons. Caches are bounded (``ttl`` and ``max_entries``); PostgreSQL stays the only copy."""

from __future__ import annotations

import json
import logging
from typing import Any

import pandas as pd
import plotly.express as px
import pyarrow as pa
import pydeck as pdk
import streamlit as st

from app.analysis import sources
from app.analysis.workspace import Workspace
from app.config import ROOT
from app.exports import tables as exports
from app.services.analysis import Scope
from app.storage.db import analysis_database_url
from app.ui import session, widgets
from app.ui.session import tr, tr_plain
from app.ui.widgets import inert  # noqa: F401 - for the pages: ui.inert

log = logging.getLogger(__name__)
TTL_SECONDS = 60  # tonight's counts come in all evening: a minute is fresh enough
GEOJSON = ROOT / "data" / "geo" / "gemeenten_2022_wgs84.geo.json"


@st.cache_data(ttl=3600, max_entries=1, show_spinner=False)
def _file_tables() -> dict[str, pa.Table]:
    """The shipped files (history per municipality, official station counts): public data."""
    return sources.combine(sources.history_tables(), sources.file_station_tables())


def _scope_codes(scope_key: str) -> list[str] | None:
    return None if scope_key == "*" else scope_key.split(",")


@st.cache_resource(ttl=TTL_SECONDS, max_entries=8, show_spinner=False)
def _workspace(scope_key: str) -> Workspace:
    codes = _scope_codes(scope_key)
    uri = analysis_database_url()
    overrides = sources.database_overrides(uri, codes)
    files = dict(_file_tables())
    if overrides:
        for name in ("municipality_party_votes", "station_party_votes"):
            files[name] = sources.with_party_keys(files[name], overrides)
    db_tables = sources.database_tables(uri, codes, overrides)
    return Workspace.build(sources.combine(files, db_tables))


def workspace(scope: Scope) -> Workspace | None:
    """The analysis workspace of a scope, or ``None`` (with a message) when it cannot be loaded."""
    try:
        with st.spinner(tr("analysis.loading")):
            return _workspace(scope.key)
    except Exception as err:  # a database outage or a broken file: a message, not a traceback
        log.warning("analysis workspace failed: %s", err)
        st.error(tr("analysis.load_failed"))
        return None


def workspace_and_municipality(key: str) -> tuple[Workspace, str, str]:
    """The signed-in analyst's workspace and the municipality they pick (code, name; a selectbox with
    ``key``).
    Stops the page with a message when there is nothing to analyse."""
    from app.services import analysis
    from app.ui import session

    ok, scope = session.call(analysis.analysis_scope, session.current_actor())
    ws = workspace(scope) if ok and scope is not None else None
    if ws is None or scope is None:
        st.stop()
    names = dict(ws.municipalities(list(scope.municipality_codes) if scope.municipality_codes else None))
    if not names:
        st.info(tr("analysis.no_data"))
        st.stop()
    code = st.selectbox(
        tr("analysis.municipality"), list(names), format_func=lambda c: f"{names[c]} ({c})", key=key
    )
    return ws, code, names[code]


def forget_workspaces() -> None:
    """After an analyst changed the harmonisation: rebuild on the next view."""
    _workspace.clear()


@st.cache_data(ttl=3600, max_entries=1, show_spinner=False)
def _geojson() -> dict[str, Any]:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def download_buttons(
    frame: pd.DataFrame | None, name: str, key: str, *, ready: tuple[bytes, bytes, bytes] | None = None
) -> None:
    """CSV, Dutch Excel CSV and Parquet of exactly the table shown (``ready``: those three already
    written, as the SQL console does so that a failure to write them is a message, not a traceback)."""
    if ready is None:
        assert frame is not None
        ready = (exports.to_csv(frame), exports.to_csv_excel_nl(frame), exports.to_parquet(frame))
    kinds = (
        ("analysis.export.csv", f"{name}.csv", exports.CSV_MIME, f"{key}_csv"),
        ("analysis.export.excel", f"{name}_excel.csv", exports.CSV_MIME, f"{key}_xlsx_csv"),
        ("analysis.export.parquet", f"{name}.parquet", exports.PARQUET_MIME, f"{key}_parquet"),
    )
    for col, data, (label, file_name, mime, widget_key) in zip(st.columns(3), ready, kinds, strict=True):
        col.download_button(
            f"{tr('analysis.export')} {tr(label)}",
            data,
            file_name=file_name,
            mime=mime,
            key=widget_key,
            help=tr("analysis.export.help"),
        )


# How a machine column of the analysis tables is shown: (text key, kind). A column ``<base>_a`` or
# ``<base>_b`` is labelled with its election (the text's ``{election}``).
_COLUMNS: dict[str, tuple[str, str]] = {
    "municipality_code": ("analysis.col.municipality_code", "text"),
    "municipality_name": ("analysis.col.municipality", "text"),
    "electorate": ("analysis.col.electorate", "count"),
    "votes_cast": ("analysis.col.votes_cast", "count"),
    "turnout": ("analysis.col.turnout", "pct"),
    "turnout_change": ("analysis.col.turnout_change", "pp"),
    "party_key": ("analysis.col.party_key", "text"),
    "party": ("analysis.col.party", "text"),
    "votes": ("analysis.col.votes", "count"),
    "share": ("analysis.col.share", "pct"),
    "swing": ("analysis.col.swing", "pp"),
    "number": ("analysis.col.number", "id"),
    "name": ("analysis.col.name", "text"),
    "postcode": ("analysis.col.postcode", "text"),
    "method": ("analysis.col.method", "method"),
    "distance_m": ("analysis.col.distance_m", "count"),
    "admitted": ("analysis.col.admitted", "count"),
    "admitted_change": ("analysis.col.admitted_change", "signed"),
    "valid": ("analysis.col.valid", "count"),
    "largest": ("analysis.col.largest", "text"),
    "largest_share": ("analysis.col.largest_share", "pct"),
    "latitude": ("analysis.col.latitude", "coordinate"),
    "longitude": ("analysis.col.longitude", "coordinate"),
    "source": ("analysis.col.source", "source"),
    "elections": ("analysis.col.elections", "text"),
    "n": ("analysis.col.count", "count"),
}


def _column(column: str) -> tuple[str, str | None]:
    """(base, side) of a machine column: ``share_a`` → (``share``, ``a``); ``swing`` → (``swing``, None)."""
    base, _, side = column.rpartition("_")
    if side in ("a", "b") and base in _COLUMNS:
        return base, side
    return column, None


def number_text(value: Any, decimals: int = 0, *, signed: bool = False, grouping: bool = True) -> str:
    """A number as the interface shows it: Dutch ``1.234,56`` or English ``1,234.56``; empty if missing."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if pd.isna(number):
        return ""
    text = f"{number:{'+' if signed else ''}{',' if grouping else ''}.{decimals}f}"
    if session.lang() == "nl":
        text = text.translate(str.maketrans(",.", ".,"))
    return text


def _formatter(kind: str) -> Any:
    if kind == "pct":
        return lambda v: number_text(v, 2)
    if kind == "pp":
        return lambda v: number_text(v, 2, signed=True)
    if kind == "count":
        return lambda v: number_text(v, 0)
    if kind == "signed":
        return lambda v: number_text(v, 0, signed=True)
    if kind == "id":
        return lambda v: number_text(v, 0, grouping=False)
    if kind == "coordinate":
        return lambda v: number_text(v, 5, grouping=False)
    if kind in ("method", "source"):
        return lambda v: tr(f"analysis.{kind}.{v}")
    return str


def column_labels(
    columns: list[str], a: str | None = None, b: str | None = None, labels: dict[str, str] | None = None
) -> dict[str, str]:
    """The shown label of each machine column (``labels`` first), with the election ids of ``a`` and
    ``b`` in the labels of the ``_a`` and ``_b`` columns. A column the catalogue does not know keeps its
    name."""
    shown: dict[str, str] = {}
    for column in columns:
        if labels and column in labels:
            shown[column] = labels[column]
            continue
        base, side = _column(column)
        if base not in _COLUMNS:
            shown[column] = column
            continue
        election = {"a": a, "b": b}.get(side or "") or ""
        shown[column] = (
            tr_plain(_COLUMNS[base][0], election=election, a=a or "", b=b or "").replace("  ", " ").strip()
        )
    return shown


def display(
    frame: pd.DataFrame, a: str | None = None, b: str | None = None, labels: dict[str, str] | None = None
) -> pd.DataFrame | Any:
    """The table as shown: a copy with the columns labelled in the interface language and the values
    formatted (percentages with 2 decimals, counts whole, empty cells for missing values) as display
    values of a pandas Styler, so the grid still sorts by the numbers. The data itself is unchanged."""
    names = column_labels(list(frame.columns), a, b, labels)
    shown = frame.rename(columns=names)
    formats = {names[c]: _formatter(_COLUMNS.get(_column(c)[0], ("", "text"))[1]) for c in frame.columns}
    if frame.size > int(pd.get_option("styler.render.max_elements")):
        return shown  # too large to style: labelled, unformatted
    return shown.style.format(formats, na_rep="")


def table(
    frame: pd.DataFrame,
    name: str,
    key: str,
    *,
    a: str | None = None,
    b: str | None = None,
    labels: dict[str, str] | None = None,
) -> None:
    """A table with labelled columns and formatted values (:func:`display`); its downloads keep the
    machine column names (``share_a``, ``swing``, ...), the same columns in the same order."""
    st.dataframe(display(frame, a, b, labels), hide_index=True, width="stretch", placeholder="–")
    download_buttons(frame, name, key)


def _diverging(value: float | None, limit: float) -> list[int]:
    """Blue for a gain, orange for a loss (colour-blind safe), grey for nothing."""
    if value is None or pd.isna(value) or limit <= 0:
        return [160, 160, 160, 120]
    t = max(-1.0, min(1.0, float(value) / limit))
    if t >= 0:
        return [int(240 - 207 * t), int(240 - 138 * t), int(240 - 68 * t), 200]
    t = -t
    return [int(240 - 10 * t), int(240 - 143 * t), int(240 - 222 * t), 200]


def _sequential(value: float | None, high: float) -> list[int]:
    if value is None or pd.isna(value) or high <= 0:
        return [160, 160, 160, 120]
    t = max(0.0, min(1.0, float(value) / high))
    return [int(222 - 190 * t), int(235 - 155 * t), int(247 - 100 * t), 210]


def municipality_choropleth(frame: pd.DataFrame, value: str, label: str) -> None:
    """Municipalities coloured by ``value`` (a signed change), from the shipped CBS 2022 GeoJSON."""
    by_code = {
        row.municipality_code: row
        for row in frame.itertuples(index=False)
        if isinstance(row.municipality_code, str)
    }
    limit = float(frame[value].abs().max()) if frame[value].notna().any() else 0.0
    features = []
    for feature in _geojson()["features"]:
        code = "GM" + feature["properties"]["regiocode"][1:]
        row = by_code.get(code)
        v = getattr(row, value) if row is not None else None
        shown = "–" if v is None or pd.isna(v) else f"{v:+.2f}"
        features.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {
                    "name": widgets.deck_text(feature["properties"]["name"]),
                    "code": code,
                    "value": shown,
                    "fill": _diverging(v, limit),
                },
            }
        )
    layer = pdk.Layer(
        "GeoJsonLayer",
        {"type": "FeatureCollection", "features": features},
        pickable=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=[80, 80, 80, 255],
        line_width_min_pixels=0.5,
    )
    view = pdk.ViewState(latitude=52.2, longitude=5.3, zoom=6.2)
    st.caption(label)
    st.pydeck_chart(
        pdk.Deck(
            layers=[layer],
            initial_view_state=view,
            map_style=None,
            tooltip={"text": "{name} ({code}): {value}"},
        )
    )


MAP_HEIGHT_PX = 500


def station_label(members: list[dict[str, Any]]) -> str:
    """The map label of one station (``12 · VVD``) or of the stations at one place (their numbers only;
    each one's largest party is in its tooltip)."""
    if len(members) == 1:
        m = members[0]
        return f"{m['number_b']} · {m['largest_b']}" if m["largest_b"] else str(m["number_b"] or "")
    return widgets.join_labels([str(m["number_b"]) for m in members if m["number_b"] is not None])


def station_map_deck(frame: pd.DataFrame, measure: str, *, signed: bool) -> pdk.Deck | None:
    """Stations as points sized and coloured by ``measure``, labelled with number and largest party
    (stations at one place: one label with their numbers; a label that would overlap another is left
    out, the point and its tooltip stay), the view fitted to all of them. ``None`` when no station has
    a location."""
    located = frame.dropna(subset=["latitude", "longitude"]).copy()
    if located.empty:
        return None
    values = pd.to_numeric(located[measure], errors="coerce")
    top = float(values.abs().max()) if values.notna().any() else 0.0
    records = []
    for row, v in zip(located.to_dict("records"), values, strict=True):
        number = None if pd.isna(row["number_b"]) else int(row["number_b"])
        method = row.get("method")
        records.append(
            {
                "latitude": float(row["latitude"]),
                "longitude": float(row["longitude"]),
                "fill": _diverging(v, top) if signed else _sequential(v, top),
                "radius": 60 + 240 * (abs(float(v)) / top if top and pd.notna(v) else 0),
                "shown": number_text(v, 1 if signed else 0, signed=signed) or "–",
                "number_b": number,
                "name_b": row["name_b"] if isinstance(row.get("name_b"), str) else "",
                "largest_b": row["largest_b"] if isinstance(row.get("largest_b"), str) else "",
                "method": tr(f"analysis.method.{method}") if isinstance(method, str) else "",
            }
        )
    records = widgets.deck_records(records)  # names and parties from imports: never deck.gl code
    view = widgets.fit_view([(r["latitude"], r["longitude"]) for r in records], height_px=MAP_HEIGHT_PX)
    placed = widgets.deck_records(
        widgets.place_labels(records, zoom=view.zoom, text=station_label, size=12, offset_px=10)
    )
    points = pdk.Layer(
        "ScatterplotLayer",
        records,
        get_position=["longitude", "latitude"],
        get_fill_color="fill",
        get_radius="radius",
        get_line_color=[40, 40, 40, 255],
        stroked=True,
        line_width_min_pixels=1,
        pickable=True,
    )
    labels = pdk.Layer(
        "TextLayer",
        placed,
        get_position=["lon", "lat"],
        get_text="label",
        get_size=12,
        get_color=[20, 20, 20, 255],
        get_alignment_baseline="'top'",
        get_pixel_offset=[0, 10],
        # quoted: a literal for deck.gl (see app/ui/office.py), so accented party names are drawn
        character_set="'auto'",
    )
    tooltip = (
        "{number_b} {name_b}\n"
        + tr("analysis.map.largest")
        + ": {largest_b}\n{shown}\n"
        + tr("analysis.map.linked")
        + ": {method}"
    )
    return pdk.Deck(
        layers=[points, labels], initial_view_state=view, map_style=None, tooltip={"text": tooltip}
    )


def station_map(frame: pd.DataFrame, measure: str, label: str, *, signed: bool) -> None:
    """The station map of :func:`station_map_deck` under its caption, and how many have no location."""
    missing = int(frame[["latitude", "longitude"]].isna().any(axis=1).sum())
    if missing:
        st.caption(tr("analysis.stations.no_location", n=missing))
    deck = station_map_deck(frame, measure, signed=signed)
    if deck is None:
        return
    st.caption(label)
    st.pydeck_chart(deck, height=MAP_HEIGHT_PX)


def swing_chart(frame: pd.DataFrame, label_col: str, title: str) -> None:
    """Horizontal bars of the swing (percentage points), gains and losses told apart by sign and text."""
    if frame.empty:
        return
    data = frame.copy()
    data[label_col] = data[label_col].map(widgets.plot_text)  # party names: text, never Plotly's HTML
    data["richting"] = ["+" if s >= 0 else "−" for s in data["swing"]]
    fig = px.bar(
        data.sort_values("swing"),
        x="swing",
        y=label_col,
        orientation="h",
        color="richting",
        color_discrete_map={"+": "#1f66b3", "−": "#d9601a"},
        text="swing",
        title=widgets.plot_text(title),
        labels={"swing": "pp", label_col: ""},
    )
    fig.update_traces(texttemplate="%{text:+.1f}", textposition="outside")
    fig.update_layout(showlegend=False, height=max(300, 28 * len(data)), margin={"l": 10, "r": 10})
    st.plotly_chart(fig, width="stretch")


#: Bar colours of the two elections in :func:`shares_chart`: each at least 3:1 against the white
#: background (WCAG 1.4.11: Streamlit's second colour, light blue, is 1.8:1), told apart also by pattern.
SHARES_COLOURS = ("#6b6b6b", "#1f66b3")


def shares_chart(frame: pd.DataFrame, title: str, a: str, b: str) -> None:
    """Grouped bars: the share of each party in both elections (``a`` grey, ``b`` blue and hatched)."""
    if frame.empty:
        return
    long = frame.melt(
        id_vars=["party"], value_vars=["share_a", "share_b"], var_name="election", value_name="share"
    )
    a, b = widgets.plot_text(a), widgets.plot_text(b)  # names as text, never Plotly's HTML
    long["party"] = long["party"].map(widgets.plot_text)
    long["election"] = long["election"].map({"share_a": a, "share_b": b})
    fig = px.bar(
        long,
        x="share",
        y="party",
        color="election",
        color_discrete_map=dict(zip((a, b), SHARES_COLOURS, strict=True)),
        barmode="group",
        orientation="h",
        pattern_shape="election",
        pattern_shape_map={a: "", b: "/"},
        title=widgets.plot_text(title),
        labels={"share": "%", "party": "", "election": tr("analysis.shares.legend")},
    )
    fig.update_layout(height=max(320, 34 * frame.shape[0]), margin={"l": 10, "r": 10})
    st.plotly_chart(fig, width="stretch")
