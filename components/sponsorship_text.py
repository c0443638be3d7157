"""Texts of the sponsorship pages: plain-text safety, money from cents, and the
sentences that explain each discount, in the current language or a given one
(the quote PDF is written in the requester's language).
"""

from __future__ import annotations

from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency, format_percent

from components.i18n import DEFAULT_LANGUAGE, babel_locale, catalogue, current_language, is_rtl
from components.safe import md as safe_md
from db.pricing import BP_PER_WHOLE, Discount

# User text in Markdown: the project's one escaping rule (every ASCII punctuation character).
md = safe_md


def tr(lang: str | None, key: str, **values: object) -> str:
    """t() in language `lang` (the current one when None), English where a text is missing."""
    lang = lang or current_language()
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def money(cents: int | None, lang: str | None = None, whole: bool = False) -> str:
    """Integer cents of USD shown in `lang`'s format (e.g. "$45,000.00", "45 000,00 $US").

    `whole`: an amount of whole dollars is shown without its ",00" (metric cards);
    any other amount keeps its cents. In a right-to-left language the amount is
    an isolated left-to-right run, so "US$" stays after the digits.
    """
    if cents is None:
        return "—"
    locale = babel_locale(lang)
    if whole and cents % 100 == 0:
        pattern = Locale.parse(locale).currency_formats["standard"].pattern.replace(".00", "")
        text = format_currency(cents // 100, "USD", format=pattern, currency_digits=False, locale=locale)
    else:
        text = format_currency(Decimal(cents) / 100, "USD", locale=locale)
    return f"\u2066{text}\u2069" if is_rtl(lang) else text


def percent(percent_bp: int, lang: str | None = None) -> str:
    """Basis points as a percentage in `lang`'s format ("10 %", "5,5 %")."""
    return format_percent(Decimal(percent_bp) / BP_PER_WHOLE, format="#,##0.##%", locale=babel_locale(lang))


# rule kind -> key of the sentence explaining it (the *_open variant: open events only)
REASON_KEYS = {
    "sector-member": "sponsor.reason_sector_member",
    "multi-count": "sponsor.reason_multi_count",
    "multi-total": "sponsor.reason_multi_total",
}
OPEN_ONLY_KEY = "sponsor.reason_open_only"


def discount_reason(discount: Discount, lang: str | None = None) -> str:
    """Why a discount was given, e.g. "ITU-D Sector Member: 10 % (open events and meetings)"."""
    params = discount.params
    text = tr(
        lang,
        REASON_KEYS.get(discount.reason, "sponsor.reason_sector_member"),
        percent=percent(discount.percent_bp, lang),
        count=params.get("units") or 0,
        minimum=params.get("min_packages") or 0,
        total=money(params.get("min_total_cents"), lang),
    )
    if params.get("open_events_only"):
        text = f"{text} {tr(lang, OPEN_ONLY_KEY)}"
    return text


def rule_summary(
    kind: str, percent_bp: int, min_packages: int | None, min_total_cents: int | None, open_only: bool
) -> str:
    """A rule as one sentence in the current language (the staff's rule list)."""
    discount = Discount(0, kind, percent_bp, 0, 0, {
        "units": min_packages or 0, "min_packages": min_packages, "min_total_cents": min_total_cents,
        "open_events_only": open_only,
    })  # fmt: skip
    return discount_reason(discount)
