"""Analyst: read-only SQL over the analysis tables (app/analysis/console.py: locked, read-only)."""

import streamlit as st

from app.analysis import console
from app.services import analysis
from app.ui import analysis as ui
from app.ui import session
from app.ui.session import tr

actor = session.current_actor()
st.title(tr("analysis.sql.heading"))
st.write(
    tr(
        "analysis.sql.intro",
        seconds=f"{console.DEFAULT_TIME_LIMIT_S:g}",
        rows=f"{console.DEFAULT_ROW_LIMIT:,}".replace(",", "."),
    )
)
ok, scope = session.call(analysis.analysis_scope, actor)
ws = ui.workspace(scope) if ok and scope is not None else None
if ws is None:
    st.stop()

with st.sidebar:
    st.header(tr("analysis.sql.schema"))
    for name, columns in console.schema().items():
        rows = ws.tables[name].num_rows if name in ws.tables else 0
        with st.expander(f"{name} ({rows:,})".replace(",", ".")):
            ui.inert("\n".join(f"{col}  {typ}" for col, typ in columns))

with st.form("sql_console"):
    sql = st.text_area(tr("analysis.sql.query"), value=console.EXAMPLE, height=180, key="sql_text")
    run = st.form_submit_button(tr("analysis.sql.run"), type="primary")

if run:
    result = console.run_query(ws.tables, sql)
    if not result.ok or result.table is None:
        st.error(tr(result.error_key or "analysis.sql.error", detail=result.detail))
    else:
        frame = result.table.to_pandas()
        st.caption(tr("analysis.sql.rows", n=len(frame), seconds=f"{result.seconds:.2f}"))
        if result.truncated:
            st.warning(
                tr(result.truncated_key or "analysis.sql.truncated", n=len(frame), detail=result.detail)
            )
        ui.table(frame, "query", "dl_sql")
