"""Staff forms of an opportunity: create and edit, with a tab per language.

English is required; the other languages are optional, each with its own
translation status (a draft is not published: English is shown instead).
Submits run in callbacks so each field shows its own error on the rerun; an
edit saves over the version the form was opened with. Each widget opens on the
stored value as its own default, never through session_state (a rerun that
interrupts the page's first run would otherwise send back the browser's
still-empty widget, and a save would store it).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from components import forms
from components.forms import option_index, widget_prefix
from components.i18n import LANGUAGE_NAMES, country_name, labels, t
from components.opportunity_ui import field_error, general_error, run_write, status_label
from db import opportunities, vocab
from db.access import Principal
from db.cells import cents_to_text
from db.opportunity_vocab import SOURCE_LANGUAGE, STATUSES, TRANSLATION_STATUSES

MONEY = ("budget_usd", "funding_sought_usd", "funding_secured_usd")
LISTS = ("areas", "regions", "countries")
TEXT_PARTS = ("title", "summary", "translation_status")


def _initial(detail: dict[str, Any] | None) -> dict[str, Any]:
    if detail is None:
        return {"status": "concept", "areas": [], "regions": [], "countries": [], "texts": {}}
    values = {name: cents_to_text(detail[name]) or "" for name in MONEY}
    values |= {name: list(detail[name]) for name in LISTS}
    return values | {"status": detail["status"], "contact_officer": detail["contact_officer"] or "",
                     "texts": detail["texts"]}  # fmt: skip


def form_values(prefix: str, with_code: bool) -> dict[str, Any]:
    """The form's widgets as the data layer's values."""
    state, keys = st.session_state, widget_prefix(prefix)
    values: dict[str, Any] = {
        name: state.get(f"{keys}{name}") for name in ("status", *MONEY, "contact_officer", *LISTS)
    }
    if with_code:
        values["code"] = state.get(f"{keys}code", "")
    values["texts"] = {
        lang: {
            "title": state.get(f"{keys}title_{lang}", ""),
            "summary": state.get(f"{keys}summary_{lang}", ""),
            "translation_status": "reviewed"
            if lang == SOURCE_LANGUAGE
            else state.get(f"{keys}translation_status_{lang}"),
        }
        for lang in vocab.LANGUAGES
    }
    return values


def forget(prefix: str) -> None:
    """Drop the form's widgets and opened version so it reopens on the saved record."""
    forms.forget(prefix, keep=("done",))


def _common_fields(prefix: str, with_code: bool, initial: dict[str, Any]) -> None:
    keys = widget_prefix(prefix)
    statuses = {s: status_label(s) for s in STATUSES}
    left, right = st.columns(2)
    with left:
        if with_code:
            st.text_input(t("opportunity.field_code"), key=f"{keys}code", max_chars=64, help=t("opportunity.code_help"))
            field_error(prefix, "code")
        st.selectbox(t("opportunity.field_status"), STATUSES, index=option_index(STATUSES, initial.get("status")),
                     key=f"{keys}status", format_func=statuses.__getitem__, help=t("opportunity.status_help"))  # fmt: skip
        field_error(prefix, "status")
        st.text_input(t("opportunity.field_contact_officer"), value=initial.get("contact_officer", ""),
                      key=f"{keys}contact_officer", max_chars=64)  # fmt: skip
        field_error(prefix, "contact_officer")
    with right:
        for name in MONEY:
            st.text_input(t(f"opportunity.field_{name}"), value=initial.get(name, ""), key=f"{keys}{name}",
                          max_chars=20, help=t("forms.value_usd_help"))  # fmt: skip
            field_error(prefix, name)
    names = {"areas": labels("area", vocab.AREAS), "regions": labels("region", vocab.REGIONS),
             "countries": {c: country_name(c) for c in sorted(vocab.country_codes())}}  # fmt: skip
    for name, column in zip(LISTS, st.columns(3), strict=True):
        with column:
            stored = [code for code in initial.get(name, []) if code in names[name]]
            st.multiselect(t(f"opportunity.field_{name}"), list(names[name]), default=stored, key=f"{keys}{name}",
                           format_func=names[name].__getitem__, placeholder=t("opportunity.choose"))  # fmt: skip
            field_error(prefix, name)


def _language_tabs(prefix: str, stored: dict[str, Any]) -> None:
    keys = widget_prefix(prefix)
    translation = {s: t(f"opportunity.translation_{s}") for s in TRANSLATION_STATUSES}
    languages = [SOURCE_LANGUAGE, *(lang for lang in vocab.LANGUAGES if lang != SOURCE_LANGUAGE)]
    for lang, tab in zip(languages, st.tabs([LANGUAGE_NAMES[lang] for lang in languages]), strict=True):
        text = stored.get(lang) or {}
        with tab:
            st.text_input(t("opportunity.field_title"), value=text.get("title", ""), key=f"{keys}title_{lang}",
                          max_chars=500)  # fmt: skip
            field_error(prefix, f"title.{lang}")
            st.text_area(t("opportunity.field_summary"), value=text.get("summary") or "", key=f"{keys}summary_{lang}",
                         max_chars=10_000, height=150)  # fmt: skip
            field_error(prefix, f"summary.{lang}")
            if lang != SOURCE_LANGUAGE:
                status = text.get("translation_status", "draft")
                st.selectbox(t("opportunity.field_translation_status"), TRANSLATION_STATUSES,
                             index=option_index(TRANSLATION_STATUSES, status), key=f"{keys}translation_status_{lang}",
                             format_func=translation.__getitem__, help=t("opportunity.translation_help"))  # fmt: skip


def _errors_elsewhere(prefix: str) -> None:
    """Name the languages whose tab holds an error (a closed tab hides it)."""
    errors = st.session_state.get(f"{prefix}errors", {})
    tabs = sorted({field.split(".", 1)[1] for field in errors if "." in field})
    if tabs:
        st.error(t("opportunity.errors_in_tabs", languages=", ".join(LANGUAGE_NAMES[lang] for lang in tabs
                                                                         if lang in LANGUAGE_NAMES)))  # fmt: skip


def new_opportunity_form(principal: Principal) -> None:
    """Create an opportunity; on success it is selected for editing."""
    prefix = "opn_"
    initial = _initial(None)

    def submit() -> None:
        run_write(prefix, opportunities.create_opportunity, principal, form_values(prefix, True))
        created = st.session_state.get(f"{prefix}done")
        if created:
            forget(prefix)
            st.session_state["opa_selected"] = created

    with st.form(f"{prefix}form"):
        _common_fields(prefix, True, initial)
        _language_tabs(prefix, initial["texts"])
        st.form_submit_button(t("opportunity.create"), type="primary", on_click=submit)
    _errors_elsewhere(prefix)
    general_error(prefix)
    if st.session_state.get(f"{prefix}done"):
        st.success(t("opportunity.created"))


def edit_opportunity_form(principal: Principal, detail: dict[str, Any]) -> None:
    """Edit an opportunity over the version it was opened with."""
    prefix = f"ope_{detail['id']}_"
    version_key = f"{prefix}opened_version"
    st.session_state.setdefault(version_key, detail["version"])
    initial = _initial(detail)

    def submit() -> None:
        run_write(prefix, opportunities.update_opportunity, principal, detail["id"], form_values(prefix, False),
                  st.session_state[version_key])  # fmt: skip
        if st.session_state.get(f"{prefix}done"):
            forget(prefix)

    with st.form(f"{prefix}form"):
        _common_fields(prefix, False, initial)
        _language_tabs(prefix, initial["texts"])
        st.form_submit_button(t("opportunity.save"), type="primary", on_click=submit)
    _errors_elsewhere(prefix)
    general_error(prefix)
    if st.session_state.get(f"{prefix}done"):
        st.success(t("opportunity.saved"))
    if st.session_state.get(f"{prefix}errors", {}).get("-") == t("opportunity.stale") and st.button(
        t("forms.reload"), key=f"{prefix}reload"
    ):
        forget(prefix)
        st.rerun()
