"""Comparison figures against hand-computed cases from the real files, and station linking."""

from pathlib import Path

import pytest

from app.analysis import compare, parties, sources
from app.analysis.workspace import Workspace
from etl.parsers.detect import parse_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "analysis"
WMW = "GM0668"
HAARLEM = "GM0392"


def test_party_names_normalise_to_one_key():
    assert parties.normalise("Partij van de Arbeid (P.v.d.A.)") == "partij van de arbeid pvda"
    assert parties.default_key("Partij van de Arbeid (P.v.d.A.)") == "PvdA"
    assert parties.default_key("PvdA") == "PvdA"
    assert parties.default_key("GROENLINKS / Partij van de Arbeid (PvdA)") == parties.GL_PVDA
    assert parties.default_key("GroenLinks") == "GROENLINKS"
    assert parties.default_key("Démocraten  66 (D66)") == "D66"
    assert parties.default_key("F.D. Wamel") == "fd wamel"


def test_station_shares_equal_hand_computed_figures(ws):
    # osv4-3 files: GR2022 station 5 (Gemeentehuis, 6658AG) VVD 155 of 1046 valid;
    # TK2025 station 1 (Gemeentehuis, 6658AG) VVD 481 of 2318 valid.
    shares = compare.station_party_shares(ws, "GR2022", "TK2025", [WMW])
    row = shares[(shares.number_a == 5) & (shares.number_b == 1) & (shares.party_key == "VVD")].iloc[0]
    assert (row.votes_a, row.votes_b) == (155, 481)
    assert row.share_a == round(100 * 155 / 1046, 2) == 14.82
    assert row.share_b == round(100 * 481 / 2318, 2) == 20.75
    assert row.swing == round(100 * 481 / 2318 - 100 * 155 / 1046, 2)


def test_municipality_shares_and_turnout_equal_hand_computed_figures(ws):
    shares = compare.municipality_party_shares(ws, "GR2022", "TK2025", [WMW])
    vvd = shares[shares.party_key == "VVD"].iloc[0]
    # GR2022: VVD 1345 of 9350 valid; TK2025 (history, per municipality): 2589 of 13627.
    assert (vvd.votes_a, vvd.votes_b) == (1345, 2589)
    assert vvd.share_a == round(100 * 1345 / 9350, 2)
    assert vvd.share_b == round(100 * 2589 / 13627, 2)
    turnout = compare.municipality_turnout(ws, "TK2021", "TK2023", [WMW]).iloc[0]
    hist = sources.history_tables()["municipality_result"].to_pandas()
    t21 = hist[(hist.election_id == "TK2021") & (hist.municipality_code == WMW)].iloc[0]
    t23 = hist[(hist.election_id == "TK2023") & (hist.municipality_code == WMW)].iloc[0]
    assert turnout.turnout_a == round(100 * t21.votes_cast / t21.electorate, 2)
    assert turnout.turnout_change == round(
        100 * t23.votes_cast / t23.electorate - 100 * t21.votes_cast / t21.electorate, 2
    )


def test_gl_pvda_compares_with_its_predecessors(ws):
    # Nijmegen GR2022 had GROENLINKS and PvdA apart; TK2023 had the joint list.
    shares = compare.municipality_party_shares(ws, "GR2022", "TK2023", ["GM0268"])
    keys = set(shares.party_key)
    assert parties.GL_PVDA in keys and "GROENLINKS" not in keys and "PvdA" not in keys
    joint = shares[shares.party_key == parties.GL_PVDA].iloc[0]
    assert joint.votes_a > 0 and joint.votes_b > 0


def test_real_renumbered_municipality_links_by_postcode_not_number(ws):
    # West Maas en Waal numbered its stations differently at GR2022 and TK2025: number 1 was
    # Dorpshuis De Hucht (6626AC) and became Gemeentehuis (6658AG).
    links = compare.station_links(ws, "GR2022", "TK2025", [WMW])
    linked = links[links.method != "none"]
    assert len(linked) == 11
    assert set(linked.method) == {"postcode"}
    assert (linked.postcode_a == linked.postcode_b).all()
    pairs = dict(zip(linked.number_b, linked.number_a, strict=True))
    assert pairs[1] == 5 and pairs[11] == 1  # Gemeentehuis, Dorpshuis De Hucht
    # The early-voting days (112-121) stay unlinked, and are shown as such.
    assert set(links[links.method == "none"].number_a) == set(range(112, 122))


def test_fixture_with_renumbered_stations_links_by_postcode_then_distance(file_tables):
    coords = {
        ("GR2026", code, n + 500): ll for (e, code, n), ll in sources._coordinates().items() if e == "GR2022"
    }
    renumbered = sources.tables_from_parse_results(
        [parse_file(FIXTURES / "osv4-3_telling_gr2022_haarlem_renumbered.csv")],
        coordinates=coords,
        election_id="GR2026",
    )
    ws = Workspace.build(sources.combine(file_tables, renumbered))
    try:
        links = compare.station_links(ws, "GR2022", "GR2026", [HAARLEM])
    finally:
        ws.close()
    linked = links[links.method != "none"]
    assert "number" not in set(linked.method)
    assert {"postcode", "distance"} <= set(linked.method)
    assert (linked.number_b == linked.number_a + 500).all()
    unlinked = links[links.method == "none"]
    # Only stations with neither postcode nor location stay unlinked, on both sides alike.
    assert unlinked.postcode_a.isna().all() and unlinked.postcode_b.isna().all()
    assert len(linked) == 90


def test_station_comparison_shows_counts_and_largest_party(ws):
    rows = compare.station_comparison(ws, "GR2022", "TK2025", [WMW])
    first = rows[rows.number_b == 1].iloc[0]
    assert (first.admitted_a, first.admitted_b) == (1049, 2332)
    assert first.largest_b == "PVV (Partij voor de Vrijheid)"
    assert first.method == "postcode"
    assert "turnout" not in " ".join(rows.columns)  # no per-station percentage


def test_station_comparison_breaks_a_tie_for_largest_party_by_name(file_tables):
    import pyarrow as pa

    votes = file_tables["station_party_votes"].to_pandas()
    here = (votes.election_id == "TK2025") & (votes.municipality_code == WMW)
    numbers = sorted(votes[here].station_number.unique())
    expected = {}
    for i, number in enumerate(numbers):  # at every station a different pair ties for the lead
        at = here & (votes.station_number == number)
        parties_here = sorted(votes[at].party.unique())
        pair = [parties_here[(i + 1) % len(parties_here)], parties_here[(2 * i + 3) % len(parties_here)]]
        if pair[0] == pair[1]:
            continue
        lead = int(votes[at].votes.max()) + 50
        votes.loc[at & votes.party.isin(pair), "votes"] = lead
        expected[number] = min(pair)
    tables = {**file_tables, "station_party_votes": pa.Table.from_pandas(votes, preserve_index=False)}
    tied = Workspace.build(tables)
    try:
        rows = compare.station_comparison(tied, "GR2022", "TK2025", [WMW])
    finally:
        tied.close()
    got = {int(r.number_b): r.largest_b for r in rows.itertuples() if int(r.number_b) in expected}
    assert len(got) >= 5 and got == {n: expected[n] for n in got}


@pytest.mark.parametrize("n", [3])
def test_biggest_movers_orders_by_absolute_swing(ws, n):
    shares = compare.municipality_party_shares(ws, "GR2022", "TK2025", [WMW])
    movers = compare.biggest_movers(shares, n)
    assert len(movers) == n
    assert list(movers.swing.abs()) == sorted(shares.swing.abs(), reverse=True)[:n]
