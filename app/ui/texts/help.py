"""Texts: requests for help and the station timeline (Dutch, English)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {}
