"""Import a CSV or XLSX file: preview, every row error, all or nothing (as `python -m db import`)."""

import pandas as pd
import streamlit as st

from components import queries
from components.auth import require_page
from components.i18n import fmt_int, t
from db import kinds
from db.fileio import MAX_FILE_BYTES, read_table
from db.importer import import_file

MAX_ROWS = 200_000
PREVIEW_ROWS = 20

principal = require_page(st.session_state.get("principal"), "import")
st.title(t("import.title"))
st.caption(t("import.intro", rows=fmt_int(MAX_ROWS), megabytes=MAX_FILE_BYTES // 2**20))

kind_labels = {k: t(f"import.kind_{k}") for k in kinds.KINDS}
kind = st.selectbox(t("import.kind"), list(kinds.KINDS), format_func=kind_labels.__getitem__, key="imp_kind")
st.caption(
    t("import.columns", columns=", ".join(c.name + ("*" if c.required else "") for c in kinds.KINDS[kind].columns))
)
upload = st.file_uploader(t("import.file"), type=["csv", "xlsx"], key="imp_file")

if upload is not None:
    data = upload.getvalue()
    preview = read_table(upload.name, data, MAX_ROWS)
    if preview.problems:
        st.error(t("import.unreadable"))
        st.dataframe(
            pd.DataFrame(
                [
                    {t("import.row"): p.row, t("import.column"): p.column, t("import.message"): p.message}
                    for p in preview.problems
                ]
            ),
            hide_index=True,
        )
    else:
        st.subheader(t("import.preview", rows=fmt_int(len(preview.records))))
        header = [h.strip() or f"({i + 1})" for i, h in enumerate(preview.header)]
        sample = [cells + [""] * (len(header) - len(cells)) for _, cells in preview.records[:PREVIEW_ROWS]]
        st.dataframe(pd.DataFrame([c[: len(header)] for c in sample], columns=header), hide_index=True, width="stretch")
        if st.button(t("import.run"), type="primary", key="imp_run"):
            result = import_file(
                queries.engine(),
                kind,
                upload.name,
                data=data,
                label=upload.name,
                actor=principal.username,
                max_rows=MAX_ROWS,
            )
            if result.ok:
                queries.clear()
                st.success(t("import.done", added=result.added, updated=result.updated, unchanged=result.unchanged))
            else:
                st.error(t("import.refused", count=fmt_int(len(result.problems))))
                problems = sorted(result.problems, key=lambda p: p.row)
                st.dataframe(
                    pd.DataFrame(
                        [
                            {t("import.row"): p.row, t("import.column"): p.column, t("import.message"): p.message}
                            for p in problems
                        ]
                    ),
                    hide_index=True,
                    width="stretch",
                )
            if result.warnings:
                st.warning(t("import.warnings"))
                st.dataframe(
                    pd.DataFrame([{t("import.row"): w.row, t("import.message"): w.message} for w in result.warnings]),
                    hide_index=True,
                )
