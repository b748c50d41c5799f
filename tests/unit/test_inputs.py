"""app/domain/inputs: free text and whole numbers typed into forms, checked before PostgreSQL sees them."""

import pytest

from app.domain import inputs
from app.domain.errors import InvalidInput


@pytest.mark.parametrize("value", ["De deur\x00 klemt", "bel\x07", "esc\x1b[31m", "del\x7f", "lone \ud800"])
def test_text_refuses_control_characters_and_lone_surrogates(value):
    with pytest.raises(InvalidInput) as err:
        inputs.text(value, "note", max_length=1000)
    assert err.value.field == "note" and err.value.message_key == "error.text_characters"


def test_text_keeps_what_was_typed_with_tabs_line_breaks_emoji_and_rtl_marks():
    typed = "  Regel 1\r\nRegel\t2 🗳️ \u200fمرحبا  "
    assert inputs.text(typed, "note", max_length=1000) == typed.strip()


def test_a_name_is_one_line():
    with pytest.raises(InvalidInput) as err:
        inputs.text("Stembureau\nDe Hucht", "name", max_length=300, single_line=True)
    assert err.value.message_key == "error.text_characters"
    assert inputs.text(" De Hucht ", "name", max_length=300, single_line=True) == "De Hucht"


def test_text_length_emptiness_and_type():
    assert inputs.text("x" * 120, "name", max_length=120) == "x" * 120
    with pytest.raises(InvalidInput) as long:
        inputs.text("x" * 121, "name", max_length=120)
    assert long.value.message_key == "error.text_too_long" and long.value.params["limit"] == 120
    assert inputs.text("   ", "note", max_length=10) is None
    with pytest.raises(InvalidInput) as empty:
        inputs.text("   ", "name", max_length=10, required=True, required_key="admin.name_needed")
    assert empty.value.message_key == "admin.name_needed"
    with pytest.raises(InvalidInput) as wrong:
        inputs.text(b"bytes", "note", max_length=10)
    assert wrong.value.message_key == "error.text_expected"


def test_whole_number_bounds():
    assert inputs.whole_number(0, "electorate") == 0
    assert inputs.whole_number(inputs.MAX_INTEGER, "electorate") == inputs.MAX_INTEGER
    cases = [
        (inputs.MAX_INTEGER + 1, 0, "error.number_too_large"),
        (-1, 0, "error.non_negative_integer"),
        (0, 1, "error.positive_integer"),
        (2, 3, "error.number_at_least"),
        (True, 0, "error.count_not_integer"),
        (1.0, 0, "error.count_not_integer"),
        ("7", 0, "error.count_not_integer"),
    ]
    for value, minimum, key in cases:
        with pytest.raises(InvalidInput) as err:
            inputs.whole_number(value, "n", minimum=minimum)
        assert err.value.message_key == key and err.value.field == "n", value
