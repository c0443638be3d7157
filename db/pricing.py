"""The preliminary price of a sponsorship request: pure computation, no database.

Packages, quantities, the Sector Member flag, the event (is it open, is it
still ahead) and the ordered discount rules go in; priced lines, each discount
with its amount and reason, and the total come out. Money is integer cents of
USD throughout.

How discounts combine (stated to sponsors on the public page and to staff):

1. Whether a rule applies is decided on the order as a whole before any
   discount is taken: the number of packages (units, summed quantities) and the
   list-price total (gross). So the order of the rules never changes *whether*
   a rule applies, only how much it takes.
2. The rules that apply are taken one after the other in `position` order (ties
   by rule id); each takes its percentage of the subtotal the earlier ones
   left. Discounts **compound**, they do not add: 10 %, then 5 %, then 5 % is
   18.775 % off, not 20 %.
3. Each discount is rounded to the cent, half up, when it is taken. The total
   is the gross minus the rounded discounts, so every figure adds up exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from db.sponsorship_vocab import RULE_KINDS

BP_PER_WHOLE = 10_000  # percent_bp: basis points, 1000 = 10 %


@dataclass(frozen=True)
class Rule:
    """A discount rule as kept in `discount_rule` (percent in basis points)."""

    kind: str
    percent_bp: int
    min_packages: int | None = None
    min_total_cents: int | None = None
    open_events_only: bool = False
    position: int = 1
    active: bool = True
    id: int = 0


@dataclass(frozen=True)
class Package:
    """A package on offer: list price (cents), how many can be sold, how many were."""

    id: int
    event_id: str
    price_cents: int
    quantity: int
    sold: int = 0
    active: bool = True

    @property
    def available(self) -> int:
        return max(0, self.quantity - self.sold)


@dataclass(frozen=True)
class Offer:
    """The event a request is for: when it starts and whether it is an open event or meeting."""

    event_id: str
    start_date: date
    open_event: bool


@dataclass(frozen=True)
class Line:
    package_id: int
    quantity: int
    unit_price_cents: int
    amount_cents: int


@dataclass(frozen=True)
class Discount:
    """One discount taken: `reason` is the rule kind, `params` what the text explaining it needs."""

    rule_id: int
    reason: str
    percent_bp: int
    base_cents: int  # the subtotal it was taken from
    amount_cents: int
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Quote:
    event_id: str
    lines: tuple[Line, ...]
    discounts: tuple[Discount, ...]
    gross_cents: int
    total_cents: int

    @property
    def discount_cents(self) -> int:
        return self.gross_cents - self.total_cents

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)


@dataclass(frozen=True)
class Problem:
    """Why a quote cannot be given: `code` (past-event, no-packages, bad-quantity,
    unknown-package, inactive-package, sold-out, not-enough-left) and the package."""

    code: str
    package_id: int | None = None


class QuoteRefused(ValueError):
    """No price can be given; `problems` lists every reason."""

    def __init__(self, problems: Sequence[Problem]):
        super().__init__(", ".join(f"{p.code}" + (f" ({p.package_id})" if p.package_id else "") for p in problems))
        self.problems = list(problems)


def percent_of(cents: int, percent_bp: int) -> int:
    """`percent_bp` basis points of `cents`, rounded to the cent half up (both non-negative)."""
    return (cents * percent_bp + BP_PER_WHOLE // 2) // BP_PER_WHOLE


def applies(rule: Rule, *, sector_member: bool, open_event: bool, units: int, gross_cents: int) -> bool:
    """Does `rule` apply to an order of `units` packages worth `gross_cents` at list price?"""
    if not rule.active or rule.kind not in RULE_KINDS or rule.percent_bp <= 0:
        return False
    if rule.open_events_only and not open_event:
        return False
    if rule.kind == "sector-member":
        return sector_member
    # A rule without its threshold is incomplete: it gives nothing rather than everything.
    if rule.kind == "multi-count":
        return rule.min_packages is not None and units >= rule.min_packages
    return rule.min_total_cents is not None and gross_cents >= rule.min_total_cents


def ordered(rules: Sequence[Rule]) -> list[Rule]:
    """Rules in the order they combine: by position, then id."""
    return sorted(rules, key=lambda r: (r.position, r.id))


def check_order(offer: Offer, items: Sequence[tuple[Package, int]], today: date) -> list[Problem]:
    """Every reason the order cannot be priced (empty when it can)."""
    problems: list[Problem] = []
    if offer.start_date <= today:
        problems.append(Problem("past-event"))
    if not items:
        problems.append(Problem("no-packages"))
    for package, quantity in items:
        if package.event_id != offer.event_id:
            problems.append(Problem("unknown-package", package.id))
        elif not package.active:
            problems.append(Problem("inactive-package", package.id))
        elif quantity < 1:
            problems.append(Problem("bad-quantity", package.id))
        elif package.available == 0:
            problems.append(Problem("sold-out", package.id))
        elif quantity > package.available:
            problems.append(Problem("not-enough-left", package.id))
    if len({package.id for package, _ in items}) != len(items):
        problems.append(Problem("bad-quantity"))
    return problems


def price(
    offer: Offer,
    items: Sequence[tuple[Package, int]],
    *,
    sector_member: bool,
    rules: Sequence[Rule],
    today: date,
) -> Quote:
    """The preliminary price of `items` (package, quantity) at `offer`'s event.

    Raises QuoteRefused (every problem at once) for a past event, an empty
    order, a package of another event, inactive or sold out, or more than are
    left. Discounts combine as the module docstring states.
    """
    problems = check_order(offer, items, today)
    if problems:
        raise QuoteRefused(problems)
    lines = tuple(
        Line(package.id, quantity, package.price_cents, package.price_cents * quantity) for package, quantity in items
    )
    gross = sum(line.amount_cents for line in lines)
    discounts, total = apply_rules(
        gross, sum(line.quantity for line in lines), sector_member=sector_member, open_event=offer.open_event, rules=rules
    )
    return Quote(offer.event_id, lines, discounts, gross, total)


def apply_rules(
    gross_cents: int, units: int, *, sector_member: bool, open_event: bool, rules: Sequence[Rule]
) -> tuple[tuple[Discount, ...], int]:
    """The discounts an order of `units` packages worth `gross_cents` gets, in the
    order taken, and the total after them (cents)."""
    subtotal = gross_cents
    discounts: list[Discount] = []
    for rule in ordered(rules):
        if not applies(rule, sector_member=sector_member, open_event=open_event, units=units, gross_cents=gross_cents):
            continue
        amount = percent_of(subtotal, min(rule.percent_bp, BP_PER_WHOLE))
        params = {
            "percent_bp": rule.percent_bp,
            "units": units,
            "min_packages": rule.min_packages,
            "min_total_cents": rule.min_total_cents,
            "open_events_only": rule.open_events_only,
        }
        discounts.append(Discount(rule.id, rule.kind, rule.percent_bp, subtotal, amount, params))
        subtotal -= amount
    return tuple(discounts), subtotal


def allocate(total_cents: int, weights: Sequence[int]) -> list[int]:
    """Split `total_cents` in proportion to `weights` so the parts add up exactly
    (largest remainder; ties to the earlier part). Equal parts when all weights are 0."""
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    whole = sum(weights)
    shares = [total_cents * w // whole for w in weights]
    remainders = [total_cents * w % whole for w in weights]
    left = total_cents - sum(shares)
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        shares[index] += 1
    return shares
