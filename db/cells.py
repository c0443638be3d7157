"""Cell parsers of the file format: text in, a typed value or a clear message out.

Each parser takes a trimmed, unescaped, non-empty cell and returns the value
or raises `CellError`. The same parsers serve imports and the app's forms, so
both refuse the same things with the same words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import date
from decimal import Decimal

from db import vocab

MAX_NAME = 500
MAX_TEXT = 10_000
MAX_MONEY_DIGITS = 13  # below 10 trillion: ample for USD and fits BIGINT cents

_ID = re.compile(r"[A-Za-z0-9._/-]{1,64}")
_USERNAME = re.compile(r"[a-z0-9._-]{3,64}")
_MONEY = re.compile(r"(\d+)(?:\.(\d{1,2}))?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


class CellError(ValueError):
    """A cell's value is refused; the message says why, for a person."""


def parse_id(text: str) -> str:
    if not _ID.fullmatch(text):
        raise CellError(f"{text!r} is not a valid id (1-64 letters, digits or - _ . /)")
    return text


def parse_name(text: str) -> str:
    if len(text) > MAX_NAME:
        raise CellError(f"is {len(text)} characters long; at most {MAX_NAME} are allowed")
    return text


def parse_text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise CellError(f"is {len(text)} characters long; at most {MAX_TEXT} are allowed")
    return text


def parse_username(text: str) -> str:
    value = text.lower()
    if not _USERNAME.fullmatch(value):
        raise CellError(f"{text!r} is not a valid username (3-64 of a-z 0-9 . _ -)")
    return value


def parse_bool(text: str) -> bool:
    value = text.lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(f"{text!r} is not a boolean (true/false, yes/no, 1/0)")


def parse_date(text: str) -> date:
    if not _DATE.fullmatch(text):
        raise CellError(f"{text!r} is not a date in YYYY-MM-DD form")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CellError(f"{text!r} is not a real date") from None


def parse_money_cents(text: str) -> int:
    """Plain decimal USD with at most 2 decimals -> integer cents."""
    match = _MONEY.fullmatch(text)
    if not match:
        if text.startswith("-"):
            raise CellError(f"{text!r} is negative; amounts cannot be")
        raise CellError(f"{text!r} is not an amount (digits with '.' and at most 2 decimals, no separators)")
    whole, fraction = match.group(1), match.group(2) or ""
    if len(whole.lstrip("0")) > MAX_MONEY_DIGITS:
        raise CellError(f"{text!r} is too large")
    return int(whole) * 100 + int(fraction.ljust(2, "0") or 0)


def code_parser(codes: Collection[str], what: str, upper: bool = False) -> Callable[[str], str]:
    """A parser accepting one of `codes` in any case, returning its canonical form."""
    canonical = {c.lower(): c for c in codes}

    def parse(text: str) -> str:
        found = canonical.get(text.lower())
        if found is None:
            raise CellError(f"{text!r} is not a known {what}")
        return found.upper() if upper else found

    return parse


def parse_country(text: str) -> str:
    code = text.upper()
    if code not in vocab.country_codes():
        raise CellError(f"{text!r} is not an ISO 3166 alpha-3 country code")
    return code


def parse_currency(text: str) -> str:
    code = text.upper()
    if code not in vocab.currency_codes():
        raise CellError(f"{text!r} is not an ISO 4217 currency code")
    return code


parse_region = code_parser(vocab.REGIONS, "region", upper=True)
parse_area = code_parser(vocab.AREAS, "area of action")
parse_agreement_type = code_parser(vocab.AGREEMENT_TYPES, "agreement type")
parse_agreement_status = code_parser(vocab.AGREEMENT_STATUSES, "agreement status")
parse_partner_type = code_parser(vocab.PARTNER_TYPES, "partner type")
parse_sector = code_parser(vocab.SECTORS, "sector")
parse_funding_mechanism = code_parser(vocab.FUNDING_MECHANISMS, "funding mechanism")
parse_sponsorship_status = code_parser(vocab.SPONSORSHIP_STATUSES, "sponsorship status")
parse_role = code_parser(vocab.ROLES, "role")
parse_office_region = code_parser(vocab.OFFICE_REGIONS, "field-office region", upper=True)


def split_list(text: str) -> list[str]:
    """`;`-separated items, trimmed, empties dropped, case-insensitive duplicates kept once."""
    seen: set[str] = set()
    items = []
    for item in text.split(";"):
        item = item.strip()
        if item and item.lower() not in seen:
            seen.add(item.lower())
            items.append(item)
    return items


def list_parser(parse_item: Callable[[str], str]) -> Callable[[str], tuple[str, ...]]:
    """A parser of a `;` list whose items all pass `parse_item`; sorted, unique."""

    def parse(text: str) -> tuple[str, ...]:
        values = []
        for item in split_list(text):
            values.append(parse_item(item))
        return tuple(sorted(set(values)))

    return parse


def cents_to_text(cents: int | None) -> str | None:
    """Integer cents as the file format's plain decimal (`1234.50`)."""
    if cents is None:
        return None
    return f"{Decimal(cents) / 100:.2f}"


def cents_to_usd(cents: int | None) -> float:
    """Integer cents as a float of USD rounded to cents (for JSON and charts).

    PostgreSQL's SUM over BIGINT is NUMERIC (a Decimal): made an int first so
    the result is always a float."""
    return round(int(cents or 0) / 100, 2)
