"""The one text catalogue. Streamlit has no i18n, so every string Stemdag shows goes through ``t``.

Strings live in per-area modules (core, chair, office, ...), each a dict ``key -> (Dutch, English)``;
they are merged here and a test checks that no key is defined twice and no text is empty.
Dutch is the default language; English is the second.
"""

from __future__ import annotations

from app.domain.errors import StemdagError
from app.ui.texts import admin, analysis, chair, core, imports, office, simulation

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

# Each area adds its module here (one line each).
_MODULES = [core, admin, analysis, simulation, office, chair, imports]


def _merge() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for module in _MODULES:
        for key, value in module.TEXTS.items():
            if key in merged:
                raise KeyError(f"text key defined twice: {key} ({module.__name__})")
            merged[key] = value
    return merged


CATALOGUE: dict[str, tuple[str, str]] = _merge()


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The text for ``key`` in ``lang`` with ``{params}`` filled in. An unknown key shows the key itself
    (visible in tests and screenshots, never a crash)."""
    pair = CATALOGUE.get(key)
    if pair is None:
        return key
    text = pair[0] if lang == "nl" else pair[1]
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError, ValueError):
        return text


def error_text(err: StemdagError, lang: str = DEFAULT_LANGUAGE) -> str:
    return t(err.message_key, lang, **err.params)
