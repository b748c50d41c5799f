"""Test helper: what Streamlit shows of a Markdown source, and a check that data in it stays plain text.

CommonMark and GFM (links, images, emphasis, code, headings, lists, tables, HTML) are parsed with
markdown-it-py; Streamlit's own additions are checked with the patterns of its frontend (1.67):
directives (``:red[...]``, ``:small``) and ``$formulas$`` on the source, emoji and icon shortcodes, GFM
autolinks and typographic replacements on the parsed text. The browser test
``tests/e2e/test_markdown_inert.py`` checks the same in Streamlit's real frontend."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from app.ui.texts import WORD_JOINER

_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_PLAIN = {"paragraph_open", "paragraph_close", "inline", "text", "softbreak", "hardbreak"}
#: an unescaped ``:`` before a letter (a directive) or ``$`` (a formula); ``:material/`` (an icon)
_STREAMLIT_SOURCE = re.compile(r"(?<!\\)(?:\\\\)*(?::[A-Za-z]|\$)|:material/")
#: shortcodes, autolinks and typographic replacements, which Streamlit applies to the parsed text
_STREAMLIT_TEXT = re.compile(
    r":[\w+-]+:|https?://|www\.|[-.\w+]+@[-\w]+\.|(?:^|\s)(?:<->|->|<-|--|>=|<=|~=)(?:\s|$)"
)


def shown(source: str) -> str:
    """The text Streamlit shows for ``source``, asserting that it is plain text: no link, image,
    emphasis, code, heading, list, table, HTML or Streamlit syntax. Word joiners are left out."""
    tokens = _MD.parse(str(source))
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
    assert kinds <= _PLAIN, f"Markdown {sorted(kinds - _PLAIN)} in {source!r}"
    assert not _STREAMLIT_SOURCE.search(str(source)), f"Streamlit syntax in {source!r}"
    text = "\n".join(
        "".join(c.content if c.type == "text" else "\n" for c in t.children or ())
        for t in tokens
        if t.type == "inline"
    )
    assert not _STREAMLIT_TEXT.search(text), f"a shortcode, autolink or arrow in {text!r}"
    return text.replace(WORD_JOINER, "")


def assert_inert(source: str, literal: str) -> None:
    """``source`` shows ``literal`` exactly as typed, as plain text."""
    text = shown(source)
    assert literal in text, f"{literal!r} not shown as typed in {text!r}"
