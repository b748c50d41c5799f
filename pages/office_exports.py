"""Office: exports (station status, turnout timeline, incidents, counts per station) as Dutch Excel CSV
(``;`` + BOM, headers and coded values in the interface language) and plain CSV (``,``, the fixed English
columns and codes documented in app/exports/office.py)."""

import streamlit as st

from app.exports import office as exports
from app.services import office
from app.ui import office as ui
from app.ui import session
from app.ui.session import tr

actor = session.current_actor()
st.title(tr("office.exports.title"))
st.caption(tr("office.exports.intro"))
picked = ui.pick_election(actor)

EXPORTS = (
    ("status", office.export_station_status),
    ("turnout", office.export_turnout),
    ("incidents", office.export_incidents),
    ("counts", office.export_counts),
)

if picked is not None:
    election_id, municipality_code = picked
    for name, service in EXPORTS:
        ok, table = session.call(service, actor, election_id, municipality_code)
        if not ok or table is None:
            continue
        st.header(tr(f"office.exports.{name}"))
        st.caption(tr("office.exports.rows", n=len(table.rows)))
        cols = st.columns(2)
        base = f"{name}_{election_id}_{municipality_code}"
        headers, rows = ui.excel_table(name, table)
        cols[0].download_button(
            tr("office.exports.excel"),
            exports.to_csv(headers, rows, "csv-nl"),
            file_name=f"{base}_excel.csv",
            mime=exports.CSV_MIME,
            key=f"office_export_{name}_nl",
        )
        cols[1].download_button(
            tr("office.exports.csv"),
            exports.to_csv(table.columns, table.rows, "csv"),
            file_name=f"{base}.csv",
            mime=exports.CSV_MIME,
            key=f"office_export_{name}_csv",
        )
