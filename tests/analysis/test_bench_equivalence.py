"""The pandas side of the duckdb_vs_pandas benchmark computes what app/analysis/compare computes."""

import numpy as np
import pytest

from app.analysis import compare
from bench import analysis as bench

WMW = "GM0668"


def _frames(ws):
    names = ("station", "station_result", "station_party_votes", "municipality_party_votes")
    return {name: ws.query(f"SELECT * FROM {name}").to_pandas() for name in names}


def test_python_jaro_winkler_equals_duckdb_on_real_station_names(ws):
    pairs = ws.query(
        """
        SELECT lower(coalesce(a.name, '')) AS x, lower(coalesce(b.name, '')) AS y,
               jaro_winkler_similarity(x, y) AS sim
        FROM station a JOIN station b USING (municipality_code)
        WHERE a.election_id = 'GR2022' AND b.election_id = 'TK2025'
        UNION ALL
        SELECT x, y, jaro_winkler_similarity(x, y)
        FROM (VALUES ('il caffè 1', 'il caffè 2'), ('', ''), ('martha', 'marhta')) t(x, y)
        """
    ).to_pandas()
    assert len(pairs) > 100
    python = np.array([bench.jaro_winkler(x, y) for x, y in zip(pairs.x, pairs.y, strict=True)])
    assert np.allclose(python, pairs.sim.to_numpy(), rtol=0, atol=1e-12)


@pytest.mark.parametrize(("a", "b"), [("GR2022", "TK2025")])
def test_pandas_links_and_shares_equal_duckdb_on_a_renumbered_municipality(ws, a, b):
    frames = {k: f[f.municipality_code == WMW] for k, f in _frames(ws).items()}
    links = compare.station_links(ws, a, b, [WMW])
    got = bench.pandas_links(frames, a, b)
    assert not bench._differences(
        links[list(got.columns)], got, [bench.KEY, "method", "number_a", "number_b"]
    )
    assert set(got.method) == {"postcode", "none"}
    duck = compare.station_party_shares(ws, a, b, [WMW])
    panda = bench.pandas_station_shares(frames, a, b)
    for col in ("share_a", "share_b", "swing"):
        panda[col] = panda[col].round(2)
    assert not bench._differences(duck, panda, [bench.KEY, "number_a", "number_b", "party_key"])
