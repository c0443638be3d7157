"""Staff section of an opportunity's media: the list with delete buttons, a file
upload (type- and size-checked by the data layer) and a video link form."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from components.i18n import LANGUAGE_NAMES, fmt_int, t
from components.opportunity_ui import field_error, general_error, kind_label, run_write
from db import opportunity_media, vocab
from db.access import Principal
from db.opportunity_vocab import FILE_KINDS


def media_section(principal: Principal, opportunity_id: int, media: list[dict[str, Any]]) -> None:
    """The media list, a delete button each, and the two add forms."""
    prefix = f"opm_{opportunity_id}_"
    if media:
        table = pd.DataFrame(
            [
                {
                    t("opportunity.col_kind"): kind_label(m["kind"]),
                    t("opportunity.col_file_or_link"): m["filename"] or m["url"],
                    t("opportunity.col_language"): LANGUAGE_NAMES.get(m["lang"] or "", "—"),
                    t("opportunity.col_size"): fmt_int(m["size_bytes"]) if m["size_bytes"] else "—",
                }
                for m in media
            ]
        )
        st.dataframe(table, hide_index=True, width="stretch")
        names = {m["id"]: f"{kind_label(m['kind'])}: {m['filename'] or m['url']}" for m in media}
        chosen = st.selectbox(t("opportunity.media_pick"), list(names), format_func=names.__getitem__,
                              key=f"{prefix}pick")  # fmt: skip
        st.button(t("opportunity.media_delete"), key=f"{prefix}delete", icon=":material/delete:",
                  on_click=run_write, args=(f"{prefix}del_", opportunity_media.delete_media, principal, chosen))  # fmt: skip
        general_error(f"{prefix}del_")
    else:
        st.caption(t("opportunity.no_media"))

    languages = {"": t("opportunity.any_language")} | {lang: LANGUAGE_NAMES[lang] for lang in vocab.LANGUAGES}
    kinds = {kind: kind_label(kind) for kind in FILE_KINDS}
    upload, video = st.columns(2)
    with upload, st.form(f"{prefix}upload", clear_on_submit=True):
        st.markdown(f"**{t('opportunity.media_upload')}**")
        st.selectbox(t("opportunity.col_kind"), list(kinds), format_func=kinds.__getitem__, key=f"{prefix}kind")
        st.selectbox(t("opportunity.col_language"), list(languages), format_func=languages.__getitem__,
                     key=f"{prefix}file_lang")  # fmt: skip
        st.file_uploader(t("opportunity.media_file"), key=f"{prefix}file", help=t("opportunity.media_file_help"),
                         type=["pdf", "docx", "odt", "png", "jpg", "jpeg", "pptx", "odp"])  # fmt: skip

        def add_file() -> None:
            state = st.session_state
            uploaded = state.get(f"{prefix}file")
            if uploaded is None:
                state[f"{prefix}up_errors"] = {"file": t("opportunity.media_no_file")}
                return
            run_write(f"{prefix}up_", opportunity_media.add_media_file, principal, opportunity_id,
                      state[f"{prefix}kind"], uploaded.name, uploaded.getvalue(), state[f"{prefix}file_lang"] or None)  # fmt: skip

        st.form_submit_button(t("opportunity.media_add"), on_click=add_file)
    with upload:
        field_error(f"{prefix}up_", "file")
        general_error(f"{prefix}up_")
    with video, st.form(f"{prefix}video", clear_on_submit=True):
        st.markdown(f"**{t('opportunity.media_video')}**")
        st.text_input(t("opportunity.media_url"), key=f"{prefix}url", max_chars=2000, placeholder="https://")
        st.selectbox(t("opportunity.col_language"), list(languages), format_func=languages.__getitem__,
                     key=f"{prefix}url_lang")  # fmt: skip

        def add_video() -> None:
            state = st.session_state
            run_write(f"{prefix}vid_", opportunity_media.add_video_link, principal, opportunity_id,
                      state.get(f"{prefix}url", ""), state[f"{prefix}url_lang"] or None)  # fmt: skip

        st.form_submit_button(t("opportunity.media_add"), on_click=add_video)
    with video:
        field_error(f"{prefix}vid_", "url")
        general_error(f"{prefix}vid_")
