"""The preliminary price: every combination of the discount rules, sold-out
packages and past events, table-driven, money in exact cents (db/pricing.py)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from db.pricing import (
    Offer,
    Package,
    Problem,
    QuoteRefused,
    Rule,
    allocate,
    applies,
    apply_rules,
    percent_of,
    price,
)

TODAY = date(2026, 11, 28)
USD = 100
SECTOR = Rule("sector-member", 1000, open_events_only=True, position=1, id=1)
COUNT = Rule("multi-count", 500, min_packages=2, position=2, id=2)
TOTAL = Rule("multi-total", 500, min_total_cents=50_000 * USD, position=3, id=3)
RULES = (SECTOR, COUNT, TOTAL)
OPEN = Offer("EV", date(2026, 12, 8), open_event=True)
CLOSED = Offer("EV", date(2026, 12, 8), open_event=False)
SIDE = Package(1, "EV", 45_000 * USD, quantity=4, sold=1)
RECEPTION = Package(2, "EV", 50_000 * USD, quantity=2)
COFFEE = Package(3, "EV", 12_000 * USD, quantity=4)
SOLD_OUT = Package(4, "EV", 70_000 * USD, quantity=1, sold=1)


def _expected_total(gross: int, applied: list[Rule]) -> int:
    """Independent arithmetic: each percentage of what the previous ones left, rounded half up."""
    total = gross
    for rule in applied:
        total -= (total * rule.percent_bp + 5_000) // 10_000
    return total


ORDERS = {
    # name: (items, gross cents, units)
    "one small": ([(COFFEE, 1)], 12_000 * USD, 1),
    "one large": ([(RECEPTION, 1)], 50_000 * USD, 1),
    "two small": ([(COFFEE, 2)], 24_000 * USD, 2),
    "two large": ([(RECEPTION, 1), (SIDE, 1)], 95_000 * USD, 2),
    "three": ([(SIDE, 1), (RECEPTION, 1), (COFFEE, 1)], 107_000 * USD, 3),
}


@pytest.mark.parametrize("active", list(itertools.product([False, True], repeat=3)), ids=lambda a: "".join("SCT"[i] if on else "-" for i, on in enumerate(a)))
@pytest.mark.parametrize("sector_member", [False, True], ids=["non-member", "member"])
@pytest.mark.parametrize("offer", [OPEN, CLOSED], ids=["open-event", "closed-event"])
@pytest.mark.parametrize("order", list(ORDERS))
def test_every_combination_of_rules(active, sector_member, offer, order):
    items, gross, units = ORDERS[order]
    rules = [Rule(r.kind, r.percent_bp, r.min_packages, r.min_total_cents, r.open_events_only, r.position, on, r.id)
             for r, on in zip(RULES, active, strict=True)]  # fmt: skip
    quote = price(offer, items, sector_member=sector_member, rules=rules, today=TODAY)
    applied = [
        rule
        for rule in rules
        if rule.active
        and (
            (rule.kind == "sector-member" and sector_member and offer.open_event)
            or (rule.kind == "multi-count" and units >= 2)
            or (rule.kind == "multi-total" and gross >= 50_000 * USD)
        )
    ]
    assert quote.gross_cents == gross
    assert quote.units == units
    assert [d.reason for d in quote.discounts] == [r.kind for r in applied]
    assert quote.total_cents == _expected_total(gross, applied)
    assert quote.gross_cents - sum(d.amount_cents for d in quote.discounts) == quote.total_cents
    # Each discount is taken from what the previous ones left.
    left = gross
    for discount in quote.discounts:
        assert discount.base_cents == left
        left -= discount.amount_cents


def test_the_stated_example_compounds_rather_than_adds():
    """USD 107,000 for three packages, a Sector Member at an open event: 10 %, then 5 %, then 5 %."""
    quote = price(OPEN, ORDERS["three"][0], sector_member=True, rules=RULES, today=TODAY)
    assert [(d.reason, d.base_cents, d.amount_cents) for d in quote.discounts] == [
        ("sector-member", 10_700_000, 1_070_000),
        ("multi-count", 9_630_000, 481_500),
        ("multi-total", 9_148_500, 457_425),
    ]
    assert quote.total_cents == 8_691_075  # USD 86,910.75; adding the rates (20 %) would give 85,600.00
    assert quote.discount_cents == 2_008_925


def test_order_of_rules_is_position_then_id_and_changes_amounts_not_eligibility():
    later_member = Rule("sector-member", 1000, open_events_only=True, position=9, id=1)
    quote = price(OPEN, ORDERS["three"][0], sector_member=True, rules=[TOTAL, COUNT, later_member], today=TODAY)
    assert [d.reason for d in quote.discounts] == ["multi-count", "multi-total", "sector-member"]
    tie = [Rule("multi-total", 500, min_total_cents=1, position=1, id=7), Rule("multi-count", 500, 2, position=1, id=3)]
    assert [d.rule_id for d in price(OPEN, ORDERS["two large"][0], sector_member=False, rules=tie, today=TODAY).discounts] == [3, 7]
    # The total threshold is judged on the list price, before the Sector Member discount took it under USD 50,000.
    just = [(Package(9, "EV", 50_000 * USD, 1), 1)]
    assert [d.reason for d in price(OPEN, just, sector_member=True, rules=RULES, today=TODAY).discounts] == [
        "sector-member", "multi-total",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("cents", "bp", "expected"),
    [(0, 1000, 0), (1, 5000, 1), (1, 4999, 0), (5, 1000, 1), (4, 1000, 0), (15, 1000, 2), (999_999, 1, 100), (100, 10_000, 100)],
)
def test_rounding_is_half_up_to_the_cent(cents, bp, expected):
    assert percent_of(cents, bp) == expected


@pytest.mark.parametrize(
    ("rule", "context", "expected"),
    [
        (SECTOR, {"sector_member": True, "open_event": True}, True),
        (SECTOR, {"sector_member": True, "open_event": False}, False),
        (SECTOR, {"sector_member": False, "open_event": True}, False),
        (Rule("sector-member", 1000), {"sector_member": True, "open_event": False}, True),
        (COUNT, {"units": 1}, False),
        (COUNT, {"units": 2}, True),
        (Rule("multi-count", 500, min_packages=3), {"units": 2}, False),
        (TOTAL, {"gross_cents": 50_000 * USD - 1}, False),
        (TOTAL, {"gross_cents": 50_000 * USD}, True),
        (Rule("multi-total", 500, min_total_cents=1, open_events_only=True), {"open_event": False}, False),
        (Rule("multi-count", 500, 2, active=False), {"units": 5}, False),
        (Rule("unknown-kind", 500), {"units": 5}, False),
        (Rule("multi-count", 0, 2), {"units": 5}, False),
        (Rule("multi-count", 500), {"units": 5}, False),
        (Rule("multi-total", 500), {"gross_cents": 10**9}, False),
    ],
)
def test_when_a_rule_applies(rule, context, expected):
    values = {"sector_member": False, "open_event": True, "units": 1, "gross_cents": 0} | context
    assert applies(rule, **values) is expected


@pytest.mark.parametrize(
    ("offer", "items", "problems"),
    [
        (Offer("EV", TODAY, True), [(COFFEE, 1)], [Problem("past-event")]),
        (Offer("EV", date(2017, 10, 9), True), [(COFFEE, 1)], [Problem("past-event")]),
        (OPEN, [], [Problem("no-packages")]),
        (OPEN, [(SOLD_OUT, 1)], [Problem("sold-out", 4)]),
        (OPEN, [(RECEPTION, 3)], [Problem("not-enough-left", 2)]),
        (OPEN, [(SIDE, 4)], [Problem("not-enough-left", 1)]),
        (OPEN, [(COFFEE, 0)], [Problem("bad-quantity", 3)]),
        (OPEN, [(Package(5, "OTHER", 100, 1), 1)], [Problem("unknown-package", 5)]),
        (OPEN, [(Package(6, "EV", 100, 1, active=False), 1)], [Problem("inactive-package", 6)]),
        (OPEN, [(COFFEE, 1), (COFFEE, 1)], [Problem("bad-quantity")]),
        (Offer("EV", date(2020, 1, 1), False), [(SOLD_OUT, 1), (COFFEE, 1)], [Problem("past-event"), Problem("sold-out", 4)]),
    ],
    ids=["starts-today", "2017", "empty", "sold-out", "more-than-left", "more-than-left-after-sales", "zero",
         "other-event", "inactive", "twice", "past-and-sold-out"],  # fmt: skip
)
def test_orders_that_cannot_be_priced(offer, items, problems):
    with pytest.raises(QuoteRefused) as refused:
        price(offer, items, sector_member=True, rules=RULES, today=TODAY)
    assert refused.value.problems == problems


def test_the_last_one_left_can_still_be_bought():
    quote = price(OPEN, [(SIDE, 3)], sector_member=False, rules=[], today=TODAY)
    assert (quote.gross_cents, quote.total_cents, quote.discounts) == (135_000 * USD, 135_000 * USD, ())


def test_apply_rules_matches_price():
    quote = price(OPEN, ORDERS["two large"][0], sector_member=True, rules=RULES, today=TODAY)
    discounts, total = apply_rules(quote.gross_cents, quote.units, sector_member=True, open_event=True, rules=RULES)
    assert (discounts, total) == (quote.discounts, quote.total_cents)


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (100, [1, 1, 1], [34, 33, 33]),
        (8_691_075, [4_500_000, 5_000_000, 1_200_000], [3_655_125, 4_061_250, 974_700]),
        (0, [5, 5], [0, 0]),
        (7, [0, 0], [4, 3]),
        (10, [], []),
        (1, [1, 2], [0, 1]),
    ],
)
def test_allocate_splits_exactly(total, weights, expected):
    parts = allocate(total, weights)
    assert parts == expected
    assert sum(parts) == (total if weights else 0)
