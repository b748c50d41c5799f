"""Who is acting, what they may do, access codes for chairs, and the sign-in lockout policy. Pure Python."""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.errors import InvalidInput


class Role(StrEnum):
    ADMIN = "admin"  # sets up elections, stations, codes, accounts; global or per municipality
    OFFICE = "office"  # election office (verkiezingsorganisatie): live view, incidents, count review
    ANALYST = "analyst"  # analysis pages, read-only
    CHAIR = "chair"  # chairperson (voorzitter) of one polling station


STAFF_ROLES = (Role.ADMIN, Role.OFFICE, Role.ANALYST)


@dataclass(frozen=True)
class Actor:
    """The signed-in user as every service sees it. Services check it again on every call."""

    role: Role
    name: str
    user_id: int | None = None  # staff_user.id
    municipality_code: str | None = None  # None only for a global admin
    election_id: str | None = None  # chairs: the election of their code
    polling_station_id: int | None = None  # chairs: their station
    station_number: int | None = None
    # when this sign-in happened (set by every sign-in path); a session older than its station's or
    # account's ``sessions_valid_after`` is refused. None: an internal actor (command line, simulator).
    signed_in_at: dt.datetime | None = field(default=None, compare=False)

    def signed_in_before(self, moment: dt.datetime | None) -> bool:
        """Whether this sign-in predates ``moment`` (a revoked code, a deactivated account...)."""
        return moment is not None and self.signed_in_at is not None and self.signed_in_at < moment

    @property
    def kind(self) -> str:
        return "chair" if self.role is Role.CHAIR else "staff"

    @property
    def is_global_admin(self) -> bool:
        return self.role is Role.ADMIN and self.municipality_code is None

    @property
    def audit_id(self) -> str:
        if self.role is Role.CHAIR:
            return f"station:{self.polling_station_id}"
        return f"user:{self.user_id}"


SYSTEM = Actor(role=Role.ADMIN, name="system")  # command-line set-up and loaders


# --- access codes ---------------------------------------------------------------------------------------
# 30 symbols that cannot be mistaken for one another when read aloud or typed from paper:
# no 0/O, 1/I/L, U (avoids accidental words). 16 symbols give 30**16 ≈ 2**78 possibilities.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_GROUPS = 4
CODE_GROUP_LEN = 4
CODE_LENGTH = CODE_GROUPS * CODE_GROUP_LEN
SELECTOR_LEN = CODE_GROUP_LEN  # the first group finds the row; the whole code is verified against a hash


def generate_access_code(rng: secrets.SystemRandom | None = None) -> str:
    """A new code such as ``K7QM-3XTD-9PWA-HR4C`` (formatted in groups for reading from a letter)."""
    choice = (rng or secrets.SystemRandom()).choice
    raw = "".join(choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return format_access_code(raw)


def format_access_code(raw: str) -> str:
    return "-".join(raw[i : i + CODE_GROUP_LEN] for i in range(0, CODE_LENGTH, CODE_GROUP_LEN))


def normalise_access_code(typed: str) -> str:
    """What a chair typed → the canonical code: case, spaces and dashes do not matter.

    Raises InvalidInput (field ``code``) for a wrong length or a symbol codes never contain.
    """
    raw = "".join(ch for ch in typed.upper() if ch not in " -\t\n.")
    if len(raw) != CODE_LENGTH:
        raise InvalidInput(
            "wrong code length", field="code", key="auth.code_length", expected=CODE_LENGTH, got=len(raw)
        )
    bad = sorted({ch for ch in raw if ch not in CODE_ALPHABET})
    if bad:
        raise InvalidInput(
            "symbols never used in codes", field="code", key="auth.code_symbols", symbols=" ".join(bad)
        )
    return format_access_code(raw)


def code_selector(code: str) -> str:
    return normalise_access_code(code).replace("-", "")[:SELECTOR_LEN]


def code_is_in_window(
    now: dt.datetime, valid_from: dt.datetime, valid_until: dt.datetime, revoked_at: dt.datetime | None
) -> bool:
    return revoked_at is None and valid_from <= now < valid_until


def default_access_window(election_date: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """Codes work from 06:00 on election day to 23:59 the day after (counting and corrections run late)."""
    start = dt.datetime.combine(election_date, dt.time(6, 0), tzinfo=tz)
    end = dt.datetime.combine(election_date + dt.timedelta(days=2), dt.time(0, 0), tzinfo=tz)
    return start, end


def election_access_window(
    access_from: dt.datetime | None,
    access_until: dt.datetime | None,
    election_date: dt.date,
    tz: dt.tzinfo,
) -> tuple[dt.datetime, dt.datetime]:
    """When chairs may sign in and report: the election's own access window, each end that is not set
    taken from :func:`default_access_window` (an election without a window is not open for ever)."""
    default_from, default_until = default_access_window(election_date, tz)
    return access_from or default_from, access_until or default_until


def in_access_window(now: dt.datetime, window: tuple[dt.datetime, dt.datetime]) -> bool:
    return window[0] <= now < window[1]


# --- lockout --------------------------------------------------------------------------------------------
# Policy (docs/security.md): failed staff sign-ins lock a username per client address (per username only
# when the address is unknown), so a stranger elsewhere cannot lock the office out. Failed access codes
# are counted per selector too, but only to make floods visible: a code has ~78 bits, guessing it is
# infeasible, so a lock would protect nothing and only let anyone lock a station's chair out; the right
# code signs in even while its selector is "locked".
@dataclass(frozen=True)
class ThrottleState:
    failures: int
    first_failure_at: dt.datetime
    locked_until: dt.datetime | None


def throttle_address(address: str | None) -> str | None:
    """The part of a client address that staff sign-in failures are counted per (docs/security.md):
    an IPv4 address as it is, an IPv6 address as its /64 network (one subscriber typically holds a
    whole /64, so counting single IPv6 addresses would give an attacker endless fresh counters).
    None when the address is unknown or not an IP address: the failures then count per username only."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def is_locked(state: ThrottleState | None, now: dt.datetime) -> bool:
    return state is not None and state.locked_until is not None and now < state.locked_until


def after_failure(
    state: ThrottleState | None, now: dt.datetime, *, max_failures: int, lockout: dt.timedelta
) -> ThrottleState:
    """Count one more failure. Failures older than the lockout period are forgotten; the
    ``max_failures``-th failure within it locks the key for ``lockout``."""
    if (
        state is None
        or now - state.first_failure_at > lockout
        or (state.locked_until is not None and now >= state.locked_until)
    ):
        state = ThrottleState(failures=0, first_failure_at=now, locked_until=None)
    failures = state.failures + 1
    locked_until = now + lockout if failures >= max_failures else None
    return ThrottleState(
        failures=failures, first_failure_at=state.first_failure_at, locked_until=locked_until
    )
