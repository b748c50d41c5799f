"""Importing official files (issue 5): the use case behind the admin upload page and ``stemdag import``.

``import_file(db, actor, path_or_bytes, filename, *, election_id=None, municipality_code=None)``
parses the file (format detected from its content), checks it, and stores it in one transaction
through ``etl.load`` (audited). Admins only; a municipal admin imports only files of their own
municipality (a file of another municipality is refused). A file that cannot be imported raises
``InvalidInput(field="file", key="imports.refused", file=…, place=…, problem=…)`` and nothing is stored.
The parsers refuse what cannot be stored (numbers beyond a PostgreSQL integer, text longer than its
column, control characters); as a safety net, a value the database still refuses (a data or integrity
error) is the same refusal, ``problem`` "the database refused a value: …" with PostgreSQL's own message
and never the statement's parameters. A database that cannot be reached is not a refusal: that error
propagates (the pages show their "database unavailable" banner).

``upsert_candidate``: the set-up of one candidate on a list (idempotent, audited), used by the
import of EML 230b candidate lists.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from app.domain.access import Actor, Role
from app.domain.errors import InvalidInput
from app.domain.ids import municipality_code as normalise_municipality
from app.services import audit, authz
from app.storage.models import Candidate, PoliticalGroup

if TYPE_CHECKING:
    from etl.load import ImportSummary

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
_COPY_CONTEXT_RE = re.compile(r"COPY (\w+), line \d+, column (\w+)")
CANDIDATE_FIELDS = ("last_name", "prefix", "initials", "first_name", "locality", "gender")


def upsert_candidate(
    db: Session, actor: Actor, group: PoliticalGroup, number: int, **values: Any
) -> Candidate:
    """Create or update candidate ``number`` of list ``group`` (idempotent; audited when it changes)."""
    authz.require_role(db, actor, Role.ADMIN)
    authz.require_municipality(db, actor, group.municipality_code)
    unknown = set(values) - set(CANDIDATE_FIELDS)
    if unknown:
        raise InvalidInput("fields", key="setup.unknown_fields", fields=", ".join(sorted(unknown)))
    if not isinstance(number, int) or number <= 0:
        raise InvalidInput("number", field="number", key="error.positive_integer")
    if not values.get("last_name"):
        raise InvalidInput("last name", field="last_name", key="imports.candidate_name_required")
    values = {
        k: (v[:40] if k in ("prefix", "initials") and isinstance(v, str) else v) for k, v in values.items()
    }
    row = db.scalar(
        select(Candidate).where(Candidate.political_group_id == group.id, Candidate.number == number)
    )
    entity_id = f"{group.election_id}/{group.municipality_code}/{group.number}/{number}"
    if row is None:
        row = Candidate(
            political_group_id=group.id, municipality_code=group.municipality_code, number=number, **values
        )
        db.add(row)
        audit.record(
            db,
            actor,
            "candidate_added",
            entity="candidate",
            entity_id=entity_id,
            municipality_code=group.municipality_code,
            election_id=group.election_id,
            after={"list": group.number, "number": number, **values},
        )
    else:
        before, after = {}, {}
        for key, value in values.items():
            if getattr(row, key) != value:
                before[key], after[key] = getattr(row, key), value
                setattr(row, key, value)
        if after:
            audit.record(
                db,
                actor,
                "candidate_changed",
                entity="candidate",
                entity_id=entity_id,
                municipality_code=group.municipality_code,
                election_id=group.election_id,
                before=before,
                after=after,
            )
    db.flush()
    return row


def import_file(
    db: Session,
    actor: Actor,
    path_or_bytes: str | os.PathLike[str] | bytes,
    filename: str,
    *,
    election_id: str | None = None,
    municipality_code: str | None = None,
) -> ImportSummary:
    """Import one official file (EML 110a/110b/230b/510, osv4-3 CSV, WIMS CSV/XLSX) in one transaction."""
    from etl.load import import_path
    from etl.parsers.errors import ImportProblem

    authz.require_role(db, actor, Role.ADMIN)
    if municipality_code:
        try:
            municipality_code = normalise_municipality(municipality_code)
        except InvalidInput:
            raise InvalidInput(
                "municipality",
                field="municipality_code",
                key="imports.bad_municipality",
                value=municipality_code,
            ) from None
    if not actor.is_global_admin:
        if municipality_code is not None:
            authz.require_municipality(db, actor, municipality_code)
        municipality_code = actor.municipality_code  # a file of another municipality is refused
    name = Path(filename).name or "upload"
    tmp: str | None = None
    try:
        if isinstance(path_or_bytes, bytes):
            if len(path_or_bytes) > MAX_UPLOAD_BYTES:
                raise InvalidInput("too large", field="file", key="imports.too_large", limit=MAX_UPLOAD_BYTES)
            fd, tmp = tempfile.mkstemp(prefix="stemdag-import-", suffix=Path(name).suffix[:12])
            with os.fdopen(fd, "wb") as fh:
                fh.write(path_or_bytes)
            path = Path(tmp)
        else:
            path = Path(path_or_bytes)
        try:
            return import_path(
                db, actor, path, file_name=name, election_id=election_id, municipality_code=municipality_code
            )
        except ImportProblem as problem:
            place = problem.place
            raise InvalidInput(
                f"{name}: {place + ': ' if place else ''}{problem.message}",
                field="file",
                key="imports.refused",
                file=name,
                place=place or "-",
                problem=problem.message,
            ) from None
        except (DBAPIError, psycopg.Error) as err:  # import_path has rolled back: nothing stored
            refused = _database_refusal(err)
            if refused is None:
                raise
            place, message = refused
            raise InvalidInput(
                f"{name}: {place}: {message}",
                field="file",
                key="imports.refused",
                file=name,
                place=place,
                problem=message,
            ) from None
    finally:
        if tmp is not None:
            os.unlink(tmp)


def _database_refusal(err: DBAPIError | psycopg.Error) -> tuple[str, str] | None:
    """(place, problem) for a value the database refused; None when the database could not be reached.

    The text is PostgreSQL's primary message (``value too long for type character varying(10)``,
    ``integer out of range``) and, when it says so, the table and column: never the statement or its
    parameters."""
    if isinstance(err, DBAPIError):
        if isinstance(err, OperationalError | InterfaceError) or err.connection_invalidated:
            return None
        orig: BaseException | None = err.orig
    else:
        orig = err
    if isinstance(orig, psycopg.OperationalError | psycopg.InterfaceError):
        return None
    diag = getattr(orig, "diag", None)
    primary = getattr(diag, "message_primary", None) or (str(orig).splitlines() or ["?"])[0]
    place = "database"
    table = getattr(diag, "table_name", None)
    column = getattr(diag, "column_name", None)
    copy = _COPY_CONTEXT_RE.search(getattr(diag, "context", None) or "")
    if copy:
        table, column = copy.groups()
    if table:
        place = f"database, table {table}" + (f", column {column}" if column else "")
    return place, f"the database refused a value: {primary}"
