"""Checks the parsers share, so that a value that cannot be stored is refused with its place in the file
instead of failing in PostgreSQL (house rule 9: what and where, never a traceback).

* Whole numbers: ASCII digits only (a leading ``-`` is read to say "must be 0 or more"), checked before
  ``int()``, which would also take ``1_000``, ``+5`` or Arabic-Indic digits; within ``minimum`` (0 for
  a count, 1 for an id that must be positive) and ``MAX_INT``, the largest PostgreSQL ``integer``.
  A 5,000-digit number never reaches ``int()``.
* Text: no control characters (tab, line feed and carriage return are allowed: real station names in
  the Kiesraad's files contain tabs), and no longer than the column it is stored in. The column sizes
  are read from the SQLAlchemy tables, so they cannot drift from the schema.
* Encodings: a UTF-16 file (FF FE / FE FF byte-order mark, or NUL bytes between ASCII characters) is
  refused with "re-save it as UTF-8"; see ``utf16_problem``.
"""

from __future__ import annotations

import os
import re
from typing import Any

from etl.parsers.errors import ImportProblem

MAX_INT = 2_147_483_647  # PostgreSQL integer
_MAX_DIGITS = len(str(MAX_INT))
_INT_RE = re.compile(r"(-?)0*([0-9]+)")
# C0 control characters and DEL, except tab, line feed and carriage return.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def whole_number(
    file: str | os.PathLike[str],
    place: str,
    what: str,
    text: str | None,
    *,
    minimum: int = 0,
    maximum: int = MAX_INT,
) -> int:
    """``text`` as an int in ``minimum..maximum``; else ``ImportProblem(file, place, "what: ...")``.

    ``what`` names the field (``"Cast"``, ``"AffiliationIdentifier Id"``); it may be empty when the
    place already says it."""
    number = plain_number(text)  # the usual case, without a pattern
    if number is not None and minimum <= number <= maximum:
        return number
    prefix = f"{what}: " if what else ""
    value = text.strip() if isinstance(text, str) else ""
    match = _INT_RE.fullmatch(value)
    if match is None:
        if not value:
            raise ImportProblem(file, place, f"{what or 'the number'} is missing")
        raise ImportProblem(file, place, f"{prefix}{text!r} is not a whole number")
    sign, digits = match.groups()
    if len(digits) > _MAX_DIGITS:
        number = None
    else:
        number = int(digits) * (-1 if sign == "-" else 1)
    if number is not None and number < minimum:
        raise ImportProblem(file, place, f"{prefix}{value!r} must be {minimum} or more")
    if number is None or number > maximum:
        if sign == "-":
            raise ImportProblem(file, place, f"{prefix}{_shorten(value)!r} must be {minimum} or more")
        raise ImportProblem(
            file,
            place,
            f"{prefix}{_shorten(value)!r} is too large: at most {maximum:,} can be stored",
        )
    return number


def plain_number(text: object) -> int | None:
    """``text`` as an int when it is plain ASCII digits that fit a PostgreSQL integer, else None (then
    :func:`whole_number` says what is wrong, and where). The fast path of the parsers: a file has
    hundreds of thousands of numbers, nearly all plain."""
    if type(text) is str and len(text) <= _MAX_DIGITS and text.isascii() and text.isdigit():
        number = int(text)
        if number <= MAX_INT:
            return number
    return None


def check_value(file: str | os.PathLike[str], place: str, what: str, value: int | None) -> None:
    """A number the parser computed (H = E + F + G, a sum) must fit a PostgreSQL integer too."""
    if value is not None and not 0 <= value <= MAX_INT:
        raise ImportProblem(file, place, f"{what} is {value:,}: at most {MAX_INT:,} can be stored")


def text_value(
    file: str | os.PathLike[str],
    place: str,
    what: str,
    value: str | None,
    limit: int,
) -> str | None:
    """``value`` unchanged when it has no control character and at most ``limit`` characters."""
    if value is None:
        return None
    what = what or "the text"
    bad = CONTROL_RE.search(value)
    if bad:
        raise ImportProblem(
            file,
            place,
            f"{what} contains the control character U+{ord(bad.group()):04X} at character "
            f"{bad.start() + 1}: {_shorten(value)!r}",
        )
    if len(value) > limit:
        raise ImportProblem(
            file,
            place,
            f"{what} is {len(value):,} characters long, more than the {limit} that can be stored: "
            f"{_shorten(value)!r}",
        )
    return value


def control_character_problem(file: str | os.PathLike[str], text: str) -> ImportProblem | None:
    """The first control character anywhere in a text file, with its line and column."""
    bad = CONTROL_RE.search(text)
    if bad is None:
        return None
    line = text.count("\n", 0, bad.start()) + 1
    column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
    start = text.rfind("\n", 0, bad.start()) + 1
    end = text.find("\n", bad.start())
    context = text[max(start, bad.start() - 20) : (end if end >= 0 else len(text))][:40]
    return ImportProblem(
        file,
        f"line {line}, column {column}",
        f"the control character U+{ord(bad.group()):04X} is not allowed in an election file "
        f"(near {context!r}): the file is damaged or not a text file",
    )


def utf16_problem(file: str | os.PathLike[str], head: bytes) -> ImportProblem | None:
    """A UTF-16 (or UTF-32) file: refused, with the fix. ``None`` for anything else.

    Decision: refused rather than decoded. The Kiesraad publishes UTF-8; the CSV parsers refuse any
    other encoding rather than guess; and the EML safety scan for ``<!DOCTYPE``/``<!ENTITY`` reads bytes,
    which a UTF-16 file would slip past. A spreadsheet or editor that saved "Unicode" text can save
    UTF-8 just as well."""
    if head.startswith(_UTF16_BOMS):
        kind = "little-endian" if head.startswith(b"\xff\xfe") else "big-endian"
    elif len(head) >= 4 and (
        (head[1] == 0 and head[3] == 0 and head[0] and head[2])
        or (head[0] == 0 and head[2] == 0 and head[1] and head[3])
    ):
        kind = "without a byte-order mark"
    else:
        return None
    return ImportProblem(
        file,
        "line 1",
        f"the file is UTF-16 encoded ({kind}): re-save it as UTF-8 and import it again "
        "(election files are UTF-8)",
    )


def without_bom(raw: bytes) -> bytes:
    return raw[3:] if raw.startswith(UTF8_BOM) else raw


def column_size(model: Any, column: str) -> int:
    """The length of a ``String(n)`` column of a SQLAlchemy table class."""
    length = model.__table__.c[column].type.length
    assert isinstance(length, int), f"{model.__name__}.{column} has no length"
    return length


def _shorten(value: str, n: int = 40) -> str:
    return value if len(value) <= n else value[:n] + "…"


class Sizes:
    """Column sizes of what the imports store (``etl.load``), read once from the tables."""

    def __init__(self) -> None:
        from app.storage.import_models import ImportFile, OfficialCandidateVotes, OfficialCount
        from app.storage.import_models import OfficialListVotes as Lv
        from app.storage.models import Candidate, Election, Municipality, PoliticalGroup, PollingStation

        self.list_name = min(column_size(Lv, "list_name"), column_size(PoliticalGroup, "name"))
        self.candidate_name = column_size(OfficialCandidateVotes, "candidate_name")
        self.station_name = min(
            column_size(OfficialCount, "station_name"), column_size(PollingStation, "name")
        )
        self.unit_id = column_size(OfficialCount, "unit_id")
        self.municipality_name = column_size(Municipality, "name")
        self.election_name = column_size(Election, "name")
        self.last_name = column_size(Candidate, "last_name")
        self.prefix = column_size(Candidate, "prefix")
        self.initials = column_size(Candidate, "initials")
        self.first_name = column_size(Candidate, "first_name")
        self.locality = min(column_size(Candidate, "locality"), column_size(PollingStation, "locality"))
        self.gender = column_size(Candidate, "gender")
        self.file_name = column_size(ImportFile, "file_name")


_sizes: Sizes | None = None


def sizes() -> Sizes:
    global _sizes
    if _sizes is None:
        _sizes = Sizes()
    return _sizes
