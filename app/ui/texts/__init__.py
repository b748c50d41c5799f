"""The one text catalogue. Streamlit has no i18n, so every string Stemdag shows goes through ``t``.

Strings live in per-area modules (core, chair, office, ...), each a dict ``key -> (Dutch, English)``;
they are merged here and a test checks that no key is defined twice and no text is empty.
Dutch is the default language; English is the second.
"""

from __future__ import annotations

import re
from decimal import Decimal

from app.domain.errors import StemdagError
from app.ui.texts import admin, analysis, chair, core, help, imports, office, review, simulation

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

# Each area adds its module here (one line each).
_MODULES = [core, admin, analysis, simulation, office, chair, imports, help, review]


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
    """The message of ``err`` as plain text (the command line, logs)."""
    return t(err.message_key, lang, **err.params)


# --- Markdown: data shown exactly as typed --------------------------------------------------------------
#
# Streamlit renders Markdown in st.markdown/write/title/header/subheader/caption/info/warning/error/
# success, st.metric, tabs, expander and widget labels, radio options and help texts: links, images,
# emphasis, :red[...] colours, :material/...: icons, :emoji: shortcodes, $LaTeX$, GFM autolinks (a bare
# https://..., www.... or name@host becomes a link) and typographic replacements (-> becomes an arrow).
# A name from an imported file or an admin must show as typed, never as any of those.


class Md(str):
    """Text that is safe to render as Streamlit Markdown: a catalogue text (trusted) with every value
    filled in escaped (:func:`t_md`), or data passed through :func:`md_escape`. Escaping an ``Md`` again
    changes nothing, so a text built from texts is escaped exactly once."""

    __slots__ = ()


#: Characters with a meaning anywhere in a line of (GitHub-flavoured, Streamlit) Markdown or HTML, ``&``
#: (character references) and a ``:`` before anything but a digit (``:red[...]``, ``:small``: Streamlit's
#: directives): a backslash before each makes it a literal. ``10:00`` and numbers stay as they are.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|<>~$&]|:(?!\d))")
#: ``-``, ``+``, ``=`` and ``.`` only mean something at the start of a line (a list item ``- x``,
#: ``+ x``, ``1. x``; a heading underline ``---``, ``===``), so ``-5``, ``+1,2``, ``1.234,5`` and dates
#: stay as they are.
_MD_LINE_START = re.compile(
    r"(?m)^([ \t]*)(?=(?:\d+[.)]|[-+*])(?:[ \t]|$)|-+[ \t]*$|=+[ \t]*$)(\d*)([-+*.=])"
)
#: Streamlit's extras and GFM's autolinks work on the parsed text, after backslash escapes are
#: resolved, so they are broken up with an invisible word joiner (U+2060) instead: after a ``:`` that
#: starts ``:name:`` (emoji, ``:streamlit:``, ``:material_x:``; ``:100:`` too, but not a time of day)
#: or is followed by ``/`` (``https://``, ``:material/x:``); inside ``->``, ``<-``, ``--``, ``>=``,
#: ``<=``, ``~=``; after the ``@`` of an e-mail address; between ``www`` and its ``.``.
_MD_BREAK = re.compile(
    r"(?<=:)(?=(?:100|1234):|(?!\d+:)[\w+-]*[:/])"  # :name: (not 12:34:56), https://, :material/
    r"|(?<=[<>~-])(?=[<>=-])"  # -> <- <-> -- >= <= ~=
    r"|(?<=@)(?=[\w-])|(?i:(?<=www))(?=\.)"  # name@host, www.
)
WORD_JOINER = "\u2060"


def md_escape(text: object) -> Md:
    """``text`` as Markdown that Streamlit shows exactly as typed: no link, image, emphasis, heading,
    list, colour, icon, emoji, formula or autolink. Idempotent on :class:`Md`."""
    if isinstance(text, Md):
        return text
    escaped = _MD_SPECIAL.sub(r"\\\1", _MD_BREAK.sub(WORD_JOINER, str(text)))
    return Md(_MD_LINE_START.sub(r"\1\2\\\3", escaped))


def _md_value(value: object) -> object:
    """A value for a Markdown text: numbers as they are (so a format spec still applies), :class:`Md`
    as it is, anything else escaped."""
    if isinstance(value, (Md, int, float, Decimal)):
        return value
    return md_escape(value)


def t_md(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> Md:
    """:func:`t` for a Markdown sink: the catalogue text with every value escaped (:func:`md_escape`)."""
    return Md(t(key, lang, **{name: _md_value(value) for name, value in params.items()}))


def error_md(err: StemdagError, lang: str = DEFAULT_LANGUAGE) -> Md:
    """The message of ``err`` for st.error and friends: values quoted from a file or form escaped."""
    return t_md(err.message_key, lang, **err.params)
