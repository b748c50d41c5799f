"""Checks of free text and whole numbers typed into forms, before they reach PostgreSQL: a value the
database would refuse (a NUL character, text longer than its column, a number beyond its column) gets a
message that names the field, not "something went wrong".

Text is kept as typed (it is rendered inert where shown); only characters that no form can mean are
refused: the C0 control characters other than tab, line feed and carriage return, DEL, and lone
surrogates (which cannot be stored as UTF-8). A name (one line) refuses tab and line breaks too.
"""

from __future__ import annotations

import re

from app.domain.errors import InvalidInput

#: The largest value of a PostgreSQL ``integer`` column (counts, numbers, thresholds).
MAX_INTEGER = 2_147_483_647

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def has_forbidden_characters(text: str, *, single_line: bool = False) -> bool:
    """Whether ``text`` holds a control character (for a name: also a tab or line break) or a lone
    surrogate."""
    if (_CONTROL_OR_BREAK if single_line else _CONTROL).search(text):
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def text(
    value: object,
    field: str,
    *,
    max_length: int,
    required: bool = False,
    single_line: bool = False,
    required_key: str = "error.text_required",
    too_long_key: str = "error.text_too_long",
) -> str | None:
    """``value`` without surrounding blanks, or None when empty and not ``required``; refused (with
    ``field``) when it is not text, holds a forbidden character or is longer than ``max_length``."""
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{field}: not text", field=field, key="error.text_expected")
    stripped = (value or "").strip()
    if not stripped:
        if required:
            raise InvalidInput(f"{field}: empty", field=field, key=required_key)
        return None
    if has_forbidden_characters(stripped, single_line=single_line):
        raise InvalidInput(f"{field}: forbidden character", field=field, key="error.text_characters")
    if len(stripped) > max_length:
        raise InvalidInput(f"{field}: too long", field=field, key=too_long_key, limit=max_length)
    return stripped


def whole_number(value: object, field: str, *, minimum: int = 0, maximum: int = MAX_INTEGER) -> int:
    """``value`` as a whole number from ``minimum`` to ``maximum`` (a bool is not a number)."""
    if type(value) is not int:
        raise InvalidInput(f"{field}: not a whole number", field=field, key="error.count_not_integer")
    if value < minimum:
        key = {0: "error.non_negative_integer", 1: "error.positive_integer"}.get(
            minimum, "error.number_at_least"
        )
        raise InvalidInput(f"{field}: below {minimum}", field=field, key=key, minimum=minimum)
    if value > maximum:
        raise InvalidInput(
            f"{field}: above {maximum}", field=field, key="error.number_too_large", limit=maximum
        )
    return value
