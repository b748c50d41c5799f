"""The audit log: filter by station (its number), user, kind and time; export as CSV. Scoped to the
municipality."""

import datetime as dt
from zoneinfo import ZoneInfo

import streamlit as st

from app.services import audit_view
from app.ui import session
from app.ui.session import tr

TZ = ZoneInfo("Europe/Amsterdam")


def kind_label(action: str | None) -> str:
    """The kind of action in the current language; an action without a text shows its key."""
    if action is None:
        return tr("audit.any")
    key = f"auditlog.kind.{action}"
    text = tr(key)
    return action if text == key else text


actor = session.current_actor()
st.title(tr("audit.heading"))

ok, actions = session.call(audit_view.audit_actions, actor)
c1, c2, c3 = st.columns(3)
station = c1.number_input(
    tr("auditlog.station_number"),
    min_value=1,
    max_value=99_999,
    step=1,
    value=None,  # empty: every station (and what concerns none)
    placeholder=tr("auditlog.station_all"),
    help=tr("auditlog.station_number_help"),
    key="aud_station",
)
user = c2.text_input(tr("audit.user"), max_chars=120, key="aud_user")
action = c3.selectbox(
    tr("audit.action"),
    [None, *sorted(actions or [], key=kind_label)],
    format_func=kind_label,
    placeholder=tr("auditlog.choose"),
    key="aud_action",
)
d1, d2 = st.columns(2)
today = dt.datetime.now(TZ).date()
since = d1.date_input(
    tr("audit.since"), value=today - dt.timedelta(days=7), format="DD-MM-YYYY", key="aud_since"
)
until = d2.date_input(tr("audit.until"), value=today, format="DD-MM-YYYY", key="aud_until")
filters = {
    "station_number": int(station) if station is not None else None,
    "user": user or None,
    "action": action,
    "since": dt.datetime.combine(since, dt.time(0), tzinfo=TZ),
    "until": dt.datetime.combine(until + dt.timedelta(days=1), dt.time(0), tzinfo=TZ),
}
shown = audit_view.PAGE_ROWS
ok, rows = session.call(audit_view.list_audit, actor, limit=shown + 1, **filters)
if ok:
    rows = rows or []
    if len(rows) > shown:  # more than the page shows: say so, or the filters seem not to work
        rows = rows[:shown]
        st.caption(tr("audit.rows_capped", n=shown))
    else:
        st.caption(tr("audit.rows", n=len(rows)))
    st.dataframe(
        [
            {
                tr("auditlog.col.time"): r.occurred_at.astimezone(TZ).strftime("%d-%m-%Y %H:%M:%S"),
                tr("auditlog.col.who"): f"{r.actor_name or ''} ({r.actor_id or r.actor_kind})",
                tr("auditlog.col.municipality"): r.municipality_code or "",
                tr("auditlog.col.station"): (
                    tr("auditlog.empty") if r.station_number is None else str(r.station_number)
                ),
                tr("auditlog.col.action"): kind_label(r.action),
                tr("auditlog.col.object"): f"{r.entity or ''} {r.entity_id or ''}".strip(),
                tr("auditlog.col.before"): audit_view.values_text(r.before),
                tr("auditlog.col.after"): audit_view.values_text(r.after),
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
        placeholder="–",
    )
    if st.button(tr("audit.export"), key="aud_export"):
        ok, data = session.call(audit_view.export_audit_csv, actor, **filters)
        if ok and data is not None:
            st.download_button(tr("audit.download"), data, file_name="stemdag-audit.csv", mime="text/csv")
