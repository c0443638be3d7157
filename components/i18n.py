"""Translation and locale formatting: every UI string goes through `t()`.

One JSON catalogue per language in components/locales/. Codes of the
vocabularies are labelled through keys `region.AFR`, `area.cybersecurity`,
`type.mou`, ... so the vocabularies in db/vocab.py stay the one source.
Numbers, money and dates are formatted with Babel for the current language.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

import pycountry
import streamlit as st
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_compact_currency, format_currency, format_decimal, format_percent

from db.vocab import LANGUAGES

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "en"
LANGUAGE_KEY = "lang"
# Names of the languages in themselves, for the switch.
LANGUAGE_NAMES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
# Babel locales: Chinese is shown in simplified script.
_BABEL_LOCALES = {"zh": "zh_Hans_CN", "ar": "ar", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(language: str) -> dict[str, str]:
    """The key -> text catalogue of a language."""
    with (LOCALES_DIR / f"{language}.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def current_language() -> str:
    language = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values: object) -> str:
    """The text of `key` in the current language (English where a text is missing)."""
    text = catalogue(current_language()).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def label(vocabulary: str, code: str | None) -> str:
    """Translated label of a vocabulary code, e.g. label('region', 'AFR')."""
    if code is None or code == "":
        return "—"
    return t(f"{vocabulary}.{code}")


def labels(vocabulary: str, codes: list[str] | tuple[str, ...], empty: str = "—") -> dict[str, str]:
    """code -> translated label, for widget `format_func=labels(...).__getitem__`
    (a dict keeps the labels of this run; a closure would read the language later)."""
    return {code: label(vocabulary, code) if code else empty for code in codes}


def country_name(iso3: str | None) -> str:
    """A country's name in the current language (Babel), from its ISO3 code;
    historic codes (ISO 3166-3) fall back to pycountry's English name."""
    if not iso3:
        return "—"
    return _country_names(babel_locale()).get(iso3.upper(), iso3.upper())


@lru_cache(maxsize=len(LANGUAGES))
def _country_names(locale: str) -> dict[str, str]:
    territories = Locale.parse(locale).territories
    names = {}
    for country in pycountry.countries:
        names[country.alpha_3] = territories.get(country.alpha_2, country.name)
    for country in pycountry.historic_countries:
        names.setdefault(country.alpha_3, country.name)
    return names


def babel_locale(language: str | None = None) -> str:
    return _BABEL_LOCALES[language or current_language()]


def is_rtl(language: str | None = None) -> bool:
    return Locale.parse(babel_locale(language)).text_direction == "rtl"


def fmt_int(value: int | float) -> str:
    return format_decimal(value, format="#,##0", locale=babel_locale())


def fmt_money(value: float, compact: bool = False) -> str:
    """USD in the current locale; `compact` gives e.g. "$36.6M" for cards."""
    if compact:
        return format_compact_currency(value, "USD", locale=babel_locale(), fraction_digits=1)
    return format_currency(value, "USD", locale=babel_locale())


def fmt_percent(value: float) -> str:
    return format_percent(value, format="#,##0.0%", locale=babel_locale())


def fmt_date(value: date | None) -> str:
    if value is None:
        return "—"
    text = format_date(value, format="medium", locale=babel_locale())
    if is_rtl():
        # Babel's right-to-left marks inside "07‏/12‏/2017" make data grids draw
        # "072017/12/"; an isolated left-to-right run shows the date whole.
        text = "\u2066" + text.translate(_BIDI_MARKS) + "\u2069"
    return text


_BIDI_MARKS = {0x200E: None, 0x200F: None, 0x061C: None}
