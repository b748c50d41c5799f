"""House rule 3: every validation rule has its row in docs/validation-rules.md and a test named after it."""

from __future__ import annotations

import re
from pathlib import Path

from app.domain.validation import RULES

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "validation-rules.md"
TESTS = ROOT / "tests" / "unit"
CODE = re.compile(r"^[FW]\.\d{3}$")


def doc_rows() -> dict[str, list[str]]:
    """The rule table: code -> its cells (code, severity, Dutch, English, fields, condition, tests)."""
    rows: dict[str, list[str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and CODE.match(cells[0]) and len(cells) == 7:
            assert cells[0] not in rows, f"{cells[0]} has two rows in {DOC.name}"
            rows[cells[0]] = cells
    return rows


def defined_test_names() -> set[str]:
    names: set[str] = set()
    for path in TESTS.glob("test_*.py"):
        names.update(re.findall(r"^def (test_\w+)\(", path.read_text(encoding="utf-8"), re.MULTILINE))
    return names


def slug(code: str) -> str:
    return code.lower().replace(".", "")  # F.201 -> f201


def test_there_are_rules_and_rows() -> None:
    assert len(RULES) >= 20
    assert len(doc_rows()) >= 20


def test_every_rule_code_has_a_row_in_the_docs() -> None:
    missing = sorted(set(RULES) - set(doc_rows()))
    assert not missing, f"rules without a row in docs/validation-rules.md: {missing}"


def test_every_documented_code_exists_in_the_code() -> None:
    unknown = sorted(set(doc_rows()) - set(RULES))
    assert not unknown, (
        f"docs/validation-rules.md lists codes app/domain/validation.py does not have: {unknown}"
    )


def test_every_rule_code_has_a_test_named_after_it() -> None:
    names = defined_test_names()
    missing = sorted(code for code in RULES if not any(n.startswith(f"test_{slug(code)}_") for n in names))
    assert not missing, f"rules without a test_<code>_... function in tests/unit: {missing}"


def test_tests_named_in_the_docs_exist_and_belong_to_the_code() -> None:
    names = defined_test_names()
    for code, cells in doc_rows().items():
        listed = re.findall(r"`(test_\w+)`", cells[6])
        assert listed, f"{code}: no test named in the docs"
        for name in listed:
            assert name in names, f"{code}: docs name {name}, which does not exist"
            assert name.startswith(f"test_{slug(code)}_"), f"{code}: {name} is not named after it"


def test_documented_texts_and_severity_match_the_code() -> None:
    for code, cells in doc_rows().items():
        if code not in RULES:
            continue  # reported by test_every_documented_code_exists_in_the_code
        rule = RULES[code]
        assert cells[1].startswith(rule.severity.value), f"{code}: severity differs"
        assert cells[2] == rule.text_nl, f"{code}: Dutch text differs from the docstring"
        assert cells[3] == rule.text_en, f"{code}: English text differs"
