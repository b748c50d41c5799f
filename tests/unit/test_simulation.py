"""The plan of a simulated election day (app.domain.simulation), on real GR2022 results."""

from __future__ import annotations

from fractions import Fraction

import pytest

from app.domain import simulation as sim
from app.domain.counting import count_form_from_mapping
from app.domain.validation import validate_count
from etl.simulation import intraday_curve, source_file, station_results

WMW = "GM0668"


@pytest.fixture(scope="module")
def wmw() -> list[sim.StationResult]:
    code, results = station_results(source_file(WMW))
    assert code == WMW
    return results


@pytest.fixture(scope="module")
def nijmegen() -> list[sim.StationResult]:
    return station_results(source_file("GM0268"))[1]


def config(**kw) -> sim.DayConfig:
    return sim.DayConfig(**{"seed": 7, "counting_method": "DSO", "curve": intraday_curve(), **kw})


def test_station_results_are_the_official_file(wmw):
    assert len(wmw) == 21
    assert sum(r.votes_candidates_count for r in wmw) == 9350  # data/README: 9,350 valid votes
    for r in wmw:
        assert r.poll_card_count + r.proxy_certificate_count + (r.voter_card_count or 0) == (
            r.total_admitted_voters_count
        )
        for number, total in r.list_votes:
            assert sum(dict(r.candidate_votes)[number]) == total


def test_same_seed_same_day_other_seed_other_day(wmw):
    assert sim.plan_day(wmw, config()) == sim.plan_day(wmw, config())
    assert sim.plan_day(wmw, config()) != sim.plan_day(wmw, config(seed=8))


def test_events_are_in_time_order_and_keys_unique_per_station(wmw):
    events = sim.plan_day(wmw, config())
    assert [e.at for e in events] == sorted(e.at for e in events)
    keys = [(e.station, e.key) for e in events]
    assert len(keys) == len(set(keys))
    assert all(e.kind in sim.KINDS for e in events)


def test_turnout_never_decreases_and_ends_at_the_real_admitted_voters(wmw):
    events = sim.plan_day(wmw, config())
    by_station: dict[int, list[dict]] = {}
    for e in events:
        if e.kind == sim.TURNOUT:
            by_station.setdefault(e.station, []).append(dict(e.payload))
    assert set(by_station) == {r.number for r in wmw}
    for r in wmw:
        reports = by_station[r.number]
        assert [p["moment"] for p in reports] == ["10:00", "13:45", "17:45", "21:00"]
        for field in ("admitted_voters", "poll_card_count", "proxy_certificate_count"):
            values = [p[field] for p in reports]
            assert values == sorted(values), (r.number, field, values)
            assert all(isinstance(v, int) for v in values)
        last = reports[-1]
        assert last["admitted_voters"] == r.total_admitted_voters_count
        assert last["poll_card_count"] == r.poll_card_count
        assert last["proxy_certificate_count"] == r.proxy_certificate_count
    assert sim.final_turnout(events) == {r.number: r.total_admitted_voters_count for r in wmw}


def test_turnout_follows_the_curve(wmw):
    events = sim.plan_day(wmw, config())
    total = sum(r.total_admitted_voters_count for r in wmw)
    at_1345 = sum(e.payload["admitted_voters"] for e in events if e.key == "turnout:13:45")
    assert Fraction(30, 100) < Fraction(at_1345, total) < Fraction(45, 100)


def test_last_count_of_each_station_is_the_official_result(wmw):
    events = sim.plan_day(wmw, config())
    last: dict[int, dict] = {}
    for e in events:
        if e.kind in (sim.COUNT, sim.COUNT_CORRECTED):
            last[e.station] = dict(e.payload["form"])
    for r in wmw:
        form = last[r.number]
        assert {g["number"]: g["total"] for g in form["political_group_votes"]} == dict(r.list_votes)
        assert {g["number"]: tuple(g["candidate_votes"]) for g in form["political_group_votes"]} == dict(
            r.candidate_votes
        )
        assert form["blank_votes_count"] == r.blank_votes_count
        assert form["invalid_votes_count"] == r.invalid_votes_count
        assert form["total_votes_cast_count"] == r.total_votes_cast_count
        assert form["total_admitted_voters_count"] == r.total_admitted_voters_count


def test_every_submitted_count_passes_the_checks_with_warnings_explained(wmw, nijmegen):
    for results, method in ((wmw, "DSO"), (nijmegen, "CSO")):
        for e in sim.plan_day(results, config(counting_method=method)):
            if e.kind in (sim.COUNT, sim.COUNT_CORRECTED):
                form = count_form_from_mapping(e.payload["form"], election_kind="GR")
                result = validate_count(form, counting_method=method, election_kind="GR")
                assert not result.errors
                assert not result.unexplained_warnings(e.payload["explanations"])


def test_a_few_counts_are_returned_and_corrected_then_every_count_is_accepted(wmw):
    events = sim.plan_day(wmw, config())
    returned = {e.station for e in events if e.kind == sim.COUNT_RETURNED}
    corrected = {e.station for e in events if e.kind == sim.COUNT_CORRECTED}
    accepted = {e.station for e in events if e.kind == sim.COUNT_ACCEPTED}
    assert 2 <= len(returned) <= 5 and returned == corrected
    assert accepted == {r.number for r in wmw}
    for e in events:
        if e.kind == sim.COUNT_RETURNED:
            assert e.payload["reason"]
    # the erroneous first count differs from the official one
    first = {e.station: e.payload["form"] for e in events if e.kind == sim.COUNT}
    final = {e.station: e.payload["form"] for e in events if e.kind == sim.COUNT_CORRECTED}
    assert all(first[n] != final[n] for n in returned)


def test_counts_come_in_from_about_2145_small_stations_first_and_end_before_2300(wmw):
    events = sim.plan_day(wmw, config())
    counts = [e for e in events if e.kind == sim.COUNT]
    assert all(e.at >= 21 * 3600 + 30 * 60 for e in counts)
    assert all(e.at < 23 * 3600 for e in events)
    size = {r.number: r.total_votes_cast_count for r in wmw}
    first_half = [size[e.station] for e in counts[: len(counts) // 2]]
    second_half = [size[e.station] for e in counts[len(counts) // 2 :]]
    assert sum(first_half) / len(first_half) < sum(second_half) / len(second_half)


def test_opening_around_0730_a_few_late_and_a_few_short_of_members(wmw):
    events = sim.plan_day(wmw, config())
    openings = [e.at for e in events if e.kind == sim.OPENING]
    assert len(openings) == 21
    late = [t for t in openings if t > 7 * 3600 + 30 * 60 + 59]
    assert 1 <= len(late) <= 4
    assert all(7 * 3600 + 15 * 60 <= t <= 8 * 3600 for t in openings)
    short = [e for e in events if e.kind == sim.MEMBERS and e.payload["present"] < 3]
    assert short
    closings = [e.at for e in events if e.kind == sim.CLOSING]
    assert all(21 * 3600 <= t < 21 * 3600 + 10 * 60 for t in closings)


def test_stock_runs_down_never_negative_with_a_few_low_stock_alerts(wmw):
    cfg = config()
    events = sim.plan_day(wmw, cfg)
    stock = [e for e in events if e.kind == sim.STOCK]
    assert all(e.payload["ballots_remaining"] >= 0 for e in stock)
    low = {e.station for e in stock if e.payload["ballots_remaining"] < cfg.low_stock_threshold}
    assert 1 <= len(low) <= 5
    incidents = [e for e in events if e.kind == sim.INCIDENT]
    assert {e.station for e in incidents if e.payload["category"] == "ballots"} == low
    assert len(incidents) > len(low)


def test_replicate_scales_to_a_national_size_day(wmw):
    stations = sim.replicate(wmw, 10_000)
    numbers = [s.number for s in stations]
    assert len(set(numbers)) == 10_000
    assert stations[:21] == sorted(wmw, key=lambda r: r.number)
    highest = max(r.number for r in wmw)
    assert numbers[21:] == list(range(highest + 1, highest + 10_000 - 21 + 1))
    assert stations[21].list_votes == stations[0].list_votes
    assert stations[21].name == f"{stations[0].name} (2)"
    small = sim.replicate(wmw, 300)
    events = sim.plan_day(small, config())
    assert {e.station for e in events if e.kind == sim.COUNT_ACCEPTED} == {s.number for s in small}
    assert sim.replicate(wmw, 5) == sim.replicate(wmw, 21)[:5]


def test_curve_from_the_press_points_rises_to_one():
    curve = intraday_curve()
    shares = [s for _, s in curve]
    assert shares == sorted(shares) and 0 < shares[0] < shares[-1] < 1
    assert sim.curve_share(curve, Fraction(7 * 60), 450, 1260) == 0
    assert sim.curve_share(curve, Fraction(21 * 60), 450, 1260) == 1


def test_clock():
    assert sim.clock(27000) == "07:30:00"
    assert sim.parse_clock("21:00") == 75600
    with pytest.raises(ValueError):
        sim.parse_clock("7h30")
