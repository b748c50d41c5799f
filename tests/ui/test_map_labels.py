"""The map helpers (app/ui/widgets.py): labels never overlap (stations in one building share one label,
with each station's state symbol kept), and the first view shows every point. Pure unit tests of the
helpers, then the office map and the analyst's station map on real demo data."""

from __future__ import annotations

import json
import math

import pandas as pd
import pydeck as pdk
import pytest

from app.ui import widgets

W, H = widgets.MAP_WIDTH_PX, 500


def _pixels(
    view: pdk.ViewState, lat: float, lon: float, width: int = W, height: int = H
) -> tuple[float, float]:
    """Where (lat, lon) lands on a width × height map showing ``view`` (Web Mercator, 512 px tiles)."""

    def merc(la: float, lo: float) -> tuple[float, float]:
        phi = math.radians(la)
        return (lo + 180) / 360, (1 - math.log(math.tan(math.pi / 4 + phi / 2)) / math.pi) / 2

    scale = 512 * 2**view.zoom
    cx, cy = merc(view.latitude, view.longitude)
    x, y = merc(lat, lon)
    return (x - cx) * scale + width / 2, (y - cy) * scale + height / 2


def _boxes(labels: list[dict], zoom: float, size: float = 12, offset: float = 10) -> list[tuple[float, ...]]:
    scale = 512 * 2**zoom
    out = []
    for r in labels:
        x, y = widgets._mercator(r["lat"], r["lon"])
        out.append(widgets._label_box(x * scale, y * scale, r["label"].split("\n"), size, offset))
    return out


def _no_two_overlap(boxes: list[tuple[float, ...]]) -> bool:
    return not any(widgets._overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def _one(members: list[dict]) -> str:
    return widgets.join_labels([m["label"] for m in members])


def test_two_stations_at_the_same_place_get_one_label_with_both_numbers_and_symbols():
    points = [
        {"latitude": 52.38, "longitude": 4.63, "label": "✓ 1"},
        {"latitude": 52.38, "longitude": 4.63, "label": "○ 21"},
    ]
    labels = widgets.place_labels(points, zoom=18, text=_one)
    assert len(labels) == 1
    assert labels[0]["count"] == 2
    assert labels[0]["label"] == "✓ 1  ○ 21"  # not two texts drawn on top of each other ("✓✓121")


def test_stations_in_one_building_share_a_label_and_a_label_that_would_overlap_is_left_out():
    points = [
        {"latitude": 52.38000, "longitude": 4.63000, "label": "✓ 1"},
        {"latitude": 52.38008, "longitude": 4.63005, "label": "● 2"},  # about 10 m away: one building
        {"latitude": 52.38100, "longitude": 4.63150, "label": "▲ 3"},  # about 150 m away
        {"latitude": 52.42000, "longitude": 4.70000, "label": "◆ 4"},  # several km away
    ]
    labels = widgets.place_labels(points, zoom=12, text=_one)
    # at zoom 12 (about 12 m a pixel) the label of 3 would overlap that of 1 and 2: it is left out (its
    # point and tooltip stay), never drawn on top
    assert sorted(r["label"] for r in labels) == ["◆ 4", "✓ 1  ● 2"]
    assert _no_two_overlap(_boxes(labels, 12))
    # zoomed in, 3 has room for its own label; 1 and 2 still share theirs
    assert sorted(r["label"] for r in widgets.place_labels(points, zoom=17, text=_one)) == [
        "▲ 3",
        "◆ 4",
        "✓ 1  ● 2",
    ]


def test_many_labels_in_a_row_never_overlap():
    points = [{"latitude": 52.0, "longitude": 5.0 + i * 0.001, "label": f"● {i}"} for i in range(40)]
    labels = widgets.place_labels(points, zoom=13, text=_one)
    assert 5 <= len(labels) < 40 and all(r["count"] == 1 for r in labels)
    assert labels[0]["label"] == "● 0"  # in the order given
    assert _no_two_overlap(_boxes(labels, 13))


def test_join_labels_wraps_and_caps():
    texts = [f"● {i}" for i in range(15)]
    joined = widgets.join_labels(texts)
    assert joined.split("\n")[0] == "● 0  ● 1  ● 2  ● 3"
    assert len(joined.split("\n")) == 3 and joined.endswith("+3")


@pytest.mark.parametrize(
    ("lats", "lons"),
    [
        ([51.80, 51.89, 51.84], [5.42, 5.60, 5.50]),  # a rural municipality, wider than high
        ([52.33, 52.43], [4.60, 4.62]),  # higher than wide: the south must not be cut off
        ([52.38], [4.63]),  # one point
    ],
)
def test_fit_view_shows_every_point(lats, lons):
    view = widgets.fit_view(zip(lats, lons, strict=True), width_px=W, height_px=H)
    for lat, lon in zip(lats, lons, strict=True):
        x, y = _pixels(view, lat, lon)
        assert 0 <= x <= W and 0 <= y <= H, (lat, lon, x, y)
    assert view.zoom <= 15


def test_fit_view_zooms_in_as_far_as_the_points_allow():
    lats, lons = [52.33, 52.43], [4.60, 4.62]
    view = widgets.fit_view(zip(lats, lons, strict=True), width_px=W, height_px=H, padding=0.1)
    _, top = _pixels(view, 52.43, 4.61)
    _, bottom = _pixels(view, 52.33, 4.61)
    assert bottom - top == pytest.approx(0.8 * H, rel=0.01)  # the 10 % padding on each side, no more


def test_declutter_groups_the_text_layer_and_fits_the_view_to_points_and_boundary():
    records = [
        {"lat": 52.38, "lon": 4.63, "label": "✓ 1"},
        {"lat": 52.38, "lon": 4.63, "label": "○ 21"},
        {"lat": 52.40, "lon": 4.66, "label": "● 5"},
    ]
    boundary = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[4.55, 52.30], [4.70, 52.30], [4.70, 52.43], [4.55, 52.43], [4.55, 52.30]]
                    ],
                },
            }
        ],
    }
    deck = pdk.Deck(
        layers=[
            pdk.Layer("GeoJsonLayer", boundary),
            pdk.Layer("ScatterplotLayer", records, id="stations", get_position=["lon", "lat"]),
            pdk.Layer("TextLayer", records, get_position=["lon", "lat"], get_text="label", get_size=13),
        ],
        initial_view_state=pdk.ViewState(latitude=52.39, longitude=4.645, zoom=11.5),
    )
    deck = widgets.declutter(deck, height_px=H)
    out = json.loads(deck.to_json())
    text = next(layer for layer in out["layers"] if layer["@@type"] == "TextLayer")
    assert sorted(r["label"] for r in text["data"]) == ["● 5", "✓ 1  ○ 21"]
    points = next(layer for layer in out["layers"] if layer["@@type"] == "ScatterplotLayer")
    assert len(points["data"]) == 3  # every station keeps its own point, tooltip and selection
    view = deck.initial_view_state
    for lat, lon in [(52.30, 4.55), (52.43, 4.70), (52.30, 4.70)]:  # the boundary's corners, south too
        x, y = _pixels(view, lat, lon)
        assert 0 <= x <= W and 0 <= y <= H, (lat, lon, x, y)


def test_the_analysts_station_map_labels_stations_at_one_place_once():
    from app.ui import analysis

    frame = pd.DataFrame(
        {
            "number_b": [1, 2, 7],
            "name_b": ["Dorpshuis zaal 1", "Dorpshuis zaal 2", None],
            "largest_b": ["LOKAAL BELANG", "CDA", "VVD"],
            "largest_share_b": [40.0, 35.5, 30.1],
            "method": ["number", "number", "postcode"],
            "latitude": [51.85, 51.85, 51.80],
            "longitude": [5.50, 5.50, 5.42],
        }
    )
    deck = analysis.station_map_deck(frame, "largest_share_b", signed=False)
    out = json.loads(deck.to_json())
    text = next(layer for layer in out["layers"] if layer["@@type"] == "TextLayer")
    labels = sorted(r["label"] for r in text["data"])
    assert labels == ["1  2", "7 · VVD"]  # not "1 · LOKAAL BELANG" drawn over "2 · CDA"
    assert text["characterSet"] == "auto"
    points = next(layer for layer in out["layers"] if layer["@@type"] == "ScatterplotLayer")
    assert {r["largest_b"] for r in points["data"]} == {"LOKAAL BELANG", "CDA", "VVD"}  # in the tooltip
    assert "{largest_b}" in deck._tooltip["text"]
    for lat, lon in zip(frame.latitude, frame.longitude, strict=True):
        x, y = _pixels(deck.initial_view_state, lat, lon, height=analysis.MAP_HEIGHT_PX)
        assert 0 <= x <= W and 0 <= y <= analysis.MAP_HEIGHT_PX


def _label_layer(layer: dict) -> bool:
    """The text layer of the labels (not the symbols drawn on every point, which declutter keeps)."""
    return layer["@@type"] == "TextLayer" and not layer.get("id", "").startswith(widgets.KEEP_ALL_PREFIX)


def test_office_map_of_haarlem_has_one_label_per_building_with_state_symbols(demo_db_url, app_env):
    """Real data: Haarlem has up to ten stations in one building. After ``declutter`` (as the page
    does) no two labels overlap, no place has two labels, every station's number and state symbol is in
    a label, and the first view holds every station."""
    app_env(demo_db_url)
    from app.services import auth, office
    from app.storage.db import session_scope
    from app.ui import office as office_ui
    from etl.demo import DEMO_PASSWORD

    with session_scope() as db:
        actor = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
        view = office.overview(db, actor, "GR2026", "GM0392")
    before = json.loads(office_ui.station_map(view).to_json())
    old = next(layer for layer in before["layers"] if _label_layer(layer))["data"]
    places = [(r["lat"], r["lon"]) for r in old]
    assert len(places) > len(set(places))  # the defect: several labels drawn at one place

    deck = widgets.declutter(office_ui.station_map(view), height_px=560)
    out = json.loads(deck.to_json())
    labels = next(layer for layer in out["layers"] if _label_layer(layer))["data"]
    assert len({(r["lat"], r["lon"]) for r in labels}) == len(labels)
    assert _no_two_overlap(_boxes(labels, deck.initial_view_state.zoom, size=13, offset=12))
    located = [r for r in view.stations if r.latitude is not None]
    number_at = {f"{office_ui.STATE_SYMBOL[r.state]} {r.number}": (r.latitude, r.longitude) for r in located}
    building = max(labels, key=lambda r: r["count"])
    assert building["count"] >= 3  # one label for the three stations of one building
    for r in labels:
        items = [item for line in r["label"].split("\n") for item in line.split("  ")]
        shown = [item for item in items if not item.startswith("+")]
        assert shown and set(shown) <= set(number_at)  # each number with its state symbol
        assert all(widgets._same_place(number_at[item], (r["lat"], r["lon"])) for item in shown)
    for r in located:
        x, y = _pixels(deck.initial_view_state, r.latitude, r.longitude, height=560)
        assert 0 <= x <= W and 0 <= y <= 560


def _labels_by_every_pair(points, *, zoom, text):
    """The definition of place_labels, comparing every pair (what its grid indexes must equal)."""
    places = []
    for p in points:
        at = (p["latitude"], p["longitude"])
        home = next((pl for pl in places if widgets._same_place(pl["at"], at)), None)
        if home is None:
            places.append({"at": at, "members": [p]})
        else:
            home["members"].append(p)
    scale = widgets._TILE_PX * 2.0**zoom
    drawn, out = [], []
    for pl in sorted(places, key=lambda x: -len(x["members"])):
        label = text(pl["members"])
        x, y = widgets._mercator(*pl["at"])
        box = widgets._label_box(x * scale, y * scale, label.split("\n"), 12.0, 10.0)
        if any(widgets._overlap(box, other) for other in drawn):
            continue
        drawn.append(box)
        out.append({"lat": pl["at"][0], "lon": pl["at"][1], "label": label, "count": len(pl["members"])})
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_grid_indexes_place_exactly_the_labels_of_comparing_every_pair(seed):
    import random

    rng = random.Random(seed)
    points = []
    for i in range(700):
        lat, lon = 52.38 + rng.uniform(-0.05, 0.05), 4.63 + rng.uniform(-0.08, 0.08)
        points.append({"latitude": lat, "longitude": lon, "t": str(i + 1)})
        if rng.random() < 0.2:  # a second station in the same building, a few metres away
            points.append({"latitude": lat + rng.uniform(-1e-4, 1e-4), "longitude": lon, "t": str(i + 1001)})
    text = lambda members: widgets.join_labels([m["t"] for m in members])  # noqa: E731
    for zoom in (11.0, 12.5, 14.0):
        placed = widgets.place_labels(points, zoom=zoom, text=text)
        assert placed == _labels_by_every_pair(points, zoom=zoom, text=text)
        assert 0 < len(placed) < len(points)
