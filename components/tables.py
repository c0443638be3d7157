"""Tables behind charts, and safe CSV downloads (labels, not codes)."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from components.i18n import t
from db.fileio import escape_cell


def safe_csv(data: pd.DataFrame) -> bytes:
    """CSV bytes for Excel (UTF-8 with BOM) with text cells made inert for spreadsheets."""
    safe = data.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(lambda v: escape_cell(v) if isinstance(v, str) else v)
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8-sig")


def data_behind(data: pd.DataFrame, file_stem: str, key: str) -> None:
    """An expander with the chart's table and a CSV download of it."""
    with st.expander(t("common.show_data")):
        st.dataframe(data, hide_index=True, width="stretch")
        st.download_button(
            t("common.download_csv"),
            data=safe_csv(data),
            file_name=f"{file_stem}.csv",
            mime="text/csv",
            key=f"download_{key}",
            icon=":material/download:",
        )
