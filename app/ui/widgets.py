"""Shared Streamlit widgets."""

from __future__ import annotations

import streamlit as st

from app.services.home import ElectionSummary
from app.ui.session import tr


def election_summary(rows: list[ElectionSummary]) -> None:
    if not rows:
        st.info(tr("home.no_election"))
        return
    st.dataframe(
        [
            {
                tr("home.elections"): f"{r.election_id} · {r.name}",
                "Datum / Date": r.election_date.strftime("%d-%m-%Y"),
                tr("home.municipalities"): f"{r.municipality_name} ({r.municipality_code})",
                tr("home.stations"): r.stations,
                "DSO/CSO": r.counting_method,
            }
            for r in rows
        ],
        hide_index=True,
        use_container_width=True,
    )


def inert(text: str | None) -> None:
    """Text shown exactly as it is (user text, addresses, figures): never markdown, never HTML."""
    if text:
        st.text(text)
