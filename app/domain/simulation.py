"""The plan of a simulated election day, built from a real past election's per-station results.

Pure and deterministic: the same results, settings and seed always give the same list of events. All
randomness comes from ``random.Random`` seeded from the seed (one generator for the day's choices, one
per station for its own timing), and every number in a payload is an ``int``.

The day, per station:

- **opening** around 07:30 (a few stations late), with the opening checklist ticked;
- **members** present (a few stations start short of 3 and report again when a member arrives);
- **ballot stock** at opening and twice during the day, running down with the votes cast; a few
  stations run low (below the election's threshold), raise an incident and are resupplied;
- **turnout** at each configured moment, following the intraday curve, cumulative per station and
  never decreasing, ending exactly at the real A/B/C (admitted voters) at closing;
- a few **signals** (a busy station) and **incidents**;
- **closing** at 21:00;
- **counts** from about 21:45 through the evening, small stations first, with the real per-list (and,
  under DSO, per-candidate) votes; a few are first submitted with an error that the office returns and
  the chair corrects; warnings (W.xxx) are explained; the office accepts every count.

Times are seconds after midnight on election day (``Event.at``); ``clock(at)`` gives ``HH:MM:SS``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from itertools import pairwise
from typing import Any

from app.domain.counting import count_form_from_mapping
from app.domain.validation import validate_count

# Event kinds, in the order a station does them when two fall in the same second.
OPENING = "opening"
MEMBERS = "members"
STOCK = "stock"
TURNOUT = "turnout"
SIGNAL = "signal"
INCIDENT = "incident"
CLOSING = "closing"
COUNT = "count"
COUNT_RETURNED = "count_returned"
COUNT_CORRECTED = "count_corrected"
COUNT_ACCEPTED = "count_accepted"
KINDS = (
    OPENING,
    MEMBERS,
    STOCK,
    TURNOUT,
    SIGNAL,
    INCIDENT,
    CLOSING,
    COUNT,
    COUNT_RETURNED,
    COUNT_CORRECTED,
    COUNT_ACCEPTED,
)
OFFICE_KINDS = frozenset({COUNT_RETURNED, COUNT_ACCEPTED})
"""Done by the election office; every other kind is done by the station's chair."""

HOUR = 3600
MINUTE = 60

# The shape of an election day: share of the final turnout reached at a moment (minute of the day).
# Averaged from the national press points of TK2012, TK2017 and TK2023 (data/intraday), each divided
# by that election's final turnout. ``intraday_curve`` in the simulator service computes it from the file.
DEFAULT_CURVE: tuple[tuple[int, Fraction], ...] = (
    (10 * 60 + 30, Fraction(179, 1000)),
    (13 * 60 + 45, Fraction(375, 1000)),
    (15 * 60 + 45, Fraction(512, 1000)),
    (17 * 60 + 45, Fraction(653, 1000)),
    (19 * 60 + 45, Fraction(870, 1000)),
)

INCIDENTS: tuple[tuple[str, str], ...] = (
    ("equipment", "Rood potlood werkt niet meer in stemhokje 2; vervangen door reserve."),
    ("voter", "Kiezer zonder geldig identiteitsbewijs weggestuurd; komt later terug."),
    ("accessibility", "Hellingbaan bij de ingang ontbreekt; kiezer in rolstoel geholpen via zij-ingang."),
    ("equipment", "Stemhokje wiebelt; met tape vastgezet."),
    ("voter", "Kiezer met stempas van een andere gemeente; doorverwezen."),
    ("other", "Lange rij bij de ingang rond etenstijd."),
    ("other", "Geluidsoverlast van activiteit in het gebouw."),
    ("voter", "Volmachtgever en gemachtigde beiden aanwezig; kiezer stemt zelf."),
)
LOW_STOCK_INCIDENT = ("ballots", "Stembiljetten raken op; extra stembiljetten aangevraagd.")
SIGNALS = ("busy", "quiet")

WARNING_EXPLANATIONS = {
    "W.201": "Veel blanco stemmen, nageteld: klopt.",
    "W.202": "Veel ongeldige stemmen (bijvoorbeeld twee vakjes rood gemaakt), nageteld: klopt.",
    "W.203": "Verschil tussen toegelaten kiezers en getelde stembiljetten nageteld; het blijft.",
    "W.204": "Er is op dit stembureau niet gestemd.",
}


def clock(at: int) -> str:
    """``27000`` → ``"07:30:00"`` (beyond 24:00 the hours keep counting)."""
    return f"{at // HOUR:02d}:{at % HOUR // MINUTE:02d}:{at % MINUTE:02d}"


def parse_clock(text: str) -> int:
    """``"07:30"`` or ``"07:30:15"`` → seconds after midnight."""
    parts = [int(p) for p in text.strip().split(":")]
    if not 2 <= len(parts) <= 3 or any(p < 0 for p in parts) or parts[1] > 59:
        raise ValueError(f"not a time of day: {text!r}")
    return parts[0] * HOUR + parts[1] * MINUTE + (parts[2] if len(parts) == 3 else 0)


@dataclass(frozen=True)
class StationResult:
    """The official count of one station at a past election: what the simulated chair will report.

    ``candidate_votes`` holds, per list, the votes of candidates 1..n (empty when the source has list
    totals only). ``difference_explained`` answers "is the difference between D and H completely
    explained?" (``None`` when D equals H).
    """

    number: int
    name: str
    poll_card_count: int
    proxy_certificate_count: int
    voter_card_count: int | None
    total_admitted_voters_count: int
    list_votes: tuple[tuple[int, int], ...]
    blank_votes_count: int
    invalid_votes_count: int
    total_votes_cast_count: int
    candidate_votes: tuple[tuple[int, tuple[int, ...]], ...] = ()
    difference_explained: bool | None = None

    @property
    def votes_candidates_count(self) -> int:
        return sum(votes for _, votes in self.list_votes)

    def count_form(self, counting_method: str) -> dict[str, Any]:
        """The proces-verbaal as plain data (``app.domain.counting.count_form_from_mapping``)."""
        d, h = self.total_admitted_voters_count, self.total_votes_cast_count
        candidates = dict(self.candidate_votes)
        groups: list[dict[str, Any]] = []
        for number, total in self.list_votes:
            group: dict[str, Any] = {"number": number, "total": total}
            if counting_method == "DSO":
                votes = list(candidates.get(number, ()))
                group["candidate_votes"] = votes
                group["candidates_total"] = sum(votes)
            groups.append(group)
        return {
            "poll_card_count": self.poll_card_count,
            "proxy_certificate_count": self.proxy_certificate_count,
            "voter_card_count": self.voter_card_count,
            "total_admitted_voters_count": d,
            "political_group_votes": groups,
            "votes_candidates_count": self.votes_candidates_count,
            "blank_votes_count": self.blank_votes_count,
            "invalid_votes_count": self.invalid_votes_count,
            "total_votes_cast_count": h,
            "admitted_voters_equal_votes_cast": d == h,
            "votes_cast_greater_than_admitted_voters": h > d,
            "votes_cast_smaller_than_admitted_voters": h < d,
            "more_ballots_count": max(0, h - d),
            "fewer_ballots_count": max(0, d - h),
            "difference_completely_accounted_for_yes": d != h and bool(self.difference_explained),
            "difference_completely_accounted_for_no": d != h and not self.difference_explained,
        }


@dataclass(frozen=True)
class Event:
    """One thing that happens: at ``at`` (seconds after midnight), station ``station`` (its number),
    ``kind`` (one of :data:`KINDS`), with ``payload`` (plain data: ints, strings, booleans, lists, dicts).
    ``key`` is unique per station and stable for a seed (``turnout:10:00``, ``count:1``): the simulator
    derives the event's ``client_submission_id`` from it."""

    at: int
    station: int
    kind: str
    key: str
    payload: Mapping[str, Any] = field(default_factory=dict)

    @property
    def by_office(self) -> bool:
        return self.kind in OFFICE_KINDS

    def sort_key(self) -> tuple[int, int, int, str]:
        return (self.at, self.station, KINDS.index(self.kind), self.key)


@dataclass(frozen=True)
class DayConfig:
    seed: int = 0
    turnout_moments: tuple[str, ...] = ("10:00", "13:45", "17:45", "21:00")
    counting_method: str = "CSO"  # or DSO: the count includes the votes per candidate
    election_kind: str = "GR"
    low_stock_threshold: int = 50
    checklist_keys: tuple[str, ...] = ()
    opens_at: int = 7 * HOUR + 30 * MINUTE
    closes_at: int = 21 * HOUR
    curve: tuple[tuple[int, Fraction], ...] = DEFAULT_CURVE
    counts_until: int = 22 * HOUR + 55 * MINUTE
    """Every count is accepted by then (the default end of a replay is 23:00)."""


# --- the turnout curve -----------------------------------------------------------------------------------


def curve_share(curve: Sequence[tuple[int, Fraction]], minute: Fraction, opens: int, closes: int) -> Fraction:
    """Share of the final turnout reached at ``minute`` of the day: 0 at opening, 1 at closing, linear
    between the curve's points; never decreasing."""
    points = [(Fraction(opens), Fraction(0))]
    points += [(Fraction(m), s) for m, s in sorted(curve) if opens < m < closes]
    points.append((Fraction(closes), Fraction(1)))
    if minute <= points[0][0]:
        return Fraction(0)
    if minute >= points[-1][0]:
        return Fraction(1)
    for (m0, s0), (m1, s1) in pairwise(points):
        if m0 <= minute <= m1:
            share = s0 + (s1 - s0) * (minute - m0) / (m1 - m0)
            return min(Fraction(1), max(Fraction(0), share))
    return Fraction(1)  # pragma: no cover - the points cover [opens, closes]


def curve_from_points(points: Iterable[tuple[str, str, Fraction]]) -> tuple[tuple[int, Fraction], ...]:
    """Average normalised curve from ``(election, "HH:MM", share of that election's final)`` points.

    Only moments reported for at least two elections are kept (single reports are noise); the result
    is made non-decreasing."""
    by_minute: dict[int, list[Fraction]] = {}
    for _election, moment, share in points:
        by_minute.setdefault(parse_clock(moment) // MINUTE, []).append(share)
    curve: list[tuple[int, Fraction]] = []
    previous = Fraction(0)
    for minute in sorted(by_minute):
        shares = by_minute[minute]
        if len(shares) < 2:
            continue
        share = max(previous, min(Fraction(1), sum(shares, Fraction(0)) / len(shares)))
        curve.append((minute, share))
        previous = share
    return tuple(curve)


# --- building the day ------------------------------------------------------------------------------------


def replicate(results: Sequence[StationResult], n: int) -> list[StationResult]:
    """``n`` stations: the real ones (in number order, keeping their numbers), then synthetic copies of
    them cycled, numbered on after the highest real number, named ``<name> (2)``, ``(3)``...: a
    synthetic day of any size whose every station carries a real station's count. With ``n`` at most
    ``len(results)``, the first ``n`` real stations."""
    if not results:
        raise ValueError("no station results to replicate")
    ordered = sorted(results, key=lambda r: r.number)
    highest = ordered[-1].number
    out = list(ordered[:n])
    for k in range(len(ordered), n):
        source = ordered[k % len(ordered)]
        out.append(
            replace(
                source, number=highest + k - len(ordered) + 1, name=f"{source.name} ({k // len(ordered) + 1})"
            )
        )
    return out


def _few(rng: random.Random, numbers: Sequence[int], per: int, minimum: int = 1) -> set[int]:
    """About one in ``per`` of ``numbers`` (at least ``minimum`` when there are enough)."""
    k = max(min(minimum, len(numbers)), round(len(numbers) / per))
    return set(rng.sample(list(numbers), k))


def _cumulative(result: StationResult, share: Fraction) -> dict[str, Any]:
    a = result.poll_card_count * share.numerator // share.denominator
    b = result.proxy_certificate_count * share.numerator // share.denominator
    c = None
    if result.voter_card_count is not None:
        c = result.voter_card_count * share.numerator // share.denominator
    return {
        "poll_card_count": a,
        "proxy_certificate_count": b,
        "voter_card_count": c,
        "admitted_voters": a + b + (c or 0),
    }


def _explanations(
    form: Mapping[str, Any], config: DayConfig, lists: Mapping[int, int] | None
) -> dict[str, str]:
    result = validate_count(
        count_form_from_mapping(form, election_kind=config.election_kind),
        counting_method=config.counting_method,
        election_kind=config.election_kind,
        lists=lists,
    )
    if result.errors:
        codes = ", ".join(i.code for i in result.errors)
        raise ValueError(f"the planned count does not pass the consistency checks ({codes})")
    return {w.code: WARNING_EXPLANATIONS.get(w.code, "Nageteld: klopt.") for w in result.warnings}


def _erroneous(form: dict[str, Any], rng: random.Random, counting_method: str) -> tuple[dict[str, Any], str]:
    """A first submission with a typing error that passes the checks but that the office spots: a
    mistyped number of votes (the totals follow it, so H no longer matches D), or, when that is not
    possible, two lists' (or candidates') votes swapped. Returns the form and the office's reason."""
    bad = {**form, "political_group_votes": [dict(g) for g in form["political_group_votes"]]}
    groups = bad["political_group_votes"]
    typo = rng.choice((10, 20, 30, 40, 50, 100))
    target = max(groups, key=lambda g: g["total"]) if groups else None
    if target is not None:
        if counting_method == "DSO":
            votes = list(target["candidate_votes"])
            if not votes:
                return bad, ""
            i = max(range(len(votes)), key=lambda j: votes[j])
            votes[i] += typo
            target["candidate_votes"] = votes
            target["candidates_total"] += typo
            where = f"lijst {target['number']} kandidaat {i + 1}"
        else:
            where = f"lijst {target['number']}"
        target["total"] += typo
        bad["votes_candidates_count"] += typo
        bad["total_votes_cast_count"] += typo
        d, h = bad["total_admitted_voters_count"], bad["total_votes_cast_count"]
        bad.update(
            admitted_voters_equal_votes_cast=d == h,
            votes_cast_greater_than_admitted_voters=h > d,
            votes_cast_smaller_than_admitted_voters=h < d,
            more_ballots_count=max(0, h - d),
            fewer_ballots_count=max(0, d - h),
            difference_completely_accounted_for_yes=False,
            difference_completely_accounted_for_no=d != h,
        )
        return bad, f"Verschil van {abs(d - h)} tussen D en H: controleer {where} en tel opnieuw."
    return bad, ""  # pragma: no cover - a count always has lists


def plan_day(
    results: Sequence[StationResult],
    config: DayConfig = DayConfig(),
    *,
    lists: Mapping[int, int] | None = None,
) -> list[Event]:
    """The events of a simulated day for the stations in ``results``, in time order.

    ``lists`` (list number → number of candidates), when given, is checked the way the count service
    checks it. Raises ``ValueError`` when a station's official count does not pass the Kiesraad's
    consistency checks (the simulator never invents a count).
    """
    rng = random.Random(config.seed)
    stations = sorted(results, key=lambda r: r.number)
    numbers = [r.number for r in stations]
    if len(set(numbers)) != len(numbers):
        raise ValueError("station numbers must be unique")
    late = _few(rng, numbers, 12)
    short = _few(rng, numbers, 10)
    low_stock = _few(rng, numbers, 8)
    busy = _few(rng, numbers, 6)
    with_incident = _few(rng, numbers, 5, minimum=2)
    slow_report = _few(rng, numbers, 10)
    erroneous = _few(rng, numbers, 7, minimum=2)
    opens, closes = config.opens_at, config.closes_at
    open_min, close_min = Fraction(opens, MINUTE), Fraction(closes, MINUTE)
    moments = sorted({parse_clock(m) for m in config.turnout_moments})
    biggest = max((r.total_votes_cast_count for r in stations), default=1) or 1
    events: list[Event] = []

    # Counting starts at closing; the last count is submitted early enough for the office to return and
    # the chair to correct it before ``counts_until``.
    first_count = closes + 40 * MINUTE
    last_count = max(first_count + 10 * MINUTE, config.counts_until - 40 * MINUTE)

    for result in stations:
        srng = random.Random(f"{config.seed}:{result.number}")
        n = result.number
        shift = srng.randint(-30, 30)  # this station's day runs a little ahead of or behind the curve

        def share(at: int, shift: int = shift) -> Fraction:
            if at >= closes:
                return Fraction(1)
            return curve_share(config.curve, Fraction(at, MINUTE) + shift, int(open_min), int(close_min))

        def add(at: int, kind: str, key: str, payload: Mapping[str, Any] | None = None, n: int = n) -> None:
            events.append(Event(at, n, kind, key, dict(payload or {})))

        # Opening.
        opened = opens + (srng.randint(3, 25) * MINUTE if n in late else -srng.randint(0, 12) * MINUTE)
        opened += srng.randint(0, 59)
        add(opened, OPENING, "opening", {"checklist": list(config.checklist_keys)})
        members = 2 if n in short else srng.choice((3, 3, 4, 4, 5))
        add(opened + srng.randint(30, 240), MEMBERS, "members:1", {"present": members})
        if n in short:
            add(opened + srng.randint(25, 80) * MINUTE, MEMBERS, "members:2", {"present": 3})

        # Ballot stock: enough for everyone, in packs of 50; a few stations get too few, report the low
        # stock, raise an incident and are resupplied.
        h_final = max(result.total_admitted_voters_count, result.total_votes_cast_count)

        def used(at: int, h_final: int = h_final, share: Callable[[int], Fraction] = share) -> int:
            s = share(at)
            return h_final * s.numerator // s.denominator

        threshold = config.low_stock_threshold
        t = 15 * HOUR
        if n in low_stock:
            t = 15 * HOUR + srng.randint(0, 210) * MINUTE
            stock = used(t) + srng.randint(max(0, threshold // 4), max(0, threshold - 5))
        else:
            stock = -(-(h_final * srng.randint(125, 160) // 100) // 50) * 50 + 100
        add(opened + srng.randint(60, 300), STOCK, "stock:opening", {"ballots_remaining": stock})
        if n in low_stock:
            add(t + 30, STOCK, "stock:low", {"ballots_remaining": stock - used(t + 30)})
            add(
                t + 90,
                INCIDENT,
                "incident:stock",
                {"category": LOW_STOCK_INCIDENT[0], "description": LOW_STOCK_INCIDENT[1]},
            )
            t2 = t + srng.randint(30, 50) * MINUTE
            delivered = max(200, -(-(h_final - stock) // 50) * 50 + 100)
            add(t2, STOCK, "stock:resupplied", {"ballots_remaining": stock + delivered - used(t2)})
        else:
            stock_times = (12 * HOUR + srng.randint(0, 90) * MINUTE, 17 * HOUR + srng.randint(0, 90) * MINUTE)
            for i, t in enumerate(stock_times, start=1):
                add(t, STOCK, f"stock:{i}", {"ballots_remaining": stock - used(t)})

        # Turnout at the configured moments (cumulative, the value at the moment, reported just after).
        for m in moments:
            value = _cumulative(result, share(m))
            delay = (
                srng.randint(35, 55) * MINUTE
                if (n in slow_report and m < closes)
                else srng.randint(1, 12) * MINUTE
            )
            at = m + (srng.randint(30, 150) if m >= closes else delay + srng.randint(0, 59))
            add(at, TURNOUT, f"turnout:{clock(m)[:5]}", {"moment": clock(m)[:5], **value})

        if n in busy:
            t = 17 * HOUR + srng.randint(30, 80) * MINUTE
            add(t, SIGNAL, "signal:busy", {"signal": SIGNALS[0]})
            add(t + srng.randint(30, 60) * MINUTE, SIGNAL, "signal:quiet", {"signal": SIGNALS[1]})
        if n in with_incident:
            category, description = INCIDENTS[srng.randrange(len(INCIDENTS))]
            t = srng.randint(opens + 20 * MINUTE, closes - 30 * MINUTE)
            add(t, INCIDENT, "incident:1", {"category": category, "description": description})

        # Closing, after the 21:00 turnout report.
        add(closes + srng.randint(180, 480), CLOSING, "closing", {})

        # The count: small stations first.
        form = result.count_form(config.counting_method)
        explanations = _explanations(form, config, lists)
        span = last_count - first_count - 10 * MINUTE
        counted = first_count + span * result.total_votes_cast_count // biggest + srng.randint(0, 10 * MINUTE)
        counted = min(counted, last_count)
        if n in erroneous:
            bad, reason = _erroneous(form, srng, config.counting_method)
            bad_expl = _explanations(bad, config, lists)
            add(counted, COUNT, "count:1", {"form": bad, "explanations": bad_expl})
            returned = counted + srng.randint(4, 9) * MINUTE
            add(returned, COUNT_RETURNED, "count:1:returned", {"version": 1, "reason": reason})
            corrected = returned + srng.randint(6, 14) * MINUTE
            add(corrected, COUNT_CORRECTED, "count:2", {"form": form, "explanations": explanations})
            add(corrected + srng.randint(3, 8) * MINUTE, COUNT_ACCEPTED, "count:2:accepted", {"version": 2})
        else:
            add(counted, COUNT, "count:1", {"form": form, "explanations": explanations})
            add(counted + srng.randint(3, 10) * MINUTE, COUNT_ACCEPTED, "count:1:accepted", {"version": 1})

    events.sort(key=Event.sort_key)
    return events


def final_turnout(events: Iterable[Event]) -> dict[int, int]:
    """Per station, the admitted voters of its last turnout report."""
    out: dict[int, int] = {}
    for e in events:
        if e.kind == TURNOUT:
            out[e.station] = e.payload["admitted_voters"]
    return out
