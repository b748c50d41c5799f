"""Every message key the domain and the services raise (``key="..."`` of an error) has a text in the
catalogue: otherwise the user sees the bare key (``error.count_not_integer``) instead of a message."""

from __future__ import annotations

import ast
from pathlib import Path

from app.ui.texts import CATALOGUE

ROOT = Path(__file__).resolve().parents[2]


def _message_keys() -> dict[str, str]:
    """key → where (file:line), for every call with a literal ``key=`` (also ``key=x or "..."``)."""
    found: dict[str, str] = {}
    for path in sorted(
        [*(ROOT / "app" / "domain").rglob("*.py"), *(ROOT / "app" / "services").rglob("*.py")]
    ):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                if kw.arg != "key":
                    continue
                values = kw.value.values if isinstance(kw.value, ast.BoolOp) else [kw.value]
                for v in values:
                    if isinstance(v, ast.Constant) and isinstance(v.value, str) and "." in v.value:
                        found.setdefault(v.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_message_key_raised_has_a_text():
    keys = _message_keys()
    assert len(keys) > 50  # the scan finds the errors it is meant to check
    missing = {k: where for k, where in keys.items() if k not in CATALOGUE}
    assert not missing, f"message keys without a text: {missing}"
