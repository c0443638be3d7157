"""Partner matching: who to approach for a need (areas, place, budget, ...).

Per partner, one SQL statement aggregates what the score needs (agreements in
the asked areas: count, value, first and last signing, fit with the asked
place; stated priorities; last contact). Python then turns those few figures
into points with curves that never decrease in their inputs, so gaining a
matching agreement or priority never lowers a score. docs/MATCHING.md has the
method; the reasons quote figures any query can recompute.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from db import cells, settings
from db.cells import CellError
from db.errors import ValidationFailed
from db.match_facts import AR, PPA, A, Facts, P, fact_rows, facts_from_row
from db.match_reasons import Reason, listed_priorities, reason_parts, render_reason, shortfalls

# Criterion -> most points. Criteria the need does not ask about drop out and
# the score is 100 x earned / available (docs/MATCHING.md).
WEIGHTS = {
    "agreements": 25.0,
    "priorities": 20.0,
    "place": 20.0,
    "recency": 10.0,
    "warmth": 10.0,
    "coverage": 10.0,
    "agreement_type": 5.0,
    "funding_mechanism": 5.0,
    "partner_type": 5.0,
    "sector": 5.0,
    "budget": 5.0,
}
COUNT_SCALE = 2.0  # agreements: 1 - exp(-n / 2) -> 1: 39 %, 3: 78 %, 5: 92 %
VALUE_SCALE_USD = 500_000.0  # value: 1 - exp(-USD / 500k) -> 1.2 M: 91 %
PLACE_SCALE = 1.5  # agreements in the place: 1: 49 %, 3: 86 %
RECENCY_HALF_LIFE_YEARS = 5.0
WARMTH_HALF_LIFE_MONTHS = 12.0
# How far below the limit-th best estimate a partner may still reach the list:
# two roundings to one decimal (0.05 each), plus far more than the few ulps by
# which numpy's exp and power may differ from math's on scores up to 100.
ESTIMATE_SLACK = 0.1 + 1e-6
COLUMN = {f.name: i for i, f in enumerate(fields(Facts))}  # Facts field -> fact_rows column


@dataclass(frozen=True)
class Need:
    """What a project needs from a partner. Codes as in DOMAIN.md (any case);
    `budget_usd` in USD; `since_year` keeps agreements signed that year or later."""

    areas: tuple[str, ...]
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    agreement_type: str | None = None
    funding_mechanism: str | None = None
    partner_type: str | None = None
    sector: str | None = None
    budget_usd: float | None = None
    since_year: int | None = None

    @property
    def has_place(self) -> bool:
        return bool(self.regions or self.countries)


def check_need(need: Need) -> Need:
    """The need with canonical codes (sorted, unique); ValidationFailed names every bad field."""
    errors: dict[str, str] = {}

    def codes(name: str, parse, values) -> tuple[str, ...]:
        try:
            return tuple(sorted({parse(str(v).strip()) for v in values if str(v).strip()}))
        except CellError as exc:
            errors[name] = str(exc)
            return ()

    def one(name: str, parse, value):
        if value is None or not str(value).strip():
            return None
        return (codes(name, parse, [value]) or (None,))[0]

    areas = codes("areas", cells.parse_area, need.areas)
    if not areas and "areas" not in errors:
        errors["areas"] = "at least one area of action is needed"
    checked = replace(
        need,
        areas=areas,
        regions=codes("regions", cells.parse_region, need.regions),
        countries=codes("countries", cells.parse_country, need.countries),
        agreement_type=one("agreement_type", cells.parse_agreement_type, need.agreement_type),
        funding_mechanism=one("funding_mechanism", cells.parse_funding_mechanism, need.funding_mechanism),
        partner_type=one("partner_type", cells.parse_partner_type, need.partner_type),
        sector=one("sector", cells.parse_sector, need.sector),
    )
    if need.budget_usd is not None and not (need.budget_usd > 0 and math.isfinite(need.budget_usd)):
        errors["budget_usd"] = "must be an amount greater than 0"
    if need.since_year is not None and not 1900 <= need.since_year <= 2100:
        errors["since_year"] = f"{need.since_year} is not a plausible year"
    if errors:
        raise ValidationFailed(errors)
    return checked


@dataclass(frozen=True)
class Match:
    """A ranked partner: score 0-100 (1 decimal), points per criterion, reasons."""

    partner_id: str
    name: str
    score: float
    breakdown: dict[str, float]
    reason_parts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    facts: Facts | None = None

    @property
    def reasons(self) -> list[str]:
        return [render_reason(key, params) for key, params in self.reason_parts]


def _saturate(x: float, scale: float) -> float:
    return 1.0 - math.exp(-x / scale)


def _half_life(age: float, half_life: float) -> float:
    return 0.5 ** (max(age, 0.0) / half_life)


def budget_cents(need: Need) -> int | None:
    return None if need.budget_usd is None else int(Decimal(str(need.budget_usd)) * 100)


def applicable(need: Need) -> list[str]:
    """The criteria this need asks about, in WEIGHTS order."""
    asked = {
        "place": need.has_place,
        "coverage": len(need.areas) > 1,
        "agreement_type": need.agreement_type is not None,
        "funding_mechanism": need.funding_mechanism is not None,
        "partner_type": need.partner_type is not None,
        "sector": need.sector is not None,
        "budget": need.budget_usd is not None,
    }
    return [c for c in WEIGHTS if asked.get(c, True)]


class Scorer:
    """Points for one need on one day. Each criterion's fraction (0..1) is
    non-decreasing in the partner's matching agreements (counts, sums and
    maxima over them) and stated priorities; see docs/MATCHING.md."""

    def __init__(self, need: Need, today: date):
        self.need, self.today = need, today
        self.criteria = applicable(need)
        self.available = sum(WEIGHTS[c] for c in self.criteria)
        self._budget_cents = budget_cents(need)
        self._fractions = [(c, WEIGHTS[c], getattr(self, f"_{c}")) for c in self.criteria]

    def _agreements(self, f: Facts) -> float:
        return 0.6 * _saturate(f.agreements, COUNT_SCALE) + 0.4 * _saturate(f.value_cents / 100, VALUE_SCALE_USD)

    def _priorities(self, f: Facts) -> float:
        return f.priority_areas / len(self.need.areas)

    def _place(self, f: Facts) -> float:
        return 0.75 * _saturate(f.place_agreements, PLACE_SCALE) + 0.25 * (f.priority_place or f.based_in_place)

    def _recency(self, f: Facts) -> float:
        if f.last_signed is None:
            return 0.0
        return _half_life((self.today - f.last_signed).days / 365.25, RECENCY_HALF_LIFE_YEARS)

    def _warmth(self, f: Facts) -> float:
        if f.last_met is None:
            return 0.0
        return _half_life((self.today - f.last_met).days / 30.44, WARMTH_HALF_LIFE_MONTHS)

    def _coverage(self, f: Facts) -> float:
        return f.areas_covered / len(self.need.areas)

    def _agreement_type(self, f: Facts) -> float:
        return _saturate(f.type_agreements, 1.0)

    def _funding_mechanism(self, f: Facts) -> float:
        return float(f.has_mechanism)

    def _partner_type(self, f: Facts) -> float:
        return float(f.partner_type == self.need.partner_type)

    def _sector(self, f: Facts) -> float:
        return float(f.sector == self.need.sector)

    def _budget(self, f: Facts) -> float:
        return min(1.0, f.largest_cents / self._budget_cents)  # type: ignore[operator]

    def points(self, f: Facts) -> dict[str, float]:
        """Raw points per applicable criterion (at most its weight)."""
        return {c: weight * fraction(f) for c, weight, fraction in self._fractions}

    def score(self, f: Facts) -> float:
        """100 x earned / available, rounded to 1 decimal; summed in a fixed order
        so the same inputs give the same float on every run."""
        return round(self.unrounded(f), 1)

    def unrounded(self, f: Facts) -> float:
        total = 0.0
        for _c, weight, fraction in self._fractions:
            total += weight * fraction(f)
        return 100 * total / self.available

    def estimates(self, rows: Sequence[Any]) -> np.ndarray:
        """`unrounded` for every fact row at once (numpy), to within a few ulps:
        numpy's exp and power may differ from math's in the last bit, so these
        only choose whom `score` ranks (`best`)."""

        def number(name: str) -> np.ndarray:
            i = COLUMN[name]
            return np.array([r[i] or 0 for r in rows], dtype=np.float64)

        def equal(name: str, value: str | None) -> np.ndarray:
            i = COLUMN[name]
            return np.array([r[i] == value for r in rows], dtype=np.float64)

        def saturate(x: np.ndarray, scale: float) -> np.ndarray:
            return 1.0 - np.exp(-x / scale)

        def half_life(name: str, unit_days: float, half_life: float) -> np.ndarray:
            # Day numbers (toordinal): numpy's datetime64 from date objects is ten times slower.
            i, today = COLUMN[name], self.today.toordinal()
            days = np.array([today - r[i].toordinal() if r[i] else np.nan for r in rows], dtype=np.float64)
            fraction = np.power(0.5, np.maximum(days / unit_days, 0.0) / half_life)
            return np.where(np.isnan(days), 0.0, fraction)

        need, n_areas = self.need, len(self.need.areas)
        vectors = {
            "agreements": lambda: (
                0.6 * saturate(number("agreements"), COUNT_SCALE)
                + 0.4 * saturate(number("value_cents") / 100, VALUE_SCALE_USD)
            ),
            "priorities": lambda: number("priority_areas") / n_areas,
            "place": lambda: (
                0.75 * saturate(number("place_agreements"), PLACE_SCALE)
                + 0.25 * np.maximum(number("priority_place"), number("based_in_place"))
            ),
            "recency": lambda: half_life("last_signed", 365.25, RECENCY_HALF_LIFE_YEARS),
            "warmth": lambda: half_life("last_met", 30.44, WARMTH_HALF_LIFE_MONTHS),
            "coverage": lambda: number("areas_covered") / n_areas,
            "agreement_type": lambda: saturate(number("type_agreements"), 1.0),
            "funding_mechanism": lambda: number("has_mechanism"),
            "partner_type": lambda: equal("partner_type", need.partner_type),
            "sector": lambda: equal("sector", need.sector),
            "budget": lambda: np.minimum(1.0, number("largest_cents") / self._budget_cents),
        }
        total = np.zeros(len(rows))
        for c in self.criteria:
            total += WEIGHTS[c] * vectors[c]()
        return 100 * total / self.available

    def best(self, rows: Sequence[Any], limit: int) -> list[tuple[float, Facts]]:
        """The `limit` best fact rows as (score, Facts), best first, ties by partner_id
        in code-point order: exactly `ranked(...)[:limit]`. Only the rows whose
        estimate comes within ESTIMATE_SLACK of the limit-th best estimate are
        scored one by one (any other row's rounded score is below `limit` others')."""
        if len(rows) > limit:
            estimate = self.estimates(rows)
            cut = np.partition(estimate, len(rows) - limit)[len(rows) - limit] - ESTIMATE_SLACK
            rows = [rows[i] for i in np.flatnonzero(estimate >= cut)]
        return _in_order([(self.score(f), f) for f in map(facts_from_row, rows)])[:limit]

    def breakdown(self, f: Facts) -> dict[str, float]:
        """Points per criterion on the 0-100 scale of the score (1 decimal)."""
        return {c: round(100 * p / self.available, 1) for c, p in self.points(f).items()}


def points(f: Facts, need: Need, today: date) -> dict[str, float]:
    """Raw points per applicable criterion of `need` for the partner of `f`."""
    return Scorer(need, today).points(f)


def ranked(conn: Connection, need: Need, today: date) -> list[tuple[float, Facts]]:
    """Every tied partner with its score, best first; ties by partner_id in
    code-point order (Python's str order, as kpis.binary_order in SQL)."""
    score = Scorer(need, today).score
    return _in_order([(score(f), f) for f in map(facts_from_row, fact_rows(conn, need))])


def _in_order(scored: list[tuple[float, Facts]]) -> list[tuple[float, Facts]]:
    scored.sort(key=lambda s: (-s[0], s[1].partner_id))
    return scored


def match_partners(
    conn: Connection, need: Need, limit: int = 20, today: date | None = None, lang: str = "en"
) -> list[Match]:
    """The `limit` best partners for `need`, best first (score desc, then partner_id).

    Only partners with a matching agreement (in an asked area, since
    `since_year`) or an asked area among their priorities are returned.
    Reasons are English whatever `lang` (kept as `reason_parts` to translate).
    Raises ValidationFailed for a bad need.
    """
    need = check_need(need)
    today = today or settings.today()
    scorer = Scorer(need, today)
    return [
        Match(f.partner_id, f.name, score, scorer.breakdown(f), reason_parts(conn, need, f), f)
        for score, f in scorer.best(fact_rows(conn, need), limit)
    ]


def why_not_parts(
    conn: Connection, need: Need, partner_id: str, limit: int = 20, today: date | None = None
) -> list[Reason]:
    """Why a partner is absent from (or low in) the first `limit` results, as (key, params):
    its rank and score, each criterion where it fell short, then what it has."""
    need = check_need(need)
    today = today or settings.today()
    if conn.scalar(select(P.c.id).where(P.c.id == partner_id)) is None:
        return [("unknown_partner", {"partner_id": partner_id})]
    scored = ranked(conn, need, today)
    position = next((i for i, s in enumerate(scored) if s[1].partner_id == partner_id), None)
    if position is None:
        return [("no_tie", {"areas": list(need.areas), "since": need.since_year}), _areas_held(conn, partner_id)]
    score, facts = scored[position]
    rank = {"rank": position + 1, "of": len(scored), "score": score, "limit": limit}
    if position < limit:
        parts: list[Reason] = [("ranked", rank)]
    else:
        parts = [("ranked_below", rank | {"last_score": scored[limit - 1][0]})]
    listed = listed_priorities(conn, partner_id, list(need.areas))
    parts += shortfalls(need, facts, points(facts, need, today), WEIGHTS, listed, today)
    # Positive reasons a shortfall already states (areas covered, latest signing) are left out.
    said = {key for key, _params in parts}
    repeats = {"areas_covered": "partial_coverage", "latest_agreement": "old_agreements"}
    return parts + [r for r in reason_parts(conn, need, facts) if repeats.get(r[0]) not in said]


def why_not(conn: Connection, need: Need, partner_id: str, limit: int = 20, today: date | None = None) -> list[str]:
    """`why_not_parts` as English sentences."""
    return [render_reason(key, params) for key, params in why_not_parts(conn, need, partner_id, limit, today)]


def _areas_held(conn: Connection, partner_id: str) -> Reason:
    held = (
        select(AR.c.area)
        .distinct()
        .select_from(A.join(AR, AR.c.agreement_id == A.c.areas_from_id))
        .where(A.c.partner_id == partner_id)
    )
    listed = select(PPA.c.area).where(PPA.c.partner_id == partner_id)
    return (
        "has_areas",
        {"agreement_areas": sorted(conn.scalars(held)), "priority_areas": sorted(conn.scalars(listed))},
    )
