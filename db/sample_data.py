"""Generator of the bundled sample data: synthetic partners, agreements, events and
sponsorships in the file format of DATA-CONTRACT.md, plus data/country_regions.csv.

All records are synthetic. The years 2014-2017 reproduce the figures published in the
source report to TDAG (partnerships and resource mobilization after WTDC-17): 197 new
agreements and 35 amendments worth USD 36.6 million, 28 capacity-building agreements with
ITU Academy Centres of Excellence in 2015, about 990 agreements by the end of 2017, and
14 sponsors at GSR-17, WTDC-17 and the ITU-D 25th anniversary for USD 590,329. Records
after 2017 are invented up to REFERENCE_DATE, with events still to come after it. Every
organisation is fictional except the six real ones the report names (db/sample_names.py),
which appear only in the roles it gives them.

The output is deterministic (a seeded random generator, no wall clock):
    python -m db.sample_data [--out DIR] [--regions-out FILE]
"""

from __future__ import annotations

import argparse
import calendar
import csv
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pycountry

from db import sample_names as N
from db.vocab import AGREEMENT_TYPES, COUNTRY_REGIONS_FILE, FUNDING_MECHANISMS, PROJECT_ROOT

REFERENCE_DATE = date(2026, 11, 28)
SEED = 20171009
DEFAULT_OUT = PROJECT_ROOT / "data" / "sample"
CENT = Decimal("0.01")

# Calibration of 2014-2017 (DOMAIN.md "Published figures").
BAND_NEW = {2014: 42, 2015: 58, 2016: 45, 2017: 52}
BAND_AMENDMENTS = {2014: 8, 2015: 7, 2016: 9, 2017: 11}
BAND_VALUE_USD = Decimal("36600000.00")
RECORDS_TO_2017 = 990
COE_YEAR = 2015
# Rows (new agreements and amendments) per synthetic year after 2017; 50 for later years.
LATER_TOTALS = {2018: 48, 2019: 52, 2020: 38, 2021: 44, 2022: 55, 2023: 58, 2024: 54, 2025: 57, 2026: 55}


@dataclass
class Partner:
    partner_id: str
    name: str
    partner_type: str
    country: str = ""
    sector: str = ""
    sector_member: bool = False
    priority_areas: list[str] = field(default_factory=list)
    priority_regions: list[str] = field(default_factory=list)
    priority_countries: list[str] = field(default_factory=list)
    funding_mechanisms: list[str] = field(default_factory=list)
    mandate: str = ""
    strategy: str = ""
    website: str = ""
    since: int = 1993  # first year in which random agreements may name this partner
    until: int = 9999
    weight: int = 1
    agreements: int = 0


@dataclass
class Agreement:
    partner: Partner
    agreement_type: str
    signed_date: date
    agreement_id: str = ""
    parent: Agreement | None = None
    title: str = ""
    end_date: date | None = None
    value_usd: Decimal | None = None
    amount: Decimal | None = None
    currency: str = ""
    regions: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    status: str = ""
    officer: str = ""
    notes: str = ""
    amendments: int = 0


@dataclass
class Event:
    event_id: str
    name: str
    start_date: date
    end_date: date
    location: str
    open_event: bool
    sponsorship_target_usd: Decimal | None


@dataclass
class Sponsorship:
    event: Event
    partner: Partner
    activity: str
    amount_usd: Decimal
    signed_date: date
    status: str
    sponsorship_id: str = ""


def country_regions() -> dict[str, str]:
    """ISO3 code -> ITU-D region for every current and historic pycountry country."""
    fixed = (
        ("ARB", N.ARB_COUNTRIES),
        ("CIS", N.CIS_COUNTRIES),
        ("AFR", N.AFR_COUNTRIES),
        ("AMS", N.AMS_COUNTRIES),
        ("EUR", N.EUR_COUNTRIES),
    )
    table = {c.alpha_3: next((r for r, codes in fixed if c.alpha_3 in codes), "ASP") for c in pycountry.countries}
    for c in pycountry.historic_countries:
        code = getattr(c, "alpha_3", None)
        if code and code not in table:
            table[code] = N.HISTORIC_REGIONS[code]
    return dict(sorted(table.items()))


def write_country_regions(path: Path = COUNTRY_REGIONS_FILE) -> int:
    """Write the country,region table; returns the number of rows."""
    rows = [{"country": c, "region": r} for c, r in country_regions().items()]
    return write_csv(path, ["country", "region"], rows)


def country_name(code: str) -> str:
    if code in N.COUNTRY_NAMES:
        return N.COUNTRY_NAMES[code]
    country = pycountry.countries.get(alpha_3=code)
    return getattr(country, "common_name", None) or country.name


def nice(value: Decimal) -> Decimal:
    """Round a money figure to a figure a person would write (at least one step)."""
    step = 10_000 if value >= 1_000_000 else 5_000 if value >= 100_000 else (500 if value >= 10_000 else 100)
    rounded = (value / step).quantize(Decimal(1), ROUND_HALF_UP) * step
    return max(rounded, Decimal(step)).quantize(CENT)


def money(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def usd_rate(currency: str, year: int) -> Decimal:
    return Decimal([rate for start, rate in N.USD_RATES[currency] if start <= year][-1])


def month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def join_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def name_key(name: str) -> str:
    """A name lower-cased, without accents or punctuation, its words sorted."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(sorted(re.findall(r"[a-z0-9]+", text)))


def similarity(a: str, b: str) -> float:
    """2 * longest common subsequence / total length: 1.0 for equal strings."""
    shared = sum((Counter(a) & Counter(b)).values())
    if 2 * shared / (len(a) + len(b)) < 0.8:
        return 0.0  # an upper bound already says: not close
    previous = [0] * (len(b) + 1)
    for ch in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if ch == other else max(previous[j + 1], current[j]))
        previous = current
    return 2 * previous[-1] / (len(a) + len(b))


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = [w for w in re.findall(r"[a-z0-9]+", ascii_name.lower()) if w not in N.SLUG_STOP_WORDS]
    return "-".join(words[:3])


class SampleBuilder:
    """Builds every record in memory, in a fixed order of random draws."""

    def __init__(self, reference_date: date) -> None:
        if reference_date < date(2018, 1, 1):
            raise ValueError("the reference date must be in 2018 or later")
        self.rng = random.Random(SEED)
        self.ref = reference_date
        self.regions = country_regions()
        self.current = {c.alpha_3 for c in pycountry.countries}
        self.partners: list[Partner] = []
        self.agreements: list[Agreement] = []
        self.sequence: dict[int, int] = {}
        self.coe: list[Partner] = []
        self.real_2017: list[Partner] = []

    # --- helpers ------------------------------------------------------------------------
    def sample(self, weights: dict[str, int], k: int, order: tuple[str, ...]) -> list[str]:
        """k distinct keys drawn by weight, returned in vocabulary order."""
        pool, chosen = dict(weights), []
        while pool and len(chosen) < k:
            key = self.rng.choices(list(pool), list(pool.values()))[0]
            chosen.append(key)
            del pool[key]
        return [code for code in order if code in chosen]

    def beneficiaries(self, region: str, year: int) -> list[str]:
        return [
            c
            for c, r in self.regions.items()
            if r == region
            and c not in N.NON_BENEFICIARIES
            and (c in self.current or c in N.BENEFICIARY_YEARS)
            and N.BENEFICIARY_YEARS.get(c, (0, 9999))[0] <= year <= N.BENEFICIARY_YEARS.get(c, (0, 9999))[1]
        ]

    def random_date(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def add_partner(self, name: str, ptype: str, country: str, **extra: object) -> Partner:
        partner = Partner(f"P{len(self.partners) + 1:04d}", name, ptype, country, **extra)
        self.partners.append(partner)
        return partner

    # --- partners -----------------------------------------------------------------------
    def build_partners(self) -> None:
        for real in N.REAL_DEVELOPMENT_PARTNERS:
            self.add_partner(
                str(real["name"]),
                str(real["type"]),
                str(real["country"]),
                sector=real["sector"],
                priority_areas=real["areas"],
                priority_regions=real["regions"],
                funding_mechanisms=real["mechanisms"],
                mandate=N.REAL_MANDATE,
                strategy=N.REAL_STRATEGY,
                website=real["website"],
                since=real["since"],
                until=2017,
                weight=8,
            )
        for name, (ptype, country, sector, member) in N.PROFILES.items():
            self.profile(self.add_partner(name, ptype, country, sector=sector, sector_member=member, weight=3))
        for name, ptype, country, sector, _area, _title in N.REAL_2017_PARTNERS:
            self.real_2017.append(self.add_partner(name, ptype, country, sector=sector, since=9999, until=2017))
        for institute, country in N.COE_INSTITUTES:
            self.coe.append(
                self.add_partner(
                    f"ITU Academy Centre of Excellence – {institute}",
                    "academia",
                    country,
                    sector="education",
                    sector_member=self.rng.random() < 0.3,
                    since=2018,
                )
            )
        self.thin_partners()

    def profile(self, p: Partner) -> None:
        rng = self.rng
        p.priority_areas = self.sample(N.AREA_WEIGHTS, rng.randint(2, 4), tuple(N.AREA_WEIGHTS))
        p.priority_regions = self.sample(N.REGION_WEIGHTS, rng.randint(1, 3), tuple(N.REGION_WEIGHTS))
        places = [r for r in p.priority_regions if r != "GLB"]
        if places and rng.random() < 0.6:
            pool = sorted({c for r in places for c in self.beneficiaries(r, 2017)})
            p.priority_countries = sorted(rng.sample(pool, rng.randint(1, 4)))
        mechanisms = N.MECHANISMS[p.partner_type]
        chosen = rng.sample(mechanisms, rng.randint(1, min(3, len(mechanisms))))
        p.funding_mechanisms = [m for m in FUNDING_MECHANISMS if m in chosen]
        areas = join_words([N.AREA_LABELS[a] for a in p.priority_areas])
        p.mandate = N.MANDATES[p.partner_type].format(areas)
        if p.sector in N.SECTOR_BUSINESS and p.partner_type == "private-sector":
            p.mandate = N.NON_ICT_COMPANY.format(N.SECTOR_BUSINESS[p.sector].capitalize(), areas)
        start = rng.choice([2014, 2016, 2018, 2020, 2022])
        p.strategy = N.STRATEGY.format(
            start,
            start + 4,
            join_words([N.AREA_LABELS[a] for a in p.priority_areas[:2]]),
            join_words([N.REGION_PLACES[r] for r in p.priority_regions]),
            join_words([N.MECHANISM_LABELS[m] for m in p.funding_mechanisms]),
        )
        p.website = f"https://www.{slug(p.name)}.example"
        p.since = rng.choice([rng.randint(1993, 2000), rng.randint(2001, 2013), rng.randint(1993, 2021)])

    def thin_partners(self) -> None:
        rng = self.rng
        stems = [(region, stem) for region, names in N.THIN_STEMS.items() for stem in names]
        rng.shuffle(stems)
        for ptype in (t for t, n in N.THIN_TYPE_COUNTS.items() for _ in range(n)):
            region, name = self.distinct_name(stems, ptype)
            countries = [
                c for c, r in self.regions.items() if r == region and c in self.current and c not in N.NON_BENEFICIARIES
            ]
            partner = self.add_partner(
                name,
                ptype,
                rng.choice(countries),
                sector=N.THIN_SECTORS[ptype] if rng.random() < 0.5 else "",
                sector_member=ptype == "private-sector" and rng.random() < 0.3,
                since=rng.randint(1993, 2025),
            )
            partner.since = min(partner.since, rng.randint(1993, 2025))

    def distinct_name(self, stems: list[tuple[str, str]], ptype: str) -> tuple[str, str]:
        """The next stem with a name pattern of ptype that is not close to an existing
        partner name (so that importing the sample raises no close-name warnings)."""
        taken = [name_key(p.name) for p in self.partners]
        while stems:
            region, stem = stems.pop()
            for pattern in self.rng.sample(N.THIN_PATTERNS[ptype], len(N.THIN_PATTERNS[ptype])):
                name = pattern.format(stem)
                if all(similarity(name_key(name), other) < 0.86 for other in taken):
                    return region, name
        raise RuntimeError("not enough distinct name stems")

    # --- agreements ---------------------------------------------------------------------
    def pick_partner(self, year: int) -> Partner:
        pool = [p for p in self.partners if p.since <= year <= p.until]
        weights = [p.weight * (4 if p.agreements == 0 and year - p.since <= 1 else 1) for p in pool]
        return self.rng.choices(pool, weights)[0]

    def pick_places(self, partner: Partner, year: int) -> tuple[list[str], list[str]]:
        rng = self.rng
        home = self.regions.get(partner.country, "")
        if (
            not partner.priority_regions
            and home
            and rng.random() < 0.6
            and partner.country in self.beneficiaries(home, year)
        ):
            return [home], [partner.country]
        weights = dict(N.REGION_WEIGHTS)
        if partner.priority_regions and (partner.weight > 3 or rng.random() < 0.7):
            weights = {r: N.REGION_WEIGHTS[r] for r in partner.priority_regions}
        regions = self.sample(weights, rng.choices([1, 2, 3], [70, 20, 10])[0], tuple(N.REGION_WEIGHTS))
        if "GLB" in regions:
            return ["GLB"], []
        countries: list[str] = []
        for region in regions:
            if rng.random() < 0.55:
                countries += rng.sample(self.beneficiaries(region, year), rng.randint(1, 3))
        return regions, sorted(countries)

    def pick_areas(self, partner: Partner, year: int) -> list[str]:
        """Areas that read naturally in the year, the partner's priorities first. The real
        development partners keep to their priorities; in 2015 capacity building is left to
        the Centres of Excellence."""
        weights = {
            a: w * (6 if a in partner.priority_areas else 1)
            for a, w in N.AREA_WEIGHTS.items()
            if (partner.weight <= 3 or a in partner.priority_areas)
            and min(first for _, first, _ in N.AREA_PHRASES[a]) <= year
            and not (year == COE_YEAR and a == "capacity-building")
        }
        k = self.rng.choices([1, 2, 3], [55, 35, 10])[0]
        return self.sample(weights, k, tuple(N.AREA_WEIGHTS))

    def place(self, a: Agreement) -> str:
        if a.countries and len(a.countries) <= 3:
            return join_words([country_name(c) for c in a.countries])
        return join_words([N.REGION_PLACES[r] for r in a.regions])

    def title(self, a: Agreement) -> str:
        subject = self.rng.choice(
            [p for p, first, last in N.AREA_PHRASES[a.areas[0]] if first <= a.signed_date.year <= last]
        )
        place = self.place(a)
        return self.rng.choice(N.TITLES[a.agreement_type]).format(
            subject=subject,
            Subject=subject[0].upper() + subject[1:],
            place=place,
            in_place=f" in {place}",
            year=a.signed_date.year,
        )

    def end_date(self, a: Agreement) -> date | None:
        no_end, low, high = N.DURATIONS[a.agreement_type]
        if self.rng.random() < no_end:
            return None
        return month_end(a.signed_date + timedelta(days=self.rng.randint(low, high)))

    def set_money(self, a: Agreement, usd: Decimal) -> None:
        rng, year = self.rng, a.signed_date.year
        currency = N.COUNTRY_CURRENCY.get(a.partner.country, "")
        if currency == "EUR" and year < 1999:
            currency = ""
        if not (currency and rng.random() < 0.6):
            currency = rng.choice(["CHF", "EUR"] if year >= 1999 else ["CHF"]) if rng.random() < 0.06 else ""
        if not currency:
            a.value_usd = usd
            return
        rate = usd_rate(currency, year) * rng.randint(97, 103) / 100
        a.amount, a.currency = nice(usd / rate), currency
        a.value_usd = (a.amount * rate).quantize(CENT)

    def set_value(self, a: Agreement) -> None:
        no_value, tiers = N.VALUE_TIERS[a.agreement_type]
        if self.rng.random() < no_value:
            return
        _, low, high = self.rng.choices(tiers, [t[0] for t in tiers])[0]
        era = Decimal(60 + (min(a.signed_date.year, 2020) - 1993) * 40 // 27) / 100
        size = {8: Decimal(2), 3: Decimal(1)}.get(a.partner.weight, Decimal("0.4"))
        self.set_money(a, nice(Decimal(self.rng.randint(low, high)) * era * size))

    def officer(self, a: Agreement) -> str:
        year = a.signed_date.year
        if "AFR" in a.regions and year >= 2010 and self.rng.random() < 0.4:
            return "field-afr"
        active = [o for o in N.OFFICERS if o[1] <= year <= o[2]]
        return self.rng.choices([o[0] for o in active], [o[3] for o in active])[0]

    def finish(self, a: Agreement, notes: list[str]) -> None:
        """Status, officer and notes, the same for new agreements and amendments."""
        r = self.rng.random()
        ended = a.end_date is not None and a.end_date < self.ref and r < 0.17
        open_ended = a.end_date is None and a.signed_date.year < 2012 and r < 0.35
        if r < 0.02:
            a.status = "terminated"
        elif ended or open_ended:
            a.status = "completed"
        a.officer = a.officer or self.officer(a)
        note = self.rng.choice(notes) if self.rng.random() < 0.35 else ""
        if a.signed_date.year > 2017:
            a.notes = f"{note} Synthetic sample record.".strip()
        else:
            a.notes = note

    def new_agreement(self, year: int, signed: date) -> Agreement:
        partner = self.pick_partner(year)
        atype = self.rng.choices(AGREEMENT_TYPES, N.TYPE_WEIGHTS[partner.partner_type])[0]
        regions, countries = self.pick_places(partner, year)
        a = Agreement(
            partner, atype, signed, regions=regions, countries=countries, areas=self.pick_areas(partner, year)
        )
        a.title, a.end_date = self.title(a), self.end_date(a)
        self.set_value(a)
        self.finish(a, N.NOTES)
        return a

    def special_agreements(self, year: int) -> list[Agreement]:
        """The 28 Centre of Excellence agreements of 2015 and the real partners of 2017."""
        rng, made = self.rng, []
        if year == COE_YEAR:
            for partner, (institute, country) in zip(self.coe, N.COE_INSTITUTES, strict=True):
                areas = ["capacity-building"]
                if rng.random() < 0.3:
                    areas.append(
                        rng.choice(["cybersecurity", "digital-inclusion", "enabling-environment", "ict-applications"])
                    )
                a = Agreement(
                    partner,
                    "cooperation",
                    self.random_date(date(2015, 1, 12), date(2015, 4, 30)),
                    regions=[self.regions[country]],
                    countries=[country],
                    areas=areas,
                    end_date=date(2018, 12, 31),
                    officer=rng.choice(["l.chen", "staff"]),
                )
                a.title = f"Joint capacity-building activities 2015 – ITU Academy Centre of Excellence ({institute})"
                if rng.random() < 0.75:
                    a.value_usd = nice(Decimal(rng.randint(10_000, 45_000)))
                self.finish(a, N.NOTES)
                made.append(a)
        if year == 2017:
            for partner, (_n, _t, _c, _s, area, title) in zip(self.real_2017, N.REAL_2017_PARTNERS, strict=True):
                a = Agreement(
                    partner,
                    "cooperation",
                    self.random_date(date(2017, 3, 1), date(2017, 11, 30)),
                    title=title,
                    regions=["GLB"],
                    areas=[area],
                    officer="a.haddad",
                )
                made.append(a)
        return made

    def amendment(self, year: int, last: date) -> Agreement | None:
        rng, start = self.rng, date(year, 1, 1)
        candidates = [
            a
            for a in self.agreements
            if a.parent is None
            and year - 6 <= a.signed_date.year
            and a.partner.until >= year
            and N.AMEND_WEIGHTS[a.agreement_type]
            and (a.end_date is None or a.end_date >= start)
            and a.signed_date + timedelta(days=30) <= last
        ]
        if not candidates:
            return None
        parent = rng.choices(
            candidates, [N.AMEND_WEIGHTS[a.agreement_type] * 100 // (1 + a.amendments) ** 2 for a in candidates]
        )[0]
        low = max(start, parent.signed_date + timedelta(days=30))
        high = min(last, parent.end_date or last)
        if low > high:
            return None
        parent.amendments += 1
        k = parent.amendments
        a = Agreement(
            parent.partner,
            parent.agreement_type,
            self.random_date(low, high),
            agreement_id=f"{parent.agreement_id}/{k}",
            parent=parent,
            officer=parent.officer if rng.random() < 0.7 else "",
        )
        a.title = rng.choice([f"Amendment No. {k} to {parent.title}", f"Addendum {k} – {parent.title}"])
        if rng.random() >= 0.3:
            a.regions, a.countries = list(parent.regions), list(parent.countries)
            a.areas = list(parent.areas)
        if parent.end_date and rng.random() < 0.6:
            a.end_date = month_end(parent.end_date + timedelta(days=rng.randint(180, 730)))
        if parent.value_usd is not None:
            if rng.random() < 0.3:
                a.value_usd = Decimal("0.00")
            elif parent.currency:
                rate = usd_rate(parent.currency, a.signed_date.year)
                a.amount = nice(parent.amount * rng.randint(10, 50) / 100)
                a.currency, a.value_usd = parent.currency, (a.amount * rate).quantize(CENT)
            else:
                a.value_usd = nice(parent.value_usd * rng.randint(10, 50) / 100)
        self.finish(a, N.AMENDMENT_NOTES_FUNDED if a.value_usd else N.AMENDMENT_NOTES_NO_COST)
        return a

    def build_year(self, year: int, new: int, amendments: int) -> None:
        last = min(date(year, 12, 31), self.ref)
        made = self.special_agreements(year)
        made += [self.new_agreement(year, self.random_date(date(year, 1, 1), last)) for _ in range(new - len(made))]
        made.sort(key=lambda a: a.signed_date)
        for a in made:
            self.sequence[year] = self.sequence.get(year, 0) + 1
            a.agreement_id = f"A-{year}-{self.sequence[year]:04d}"
            a.partner.agreements += 1
        self.agreements += made
        done = 0
        for _ in range(50 * amendments + 50):
            if done == amendments:
                break
            amendment = self.amendment(year, last)
            if amendment:
                self.agreements.append(amendment)
                done += 1
        if done != amendments:
            raise RuntimeError(f"could not place {amendments} amendments in {year}")

    def build_agreements(self) -> None:
        early = {y: 16 + (y - 1993) * 21 // 10 for y in range(1993, 2014)}
        missing = RECORDS_TO_2017 - sum(early.values()) - sum(BAND_NEW.values()) - sum(BAND_AMENDMENTS.values())
        for i in range(abs(missing)):
            early[2013 - i % 21] += 1 if missing > 0 else -1
        for year, total in early.items():
            amendments = (total * 13 + 50) // 100
            self.build_year(year, total - amendments, amendments)
        for year in BAND_NEW:
            self.build_year(year, BAND_NEW[year], BAND_AMENDMENTS[year])
        self.calibrate()
        self.quoted_notes()
        for year in range(2018, self.ref.year + 1):
            total = LATER_TOTALS.get(year, 50)
            if year == self.ref.year:
                total = total * self.ref.timetuple().tm_yday // 365
            amendments = (total * 15 + 50) // 100
            self.build_year(year, total - amendments, amendments)
        self.alerts()

    def calibrate(self) -> None:
        """Scale the USD values of 2014-2017 so they add up to exactly BAND_VALUE_USD."""
        band = [a for a in self.agreements if 2014 <= a.signed_date.year <= 2017 and a.value_usd is not None]
        in_currency = sum(a.value_usd for a in band if a.currency)
        in_usd = [a for a in band if not a.currency and a.value_usd > 0]
        factor = (BAND_VALUE_USD - in_currency) / sum(a.value_usd for a in in_usd)
        for a in in_usd:
            a.value_usd = nice(a.value_usd * factor)
        biggest = max((a for a in in_usd if a.parent is None), key=lambda a: a.value_usd)
        biggest.value_usd += BAND_VALUE_USD - sum(a.value_usd for a in band)

    def quoted_notes(self) -> None:
        """A few notes with commas, quotes and line breaks, to exercise CSV quoting."""
        for index, note in zip((57, 433, 871), N.QUOTED_NOTES, strict=True):
            self.agreements[index].notes = note

    def alerts(self) -> None:
        """Agreements that end within 90 days of the reference date, and some past their
        end date but still marked active, for the alerts page."""
        later = [
            a
            for a in self.agreements
            if a.parent is None
            and not a.amendments
            and a.signed_date.year > 2017
            and a.agreement_type not in ("mou", "other")
        ]
        year_old = [a for a in later if a.signed_date < self.ref - timedelta(days=365)]
        soon = self.rng.sample(year_old, min(8, len(year_old)))
        for a in soon:
            a.end_date, a.status = self.ref + timedelta(days=self.rng.randint(7, 85)), ""
        overdue = [a for a in later if a not in soon and a.signed_date < self.ref - timedelta(days=400)]
        for a in self.rng.sample(overdue, min(5, len(overdue))):
            a.end_date = self.ref - timedelta(days=self.rng.randint(15, 240))
            a.status = "active"

    # --- events and sponsorships --------------------------------------------------------
    def build_events(self) -> list[Event]:
        events = {}
        for event_id, name, start, end, location, open_event, target in N.EVENTS:
            dates = date.fromisoformat(start), date.fromisoformat(end)
            events[event_id] = Event(event_id, name, *dates, location, open_event, money(target))
        for pattern, name, offset, days, location, open_event, target in N.UPCOMING_EVENTS:
            start = self.ref + timedelta(days=offset)
            yy, yyyy = f"{start.year % 100:02d}", str(start.year)
            event_id = pattern.format(yy=yy)
            end = start + timedelta(days=days - 1)
            upcoming = Event(event_id, name.format(yyyy=yyyy), start, end, location, open_event, money(target))
            events.setdefault(event_id, upcoming)  # a listed event of the same id wins
        return sorted(events.values(), key=lambda e: (e.start_date, e.event_id))

    def build_sponsorships(self, events: list[Event]) -> list[Sponsorship]:
        rng, by_name = self.rng, {p.name: p for p in self.partners}
        by_id = {e.event_id: e for e in events}
        made = []
        for event_id, name, activity, amount, status in N.SPONSORSHIPS_2017:
            event = by_id[event_id]
            signed = event.start_date - timedelta(days=rng.randint(20, 120))
            made.append(Sponsorship(event, by_name[name], activity, Decimal(amount), signed, status))
        pool = [
            p
            for p in self.partners
            if p.until == 9999
            and (p.partner_type == "private-sector" or (p.sector_member and p.partner_type != "academia"))
        ]
        for event in (e for e in events if e.start_date.year > 2017):
            made += self.event_sponsorships(event, pool)
        made.sort(key=lambda s: (s.event.start_date, s.event.event_id, s.signed_date))
        counters: dict[int, int] = {}
        for s in made:
            year = s.event.start_date.year
            counters[year] = counters.get(year, 0) + 1
            s.sponsorship_id = f"S-{year}-{counters[year]:03d}"
        return made

    def event_sponsorships(self, event: Event, pool: list[Partner]) -> list[Sponsorship]:
        rng = self.rng
        size = {"GSR": (5, 8), "WTDC": (10, 13), "RDF": (2, 4), "DIF": (4, 6), "PRT": (0, 0)}
        count = rng.randint(*size[event.event_id.split("-")[0]])
        activities = N.VIRTUAL_ACTIVITIES if event.location == "Online" else N.ACTIVITIES
        upcoming = event.start_date > self.ref
        announced = event.start_date - timedelta(days=300)
        if announced > self.ref:
            return []
        made = []
        for i, partner in enumerate(rng.sample(pool, count)):
            activity = rng.choice(sorted(activities))
            amount = Decimal(rng.randint(*activities[activity]) * 1000)
            if event.open_event and partner.sector_member:
                amount = (amount * Decimal("0.85")).quantize(CENT)
            if upcoming:
                signed = self.random_date(max(announced, self.ref - timedelta(days=90)), self.ref)
                status = "confirmed" if i < count // 2 else "pending"
            else:
                signed = self.random_date(announced + timedelta(days=60), event.start_date - timedelta(days=7))
                status = "cancelled" if rng.random() < 0.06 else "confirmed"
            made.append(Sponsorship(event, partner, activity, amount.quantize(CENT), signed, status))
        return made


# --- CSV output --------------------------------------------------------------------------
def cell(value: object) -> str:
    """A value in the contract's text form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def write_csv(path: Path, columns: list[str], rows: list[dict[str, object]]) -> int:
    """Write rows as UTF-8 RFC 4180 CSV with a header; returns the number of rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows([[cell(row[c]) for c in columns] for row in rows])
    return len(rows)


def partner_row(p: Partner) -> dict[str, object]:
    return {c: getattr(p, c) for c in N.COLUMNS["partners"]}


def agreement_row(a: Agreement) -> dict[str, object]:
    row = {c: getattr(a, c) for c in N.COLUMNS["agreements"] if c not in ("partner_id", "parent_id")}
    return row | {"partner_id": a.partner.partner_id, "parent_id": a.parent.agreement_id if a.parent else ""}


def event_row(e: Event) -> dict[str, object]:
    return {c: getattr(e, c) for c in N.COLUMNS["events"]}


def sponsorship_row(s: Sponsorship) -> dict[str, object]:
    return {
        "sponsorship_id": s.sponsorship_id,
        "event_id": s.event.event_id,
        "partner_id": s.partner.partner_id,
        "activity": s.activity,
        "amount_usd": s.amount_usd,
        "signed_date": s.signed_date,
        "status": s.status,
    }


def generate(out_dir: Path, reference_date: date = REFERENCE_DATE) -> dict[str, int]:
    """Write partners.csv, agreements.csv, events.csv and sponsorships.csv into out_dir.

    Returns the number of data rows written per file name.
    """
    builder = SampleBuilder(reference_date)
    builder.build_partners()
    builder.build_agreements()
    events = builder.build_events()
    sponsorships = builder.build_sponsorships(events)
    agreements = sorted(builder.agreements, key=lambda a: (a.signed_date, a.agreement_id))
    tables = {
        "partners": [partner_row(p) for p in builder.partners],
        "agreements": [agreement_row(a) for a in agreements],
        "events": [event_row(e) for e in events],
        "sponsorships": [sponsorship_row(s) for s in sponsorships],
    }
    return {f"{kind}.csv": write_csv(out_dir / f"{kind}.csv", N.COLUMNS[kind], rows) for kind, rows in tables.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m db.sample_data", description="Write the synthetic sample data.")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="folder for the four CSV files (default: data/sample)"
    )
    parser.add_argument(
        "--regions-out",
        type=Path,
        default=COUNTRY_REGIONS_FILE,
        help="country,region table (default: data/country_regions.csv)",
    )
    args = parser.parse_args(argv)
    print(f"{args.regions_out.name}: {write_country_regions(args.regions_out)} rows")
    for name, count in generate(args.out).items():
        print(f"{name}: {count} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
