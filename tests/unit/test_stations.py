"""The opening hours of a polling station (Kieswet J 1, J 4a, J 30; app/domain/stations.py). Each rule has
a test named after its code (``station_hours.x`` -> ``test_station_hours_x``)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from app.domain.stations import (
    BIJZONDER_NEEDS_8_CONSECUTIVE_HOURS,
    CLOSE_NO_LATER_THAN_2100,
    HOURS_RULES,
    OPENS_BEFORE_CLOSES,
    REGULIER_IS_0730_2100,
    ROWS_DO_NOT_OVERLAP,
    STATION_TYPES,
    Severity,
    check_station_hours,
    check_station_periods,
    merge,
    station_day,
)
from app.ui.texts import CATALOGUE, t


def at(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def codes(kind: str | None, opens: str, closes: str) -> list[str]:
    return [p.code for p in check_station_hours(kind, at(opens), at(closes))]


def test_station_hours_regulier_is_0730_2100():
    assert codes("regulier", "07:30", "21:00") == []
    # real rows of the 2023 lists typed 'regulier': other hours are a bijzonder station's
    for opens, closes in [("09:00", "21:00"), ("07:30", "20:00"), ("13:00", "21:00"), ("06:30", "21:00")]:
        (problem,) = check_station_hours("regulier", at(opens), at(closes))
        assert problem.code == REGULIER_IS_0730_2100 and problem.severity is Severity.WARNING
        assert problem.field == ("opens_at" if opens != "07:30" else "closes_at")
        assert f"{opens}–{closes}" in problem.text_nl and "07:30 tot 21:00" in problem.text_nl
        assert "bijzonder" in problem.text_en
    # closed for a while during the day: not a regular station
    (problem,) = check_station_periods("regulier", [(at("07:30"), at("12:00")), (at("13:00"), at("21:00"))])
    assert problem.code == REGULIER_IS_0730_2100 and "07:30–12:00, 13:00–21:00" in problem.text_en
    # two rows that meet are one stretch
    assert check_station_periods("regulier", [(at("13:00"), at("21:00")), (at("07:30"), at("13:00"))]) == ()


def test_station_hours_bijzonder_needs_8_consecutive_hours():
    assert codes("bijzonder", "09:00", "17:00") == []  # exactly 8 hours
    assert codes("bijzonder", "00:00", "08:00") == []  # a railway station open from midnight
    assert codes("bijzonder", "05:30", "21:00") == []
    assert codes("bijzonder", "09:00", "16:59") == [BIJZONDER_NEEDS_8_CONSECUTIVE_HOURS]
    (problem,) = check_station_hours("bijzonder", at("09:00"), at("12:00"))
    assert problem.severity is Severity.WARNING and problem.field == "closes_at"
    assert "ten minste 8 uur aaneengesloten" in problem.text_nl and "09:00–12:00" in problem.text_nl
    # consecutive means without a break: 5 + 3.5 hours with a half-hour break is not 8 consecutive
    broken = [(at("07:00"), at("12:00")), (at("12:30"), at("16:00"))]
    assert [p.code for p in check_station_periods("bijzonder", broken)] == [
        BIJZONDER_NEEDS_8_CONSECUTIVE_HOURS
    ]
    assert check_station_periods("bijzonder", [(at("07:00"), at("12:00")), (at("12:00"), at("15:30"))]) == ()


def test_station_hours_close_no_later_than_2100():
    for kind in (*STATION_TYPES, None):
        assert CLOSE_NO_LATER_THAN_2100 not in codes(kind, "07:30", "21:00")
        assert codes(kind, "07:30", "21:01") == [CLOSE_NO_LATER_THAN_2100]
        (problem,) = check_station_hours(kind, at("07:30"), at("22:00"))
        assert problem.severity is Severity.ERROR and problem.field == "closes_at" and problem.row == 0
        assert "uiterlijk om 21:00" in problem.text_nl and "22:00" in problem.text_nl
    # a mobiel station: every row; the row is named
    rows = [(at("09:00"), at("11:00")), (at("18:00"), at("21:30"))]
    (problem,) = check_station_periods("mobiel", rows)
    assert (problem.code, problem.row) == (CLOSE_NO_LATER_THAN_2100, 1)


def test_station_hours_opens_before_closes():
    for kind in (*STATION_TYPES, None):
        # 07:30–07:30 and 00:00–00:00 are real rows of the 2023 lists
        for opens, closes in [("12:00", "09:00"), ("07:30", "07:30"), ("00:00", "00:00")]:
            (problem,) = check_station_hours(kind, at(opens), at(closes))  # no type warning on top
            assert problem.code == OPENS_BEFORE_CLOSES and problem.severity is Severity.ERROR
            assert problem.text_en == f"The closing time ({closes}) must be after the opening time ({opens})."


def test_station_hours_rows_do_not_overlap():
    # a bus is at one stop at a time; one stop may end when the next starts
    meet = [(at("09:00"), at("11:00")), (at("11:00"), at("13:00"))]
    assert check_station_periods("mobiel", meet) == ()
    rows = [(at("09:00"), at("11:00")), (at("13:00"), at("15:00")), (at("10:30"), at("12:00"))]
    (problem,) = check_station_periods("mobiel", rows)
    assert (problem.code, problem.severity, problem.field, problem.row) == (
        ROWS_DO_NOT_OVERLAP,
        Severity.ERROR,
        "opens_at",
        2,
    )
    assert "09:00–11:00, 10:30–12:00" in problem.text_nl
    # two stations that share a number by mistake: the same hours twice, of every kind
    for kind in (*STATION_TYPES, None):
        (problem,) = check_station_periods(kind, [(at("07:30"), at("21:00"))] * 2)
        assert problem.code == ROWS_DO_NOT_OVERLAP and "eigen nummer" in problem.text_nl


def test_a_mobiel_station_may_open_early_and_close_early():
    assert codes("mobiel", "06:00", "10:30") == []
    # a real mobiel row of the 2023 list: 00:00–02:00, then later stops
    rows = [(at("00:00"), at("02:00")), (at("10:00"), at("12:00")), (at("19:00"), at("21:00"))]
    assert check_station_periods("mobiel", rows) == ()
    assert station_day(rows) == (at("00:00"), at("21:00"))


def test_a_station_opens_at_its_earliest_row_and_closes_at_its_latest():
    # the rows of a real mobiel station (Hollands Kroon, TK2023) in file order
    rows = [
        (at("09:30"), at("10:30")),
        (at("15:00"), at("17:00")),
        (at("11:15"), at("12:30")),
        (at("13:00"), at("14:30")),
    ]
    assert station_day(rows) == (at("09:30"), at("17:00"))
    assert merge(rows)[0] == (at("09:30"), at("10:30")) and len(merge(rows)) == 4
    with pytest.raises(ValueError):
        station_day([])


def test_unknown_kind_is_a_programming_error_and_none_checks_what_every_kind_must():
    with pytest.raises(ValueError):
        check_station_hours("tijdelijk", at("07:30"), at("21:00"))
    assert codes(None, "09:00", "12:00") == []  # the type is not known: only the rules for all


def test_every_station_hours_rule_has_its_texts_in_the_catalogue_and_a_test():
    names = set(re.findall(r"^def (test_\w+)\(", Path(__file__).read_text(encoding="utf-8"), re.M))
    params = {"opens": "09:00", "closes": "22:00", "hours": "09:00–12:00"}
    for code, rule in HOURS_RULES.items():
        assert CATALOGUE[code] == (rule.text_nl, rule.text_en)
        assert "{" not in t(code, "nl", **params) and "{" not in t(code, "en", **params)
        assert f"test_{code.replace('.', '_')}" in names, f"{code}: no test named after it"
    assert list(HOURS_RULES) == [
        OPENS_BEFORE_CLOSES,
        CLOSE_NO_LATER_THAN_2100,
        ROWS_DO_NOT_OVERLAP,
        REGULIER_IS_0730_2100,
        BIJZONDER_NEEDS_8_CONSECUTIVE_HOURS,
    ]
