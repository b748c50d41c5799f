"""Normalisation of official identifiers (CBS municipality codes, election ids)."""

from __future__ import annotations

import re

from app.domain.errors import InvalidInput

_MUNI_RE = re.compile(r"^\s*(?:GM|G)?\s*0*(\d{1,4})\s*$", re.IGNORECASE)
_ELECTION_RE = re.compile(r"^(GR|TK|PS|WS|EP|EK|NR|REF|OEF)(\d{4})([A-Z0-9_-]*)$")

ELECTION_KINDS = ("GR", "TK", "PS", "WS", "EP", "referendum")


def municipality_code(value: str | int) -> str:
    """Normalise a CBS municipality code: ``G0518``, ``0518``, ``518``, ``gm0518`` all give ``GM0518``.

    Raises InvalidInput for anything else (so a typo never silently becomes another municipality).
    """
    text = str(value)
    match = _MUNI_RE.match(text)
    if not match or int(match.group(1)) == 0:
        raise InvalidInput(
            f"not a municipality code: {text!r}",
            field="municipality_code",
            key="error.municipality_code",
            value=text,
        )
    return f"GM{int(match.group(1)):04d}"


def election_id(value: str) -> str:
    """Normalise an election id such as ``GR2026`` or ``TK2025`` (upper case, no spaces)."""
    text = str(value).strip().upper().replace(" ", "")
    if not _ELECTION_RE.match(text):
        raise InvalidInput(
            f"not an election id: {value!r}", field="election_id", key="error.election_id", value=str(value)
        )
    return text
