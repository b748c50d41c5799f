"""Shared Streamlit widgets, and the map helpers every map uses (a view fitted to its points, labels
that never overlap)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pydeck as pdk
import streamlit as st

from app.services.home import ElectionSummary
from app.ui.session import lang, tr
from app.ui.texts import WORD_JOINER


def election_summary(rows: list[ElectionSummary]) -> None:
    if not rows:
        st.info(tr("home.no_election"))
        return
    st.dataframe(
        [
            {
                tr("home.elections"): f"{r.election_id} · {r.name}",
                tr("home.date"): r.election_date.strftime("%d-%m-%Y"),
                tr("home.municipalities"): f"{r.municipality_name} ({r.municipality_code})",
                tr("home.stations"): r.stations,
                "DSO/CSO": r.counting_method,
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
        placeholder="–",
    )


def choose_many(
    label: str,
    options: Sequence[str],
    *,
    key: str,
    format_func: Callable[[str], str],
    default: Sequence[str] = (),
    placeholder: str | None = None,
    where: Any = st,
) -> list[str]:
    """A multiselect of keys shown in the interface language that keeps what is chosen when the
    language changes. Streamlit matches a multiselect's chosen values by their shown text, so after a
    switch every chosen option whose text differs in the other language would silently drop out (a
    filter on "In behandeling" lost it at "In progress"). The chosen keys are kept beside the widget
    and given back to it after a switch."""
    kept, seen_in = f"{key}__chosen", f"{key}__lang"
    language = lang()
    if st.session_state.get(seen_in, language) != language and kept in st.session_state:
        st.session_state[key] = [o for o in st.session_state[kept] if o in options]
    st.session_state[seen_in] = language
    initial = {} if key in st.session_state else {"default": list(default)}
    chosen = where.multiselect(
        label, options, format_func=format_func, placeholder=placeholder, key=key, **initial
    )
    st.session_state[kept] = list(chosen)
    return chosen


def inert(text: str | None) -> None:
    """Text shown exactly as it is (user text, addresses, figures): never markdown, never HTML."""
    if text:
        st.text(text)


# --- data in charts and maps: shown as text, never as markup or code ------------------------------------


def plot_text(value: Any) -> Any:
    """A data-derived string for a Plotly figure (category, legend and trace names, hover and bar text,
    titles): Plotly renders ``<a href>``, ``<b>``, ``<br>`` and character references in all of them, so
    ``&``, ``<`` and ``>`` become references and the name shows as typed. Anything else as it is."""
    if not isinstance(value, str):
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def deck_text(value: Any) -> Any:
    """A value for the inline data of a pydeck deck: deck.gl's JSON converter (Streamlit's
    ``pydeck_chart``) reads a string starting with ``@@=`` as an expression to run and ``@@#`` as a
    constant to look up, so a leading ``@@`` gets an invisible word joiner between its two ``@``.
    Anything else as it is."""
    if isinstance(value, str) and value.startswith("@@"):
        return f"@{WORD_JOINER}{value[1:]}"
    return value


def deck_records(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records for a deck layer with every string value made inert (:func:`deck_text`)."""
    return [{key: deck_text(value) for key, value in record.items()} for record in records]


# --- maps: an initial view that shows every point, labels that never overlap ------------------------------

#: deck.gl's Web Mercator world is 512 px wide at zoom 0.
_TILE_PX = 512.0
#: The width assumed for a map (the app runs in wide layout; a narrower screen sees a little less margin).
MAP_WIDTH_PX = 700
#: Text metrics of a label in pixels per point of font size (a conservative average over digits, letters
#: and the state symbols): the box a label takes on screen.
_CHAR_WIDTH = 0.62
_LINE_HEIGHT = 1.25
_LABEL_GAP_PX = 4.0


def _mercator(lat: float, lon: float) -> tuple[float, float]:
    """(x, y) in world units (0..1) of Web Mercator; y grows southwards, as on screen."""
    lat = max(-85.0, min(85.0, lat))
    phi = math.radians(lat)
    return (lon + 180.0) / 360.0, (1.0 - math.log(math.tan(phi) + 1.0 / math.cos(phi)) / math.pi) / 2.0


def _unmercator(x: float, y: float) -> tuple[float, float]:
    lat = math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * y))))
    return lat, x * 360.0 - 180.0


def fit_view(
    positions: Iterable[tuple[float, float]],
    *,
    width_px: int = MAP_WIDTH_PX,
    height_px: int = 500,
    padding: float = 0.1,
    min_zoom: float = 5.0,
    max_zoom: float = 15.0,
) -> pdk.ViewState:
    """The initial view that shows every ``(latitude, longitude)`` with ``padding`` (a fraction of the
    map on each side) to spare: centred on the bounds, zoomed to the larger of their width and height.
    """
    points = [_mercator(lat, lon) for lat, lon in positions]
    if not points:
        return pdk.ViewState(latitude=52.2, longitude=5.3, zoom=6.2)
    xs, ys = [x for x, _ in points], [y for _, y in points]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    usable = 1.0 - 2.0 * padding
    fits = [max_zoom]
    if span_x > 0:
        fits.append(math.log2(width_px * usable / (span_x * _TILE_PX)))
    if span_y > 0:
        fits.append(math.log2(height_px * usable / (span_y * _TILE_PX)))
    zoom = max(min_zoom, min(fits))
    lat, lon = _unmercator((min(xs) + max(xs)) / 2.0, (min(ys) + max(ys)) / 2.0)
    return pdk.ViewState(latitude=lat, longitude=lon, zoom=round(zoom, 2))


def _label_box(x: float, y: float, lines: list[str], size: float, offset_px: float) -> tuple[float, ...]:
    """(left, top, right, bottom) in screen pixels of a label centred below the point (x, y)."""
    width = max(len(line) for line in lines) * size * _CHAR_WIDTH
    top = y + offset_px
    return x - width / 2.0, top, x + width / 2.0, top + len(lines) * size * _LINE_HEIGHT


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    gap = _LABEL_GAP_PX
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


#: Stations closer than this share one place (one building with several stations).
SAME_PLACE_M = 15.0


def _same_place(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Within :data:`SAME_PLACE_M` of each other (an equirectangular approximation, exact enough here)."""
    dy = (a[0] - b[0]) * 111_195.0
    dx = (a[1] - b[1]) * 111_195.0 * math.cos(math.radians((a[0] + b[0]) / 2.0))
    return math.hypot(dx, dy) < SAME_PLACE_M


def place_labels(
    points: list[dict[str, Any]],
    *,
    zoom: float,
    text: Callable[[list[dict[str, Any]]], str],
    lat: str = "latitude",
    lon: str = "longitude",
    size: float = 12.0,
    offset_px: float = 10.0,
) -> list[dict[str, Any]]:
    """Labels that do not overlap at ``zoom``, as records with ``lat``, ``lon``, ``label`` and
    ``count``.

    Points at one place (within :data:`SAME_PLACE_M`) get one label together: ``text`` of their points
    (which may span lines). Then each place's label is drawn only where it overlaps no label already
    drawn, places with more points first, else in the order given; a place left without a label keeps
    its point and its tooltip. Deterministic: the same points give the same labels."""
    # Grid indexes keep this linear in the number of points (it runs on every refresh of an open map):
    # places in cells of SAME_PLACE_M metres, drawn labels in cells of _LABEL_CELL_PX screen pixels.
    places: list[dict[str, Any]] = []
    place_cells: dict[tuple[int, int], list[int]] = {}
    for point in points:
        if point.get(lat) is None or point.get(lon) is None:
            continue
        where = (float(point[lat]), float(point[lon]))
        cy, cx = _place_cell(where)
        near = [
            i
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            for i in place_cells.get((cy + dy, cx + dx), ())
            if _same_place(places[i]["at"], where)
        ]
        if near:
            places[min(near)]["members"].append(point)  # the first place it is at, as given
            continue
        place_cells.setdefault((cy, cx), []).append(len(places))
        places.append({"at": where, "members": [point]})
    scale = _TILE_PX * 2.0**zoom
    drawn: list[tuple[float, ...]] = []
    drawn_cells: dict[tuple[int, int], list[int]] = {}
    labels: list[dict[str, Any]] = []
    for place in sorted(places, key=lambda p: -len(p["members"])):  # stable: ties keep their order
        label = text(place["members"])
        x, y = _mercator(*place["at"])
        box = _label_box(x * scale, y * scale, label.split("\n"), size, offset_px)
        if not label:
            continue
        reach = _box_cells(box, _LABEL_GAP_PX)
        if any(_overlap(box, drawn[i]) for cell in reach for i in drawn_cells.get(cell, ())):
            continue
        for cell in _box_cells(box, 0.0):
            drawn_cells.setdefault(cell, []).append(len(drawn))
        drawn.append(box)
        labels.append(
            {"lat": place["at"][0], "lon": place["at"][1], "label": label, "count": len(place["members"])}
        )
    return labels


_LABEL_CELL_PX = 64.0


def _place_cell(at: tuple[float, float]) -> tuple[int, int]:
    """The grid cell (about :data:`SAME_PLACE_M` square) of a position, for :func:`place_labels`."""
    y = at[0] * 111_195.0
    x = at[1] * 111_195.0 * math.cos(math.radians(at[0]))
    return math.floor(y / SAME_PLACE_M), math.floor(x / SAME_PLACE_M)


def _box_cells(box: tuple[float, ...], gap: float) -> list[tuple[int, int]]:
    """The screen cells a label box (widened by ``gap`` on every side) touches."""
    c = _LABEL_CELL_PX
    return [
        (gy, gx)
        for gy in range(math.floor((box[1] - gap) / c), math.floor((box[3] + gap) / c) + 1)
        for gx in range(math.floor((box[0] - gap) / c), math.floor((box[2] + gap) / c) + 1)
    ]


def _positions(layer: pdk.Layer) -> list[tuple[float, float]]:
    """The (latitude, longitude) of a layer's records (``get_position=[lon, lat]``) or of its GeoJSON
    polygons and points."""
    data = layer.data
    position = layer._kwargs.get("get_position")
    if isinstance(data, list) and isinstance(position, list) and len(position) == 2:
        lon_key, lat_key = position
        return [
            (float(r[lat_key]), float(r[lon_key]))
            for r in data
            if r.get(lat_key) is not None and r.get(lon_key) is not None
        ]
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        found: list[tuple[float, float]] = []

        def walk(coords: Any) -> None:
            if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
                found.append((float(coords[1]), float(coords[0])))
            elif isinstance(coords, (list, tuple)):
                for c in coords:
                    walk(c)

        for feature in data.get("features", []):
            walk((feature.get("geometry") or {}).get("coordinates"))
        return found
    return []


def join_labels(texts: list[str], *, per_line: int = 4, max_items: int = 12) -> str:
    """Several short labels as one: ``per_line`` on a line, at most ``max_items`` and then ``+n``."""
    shown = texts[:max_items]
    lines = ["  ".join(shown[i : i + per_line]) for i in range(0, len(shown), per_line)]
    if len(texts) > max_items:
        lines[-1] += f"  +{len(texts) - max_items}"
    return "\n".join(lines)


#: A TextLayer whose id starts with this draws every record (small symbols on their points, which
#: cannot collide with labels): :func:`declutter` leaves it as it is.
KEEP_ALL_PREFIX = "keep-all-"


def declutter(deck: pdk.Deck, *, width_px: int = MAP_WIDTH_PX, height_px: int = 500) -> pdk.Deck:
    """A deck whose text labels cannot overlap and whose first view shows all of it.

    Every ``TextLayer`` (records with ``get_position=[lon, lat]`` and ``get_text`` naming a field) gets
    one label per place, the labels of the points there joined (so the state symbol beside each
    number stays), and only the labels that overlap no other at the first view (:func:`place_labels`).
    The initial view is fitted to every point and boundary of the deck (:func:`fit_view`). The other
    layers (the points, each with its own tooltip and selection) are left as they are."""
    positions = [p for layer in deck.layers for p in _positions(layer)]
    view = fit_view(positions, width_px=width_px, height_px=height_px)
    deck.initial_view_state = view
    for layer in deck.layers:
        if layer.type != "TextLayer" or not isinstance(layer.data, list):
            continue
        if str(getattr(layer, "id", "") or "").startswith(KEEP_ALL_PREFIX):
            continue
        position, field = layer._kwargs.get("get_position"), layer._kwargs.get("get_text")
        if not (isinstance(position, list) and len(position) == 2 and isinstance(field, str)):
            continue
        lon_key, lat_key = position
        size = layer._kwargs.get("get_size", 12)
        offset = layer._kwargs.get("get_pixel_offset", [0, 10])
        labels = place_labels(
            layer.data,
            zoom=view.zoom,
            text=lambda members, field=field: join_labels([str(m[field]) for m in members]),
            lat=lat_key,
            lon=lon_key,
            size=float(size) if isinstance(size, (int, float)) else 12.0,
            offset_px=float(offset[1]) if isinstance(offset, list) else 10.0,
        )
        layer.data = [
            {lon_key: r["lon"], lat_key: r["lat"], field: r["label"], "count": r["count"]} for r in labels
        ]
    return deck
