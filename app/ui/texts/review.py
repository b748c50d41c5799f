"""Texts: the incident queue, the count review and the chair's incident form (Dutch, English)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {}
