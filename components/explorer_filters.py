"""The explorer's filter panel: widgets with facet counts, kept in the address."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components import queries
from components.i18n import country_name, label, t
from db import vocab
from db.access import Principal
from db.explorer import AgreementFilter

PREFIX = "ex_"
# filter field -> (URL parameter, vocabulary for labels or None, all codes or None)
LIST_FACETS: dict[str, tuple[str, str | None, tuple[str, ...] | None]] = {
    "regions": ("region", "region", vocab.REGIONS),
    "areas": ("area", "area", vocab.AREAS),
    "types": ("type", "type", vocab.AGREEMENT_TYPES),
    "partner_types": ("ptype", "ptype", vocab.PARTNER_TYPES),
    "sectors": ("sector", "sector", vocab.SECTORS),
    "statuses": ("status", "status", vocab.AGREEMENT_STATUSES),
    "kinds": ("kind", "kind", ("new", "amendment")),
    "countries": ("country", None, None),
    "partners": ("partner", None, None),
}


def _list_param(name: str) -> list[str]:
    return [v for v in (st.query_params.get(name) or "").split(",") if v]


def _seed(principal: Principal, first: int, last: int) -> None:
    """Fill the widgets from the address once per session (a shared link reopens the view)."""
    if st.session_state.get(f"{PREFIX}seeded"):
        return
    for field, (param, _vocabulary, codes) in LIST_FACETS.items():
        values = _list_param(param)
        if codes is not None:
            by_lower = {c.lower(): c for c in codes}
            values = [by_lower[v.lower()] for v in values if v.lower() in by_lower]
        # Seeds are the widgets' defaults; writing the widget keys themselves
        # showed in the script but not in the browser's multiselects.
        st.session_state[PREFIX + "seed_" + field] = values
    if not st.session_state[PREFIX + "seed_regions"] and principal.region and "region" not in st.query_params:
        st.session_state[PREFIX + "seed_regions"] = [principal.region]
    start = _int(st.query_params.get("from")) or first
    end = _int(st.query_params.get("to")) or last
    st.session_state[PREFIX + "period_seed"] = (min(max(start, first), last), max(min(end, last), first))
    st.session_state[PREFIX + "seed_q"] = (st.query_params.get("q") or "")[:200]
    # Passed as the widgets' initial values (not set in session state, which would
    # clash with a nullable number input's default).
    st.session_state[PREFIX + "value_seed"] = (_float(st.query_params.get("vmin")), _float(st.query_params.get("vmax")))
    st.session_state[PREFIX + "seeded"] = True


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def current_filter(principal: Principal, first: int, last: int) -> AgreementFilter:
    """The filter the widgets hold (from the last run, or the address on the first)."""
    _seed(principal, first, last)
    state = st.session_state
    start, end = state.get(PREFIX + "period", state[PREFIX + "period_seed"])
    seed_min, seed_max = state[PREFIX + "value_seed"]
    vmin, vmax = state.get(PREFIX + "vmin", seed_min), state.get(PREFIX + "vmax", seed_max)
    return AgreementFilter(
        year_from=start,
        year_to=end,
        text=state.get(PREFIX + "q", state[PREFIX + "seed_q"]) or "",
        value_min_cents=round(vmin * 100) if vmin is not None else None,
        value_max_cents=round(vmax * 100) if vmax is not None else None,
        **{field: _codes(field, state.get(PREFIX + field, state[PREFIX + "seed_" + field])) for field in LIST_FACETS},
    )


def _codes(field: str, values: list | None) -> tuple[str, ...]:
    """The chosen options as codes. A browser sends back the label it showed, and
    the labels carry counts: once another filter changes a count, Streamlit no
    longer finds the old label among the options and hands it over as text.
    Every label this session was shown maps back to its code."""
    shown = st.session_state.get(PREFIX + "labels_" + field, {})
    return tuple(dict.fromkeys(shown.get(value, value) for value in values or ()))


def _labeller(field: str, vocabulary: str | None, names: dict[str, str]) -> Callable[[str], str]:
    if vocabulary == "kind":
        return lambda code: t(f"explorer.kind_{code}")
    if vocabulary:
        return lambda code: label(vocabulary, code)
    if field == "countries":
        return country_name
    return lambda code: names.get(code, code)


def filter_panel(f: AgreementFilter, first: int, last: int) -> None:
    """Render the widgets; each option shows its count under the other filters."""
    facets = queries.explorer_facets(f)
    partner_ids = tuple(set(facets["partners"]) | set(f.partners))
    names = queries.partner_names(partner_ids)
    top = st.columns([3, 2])
    years = list(range(first, last + 1))
    with top[0]:
        st.select_slider(
            t("filters.period"), options=years, value=st.session_state[PREFIX + "period_seed"], key=PREFIX + "period"
        )
    with top[1]:
        st.text_input(
            t("explorer.search"),
            value=st.session_state[PREFIX + "seed_q"],
            key=PREFIX + "q",
            max_chars=200,
            placeholder=t("explorer.search_hint"),
        )
    columns = st.columns(3)
    for index, (field, (_param, vocabulary, codes)) in enumerate(LIST_FACETS.items()):
        counts = facets[field]
        chosen = list(getattr(f, field))
        options = (
            list(codes) if codes is not None else sorted(set(counts) | set(chosen), key=lambda c: -counts.get(c, 0))
        )
        name_of = _labeller(field, vocabulary, names)
        shown = {code: f"{name_of(code)} ({counts.get(code, 0)})" for code in options}
        labels = st.session_state.setdefault(PREFIX + "labels_" + field, {})
        labels.update({text: code for code, text in shown.items()})
        with columns[index % 3]:
            st.multiselect(
                t(f"explorer.facet_{field}"),
                options,
                default=st.session_state[PREFIX + "seed_" + field],
                key=PREFIX + field,
                format_func=shown.__getitem__,
                placeholder=t("explorer.any"),
            )
    low, high = st.columns(2)
    seed_min, seed_max = st.session_state[PREFIX + "value_seed"]
    low.number_input(
        t("explorer.value_min"), min_value=0.0, value=seed_min, step=10000.0, key=PREFIX + "vmin", format="%.2f"
    )
    high.number_input(
        t("explorer.value_max"), min_value=0.0, value=seed_max, step=10000.0, key=PREFIX + "vmax", format="%.2f"
    )


def keep_in_url(f: AgreementFilter, sort: str, page: int) -> None:
    """Write the filter into the address so a copied link reopens this view."""
    params = {"from": str(f.year_from), "to": str(f.year_to), "sort": sort, "page": str(page)}
    for field, (param, _vocabulary, _codes) in LIST_FACETS.items():
        if getattr(f, field):
            params[param] = ",".join(getattr(f, field))
    if f.text:
        params["q"] = f.text
    if f.value_min_cents is not None:
        params["vmin"] = f"{f.value_min_cents / 100:.2f}"
    if f.value_max_cents is not None:
        params["vmax"] = f"{f.value_max_cents / 100:.2f}"
    lang = st.query_params.get("lang")
    if lang:
        params["lang"] = lang
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
