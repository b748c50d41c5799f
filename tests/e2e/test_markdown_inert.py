"""In a real browser: text escaped with ``md_escape`` shows exactly as typed in every place where
Streamlit renders Markdown (st.markdown, title, header, caption, messages, expander, checkbox, number
input and radio labels, metric, tab, button), with no link, image, emphasis, colour, icon, emoji, formula
or autolink. Streamlit's frontend does part of this on the parsed text (autolinks, shortcodes, arrows),
which backslashes alone do not stop; this test guards it across Streamlit upgrades."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import start_app
from tests.unit.test_md_escape import CONSTRUCTS

pytestmark = pytest.mark.e2e

SCRIPT = """
import streamlit as st
from app.ui.texts import md_escape
from tests.unit.test_md_escape import CONSTRUCTS

for i, text in enumerate(CONSTRUCTS):
    s = md_escape(text)
    with st.container(key=f"case{i}"):
        st.markdown(s)
        st.title(s)
        st.header(s)
        st.caption(s)
        st.info(s)
        with st.expander(s):
            st.text("-")
        st.checkbox(s, key=f"cb{i}")
        st.number_input(s, key=f"ni{i}")
        st.radio("-", [s], key=f"ra{i}")
        st.metric(s, s)
        st.tabs([s])
        st.button(s, key=f"bt{i}")
"""

FOUND = """(el) => ({
  links: [...el.querySelectorAll('a')].filter(a => !a.closest('[data-testid=stHeaderActionElements]'))
    .map(a => a.href),
  images: [...el.querySelectorAll('img')].map(i => i.src),
  markup: [...el.querySelectorAll('[data-testid=stMarkdownContainer] :is(strong, em, del, code, .katex,'
    + ' .stMarkdownColoredText, .stMarkdownColoredBackground, .stMarkdownBadge, span[role=img],'
    + ' ol, ul, li, blockquote, table, hr, h1, h2, h3, h4, h5, h6, span[style])')]
    .filter(x => !(/^H[1-6]$/.test(x.tagName) && x.closest('[data-testid=stHeading]')
                   && !x.parentElement.closest('h1, h2, h3, h4, h5, h6')))
    .map(x => x.tagName + ' ' + x.textContent),
  texts: [...el.querySelectorAll('[data-testid=stMarkdownContainer]')].map(x => x.innerText),
})"""


@pytest.fixture
def markdown_app(tmp_path):
    script = tmp_path / "markdown_inert.py"
    script.write_text(SCRIPT, encoding="utf-8")
    proc, url = start_app(None, script=script)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def _plain(text: str) -> list[str]:
    return re.sub(r"\s+", " ", text.replace("\u2060", "")).split()


def test_escaped_names_show_as_typed_in_every_markdown_place(markdown_app, page):
    page.goto(markdown_app)
    last = len(CONSTRUCTS) - 1
    page.locator(f".st-key-case{last} [data-testid=stButton]").wait_for(timeout=60_000)
    page.wait_for_timeout(1000)  # KaTeX and emoji load lazily: give them the time to (not) appear
    for i, text in enumerate(CONSTRUCTS):
        found = page.locator(f".st-key-case{i}").evaluate(FOUND)
        assert not found["links"] and not found["images"] and not found["markup"], (text, found)
        texts = [t for t in found["texts"] if t.strip() not in ("", "-")]
        assert len(texts) >= 11, (text, texts)  # each place above renders its own Markdown
        for shown in texts:
            assert _plain(shown) == _plain(text), (text, shown)
