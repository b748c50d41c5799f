"""Names from imported files and admins are shown exactly as typed wherever Streamlit renders Markdown:
``md_escape``, the catalogue's ``t_md`` and ``error_md`` (app/ui/texts/__init__.py)."""

from __future__ import annotations

import pytest

from app.domain.errors import InvalidInput
from app.ui.texts import Md, error_md, error_text, md_escape, t, t_md
from tests.inert_markdown import assert_inert, shown

HOSTILE = "[klik](https://evil.example) ![x](https://evil.example/p.png) **vet** :red[rood] $x$"

#: Every construct of GitHub-flavoured Markdown and of Streamlit's additions, as a name could hold it.
CONSTRUCTS = [
    HOSTILE,
    "[ref][1]\n\n[1]: https://evil.example",
    "<https://evil.example> <img src=x onerror=alert(1)> <b>vet</b> &lt;b&gt; &amp; &#65;",
    "_schuin_ *schuin* `code` ``code`` ~~weg~~ ~weg~ __vet__",
    "# kop\n## kop\nkop\n===\nkop\n---\n***\n- - -",
    "1. lijst\n12) lijst\n- item\n+ item\n* item\n  - ingesprongen\n> citaat\n- [ ] taak",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "back\\slash \\*x\\* regel\\\neinde",
    "$$\nx^2\n$$ en $y$ en \\$ en $5 en 5$",
    ":smile: :+1: :-1: :100: :1234: :streamlit: :material/home: :material_home:",
    ":red :small[s] :help :red-badge[b] :blue-background[b] ::red[x] :::red\nx\n::: a:red",
    "https://evil.example http://evil.example www.evil.example WWW.evil.example mail@evil.example",
    "Noord -> Zuid <- <-> -- >= <= ~= einde",
    "[klik](javascript:alert(1)) [klik]( https://evil.example ) [a\\](b)",
]


@pytest.mark.parametrize("text", CONSTRUCTS)
def test_every_markdown_construct_is_shown_as_typed(text):
    escaped = md_escape(text)
    assert isinstance(escaped, Md)
    shown_text = shown(escaped)  # asserts plain text: no link, image, emphasis, list, directive...
    # Markdown joins the lines of a paragraph; every character typed is shown, none added
    assert shown_text.split() == text.split()


@pytest.mark.parametrize(
    "text",
    [
        "10:00",
        "12:34:56",
        "1.058,82",
        "-5",
        "+1,2",
        "2026-03-18",
        "18-03-2026",
        "45,3 %",
        "GM0392",
        "GR2026",
        "F.D. Wamel",
        "W.201",
        "Stembureau 12 Stadhuis",
        "Boven-Leeuwen",
        "a.b-c",
    ],
)
def test_numbers_times_dates_and_plain_names_stay_as_they_are(text):
    assert md_escape(text) == text


def test_escaping_twice_changes_nothing():
    once = md_escape(HOSTILE)
    assert md_escape(once) == once
    assert_inert(once, HOSTILE)


def test_t_md_escapes_the_values_and_keeps_numbers_and_catalogue_texts():
    heading = t_md("home.chair.heading", "nl", number=3, name=HOSTILE)
    assert isinstance(heading, Md)
    assert heading == t("home.chair.heading", "nl", number=3, name=md_escape(HOSTILE))
    assert_inert(heading, f"Stembureau 3: {HOSTILE}")
    # a number keeps its format; a catalogue text filled into another is escaped once (not twice)
    assert t_md("home.chair.members", "nl", n=4) == t("home.chair.members", "nl", n=4)
    role = t_md("role.chair", "nl")
    assert t_md("app.signed_in_as", "nl", name="A_B", role=role) == (
        t("app.signed_in_as", "nl", name="A\\_B", role=t("role.chair", "nl"))
    )
    # an unknown key still shows the key, and a text without values is the catalogue text
    assert t_md("no.such.key", "nl", name=HOSTILE) == "no.such.key"
    assert t_md("app.sign_out", "en") == t("app.sign_out", "en")


def test_error_md_escapes_what_an_error_quotes_and_error_text_stays_plain():
    err = InvalidInput(
        "dup", field="checklist_items", key="admin.duplicate_checklist_key", line=3, item=HOSTILE, first=1
    )
    assert HOSTILE in error_text(err, "nl")  # the command line shows it as it is
    assert HOSTILE not in error_md(err, "nl")
    assert_inert(error_md(err, "nl"), HOSTILE)
