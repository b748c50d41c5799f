"""The preliminary count's lifecycle (issue 3): the chair checks and submits a version; the office
accepts it or returns it with a reason; the chair corrects and submits a new version. The state machine
lives here only:

    (none) --submit--> submitted --accept--> accepted
                       submitted --return--> returned --submit (version n+1)--> submitted
                       submitted --submit (version n+1, the chair's own correction)--> submitted
                       accepted --reopen--> returned --submit (version n+1)--> submitted

Every version is kept; only the review columns of a version change (status, reason, reviewer, time).
Reopening an accepted count (the paper proces-verbaal turns out to differ from what was reported)
returns the latest version to the chair with a reason: the figures stay as reported, the correction is a
new version, and the acceptance it undoes is kept in the audit row (``count_reopened``, before/after).
Rules: ``app.domain.validation.validate_count`` (F.xxx block; each W.xxx needs an explanation).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.domain import reports
from app.domain.access import Actor, Role
from app.domain.counting import CountForm, count_form_from_mapping, political_group_field
from app.domain.errors import Conflict, InvalidInput, NotFound
from app.domain.validation import RULES, ValidationResult, validate_count
from app.services import audit, authz, clock
from app.services.chair import NEW_ID, chair_context, locked_context, write_report
from app.storage import station_state
from app.storage.chair_models import CountDraft, CountVersion, StationState
from app.storage.fastpath import run
from app.storage.models import AuditLog, Candidate, Election, PollingStation

FORM_FIELDS = (
    "poll_card_count",
    "proxy_certificate_count",
    "voter_card_count",
    "total_admitted_voters_count",
    "votes_candidates_count",
    "blank_votes_count",
    "invalid_votes_count",
    "total_votes_cast_count",
    "admitted_voters_equal_votes_cast",
    "votes_cast_greater_than_admitted_voters",
    "votes_cast_smaller_than_admitted_voters",
    "more_ballots_count",
    "fewer_ballots_count",
    "difference_completely_accounted_for_yes",
    "difference_completely_accounted_for_no",
)


@dataclass(frozen=True)
class ListInfo:
    number: int
    name: str
    candidates: tuple[str, ...]  # names in list order (DSO); empty under CSO


@dataclass(frozen=True)
class CountVersionView:
    id: int
    version: int
    status: str
    form: dict[str, Any]  # the boxes as submitted, in the shape count_form_from_mapping reads
    warnings: tuple[str, ...]
    explanations: dict[str, str]
    returned_reason: str | None
    reported_at: dt.datetime
    reviewed_by_name: str | None
    reviewed_at: dt.datetime | None


@dataclass(frozen=True)
class CountDraftView:
    """The count form as the chair has typed it so far (any box may still be empty)."""

    version: int  # the version it becomes when submitted
    form: dict[str, Any]  # the shape of CountVersionView.form; missing values are None
    explanations: dict[str, str]  # warning code -> explanation as typed so far
    updated_at: dt.datetime


@dataclass(frozen=True)
class CountSetup:
    """What the count page needs: the election's kind and counting method, its lists, the versions."""

    polling_station_id: int
    election_kind: str
    counting_method: str
    lists: tuple[ListInfo, ...]
    closed: bool
    versions: tuple[CountVersionView, ...]  # newest first
    draft: CountDraftView | None = None  # what was typed for the next version and not yet submitted

    @property
    def has_voter_cards(self) -> bool:
        return self.election_kind != "GR"

    @property
    def candidates_missing(self) -> bool:
        """Decentral counting (DSO), but the election's candidate lists are not loaded yet: the count
        cannot be checked or submitted until they are (see :func:`check_count`)."""
        return self.counting_method == "DSO" and not any(li.candidates for li in self.lists)

    @property
    def latest(self) -> CountVersionView | None:
        return self.versions[0] if self.versions else None


@dataclass(frozen=True)
class CountResult:
    id: int
    version: int
    status: str
    duplicate: bool = False


def _view(row: CountVersion) -> CountVersionView:
    form = {name: getattr(row, name) for name in FORM_FIELDS}
    form["political_group_votes"] = row.political_group_votes
    return CountVersionView(
        row.id,
        row.version,
        row.status,
        form,
        tuple(row.warnings or ()),
        dict(row.explanations or {}),
        row.returned_reason,
        row.reported_at,
        row.reviewed_by_name,
        row.reviewed_at,
    )


_METHOD_AND_GROUPS_SQL = (
    "SELECT m.method, g.id, g.number, g.name FROM (SELECT (SELECT counting_method FROM"
    " election_municipality WHERE election_id = %(e)s AND municipality_code = %(m)s) AS method) m"
    " LEFT JOIN political_group g ON g.election_id = %(e)s AND g.municipality_code = %(m)s"
    " ORDER BY g.number"
)
_LATEST_VERSION_SQL = (
    "SELECT version, status FROM count_version WHERE polling_station_id = %(sid)s"
    " ORDER BY version DESC LIMIT 1"
)
_LIST_VOTES_CTE = (
    " l AS (INSERT INTO count_list_votes (count_version_id, political_group_number, election_id,"
    " municipality_code, polling_station_id, votes) SELECT r.id, g.n, %(r_election_id)s,"
    " %(r_municipality_code)s, %(sid)s, g.v FROM r, unnest(%(l_numbers)s::integer[],"
    " %(l_votes)s::integer[]) AS g(n, v)),"
)

# the chair's draft of this count is done with: gone in the transaction that stores the version
_DRAFT_DELETE_CTE = " d AS (DELETE FROM count_draft WHERE polling_station_id = %(sid)s),"


_COUNT_READS = (
    # the latest version, read with the station's lock (see app.services.chair.locked_context)
    "SELECT json_build_array(version, status) FROM count_version WHERE polling_station_id = %(sid)s"
    " ORDER BY version DESC LIMIT 1",
    # the counting method and the lists (not serialised by the lock: set up before election day)
    "SELECT counting_method FROM election_municipality"
    " WHERE election_id = p.election_id AND municipality_code = p.municipality_code",
    "SELECT json_agg(json_build_array(g.id, g.number, g.name) ORDER BY g.number) FROM political_group g"
    " WHERE g.election_id = p.election_id AND g.municipality_code = p.municipality_code",
)

_METHOD_AND_GROUPS_READ = (
    f"SELECT ({_COUNT_READS[1]}), ({_COUNT_READS[2]}) FROM polling_station p WHERE p.id = %(sid)s"
)


def _method_and_lists_of(
    db: Session, election_id: str, municipality_code: str, read: tuple[Any, Any] | None = None
) -> tuple[str, list[ListInfo]]:
    """The counting method and the lists (with candidates under DSO): one query (two under DSO), none
    when ``read`` has the method and the lists (id, number, name) already."""
    if read is None:
        rows = run(db, _METHOD_AND_GROUPS_SQL, {"e": election_id, "m": municipality_code})
        read = (rows[0][0] if rows else None, [r[1:] for r in rows if r[1] is not None])
    method = read[0] or "CSO"
    groups = [tuple(g) for g in read[1] or ()]
    names: dict[int, list[str]] = {}
    if method == "DSO" and groups:
        for c in db.scalars(
            select(Candidate)
            .where(Candidate.political_group_id.in_([g[0] for g in groups]))
            .order_by(Candidate.political_group_id, Candidate.number)
        ):
            label = " ".join(p for p in (c.initials, c.prefix, c.last_name) if p)
            names.setdefault(c.political_group_id, []).append(label)
    return method, [ListInfo(number, name, tuple(names.get(gid, ()))) for gid, number, name in groups]


def _method_and_lists(db: Session, station: PollingStation) -> tuple[str, list[ListInfo]]:
    return _method_and_lists_of(db, station.election_id, station.municipality_code)


def _lists_for_rules(lists: list[ListInfo]) -> dict[int, int] | None:
    if not lists:
        return None
    return {li.number: len(li.candidates) for li in lists}


def _refuse_without_candidates(method: str, lists: list[ListInfo]) -> None:
    """Under decentral counting (DSO) the station counts per candidate (N 10-1), and F.401-F.403 check
    every list total against its candidates. Without the election's candidate lists those checks cannot
    run: the count is refused rather than checked as a central count (CSO) with weaker checks."""
    if method == "DSO" and not any(li.candidates for li in lists):
        raise InvalidInput(
            "decentral counting (DSO), but the election's candidate lists are not loaded",
            field="political_group_votes",
            key="count.no_candidates",
        )


def _versions(db: Session, station_id: int) -> list[CountVersion]:
    return list(
        db.scalars(
            select(CountVersion)
            .where(CountVersion.polling_station_id == station_id)
            .order_by(CountVersion.version.desc())
        )
    )


def count_setup(db: Session, actor: Actor, polling_station_id: int) -> CountSetup:
    """The chair's count page: counting method, lists (and candidates under DSO), earlier versions."""
    ctx = chair_context(db, actor, polling_station_id)
    method, lists = _method_and_lists(db, ctx.station)
    state = db.get(StationState, ctx.station.id)
    versions = tuple(_view(v) for v in _versions(db, ctx.station.id))
    draft = db.get(CountDraft, ctx.station.id)
    latest = versions[0] if versions else None
    following = latest.version + 1 if latest is not None else 1
    kept = None
    if draft is not None and draft.version == following and (latest is None or latest.status != "accepted"):
        kept = CountDraftView(draft.version, dict(draft.form), dict(draft.explanations), draft.updated_at)
    return CountSetup(
        ctx.station.id,
        ctx.election.kind,
        method,
        tuple(lists),
        bool(state and state.closed_at),
        versions,
        kept,
    )


# --- the draft: what the chair has typed so far ----------------------------------------------------------

MAX_DRAFT_LISTS = 200
MAX_DRAFT_CANDIDATES = 500
_TICKS = tuple(name for name in FORM_FIELDS if not name.endswith("_count"))


def _draft_number(value: object, field: str) -> int | None:
    return None if value is None else reports.check_count_value(value, field)


def _draft_invalid(field: str) -> InvalidInput:
    return InvalidInput(
        f"draft: {field} does not fit the count form", field=field, key="count.draft_invalid", box=field
    )


def clean_draft(form: object) -> dict[str, Any]:
    """A partly filled count form, checked for shape only: every box a whole number of 0 or more or
    empty, the ticks true or false, the lists numbered. The Kiesraad's rules are not applied (that is
    the check and the submission); anything else is refused (InvalidInput naming the field)."""
    if not isinstance(form, Mapping):
        raise _draft_invalid("form")
    clean: dict[str, Any] = {}
    for name in FORM_FIELDS:
        value = form.get(name)
        if name in _TICKS:
            if value is not None and not isinstance(value, bool):
                raise _draft_invalid(name)
            clean[name] = bool(value)
        else:
            clean[name] = _draft_number(value, name)
    groups = form.get("political_group_votes") or []
    if not isinstance(groups, list | tuple) or len(groups) > MAX_DRAFT_LISTS:
        raise _draft_invalid("political_group_votes")
    clean_groups = []
    for group in groups:
        number = group.get("number") if isinstance(group, Mapping) else None
        if isinstance(number, bool) or not isinstance(number, int) or not 0 < number < 10_000:
            raise _draft_invalid("political_group_votes")
        assert isinstance(group, Mapping)
        item: dict[str, Any] = {
            "number": number,
            "total": _draft_number(group.get("total"), political_group_field(number)),
        }
        if "candidate_votes" in group or "candidates_total" in group:
            votes = group.get("candidate_votes") or []
            if not isinstance(votes, list | tuple) or len(votes) > MAX_DRAFT_CANDIDATES:
                raise _draft_invalid(political_group_field(number, "candidate_votes"))
            item["candidate_votes"] = [
                _draft_number(value, political_group_field(number, f"candidate_votes.{i}"))
                for i, value in enumerate(votes, start=1)
            ]
            item["candidates_total"] = _draft_number(
                group.get("candidates_total"), political_group_field(number, "candidates_total")
            )
        clean_groups.append(item)
    clean["political_group_votes"] = clean_groups
    return clean


def _clean_explanations(explanations: object) -> dict[str, str]:
    if explanations is None:
        return {}
    if not isinstance(explanations, Mapping):
        raise _draft_invalid("explanations")
    clean = {}
    for code, text in explanations.items():
        if not isinstance(code, str) or not re.fullmatch(r"W\.\d{3}", code) or not isinstance(text, str):
            raise _draft_invalid("explanations")
        if text.strip():  # kept as typed (a draft), but only what can be stored
            reports.clean_text(text, f"explanation.{code}", required=False)
            clean[code] = text
    return clean


def save_count_draft(
    db: Session,
    actor: Actor,
    polling_station_id: int,
    form: Mapping[str, Any],
    explanations: Mapping[str, str] | None = None,
    *,
    now: dt.datetime | None = None,
) -> CountDraftView:
    """Keep what the chair has typed into the count form so far, for the version it would become (one
    draft per station; the newest replaces the one before). Not a report and not audited: the submitted
    version is, and submitting deletes the draft in its own transaction. Refused once the count is
    accepted."""
    ctx = chair_context(db, actor, polling_station_id, now)
    clean = clean_draft(form)
    given = _clean_explanations(explanations)
    found = run(db, _LATEST_VERSION_SQL, {"sid": ctx.station.id})
    latest = found[0] if found else None
    if latest is not None and latest[1] == "accepted":
        raise Conflict("count accepted", key="count.already_accepted")
    number = latest[0] + 1 if latest is not None else 1
    values = {
        "polling_station_id": ctx.station.id,
        "election_id": ctx.station.election_id,
        "municipality_code": ctx.station.municipality_code,
        "version": number,
        "form": clean,
        "explanations": given,
        "updated_at": ctx.now,
    }
    statement = insert(CountDraft).values(**values)
    db.execute(
        statement.on_conflict_do_update(
            index_elements=[CountDraft.polling_station_id],
            set_={k: statement.excluded[k] for k in ("version", "form", "explanations", "updated_at")},
        )
    )
    db.commit()
    return CountDraftView(number, clean, given, ctx.now)


def _validate(db: Session, ctx: Any, form: Mapping[str, Any]) -> tuple[CountForm, ValidationResult, str]:
    station = ctx.station
    return _validate_for(db, station.election_id, station.municipality_code, ctx.election.kind, form)


def _validate_for(
    db: Session,
    election_id: str,
    municipality_code: str,
    election_kind: str,
    form: Mapping[str, Any],
    read: tuple[Any, Any] | None = None,
) -> tuple[CountForm, ValidationResult, str]:
    method, lists = _method_and_lists_of(db, election_id, municipality_code, read)
    _refuse_without_candidates(method, lists)
    parsed = count_form_from_mapping(form, election_kind=election_kind)
    result = validate_count(
        parsed,
        counting_method=method,
        election_kind=election_kind,
        lists=_lists_for_rules(lists),
    )
    return parsed, result, method


def check_count(
    db: Session, actor: Actor, polling_station_id: int, form: Mapping[str, Any]
) -> ValidationResult:
    """Run the Kiesraad's rules on a form without storing anything (the page's check step).
    Input that does not fit the form at all raises InvalidInput naming the field; so does a count under
    decentral counting (DSO) before the election's candidate lists are loaded (``count.no_candidates``:
    the draft typed so far is kept, see :func:`save_count_draft`)."""
    ctx = chair_context(db, actor, polling_station_id)
    return _validate(db, ctx, form)[1]


def _groups_json(parsed: CountForm, method: str) -> list[dict[str, Any]]:
    return [
        {
            "number": g.number,
            "total": g.total,
            "candidate_votes": [c.votes for c in g.candidate_votes] if method == "DSO" else None,
            "candidates_total": g.candidates_total,
        }
        for g in parsed.political_group_votes
    ]


def submit_count(
    db: Session,
    actor: Actor,
    polling_station_id: int,
    form: Mapping[str, Any],
    explanations: Mapping[str, str] | None = None,
    *,
    client_submission_id: object,
    now: dt.datetime | None = None,
) -> CountResult:
    """Submit a version of the station's preliminary count. Refused (InvalidInput, key
    ``count.blocked``, at the first error's field) while any F.xxx error remains, or (key
    ``count.unexplained``) while a W.xxx warning has no explanation, and (key ``count.no_candidates``)
    under decentral counting (DSO) while the election's candidate lists are not loaded. The station must
    have reported closing; an accepted count cannot be changed. Version n+1 when there is a version n
    (kept)."""
    # The station's checks, the stored retry and the station's lock in one query (app.services.chair).
    lk = locked_context(
        db,
        actor,
        polling_station_id,
        now,
        client_submission_id,
        "count_version",
        ("version", "status"),
        _COUNT_READS,
    )

    def result(row: CountVersion, duplicate: bool) -> CountResult:
        return CountResult(row.id, row.version, row.status, duplicate)

    if lk.existing is not None:
        db.rollback()  # nothing written: release the station's lock now
        return CountResult(lk.existing[0], lk.existing[3], lk.existing[4], True)
    # the counting method and the lists, read with the lock (or again, as the latest version below)
    read = run(db, _METHOD_AND_GROUPS_READ, {"sid": lk.station_id})[0] if lk.reads is None else lk.reads[1:]
    parsed, checked, method = _validate_for(
        db, lk.election_id, lk.municipality_code, lk.election_kind, form, (read[0], read[1])
    )
    if checked.errors:
        first = checked.errors[0]
        raise InvalidInput(
            f"count has errors: {', '.join(i.code for i in checked.errors)}",
            field=first.fields[0] if first.fields else None,
            key="count.blocked",
            codes=", ".join(i.code for i in checked.errors),
        )
    given = {str(k): str(v) for k, v in (explanations or {}).items()}
    missing = checked.unexplained_warnings(given)
    if missing:
        raise InvalidInput(
            f"warnings without explanation: {', '.join(w.code for w in missing)}",
            field=missing[0].fields[0] if missing[0].fields else None,
            key="count.unexplained",
            codes=", ".join(w.code for w in missing),
        )
    kept = {
        w.code: reports.clean_text(given[w.code], f"explanation.{w.code}", required=True)
        for w in checked.warnings
    }
    if lk.state["closed_at"] is None:
        raise Conflict("station not closed", key="count.not_closed")
    if lk.reads is not None:
        latest = lk.reads[0]
    else:
        found = run(db, _LATEST_VERSION_SQL, {"sid": lk.station_id})
        latest = found[0] if found else None
    if latest is not None and latest[1] == "accepted":
        raise Conflict("count accepted", key="count.already_accepted")
    number = (latest[0] + 1) if latest is not None else 1
    values = {name: getattr(parsed, name) for name in FORM_FIELDS}
    groups = _groups_json(parsed, method)
    warnings = [w.code for w in checked.warnings]
    columns = {
        "version": number,
        "counting_method": method,
        **values,
        "political_group_votes": groups,
        "warnings": warnings,
        "explanations": kept,
        "status": "submitted",
    }
    state = {
        "count_version_id": NEW_ID,
        "count_version": number,
        "count_status": "submitted",
        "count_submitted_at": lk.now,
    }
    new_id, again = write_report(
        db,
        actor,
        lk,
        CountVersion,
        columns,
        state,
        "count_submitted" if number == 1 else "count_corrected",
        before={"version": latest[0], "status": latest[1]} if latest is not None else None,
        after={
            "version": number,
            **values,
            "political_group_votes": groups,
            "warnings": warnings,
            "explanations": kept,
        },
        extra_cte=_LIST_VOTES_CTE + _DRAFT_DELETE_CTE,
        extra_params={
            "l_numbers": [g.number for g in parsed.political_group_votes],
            "l_votes": [g.total for g in parsed.political_group_votes],
        },
    )
    if again is not None:
        return result(again, True)
    return CountResult(new_id, number, "submitted")


def my_count_versions(db: Session, actor: Actor, polling_station_id: int) -> list[CountVersionView]:
    """The station's count versions, newest first (the chair sees why a version was returned)."""
    ctx = chair_context(db, actor, polling_station_id)
    return [_view(v) for v in _versions(db, ctx.station.id)]


# --- the office's review ----------------------------------------------------------------------------------


def _office_version(db: Session, actor: Actor, count_version_id: int) -> CountVersion:
    authz.require_role(db, actor, Role.OFFICE, Role.ADMIN)
    row = (
        db.get(CountVersion, count_version_id, with_for_update=True)
        if isinstance(count_version_id, int)
        else None
    )
    if row is None:
        raise NotFound("count_version", key="error.not_found")
    authz.require_municipality(db, actor, row.municipality_code)
    return row


def _is_latest(db: Session, row: CountVersion) -> bool:
    latest = db.scalar(
        select(func.max(CountVersion.version)).where(
            CountVersion.polling_station_id == row.polling_station_id
        )
    )
    return latest == row.version


def _review(
    db: Session,
    actor: Actor,
    row: CountVersion,
    status: str,
    reason: str | None,
    now: dt.datetime,
    *,
    action: str | None = None,
) -> CountResult:
    before: dict[str, Any] = {"status": row.status}
    if row.reviewed_at is not None:  # a review undone (reopening): who accepted it, and when
        before.update(reviewed_by=row.reviewed_by_name, reviewed_at=row.reviewed_at)
    row.status, row.returned_reason = status, reason
    row.reviewed_by, row.reviewed_by_name, row.reviewed_at = actor.audit_id, actor.name, now
    station = db.get(PollingStation, row.polling_station_id)
    assert station is not None
    state = station_state.lock(db, station)
    if state.count_version_id in (None, row.id) or (state.count_version or 0) <= row.version:
        state.count_version_id, state.count_version, state.count_status = row.id, row.version, status
    station_state.finish(state, now, report=False)
    audit.record(
        db,
        actor,
        action or f"count_{status}",
        entity="count_version",
        entity_id=row.id,
        municipality_code=row.municipality_code,
        election_id=row.election_id,
        polling_station_id=row.polling_station_id,
        before=before,
        after={"status": status, "version": row.version, "reason": reason},
    )
    db.commit()
    return CountResult(row.id, row.version, status)


def accept_count(
    db: Session,
    actor: Actor,
    count_version_id: int,
    *,
    client_submission_id: object = None,
    now: dt.datetime | None = None,
) -> CountResult:
    """The office accepts the latest submitted version. Accepting it again returns the stored result."""
    row = _office_version(db, actor, count_version_id)
    if row.status == "accepted":
        db.rollback()
        return CountResult(row.id, row.version, row.status, duplicate=True)
    if row.status != "submitted" or not _is_latest(db, row):
        raise Conflict("not the latest submitted version", key="count.not_reviewable")
    return _review(
        db, actor, row, "accepted", None, now or clock.now_for(db, row.election_id, row.municipality_code)
    )


def return_count(
    db: Session,
    actor: Actor,
    count_version_id: int,
    reason: str,
    *,
    client_submission_id: object = None,
    now: dt.datetime | None = None,
) -> CountResult:
    """The office returns the latest submitted version to the chair with a reason (required); returning
    it again returns the stored result."""
    row = _office_version(db, actor, count_version_id)
    if row.status == "returned":  # a retry: the stored result
        db.rollback()
        return CountResult(row.id, row.version, row.status, duplicate=True)
    text = reports.clean_text(reason, "reason", required=True)
    if row.status != "submitted" or not _is_latest(db, row):
        raise Conflict("not the latest submitted version", key="count.not_reviewable")
    return _review(
        db, actor, row, "returned", text, now or clock.now_for(db, row.election_id, row.municipality_code)
    )


def reopen_count(
    db: Session,
    actor: Actor,
    count_version_id: int,
    reason: str,
    *,
    client_submission_id: object = None,
    now: dt.datetime | None = None,
) -> CountResult:
    """The office reopens an accepted count: the latest version goes back to the chair as returned, with
    a reason (required), and the chair submits a correction as version n+1. Nothing reported changes:
    only the version's review columns, and the audit row (``count_reopened``) keeps who accepted it and
    when. Only the office of the count's own municipality may; reopening it again returns the stored
    result."""
    row = _office_version(db, actor, count_version_id)
    if row.status == "returned" and _was_reopened(db, row.id):  # a retry: the stored result
        db.rollback()
        return CountResult(row.id, row.version, row.status, duplicate=True)
    text = reports.clean_text(reason, "reason", required=True)
    if row.status != "accepted" or not _is_latest(db, row):
        raise Conflict("not the latest accepted version", key="count.not_reopenable")
    return _review(
        db,
        actor,
        row,
        "returned",
        text,
        now or clock.now_for(db, row.election_id, row.municipality_code),
        action="count_reopened",
    )


def _was_reopened(db: Session, count_version_id: int) -> bool:
    """Whether this version was reopened (a version the office returned without accepting it was not:
    reopening that is refused, not a retry)."""
    return (
        db.scalar(
            select(AuditLog.id)
            .where(
                AuditLog.action == "count_reopened",
                AuditLog.entity == "count_version",
                AuditLog.entity_id == str(count_version_id),
            )
            .limit(1)
        )
        is not None
    )


# --- the office's view of one version: the whole proces-verbaal ------------------------------------------

#: The boxes of the proces-verbaal (model N 10-1 / N 10-2) and the column each is stored in.
BOXES: tuple[tuple[str, str], ...] = (
    ("A", "poll_card_count"),
    ("B", "proxy_certificate_count"),
    ("C", "voter_card_count"),
    ("D", "total_admitted_voters_count"),
    ("E", "votes_candidates_count"),
    ("F", "blank_votes_count"),
    ("G", "invalid_votes_count"),
    ("H", "total_votes_cast_count"),
    ("I", "more_ballots_count"),
    ("J", "fewer_ballots_count"),
)
_COMPARE = (
    ("equal", "admitted_voters_equal_votes_cast"),
    ("greater", "votes_cast_greater_than_admitted_voters"),
    ("smaller", "votes_cast_smaller_than_admitted_voters"),
)
_EXPLAINED = (
    ("yes", "difference_completely_accounted_for_yes"),
    ("no", "difference_completely_accounted_for_no"),
)


@dataclass(frozen=True)
class ReviewCandidate:
    number: int
    name: str  # "" when the election's candidate list no longer has this candidate
    votes: int


@dataclass(frozen=True)
class ReviewList:
    """E.n: one list's votes, and under decentral counting (DSO) its candidates and their total."""

    number: int
    name: str
    total: int
    candidates_total: int | None = None
    candidates: tuple[ReviewCandidate, ...] = ()


@dataclass(frozen=True)
class ReviewWarning:
    """A W.xxx warning of the version, its official text and the chair's explanation."""

    code: str
    text_nl: str
    text_en: str
    explanation: str | None


@dataclass(frozen=True)
class ReviewDifference:
    """One box that differs from the previous version. ``box`` is a letter A-J, ``"list"`` (E.n of
    ``list_number``), ``"candidates_total"`` or ``"candidate"`` (of ``list_number``, ``candidate_number``),
    ``"compare"`` (D and H: equal, greater, smaller) or ``"explained"`` (yes, no)."""

    box: str
    before: int | str | None
    after: int | str | None
    list_number: int | None = None
    candidate_number: int | None = None


@dataclass(frozen=True)
class ReviewVersion:
    id: int
    version: int
    status: str
    reported_at: dt.datetime
    reported_by: str | None
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    returned_reason: str | None


@dataclass(frozen=True)
class CountReviewDetail:
    """One version of a station's count as the office reviews it: the whole proces-verbaal, the
    warnings with the chair's explanations, what changed since the previous version, every version."""

    count_version_id: int
    polling_station_id: int
    station_number: int
    station_name: str
    election_kind: str
    counting_method: str
    version: int
    status: str
    reported_at: dt.datetime
    reported_by: str | None
    #: box letter -> value; "C" only where the form has it (not at a municipal election)
    boxes: dict[str, int | None]
    compare: str | None  # equal, greater, smaller (D and H), as ticked
    explained: str | None  # yes, no: the difference completely accounted for, as ticked
    lists: tuple[ReviewList, ...]
    warnings: tuple[ReviewWarning, ...]
    previous_version: int | None
    differences: tuple[ReviewDifference, ...]  # against previous_version
    versions: tuple[ReviewVersion, ...]  # every version of the station, newest first
    is_latest: bool

    @property
    def reviewable(self) -> bool:
        """Accept or return: the latest version, submitted."""
        return self.is_latest and self.status == "submitted"

    @property
    def reopenable(self) -> bool:
        """Reopen (return to the chair after all): the latest version, accepted."""
        return self.is_latest and self.status == "accepted"


def _office_read(db: Session, actor: Actor, count_version_id: int) -> CountVersion:
    authz.require_role(db, actor, Role.OFFICE, Role.ADMIN)
    row = db.get(CountVersion, count_version_id) if isinstance(count_version_id, int) else None
    if row is None:
        raise NotFound("count_version", key="error.not_found")
    authz.require_municipality(db, actor, row.municipality_code)
    return row


def _choice(row: CountVersion, ticks: tuple[tuple[str, str], ...]) -> str | None:
    return next((option for option, column in ticks if getattr(row, column)), None)


def _review_lists(row: CountVersion, names: dict[int, ListInfo]) -> tuple[ReviewList, ...]:
    out = []
    for group in sorted(row.political_group_votes or [], key=lambda g: int(g["number"])):
        number = int(group["number"])
        info = names.get(number)
        votes = group.get("candidate_votes")
        candidates: tuple[ReviewCandidate, ...] = ()
        if votes is not None:
            known = info.candidates if info is not None else ()
            candidates = tuple(
                ReviewCandidate(i, known[i - 1] if i <= len(known) else "", int(v or 0))
                for i, v in enumerate(votes, start=1)
            )
        total = group.get("candidates_total")
        out.append(
            ReviewList(
                number,
                info.name if info is not None else "",
                int(group.get("total") or 0),
                None if total is None else int(total),
                candidates,
            )
        )
    return tuple(out)


def _differences(
    new: CountReviewDetail, old: CountVersion, lists: tuple[ReviewList, ...]
) -> list[ReviewDifference]:
    """What differs, in the order of the form: A-D, each list (E.n, its candidates), E-J, the ticks."""

    def boxes(letters: str) -> list[ReviewDifference]:
        return [
            ReviewDifference(letter, getattr(old, column), new.boxes[letter])
            for letter, column in BOXES
            if letter in letters and letter in new.boxes and getattr(old, column) != new.boxes[letter]
        ]

    found = boxes("ABCD")
    before_lists = {li.number: li for li in lists}
    for li in new.lists:
        was = before_lists.get(li.number)
        if was is None or was.total != li.total:
            found.append(ReviewDifference("list", was.total if was else None, li.total, li.number))
        if was is not None and was.candidates_total != li.candidates_total:
            found.append(
                ReviewDifference("candidates_total", was.candidates_total, li.candidates_total, li.number)
            )
        earlier = {c.number: c.votes for c in (was.candidates if was else ())}
        for c in li.candidates:
            if earlier.get(c.number) != c.votes:
                found.append(
                    ReviewDifference("candidate", earlier.get(c.number), c.votes, li.number, c.number)
                )
    found += boxes("EFGHIJ")
    for box, ticks, now in (("compare", _COMPARE, new.compare), ("explained", _EXPLAINED, new.explained)):
        before = _choice(old, ticks)
        if before != now:
            found.append(ReviewDifference(box, before, now))
    return found


def count_review(db: Session, actor: Actor, count_version_id: int) -> CountReviewDetail:
    """The whole proces-verbaal of one count version for the office's review (its own municipality's
    only): A, B, (C), D; E.n per list with its name and, under decentral counting (DSO), its candidates;
    E, F, G, H; D and H compared, I or J, explained or not; the warnings with the chair's explanations;
    what differs from the previous version; and every version of the station, newest first."""
    row = _office_read(db, actor, count_version_id)
    station = db.get(PollingStation, row.polling_station_id)
    election = db.get(Election, row.election_id)
    assert station is not None and election is not None
    _method, infos = _method_and_lists_of(db, row.election_id, row.municipality_code)
    names = {li.number: li for li in infos}
    rows = _versions(db, row.polling_station_id)
    boxes: dict[str, int | None] = {
        letter: getattr(row, column)
        for letter, column in BOXES
        if letter != "C" or row.voter_card_count is not None or election.kind != "GR"
    }
    warnings = tuple(
        ReviewWarning(
            code,
            RULES[code].text_nl if code in RULES else "",
            RULES[code].text_en if code in RULES else "",
            (row.explanations or {}).get(code),
        )
        for code in (str(w) for w in row.warnings or [])
    )
    previous = next((v for v in rows if v.version < row.version), None)
    detail = CountReviewDetail(
        row.id,
        station.id,
        station.number,
        station.name,
        election.kind,
        row.counting_method,
        row.version,
        row.status,
        row.reported_at,
        row.actor_name,
        boxes,
        _choice(row, _COMPARE),
        _choice(row, _EXPLAINED),
        _review_lists(row, names),
        warnings,
        previous.version if previous is not None else None,
        (),
        tuple(
            ReviewVersion(
                v.id,
                v.version,
                v.status,
                v.reported_at,
                v.actor_name,
                v.reviewed_by_name,
                v.reviewed_at,
                v.returned_reason,
            )
            for v in rows
        ),
        bool(rows) and rows[0].version == row.version,
    )
    if previous is None:
        return detail
    changes = _differences(detail, previous, _review_lists(previous, names))
    return dataclasses.replace(detail, differences=tuple(changes))
