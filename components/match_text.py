"""Partner-matching reasons in the user's language, from db.matching's (key, params).

Templates live in the catalogues as `match.reason.<key>`; parameters are
formatted here (labels, country names, locale money) so no sentence needs a
plural form: counts stand apart ("Agreements in …: 3").
"""

from __future__ import annotations

from typing import Any

from components.i18n import country_name, fmt_money, label, t
from components.safe import md

_AREA_LISTS = ("areas", "agreement_areas", "priority_areas")


def _join(items: list[str]) -> str:
    return t("common.list_separator").join(items) if items else "—"


def _format(key: str, params: dict[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = dict(params)
    for name in _AREA_LISTS:
        if name in params:
            shown[name] = _join([label("area", a) for a in params[name] or []])
    if "regions" in params or "countries" in params:
        places = [label("region", r) for r in params.get("regions") or []]
        places += [country_name(c) for c in params.get("countries") or []]
        shown["places"] = _join(places)
    if "country" in params:
        shown["country"] = country_name(params["country"])
    for money in ("value_usd", "budget_usd"):
        if params.get(money) is not None:
            shown[money] = fmt_money(params[money], compact=params[money] >= 1_000_000)
    if "agreement_type" in params:
        shown["agreement_type"] = label("type", params["agreement_type"])
    if "mechanism" in params:
        shown["mechanism"] = label("funding", params["mechanism"])
    vocabulary = {"partner_type": "ptype", "other_partner_type": "ptype", "sector": "sector", "other_sector": "sector"}
    if key in vocabulary:
        for name in ("partner_type", "sector", "actual", "asked"):
            if name in params:
                shown[name] = label(vocabulary[key], params[name]) if params[name] else t("match.not_recorded")
    if "partner_id" in params:
        shown["partner_id"] = md(params["partner_id"])
    shown["since"] = t("match.since", year=params["since"]) if params.get("since") is not None else ""
    return shown


def render(key: str, params: dict[str, Any]) -> str:
    """One reason as a sentence in the current language."""
    return t(f"match.reason.{key}", **_format(key, params))
