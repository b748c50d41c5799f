"""Analyst: read-only SQL over the analysis tables (app/analysis/console.py: locked, read-only)."""

import streamlit as st

from app.analysis import console, console_worker
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
    result = console_worker.run(ws.tables, sql)  # in a process of its own (memory, time)
    if not result.ok or result.frame is None or result.downloads is None:
        st.error(tr(result.error_key or "analysis.sql.error", detail=result.detail))
    else:
        frame = result.frame
        st.caption(tr("analysis.sql.rows", n=len(frame), seconds=f"{result.seconds:.2f}"))
        if result.truncated:
            st.warning(
                tr(result.truncated_key or "analysis.sql.truncated", n=len(frame), detail=result.detail)
            )
        if result.renamed:
            renamed = ", ".join(f"{given} → {new}" for given, new in result.renamed)
            st.caption(tr("analysis.sql.renamed", detail=renamed))
        if result.as_text:
            st.caption(tr("analysis.sql.as_text", detail=", ".join(f"{c} ({k})" for c, k in result.as_text)))
        # the catalogue's labels, unless two columns would get the same one (votes and votes_a are both
        # "Stemmen" here, where no election fills in the label): then the query's own, unique, names
        labels = ui.column_labels(list(frame.columns))
        if len(set(labels.values())) < len(labels):
            labels = {c: c for c in frame.columns}
        try:
            st.dataframe(ui.display(frame, labels=labels), hide_index=True, width="stretch", placeholder="–")
        except Exception as err:  # the last guard: a value the grid still cannot show is a message
            st.error(tr("analysis.sql.unsupported_type", detail=f"{type(err).__name__}: {err}"[:300]))
        downloads = result.downloads  # written by with_downloads (CSV from this frame, Parquet from Arrow)
        ui.download_buttons(
            None, "query", "dl_sql", ready=(downloads.csv, downloads.csv_excel_nl, downloads.parquet)
        )
