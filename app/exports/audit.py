"""The audit log as CSV. Columns (fixed): id, occurred_at (ISO 8601 with offset), actor_kind, actor_id,
actor_name, municipality_code, election_id, polling_station_id, action, entity, entity_id, before,
after (both JSON)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from app.exports.cells import inert


def audit_csv(rows: list[Any]) -> str:
    from app.services.audit_view import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in rows:
        values = []
        for c in COLUMNS:
            v = getattr(r, c)
            if c in ("before", "after"):
                v = "" if v is None else json.dumps(v, ensure_ascii=False, sort_keys=True)
            elif c == "occurred_at":
                v = v.isoformat()
            values.append("" if v is None else v)
        writer.writerow([inert(v) for v in values])  # a formula would run in a spreadsheet (cells.py)
    return out.getvalue()
