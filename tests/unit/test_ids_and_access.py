import datetime as dt

import pytest

from app.domain import access
from app.domain.errors import InvalidInput
from app.domain.ids import election_id, municipality_code


@pytest.mark.parametrize("raw", ["GM0518", "G0518", "0518", "518", "gm0518", " GM0518 ", 518])
def test_municipality_code_normalises_every_spelling(raw):
    assert municipality_code(raw) == "GM0518"


@pytest.mark.parametrize("raw", ["", "GM", "GM12345", "X0518", "0000", "GM05a8", "Haarlem"])
def test_municipality_code_refuses_what_is_not_a_code(raw):
    with pytest.raises(InvalidInput) as err:
        municipality_code(raw)
    assert err.value.field == "municipality_code"


def test_election_id_normalises_and_refuses():
    assert election_id(" gr2026 ") == "GR2026"
    assert election_id("TK2025") == "TK2025"
    with pytest.raises(InvalidInput):
        election_id("2026GR")


def test_generated_codes_are_well_formed_and_distinct():
    codes = {access.generate_access_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 19 and code.count("-") == 3
        assert set(code.replace("-", "")) <= set(access.CODE_ALPHABET)


def test_code_normalisation_ignores_case_spaces_and_dashes():
    assert access.normalise_access_code(" k7qm 3xtd-9pwa hr4c ") == "K7QM-3XTD-9PWA-HR4C"
    assert access.code_selector("k7qm3xtd9pwahr4c") == "K7QM"


def test_code_normalisation_names_the_problem():
    with pytest.raises(InvalidInput) as short:
        access.normalise_access_code("K7QM-3XTD")
    assert short.value.message_key == "auth.code_length" and short.value.params["got"] == 8
    with pytest.raises(InvalidInput) as bad:
        access.normalise_access_code("K7QM-3XTD-9PWA-HR40")
    assert bad.value.message_key == "auth.code_symbols" and "0" in bad.value.params["symbols"]


def test_code_window_and_revocation():
    start = dt.datetime(2026, 3, 18, 6, tzinfo=dt.UTC)
    end = start + dt.timedelta(days=2)
    assert access.code_is_in_window(start, start, end, None)
    assert not access.code_is_in_window(start - dt.timedelta(seconds=1), start, end, None)
    assert not access.code_is_in_window(end, start, end, None)
    assert not access.code_is_in_window(start, start, end, revoked_at=start)


def test_lockout_after_max_failures_and_forgotten_after_the_period():
    now = dt.datetime(2026, 3, 18, 8, tzinfo=dt.UTC)
    lock = dt.timedelta(minutes=15)
    state = None
    for i in range(4):
        state = access.after_failure(state, now + dt.timedelta(seconds=i), max_failures=5, lockout=lock)
        assert not access.is_locked(state, now + dt.timedelta(seconds=i))
    state = access.after_failure(state, now + dt.timedelta(seconds=5), max_failures=5, lockout=lock)
    assert access.is_locked(state, now + dt.timedelta(minutes=10))
    assert not access.is_locked(state, now + dt.timedelta(minutes=16))
    # after the lock ran out, counting starts again
    state = access.after_failure(state, now + dt.timedelta(minutes=16), max_failures=5, lockout=lock)
    assert state.failures == 1 and not access.is_locked(state, now + dt.timedelta(minutes=16))


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:0db8:0001:0002:ffff:0:0:9", "2001:db8:1:2::/64"),  # one /64, one counter
        ("::ffff:203.0.113.7", "203.0.113.7"),  # IPv4 over IPv6
        ("fe80::1%eth0", "fe80::/64"),
        (None, None),
        ("", None),
        ("not-an-address", None),  # unknown: counted per username
    ],
)
def test_staff_failures_are_counted_per_address_and_ipv6_per_network(address, counted_as):
    assert access.throttle_address(address) == counted_as


def test_election_access_window_takes_each_missing_end_from_the_default():
    tz = dt.timezone(dt.timedelta(hours=1))
    day = dt.date(2026, 3, 18)
    start, end = access.default_access_window(day, tz)
    assert (start, end) == (dt.datetime(2026, 3, 18, 6, tzinfo=tz), dt.datetime(2026, 3, 20, tzinfo=tz))
    assert access.election_access_window(None, None, day, tz) == (start, end)
    own_from = dt.datetime(2026, 3, 17, 12, tzinfo=tz)
    own_until = dt.datetime(2026, 3, 18, 23, tzinfo=tz)
    assert access.election_access_window(own_from, None, day, tz) == (own_from, end)
    assert access.election_access_window(None, own_until, day, tz) == (start, own_until)
    window = access.election_access_window(own_from, own_until, day, tz)
    assert access.in_access_window(own_from, window) and not access.in_access_window(own_until, window)
