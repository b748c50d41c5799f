"""The chair's turnout form preselects the moment to report (app/ui/chair.default_turnout_moment)."""

import datetime as dt
from types import SimpleNamespace

from app.ui.chair import default_turnout_moment
from app.ui.texts import t

MOMENTS = ["10:00", "13:45", "17:45", "21:00"]


def _info(*reported: str):
    return SimpleNamespace(turnout_moments=MOMENTS, turnout=[SimpleNamespace(moment=m) for m in reported])


def _at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, 18, hour, minute)


def test_the_latest_moment_that_has_come_after_the_last_one_reported():
    assert default_turnout_moment(_info(), _at(9)) is None
    assert default_turnout_moment(_info(), _at(14)) == "13:45"
    assert default_turnout_moment(_info("10:00"), _at(18)) == "17:45"


def test_a_skipped_earlier_moment_is_not_preselected_after_a_later_one_was_reported():
    """13:45 reported, 10:00 never: the form offered 10:00, and the next number looked like a fall."""
    assert default_turnout_moment(_info("13:45"), _at(14)) == "13:45"  # a correction of the last one
    assert default_turnout_moment(_info("13:45"), _at(18)) == "17:45"


def test_the_turnout_split_text_at_a_municipal_election_names_no_voter_cards():
    assert "kiezerspassen" not in t("chair.error.turnout_split_gr", "nl", parts=9, total=10)
